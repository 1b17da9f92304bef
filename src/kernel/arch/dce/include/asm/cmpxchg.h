/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_CMPXCHG_H
#define _ASM_DCE_CMPXCHG_H
/* One CPU, but the compiler's atomics are as cheap as anything else here and
 * correct for every operand size. */
#define arch_xchg(ptr, x) \
	__atomic_exchange_n((ptr), (x), __ATOMIC_SEQ_CST)

#define arch_cmpxchg(ptr, old, new)					\
({									\
	__typeof__(*(ptr)) __old = (old);				\
	__atomic_compare_exchange_n((ptr), &__old, (new), 0,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})
#define arch_cmpxchg_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg64(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg64_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#endif
