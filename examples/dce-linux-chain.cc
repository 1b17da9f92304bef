// dce-linux-chain: N Linux-stack nodes in a line, every inner node a router
// (net.ipv4.ip_forward=1), and stock ping and iperf3 from one end to the other:
// many kernel instances, each forwarding with its own routing table.
//
//   node 0 -- node 1 -- ... -- node N-1     (point-to-point, 100 Mbit/s, 1 ms)
//   link i (node i -- node i+1): 10.<i/250>.<i%250>.0/24, .1 on the left, .2 on the right
//   routes on node i: default via the right neighbour, the links left of it via the
//                     left neighbour
//   t=1: node 0: ping -c 2 <node N-1>;  t=4: node N-1: iperf3 -s -1;
//   t=5: node 0: iperf3 -c <node N-1> -t 2
//
//   ./build/dce/examples/dce-linux-chain [--out=DIR] [--nodes=32] [--pcap=0]
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

namespace {
std::string
LinkNet (uint32_t i)
{
  return "10." + std::to_string (i / 250) + "." + std::to_string (i % 250);
}
} // namespace

int
main (int argc, char *argv[])
{
  std::string out = ".";
  uint32_t n = 32;
  bool pcap = false;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps and exitprocs", out);
  cmd.AddValue ("nodes", "number of nodes (>= 2)", n);
  cmd.AddValue ("pcap", "write pcaps of the first link", pcap);
  cmd.Parse (argc, argv);
  NS_ABORT_MSG_IF (n < 2, "--nodes must be at least 2");

  NodeContainer nodes;
  nodes.Create (n);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("1ms"));
  std::vector<NetDeviceContainer> links;
  for (uint32_t i = 0; i + 1 < n; i++)
    links.push_back (p2p.Install (nodes.Get (i), nodes.Get (i + 1)));

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::LinuxSocketFdFactory");
  dce.Install (nodes);

  for (uint32_t i = 0; i + 1 < n; i++)
    {
      LinuxStackHelper::AddAddress (nodes.Get (i), links[i].Get (0), LinkNet (i) + ".1/24");
      LinuxStackHelper::AddAddress (nodes.Get (i + 1), links[i].Get (1), LinkNet (i) + ".2/24");
    }
  for (uint32_t i = 0; i < n; i++)
    {
      if (i + 1 < n)
        LinuxStackHelper::AddRoute (nodes.Get (i), "default", LinkNet (i) + ".2");
      for (uint32_t j = 0; i >= 2 && j + 1 < i; j++)
        LinuxStackHelper::AddRoute (nodes.Get (i), LinkNet (j) + ".0/24", LinkNet (i - 1) + ".1");
    }
  NodeContainer routers;
  for (uint32_t i = 1; i + 1 < n; i++)
    routers.Add (nodes.Get (i));
  LinuxStackHelper::SysctlSet (routers, "net.ipv4.ip_forward", "1");

  std::string last = LinkNet (n - 2) + ".2";
  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("ping");
  app.AddArguments ("-c", "2", last);
  app.Install (nodes.Get (0)).Start (Seconds (1));
  app.SetBinary ("iperf3");
  app.ResetArguments ();
  app.AddArguments ("-s", "-1");
  app.Install (nodes.Get (n - 1)).Start (Seconds (4));
  app.ResetArguments ();
  app.AddArguments ("-c", last, "-t", "2");
  app.Install (nodes.Get (0)).Start (Seconds (5));

  if (pcap)
    p2p.EnablePcap (out + "/linux-chain", links[0].Get (0), false);
  Simulator::Stop (Seconds (15));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
