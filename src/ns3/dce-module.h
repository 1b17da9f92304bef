// dce-module.h - everything an ns-3 scenario needs to run real programs with dce,
// as "ns3/dce-module.h" in ns-3-dce.
#ifndef DCE_MODULE_H
#define DCE_MODULE_H
#include "dce/helper/dce-application-helper.h"
#include "dce/helper/dce-manager-helper.h"
#include "dce/helper/freebsd-stack-helper.h"
#include "dce/helper/ipv4-dce-routing-helper.h"
#include "dce/helper/linux-stack-helper.h"
#include "dce/model/dce-application.h"
#include "dce/model/ipv4-linux.h"
#endif
