// helper-module.h - as "ns3/helper-module.h", which ns-3-dce's examples still
// include: ns-3's former all-helpers header (nodes, devices, the internet stack,
// applications) plus the dce helpers.
#ifndef DCE_COMPAT_HELPER_MODULE_H
#define DCE_COMPAT_HELPER_MODULE_H
#include "ns3/applications-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "dce-module.h"
#endif
