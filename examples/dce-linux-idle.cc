// dce-linux-idle: N idle nodes in a chain of point-to-point links, each running
// `sleep 5` under dce, over either the real Linux 6.1 stack (one kernel instance
// per node, advanced mode) or ns-3's own stack. For the memory and boot-time
// benchmark (bench/linux-stack.sh): the difference between the two runs, divided
// by N, is what a kernel instance costs a node.
//
//   node 0 -- node 1 -- ... -- node N-1      (100 Mbit/s, 2 ms; link i: 10.a.b.0/24)
//   every node: sleep 5                      (t = 1 s)
//
// At t = 4 s (all kernels booted and configured, every sleep alive) it reads the
// host process's own memory and prints one line:
//   memory: nodes N stack linux vmrss-kb R vmhwm-kb H private-dirty-kb D private-kb P pss-kb S
// (VmRSS/VmHWM from /proc/self/status; Private_Dirty, private = Private_Clean +
// Private_Dirty, and Pss from /proc/self/smaps_rollup: each page once, where RSS
// counts a shared page once per mapping of it, e.g. once per kernel copy for the
// kernel's text. Private_Clean depends on which files other processes on the host
// happen to map at the time; Private_Dirty does not).
// DCE_LINUX_BOOT_TIME=1 makes dce print each kernel's boot time on stderr.
//
//   ./build/dce/examples/dce-linux-idle [--out=DIR] [--nodes=10] [--stack=linux|ns3]
// The kernel library: $DCE_LINUX_LIBRARY, else build/install/lib/liblinux-6.1.so.
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

using namespace ns3;

namespace {
std::string g_stack;
uint32_t g_nodes;

// sum of the "Key:" lines of a /proc file (kB)
long
ProcKb (const char *path, const std::vector<std::string> &keys)
{
  std::ifstream in (path);
  std::string line;
  long sum = 0;
  while (std::getline (in, line))
    for (const std::string &k : keys)
      if (line.compare (0, k.size (), k) == 0)
        sum += std::atol (line.c_str () + k.size ());
  return sum;
}

void
PrintMemory ()
{
  printf ("memory: nodes %u stack %s vmrss-kb %ld vmhwm-kb %ld private-dirty-kb %ld "
          "private-kb %ld pss-kb %ld\n",
          g_nodes, g_stack.c_str (), ProcKb ("/proc/self/status", {"VmRSS:"}),
          ProcKb ("/proc/self/status", {"VmHWM:"}),
          ProcKb ("/proc/self/smaps_rollup", {"Private_Dirty:"}),
          ProcKb ("/proc/self/smaps_rollup", {"Private_Clean:", "Private_Dirty:"}),
          ProcKb ("/proc/self/smaps_rollup", {"Pss:"}));
  fflush (stdout);
}
} // namespace

int
main (int argc, char *argv[])
{
  std::string out = ".", stack = "linux";
  uint32_t n = 10;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("nodes", "number of nodes (a chain)", n);
  cmd.AddValue ("stack", "network stack: linux (a kernel per node) or ns3", stack);
  cmd.Parse (argc, argv);
  NS_ABORT_MSG_IF (stack != "linux" && stack != "ns3", "--stack is linux or ns3");
  NS_ABORT_MSG_IF (n < 1 || n > 65536, "--nodes is 1..65536");
  g_stack = stack;
  g_nodes = n;

  NodeContainer nodes;
  nodes.Create (n);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("2ms"));
  std::vector<NetDeviceContainer> links;
  for (uint32_t i = 0; i + 1 < n; i++)
    links.push_back (p2p.Install (nodes.Get (i), nodes.Get (i + 1)));
  auto net = [] (uint32_t i) {
    return "10." + std::to_string (1 + i / 256) + "." + std::to_string (i % 256) + ".0";
  };

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  if (stack == "linux")
    {
      dce.SetNetworkStack ("ns3::LinuxSocketFdFactory");
      dce.Install (nodes);
      LinuxStackHelper lstack;
      lstack.Install (nodes);
      for (uint32_t i = 0; i < links.size (); i++)
        LinuxStackHelper::AssignIpv4 (links[i], net (i), "255.255.255.0");
    }
  else
    {
      InternetStackHelper internet;
      internet.Install (nodes);
      for (uint32_t i = 0; i < links.size (); i++)
        {
          Ipv4AddressHelper addr (net (i).c_str (), "255.255.255.0");
          addr.Assign (links[i]);
        }
      dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
      dce.Install (nodes);
    }

  DceApplicationHelper app;
  app.SetStackSize (1 << 16);
  app.SetBinary ("sleep");
  app.AddArgument ("5");
  app.Install (nodes).Start (Seconds (1.0));

  Simulator::Schedule (Seconds (4.0), &PrintMemory);
  Simulator::Stop (Seconds (7.0));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
