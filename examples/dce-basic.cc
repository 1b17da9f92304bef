// dce-basic: stock Debian programs on two simulated nodes, in simulated time.
//
// Node 0 prints the date at t=1 s, sleeps 5 simulated seconds (in ~0 wall time)
// and runs a shell pipeline; node 1 runs python3 and a bash loop.  Outputs:
//   files-0/var/log/<pid>/{cmdline,stdout,stderr,status}, files-1/..., exitprocs
//
//   ./build/dce/examples/dce-basic [--RngRun=N] [--out=DIR]
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/network-module.h"

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.Parse (argc, argv);

  NodeContainer nodes;
  nodes.Create (2);
  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.Install (nodes);

  DceApplicationHelper app;
  ApplicationContainer apps;

  app.SetBinary ("date");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (1.0));

  app.SetBinary ("sleep");
  app.AddArgument ("5");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (1.0));

  app.SetBinary ("sh");
  app.ResetArguments ();
  app.AddArguments ("-c", "seq 1 1000 | sort -rn | head -3; date");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (6.5));

  app.SetBinary ("python3");
  app.ResetArguments ();
  app.AddArguments ("-c", "import os, time, platform; "
                          "print(platform.node(), os.getpid(), time.strftime('%H:%M:%S'))");
  apps = app.Install (nodes.Get (1));
  apps.Start (Seconds (2.0));

  app.SetBinary ("bash");
  app.ResetArguments ();
  app.AddArguments ("-c", "for i in 1 2 3; do echo tick $i $(date +%s); sleep 1; done");
  apps = app.Install (nodes.Get (1));
  apps.Start (Seconds (3.0));

  Simulator::Stop (Seconds (100));
  Simulator::Run ();
  Simulator::Destroy ();
  std::cout << "dce-basic: done; outputs in " << out << "/files-0 and " << out
            << "/files-1 (var/log/<pid>/stdout) and " << out << "/exitprocs" << std::endl;
  return 0;
}
