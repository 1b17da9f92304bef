// dce-application.h - as ns-3-dce's "ns3/dce-application.h": DceApplication.
#ifndef DCE_COMPAT_DCE_APPLICATION_H
#define DCE_COMPAT_DCE_APPLICATION_H
#include "dce/model/dce-application.h"
#endif
