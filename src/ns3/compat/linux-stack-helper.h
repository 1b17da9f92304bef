// linux-stack-helper.h - as ns-3-dce's "ns3/linux-stack-helper.h": LinuxStackHelper.
#ifndef DCE_COMPAT_LINUX_STACK_HELPER_H
#define DCE_COMPAT_LINUX_STACK_HELPER_H
#include "dce/helper/linux-stack-helper.h"
#endif
