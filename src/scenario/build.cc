// build.cc - dce_scenario_run: the checked scenario becomes ns-3 objects through
// ns-3's helpers and dce's (DceManagerHelper, DceApplicationHelper,
// LinuxStackHelper), in the order an ns-3 script would create them (devices,
// stacks, addresses, dce, routes, programs, pcaps), then runs.
#include "model.h"
#include "scenario.h"

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "../ns3/helper/dce-application-helper.h"
#include "../ns3/helper/dce-manager-helper.h"
#include "../ns3/helper/linux-stack-helper.h"
#include "../ns3/model/dce-application.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"
#include "ns3/wifi-module.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
#include "../core/dce.h"
#include "../libc-ns3/net/kstack.h"
}
#include "../mpi/dce-mpi.h"
#include "../mpi/pcap-order.h"

using namespace ns3;
using dce_scenario_model::Addr4;
using dce_scenario_model::Addr6;
using dce_scenario_model::Fail;
using dce_scenario_model::KV;
using dce_scenario_model::kExpectAny;
using dce_scenario_model::kExpectSignal;
using dce_scenario_model::Link;
using dce_scenario_model::Proc;
using dce_scenario_model::Route;
using dce_scenario_model::Show;
using dce_scenario_model::V6;
using SNode = dce_scenario_model::Node; // ns3::Node is the other one

