// ipv6-linux.h - ns-3's Ipv6 interface on a node whose network stack is its Linux
// kernel (advanced mode): the IPv6 twin of Ipv4Linux.
#ifndef DCE_IPV6_LINUX_H
#define DCE_IPV6_LINUX_H

#include "ns3/ipv6.h"
#include "ns3/ipv6-interface-address.h"
#include "ns3/net-device.h"
#include "linux-if-table.h"
#include <vector>

namespace ns3 {

/**
 * LinuxStackHelper aggregates one to every Linux-stack node, so that
 * Ipv6AddressHelper::Assign works there: the address is also added to the kernel's
 * device (eth<i>), and Ipv6InterfaceContainer::GetAddress answers (index 0 is the
 * interface's link-local address, as on ns-3's stack; the kernel makes the same one
 * from the MAC itself). Bookkeeping only: packets never pass through it; Send, L4
 * protocols and raw sockets are refused with a message. Addresses given before the
 * kernel booted are applied when it boots.
 */
class Ipv6Linux : public Ipv6
{
public:
  static TypeId GetTypeId ();
  Ipv6Linux ();
  ~Ipv6Linux () override;

  /** The kernel of this node has booted: apply the addresses given so far. */
  void KernelReady ();

  void SetRoutingProtocol (Ptr<Ipv6RoutingProtocol> routingProtocol) override;
  Ptr<Ipv6RoutingProtocol> GetRoutingProtocol () const override;
  uint32_t AddInterface (Ptr<NetDevice> device) override;
  uint32_t GetNInterfaces () const override;
  int32_t GetInterfaceForAddress (Ipv6Address address) const override;
  int32_t GetInterfaceForPrefix (Ipv6Address address, Ipv6Prefix mask) const override;
  Ptr<NetDevice> GetNetDevice (uint32_t interface) override;
  int32_t GetInterfaceForDevice (Ptr<const NetDevice> device) const override;
  bool AddAddress (uint32_t interface, Ipv6InterfaceAddress address, bool addOnLinkRoute = true) override;
  uint32_t GetNAddresses (uint32_t interface) const override;
  Ipv6InterfaceAddress GetAddress (uint32_t interface, uint32_t addressIndex) const override;
  bool RemoveAddress (uint32_t interface, uint32_t addressIndex) override;
  bool RemoveAddress (uint32_t interface, Ipv6Address address) override;
  void SetMetric (uint32_t interface, uint16_t metric) override;
  uint16_t GetMetric (uint32_t interface) const override;
  uint16_t GetMtu (uint32_t interface) const override;
  void SetPmtu (Ipv6Address dst, uint32_t pmtu) override;
  bool IsUp (uint32_t interface) const override;
  void SetUp (uint32_t interface) override;
  void SetDown (uint32_t interface) override;
  bool IsForwarding (uint32_t interface) const override;
  void SetForwarding (uint32_t interface, bool val) override;
  Ipv6Address SourceAddressSelection (uint32_t interface, Ipv6Address dest) override;
  void Insert (Ptr<IpL4Protocol> protocol) override;
  void Insert (Ptr<IpL4Protocol> protocol, uint32_t interfaceIndex) override;
  void Remove (Ptr<IpL4Protocol> protocol) override;
  void Remove (Ptr<IpL4Protocol> protocol, uint32_t interfaceIndex) override;
  Ptr<IpL4Protocol> GetProtocol (int protocolNumber) const override;
  Ptr<IpL4Protocol> GetProtocol (int protocolNumber, int32_t interfaceIndex) const override;
  void Send (Ptr<Packet> packet, Ipv6Address source, Ipv6Address destination, uint8_t protocol,
             Ptr<Ipv6Route> route) override;
  void RegisterExtensions () override;
  void RegisterOptions () override;

protected:
  void DoDispose () override;

private:
  void SetIpForward (bool forward) override;
  bool GetIpForward () const override;
  void SetMtuDiscover (bool mtuDiscover) override;
  bool GetMtuDiscover () const override;

  void ApplyAddress (uint32_t interface, const Ipv6InterfaceAddress &address);

  LinuxIfTable<Ipv6InterfaceAddress> m_if{"Ipv6Linux"};
  Ptr<Ipv6RoutingProtocol> m_routing;
  bool m_kernelReady = false;
  bool m_ipForward = true;
  bool m_mtuDiscover = true;
};

} // namespace ns3

#endif
