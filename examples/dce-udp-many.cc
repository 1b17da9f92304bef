// dce-udp-many: many nodes on one CSMA LAN (100 Mbps), each running a UDP echo
// server and a UDP client of our own (test/programs/net-udp.c); node i's client
// sends COUNT datagrams to node i+1's server (the last to node 0), by name, through
// /etc/hosts. For the scale tests (200 to 10,000 nodes) and bench/scale.sh.
// Nodes are grouped into CSMA LANs of at most LAN nodes (each its own /24): a
// frame on a LAN reaches every device on it, so one LAN of N nodes costs N^2
// receptions; the ring of clients closes within each LAN (node i's client sends to
// the next node of its LAN, the LAN's last to its first).
//
//   node i: net-udp server 2000 COUNT            (t = 1 s)
//           net-udp client node<i+1> 2000 COUNT  (t = 2 s + i ms)
//
// Outputs: files-i/var/log/1000/stdout (server: "server got ..." lines) and
// files-i/var/log/1001/stdout (client: "client: COUNT/COUNT echoes"). At the end
// the example prints "udp-many: N/N clients got every echo".
//
//   ./build/dce/examples/dce-udp-many --programs=build/dce/test-programs
//        [--out=DIR] [--nodes=200] [--count=3] [--lan=250]
#include "ns3/core-module.h"
#include <vector>
#include "ns3/csma-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include <fstream>
#include <iostream>

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".", programs = "build/dce/test-programs";
  uint32_t n = 200, count = 3, lan = 250;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("programs", "directory holding net-udp", programs);
  cmd.AddValue ("nodes", "number of nodes", n);
  cmd.AddValue ("count", "datagrams each client sends", count);
  cmd.AddValue ("lan", "nodes per CSMA LAN (at most 250)", lan);
  cmd.Parse (argc, argv);
  if (lan < 2 || lan > 250)
    {
      std::cerr << "dce-udp-many: --lan=" << lan << ": use 2 to 250 nodes per LAN" << std::endl;
      return 2;
    }

  NodeContainer nodes;
  nodes.Create (n);
  CsmaHelper csma;
  csma.SetChannelAttribute ("DataRate", StringValue ("100Mbps"));
  csma.SetChannelAttribute ("Delay", TimeValue (MicroSeconds (10)));
  // devices first, then the stack, then addresses: the order of ns-3 scripts (and
  // of the scenario file's twin), which decides ns-3's random streams
  std::vector<NetDeviceContainer> segs;
  for (uint32_t first = 0; first < n; first += lan)
    {
      NodeContainer seg;
      for (uint32_t i = first; i < n && i < first + lan; i++)
        seg.Add (nodes.Get (i));
      segs.push_back (csma.Install (seg));
    }
  InternetStackHelper stack;
  stack.SetIpv6StackInstall (false);
  stack.Install (nodes);
  // one LAN: 10.0.0.0/16 as before; several: a /24 each
  Ipv4AddressHelper addr ("10.0.0.0", segs.size () == 1 ? "255.255.0.0" : "255.255.255.0");
  for (NetDeviceContainer &d : segs)
    {
      addr.Assign (d);
      addr.NewNetwork ();
    }

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  dce.MapHostPath (programs);
  dce.Install (nodes);

  DceApplicationHelper app;
  app.SetStackSize (1 << 16);
  app.SetBinary (programs + "/net-udp");
  for (uint32_t i = 0; i < n; i++)
    {
      app.ResetArguments ();
      app.AddArguments ("server", "2000", std::to_string (count));
      ApplicationContainer a = app.Install (nodes.Get (i));
      a.Start (Seconds (1.0));
      app.ResetArguments ();
      uint32_t first = i / lan * lan, size = std::min (lan, n - first);
      uint32_t next = first + (i - first + 1) % size;
      app.AddArguments ("client", "node" + std::to_string (next), "2000", std::to_string (count));
      a = app.Install (nodes.Get (i));
      a.Start (Seconds (2.0) + MilliSeconds (i));
    }

  Simulator::Stop (Seconds (60));
  Simulator::Run ();
  uint64_t events = Simulator::GetEventCount ();
  Simulator::Destroy ();
  std::cout << "events: " << events << std::endl;

  uint32_t good = 0;
  std::string want = "client: " + std::to_string (count) + "/" + std::to_string (count) + " echoes";
  for (uint32_t i = 0; i < n; i++)
    {
      std::ifstream f (out + "/files-" + std::to_string (i) + "/var/log/1001/stdout");
      std::string line, last;
      while (std::getline (f, line))
        last = line;
      good += last == want;
    }
  std::cout << "udp-many: " << good << "/" << n << " clients got every echo" << std::endl;
  return good == n ? 0 : 1;
}
