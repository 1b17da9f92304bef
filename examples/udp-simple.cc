// udp-simple: a small UDP echo server and client of our own on one node, over
// ns-3's loopback (DCE's quick start).
//
// The server (node 0, t=1 s) echoes 5 datagrams; the client (same node, t=2 s)
// sends them to 127.0.0.1:2000 and checks each echo. Outputs:
//   files-0/var/log/1000/stdout   server: "server got 7 bytes from 127.0.0.1: hello 0" ...
//   files-0/var/log/1001/stdout   client: "client echo 0: hello 0" ... "client: 5/5 echoes"
//
//   ./build/dce/examples/udp-simple [--out=DIR] [--programs=build/dce/test-programs]
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  std::string programs = "build/dce/test-programs";
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("programs", "host directory holding net-udp", programs);
  cmd.Parse (argc, argv);
  char abs[4096];
  if (realpath (programs.c_str (), abs))
    programs = abs;

  NodeContainer nodes;
  nodes.Create (1);
  InternetStackHelper stack;
  stack.Install (nodes);

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  dce.Install (nodes);
  dce.MapHostPath (programs);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary (programs + "/net-udp");
  app.AddArguments ("server", "2000", "5");
  ApplicationContainer apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (1.0));

  app.ResetArguments ();
  app.AddArguments ("client", "127.0.0.1", "2000", "5");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (2.0));

  Simulator::Stop (Seconds (30));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
