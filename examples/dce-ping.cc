// dce-ping: stock iputils ping across a CSMA segment, IPv4 and IPv6.
//
//   node 0 (10.1.1.1, 2001:db8::…)  ==== CSMA 100 Mbps, 6.56 us ====  node 1 (10.1.1.2, 2001:db8::…)
//   ping -c 3 node1        (t = 1 s)
//   ping -6 -c 3 ADDR6     (t = 5 s, node 1's global IPv6 address)
//
// Outputs: files-0/var/log/1000/stdout (IPv4), files-0/var/log/1001/stdout (IPv6),
// pcaps ping-0-0.pcap and ping-1-0.pcap in --out.
//
//   ./build/dce/examples/dce-ping [--out=DIR] [--count=3]
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  uint32_t count = 3;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps and exitprocs", out);
  cmd.AddValue ("count", "echo requests per ping", count);
  cmd.Parse (argc, argv);

  NodeContainer nodes;
  nodes.Create (2);
  CsmaHelper csma;
  csma.SetChannelAttribute ("DataRate", StringValue ("100Mbps"));
  NetDeviceContainer devs = csma.Install (nodes);
  InternetStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper a4 ("10.1.1.0", "255.255.255.0");
  a4.Assign (devs);
  Ipv6AddressHelper a6;
  a6.SetBase (Ipv6Address ("2001:db8::"), Ipv6Prefix (64));
  Ipv6InterfaceContainer i6 = a6.Assign (devs);
  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.Install (nodes); // creates the output directory
  csma.EnablePcap (out + "/ping", devs, false);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("ping");
  app.AddArguments ("-c", std::to_string (count), "node1");
  app.Install (nodes.Get (0)).Start (Seconds (1.0));

  std::ostringstream v6;
  v6 << i6.GetAddress (1, 1);
  app.ResetArguments ();
  app.AddArguments ("-6", "-c", std::to_string (count), v6.str ());
  app.Install (nodes.Get (0)).Start (Seconds (2.0 + count));

  Simulator::Stop (Seconds (10 + 2 * count));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
