// linux-stack-helper.cc - see linux-stack-helper.h. The bridge between ns-3
// NetDevices and the devices of a node's kernel (src/libc-ns3/net/kstack.h): one
// KernelDevice per bridged device, whose address is the cookie the kernel hands
// back with every frame it sends.
#include "linux-stack-helper.h"
#include "dce-application-helper.h"
#include "../model/ipv4-linux.h"
#include "../model/ipv6-linux.h"
#include "../model/linux-socket.h"
#include "ns3/abort.h"
#include "ns3/application-container.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/loopback-net-device.h"
#include "ns3/mac48-address.h"
#include "ns3/names.h"
#include "ns3/net-device.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <sys/stat.h>

extern "C" {
#include "../../core/dce.h"
#include "../../libc-ns3/net/kstack.h"
}

namespace ns3 {

namespace {

const size_t kEthHeader = 14;
const uint16_t kEtherTypeIpv4 = 0x0800;
const uint16_t kEtherTypeIpv6 = 0x86dd;

// An ns-3 device bridged to a device of its node's kernel.
struct KernelDevice
{
  Ptr<NetDevice> device;       // null once the simulation is destroyed
  uint32_t node = 0;
  int ifindex = 0;             // the kernel's
  std::string name;            // the kernel's: eth0, eth1, ...

