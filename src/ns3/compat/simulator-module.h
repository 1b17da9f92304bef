// simulator-module.h - as ns-3-dce's "ns3/simulator-module.h": ns-3's former simulator module header, now core-module.h (an ns-3-dce example still includes it).
#ifndef DCE_COMPAT_SIMULATOR_MODULE_H
#define DCE_COMPAT_SIMULATOR_MODULE_H
#include "ns3/core-module.h"
#endif
