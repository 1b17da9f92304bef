// linux-stack-helper.h - gives dce nodes their own Linux kernel (advanced mode).
#ifndef LINUX_STACK_HELPER_H
#define LINUX_STACK_HELPER_H

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include <string>
#include <vector>

namespace ns3 {

class Ipv4RoutingHelper;

/**
 * Installs the Linux network stack on dce nodes, as in ns-3-dce: each node boots
 * its own copy of the kernel library (liblinux-6.1.so, docs/kernel.md), and its
 * programs' sockets, /proc/sys and /sys go to that kernel instead of ns-3's stack.
 *
 *   LinuxStackHelper stack;
 *   stack.Install (nodes);              // before or after DceManagerHelper::Install
 *   DceManagerHelper dce;
 *   dce.Install (nodes);                // boots the kernels, bridges the devices
 *   stack.AssignIpv4 (devs, "10.1.1.0", "255.255.255.0");
 *   stack.SysctlSet (nodes, "net.ipv4.tcp_congestion_control", "bbr");
 *
 * (DceManagerHelper::SetNetworkStack ("ns3::LinuxSocketFdFactory") does the same
 * install as part of DceManagerHelper::Install.) Do not also install ns-3's
 * InternetStackHelper on these nodes: both stacks would answer every frame.
 *
 * Devices: every NetDevice of the node becomes an Ethernet device of its kernel,
 * named eth0, eth1, ... in ns-3 device index order (ns-3's LoopbackNetDevice, if
 * any, is skipped: the kernel has its own lo). The kernel device has the ns-3
 * device's MAC address and MTU, and is up. Point-to-point devices (those that need
 * no ARP) become NOARP devices and carry IPv4 and IPv6 only. Devices present at
 * Install are bridged at once; devices added to the node later are bridged at
 * simulation time 0 (or earlier, by the first call below that names one).
 *
 * The kernel boots during Install, so the configuration calls below work before
 * Simulator::Run; they go through the kernel's own interfaces (netlink, /proc/sys),
 * as `ip` and `sysctl` do. Each aborts the scenario with the kernel's reason when
 * the kernel refuses. To configure at a given simulation time, or with options not
 * covered here, run the stock `ip` program with RunIp.
 *
 * ns-3's own helpers work on these nodes too, as in ns-3-dce: Install aggregates
 * an ns3::Ipv4Linux (ipv4-linux.h), so Ipv4AddressHelper::Assign adds its addresses
 * to the kernel's devices, and the node takes part in ns-3's global routing
 * (Ipv4GlobalRoutingHelper::PopulateRoutingTables, then PopulateRoutingTables
 * below copies the routes into the kernels). Wherever a helper call names a kernel
 * device, ns-3-dce's names sim0, sim1, ... are accepted for eth0, eth1, ...
 */
class LinuxStackHelper
{
public:
  LinuxStackHelper ();
  ~LinuxStackHelper ();
  /** Give the node a Linux stack: an ns3::Ipv4Linux for ns-3's helpers and, once
   * the node is a dce node (DceManagerHelper::Install, before or after this
   * call), its own booted kernel with the node's devices bridged. Installing twice
   * does nothing more. A node given a Linux stack but never installed with
   * DceManagerHelper stops the simulation at its start with a message. */
  void Install (Ptr<Node> node) const;
  void Install (NodeContainer nodes) const;
  /** The node named with ns-3's Names service. */
  void Install (std::string nodeName) const;
  /** Every node of the simulation. */
  void InstallAll () const;

  /** Set a sysctl on each node; the key as in sysctl(8), "net.ipv4.ip_forward"
   * (ns-3-dce's ".net.ipv4.ip_forward" is accepted too). */
  static void SysctlSet (NodeContainer nodes, std::string key, std::string value);
  /** A sysctl's current value on node (the trailing newline removed). */
  static std::string SysctlGet (Ptr<Node> node, std::string key);
  /** ns-3-dce's asynchronous form: at simulation time `at`, call
   * callback (key, value) with the value as /proc/sys shows it (newline included). */
  static void SysctlGet (Ptr<Node> node, Time at, std::string key,
                         void (*callback) (std::string, std::string));

  /** Accepted for ns-3-dce scripts; it has no effect: the kernel routes packets,
   * and every Linux-stack node takes part in ns-3's global routing for
   * PopulateRoutingTables. Configure the kernel's routes with AddRoute or RunIp. */
  void SetRoutingHelper (const Ipv4RoutingHelper &routing);
  /** Copy the IPv4 routes ns-3's global routing computed for every Linux-stack node
   * into its kernel. Call after Ipv4GlobalRoutingHelper::PopulateRoutingTables ()
   * (IPv4 only, as in ns-3-dce). */
  static void PopulateRoutingTables ();

  /** Add an address, "10.1.1.1/24" or "2001:db8::1/64", to the kernel device of
   * the node's ns-3 device number deviceIndex (as in Node::GetDevice). */
  static void AddAddress (Ptr<Node> node, uint32_t deviceIndex, std::string address);
  /** The same for device, which must belong to node. */
  static void AddAddress (Ptr<Node> node, Ptr<NetDevice> device, std::string address);
  /** Add a route to dst ("10.2.0.0/16", "2001:db8:2::/64", "default" for IPv4,
   * "default6" or "::/0" for IPv6) via gateway and/or out of the kernel device
   * ifname ("eth1", or ns-3-dce's "sim1"); an empty string leaves either out. */
  static void AddRoute (Ptr<Node> node, std::string dst, std::string gateway,
                        std::string ifname = "");

  /** Number devices from network: devices.Get (i) gets network + i + 1 with the
   * mask's prefix length, e.g. ("10.1.1.0", "255.255.255.0") gives 10.1.1.1/24,
   * 10.1.1.2/24, ... Returns the addresses assigned, without prefix length. */
  static std::vector<std::string> AssignIpv4 (NetDeviceContainer devices, std::string network,
                                              std::string mask);
  /** The same for IPv6: ("2001:db8:1::", 64) gives 2001:db8:1::1/64, ... */
  static std::vector<std::string> AssignIpv6 (NetDeviceContainer devices, std::string prefix,
                                              int prefixLength);

  /** The kernel's name for device ("eth0", ...; "lo" for ns-3's loopback). */
  static std::string GetInterfaceName (Ptr<NetDevice> device);

  /** Run the stock ip(8) program on node at time `at` with args, e.g.
   * RunIp (node, Seconds (1), "route add 10.2.0.0/16 via 10.1.1.2"). It is a dce
   * process like any other (its output is in the node's files-N/var/log/PID/).
   * A word simN (ns-3-dce's device names) is given to ip as ethN. */
  static void RunIp (Ptr<Node> node, Time at, std::string args);

  /** ns-3-dce's device name simN as the kernel's ethN; other names unchanged. */
  static std::string KernelDeviceName (std::string name);
};

} // namespace ns3

#endif
