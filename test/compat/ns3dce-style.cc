// ns3dce-style.cc - a scenario written against ns-3-dce 1.12's helper API, as its
// users wrote them (test/compat compiles it unchanged against the installed dce
// through pkg-config). Two experiments:
//   --linux=0  two nodes on ns-3's stack: ping, a process ending with status 3,
//              ProcStatus, the finished callback and the ProcessStarted trace.
//   --linux=1  three Linux-stack nodes in a line, addressed with Ipv4AddressHelper
//              and routed by ns-3's global routing copied into the kernels, ping
//              across the router, sysctl read back asynchronously; no
//              Simulator::Stop: the run ends when the programs are done.
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/internet-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/helper-module.h"
#include "ns3/dce-module.h"
#include "ns3/dce-manager-helper.h"
#include "ns3/dce-application-helper.h"
#include "ns3/linux-stack-helper.h"
#include "ns3/ipv4-dce-routing-helper.h"
#include <iostream>
#include <sstream>

using namespace ns3;

static void
Finished (uint16_t pid, int status)
{
  std::cout << "finished pid " << pid << " status " << status << " at "
            << Simulator::Now ().GetSeconds () << std::endl;
}

static void
Started (uint16_t pid)
{
  std::cout << "started pid " << pid << " at " << Simulator::Now ().GetSeconds () << std::endl;
}

static void
PrintSysctl (std::string key, std::string value)
{
  std::cout << "sysctl " << key << " => " << value;
}

