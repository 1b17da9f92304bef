// dce-linux-iperf3: stock Debian iperf3 over the real Linux 6.1 TCP (the kernel
// library, advanced mode), one pair of nodes per congestion control, each pair on
// its own identical bottleneck link (100 Mbit/s, 10 ms, a 100-packet drop-tail
// queue by default). The client node picks its congestion control with the stock
// sysctl program, as on a real machine:
//
//   node 0 (10.1.1.1, cubic) ---- 100 Mbit/s, 10 ms ---- node 1 (10.1.1.2)
//   node 2 (10.1.2.1, bbr)   ---- 100 Mbit/s, 10 ms ---- node 3 (10.1.2.2)
//   on 0 and 2: sysctl -w net.ipv4.tcp_congestion_control=<cc>
//               iperf3 -c <server> -t 10 -i 0.5 -C <cc>
//   on 1 and 3: iperf3 -s -1
//
// Outputs in --out: files-N/var/log/<pid>/stdout (iperf3's reports: throughput,
// retransmits and the kernel's cwnd every 0.5 s), files-N/var/log/messages (each
// kernel's log), pcaps linux-iperf3-N-1.pcap, and cc.dat + cc.png: throughput and
// cwnd over time of every congestion control (the PNG needs gnuplot). It prints
// one summary line per congestion control:
//   cc cubic: 93.4 Mbit/s, 12 retransmits, max cwnd 1.23 MBytes
//
//   ./build/dce/examples/dce-linux-iperf3 [--out=DIR] [--cc=cubic,bbr] [--rate=100Mbps]
//        [--delay=10ms] [--queue=100] [--time=10] [--ipv6=0] [--pcap=1] [--plot=1]
// The kernel library: $DCE_LINUX_LIBRARY, else build/install/lib/liblinux-6.1.so
// (bake deploy of dce-linux-dev puts it there).
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>

using namespace ns3;

namespace {
struct Sample
{
  double t, mbps, cwndKB;
};

// iperf3's interval lines: "[  5]   0.00-0.50   sec  5.12 MBytes  85.9 Mbits/sec  0  345 KBytes"
std::vector<Sample>
ParseIperf (const std::string &path, double *total, int *retrans)
{
  std::vector<Sample> s;
  std::ifstream in (path);
  std::string line;
  *total = 0;
  *retrans = 0;
  while (std::getline (in, line))
    {
      double a, b, amount, rate, cwnd;
      char unit[16], runit[16], cunit[16];
      int retr;
      if (sscanf (line.c_str (), "[%*d] %lf-%lf sec %lf %15s %lf %15s %d %lf %15s", &a, &b, &amount,
                  unit, &rate, runit, &retr, &cwnd, cunit) == 9)
        {
          double r = rate * (runit[0] == 'G' ? 1000 : runit[0] == 'K' ? 0.001 : 1);
          double c = cwnd * (cunit[0] == 'M' ? 1024 : cunit[0] == 'G' ? 1048576 : 1);
          if (b - a < 5) // per-interval lines, not the summary
            s.push_back ({b, r, c});
        }
      else if (line.find ("sender") != std::string::npos &&
               sscanf (line.c_str (), "[%*d] %lf-%lf sec %lf %15s %lf %15s %d", &a, &b, &amount,
                       unit, &rate, runit, &retr) == 7)
        {
          *total = rate * (runit[0] == 'G' ? 1000 : runit[0] == 'K' ? 0.001 : 1);
          *retrans = retr;
        }
    }
  return s;
}

std::string
ClientStdout (const std::string &out, uint32_t node, const std::string &program)
{
  // the client is the second process started on its node (after sysctl)
  std::ifstream ex (out + "/exitprocs");
  std::string line, path;
  while (std::getline (ex, line))
    {
      std::istringstream f (line);
      uint32_t n;
      int pid;
      std::string rest;
      if (!(f >> n >> pid))
        continue;
      std::getline (f, rest);
      if (n == node && rest.find (program) != std::string::npos)
        path = out + "/files-" + std::to_string (node) + "/var/log/" + std::to_string (pid) +
               "/stdout";
    }
  return path;
}
} // namespace

