// cradle.cc - ns-3's own applications on Linux-stack nodes (ns-3-dce's "DCE Cradle"):
// their sockets are the node's kernel's. Two Linux nodes on a 10 Mbit/s, 5 ms link:
//   node 0: BulkSend (ns3::TcpSocketFactory, 500,000 bytes) -> node 1 port 9
//           OnOff (ns3::LinuxUdpSocketFactory, 50 x 512 bytes) -> node 1 port 10
//           UdpEchoClient (3 echoes) -> node 1 port 7
//           nc (a real program) sends 20,000 bytes -> node 1 port 11
//   node 1: PacketSinks (ns3::LinuxTcpSocketFactory on 9 and 11, ns3::UdpSocketFactory
//           on 10), UdpEchoServer on 7; `ss -tn` shows the kernel's connections
// Prints what each application saw; the pcap shows the kernel's TCP.
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

static void
Echoed (Ptr<const Packet> p)
{
  std::cout << "echo reply " << p->GetSize () << " bytes at " << Simulator::Now ().GetSeconds ()
            << std::endl;
}

int
main (int argc, char *argv[])
{
  CommandLine cmd;
  cmd.Parse (argc, argv);
  NodeContainer nodes;
  nodes.Create (2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("10Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("5ms"));
  NetDeviceContainer devices = p2p.Install (nodes);
  DceManagerHelper dce;
  dce.SetNetworkStack ("ns3::LinuxSocketFdFactory", "Library", StringValue ("liblinux.so"));
  dce.Install (nodes);
  LinuxStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper address;
  address.SetBase ("10.1.1.0", "255.255.255.0");
  Ipv4InterfaceContainer ifs = address.Assign (devices);
  Ipv4Address server = ifs.GetAddress (1);

  BulkSendHelper bulk ("ns3::TcpSocketFactory", InetSocketAddress (server, 9));
  bulk.SetAttribute ("MaxBytes", UintegerValue (500000));
  ApplicationContainer a = bulk.Install (nodes.Get (0));
  a.Start (Seconds (1));
  OnOffHelper onoff ("ns3::LinuxUdpSocketFactory", InetSocketAddress (server, 10));
  onoff.SetConstantRate (DataRate ("409600bps"), 512);
  onoff.SetAttribute ("MaxBytes", UintegerValue (50 * 512));
  a = onoff.Install (nodes.Get (0));
  a.Start (Seconds (1));
  UdpEchoClientHelper echoClient (server, 7);
  echoClient.SetAttribute ("MaxPackets", UintegerValue (3));
  echoClient.SetAttribute ("Interval", TimeValue (Seconds (0.5)));
  echoClient.SetAttribute ("PacketSize", UintegerValue (100));
  a = echoClient.Install (nodes.Get (0));
  a.Start (Seconds (1));
  a.Get (0)->TraceConnectWithoutContext ("Rx", MakeCallback (&Echoed));
  UdpEchoServerHelper echoServer (7);
  echoServer.Install (nodes.Get (1)).Start (Seconds (0.5));

  PacketSinkHelper tcpSink ("ns3::LinuxTcpSocketFactory", InetSocketAddress (Ipv4Address::GetAny (), 9));
  PacketSinkHelper udpSink ("ns3::UdpSocketFactory", InetSocketAddress (Ipv4Address::GetAny (), 10));
  PacketSinkHelper ncSink ("ns3::LinuxTcpSocketFactory", InetSocketAddress (Ipv4Address::GetAny (), 11));
  ApplicationContainer sinks = tcpSink.Install (nodes.Get (1));
  sinks.Add (udpSink.Install (nodes.Get (1)));
  sinks.Add (ncSink.Install (nodes.Get (1)));
  sinks.Start (Seconds (0.5));

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("sh");
  app.AddArguments ("-c", "head -c 20000 /dev/zero | nc -q 1 10.1.1.2 11");
  app.Install (nodes.Get (0)).Start (Seconds (1.2));
  app.ResetArguments ();
  app.AddArguments ("-c", "ss -tn state established");
  app.Install (nodes.Get (1)).Start (Seconds (1.3));

  p2p.EnablePcap ("cradle", devices.Get (0), false);
  Simulator::Stop (Seconds (5));
  Simulator::Run ();
  const char *names[] = {"tcp sink (BulkSend)", "udp sink (OnOff)", "tcp sink (nc)"};
  for (uint32_t i = 0; i < sinks.GetN (); i++)
    std::cout << names[i] << " received " << DynamicCast<PacketSink> (sinks.Get (i))->GetTotalRx ()
              << " bytes" << std::endl;
  Simulator::Destroy ();
  return 0;
}