namespace {

// A node's sysctl from the scenario, written into its kernel; what the kernel's
// build lacks (the key, or a value such as a congestion control that is not built
// in) is a one-line error naming it and where to add it.
int
SetSysctl (dce_scenario *s, const SNode &n, uint32_t id, const KV &kv)
{
  int r = dce_kstack_sysctl_set (id, kv.first.c_str (), kv.second.c_str ());
  if (r == 0)
    return 0;
  const char *rel = dce_kstack_release (id);
  std::string linux = std::string ("Linux ") + (rel ? rel : "?");
  char buf[512];
  if (dce_kstack_sysctl_get (id, kv.first.c_str (), buf, sizeof buf) == -ENOENT)
    return Fail (s, n.where, "node " + n.name + ": sysctl " + kv.first + " does not exist in " + linux +
                                 " (not built in: enable its option in src/kernel/dce_defconfig and rebuild, "
                                 "or drop the line)");
  std::string hint;
  if (kv.first == "net.ipv4.tcp_congestion_control" &&
      dce_kstack_sysctl_get (id, "net.ipv4.tcp_available_congestion_control", buf, sizeof buf) == 0)
    hint = " (built: " + std::string (buf) +
           "; others need their CONFIG_TCP_CONG_ option in src/kernel/dce_defconfig)";
  return Fail (s, n.where, "node " + n.name + ": " + linux + " refuses sysctl " + kv.first + " = " + kv.second +
                               ": " + std::strerror (-r) + hint);
}

int
MakeDirs (const std::string &path)
{
  for (size_t i = 1; i <= path.size (); i++)
    if (i == path.size () || path[i] == '/')
      {
        std::string d = path.substr (0, i);
        if (mkdir (d.c_str (), 0755) && errno != EEXIST)
          return -1;
      }
  return 0;
}

Ipv6Address
V6Address (V6 a)
{
  return Ipv6Address (a.b.data ());
}

struct Built
{
  NodeContainer nodes;
  std::vector<NetDeviceContainer> linkDevs;  // per link, in its nodes' order
  std::vector<std::vector<Ptr<NetDevice>>> nodeDevs; // per node, in its links' order
  std::vector<PointToPointHelper> p2p;
  std::vector<CsmaHelper> csma;
  std::vector<YansWifiPhyHelper> wifi;
  std::vector<int> helperOf; // link -> index in its kind's vector
  std::vector<bool> owned;   // node runs on this rank (every node in a one-process run)
  bool ordered = false;      // p2p pcaps with one order of simultaneous records (src/mpi/pcap-order.cc)
};

void
EnablePcap (dce_scenario *s, Built &b, int link, Ptr<NetDevice> dev)
{
  const Link &l = s->links[link];
  std::string prefix = s->out + "/" + (l.kind == "wifi" ? "wifi" : l.kind);
  int h = b.helperOf[link];
  if (l.kind == "p2p" && b.ordered)
    DceOrderedP2pPcap (prefix, dev); // a distributed run: the same records, in one order
  else if (l.kind == "p2p")
    b.p2p[h].EnablePcap (prefix, dev, false);
  else if (l.kind == "csma")
    b.csma[h].EnablePcap (prefix, dev, false);
  else
    b.wifi[h].EnablePcap (prefix, dev, false);
}

void
BuildLinks (dce_scenario *s, Built &b)
{
  Ssid ssid ("dce");
  for (size_t li = 0; li < s->links.size (); li++)
    {
      const Link &l = s->links[li];
      NodeContainer members;
      for (int v : l.nodes)
        members.Add (b.nodes.Get (v));
      NetDeviceContainer devs;
      if (l.kind == "p2p")
        {
          PointToPointHelper p2p;
          p2p.SetDeviceAttribute ("DataRate", StringValue (l.rate));
          p2p.SetChannelAttribute ("Delay", StringValue (l.delay));
          if (!l.queue.empty ())
            p2p.SetQueue ("ns3::DropTailQueue", "MaxSize", StringValue (l.queue));
          devs = p2p.Install (members);
          b.helperOf.push_back ((int)b.p2p.size ());
          b.p2p.push_back (p2p);
        }
      else if (l.kind == "csma")
        {
          CsmaHelper csma;
          csma.SetChannelAttribute ("DataRate", StringValue (l.rate));
          csma.SetChannelAttribute ("Delay", StringValue (l.delay));
          if (!l.queue.empty ())
            csma.SetQueue ("ns3::DropTailQueue", "MaxSize", StringValue (l.queue));
          devs = csma.Install (members);
          b.helperOf.push_back ((int)b.csma.size ());
          b.csma.push_back (csma);
        }
      else
        {
          WifiHelper wifi;
          wifi.SetStandard (l.standard == "80211b"   ? WIFI_STANDARD_80211b
                            : l.standard == "80211g" ? WIFI_STANDARD_80211g
                            : l.standard == "80211n" ? WIFI_STANDARD_80211n
                                                     : WIFI_STANDARD_80211a);
          if (!l.dataMode.empty ())
            wifi.SetRemoteStationManager ("ns3::ConstantRateWifiManager", "DataMode", StringValue (l.dataMode),
                                          "ControlMode",
                                          StringValue (l.controlMode.empty () ? l.dataMode : l.controlMode));
          YansWifiChannelHelper channel = YansWifiChannelHelper::Default ();
          YansWifiPhyHelper phy;
          phy.SetChannel (channel.Create ());
          phy.SetPcapDataLinkType (WifiPhyHelper::DLT_IEEE802_11_RADIO);
          WifiMacHelper mac;
          if (l.mode == "adhoc")
            {
              mac.SetType ("ns3::AdhocWifiMac");
              devs = wifi.Install (phy, mac, members);
            }
          else
            {
              // the stations first, then the access point, as ns-3's examples do (the
              // order objects are made in decides their random streams); devs in
              // the link's node order (the access point first)
              NodeContainer stas;
              for (uint32_t i = 1; i < members.GetN (); i++)
                stas.Add (members.Get (i));
              mac.SetType ("ns3::StaWifiMac", "Ssid", SsidValue (ssid));
              NetDeviceContainer staDevs = wifi.Install (phy, mac, stas);
              mac.SetType ("ns3::ApWifiMac", "Ssid", SsidValue (ssid));
              devs = wifi.Install (phy, mac, members.Get (0));
              devs.Add (staDevs);
            }
          // positions: the node's own (position:), else the link's layout, `spacing`
          // meters apart: a line, or rows of ceil(sqrt(n)) (a node's first Wi-Fi decides)
          uint32_t width = 1;
          while (l.layout == "grid" && width * width < members.GetN ())
            width++;
          // through ns-3's MobilityHelper, as a script places its nodes (the helper
          // makes random variables of its own: the same streams as the script's)
          MobilityHelper mobility;
          Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator> ();
          NodeContainer unplaced;
          for (uint32_t i = 0; i < members.GetN (); i++)
            if (!members.Get (i)->GetObject<MobilityModel> ())
              {
                const SNode &sn = s->nodes[l.nodes[i]];
                if (sn.havePos)
                  pos->Add (Vector (sn.pos[0], sn.pos[1], sn.pos[2]));
                else if (l.layout == "grid")
                  pos->Add (Vector ((i % width) * l.spacing, (i / width) * l.spacing, 0));
                else
                  pos->Add (Vector (i * l.spacing, 0, 0));
                unplaced.Add (members.Get (i));
              }
          mobility.SetPositionAllocator (pos);
          mobility.SetMobilityModel ("ns3::ConstantPositionMobilityModel");
          mobility.Install (unplaced);
          b.helperOf.push_back ((int)b.wifi.size ());
          b.wifi.push_back (phy);
        }
      if (l.loss > 0)
        for (uint32_t i = 0; i < devs.GetN (); i++)
          {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel> ();
            em->SetAttribute ("ErrorUnit", StringValue ("ERROR_UNIT_PACKET"));
            em->SetAttribute ("ErrorRate", DoubleValue (l.loss));
            devs.Get (i)->SetAttribute ("ReceiveErrorModel", PointerValue (em));
          }
      b.linkDevs.push_back (devs);
      for (uint32_t i = 0; i < devs.GetN (); i++)
        b.nodeDevs[l.nodes[i]].push_back (devs.Get (i));
    }
}

std::string
QueueDiscType (const std::string &name)
{
  return name == "fq_codel" ? "ns3::FqCoDelQueueDisc" : name == "pfifo_fast" ? "ns3::PfifoFastQueueDisc"
         : name == "codel"  ? "ns3::CoDelQueueDisc"   : name == "pie"        ? "ns3::PieQueueDisc"
                                                                             : "ns3::RedQueueDisc";
}

// ns3-stack nodes: ns-3's helpers, as a script would call them
void
AddressNs3 (dce_scenario *s, Built &b)
{
  for (size_t li = 0; li < s->links.size (); li++)
    {
      const Link &l = s->links[li];
      for (size_t k = 0; k < l.nodes.size (); k++)
        {
          // in the order the devices were made: an access point after its stations
          size_t i = l.kind == "wifi" && l.mode == "ap" ? (k + 1) % l.nodes.size () : k;
          if (s->nodes[l.nodes[i]].stack != "ns3")
            continue;
          Ptr<NetDevice> dev = b.linkDevs[li].Get (i);
          if (!l.queueDisc.empty () && l.queueDisc != "none")
            {
              TrafficControlHelper tch;
              tch.SetRootQueueDisc (QueueDiscType (l.queueDisc));
              tch.Install (dev);
            }
          uint32_t mask = l.len ? ~0u << (32 - l.len) : 0;
          if (!l.addr[i]) // address: none (a program sets it)
            continue;
          Ipv4AddressHelper h;
          h.SetBase (Ipv4Address (l.net), Ipv4Mask (mask), Ipv4Address (l.addr[i] - l.net));
          h.Assign (NetDeviceContainer (dev));
          if (l.queueDisc == "none")
            TrafficControlHelper ().Uninstall (dev);
          if (!l.addr6.empty () && l.addr6[i].b[0])
            {
              Ptr<Node> node = b.nodes.Get (l.nodes[i]);
              Ptr<Ipv6> ipv6 = node->GetObject<Ipv6> ();
              int32_t ifi = ipv6->GetInterfaceForDevice (dev);
              if (ifi < 0)
                ifi = ipv6->AddInterface (dev);
              // as Ipv6AddressHelper::Assign: up (the link-local address) before the
              // global address, so duplicate address detection runs in its order
              Ipv6Address a = V6Address (l.addr6[i]);
              ipv6->SetMetric (ifi, 1);
              ipv6->SetUp (ifi);
              ipv6->AddAddress (ifi, Ipv6InterfaceAddress (a, Ipv6Prefix ((uint8_t)l.len6)));
              if (s->nodes[l.nodes[i]].links.size () > 1)
                ipv6->SetAttribute ("IpForward", BooleanValue (true)); // a router
            }
        }
    }
}

void
AddressLinux (dce_scenario *s, Built &b)
{
  for (size_t li = 0; li < s->links.size (); li++)
    {
      const Link &l = s->links[li];
      for (size_t i = 0; i < l.nodes.size (); i++)
        {
          if (s->nodes[l.nodes[i]].stack != "linux" || !b.owned[l.nodes[i]])
            continue;
          Ptr<Node> node = b.nodes.Get (l.nodes[i]);
          if (l.addr[i])
            LinuxStackHelper::AddAddress (node, b.linkDevs[li].Get (i), Addr4 (l.addr[i]) + "/" + std::to_string (l.len));
          if (!l.addr6.empty () && l.addr6[i].b[0])
            LinuxStackHelper::AddAddress (node, b.linkDevs[li].Get (i),
                                          Addr6 (l.addr6[i]) + "/" + std::to_string (l.len6));
        }
    }
}

int
InstallRoute (dce_scenario *s, Built &b, const Route &r)
{
  Ptr<Node> node = b.nodes.Get (r.node);
  int k = r.devIndex; // resolved by dce_scenario_check
  Ptr<NetDevice> dev = b.nodeDevs[r.node][k];
  if (s->nodes[r.node].stack == "linux")
    {
      if (!b.owned[r.node])
        return 0; // its kernel lives on another rank
      std::string dst = r.len == 0 ? (r.v6 ? "default6" : "default")
                                   : (r.v6 ? Addr6 (r.dst6) : Addr4 (r.dst4)) + "/" + std::to_string (r.len);
      std::string via = r.haveVia ? (r.v6 ? Addr6 (r.via6) : Addr4 (r.via4)) : "";
      LinuxStackHelper::AddRoute (node, dst, via, "eth" + std::to_string (k));
      return 0;
    }
  if (!r.v6)
    {
      Ptr<Ipv4> ipv4 = node->GetObject<Ipv4> ();
      Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper ().GetStaticRouting (ipv4);
      uint32_t ifi = (uint32_t)ipv4->GetInterfaceForDevice (dev);
      uint32_t mask = r.len ? ~0u << (32 - r.len) : 0;
      if (r.haveVia)
        rt->AddNetworkRouteTo (Ipv4Address (r.dst4), Ipv4Mask (mask), Ipv4Address (r.via4), ifi);
      else
        rt->AddNetworkRouteTo (Ipv4Address (r.dst4), Ipv4Mask (mask), ifi);
    }
  else
    {
      Ptr<Ipv6> ipv6 = node->GetObject<Ipv6> ();
      Ptr<Ipv6StaticRouting> rt = Ipv6StaticRoutingHelper ().GetStaticRouting (ipv6);
      uint32_t ifi = (uint32_t)ipv6->GetInterfaceForDevice (dev);
      if (r.haveVia && r.len == 0)
        rt->SetDefaultRoute (V6Address (r.via6), ifi);
      else if (r.haveVia)
        rt->AddNetworkRouteTo (V6Address (r.dst6), Ipv6Prefix ((uint8_t)r.len),
                               V6Address (r.via6), ifi);
      else
        rt->AddNetworkRouteTo (V6Address (r.dst6), Ipv6Prefix ((uint8_t)r.len), ifi);
    }
  return 0;
}

int
WriteNodeFiles (dce_scenario *s)
{
  for (size_t i = 0; i < s->nodes.size (); i++)
    for (const KV &f : s->nodes[i].files)
      {
        std::string path = s->out + "/files-" + std::to_string (i) + f.first;
        if (MakeDirs (path.substr (0, path.rfind ('/'))))
          return Fail (s, s->nodes[i].where, "cannot create the directory of " + path + ": " + std::strerror (errno));
        std::ofstream o (path, std::ios::binary);
        o << f.second;
        if (!o)
          return Fail (s, s->nodes[i].where, "cannot write " + path);
        chmod (path.c_str (), 0755);
      }
  return 0;
}

struct Outcome
{
  int node, pid;
  std::string exit; // EXIT column of exitprocs: a code, SIGxxx or RUNNING
};

std::map<std::pair<int, int>, std::string>
ReadExitprocs (const std::string &out)
{
  std::map<std::pair<int, int>, std::string> r;
  std::ifstream in (out + "/exitprocs");
  std::string line;
  while (std::getline (in, line))
    {
      std::istringstream f (line);
      int node, pid;
      std::string exit;
      if (f >> node >> pid >> exit)
        r[{node, pid}] = exit;
    }
  return r;
}

// Linux-stack nodes need a kernel library: say which is missing and how to get it
// before anything is built or run (LinuxStackHelper would abort the process).
int
CheckKernelLibrary (struct dce_scenario *s)
{
  const dce_scenario_model::Node *first = nullptr;
  for (const dce_scenario_model::Node &n : s->nodes)
    if (n.stack == "linux" && !first)
      first = &n;
  if (!first)
    return 0;
  const char *lib = dce_kstack_library ();
  if (lib && access (lib, R_OK) == 0)
    return 0;
  const char *v = dce_kstack_version ();
  std::string why = lib ? "the kernel library " + Show (lib) + " cannot be read: " + std::strerror (errno)
                  : v   ? std::string ("Linux ") + v + " is not built (no liblinux-" + v + ".so installed)"
                        : std::string ("no kernel library is installed");
  std::string fix = v ? std::string ("build it with 'src/kernel/build.sh --kernel ") + v + "'"
                     : std::string ("run 'scripts/quickstart dce-linux-dev' (or src/kernel/build.sh)");
  return Fail (s, first->where, "node " + first->name + " has stack: linux but " + why + ": " + fix +
                                    " and set DCE_LINUX_LIBRARY to the library it prints");
}

} // namespace

