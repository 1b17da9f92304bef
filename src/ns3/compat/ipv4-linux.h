// ipv4-linux.h - as ns-3-dce's "ns3/ipv4-linux.h": Ipv4Linux, ns-3's Ipv4 on a Linux-stack node.
#ifndef DCE_COMPAT_IPV4_LINUX_H
#define DCE_COMPAT_IPV4_LINUX_H
#include "dce/model/ipv4-linux.h"
#endif
