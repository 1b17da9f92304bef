// linux-if-table.h - the interface bookkeeping Ipv4Linux and Ipv6Linux share: per
// interface its device, the addresses ns-3's helpers gave it, metric, up and
// forwarding flags. Lookups and bounds checks live here once; what differs (how an
// address is compared, what the kernel and the routing protocol are told) stays in
// the two classes.
#ifndef DCE_LINUX_IF_TABLE_H
#define DCE_LINUX_IF_TABLE_H

#include "ns3/abort.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv6-interface-address.h"
#include "ns3/net-device.h"

#include <vector>

namespace ns3 {

// The address an interface address stands for, and its network part.
inline Ipv4Address
LinuxIfAddress (const Ipv4InterfaceAddress &a)
{
  return a.GetLocal ();
}
inline Ipv6Address
LinuxIfAddress (const Ipv6InterfaceAddress &a)
{
  return a.GetAddress ();
}
inline Ipv4Address
LinuxIfMasked (Ipv4Address a, Ipv4Mask m)
{
  return a.CombineMask (m);
}
inline Ipv6Address
LinuxIfMasked (Ipv6Address a, Ipv6Prefix m)
{
  return a.CombinePrefix (m);
}

template <class IfAddr> class LinuxIfTable
{
public:
  struct Interface
  {
    Ptr<NetDevice> device;
    std::vector<IfAddr> addresses;
    uint16_t metric = 1;
    bool up = false;
    bool forwarding = true;
  };

  // owner names the class in messages ("Ipv4Linux")
  explicit LinuxIfTable (const char *owner) : m_owner (owner) {}

  // The index of device's interface, a new one (forwarding as given) if it has none.
  uint32_t Add (Ptr<NetDevice> device, bool forwarding, bool *added)
  {
    int32_t known = ForDevice (device);
    *added = known < 0;
    if (known >= 0)
      return known;
    Interface i;
    i.device = device;
    i.forwarding = forwarding;
    m_if.push_back (i);
    return m_if.size () - 1;
  }
  uint32_t Size () const { return m_if.size (); }
  const Interface &At (uint32_t i, const char *what) const
  {
    NS_ABORT_MSG_IF (i >= m_if.size (), m_owner << "::" << what << ": no interface " << i
                                                << " (the node has " << m_if.size () << ")");
    return m_if[i];
  }
  Interface &At (uint32_t i, const char *what)
  {
    return const_cast<Interface &> (static_cast<const LinuxIfTable *> (this)->At (i, what));
  }
  const IfAddr &AddressAt (uint32_t i, uint32_t k, const char *what) const
  {
    const Interface &f = At (i, what);
    NS_ABORT_MSG_IF (k >= f.addresses.size (),
                     m_owner << "::" << what << ": interface " << i << " has no address " << k);
    return f.addresses[k];
  }
  int32_t ForDevice (Ptr<const NetDevice> device) const
  {
    for (uint32_t i = 0; i < m_if.size (); i++)
      if (m_if[i].device == device)
        return i;
    return -1;
  }
  template <class Addr> int32_t ForAddress (Addr address) const
  {
    for (uint32_t i = 0; i < m_if.size (); i++)
      if (IndexOf (i, address) >= 0)
        return i;
    return -1;
  }
  template <class Addr, class Mask> int32_t ForPrefix (Addr address, Mask mask) const
  {
    for (uint32_t i = 0; i < m_if.size (); i++)
      for (auto &a : m_if[i].addresses)
        if (LinuxIfMasked (LinuxIfAddress (a), mask) == LinuxIfMasked (address, mask))
          return i;
    return -1;
  }
  // The index of address among interface i's addresses, -1 if it has not.
  template <class Addr> int32_t IndexOf (uint32_t i, Addr address) const
  {
    const std::vector<IfAddr> &v = At (i, "RemoveAddress").addresses;
    for (uint32_t k = 0; k < v.size (); k++)
      if (LinuxIfAddress (v[k]) == address)
        return k;
    return -1;
  }
  // Remove address k of interface i into *removed; false if there is none.
  bool Remove (uint32_t i, uint32_t k, IfAddr *removed)
  {
    Interface &f = At (i, "RemoveAddress");
    if (k >= f.addresses.size ())
      return false;
    *removed = f.addresses[k];
    f.addresses.erase (f.addresses.begin () + k);
    return true;
  }
  void SetForwardingAll (bool forward)
  {
    for (auto &i : m_if)
      i.forwarding = forward;
  }
  typename std::vector<Interface>::const_iterator begin () const { return m_if.begin (); }
  typename std::vector<Interface>::const_iterator end () const { return m_if.end (); }
  void Clear () { m_if.clear (); }

private:
  const char *m_owner;
  std::vector<Interface> m_if;
};

} // namespace ns3

#endif
