/* SPDX-License-Identifier: GPL-2.0 */
/* Forced into every compilation unit: every symbol, defined or only declared, is
 * hidden, so references are PC-relative and nothing leaks out of the library.
 * The dce_* entry points override this with DCE_EXPORT. */
#pragma GCC visibility push(hidden)
#define DCE_EXPORT __attribute__((visibility("default")))
