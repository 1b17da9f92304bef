// dce-manager-helper.h - as ns-3-dce's "ns3/dce-manager-helper.h": DceManagerHelper and ProcStatus.
#ifndef DCE_COMPAT_DCE_MANAGER_HELPER_H
#define DCE_COMPAT_DCE_MANAGER_HELPER_H
#include "dce/helper/dce-manager-helper.h"
#endif