int
main (int argc, char *argv[])
{
  std::string out = ".", ccs = "cubic,bbr", rate = "100Mbps", delay = "10ms";
  uint32_t time = 10, queue = 100;
  bool ipv6 = false, pcap = true, plot = true;
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/, pcaps, exitprocs and the plot", out);
  cmd.AddValue ("cc", "congestion controls, one pair of nodes each (comma-separated)", ccs);
  cmd.AddValue ("rate", "bottleneck data rate", rate);
  cmd.AddValue ("delay", "link delay (one way)", delay);
  cmd.AddValue ("queue", "bottleneck queue (packets)", queue);
  cmd.AddValue ("time", "iperf3 -t seconds", time);
  cmd.AddValue ("ipv6", "run iperf3 over IPv6", ipv6);
  cmd.AddValue ("pcap", "write pcaps of the links", pcap);
  cmd.AddValue ("plot", "write cc.dat and cc.png (gnuplot) at the end", plot);
  cmd.Parse (argc, argv);

  std::vector<std::string> cc;
  std::stringstream ss (ccs);
  for (std::string c; std::getline (ss, c, ',');)
    if (!c.empty ())
      cc.push_back (c);
  NS_ABORT_MSG_IF (cc.empty (), "--cc needs at least one congestion control");

  NodeContainer nodes;
  nodes.Create (2 * cc.size ());
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute ("DataRate", StringValue (rate));
  p2p.SetChannelAttribute ("Delay", StringValue (delay));
  p2p.SetQueue ("ns3::DropTailQueue", "MaxSize", StringValue (std::to_string (queue) + "p"));
  std::vector<NetDeviceContainer> links;
  for (size_t i = 0; i < cc.size (); i++)
    links.push_back (p2p.Install (nodes.Get (2 * i), nodes.Get (2 * i + 1)));

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetNetworkStack ("ns3::LinuxSocketFdFactory");
  dce.Install (nodes);
  LinuxStackHelper stack;
  stack.Install (nodes);

  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  for (size_t i = 0; i < cc.size (); i++)
    {
      Ptr<Node> client = nodes.Get (2 * i), server = nodes.Get (2 * i + 1);
      std::string net = "10.1." + std::to_string (i + 1) + ".0";
      std::vector<std::string> v4 = LinuxStackHelper::AssignIpv4 (links[i], net, "255.255.255.0");
      std::vector<std::string> v6 = LinuxStackHelper::AssignIpv6 (
          links[i], "2001:db8:" + std::to_string (i + 1) + "::", 64);

      app.SetBinary ("sysctl");
      app.ResetArguments ();
      app.AddArguments ("-w", "net.ipv4.tcp_congestion_control=" + cc[i]);
      app.Install (client).Start (Seconds (0.5));

      app.SetBinary ("iperf3");
      app.ResetArguments ();
      app.AddArguments ("-s", "-1");
      app.Install (server).Start (Seconds (1.0));

      app.ResetArguments ();
      app.AddArguments ("-c", ipv6 ? v6[1] : v4[1], "-t", std::to_string (time), "-i", "0.5");
      app.AddArguments ("-C", cc[i]);
      app.Install (client).Start (Seconds (2.0));
    }
  if (pcap)
    p2p.EnablePcapAll (out + "/linux-iperf3", false);

  Simulator::Stop (Seconds (time + 30));
  Simulator::Run ();
  Simulator::Destroy ();

  std::ofstream dat (out + "/cc.dat");
  std::map<std::string, std::vector<Sample>> series;
  for (size_t i = 0; i < cc.size (); i++)
    {
      std::string path = ClientStdout (out, 2 * i, "iperf3 -c");
      double total;
      int retrans;
      std::vector<Sample> s = ParseIperf (path, &total, &retrans);
      double maxCwnd = 0;
      dat << "# " << cc[i] << ": time (s), throughput (Mbit/s), cwnd (KBytes)\n";
      for (const Sample &x : s)
        {
          dat << x.t << " " << x.mbps << " " << x.cwndKB << "\n";
          maxCwnd = std::max (maxCwnd, x.cwndKB);
        }
      dat << "\n\n";
      printf ("cc %s: %.1f Mbit/s, %d retransmits, max cwnd %.0f KBytes, %zu samples\n",
              cc[i].c_str (), total, retrans, maxCwnd, s.size ());
    }
  dat.close ();
  if (plot)
    {
      std::ofstream gp (out + "/cc.gp");
      gp << "set terminal png size 1000,700\nset output '" << out << "/cc.png'\n"
         << "set multiplot layout 2,1 title 'iperf3 over Linux 6.1 TCP in dce: " << rate << ", "
         << delay << ", " << queue << "-packet queue'\n"
         << "set xlabel 'time (s)'\nset ylabel 'throughput (Mbit/s)'\nset key bottom right\n"
         << "plot ";
      for (size_t i = 0; i < cc.size (); i++)
        gp << (i ? ", " : "") << "'" << out << "/cc.dat' index " << i
           << " using 1:2 with linespoints title '" << cc[i] << "'";
      gp << "\nset ylabel 'cwnd (KBytes)'\nplot ";
      for (size_t i = 0; i < cc.size (); i++)
        gp << (i ? ", " : "") << "'" << out << "/cc.dat' index " << i
           << " using 1:3 with linespoints title '" << cc[i] << "'";
      gp << "\nunset multiplot\n";
      gp.close ();
      int st = system (("gnuplot '" + out + "/cc.gp' 2>/dev/null").c_str ());
      if (st == 0)
        printf ("plot: %s/cc.png\n", out.c_str ());
      else
        printf ("plot: not drawn (gnuplot missing: apt-get install gnuplot-nox); data in %s/cc.dat\n",
                out.c_str ());
    }
  return 0;
}
