// ipv4-dce-routing-helper.h - ns-3-dce's routing helper for DCE nodes.
#ifndef DCE_IPV4_DCE_ROUTING_HELPER_H
#define DCE_IPV4_DCE_ROUTING_HELPER_H

#include "ns3/ipv4-static-routing-helper.h"

namespace ns3 {

/**
 * As in ns-3-dce, an Ipv4StaticRoutingHelper for nodes running ns-3's stack under
 * dce (InternetStackHelper::SetRoutingHelper): it creates ns-3's
 * Ipv4StaticRouting. ns-3-dce's routing object also mirrored routes that programs
 * set through netlink; in dce, netlink route requests on ns-3-stack nodes are
 * answered by dce's emulation (docs/network.md) whatever the helper.
 */
class Ipv4DceRoutingHelper : public Ipv4StaticRoutingHelper
{
public:
  Ipv4DceRoutingHelper ();
  Ipv4DceRoutingHelper (const Ipv4DceRoutingHelper &);
  Ipv4DceRoutingHelper &operator= (const Ipv4DceRoutingHelper &) = delete;
  Ipv4DceRoutingHelper *Copy () const override;
  Ptr<Ipv4RoutingProtocol> Create (Ptr<Node> node) const override;
};

} // namespace ns3

#endif
