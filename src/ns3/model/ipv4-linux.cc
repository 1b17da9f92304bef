// ipv4-linux.cc - see ipv4-linux.h.
#include "ipv4-linux.h"
#include "../helper/linux-stack-helper.h"
#include "ns3/abort.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-global-routing.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/node.h"
#include "ns3/socket.h"

#include <cerrno>
#include <cstring>
#include <sstream>

extern "C" {
#include "../../libc-ns3/net/kstack.h"
}

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED (Ipv4Linux);

TypeId
Ipv4Linux::GetTypeId ()
{
  static TypeId tid = TypeId ("ns3::Ipv4Linux")
                          .SetParent<Ipv4> ()
                          .SetGroupName ("Dce")
                          .AddConstructor<Ipv4Linux> ();
  return tid;
}

Ipv4Linux::Ipv4Linux () = default;
Ipv4Linux::~Ipv4Linux () = default;

void
Ipv4Linux::NotifyNewAggregate ()
{
  Ipv4::NotifyNewAggregate ();
}

void
Ipv4Linux::DoDispose ()
{
  m_if.Clear ();
  m_routing = nullptr;
  Ipv4::DoDispose ();
}

namespace {
[[noreturn]] void
NotAStack (const char *what)
{
  NS_FATAL_ERROR ("Ipv4Linux::" << what
                                << ": a Linux-stack node's packets go through its kernel; ns-3 "
                                   "sockets and protocols cannot be used on it (run a program "
                                   "with DceApplicationHelper instead)");
}

std::string
Prefix (const Ipv4InterfaceAddress &a)
{
  std::ostringstream s;
  s << a.GetLocal () << "/" << a.GetMask ().GetPrefixLength ();
  return s.str ();
}
} // namespace

void
Ipv4Linux::ApplyAddress (uint32_t interface, const Ipv4InterfaceAddress &address)
{
  Ptr<Node> node = GetObject<Node> ();
  Ptr<NetDevice> device = m_if.At (interface, "AddAddress").device;
  std::string name = LinuxStackHelper::GetInterfaceName (device);
  int r = dce_kstack_addr_add (node->GetId (), name.c_str (), Prefix (address).c_str ());
  NS_ABORT_MSG_IF (r < 0 && r != -EEXIST,
                   "Ipv4AddressHelper on Linux-stack node " << node->GetId () << ": "
                                                             << Prefix (address) << " on " << name
                                                             << ": " << std::strerror (-r));
}

void
Ipv4Linux::KernelReady ()
{
  if (m_kernelReady)
    return;
  m_kernelReady = true;
  for (uint32_t i = 0; i < m_if.Size (); i++)
    for (auto &a : m_if.At (i, "KernelReady").addresses)
      ApplyAddress (i, a);
}

void
Ipv4Linux::PopulateRoutingTable ()
{
  Ptr<Node> node = GetObject<Node> ();
  Ptr<Ipv4GlobalRouting> global = DynamicCast<Ipv4GlobalRouting> (m_routing);
  NS_ABORT_MSG_IF (!global, "LinuxStackHelper::PopulateRoutingTables: node "
                                << node->GetId () << " has no global routing");
  NS_ABORT_MSG_IF (!m_kernelReady,
                   "LinuxStackHelper::PopulateRoutingTables: node "
                       << node->GetId ()
                       << " has no kernel yet: install DceManagerHelper on it first");
  for (uint32_t i = 0; i < global->GetNRoutes (); i++)
    {
      Ipv4RoutingTableEntry *route = global->GetRoute (i);
      std::ostringstream dst, gw;
      dst << route->GetDest () << "/" << route->GetDestNetworkMask ().GetPrefixLength ();
      bool direct = route->GetGateway () == Ipv4Address::GetZero ();
      gw << route->GetGateway ();
      std::string ifname;
      if (route->GetInterface () < m_if.Size ())
        ifname = LinuxStackHelper::GetInterfaceName (
            m_if.At (route->GetInterface (), "PopulateRoutingTable").device);
      int r = dce_kstack_route_add (node->GetId (), dst.str ().c_str (),
                                    direct ? nullptr : gw.str ().c_str (),
                                    ifname.empty () ? nullptr : ifname.c_str ());
      // the kernel already has the routes of its own subnets
      NS_ABORT_MSG_IF (r < 0 && r != -EEXIST,
                       "LinuxStackHelper::PopulateRoutingTables: node "
                           << node->GetId () << ": route to " << dst.str () << " via " << gw.str ()
                           << ": " << std::strerror (-r));
    }
}

void
Ipv4Linux::SetRoutingProtocol (Ptr<Ipv4RoutingProtocol> routingProtocol)
{
  m_routing = routingProtocol;
  m_routing->SetIpv4 (this);
}
Ptr<Ipv4RoutingProtocol>
Ipv4Linux::GetRoutingProtocol () const
{
  return m_routing;
}

uint32_t
Ipv4Linux::AddInterface (Ptr<NetDevice> device)
{
  bool added;
  uint32_t i = m_if.Add (device, m_ipForward, &added);
  return i;
}
uint32_t
Ipv4Linux::GetNInterfaces () const
{
  return m_if.Size ();
}
int32_t
Ipv4Linux::GetInterfaceForAddress (Ipv4Address address) const
{
  return m_if.ForAddress (address);
}
int32_t
Ipv4Linux::GetInterfaceForPrefix (Ipv4Address address, Ipv4Mask mask) const
{
  return m_if.ForPrefix (address, mask);
}
int32_t
Ipv4Linux::GetInterfaceForDevice (Ptr<const NetDevice> device) const
{
  return m_if.ForDevice (device);
}
Ptr<NetDevice>
Ipv4Linux::GetNetDevice (uint32_t interface)
{
  return m_if.At (interface, "GetNetDevice").device;
}
bool
Ipv4Linux::IsDestinationAddress (Ipv4Address address, uint32_t iif) const
{
  return GetInterfaceForAddress (address) >= 0 || address.IsBroadcast () ||
         address.IsMulticast ();
}

