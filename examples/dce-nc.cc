// dce-nc: stock netcat (netcat-openbsd) sends a file from node 0 to node 1 over a
// point-to-point link (100 Mbps, 1 ms); both sides print the file's SHA-256.
//
//   node 0 (10.1.1.1): head -c SIZE /dev/urandom > /tmp/send; nc -N 10.1.1.2 8080 < /tmp/send
//   node 1 (10.1.1.2): nc -l 8080 > /tmp/received
//
// Outputs: the sha256sum lines in files-0/var/log/1000/stdout and
// files-1/var/log/1000/stdout must be equal; files-1/tmp/received is the file.
//
//   ./build/dce/examples/dce-nc [--out=DIR] [--size=1000000]
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  uint32_t size = 1000000;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("size", "bytes to send", size);
  cmd.Parse (argc, argv);

  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("1ms"));
  NetDeviceContainer devs = p2p.Install (nodes);
  InternetStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper addr ("10.1.1.0", "255.255.255.0");
  addr.Assign (devs);

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.Install (nodes);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("sh");
  app.AddArguments ("-c", "nc -l 8080 > /tmp/received && sha256sum < /tmp/received");
  ApplicationContainer apps = app.Install (nodes.Get (1));
  apps.Start (Seconds (1.0));

  app.ResetArguments ();
  app.AddArguments ("-c", "head -c " + std::to_string (size) +
                              " /dev/urandom > /tmp/send && sha256sum < /tmp/send && "
                              "nc -N node1 8080 < /tmp/send");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (2.0));

  Simulator::Stop (Seconds (60));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
