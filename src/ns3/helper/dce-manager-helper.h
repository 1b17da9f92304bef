// dce-manager-helper.h - gives ns-3 nodes what they need to run real programs.
#ifndef DCE_MANAGER_HELPER_H
#define DCE_MANAGER_HELPER_H

#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ns3 {

/**
 * A finished process, as DceManagerHelper::GetProcStatus returns it (ns-3-dce's
 * ProcStatus). Times are simulated; dce does not record host ("real") times, so
 * GetRealStartTime, GetRealEndTime and GetRealDuration are 0.
 */
class ProcStatus
{
public:
  ProcStatus ();
  ProcStatus (int n, int e, int p, int64_t ns, int64_t ne, long rs, long re, double nd, long rd,
              std::string cmd);
  int GetNode () const;
  /** The exit status; for a process killed by a signal, 128 + the signal, as a
   * shell reports it. */
  int GetExitCode () const;
  int GetPid () const;
  /** Simulated start and end, in nanoseconds. */
  int64_t GetSimulatedStartTime () const;
  int64_t GetSimulatedEndTime () const;
  long GetRealStartTime () const;
  long GetRealEndTime () const;
  /** Simulated duration in seconds. */
  double GetSimulatedDuration () const;
  long GetRealDuration () const;
  std::string GetCmdLine () const;

private:
  int m_node = 0;
  int m_exitCode = 0;
  int m_pid = 0;
  int64_t m_ns3StartTime = 0;
  int64_t m_ns3EndTime = 0;
  long m_realStartTime = 0;
  long m_realEndTime = 0;
  double m_ns3Duration = 0;
  long m_realDuration = 0;
  std::string m_cmdLine;
};

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
   * refusal fatal, false turns it off; see docs/security.md).

   * "StopWhenDone" (boolean): end the simulation once every DceApplication has
   * started and every process has exited, as dce-run does. Default: on when some
   * node has the Linux stack (its kernel's timers would otherwise keep a
   * scenario without Simulator::Stop running forever) and no node has an ns-3
   * Application other than DceApplications; off otherwise (an ns-3-stack
   * scenario ends by itself when nothing is left to do). */
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
   * without '/' (ns-3-dce's "liblinux.so") keeps the default. "KernelVersion"
   * (string, "6.12" or "6.1"): which built kernel the default search takes
   * (like $DCE_KERNEL_VERSION; without it 6.12, else 6.1). */
  void SetNetworkStack (std::string type, std::string n1, const AttributeValue &v1);
  /** ns-3-dce's task manager attributes. "FiberManagerType" (EnumValue or
   * StringValue: "UcontextFiberManager" or "PthreadFiberManager") is accepted and
   * has one implementation: dce's own fibers (docs/design.md). "DefaultStackSize"
   * (UintegerValue, bytes) becomes the stack size of programs that set none. */
  void SetTaskManagerAttribute (std::string n0, const AttributeValue &v0);
  /** ns-3-dce's task scheduler ("ns3::RrTaskScheduler", ...): accepted; dce runs
   * threads in one deterministic order (wake time, then sequence). */
  void SetScheduler (std::string type, std::string n0 = "",
                     const AttributeValue &v0 = EmptyAttributeValue (), std::string n1 = "",
                     const AttributeValue &v1 = EmptyAttributeValue ());
  /** ns-3-dce's process delay model: accepted; computing costs no simulated time
   * in dce except as the SyscallCost attribute says. */
  void SetDelayModel (std::string type, std::string n0 = "",
                      const AttributeValue &v0 = EmptyAttributeValue (), std::string n1 = "",
                      const AttributeValue &v1 = EmptyAttributeValue ());
  /** ns-3-dce's loader ("ns3::DlmLoaderFactory", "ns3::CoojaLoaderFactory", "ns3::CopyLoaderFactory"):
   * accepted; dce has one loader (its own, src/loader). */
  void SetLoader (std::string type);
  /** ns-3-dce's search path for programs (DCE_PATH): kept and returned by
   * GetVirtualPath, not used: dce searches a program in the node's PATH (inside
   * files-N, then the host paths mapped in), or give SetBinary a path. */
  void SetVirtualPath (std::string p);
  std::string GetVirtualPath () const;
  /** The processes that have finished so far, on every dce node (including the
   * children they forked), in node then pid order. */
  static std::vector<ProcStatus> GetProcStatus ();

  /** Make the nodes dce nodes (and, with the Linux stack, boot their kernels and
   * bridge the devices they have now; later devices are bridged at time 0). A node
   * already given a Linux stack by LinuxStackHelper::Install gets its kernel here. */
  void Install (NodeContainer nodes);
  void Install (Ptr<Node> node);
  /** Make a host directory (e.g. where your own programs are built) visible,
   * read-only, inside every node: SetBinary can then name a program in it by its
   * absolute host path. */
  void MapHostPath (std::string hostPath);
  /** Name resolution: at simulation start every node's /etc/hosts lists every
   * dce node ("node<id>", or the name given here) with its IPv4 and global IPv6
   * addresses (from ns-3's stack, or from its kernel with the Linux stack). That
   * /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf are one file each for all
   * nodes, OUT/shared/etc/..., unless the scenario placed files-N/etc/X; a node
   * whose program changes one gets its own copy in files-N/etc. */
  void SetNodeName (Ptr<Node> node, std::string name);

private:
  void Init ();
  static void UseInstalledPaths ();
  static void ArmStopWhenDone (int setting);
  static void WriteNameFiles ();
  static void ShareNameFiles ();
  std::string m_outputDirectory;
  uint64_t m_clockQuantum;
  int m_confine; // -1: not set
  int m_stopWhenDone = -1; // -1: the default
  uint64_t m_syscallCost;
  uint64_t m_syscallCostSlice;
  uint64_t m_cpuWatchdog;
  std::string m_stack;
  std::string m_virtualPath;
};

} // namespace ns3

#endif
