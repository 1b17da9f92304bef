// ipv6-linux.cc - see ipv6-linux.h.
#include "ipv6-linux.h"
#include "../helper/linux-stack-helper.h"
#include "ns3/abort.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/node.h"

#include <cerrno>
#include <cstring>
#include <sstream>

extern "C" {
#include "../../libc-ns3/net/kstack.h"
}

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED (Ipv6Linux);

TypeId
Ipv6Linux::GetTypeId ()
{
  static TypeId tid = TypeId ("ns3::Ipv6Linux")
                          .SetParent<Ipv6> ()
                          .SetGroupName ("Dce")
                          .AddConstructor<Ipv6Linux> ();
  return tid;
}

Ipv6Linux::Ipv6Linux () = default;
Ipv6Linux::~Ipv6Linux () = default;

void
Ipv6Linux::DoDispose ()
{
  m_interfaces.clear ();
  m_routing = nullptr;
  Ipv6::DoDispose ();
}

const Ipv6Linux::Interface &
Ipv6Linux::At (uint32_t i, const char *what) const
{
  NS_ABORT_MSG_IF (i >= m_interfaces.size (),
                   "Ipv6Linux::" << what << ": no interface " << i << " (the node has "
                                 << m_interfaces.size () << ")");
  return m_interfaces[i];
}

Ipv6Linux::Interface &
Ipv6Linux::At (uint32_t i, const char *what)
{
  return const_cast<Interface &> (static_cast<const Ipv6Linux *> (this)->At (i, what));
}

namespace {
[[noreturn]] void
NotAStack (const char *what)
{
  NS_FATAL_ERROR ("Ipv6Linux::" << what
                                << ": a Linux-stack node's packets go through its kernel; ns-3 "
                                   "sockets and protocols cannot be used on it (run a program "
                                   "with DceApplicationHelper instead)");
}

std::string
Prefix (const Ipv6InterfaceAddress &a)
{
  std::ostringstream s;
  s << a.GetAddress () << "/" << (int)a.GetPrefix ().GetPrefixLength ();
  return s.str ();
}
} // namespace

void
Ipv6Linux::ApplyAddress (uint32_t interface, const Ipv6InterfaceAddress &address)
{
  if (address.GetScope () == Ipv6InterfaceAddress::LINKLOCAL)
    return; // the kernel makes the device's link-local address itself
  Ptr<Node> node = GetObject<Node> ();
  Ptr<NetDevice> device = m_interfaces[interface].device;
  std::string name = LinuxStackHelper::GetInterfaceName (device);
  int r = dce_kstack_addr_add (node->GetId (), name.c_str (), Prefix (address).c_str ());
  NS_ABORT_MSG_IF (r < 0 && r != -EEXIST,
                   "Ipv6AddressHelper on Linux-stack node " << node->GetId () << ": "
                                                             << Prefix (address) << " on " << name
                                                             << ": " << std::strerror (-r));
}

void
Ipv6Linux::KernelReady ()
{
  if (m_kernelReady)
    return;
  m_kernelReady = true;
  for (uint32_t i = 0; i < m_interfaces.size (); i++)
    for (auto &a : m_interfaces[i].addresses)
      ApplyAddress (i, a);
}

void
Ipv6Linux::SetRoutingProtocol (Ptr<Ipv6RoutingProtocol> routingProtocol)
{
  m_routing = routingProtocol;
  if (m_routing)
    m_routing->SetIpv6 (this);
}
Ptr<Ipv6RoutingProtocol>
Ipv6Linux::GetRoutingProtocol () const
{
  return m_routing;
}

uint32_t
Ipv6Linux::AddInterface (Ptr<NetDevice> device)
{
  int32_t known = GetInterfaceForDevice (device);
  if (known >= 0)
    return known;
  Interface i;
  i.device = device;
  i.forwarding = m_ipForward;
  // as ns-3's stack: the link-local address first (the kernel's is the same EUI-64)
  if (Mac48Address::IsMatchingType (device->GetAddress ()))
    i.addresses.push_back (Ipv6InterfaceAddress (
        Ipv6Address::MakeAutoconfiguredLinkLocalAddress (device->GetAddress ()), Ipv6Prefix (64)));
  m_interfaces.push_back (i);
  return m_interfaces.size () - 1;
}
uint32_t
Ipv6Linux::GetNInterfaces () const
{
  return m_interfaces.size ();
}
int32_t
Ipv6Linux::GetInterfaceForAddress (Ipv6Address address) const
{
  for (uint32_t i = 0; i < m_interfaces.size (); i++)
    for (auto &a : m_interfaces[i].addresses)
      if (a.GetAddress () == address)
        return i;
  return -1;
}
int32_t
Ipv6Linux::GetInterfaceForPrefix (Ipv6Address address, Ipv6Prefix mask) const
{
  for (uint32_t i = 0; i < m_interfaces.size (); i++)
    for (auto &a : m_interfaces[i].addresses)
      if (a.GetAddress ().CombinePrefix (mask) == address.CombinePrefix (mask))
        return i;
  return -1;
}
int32_t
Ipv6Linux::GetInterfaceForDevice (Ptr<const NetDevice> device) const
{
  for (uint32_t i = 0; i < m_interfaces.size (); i++)
    if (m_interfaces[i].device == device)
      return i;
  return -1;
}
Ptr<NetDevice>
Ipv6Linux::GetNetDevice (uint32_t interface)
{
  return At (interface, "GetNetDevice").device;
}

