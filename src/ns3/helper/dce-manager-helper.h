// dce-manager-helper.h - gives ns-3 nodes what they need to run real programs.
#ifndef DCE_MANAGER_HELPER_H
#define DCE_MANAGER_HELPER_H

#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include <string>

namespace ns3 {

/**
 * Installs dce on nodes, as in ns-3-dce: each node gets its root filesystem
 * files-<node id>/ under the output directory (default: the current directory).
 * The scenario's seed comes from ns-3's RngSeedManager (--RngSeed/--RngRun), so
 * the same seed and run give identical outputs. After Simulator::Destroy the
 * exitprocs table is written.
 */
class DceManagerHelper
{
public:
  DceManagerHelper ();
  /** Attributes: "OutputDirectory" (string, default "."), "ClockQuantum" (ns a
   * busy-waiting program advances time by per 100 clock reads, default 1000),
   * "SyscallCost" (simulated ns each system call costs, default 1000; 0: none),
   * "SyscallCostSlice" (owed costs are slept off in slices of this many ns,
   * default 1000000), "CpuWatchdog" (ns of host CPU a program may run without a
   * system call before it is preempted and charged that time, default 1e9; 0:
   * never; where it preempts is not deterministic). All UintegerValue except
   * OutputDirectory; set them before Install.

   * "Confine" (boolean; default: $DCE_CONFINE, else confined with a warning when
   * the host refuses: from the first Install on, the process has its own mount and
   * network namespaces and only the output directory is writable; true makes a
   * refusal fatal, false turns it off; see docs/security.md). */
  void SetAttribute (std::string name, const AttributeValue &value);
  /** Select the socket layer: "ns3::Ns3SocketFdFactory" (default: ns-3's own
   * stack, installed by the scenario with InternetStackHelper) or
   * "ns3::LinuxSocketFdFactory" (advanced mode: each node boots its own Linux
   * kernel; Install then does what LinuxStackHelper::Install does, see
   * linux-stack-helper.h). */
  void SetNetworkStack (std::string type);
  /** The same with an attribute. ns3::LinuxSocketFdFactory: "Library" (string),
   * the path of the kernel library; $DCE_LINUX_LIBRARY still wins, and without
   * either the default is found as dce_kstack_library (kstack.h) says. A name
   * without '/' (ns-3-dce's "liblinux.so") keeps the default. */
  void SetNetworkStack (std::string type, std::string n1, const AttributeValue &v1);
  /** Make the nodes dce nodes (and, with the Linux stack, boot their kernels and
   * bridge the devices they have now; later devices are bridged at time 0). */
  void Install (NodeContainer nodes);
  void Install (Ptr<Node> node);
  /** Make a host directory (e.g. where your own programs are built) visible,
   * read-only, inside every node: SetBinary can then name a program in it by its
   * absolute host path. */
  void MapHostPath (std::string hostPath);
  /** Name resolution: at simulation start every node's files-N/etc/hosts lists every
   * dce node ("node<id>", or the name given here) with its IPv4 and global IPv6
   * addresses (from ns-3's stack, or from its kernel with the Linux stack), and
   * /etc/resolv.conf and /etc/nsswitch.conf are written if the scenario did not
   * provide them. */
  void SetNodeName (Ptr<Node> node, std::string name);

private:
  void Init ();
  static void WriteNameFiles ();
  std::string m_outputDirectory;
  uint64_t m_clockQuantum;
  int m_confine; // -1: not set
  uint64_t m_syscallCost;
  uint64_t m_syscallCostSlice;
  uint64_t m_cpuWatchdog;
  std::string m_stack;
};

} // namespace ns3

#endif
