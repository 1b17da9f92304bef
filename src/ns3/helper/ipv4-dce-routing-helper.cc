// ipv4-dce-routing-helper.cc - see ipv4-dce-routing-helper.h.
#include "ipv4-dce-routing-helper.h"
#include "ns3/ipv4-static-routing.h"

namespace ns3 {

Ipv4DceRoutingHelper::Ipv4DceRoutingHelper () = default;
Ipv4DceRoutingHelper::Ipv4DceRoutingHelper (const Ipv4DceRoutingHelper &o)
    : Ipv4StaticRoutingHelper (o)
{
}

Ipv4DceRoutingHelper *
Ipv4DceRoutingHelper::Copy () const
{
  return new Ipv4DceRoutingHelper (*this);
}

Ptr<Ipv4RoutingProtocol>
Ipv4DceRoutingHelper::Create (Ptr<Node> node) const
{
  return Ipv4StaticRoutingHelper::Create (node);
}

} // namespace ns3
