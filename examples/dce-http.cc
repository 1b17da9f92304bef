// dce-http: the stock Debian web server lighttpd on one node and the stock curl on
// another, three hops apart through two ns-3 routers (plain ns-3 nodes, global
// routing); curl fetches a page and both sides print its SHA-256.
//
//   client (node 0)      router (1)      router (2)      server (node 3)
//   10.1.1.1 ---------- 10.1.1.2 | 10.1.2.1 ------- 10.1.2.2 | 10.1.3.1 ---------- 10.1.3.2
//   curl http://server/index.html        (100 Mbps, 5 ms per link)     lighttpd -D
//
// The server's shell writes /var/www/html/index.html (SIZE bytes of base64 from the
// node's seeded /dev/urandom) and /etc/lighttpd/lighttpd.conf, prints the page's
// hash, and runs lighttpd in the foreground. The client resolves "server" through
// files-0/etc/hosts (written by DceManagerHelper), fetches the page to /tmp/page
// and prints its hash. Outputs: files-3/var/log/1000/stdout (served page's hash),
// files-0/var/log/1000/stdout (fetched page's hash, then curl's -w summary),
// files-3/var/log/lighttpd/access.log, pcaps http-*.pcap with --pcap=1.
//
//   ./build/dce/examples/dce-http [--out=DIR] [--size=1000000] [--pcap=0]
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include <sys/stat.h>

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".";
  uint32_t size = 1000000;
  bool pcap = false;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("size", "bytes of random data in the page (before base64)", size);
  cmd.AddValue ("pcap", "write pcaps of every link", pcap);
  cmd.Parse (argc, argv);
  Config::SetDefault ("ns3::TcpSocket::SegmentSize", UintegerValue (1448));
  mkdir (out.c_str (), 0755); // the pcaps are opened before dce creates it

  NodeContainer nodes;
  nodes.Create (4);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  p2p.SetChannelAttribute ("Delay", StringValue ("5ms"));
  InternetStackHelper stack;
  stack.Install (nodes);
  Ipv4AddressHelper addr;
  for (uint32_t i = 0; i < 3; i++)
    {
      NetDeviceContainer d = p2p.Install (nodes.Get (i), nodes.Get (i + 1));
      addr.SetBase (("10.1." + std::to_string (i + 1) + ".0").c_str (), "255.255.255.0");
      addr.Assign (d);
    }
  Ipv4GlobalRoutingHelper::PopulateRoutingTables ();
  if (pcap)
    p2p.EnablePcapAll (out + "/http", false);

  // dce runs programs on the two end nodes; the routers are plain ns-3 nodes
  NodeContainer ends (nodes.Get (0), nodes.Get (3));
  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
  dce.SetNodeName (nodes.Get (0), "client");
  dce.SetNodeName (nodes.Get (3), "server");
  dce.Install (ends);

  const std::string conf =
      "server.document-root = \"/var/www/html\"\n"
      "server.port = 80\n"
      "server.errorlog = \"/var/log/lighttpd/error.log\"\n"
      "server.modules = (\"mod_accesslog\")\n"
      "accesslog.filename = \"/var/log/lighttpd/access.log\"\n"
      "index-file.names = (\"index.html\")\n"
      "mimetype.assign = (\".html\" => \"text/html\")\n";
  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  app.SetBinary ("sh");
  app.AddArguments ("-c", "mkdir -p /var/www/html /etc/lighttpd /var/log/lighttpd /var/tmp && "
                          "head -c " + std::to_string (size) +
                          " /dev/urandom | base64 > /var/www/html/index.html && "
                          "sha256sum < /var/www/html/index.html && printf '" + conf +
                          "' > /etc/lighttpd/lighttpd.conf && "
                          "exec lighttpd -D -f /etc/lighttpd/lighttpd.conf");
  ApplicationContainer apps = app.Install (nodes.Get (3));
  apps.Start (Seconds (1.0));

  app.ResetArguments ();
  app.AddArguments ("-c", "curl -sS -o /tmp/page -w '%{http_code} %{size_download} bytes "
                          "%{time_total}s\\n' http://server/index.html > /tmp/curl.txt && "
                          "sha256sum < /tmp/page && cat /tmp/curl.txt");
  apps = app.Install (nodes.Get (0));
  apps.Start (Seconds (2.0));

  Simulator::Stop (Seconds (30));
  Simulator::Run ();
  Simulator::Destroy ();
  return 0;
}
