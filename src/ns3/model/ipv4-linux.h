// ipv4-linux.h - ns-3's Ipv4 interface on a node whose network stack is its Linux
// kernel (advanced mode), as ns3::Ipv4Linux in ns-3-dce.
#ifndef DCE_IPV4_LINUX_H
#define DCE_IPV4_LINUX_H

#include "ns3/ipv4.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/net-device.h"
#include "linux-if-table.h"
#include <vector>

namespace ns3 {

/**
 * LinuxStackHelper aggregates one to every Linux-stack node, so that ns-3's helpers
 * that expect an Ipv4 object work there: Ipv4AddressHelper::Assign (the address is
 * also added to the kernel's device, eth<i>), Ipv4InterfaceContainer::GetAddress,
 * Ipv4GlobalRoutingHelper::PopulateRoutingTables (the node takes part in global
 * routing; LinuxStackHelper::PopulateRoutingTables then copies the routes it
 * computed into the kernel).
 *
 * It is bookkeeping, not a stack: packets never pass through it (the kernel sends
 * and receives them), so Send, raw sockets and L4 protocols are refused with a
 * message. Interface i is the node's i-th bridged device (kernel eth<i>, sim<i> in
 * ns-3-dce); there is no loopback interface (the kernel has its own lo).
 * Addresses given before the kernel booted are applied when it boots.
 */
class Ipv4Linux : public Ipv4
{
public:
  static TypeId GetTypeId ();
  Ipv4Linux ();
  ~Ipv4Linux () override;

  /** The kernel of this node has booted and its devices are bridged: apply the
   * addresses given so far. Called by LinuxStackHelper. */
  void KernelReady ();
  /** Copy the routes Ipv4GlobalRouting computed for this node into its kernel. */
  void PopulateRoutingTable ();

  void SetRoutingProtocol (Ptr<Ipv4RoutingProtocol> routingProtocol) override;
  Ptr<Ipv4RoutingProtocol> GetRoutingProtocol () const override;
  uint32_t AddInterface (Ptr<NetDevice> device) override;
  uint32_t GetNInterfaces () const override;
  int32_t GetInterfaceForAddress (Ipv4Address address) const override;
  void Send (Ptr<Packet> packet, Ipv4Address source, Ipv4Address destination, uint8_t protocol,
             Ptr<Ipv4Route> route) override;
  void SendWithHeader (Ptr<Packet> packet, Ipv4Header ipHeader, Ptr<Ipv4Route> route) override;
  void Insert (Ptr<IpL4Protocol> protocol) override;
  void Insert (Ptr<IpL4Protocol> protocol, uint32_t interfaceIndex) override;
  void Remove (Ptr<IpL4Protocol> protocol) override;
  void Remove (Ptr<IpL4Protocol> protocol, uint32_t interfaceIndex) override;
  bool IsDestinationAddress (Ipv4Address address, uint32_t iif) const override;
  int32_t GetInterfaceForPrefix (Ipv4Address address, Ipv4Mask mask) const override;
  Ptr<NetDevice> GetNetDevice (uint32_t interface) override;
  int32_t GetInterfaceForDevice (Ptr<const NetDevice> device) const override;
  bool AddAddress (uint32_t interface, Ipv4InterfaceAddress address) override;
  uint32_t GetNAddresses (uint32_t interface) const override;
  Ipv4InterfaceAddress GetAddress (uint32_t interface, uint32_t addressIndex) const override;
  bool RemoveAddress (uint32_t interface, uint32_t addressIndex) override;
  bool RemoveAddress (uint32_t interface, Ipv4Address address) override;
  Ipv4Address SelectSourceAddress (Ptr<const NetDevice> device, Ipv4Address dst,
                                   Ipv4InterfaceAddress::InterfaceAddressScope_e scope) override;
  void SetMetric (uint32_t interface, uint16_t metric) override;
  uint16_t GetMetric (uint32_t interface) const override;
  uint16_t GetMtu (uint32_t interface) const override;
  bool IsUp (uint32_t interface) const override;
  void SetUp (uint32_t interface) override;
  void SetDown (uint32_t interface) override;
  bool IsForwarding (uint32_t interface) const override;
  void SetForwarding (uint32_t interface, bool val) override;
  Ipv4Address SourceAddressSelection (uint32_t interface, Ipv4Address dest) override;
  Ptr<IpL4Protocol> GetProtocol (int protocolNumber) const override;
  Ptr<IpL4Protocol> GetProtocol (int protocolNumber, int32_t interfaceIndex) const override;
  Ptr<Socket> CreateRawSocket () override;
  void DeleteRawSocket (Ptr<Socket> socket) override;

protected:
  void NotifyNewAggregate () override;
  void DoDispose () override;

private:
  void SetIpForward (bool forward) override;
  bool GetIpForward () const override;
  void SetWeakEsModel (bool model) override;
  bool GetWeakEsModel () const override;

  void ApplyAddress (uint32_t interface, const Ipv4InterfaceAddress &address);

  LinuxIfTable<Ipv4InterfaceAddress> m_if{"Ipv4Linux"};
  Ptr<Ipv4RoutingProtocol> m_routing;
  bool m_kernelReady = false;
  bool m_ipForward = true;
  bool m_weakEs = true;
};

} // namespace ns3

#endif
