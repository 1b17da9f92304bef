// dce-iperf3: the stock Debian iperf3 as server and client on two nodes joined by
// a point-to-point link (10 Mbps, 2 ms by default), over ns-3's TCP/IP stack.
//
//   node 0 (10.1.1.1)  ------ 10 Mbps, 2 ms ------  node 1 (10.1.1.2)
//   iperf3 -c 10.1.1.2 -t 10                         iperf3 -s -1
//
// Outputs: files-0/var/log/<pid>/stdout (client report), files-1/... (server),
// pcaps iperf3-0-0.pcap and iperf3-1-0.pcap in --out. With --bulksend=1 a second,
// identical pair of nodes (2, 3) runs ns-3's own BulkSendApplication for the
// same time, and its goodput is printed ("bulksend: N Mbit/s"), to compare;
// --dce=0 leaves the iperf3 pair out (BulkSend alone, for the benchmark). At the
// end the example prints the packets sent on the links ("packets: N").
//
//   ./build/dce/examples/dce-iperf3 [--out=DIR] [--rate=10Mbps] [--delay=2ms]
//        [--time=10] [--pcap=1] [--bulksend=0] [--dce=1] [--udp=0]
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

namespace {
Ptr<PacketSink> g_sink;
double g_sinkStart = 0;
uint64_t g_packets = 0;

void
CountPacket (Ptr<const Packet>)
{
  g_packets++;
}

void
MarkSinkStart ()
{
  g_sinkStart = g_sink->GetTotalRx ();
}
} // namespace

int
main (int argc, char *argv[])
{
  std::string out = ".", rate = "10Mbps", delay = "2ms";
  uint32_t time = 10;
  bool pcap = true, bulksend = false, udp = false, withDce = true;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps and exitprocs", out);
  cmd.AddValue ("rate", "link data rate", rate);
  cmd.AddValue ("delay", "link delay", delay);
  cmd.AddValue ("time", "iperf3 -t seconds", time);
  cmd.AddValue ("pcap", "write pcaps of the iperf3 link", pcap);
  cmd.AddValue ("bulksend", "also run ns-3's BulkSend on an identical link", bulksend);
  cmd.AddValue ("dce", "run the iperf3 pair (0: only BulkSend, with --bulksend=1)", withDce);
  cmd.AddValue ("udp", "iperf3 -u (UDP at the link rate) instead of TCP", udp);
  cmd.Parse (argc, argv);
  // Linux's MSS on Ethernet for every TCP socket, dce's and BulkSend's alike
  Config::SetDefault ("ns3::TcpSocket::SegmentSize", UintegerValue (1448));

  NodeContainer nodes;
  nodes.Create (bulksend ? 4 : 2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue (rate));
  p2p.SetChannelAttribute ("Delay", StringValue (delay));
  NetDeviceContainer devs = p2p.Install (nodes.Get (0), nodes.Get (1));
  InternetStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper addr ("10.1.1.0", "255.255.255.0");
  Ipv4InterfaceContainer ifs = addr.Assign (devs);

  if (withDce)
    {
      DceManagerHelper dce;
      dce.SetAttribute ("OutputDirectory", StringValue (out));
      dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
      dce.Install (NodeContainer (nodes.Get (0), nodes.Get (1)));

      DceApplicationHelper app;
      app.SetStackSize (1 << 20);
      app.SetBinary ("iperf3");
      app.AddArguments ("-s", "-1");
      ApplicationContainer apps = app.Install (nodes.Get (1));
      apps.Start (Seconds (1.0));

      app.ResetArguments ();
      app.AddArguments ("-c", "10.1.1.2", "-t", std::to_string (time));
      if (udp)
        app.AddArguments ("-u", "-b", rate);
      apps = app.Install (nodes.Get (0));
      apps.Start (Seconds (2.0));
    }
  if (pcap)
    p2p.EnablePcap (out + "/iperf3", devs, false);

  if (bulksend)
    {
      // ns-3's own TCP sender on a twin link, same start and duration
      NetDeviceContainer d2 = p2p.Install (nodes.Get (2), nodes.Get (3));
      Ipv4AddressHelper a2 ("10.2.2.0", "255.255.255.0");
      Ipv4InterfaceContainer i2 = a2.Assign (d2);
      BulkSendHelper bulk ("ns3::TcpSocketFactory", InetSocketAddress (i2.GetAddress (1), 5201));
      ApplicationContainer b = bulk.Install (nodes.Get (2));
      b.Start (Seconds (2.0));
      b.Stop (Seconds (2.0 + time));
      PacketSinkHelper sink ("ns3::TcpSocketFactory", InetSocketAddress (Ipv4Address::GetAny (), 5201));
      ApplicationContainer s = sink.Install (nodes.Get (3));
      s.Start (Seconds (1.0));
      g_sink = DynamicCast<PacketSink> (s.Get (0));
      // goodput over the same window iperf3 reports: from the first byte to the end
      Simulator::Schedule (Seconds (2.0), &MarkSinkStart);
    }
  Config::ConnectWithoutContext ("/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/PhyTxEnd",
                                 MakeCallback (&CountPacket));
  Simulator::Stop (Seconds (time + 30));
  Simulator::Run ();
  std::cout << "packets: " << g_packets << std::endl;
  if (bulksend)
    std::cout << "bulksend: " << (g_sink->GetTotalRx () - g_sinkStart) * 8.0 / time / 1e6
              << " Mbit/s" << std::endl;
  Simulator::Destroy ();
  return 0;
}
