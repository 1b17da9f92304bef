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
  m_if.Clear ();
  m_routing = nullptr;
  Ipv6::DoDispose ();
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
  Ptr<NetDevice> device = m_if.At (interface, "AddAddress").device;
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
  for (uint32_t i = 0; i < m_if.Size (); i++)
    for (auto &a : m_if.At (i, "KernelReady").addresses)
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
  bool added;
  uint32_t i = m_if.Add (device, m_ipForward, &added);
  // as ns-3's stack: the link-local address first (the kernel's is the same EUI-64)
  if (added && Mac48Address::IsMatchingType (device->GetAddress ()))
    m_if.At (i, "AddInterface").addresses.push_back (Ipv6InterfaceAddress (
        Ipv6Address::MakeAutoconfiguredLinkLocalAddress (device->GetAddress ()), Ipv6Prefix (64)));
  return i;
}
uint32_t
Ipv6Linux::GetNInterfaces () const
{
  return m_if.Size ();
}
int32_t
Ipv6Linux::GetInterfaceForAddress (Ipv6Address address) const
{
  return m_if.ForAddress (address);
}
int32_t
Ipv6Linux::GetInterfaceForPrefix (Ipv6Address address, Ipv6Prefix mask) const
{
  return m_if.ForPrefix (address, mask);
}
int32_t
Ipv6Linux::GetInterfaceForDevice (Ptr<const NetDevice> device) const
{
  return m_if.ForDevice (device);
}
Ptr<NetDevice>
Ipv6Linux::GetNetDevice (uint32_t interface)
{
  return m_if.At (interface, "GetNetDevice").device;
}

bool
Ipv6Linux::AddAddress (uint32_t interface, Ipv6InterfaceAddress address, bool)
{
  auto &i = m_if.At (interface, "AddAddress");
  if (m_if.IndexOf (interface, address.GetAddress ()) >= 0)
    return false;
  i.addresses.push_back (address);
  if (m_kernelReady)
    ApplyAddress (interface, address);
  return true;
}
uint32_t
Ipv6Linux::GetNAddresses (uint32_t interface) const
{
  return m_if.At (interface, "GetNAddresses").addresses.size ();
}
Ipv6InterfaceAddress
Ipv6Linux::GetAddress (uint32_t interface, uint32_t addressIndex) const
{
  return m_if.AddressAt (interface, addressIndex, "GetAddress");
}
bool
Ipv6Linux::RemoveAddress (uint32_t interface, uint32_t addressIndex)
{
  // the kernel keeps it: remove it there with RunIp ("-6 addr del ...")
  Ipv6InterfaceAddress removed;
  return m_if.Remove (interface, addressIndex, &removed);
}
bool
Ipv6Linux::RemoveAddress (uint32_t interface, Ipv6Address address)
{
  int32_t k = m_if.IndexOf (interface, address);
  return k >= 0 && RemoveAddress (interface, k);
}
void
Ipv6Linux::SetMetric (uint32_t interface, uint16_t metric)
{
  m_if.At (interface, "SetMetric").metric = metric;
}
uint16_t
Ipv6Linux::GetMetric (uint32_t interface) const
{
  return m_if.At (interface, "GetMetric").metric;
}
uint16_t
Ipv6Linux::GetMtu (uint32_t interface) const
{
  return m_if.At (interface, "GetMtu").device->GetMtu ();
}
void
Ipv6Linux::SetPmtu (Ipv6Address, uint32_t)
{
}
bool
Ipv6Linux::IsUp (uint32_t interface) const
{
  return m_if.At (interface, "IsUp").up;
}
void
Ipv6Linux::SetUp (uint32_t interface)
{
  m_if.At (interface, "SetUp").up = true; // the kernel's device is up already
}
void
Ipv6Linux::SetDown (uint32_t interface)
{
  m_if.At (interface, "SetDown").up = false;
}
bool
Ipv6Linux::IsForwarding (uint32_t interface) const
{
  return m_if.At (interface, "IsForwarding").forwarding;
}
void
Ipv6Linux::SetForwarding (uint32_t interface, bool val)
{
  m_if.At (interface, "SetForwarding").forwarding = val;
}
Ipv6Address
Ipv6Linux::SourceAddressSelection (uint32_t interface, Ipv6Address dest)
{
  auto &i = m_if.At (interface, "SourceAddressSelection");
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
  m_if.SetForwardingAll (forward);
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
