// dce-application-helper.h - as ns-3-dce's "ns3/dce-application-helper.h": DceApplicationHelper.
#ifndef DCE_COMPAT_DCE_APPLICATION_HELPER_H
#define DCE_COMPAT_DCE_APPLICATION_HELPER_H
#include "dce/helper/dce-application-helper.h"
#endif