static void
Ns3Stack ()
{
  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("5Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("1ms"));
  NetDeviceContainer devices = p2p.Install (nodes);

  InternetStackHelper stack;
  Ipv4DceRoutingHelper ipv4RoutingHelper;
  stack.SetRoutingHelper (ipv4RoutingHelper);
  stack.Install (nodes);
  Ipv4AddressHelper address;
  address.SetBase ("10.1.1.0", "255.255.255.252");
  Ipv4InterfaceContainer interfaces = address.Assign (devices);

  DceManagerHelper dceManager;
  dceManager.SetTaskManagerAttribute ("FiberManagerType", StringValue ("UcontextFiberManager"));
  dceManager.SetLoader ("ns3::DlmLoaderFactory");
  dceManager.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  dceManager.SetVirtualPath ("/usr/bin:/bin");
  dceManager.Install (nodes);

  DceApplicationHelper dce;
  ApplicationContainer apps;
  dce.SetStackSize (1 << 20);
  dce.SetUid (0);
  dce.SetEuid (0);
  dce.SetFinishedCallback (MakeCallback (&Finished));

  dce.SetBinary ("ping");
  dce.ResetArguments ();
  dce.ResetEnvironment ();
  dce.AddArgument ("-c");
  dce.AddArgument ("2");
  dce.AddArgument ("10.1.1.2");
  apps = dce.Install (nodes.Get (0));
  apps.Get (0)->TraceConnectWithoutContext ("ProcessStarted", MakeCallback (&Started));
  apps.Start (Seconds (1.0));

  dce.SetBinary ("sh");
  dce.ResetArguments ();
  dce.ParseArguments ("-c");
  dce.AddArguments ("echo $0 $1 $2 $3 $4 $5 $6 $7 $8 $9; exit 3", "a1", "a2", "a3", "a4", "a5",
                    "a6", "a7", "a8", "a9");
  dce.AddEnvironment ("LC_ALL", "C");
  apps = dce.Install (nodes.Get (1));
  apps.Start (Seconds (2.0));

  /* a program started as an ordinary user */
  dce.SetBinary ("sh");
  dce.ResetArguments ();
  dce.ResetEnvironment ();
  dce.AddArguments ("-c", "echo ids $(id -u) $(id -g) $(id -u -r); : > /etc/only-root");
  dce.SetUid (1000);
  dce.SetGid (1000);
  apps = dce.Install (nodes.Get (1));
  apps.Start (Seconds (3.0));

  Simulator::Stop (Seconds (10.0));
  Simulator::Run ();
  for (const ProcStatus &st : DceManagerHelper::GetProcStatus ())
    std::cout << "procstatus node " << st.GetNode () << " pid " << st.GetPid () << " exit "
              << st.GetExitCode () << " start " << st.GetSimulatedStartTime () << " end "
              << st.GetSimulatedEndTime () << " cmd " << st.GetCmdLine () << std::endl;
  Simulator::Destroy ();
}

static void
LinuxStack (const std::string &cc)
{
  NodeContainer nodes;
  nodes.Create (3);
  NodeContainer left (nodes.Get (0), nodes.Get (1)), right (nodes.Get (1), nodes.Get (2));
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("10Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("2ms"));
  NetDeviceContainer d1 = p2p.Install (left);
  NetDeviceContainer d2 = p2p.Install (right);

  // ns-3-dce accepted the stack before DceManagerHelper::Install
  LinuxStackHelper stack;
  stack.Install (nodes);
  DceManagerHelper dceManager;
  dceManager.SetTaskManagerAttribute ("FiberManagerType", StringValue ("UcontextFiberManager"));
  dceManager.SetNetworkStack ("ns3::LinuxSocketFdFactory", "Library", StringValue ("liblinux.so"));
  dceManager.Install (nodes);

  Ipv4AddressHelper address;
  address.SetBase ("10.1.1.0", "255.255.255.0");
  Ipv4InterfaceContainer i1 = address.Assign (d1);
  address.SetBase ("10.1.2.0", "255.255.255.0");
  Ipv4InterfaceContainer i2 = address.Assign (d2);
  std::cout << "addresses " << i1.GetAddress (0) << " " << i2.GetAddress (1) << std::endl;
  Ipv4GlobalRoutingHelper::PopulateRoutingTables ();
  LinuxStackHelper::PopulateRoutingTables ();
  stack.SysctlSet (nodes, ".net.ipv4.ip_forward", "1");
  stack.SysctlSet (nodes, ".net.ipv4.tcp_congestion_control", cc);
  stack.SysctlSet (nodes, ".net.mptcp.mptcp_enabled", "1"); // net-next-nuse's key: skipped
  LinuxStackHelper::SysctlGet (nodes.Get (0), Seconds (1.0), ".net.ipv4.tcp_congestion_control",
                               &PrintSysctl);
  LinuxStackHelper::RunIp (nodes.Get (0), Seconds (0.5), "-o link show dev sim0");
  LinuxStackHelper::RunIp (nodes.Get (0), Seconds (0.6), "route show");

  DceApplicationHelper dce;
  dce.SetStackSize (1 << 20);
  dce.SetBinary ("ping");
  dce.ResetArguments ();
  dce.ParseArguments ("-c 2 -n 10.1.2.2");
  ApplicationContainer apps = dce.Install (nodes.Get (0));
  apps.Start (Seconds (2.0));
  // no Simulator::Stop: the kernels' timers would keep it going forever
  Simulator::Run ();
  std::cout << "ended at " << Simulator::Now ().GetSeconds () << std::endl;
  Simulator::Destroy ();
}

// Ipv6AddressHelper on two Linux-stack nodes: the addresses reach the kernels (an
// ns3::Ipv6Linux aggregated by LinuxStackHelper), the container answers, ping -6 works.
static void
LinuxIpv6 ()
{
  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetChannelAttribute ("Delay", StringValue ("2ms"));
  NetDeviceContainer d = p2p.Install (nodes);
  DceManagerHelper dceManager;
  dceManager.SetNetworkStack ("ns3::LinuxSocketFdFactory", "Library", StringValue ("liblinux.so"));
  dceManager.Install (nodes);
  LinuxStackHelper stack;
  stack.Install (nodes);
  Ipv6AddressHelper address6;
  address6.SetBase (Ipv6Address ("2001:db8:1::"), Ipv6Prefix (64));
  Ipv6InterfaceContainer i = address6.Assign (d);
  std::cout << "ipv6 " << i.GetAddress (0, 0) << " " << i.GetAddress (0, 1) << " "
            << i.GetAddress (1, 1) << std::endl;
  LinuxStackHelper::RunIp (nodes.Get (0), Seconds (0.5), "-6 -o addr show dev sim0 scope global");
  DceApplicationHelper dce;
  dce.SetStackSize (1 << 20);
  dce.SetBinary ("ping");
  dce.ResetArguments ();
  std::ostringstream dst;
  dst << i.GetAddress (1, 1);
  dce.ParseArguments ("-6 -c 2 -n " + dst.str ());
  dce.Install (nodes.Get (0)).Start (Seconds (3.0)); // after IPv6 duplicate address detection
  Simulator::Stop (Seconds (10.0));
  Simulator::Run ();
  Simulator::Destroy ();
}

// Mistakes a user makes: each must end the run with one line saying what to do.
static void
Bad (std::string what)
{
  NodeContainer nodes;
  nodes.Create (1);
  DceManagerHelper dceManager;
  if (what == "fiber")
    dceManager.SetTaskManagerAttribute ("FiberManagerType", StringValue ("GreenFiberManager"));
  if (what == "freebsd")
    dceManager.SetNetworkStack ("ns3::FreeBSDSocketFdFactory", "Library",
                                StringValue ("libfreebsd.so"));
  if (what == "nodce")
    {
      LinuxStackHelper stack;
      stack.Install (nodes); // and never DceManagerHelper::Install
    }
  Simulator::Run ();
  Simulator::Destroy ();
}

int
main (int argc, char *argv[])
{
  bool useLinux = false, ipv6 = false;
  std::string bad, cc = "reno";
  CommandLine cmd;
  cmd.AddValue ("cc", "the congestion control SysctlSet asks for (Linux stack)", cc);
  cmd.AddValue ("linux", "Linux-stack nodes instead of ns-3's stack", useLinux);
  cmd.AddValue ("ipv6", "Ipv6AddressHelper on Linux-stack nodes", ipv6);
  cmd.AddValue ("bad", "a mistake to make: fiber, freebsd, nodce", bad);
  cmd.Parse (argc, argv);
  if (!bad.empty ())
    Bad (bad);
  else if (ipv6)
    LinuxIpv6 ();
  else if (useLinux)
    LinuxStack (cc);
  else
    Ns3Stack ();
  return 0;
}
