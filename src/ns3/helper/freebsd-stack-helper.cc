// freebsd-stack-helper.cc - see freebsd-stack-helper.h.
#include "freebsd-stack-helper.h"
#include <cstdio>
#include <cstdlib>

namespace ns3 {

namespace {
[[noreturn]] void
NoFreeBsd (const char *what)
{
  std::fprintf (stderr, "dce: FreeBSDStackHelper::%s: dce has no FreeBSD kernel; use the Linux "
                        "stack (LinuxStackHelper, ns3::LinuxSocketFdFactory) or ns-3's\n",
                what);
  std::exit (2);
}
} // namespace

void
FreeBSDStackHelper::Install (std::string)
{
  NoFreeBsd ("Install");
}
void
FreeBSDStackHelper::Install (Ptr<Node>)
{
  NoFreeBsd ("Install");
}
void
FreeBSDStackHelper::Install (NodeContainer)
{
  NoFreeBsd ("Install");
}
void
FreeBSDStackHelper::InstallAll ()
{
  NoFreeBsd ("InstallAll");
}
void
FreeBSDStackHelper::SysctlSet (NodeContainer, std::string, std::string)
{
  NoFreeBsd ("SysctlSet");
}
void
FreeBSDStackHelper::SysctlGet (Ptr<Node>, Time, std::string, void (*) (std::string, std::string))
{
  NoFreeBsd ("SysctlGet");
}
void
FreeBSDStackHelper::PopulateRoutingTables ()
{
  NoFreeBsd ("PopulateRoutingTables");
}
void
FreeBSDStackHelper::RunIp (Ptr<Node>, Time, std::string)
{
  NoFreeBsd ("RunIp");
}

} // namespace ns3
