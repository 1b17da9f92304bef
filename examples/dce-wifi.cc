// dce-wifi: the stock iperf3 between two stations of an ns-3 Wi-Fi network
// (802.11a, 54 Mbit/s, Yans channel with log-distance loss). Infrastructure mode by
// default: an access point (a plain ns-3 node) and two stations 5 m from it; the
// AP relays the stations' frames inside its BSS. --adhoc=1 puts the two stations in
// an ad-hoc network instead, 10 m apart.
//
//   sta 0 (10.1.1.1)  ~~~  AP (10.1.1.3)  ~~~  sta 1 (10.1.1.2)
//   iperf3 -c 10.1.1.2 -t TIME                  iperf3 -s -1
//
// Outputs: files-0/var/log/1000/stdout (client report), files-1/var/log/1000/stdout
// (server report); with --pcap=1, radiotap pcaps wifi-*.pcap of every device.
//
//   ./build/dce/examples/dce-wifi [--out=DIR] [--time=5] [--adhoc=0] [--udp=0] [--pcap=0]
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/wifi-module.h"
#include <sys/stat.h>

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  uint32_t time = 5;
  bool adhoc = false, udp = false, pcap = false;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps and exitprocs", out);
  cmd.AddValue ("time", "iperf3 -t seconds", time);
  cmd.AddValue ("adhoc", "ad-hoc network of the two stations instead of an AP's BSS", adhoc);
  cmd.AddValue ("udp", "iperf3 -u -b 30M instead of TCP", udp);
  cmd.AddValue ("pcap", "write radiotap pcaps", pcap);
  cmd.Parse (argc, argv);
  Config::SetDefault ("ns3::TcpSocket::SegmentSize", UintegerValue (1448));
  mkdir (out.c_str (), 0755);

  NodeContainer stas;
  stas.Create (2);
  NodeContainer ap;
  if (!adhoc)
    ap.Create (1);

  WifiHelper wifi;
  wifi.SetStandard (WIFI_STANDARD_80211a);
  wifi.SetRemoteStationManager ("ns3::ConstantRateWifiManager", "DataMode",
                                StringValue ("OfdmRate54Mbps"), "ControlMode",
                                StringValue ("OfdmRate24Mbps"));
  YansWifiChannelHelper channel = YansWifiChannelHelper::Default ();
  YansWifiPhyHelper phy;
  phy.SetChannel (channel.Create ());
  phy.SetPcapDataLinkType (WifiPhyHelper::DLT_IEEE802_11_RADIO);
  WifiMacHelper mac;
  NetDeviceContainer devs;
  Ssid ssid ("dce");
  if (adhoc)
    {
      mac.SetType ("ns3::AdhocWifiMac");
      devs = wifi.Install (phy, mac, stas);
    }
  else
    {
      mac.SetType ("ns3::StaWifiMac", "Ssid", SsidValue (ssid));
      devs = wifi.Install (phy, mac, stas);
      mac.SetType ("ns3::ApWifiMac", "Ssid", SsidValue (ssid));
      devs.Add (wifi.Install (phy, mac, ap));
    }

  MobilityHelper mobility;
  Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator> ();
  pos->Add (Vector (0, 0, 0));
  pos->Add (Vector (10, 0, 0));
  pos->Add (Vector (5, 0, 0)); // the AP, between the stations
  mobility.SetPositionAllocator (pos);
  mobility.SetMobilityModel ("ns3::ConstantPositionMobilityModel");
  mobility.Install (stas);
  mobility.Install (ap);

  InternetStackHelper stack;
  stack.Install (stas);
  stack.Install (ap);
  Ipv4AddressHelper addr ("10.1.1.0", "255.255.255.0");
  addr.Assign (devs);
  if (pcap)
    phy.EnablePcap (out + "/wifi", devs);

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  dce.Install (stas);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("iperf3");
  app.AddArguments ("-s", "-1");
  ApplicationContainer apps = app.Install (stas.Get (1));
  apps.Start (Seconds (1.0));

  app.ResetArguments ();
  app.AddArguments ("-c", "10.1.1.2", "-t", std::to_string (time));
  if (udp)
    app.AddArguments ("-u", "-b", "30M");
  apps = app.Install (stas.Get (0));
  apps.Start (Seconds (2.0));

  Simulator::Stop (Seconds (time + 30));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
