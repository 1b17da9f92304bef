// freebsd-stack-helper.h - ns-3-dce's FreeBSD stack helper, so that its scripts
// (which name it in code paths chosen at run time) compile. dce has no FreeBSD
// kernel: every call ends the run with one line saying to use the Linux stack.
#ifndef DCE_FREEBSD_STACK_HELPER_H
#define DCE_FREEBSD_STACK_HELPER_H

#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include <string>

namespace ns3 {

class FreeBSDStackHelper
{
public:
  static void Install (std::string nodeName);
  static void Install (Ptr<Node> node);
  static void Install (NodeContainer c);
  static void InstallAll ();
  void SysctlSet (NodeContainer c, std::string path, std::string value);
  static void SysctlGet (Ptr<Node> node, Time at, std::string path,
                         void (*callback) (std::string, std::string));
  static void PopulateRoutingTables ();
  static void RunIp (Ptr<Node> node, Time at, std::string str);
};

} // namespace ns3

#endif
