/* vdso.h - dce's vDSO for simulated programs (vdso_host.c, vdso/vdso.c). */
#ifndef DCE_VDSO_H
#define DCE_VDSO_H
#include <stdint.h>

/* Map the vDSO; 0 on success or when disabled (DCE_VDSO=0): base is then 0. */
int dce_vdso_init(uint64_t epoch_ns);
/* Its address for AT_SYSINFO_EHDR, 0 if none. */
uintptr_t dce_vdso_base(void);
/* A thread is about to run at simulated time now_ns: refresh the clock, reset the
 * busy-wait counter. */
void dce_vdso_enter(uint64_t now_ns);
/* The running thread exhausted its vDSO clock reads (it is polling the clock). */
int dce_vdso_over_limit(void);

#endif