  void Receive (Ptr<NetDevice> dev, Ptr<const Packet> packet, uint16_t protocol,
                const Address &from, const Address &to, NetDevice::PacketType type);
  void Transmit (const uint8_t *frame, size_t len);
};

// A node's Linux stack as seen from ns-3: its bridged devices, in kernel order.
struct LinuxStackNode
{
  std::vector<std::unique_ptr<KernelDevice>> devices;
  uint32_t nextDevice = 0;     // ns-3 device index the next bridging pass starts at
};

std::map<uint32_t, LinuxStackNode> g_stacks;

// The devices stay allocated (the kernel holds their addresses) but release the
// ns-3 objects while ns-3 is still alive.
void
ReleaseDevices ()
{
  for (auto &s : g_stacks)
    for (auto &kd : s.second.devices)
      kd->device = nullptr;
}

void
DeliverFrame (uint32_t node, int ifindex, std::vector<uint8_t> frame)
{
  dce_kstack_receive (node, ifindex, frame.data (), frame.size ());
}

void
KernelDevice::Receive (Ptr<NetDevice> dev, Ptr<const Packet> packet, uint16_t protocol,
                       const Address &from, const Address &to, NetDevice::PacketType type)
{
  if (!device)
    return;
  // On a shared medium (CSMA, Wi-Fi) frames for other hosts go to the kernel too,
  // as a NIC in promiscuous mode passes them: a bridge port or a tcpdump needs
  // them, and the kernel drops them itself otherwise (PACKET_OTHERHOST in
  // eth_type_trans, then ip_rcv, arp_rcv, ipv6_rcv). A point-to-point link has
  // no other hosts.
  if (type == NetDevice::PACKET_OTHERHOST && !device->NeedsArp ())
    return;
  // A point-to-point link has no link-layer addresses: the frame is for us (the
  // kernel drops a unicast frame addressed to another MAC).
  Mac48Address dst = Mac48Address::ConvertFrom (device->GetAddress ());
  Mac48Address src;
  if (device->NeedsArp () && Mac48Address::IsMatchingType (to))
    dst = Mac48Address::ConvertFrom (to);
  if (Mac48Address::IsMatchingType (from))
    src = Mac48Address::ConvertFrom (from);
  uint32_t size = packet->GetSize ();
  std::vector<uint8_t> frame (kEthHeader + size);
  dst.CopyTo (&frame[0]);
  src.CopyTo (&frame[6]);
  frame[12] = protocol >> 8;
  frame[13] = protocol & 0xff;
  packet->CopyData (&frame[kEthHeader], size);
  // From an event of its own: some devices (CSMA) call their receive callbacks
  // before their pcap traces, and the kernel may answer at once; the trace must
  // show the frame before the answer.
  Simulator::ScheduleNow (&DeliverFrame, node, ifindex, std::move (frame));
}

void
KernelDevice::Transmit (const uint8_t *f, size_t len)
{
  if (!device || !device->GetNode () || len < kEthHeader)
    return; // released, or disposed by Simulator::Destroy (a socket closed at the end)
  uint16_t type = f[12] << 8 | f[13];
  if (type < 0x0600) // an 802.3 length, not a protocol ns-3 could carry
    return;
  // ns-3's PointToPointNetDevice asserts on anything but IPv4 and IPv6
  if (!device->NeedsArp () && type != kEtherTypeIpv4 && type != kEtherTypeIpv6)
    return;
  Mac48Address dst, src;
  dst.CopyFrom (f);
  src.CopyFrom (f + 6);
  Ptr<Packet> p = Create<Packet> (f + kEthHeader, len - kEthHeader);
  if (device->SupportsSendFrom () && src != Mac48Address::ConvertFrom (device->GetAddress ()))
    device->SendFrom (p, src, dst, type);
  else
    device->Send (p, dst, type);
}

LinuxStackNode &
StackOf (Ptr<Node> node, const char *what)
{
  auto it = g_stacks.find (node->GetId ());
  NS_ABORT_MSG_IF (it == g_stacks.end (),
                   "LinuxStackHelper::" << what << ": node " << node->GetId ()
                                        << " has no Linux stack: install LinuxStackHelper "
                                           "on it first");
  return it->second;
}

void
Bridge (Ptr<Node> node, LinuxStackNode &stack, Ptr<NetDevice> dev)
{
  uint32_t id = node->GetId ();
  Address a = dev->GetAddress ();
  NS_ABORT_MSG_UNLESS (Mac48Address::IsMatchingType (a),
                       "LinuxStackHelper: device " << dev->GetIfIndex () << " of node " << id
                                                   << " has no 48-bit MAC address: the Linux "
                                                      "stack bridges Ethernet-like devices only");
  uint8_t mac[6];
  Mac48Address::ConvertFrom (a).CopyTo (mac);
  auto kd = std::make_unique<KernelDevice> ();
  kd->device = dev;
  kd->node = id;
  kd->name = "eth" + std::to_string (stack.devices.size ());
  unsigned flags = dev->NeedsArp () ? 0 : DCE_KSTACK_NOARP;
  int ifindex =
      dce_kstack_netdev_add (id, kd.get (), kd->name.c_str (), mac, dev->GetMtu (), flags);
  NS_ABORT_MSG_IF (ifindex < 0, "LinuxStackHelper: node " << id << ": cannot add " << kd->name
                                                          << ": " << std::strerror (-ifindex));
  kd->ifindex = ifindex;
  node->RegisterProtocolHandler (MakeCallback (&KernelDevice::Receive, kd.get ()), 0, dev, true);
  stack.devices.push_back (std::move (kd));
}

// Bridge the node's devices not bridged yet (ns-3 only ever appends devices).
void
BridgeNewDevices (Ptr<Node> node)
{
  LinuxStackNode &stack = g_stacks[node->GetId ()];
  for (; stack.nextDevice < node->GetNDevices (); stack.nextDevice++)
    {
      Ptr<NetDevice> dev = node->GetDevice (stack.nextDevice);
      if (!DynamicCast<LoopbackNetDevice> (dev))
        Bridge (node, stack, dev);
    }
}

std::string
FailureText (int err)
{
  return std::strerror (-err);
}

bool
Exists (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0;
}

int
PrefixLength (const std::string &mask)
{
  in_addr m;
  NS_ABORT_MSG_UNLESS (inet_pton (AF_INET, mask.c_str (), &m) == 1,
                       "LinuxStackHelper::AssignIpv4: bad mask " << mask);
  uint32_t bits = ntohl (m.s_addr);
  int len = __builtin_popcount (bits);
  NS_ABORT_MSG_IF (len && bits != ~0u << (32 - len),
                   "LinuxStackHelper::AssignIpv4: mask " << mask << " is not contiguous");
  return len;
}

// prefix + n in the address's low bits; false if it leaves the prefix.
bool
Ipv6Add (uint8_t addr[16], uint64_t n, int prefixLength)
{
  uint8_t start[16];
  std::memcpy (start, addr, 16);
  for (int i = 15; i >= 0 && n; i--)
    {
      uint64_t sum = addr[i] + (n & 0xff);
      addr[i] = sum & 0xff;
      n = (n >> 8) + (sum >> 8);
    }
  for (int bit = 0; bit < prefixLength; bit++)
    if ((start[bit / 8] ^ addr[bit / 8]) & (0x80 >> bit % 8))
      return false;
  return true;
}

} // namespace

namespace {
// Nodes given a Linux stack before they were dce nodes: DceManagerHelper::Install
// boots their kernels; any left at simulation start is an error.
std::set<uint32_t> g_waiting;

void
CheckWaiting ()
{
  if (g_waiting.empty ())
    return;
  std::fprintf (stderr,
                "dce: LinuxStackHelper: node %u has a Linux stack but no dce: install "
                "DceManagerHelper on it too (before or after LinuxStackHelper)\n",
                *g_waiting.begin ());
  std::exit (2);
}

// ns-3's view of the node's stack: what Ipv4AddressHelper and global routing need.
void
AggregateIpv4 (Ptr<Node> node)
{
  if (node->GetObject<Ipv4> ())
    return; // Ipv4Linux already, or ns-3's stack (which the user chose to add)
  Ptr<Ipv4Linux> ipv4 = CreateObject<Ipv4Linux> ();
  node->AggregateObject (ipv4);
  Ipv4GlobalRoutingHelper global;
  ipv4->SetRoutingProtocol (global.Create (node));
}

// and the IPv6 twin: what Ipv6AddressHelper needs
void
AggregateIpv6 (Ptr<Node> node)
{
  if (node->GetObject<Ipv6> ())
    return;
  node->AggregateObject (CreateObject<Ipv6Linux> ());
}
} // namespace

LinuxStackHelper::LinuxStackHelper () = default;
LinuxStackHelper::~LinuxStackHelper () = default;

void
LinuxStackHelper::Install (Ptr<Node> node) const
{
  uint32_t id = node->GetId ();
  AggregateIpv4 (node);
  AggregateIpv6 (node);
  if (!dce_node_get (id))
    {
      if (g_waiting.empty ())
        Simulator::ScheduleWithContext (0xffffffff, Seconds (0), &CheckWaiting);
      g_waiting.insert (id);
      return;
    }
  g_waiting.erase (id);
  char err[256] = "";
  NS_ABORT_MSG_IF (dce_kstack_install (id, err, sizeof err) < 0,
                   "LinuxStackHelper: node " << id << ": " << err);
  if (g_stacks.count (id))
    return;
  if (g_stacks.empty ())
    Simulator::ScheduleDestroy (&ReleaseDevices);
  g_stacks[id];
  AggregateLinuxSocketFactories (node); // ns-3 applications use the kernel's sockets
  BridgeNewDevices (node);
  if (Ptr<Ipv4Linux> ipv4 = node->GetObject<Ipv4Linux> ())
    ipv4->KernelReady ();
  if (Ptr<Ipv6Linux> ipv6 = node->GetObject<Ipv6Linux> ())
    ipv6->KernelReady ();
  // devices the scenario adds after Install
  Simulator::ScheduleWithContext (id, Seconds (0), &BridgeNewDevices, node);
}

void
LinuxStackHelper::Install (NodeContainer nodes) const
{
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    Install (*i);
}

void
LinuxStackHelper::Install (std::string nodeName) const
{
  Ptr<Node> node = Names::Find<Node> (nodeName);
  NS_ABORT_MSG_IF (!node, "LinuxStackHelper: no node named " << nodeName);
  Install (node);
}

void
LinuxStackHelper::InstallAll () const
{
  Install (NodeContainer::GetGlobal ());
}

void
LinuxStackHelper::SysctlSet (NodeContainer nodes, std::string key, std::string value)
{
  if (!key.empty () && key[0] == '.')
    key.erase (0, 1);
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    {
      uint32_t id = (*i)->GetId ();
      StackOf (*i, "SysctlSet");
      int r = dce_kstack_sysctl_set (id, key.c_str (), value.c_str ());
      char cur[512];
      // ENOENT is also a value the kernel does not know (a congestion control that
      // is not built in): only a missing key is skipped
      if (r == -ENOENT && dce_kstack_sysctl_get (id, key.c_str (), cur, sizeof cur) == -ENOENT)
        {
          // ns-3-dce scripts set keys of kernels of their own (DCCP, out-of-tree MPTCP)
          static std::set<std::string> warned;
          if (warned.insert (key).second)
            std::fprintf (stderr,
                          "dce: LinuxStackHelper::SysctlSet: the kernel has no %s (not built "
                          "in); ignored\n",
                          key.c_str ());
          continue;
        }
      NS_ABORT_MSG_IF (r < 0, "LinuxStackHelper::SysctlSet: node " << id << ": " << key << " = "
                                                                   << value << ": "
                                                                   << FailureText (r));
    }
}

std::string
LinuxStackHelper::SysctlGet (Ptr<Node> node, std::string key)
{
  if (!key.empty () && key[0] == '.')
    key.erase (0, 1);
  StackOf (node, "SysctlGet");
  char value[4096];
  int r = dce_kstack_sysctl_get (node->GetId (), key.c_str (), value, sizeof value);
  NS_ABORT_MSG_IF (r < 0, "LinuxStackHelper::SysctlGet: node " << node->GetId () << ": " << key
                                                               << ": " << FailureText (r));
  return value;
}

namespace {
void
CallSysctlGet (Ptr<Node> node, std::string key, void (*callback) (std::string, std::string))
{
  callback (key, LinuxStackHelper::SysctlGet (node, key) + "\n");
}
} // namespace

void
LinuxStackHelper::SysctlGet (Ptr<Node> node, Time at, std::string key,
                             void (*callback) (std::string, std::string))
{
  NS_ABORT_MSG_IF (!callback, "LinuxStackHelper::SysctlGet: no callback");
  NS_ABORT_MSG_IF (!node->GetObject<Ipv4Linux> (),
                   "LinuxStackHelper::SysctlGet: node " << node->GetId ()
                                                        << " has no Linux stack: install "
                                                           "LinuxStackHelper on it first");
  Simulator::ScheduleWithContext (node->GetId (), at, &CallSysctlGet, node, key, callback);
}

void
LinuxStackHelper::SetRoutingHelper (const Ipv4RoutingHelper &)
{
}

void
LinuxStackHelper::PopulateRoutingTables ()
{
  for (auto i = NodeList::Begin (); i != NodeList::End (); ++i)
    if (Ptr<Ipv4Linux> ipv4 = (*i)->GetObject<Ipv4Linux> ())
      ipv4->PopulateRoutingTable ();
}

std::string
LinuxStackHelper::KernelDeviceName (std::string name)
{
  if (name.size () > 3 && name.compare (0, 3, "sim") == 0 &&
      name.find_first_not_of ("0123456789", 3) == std::string::npos)
    return "eth" + name.substr (3);
  return name;
}

std::string
LinuxStackHelper::GetInterfaceName (Ptr<NetDevice> device)
{
  if (DynamicCast<LoopbackNetDevice> (device))
    return "lo";
  Ptr<Node> node = device->GetNode ();
  NS_ABORT_MSG_IF (!node, "LinuxStackHelper: the device is on no node");
  LinuxStackNode &stack = StackOf (node, "GetInterfaceName");
  BridgeNewDevices (node);
  for (auto &kd : stack.devices)
    if (kd->device == device)
      return kd->name;
  NS_ABORT_MSG ("LinuxStackHelper: device " << device->GetIfIndex () << " is not one of node "
                                            << node->GetId () << "'s devices");
}

void
LinuxStackHelper::AddAddress (Ptr<Node> node, uint32_t deviceIndex, std::string address)
{
  NS_ABORT_MSG_IF (deviceIndex >= node->GetNDevices (),
                   "LinuxStackHelper::AddAddress: node " << node->GetId () << " has no device "
                                                         << deviceIndex);
  AddAddress (node, node->GetDevice (deviceIndex), address);
}

void
LinuxStackHelper::AddAddress (Ptr<Node> node, Ptr<NetDevice> device, std::string address)
{
  NS_ABORT_MSG_IF (device->GetNode () != node,
                   "LinuxStackHelper::AddAddress: the device is not on node " << node->GetId ());
  std::string name = GetInterfaceName (device);
  int r = dce_kstack_addr_add (node->GetId (), name.c_str (), address.c_str ());
  NS_ABORT_MSG_IF (r < 0, "LinuxStackHelper::AddAddress: node " << node->GetId () << ": "
                                                                << address << " on " << name
                                                                << ": " << FailureText (r));
}

void
LinuxStackHelper::AddRoute (Ptr<Node> node, std::string dst, std::string gateway,
                            std::string ifname)
{
  StackOf (node, "AddRoute");
  BridgeNewDevices (node);
  ifname = KernelDeviceName (ifname);
  int r = dce_kstack_route_add (node->GetId (), dst.c_str (),
                                gateway.empty () ? nullptr : gateway.c_str (),
                                ifname.empty () ? nullptr : ifname.c_str ());
  NS_ABORT_MSG_IF (r < 0, "LinuxStackHelper::AddRoute: node "
                              << node->GetId () << ": " << dst << " via '" << gateway << "' dev '"
                              << ifname << "': " << FailureText (r));
}

std::vector<std::string>
LinuxStackHelper::AssignIpv4 (NetDeviceContainer devices, std::string network, std::string mask)
{
  int len = PrefixLength (mask);
  in_addr net;
  NS_ABORT_MSG_UNLESS (inet_pton (AF_INET, network.c_str (), &net) == 1,
                       "LinuxStackHelper::AssignIpv4: bad network " << network);
  uint32_t base = ntohl (net.s_addr);
  uint32_t hostMask = len == 0 ? ~0u : ~(~0u << (32 - len));
  std::vector<std::string> assigned;
  for (uint32_t i = 0; i < devices.GetN (); i++)
    {
      uint32_t host = (base & hostMask) + i + 1;
      // the host part must fit, and be no broadcast address (except on /31 and /32)
      NS_ABORT_MSG_IF (host > hostMask || (len < 31 && host == hostMask),
                       "LinuxStackHelper::AssignIpv4: " << network << "/" << len
                                                        << " has no room for " << devices.GetN ()
                                                        << " devices");
      in_addr a;
      a.s_addr = htonl ((base & ~hostMask) | host);
      char text[INET_ADDRSTRLEN];
      inet_ntop (AF_INET, &a, text, sizeof text);
      Ptr<NetDevice> dev = devices.Get (i);
      AddAddress (dev->GetNode (), dev, std::string (text) + "/" + std::to_string (len));
      assigned.push_back (text);
    }
  return assigned;
}

std::vector<std::string>
LinuxStackHelper::AssignIpv6 (NetDeviceContainer devices, std::string prefix, int prefixLength)
{
  uint8_t base[16];
  NS_ABORT_MSG_UNLESS (inet_pton (AF_INET6, prefix.c_str (), base) == 1,
                       "LinuxStackHelper::AssignIpv6: bad prefix " << prefix);
  NS_ABORT_MSG_IF (prefixLength < 0 || prefixLength > 128,
                   "LinuxStackHelper::AssignIpv6: bad prefix length " << prefixLength);
  std::vector<std::string> assigned;
  for (uint32_t i = 0; i < devices.GetN (); i++)
    {
      uint8_t a[16];
      std::memcpy (a, base, 16);
      NS_ABORT_MSG_UNLESS (Ipv6Add (a, i + 1, prefixLength),
                           "LinuxStackHelper::AssignIpv6: " << prefix << "/" << prefixLength
                                                            << " has no room for "
                                                            << devices.GetN () << " devices");
      char text[INET6_ADDRSTRLEN];
      inet_ntop (AF_INET6, a, text, sizeof text);
      Ptr<NetDevice> dev = devices.Get (i);
      AddAddress (dev->GetNode (), dev, std::string (text) + "/" + std::to_string (prefixLength));
      assigned.push_back (text);
    }
  return assigned;
}

void
LinuxStackHelper::RunIp (Ptr<Node> node, Time at, std::string args)
{
  // the host's /usr is visible inside every node, at the same path
  const char *ip = Exists ("/usr/sbin/ip") ? "/usr/sbin/ip"
                   : Exists ("/sbin/ip")   ? "/sbin/ip"
                                           : nullptr;
  NS_ABORT_MSG_IF (!ip, "LinuxStackHelper::RunIp: no ip program on this host (install iproute2)");
  DceApplicationHelper app;
  app.SetBinary (ip);
  std::istringstream words (args);
  std::string w;
  while (words >> w)
    app.AddArgument (KernelDeviceName (w));
  app.Install (node).Start (at);
}

} // namespace ns3

extern "C" void
dce_ns3_kstack_transmit (void *cookie, const void *frame, size_t len)
{
  static_cast<ns3::KernelDevice *> (cookie)->Transmit (static_cast<const uint8_t *> (frame), len);
}
