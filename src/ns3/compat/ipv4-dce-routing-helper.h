// ipv4-dce-routing-helper.h - as ns-3-dce's "ns3/ipv4-dce-routing-helper.h": Ipv4DceRoutingHelper.
#ifndef DCE_COMPAT_IPV4_DCE_ROUTING_HELPER_H
#define DCE_COMPAT_IPV4_DCE_ROUTING_HELPER_H
#include "dce/helper/ipv4-dce-routing-helper.h"
#endif
