/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_CURRENT_H
#define _ASM_DCE_CURRENT_H
/* One CPU per instance, and every instance has its own copy of this variable
 * (the library's data is private per node), so "current" is a plain global. */
struct task_struct;
extern struct task_struct *dce_current_task;
#define get_current() (dce_current_task)
#define current get_current()
#endif
