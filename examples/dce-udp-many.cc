// dce-udp-many: many nodes on one CSMA LAN (100 Mbps), each running a UDP echo
// server and a UDP client of our own (test/programs/net-udp.c); node i's client
// sends COUNT datagrams to node i+1's server (the last to node 0), by name, through
// /etc/hosts. For the scale test (200 nodes) and the memory benchmark (1000).
//
//   node i: net-udp server 2000 COUNT            (t = 1 s)
//           net-udp client node<i+1> 2000 COUNT  (t = 2 s + i ms)
//
// Outputs: files-i/var/log/1000/stdout (server: "server got ..." lines) and
// files-i/var/log/1001/stdout (client: "client: COUNT/COUNT echoes"). At the end
// the example prints "udp-many: N/N clients got every echo".
//
//   ./build/dce/examples/dce-udp-many --programs=build/dce/test-programs
//        [--out=DIR] [--nodes=200] [--count=3]
#include "ns3/core-module.h"
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
  uint32_t n = 200, count = 3;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("programs", "directory holding net-udp", programs);
  cmd.AddValue ("nodes", "number of nodes", n);
  cmd.AddValue ("count", "datagrams each client sends", count);
  cmd.Parse (argc, argv);

  NodeContainer nodes;
  nodes.Create (n);
  CsmaHelper csma;
  csma.SetChannelAttribute ("DataRate", StringValue ("100Mbps"));
  csma.SetChannelAttribute ("Delay", TimeValue (MicroSeconds (10)));
  NetDeviceContainer devs = csma.Install (nodes);
  InternetStackHelper stack;
  stack.SetIpv6StackInstall (false);
  stack.Install (nodes);
  Ipv4AddressHelper addr ("10.0.0.0", "255.255.0.0");
  addr.Assign (devs);

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
      app.AddArguments ("client", "node" + std::to_string ((i + 1) % n), "2000", std::to_string (count));
      a = app.Install (nodes.Get (i));
      a.Start (Seconds (2.0) + MilliSeconds (i));
    }

  Simulator::Stop (Seconds (60));
  Simulator::Run ();
  Simulator::Destroy ();

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