bool
Ipv6Linux::AddAddress (uint32_t interface, Ipv6InterfaceAddress address, bool)
{
  Interface &i = At (interface, "AddAddress");
  for (auto &a : i.addresses)
    if (a.GetAddress () == address.GetAddress ())
      return false;
  i.addresses.push_back (address);
  if (m_kernelReady)
    ApplyAddress (interface, address);
  return true;
}
uint32_t
Ipv6Linux::GetNAddresses (uint32_t interface) const
{
  return At (interface, "GetNAddresses").addresses.size ();
}
Ipv6InterfaceAddress
Ipv6Linux::GetAddress (uint32_t interface, uint32_t addressIndex) const
{
  const Interface &i = At (interface, "GetAddress");
  NS_ABORT_MSG_IF (addressIndex >= i.addresses.size (),
                   "Ipv6Linux::GetAddress: interface " << interface << " has no address "
                                                       << addressIndex);
  return i.addresses[addressIndex];
}
bool
Ipv6Linux::RemoveAddress (uint32_t interface, uint32_t addressIndex)
{
  // the kernel keeps it: remove it there with RunIp ("-6 addr del ...")
  Interface &i = At (interface, "RemoveAddress");
  if (addressIndex >= i.addresses.size ())
    return false;
  i.addresses.erase (i.addresses.begin () + addressIndex);
  return true;
}
bool
Ipv6Linux::RemoveAddress (uint32_t interface, Ipv6Address address)
{
  Interface &i = At (interface, "RemoveAddress");
  for (uint32_t k = 0; k < i.addresses.size (); k++)
    if (i.addresses[k].GetAddress () == address)
      return RemoveAddress (interface, k);
  return false;
}
void
Ipv6Linux::SetMetric (uint32_t interface, uint16_t metric)
{
  At (interface, "SetMetric").metric = metric;
}
uint16_t
Ipv6Linux::GetMetric (uint32_t interface) const
{
  return At (interface, "GetMetric").metric;
}
uint16_t
Ipv6Linux::GetMtu (uint32_t interface) const
{
  return At (interface, "GetMtu").device->GetMtu ();
}
void
Ipv6Linux::SetPmtu (Ipv6Address, uint32_t)
{
}
bool
Ipv6Linux::IsUp (uint32_t interface) const
{
  return At (interface, "IsUp").up;
}
void
Ipv6Linux::SetUp (uint32_t interface)
{
  At (interface, "SetUp").up = true; // the kernel's device is up already
}
void
Ipv6Linux::SetDown (uint32_t interface)
{
  At (interface, "SetDown").up = false;
}
bool
Ipv6Linux::IsForwarding (uint32_t interface) const
{
  return At (interface, "IsForwarding").forwarding;
}
void
Ipv6Linux::SetForwarding (uint32_t interface, bool val)
{
  At (interface, "SetForwarding").forwarding = val;
}
Ipv6Address
Ipv6Linux::SourceAddressSelection (uint32_t interface, Ipv6Address dest)
{
  const Interface &i = At (interface, "SourceAddressSelection");
  for (auto &a : i.addresses)
    if (a.GetScope () != Ipv6InterfaceAddress::LINKLOCAL || dest.IsLinkLocal ())
      return a.GetAddress ();
  return Ipv6Address::GetAny ();
}
void
Ipv6Linux::Insert (Ptr<IpL4Protocol>)
{
  NotAStack ("Insert");
}
void
Ipv6Linux::Insert (Ptr<IpL4Protocol>, uint32_t)
{
  NotAStack ("Insert");
}
void
Ipv6Linux::Remove (Ptr<IpL4Protocol>)
{
}
void
Ipv6Linux::Remove (Ptr<IpL4Protocol>, uint32_t)
{
}
Ptr<IpL4Protocol>
Ipv6Linux::GetProtocol (int) const
{
  return nullptr;
}
Ptr<IpL4Protocol>
Ipv6Linux::GetProtocol (int, int32_t) const
{
  return nullptr;
}
void
Ipv6Linux::Send (Ptr<Packet>, Ipv6Address, Ipv6Address, uint8_t, Ptr<Ipv6Route>)
{
  NotAStack ("Send");
}
void
Ipv6Linux::RegisterExtensions ()
{
}
void
Ipv6Linux::RegisterOptions ()
{
}
void
Ipv6Linux::SetIpForward (bool forward)
{
  m_ipForward = forward;
  for (auto &i : m_interfaces)
    i.forwarding = forward;
}
bool
Ipv6Linux::GetIpForward () const
{
  return m_ipForward;
}
void
Ipv6Linux::SetMtuDiscover (bool mtuDiscover)
{
  m_mtuDiscover = mtuDiscover;
}
bool
Ipv6Linux::GetMtuDiscover () const
{
  return m_mtuDiscover;
}

} // namespace ns3
