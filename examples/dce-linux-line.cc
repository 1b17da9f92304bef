// dce-linux-line: a line of Linux-stack nodes configured with the stock tools of a
// Debian machine (ip, sysctl), two of them forwarding, and an ns-3-stack node at the
// end (mixed stacks):
//
//   node 0 ---------- node 1 ---------- node 2 ---------- node 3
//   Linux             Linux router      Linux router      ns-3 stack
//   10.1.1.1          10.1.1.2 10.1.2.1 10.1.2.2 10.1.3.1 10.1.3.2
//   2001:db8:1::1     ...:1::2 ...:2::1 2001:db8:2::2
//   (5 Mbit/s, 2 ms point-to-point links)
//
//   t=0.1  nodes 1, 2: sysctl -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
//   t=0.2  node 0:     ip addr add / ip -6 addr add / ip route add default / ip -6 route add default
//   t=1    node 0:     ip addr show dev eth0; ip route show; ip -6 route show
//   t=2    node 0:     ping -c 3 10.1.2.2          (IPv4, forwarded by node 1)
//   t=6    node 0:     ping -6 -c 3 2001:db8:2::2  (IPv6, forwarded by node 1)
//   t=10   node 0:     ping -c 3 10.1.3.2          (to the ns-3-stack node, two Linux routers)
//   t=13   node 3:     iperf3 -s -1                (ns-3's TCP)
//   t=14   node 0:     iperf3 -c 10.1.3.2 -t 2     (Linux's TCP)
//
// Nodes 1-3 get their addresses and routes from LinuxStackHelper (through each
// kernel's netlink) and ns-3's helpers; node 0 from the stock ip program.
// Outputs in --out: files-N/var/log/<pid>/stdout, files-N/var/log/messages,
// exitprocs and pcaps linux-line-<node>-<device>.pcap.
//
// With --csma=1 every link is a two-node CSMA (Ethernet) segment instead: the
// kernels resolve addresses with ARP and neighbour discovery, with each other and
// with ns-3's ARP on node 3.
//
//   ./build/dce/examples/dce-linux-line [--out=DIR] [--pcap=1] [--csma=0]
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

namespace {
void
Run (Ptr<Node> node, double at, std::string binary, std::vector<std::string> args)
{
  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary (binary);
  for (const std::string &a : args)
    app.AddArgument (a);
  app.Install (node).Start (Seconds (at));
}

// a shell command line, run by the stock sh
void
Shell (Ptr<Node> node, double at, std::string line)
{
  Run (node, at, "sh", {"-c", line});
}
} // namespace

int
main (int argc, char *argv[])
{
  std::string out = ".";
  bool pcap = true, csma = false;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps and exitprocs", out);
  cmd.AddValue ("pcap", "write pcaps of every link", pcap);
  cmd.AddValue ("csma", "CSMA (Ethernet, ARP) links instead of point-to-point", csma);
  cmd.Parse (argc, argv);

  // Linux's MSS on Ethernet for the ns-3 node's TCP too (ns-3's default is 536)
  Config::SetDefault ("ns3::TcpSocket::SegmentSize", UintegerValue (1448));
  NodeContainer nodes;
  nodes.Create (4);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("5Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("2ms"));
  CsmaHelper lan;
  lan.SetChannelAttribute ("DataRate", StringValue ("5Mbps"));
  lan.SetChannelAttribute ("Delay", StringValue ("2ms"));
  auto link = [&] (uint32_t a, uint32_t b) {
    NodeContainer pair (nodes.Get (a), nodes.Get (b));
    return csma ? lan.Install (pair) : p2p.Install (pair);
  };
  NetDeviceContainer d01 = link (0, 1);
  NetDeviceContainer d12 = link (1, 2);
  NetDeviceContainer d23 = link (2, 3);

  // nodes 0-2: Linux kernels; node 3: ns-3's own stack
  NodeContainer linuxNodes (nodes.Get (0), nodes.Get (1), nodes.Get (2));
  DceManagerHelper linuxDce;
  linuxDce.SetAttribute ("OutputDirectory", StringValue (out));
  linuxDce.SetNetworkStack ("ns3::LinuxSocketFdFactory", "Library", StringValue ("liblinux.so"));
  linuxDce.Install (linuxNodes);
  InternetStackHelper internet;
  internet.Install (nodes.Get (3));
  DceManagerHelper ns3Dce;
  ns3Dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  ns3Dce.Install (nodes.Get (3));

  LinuxStackHelper stack; // installed by linuxDce already; here for configuration
  stack.AddAddress (nodes.Get (1), d01.Get (1), "10.1.1.2/24");
  stack.AddAddress (nodes.Get (1), d01.Get (1), "2001:db8:1::2/64");
  stack.AddAddress (nodes.Get (1), d12.Get (0), "10.1.2.1/24");
  stack.AddAddress (nodes.Get (1), d12.Get (0), "2001:db8:2::1/64");
  stack.AddAddress (nodes.Get (2), d12.Get (1), "10.1.2.2/24");
  stack.AddAddress (nodes.Get (2), d12.Get (1), "2001:db8:2::2/64");
  stack.AddAddress (nodes.Get (2), d23.Get (0), "10.1.3.1/24");
  stack.AddRoute (nodes.Get (1), "10.1.3.0/24", "10.1.2.2");
  stack.AddRoute (nodes.Get (2), "10.1.1.0/24", "10.1.2.1");
  stack.AddRoute (nodes.Get (2), "2001:db8:1::/64", "2001:db8:2::1");

  Ipv4AddressHelper v4 ("10.1.3.0", "255.255.255.0", "0.0.0.2");
  v4.Assign (NetDeviceContainer (d23.Get (1)));
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting (nodes.Get (3)->GetObject<Ipv4> ())
      ->SetDefaultRoute (Ipv4Address ("10.1.3.1"), 1);

  for (uint32_t r : {1u, 2u})
    Run (nodes.Get (r), 0.1, "sysctl",
         {"-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"});
  Shell (nodes.Get (0), 0.2,
         "ip addr add 10.1.1.1/24 dev eth0 && ip -6 addr add 2001:db8:1::1/64 dev eth0 nodad"
         " && ip route add default via 10.1.1.2 && ip -6 route add default via 2001:db8:1::2");
  Shell (nodes.Get (0), 1, "ip addr show dev eth0; ip route show; ip -6 route show");
  Run (nodes.Get (0), 2, "ping", {"-c", "3", "10.1.2.2"});
  Run (nodes.Get (0), 6, "ping", {"-6", "-c", "3", "2001:db8:2::2"});
  Run (nodes.Get (0), 10, "ping", {"-c", "3", "10.1.3.2"});
  Run (nodes.Get (3), 13, "iperf3", {"-s", "-1"});
  Run (nodes.Get (0), 14, "iperf3", {"-c", "10.1.3.2", "-t", "2"});

  if (pcap && csma)
    lan.EnablePcapAll (out + "/linux-line", false);
  else if (pcap)
    p2p.EnablePcapAll (out + "/linux-line", false);
  Simulator::Stop (Seconds (25));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