bool
Ipv4Linux::AddAddress (uint32_t interface, Ipv4InterfaceAddress address)
{
  m_if.At (interface, "AddAddress").addresses.push_back (address);
  if (m_kernelReady)
    ApplyAddress (interface, address);
  if (m_routing)
    m_routing->NotifyAddAddress (interface, address);
  return true;
}
uint32_t
Ipv4Linux::GetNAddresses (uint32_t interface) const
{
  return m_if.At (interface, "GetNAddresses").addresses.size ();
}
Ipv4InterfaceAddress
Ipv4Linux::GetAddress (uint32_t interface, uint32_t addressIndex) const
{
  return m_if.AddressAt (interface, addressIndex, "GetAddress");
}
bool
Ipv4Linux::RemoveAddress (uint32_t interface, uint32_t addressIndex)
{
  // the kernel keeps it: remove it there with RunIp ("addr del ...")
  Ipv4InterfaceAddress a;
  if (!m_if.Remove (interface, addressIndex, &a))
    return false;
  if (m_routing)
    m_routing->NotifyRemoveAddress (interface, a);
  return true;
}
bool
Ipv4Linux::RemoveAddress (uint32_t interface, Ipv4Address address)
{
  int32_t k = m_if.IndexOf (interface, address);
  return k >= 0 && RemoveAddress (interface, k);
}
Ipv4Address
Ipv4Linux::SelectSourceAddress (Ptr<const NetDevice> device, Ipv4Address dst,
                                Ipv4InterfaceAddress::InterfaceAddressScope_e scope)
{
  for (auto &i : m_if)
    if (!device || i.device == device)
      for (auto &a : i.addresses)
        if (a.GetScope () <= scope)
          return a.GetLocal ();
  return Ipv4Address::GetZero ();
}
Ipv4Address
Ipv4Linux::SourceAddressSelection (uint32_t interface, Ipv4Address dest)
{
  auto &i = m_if.At (interface, "SourceAddressSelection");
  for (auto &a : i.addresses)
    if (a.GetLocal ().CombineMask (a.GetMask ()) == dest.CombineMask (a.GetMask ()))
      return a.GetLocal ();
  return i.addresses.empty () ? Ipv4Address::GetZero () : i.addresses[0].GetLocal ();
}

void
Ipv4Linux::SetMetric (uint32_t interface, uint16_t metric)
{
  m_if.At (interface, "SetMetric").metric = metric;
}
uint16_t
Ipv4Linux::GetMetric (uint32_t interface) const
{
  return m_if.At (interface, "GetMetric").metric;
}
uint16_t
Ipv4Linux::GetMtu (uint32_t interface) const
{
  return m_if.At (interface, "GetMtu").device->GetMtu ();
}
bool
Ipv4Linux::IsUp (uint32_t interface) const
{
  return m_if.At (interface, "IsUp").up;
}
void
Ipv4Linux::SetUp (uint32_t interface)
{
  // the kernel's devices are up from the start
  m_if.At (interface, "SetUp").up = true;
  if (m_routing)
    m_routing->NotifyInterfaceUp (interface);
}
void
Ipv4Linux::SetDown (uint32_t interface)
{
  m_if.At (interface, "SetDown").up = false;
  if (m_routing)
    m_routing->NotifyInterfaceDown (interface);
}
bool
Ipv4Linux::IsForwarding (uint32_t interface) const
{
  return m_if.At (interface, "IsForwarding").forwarding;
}
void
Ipv4Linux::SetForwarding (uint32_t interface, bool val)
{
  m_if.At (interface, "SetForwarding").forwarding = val;
}
void
Ipv4Linux::SetIpForward (bool forward)
{
  m_ipForward = forward;
  m_if.SetForwardingAll (forward);
}
bool
Ipv4Linux::GetIpForward () const
{
  return m_ipForward;
}
void
Ipv4Linux::SetWeakEsModel (bool model)
{
  m_weakEs = model;
}
bool
Ipv4Linux::GetWeakEsModel () const
{
  return m_weakEs;
}

void
Ipv4Linux::Send (Ptr<Packet>, Ipv4Address, Ipv4Address, uint8_t, Ptr<Ipv4Route>)
{
  NotAStack ("Send");
}
void
Ipv4Linux::SendWithHeader (Ptr<Packet>, Ipv4Header, Ptr<Ipv4Route>)
{
  NotAStack ("SendWithHeader");
}
void
Ipv4Linux::Insert (Ptr<IpL4Protocol>)
{
  NotAStack ("Insert");
}
void
Ipv4Linux::Insert (Ptr<IpL4Protocol>, uint32_t)
{
  NotAStack ("Insert");
}
void
Ipv4Linux::Remove (Ptr<IpL4Protocol>)
{
}
void
Ipv4Linux::Remove (Ptr<IpL4Protocol>, uint32_t)
{
}
Ptr<IpL4Protocol>
Ipv4Linux::GetProtocol (int) const
{
  return nullptr;
}
Ptr<IpL4Protocol>
Ipv4Linux::GetProtocol (int, int32_t) const
{
  return nullptr;
}
Ptr<Socket>
Ipv4Linux::CreateRawSocket ()
{
  NotAStack ("CreateRawSocket");
}
void
Ipv4Linux::DeleteRawSocket (Ptr<Socket>)
{
}

} // namespace ns3
