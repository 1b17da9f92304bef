/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_DCE_ATOMIC_H
#define _ASM_DCE_ATOMIC_H
/* The minimal set of arch_atomic* operations, on the compiler's builtins; the
 * generic fallbacks (linux/atomic/atomic-arch-fallback.h) derive the rest.
 * asm-generic/atomic.h has no atomic64 for 64-bit machines, hence this file. */
#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/cmpxchg.h>
#include <asm/barrier.h>

#define ATOMIC64_INIT(i)		{ (i) }

#define arch_atomic_read(v)		READ_ONCE((v)->counter)
#define arch_atomic_set(v, i)		WRITE_ONCE(((v)->counter), (i))
#define arch_atomic64_read(v)		READ_ONCE((v)->counter)
#define arch_atomic64_set(v, i)		WRITE_ONCE(((v)->counter), (i))

#define DCE_ATOMIC_OPS(pfx, type, op)					\
static __always_inline void arch_##pfx##_##op(type i, pfx##_t *v)	\
{									\
	__atomic_fetch_##op(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static __always_inline type arch_##pfx##_fetch_##op(type i, pfx##_t *v)\
{									\
	return __atomic_fetch_##op(&v->counter, i, __ATOMIC_SEQ_CST);	\
}

#define DCE_ATOMIC_RETURN(pfx, type, op)				\
static __always_inline type arch_##pfx##_##op##_return(type i, pfx##_t *v)\
{									\
	return __atomic_##op##_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}

DCE_ATOMIC_OPS(atomic, int, add)
DCE_ATOMIC_OPS(atomic, int, sub)
DCE_ATOMIC_OPS(atomic, int, and)
DCE_ATOMIC_OPS(atomic, int, or)
DCE_ATOMIC_OPS(atomic, int, xor)
DCE_ATOMIC_RETURN(atomic, int, add)
DCE_ATOMIC_RETURN(atomic, int, sub)
DCE_ATOMIC_OPS(atomic64, s64, add)
DCE_ATOMIC_OPS(atomic64, s64, sub)
DCE_ATOMIC_OPS(atomic64, s64, and)
DCE_ATOMIC_OPS(atomic64, s64, or)
DCE_ATOMIC_OPS(atomic64, s64, xor)
DCE_ATOMIC_RETURN(atomic64, s64, add)
DCE_ATOMIC_RETURN(atomic64, s64, sub)

#define arch_atomic_add arch_atomic_add
#define arch_atomic_sub arch_atomic_sub
#define arch_atomic_and arch_atomic_and
#define arch_atomic_or arch_atomic_or
#define arch_atomic_xor arch_atomic_xor
#define arch_atomic_fetch_add arch_atomic_fetch_add
#define arch_atomic_fetch_sub arch_atomic_fetch_sub
#define arch_atomic_fetch_and arch_atomic_fetch_and
#define arch_atomic_fetch_or arch_atomic_fetch_or
#define arch_atomic_fetch_xor arch_atomic_fetch_xor
#define arch_atomic_add_return arch_atomic_add_return
#define arch_atomic_sub_return arch_atomic_sub_return
#define arch_atomic64_add arch_atomic64_add
#define arch_atomic64_sub arch_atomic64_sub
#define arch_atomic64_and arch_atomic64_and
#define arch_atomic64_or arch_atomic64_or
#define arch_atomic64_xor arch_atomic64_xor
#define arch_atomic64_fetch_add arch_atomic64_fetch_add
#define arch_atomic64_fetch_sub arch_atomic64_fetch_sub
#define arch_atomic64_fetch_and arch_atomic64_fetch_and
#define arch_atomic64_fetch_or arch_atomic64_fetch_or
#define arch_atomic64_fetch_xor arch_atomic64_fetch_xor
#define arch_atomic64_add_return arch_atomic64_add_return
#define arch_atomic64_sub_return arch_atomic64_sub_return

#define arch_atomic_xchg(v, new)	arch_xchg(&(v)->counter, (new))
#define arch_atomic_cmpxchg(v, o, n)	arch_cmpxchg(&(v)->counter, (o), (n))
#define arch_atomic64_xchg(v, new)	arch_xchg(&(v)->counter, (new))
#define arch_atomic64_cmpxchg(v, o, n)	arch_cmpxchg(&(v)->counter, (o), (n))

#endif
