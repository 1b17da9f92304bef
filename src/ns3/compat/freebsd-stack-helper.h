// freebsd-stack-helper.h - as ns-3-dce's "ns3/freebsd-stack-helper.h" (dce has no FreeBSD kernel).
#ifndef DCE_COMPAT_FREEBSD_STACK_HELPER_H
#define DCE_COMPAT_FREEBSD_STACK_HELPER_H
#include "dce/helper/freebsd-stack-helper.h"
#endif
