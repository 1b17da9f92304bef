// dce-two-nodes: two nodes on a point-to-point link (10.1.1.1 and 10.1.1.2,
// 100 Mbps, 1 ms) each running one command line given on the command line; for
// quick experiments and dce's own network tests.
//
//   CMD1="nc -l 8080 > /tmp/f" CMD0="nc -N 10.1.1.2 8080 < /etc/hostname"
//   ./build/dce/examples/dce-two-nodes --out=DIR [--start1=1] [--start0=2]
//        [--map=HOSTDIR] [--stop=60] [--pcap=0] [--linux=0]
// --linux=1: both nodes run their own Linux kernel (advanced mode) with the same
// addresses, set through the kernels' netlink.
// Each command runs as `sh -c CMD` (so redirections work) on its node. The command
// lines come from the environment (CMD0, CMD1): ns-3's CommandLine stops a string
// value at the first space.
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".", cmd0, cmd1, map;
  double start0 = 2, start1 = 1, stop = 60;
  bool pcap = false, useLinux = false;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("start0", "start time of cmd0 (s)", start0);
  cmd.AddValue ("start1", "start time of cmd1 (s)", start1);
  cmd.AddValue ("map", "host directory visible in the nodes", map);
  cmd.AddValue ("stop", "simulation end (s)", stop);
  cmd.AddValue ("pcap", "write two-nodes-N-1.pcap", pcap);
  cmd.AddValue ("linux", "Linux kernel stack on both nodes (advanced mode)", useLinux);
  cmd.Parse (argc, argv);
  if (getenv ("CMD0"))
    cmd0 = getenv ("CMD0");
  if (getenv ("CMD1"))
    cmd1 = getenv ("CMD1");

  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("1ms"));
  NetDeviceContainer devs = p2p.Install (nodes);
  if (!useLinux)
    {
      InternetStackHelper stack;
      stack.Install (nodes);
      Ipv4AddressHelper addr ("10.1.1.0", "255.255.255.0");
      addr.Assign (devs);
    }
  if (pcap)
    p2p.EnablePcap (out + "/two-nodes", devs, false);

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  if (useLinux)
    dce.SetNetworkStack ("ns3::LinuxSocketFdFactory");
  dce.Install (nodes);
  if (useLinux)
    {
      LinuxStackHelper::AddAddress (nodes.Get (0), devs.Get (0), "10.1.1.1/24");
      LinuxStackHelper::AddAddress (nodes.Get (1), devs.Get (1), "10.1.1.2/24");
    }
  if (!map.empty ())
    dce.MapHostPath (map);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("sh");
  if (!cmd1.empty ())
    {
      app.AddArguments ("-c", cmd1);
      app.Install (nodes.Get (1)).Start (Seconds (start1));
    }
  if (!cmd0.empty ())
    {
      app.ResetArguments ();
      app.AddArguments ("-c", cmd0);
      app.Install (nodes.Get (0)).Start (Seconds (start0));
    }
  Simulator::Stop (Seconds (stop));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