extern "C" int
dce_scenario_run (struct dce_scenario *s)
{
  if (!s->checked && dce_scenario_check (s))
    return -1;
  // A distributed run (docs/mpi.md): this process is one rank of an mpirun job.
  int launched = dce_mpi_launched_size ();
  if (s->ranks > 1 && launched == 1)
    return Fail (s, s->where, "the scenario asks for ranks: " + std::to_string (s->ranks) +
                                  ": run it with 'dce-run --ranks " + std::to_string (s->ranks) + " FILE'");
  if (s->ranks && launched > 1 && (int)s->ranks != launched)
    return Fail (s, s->where, "the scenario asks for ranks: " + std::to_string (s->ranks) + " but mpirun started " +
                                  std::to_string (launched) + " ranks");
  if (dce_scenario_partition (s, launched))
    return -1;
  bool distributed = launched > 1;
  uint32_t rank = 0;
  if (distributed)
    {
      char err[256];
      if (dce_mpi_start (s->mpiEngine.c_str (), err, sizeof err))
        return Fail (s, s->where, err);
      rank = dce_mpi_rank ();
    }
  if (CheckKernelLibrary (s))
    return -1;
  if (MakeDirs (s->out))
    return Fail (s, s->where, "cannot create the output directory " + Show (s->out) + ": " + std::strerror (errno));
  if (WriteNodeFiles (s))
    return -1;
  RngSeedManager::SetSeed ((uint32_t)s->seed);
  RngSeedManager::SetRun (s->run);
  Config::SetDefault ("ns3::TcpSocket::SegmentSize", UintegerValue (s->segmentSize));
  // A distributed run (and --ranks 1) writes nanosecond pcaps whose records of one
  // nanosecond come in one order whatever the cut (src/mpi/pcap-order.cc)
  if (distributed || s->ranks > 0)
    Config::SetDefault ("ns3::PcapFileWrapper::NanosecMode", BooleanValue (true));

  Built b;
  b.ordered = distributed || s->ranks > 0;
  for (size_t i = 0; i < s->nodes.size (); i++)
    {
      b.nodes.Add (CreateObject<Node> (s->nodeRank[i])); // the system id is the rank
      b.owned.push_back (s->nodeRank[i] == rank);
    }
  b.nodeDevs.resize (s->nodes.size ());
  BuildLinks (s, b);

  // Every rank builds the whole network (ns-3 needs both ends of a remote channel);
  // dce, kernels and programs only run on the nodes this rank owns.
  NodeContainer ns3Nodes, linuxNodes, ns3Owned;
  for (size_t i = 0; i < s->nodes.size (); i++)
    {
      bool linux = s->nodes[i].stack == "linux";
      if (linux && b.owned[i])
        linuxNodes.Add (b.nodes.Get ((uint32_t)i));
      if (!linux)
        ns3Nodes.Add (b.nodes.Get ((uint32_t)i));
      if (!linux && b.owned[i])
        ns3Owned.Add (b.nodes.Get ((uint32_t)i));
    }
  if (ns3Nodes.GetN ())
    {
      InternetStackHelper internet;
      internet.SetIpv6StackInstall (s->ipv6Stack);
      internet.Install (ns3Nodes);
      AddressNs3 (s, b);
    }

  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (s->out));
  // A distributed run (and --ranks 1, its one-process baseline) runs to its stop time
  // on every rank: no rank alone sees when every process of the run is done.
  if (distributed || s->ranks > 0)
    dce.SetAttribute ("StopWhenDone", BooleanValue (false));
  for (const std::string &m : s->maps)
    dce.MapHostPath (m);
  for (size_t i = 0; i < s->nodes.size (); i++)
    dce.SetNodeName (b.nodes.Get ((uint32_t)i), s->nodes[i].name);
  if (ns3Owned.GetN ())
    {
      dce.SetNetworkStack ("ns3::Ns3SocketFdFactory");
      dce.Install (ns3Owned);
    }
  if (linuxNodes.GetN ())
    {
      dce.SetNetworkStack ("ns3::LinuxSocketFdFactory");
      dce.Install (linuxNodes);
      AddressLinux (s, b);
      for (size_t i = 0; i < s->nodes.size (); i++)
        {
          const SNode &n = s->nodes[i];
          if (n.stack != "linux" || !b.owned[i])
            continue;
          NodeContainer one (b.nodes.Get ((uint32_t)i));
          if (s->routing == "auto" && n.links.size () > 1)
            {
              LinuxStackHelper::SysctlSet (one, "net.ipv4.ip_forward", "1");
              LinuxStackHelper::SysctlSet (one, "net.ipv6.conf.all.forwarding", "1");
            }
          for (const KV &kv : n.sysctls)
            if (SetSysctl (s, n, b.nodes.Get ((uint32_t)i)->GetId (), kv))
              return -1;
        }
    }
  if (s->routing == "global")
    Ipv4GlobalRoutingHelper::PopulateRoutingTables ();
  for (const Route &r : s->autoRoutes)
    if (InstallRoute (s, b, r))
      return -1;
  for (const Route &r : s->routes)
    if (InstallRoute (s, b, r))
      return -1;

  std::vector<Ptr<DceApplication>> apps;
  for (const Proc &p : s->procs)
    {
      if (!b.owned[p.node])
        {
          apps.push_back (nullptr); // it runs on its node's rank
          continue;
        }
      DceApplicationHelper app;
      if (p.stack)
        app.SetStackSize ((uint32_t)p.stack);
      app.SetBinary (p.argv[0]);
      for (size_t i = 1; i < p.argv.size (); i++)
        app.AddArgument (p.argv[i]);
      for (const std::string &e : p.env)
        app.AddEnvironment (e.substr (0, e.find ('=')), e.substr (e.find ('=') + 1));
      if (!p.stdinFile.empty ())
        app.SetStdinFile (p.stdinFile);
      ApplicationContainer c = app.Install (b.nodes.Get ((uint32_t)p.node));
      c.Start (NanoSeconds ((int64_t)p.at));
      if (p.haveStop)
        c.Stop (NanoSeconds ((int64_t)p.stop));
      apps.push_back (DynamicCast<DceApplication> (c.Get (0)));
    }

  for (size_t li = 0; li < s->links.size (); li++)
    for (size_t i = 0; i < s->links[li].nodes.size (); i++)
      if (b.owned[s->links[li].nodes[i]] &&
          (s->pcapAll || s->links[li].pcap || s->nodes[s->links[li].nodes[i]].pcap))
        EnablePcap (s, b, (int)li, b.linkDevs[li].Get ((uint32_t)i));

  if (s->haveStop)
    Simulator::Stop (NanoSeconds ((int64_t)s->stop));
  else
    dce_stop_when_done (1);
  Simulator::Run ();
  DceOrderedPcapsClose ();
  std::vector<int64_t> pids;
  for (auto &a : apps)
    pids.push_back (a ? a->GetPid () : 0);
  if (distributed)
    dce_mpi_max (pids.data (), pids.size ()); // each process's pid from its node's rank
  Simulator::Destroy (); // writes exitprocs (a distributed run: this rank's part)
  if (distributed)
    {
      dce_mpi_end (); // rank 0 merged the parts into exitprocs at Destroy
      if (rank != 0)
        return 0; // rank 0 reports for the run
    }

  auto exits = ReadExitprocs (s->out);
  std::ofstream procs (s->out + "/scenario-procs");
  procs << "# INDEX NODE PID EXIT (exitprocs' EXIT column; NOTSTARTED: never ran)\n";
  int bad = 0;
  for (size_t i = 0; i < s->procs.size (); i++)
    {
      const Proc &p = s->procs[i];
      auto it = exits.find ({p.node, (int)pids[i]});
      std::string exit = pids[i] > 0 && it != exits.end () ? it->second : "NOTSTARTED";
      procs << i << " " << p.node << " " << pids[i] << " " << exit << "\n";
      bool good = p.expect == kExpectAny || (p.expect == kExpectSignal && exit.compare (0, 3, "SIG") == 0) ||
                  (p.expect >= 0 && exit == std::to_string (p.expect));
      if (!good)
        {
          std::string cmd;
          for (auto &a : p.argv)
            cmd += (cmd.empty () ? "" : " ") + a;
          std::fprintf (stderr, "%s: process %s on node %s ended %s, expected %s (files-%d/var/log/%d/)\n",
                        p.where.c_str (), Show (cmd).c_str (), s->nodes[p.node].name.c_str (), exit.c_str (),
                        p.expect == kExpectSignal ? "a signal" : std::to_string (p.expect).c_str (), p.node,
                        (int)pids[i]);
          bad++;
        }
    }
  return bad ? 1 : 0;
}
