/* rewrite.h - rewriting programs' `syscall` sites into calls (rewrite.c). */
#ifndef DCE_REWRITE_H
#define DCE_REWRITE_H
#include <stddef.h>
#include <stdint.h>

/* DCE_REWRITE=0 turns it off; also off without /proc/self/mem. */
int dce_rewrite_enabled(void);
/* [start, start+len) is about to become writable: its rewritten sites get their
 * original bytes back and stay trapped from then on. */
void dce_rewrite_unprotect(uintptr_t start, size_t len);
extern uint64_t dce_rewrite_sites, dce_rewrite_fallbacks;

#endif
