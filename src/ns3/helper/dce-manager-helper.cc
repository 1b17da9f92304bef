// dce-manager-helper.cc - see dce-manager-helper.h.
#include "dce-manager-helper.h"
#include "linux-stack-helper.h"
#include "../model/dce-application.h"
#include "../model/ipv4-linux.h"
#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/boolean.h"
#include "ns3/global-value.h"
#include "ns3/node-list.h"
#include "ns3/rng-seed-manager.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>
#include <algorithm>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

// The install tree this library was built for (Makefile: dce-paths.h), so that a
// scenario built out of the tree finds the kernel library and glibc-dce without
// environment variables.
#include "dce-paths.h"

extern "C" {
#include "../../core/dce.h"
#include "../../libc-ns3/net/kstack.h"
#include "../../libc-ns3/net/ns3-socket.h"
}
#include "../../mpi/dce-mpi.h"

namespace ns3 {

namespace {
bool g_initialised = false;
std::string g_outputDirectory;
std::map<uint32_t, std::string> g_names;
std::vector<uint32_t> g_dceNodes;
std::string g_kernelLibrary; // outlives dce_kstack_set_library's use of it
std::string g_kernelVersion;

const char *const kNs3Stack = "ns3::Ns3SocketFdFactory";
const char *const kLinuxStack = "ns3::LinuxSocketFdFactory";

void
FinishRun ()
{
  dce_finish ();
  // a distributed run (docs/mpi.md): every rank wrote its own exit table; rank 0
  // merges them into the one a one-process run writes
  if (dce_mpi_size () > 1)
    {
      dce_mpi_barrier ();
      if (dce_mpi_rank () == 0)
        dce_mpi_merge_exitprocs (g_outputDirectory.c_str (), (int)dce_mpi_size (), nullptr, 0);
    }
}
} // namespace

DceManagerHelper::DceManagerHelper ()
    : m_outputDirectory ("."), m_clockQuantum (1000), m_confine (-1), m_syscallCost (1000),
      m_syscallCostSlice (1000000), m_cpuWatchdog (1000000000), m_stack (kNs3Stack)
{
}

void
DceManagerHelper::SetAttribute (std::string name, const AttributeValue &value)
{
  // a wrong value type used to end in an uncaught std::bad_cast (SIGABRT)
  auto refuse = [&] (const std::string &why) {
    std::fprintf (stderr, "dce: DceManagerHelper::SetAttribute (\"%s\"): %s\n", name.c_str (), why.c_str ());
    std::exit (2);
  };
  if (name == "OutputDirectory")
    {
      const StringValue *s = dynamic_cast<const StringValue *> (&value);
      if (!s || s->Get ().empty ())
        refuse ("takes a StringValue naming a directory");
      m_outputDirectory = s->Get ();
    }
  else if (name == "ClockQuantum")
    {
      // nanoseconds as a UintegerValue (as before) or a TimeValue
      uint64_t ns = 0;
      if (const UintegerValue *u = dynamic_cast<const UintegerValue *> (&value))
        ns = u->Get ();
      else if (const TimeValue *t = dynamic_cast<const TimeValue *> (&value))
        ns = t->Get ().IsStrictlyNegative () ? 0 : (uint64_t)t->Get ().GetNanoSeconds ();
      else
        refuse ("takes a UintegerValue (nanoseconds) or a TimeValue");
      if (ns < 1 || ns > 1000000000)
        refuse ("clock quantum " + std::to_string (ns) + " ns is outside 1 ns to 1 s");
      m_clockQuantum = ns;
    }
  else if (name == "Confine")
    {
      const BooleanValue *b = dynamic_cast<const BooleanValue *> (&value);
      if (!b)
        refuse ("takes a BooleanValue");
      m_confine = b->Get () ? 1 : 0;
    }
  else if (name == "StopWhenDone")
    {
      const BooleanValue *b = dynamic_cast<const BooleanValue *> (&value);
      if (!b)
        refuse ("takes a BooleanValue");
      m_stopWhenDone = b->Get () ? 1 : 0;
    }
  else if (name == "SyscallCost" || name == "SyscallCostSlice" || name == "CpuWatchdog")
    {
      // nanoseconds (0 turns the mechanism off) as a UintegerValue or a TimeValue
      uint64_t ns = 0;
      if (const UintegerValue *u = dynamic_cast<const UintegerValue *> (&value))
        ns = u->Get ();
      else if (const TimeValue *t = dynamic_cast<const TimeValue *> (&value))
        {
          if (t->Get ().IsStrictlyNegative ())
            refuse ("takes a time of 0 or more");
          ns = (uint64_t)t->Get ().GetNanoSeconds ();
        }
      else
        refuse ("takes a UintegerValue (nanoseconds) or a TimeValue");
      (name == "SyscallCost" ? m_syscallCost : name == "SyscallCostSlice" ? m_syscallCostSlice : m_cpuWatchdog) = ns;
    }
  else
    refuse ("unknown attribute (known: OutputDirectory, ClockQuantum, SyscallCost, SyscallCostSlice, "
            "CpuWatchdog, Confine, StopWhenDone)");
}

void
DceManagerHelper::SetNetworkStack (std::string type)
{
  if (type != kNs3Stack && type != kLinuxStack)
    {
      std::fprintf (stderr, "dce: DceManagerHelper::SetNetworkStack: unknown network stack %s "
                            "(known: %s, %s)\n", type.c_str (), kNs3Stack, kLinuxStack);
      std::exit (2);
    }
  m_stack = type;
}

void
DceManagerHelper::SetNetworkStack (std::string type, std::string n1, const AttributeValue &v1)
{
  SetNetworkStack (type);
  if (type != kLinuxStack || n1.empty ())
    return;
  NS_ABORT_MSG_IF (n1 != "Library" && n1 != "KernelVersion",
                   kLinuxStack << ": unknown attribute " << n1 << " (known: Library, KernelVersion)");
  std::string library = dynamic_cast<const StringValue &> (v1).Get ();
  if (n1 == "KernelVersion") // "6.12" or "6.1": liblinux-<version>.so where dce looks
    {
      g_kernelVersion = library;
      dce_kstack_set_version (g_kernelVersion.c_str ());
      return;
    }
  if (library.find ('/') == std::string::npos) // an ns-3-dce library name
    return;
  g_kernelLibrary = library;
  dce_kstack_set_library (g_kernelLibrary.c_str ());
}

namespace {
bool
Readable (const std::string &path)
{
  return access (path.c_str (), R_OK) == 0;
}
} // namespace

// The environment and the scenario's own choices win; then what dce finds next to
// the running program (an installed bin/, dce's build tree); then the install
// tree this library was built for.
void
DceManagerHelper::UseInstalledPaths ()
{
  std::string glibc = std::string (DCE_INSTALL_LIBDIR) + "/glibc-dce";
  if (!getenv ("DCE_GLIBC_DIR") && Readable (glibc))
    setenv ("DCE_GLIBC_DIR", glibc.c_str (), 0);
  if (dce_kstack_library ())
    return;
  const char *want = dce_kstack_version ();
  for (const char *v : {"6.12", "6.1"})
    {
      std::string kernel = std::string (DCE_INSTALL_LIBDIR) + "/liblinux-" + (want ? want : v) + ".so";
      if (Readable (kernel))
        {
          g_kernelLibrary = kernel;
          dce_kstack_set_library (g_kernelLibrary.c_str ());
          return;
        }
      if (want)
        return; // dce_kstack_install names the missing version
    }
}

void
DceManagerHelper::Init ()
{
  if (g_initialised)
    return;
  // seed in the high half, run in the low: distinct (seed, run) pairs give distinct
  // dce seeds for runs below 2^32 (seed*1000003+run made (1, 1000003) equal (2, 0)).
  // dce mixes it with each node's id (random.c), so run N and N+1 share nothing.
  uint64_t seed = ((uint64_t)RngSeedManager::GetSeed () << 32) ^ RngSeedManager::GetRun ();
  if (m_confine >= 0)
    dce_set_confine (m_confine);
  UseInstalledPaths ();
  if (dce_mpi_size () > 1) // this process is one rank of a distributed run
    dce_set_exitprocs_name (("exitprocs.rank-" + std::to_string (dce_mpi_rank ())).c_str ());
  NS_ABORT_MSG_IF (dce_init (m_outputDirectory.c_str (), seed) != 0, "dce could not start");
  dce_set_clock_quantum (m_clockQuantum);
  dce_set_syscall_cost (m_syscallCost, m_syscallCostSlice);
  NS_ABORT_MSG_IF (dce_set_cpu_watchdog (m_cpuWatchdog) != 0, "dce: cannot set the CPU watchdog");
  Simulator::ScheduleDestroy (&FinishRun);
  // before the first program starts, once the scenario has assigned addresses
  Simulator::ScheduleWithContext (0xffffffff, Seconds (0), &DceManagerHelper::WriteNameFiles);
  Simulator::ScheduleWithContext (0xffffffff, Seconds (0), &DceManagerHelper::ArmStopWhenDone,
                                  m_stopWhenDone);
  // real checksums: ping verifies ICMP ones, and pcaps read cleanly in tshark
  GlobalValue::Bind ("ChecksumEnabled", BooleanValue (true));
  g_outputDirectory = m_outputDirectory;
  g_initialised = true;
  ShareNameFiles ();
}

void
DceManagerHelper::Install (Ptr<Node> node)
{
  Init ();
  dce_node_create (node->GetId ());
  if (std::find (g_dceNodes.begin (), g_dceNodes.end (), node->GetId ()) == g_dceNodes.end ())
    g_dceNodes.push_back (node->GetId ());
  if (m_stack == kLinuxStack || node->GetObject<Ipv4Linux> ())
    LinuxStackHelper ().Install (node);
}

void
DceManagerHelper::MapHostPath (std::string hostPath)
{
  Init ();
  dce_map_host_path (hostPath.c_str ());
}

void
DceManagerHelper::SetNodeName (Ptr<Node> node, std::string name)
{
  g_names[node->GetId ()] = name;
}

namespace {
std::string
NodeName (uint32_t id)
{
  auto it = g_names.find (id);
  return it != g_names.end () ? it->second : "node" + std::to_string (id);
}

const char kLocalHosts[] = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

void
ShareFile (const char *vpath, const std::string &text)
{
  int r = dce_share_file (vpath, text.data (), text.size ());
  NS_ABORT_MSG_IF (r != 0, "dce: cannot write the shared " << vpath << " (" << g_outputDirectory
                                                            << "/shared" << vpath << "): " << std::strerror (-r));
}
} // namespace

void
DceManagerHelper::WriteNameFiles ()
{
  // "id<TAB>address<TAB>name" per line; in a distributed run every rank adds its
  // nodes' lines (src/mpi), and every hosts file lists all nodes in node order.
  std::ostringstream all;
  for (uint32_t id : g_dceNodes)
    {
      std::string tag = std::to_string (id) + "\t";
      if (dce_kstack_enabled (id))
        {
          char addrs[32][64];
          int n = std::min (dce_kstack_addresses (id, addrs, 32), 32);
          for (int i = 0; i < n; i++)
            all << tag << addrs[i] << "\t" << NodeName (id) << "\n";
          continue;
        }
      std::vector<dce_ns3_iface> ifs (16);
      int n = std::min (dce_ns3_ifaces (id, ifs.data (), 16), 16);
      for (int i = 0; i < n; i++)
        {
          if (ifs[i].flags & 0x8) // IFF_LOOPBACK
            continue;
          for (int j = 0; j < ifs[i].n4; j++)
            {
              char a[INET_ADDRSTRLEN];
              inet_ntop (AF_INET, &ifs[i].a4[j].addr, a, sizeof a);
              all << tag << a << "\t" << NodeName (id) << "\n";
            }
          for (int j = 0; j < ifs[i].n6; j++)
            {
              if (ifs[i].a6[j].scope != 0) // RT_SCOPE_UNIVERSE only
                continue;
              char a[INET6_ADDRSTRLEN];
              inet_ntop (AF_INET6, ifs[i].a6[j].addr, a, sizeof a);
              all << tag << a << "\t" << NodeName (id) << "\n";
            }
        }
    }
  std::string mine = all.str ();
  size_t len = 0;
  char *every = dce_mpi_allgather_text (mine.data (), mine.size (), &len);
  std::map<uint32_t, std::string> byNode;
  std::istringstream lines (std::string (every ? every : "", len));
  std::free (every);
  for (std::string line; std::getline (lines, line);)
    {
      size_t tab = line.find ('\t');
      byNode[(uint32_t)std::stoul (line.substr (0, tab))] += line.substr (tab + 1) + "\n";
    }
  std::string hostsLines;
  for (auto &e : byNode)
    hostsLines += e.second;
  // one file for every node (OUT/shared/etc/hosts): 10,000 nodes wrote 10,000 lines
  // 10,000 times (1.7 GB); a node that changes it gets its own copy (src/libc-ns3/path.c)
  ShareFile ("/etc/hosts", std::string (kLocalHosts) + hostsLines);
}

void
DceManagerHelper::ShareNameFiles ()
{
  // before any node is used: a node's files-N/etc/X placed by the scenario stays its own
  ShareFile ("/etc/hosts", kLocalHosts);
  ShareFile ("/etc/resolv.conf", "# dce: every node is in /etc/hosts; add a nameserver line to use a "
                                 "DNS server node\noptions timeout:1 attempts:1\n");
  ShareFile ("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\nnetworks: files\n"
                                   "protocols: files\nservices: files\n");
}

void
DceManagerHelper::ArmStopWhenDone (int setting)
{
  if (setting < 0)
    {
      bool linuxStack = false, otherApps = false;
      for (uint32_t id : g_dceNodes)
        linuxStack = linuxStack || dce_kstack_enabled (id);
      for (auto n = NodeList::Begin (); n != NodeList::End (); ++n)
        for (uint32_t i = 0; i < (*n)->GetNApplications (); i++)
          otherApps = otherApps || !DynamicCast<DceApplication> ((*n)->GetApplication (i));
      setting = linuxStack && !otherApps;
    }
  if (setting)
    DceApplication::StopWhenAllDone ();
}

void
DceManagerHelper::SetTaskManagerAttribute (std::string n0, const AttributeValue &v0)
{
  auto refuse = [&] (const std::string &why) {
    std::fprintf (stderr, "dce: DceManagerHelper::SetTaskManagerAttribute (\"%s\"): %s\n",
                  n0.c_str (), why.c_str ());
    std::exit (2);
  };
  if (n0 == "FiberManagerType")
    {
      std::string kind;
      if (const StringValue *s = dynamic_cast<const StringValue *> (&v0))
        kind = s->Get ();
      else if (const EnumValue *e = dynamic_cast<const EnumValue *> (&v0))
        kind = e->Get () == 0 ? "PthreadFiberManager" : "UcontextFiberManager";
      else
        refuse ("takes a StringValue or EnumValue");
      if (kind != "UcontextFiberManager" && kind != "PthreadFiberManager")
        refuse ("unknown fiber manager '" + kind +
                "' (known: UcontextFiberManager, PthreadFiberManager; dce runs both as its own "
                "fibers)");
    }
  else if (n0 == "DefaultStackSize")
    {
      const UintegerValue *u = dynamic_cast<const UintegerValue *> (&v0);
      if (!u)
        refuse ("takes a UintegerValue (bytes)");
      if (u->Get () < (16u << 10) || u->Get () > (1u << 30))
        refuse (std::to_string (u->Get ()) + " bytes is outside 16384 to 1073741824");
      DceApplication::SetDefaultStackSize (u->Get ());
    }
  else
    refuse ("unknown attribute (known: FiberManagerType, DefaultStackSize)");
}

void
DceManagerHelper::SetScheduler (std::string type, std::string n0, const AttributeValue &v0,
                                std::string n1, const AttributeValue &v1)
{
}

void
DceManagerHelper::SetDelayModel (std::string type, std::string n0, const AttributeValue &v0,
                                 std::string n1, const AttributeValue &v1)
{
}

void
DceManagerHelper::SetLoader (std::string type)
{
  if (type != "ns3::DlmLoaderFactory" && type != "ns3::CoojaLoaderFactory" &&
      type != "ns3::CopyLoaderFactory" &&
      type != "ns3::CoojaLoaderFactory[]" && type != "ns3::DlmLoaderFactory[]")
    {
      std::fprintf (stderr,
                    "dce: DceManagerHelper::SetLoader: unknown loader '%s' (known: "
                    "ns3::DlmLoaderFactory, ns3::CoojaLoaderFactory, ns3::CopyLoaderFactory; dce has one loader)\n",
                    type.c_str ());
      std::exit (2);
    }
}

void
DceManagerHelper::SetVirtualPath (std::string p)
{
  m_virtualPath = p;
}

std::string
DceManagerHelper::GetVirtualPath () const
{
  return m_virtualPath;
}

namespace {
// "12.000000001" seconds as dce's status files write them, in ns.
int64_t
StatusTime (const std::string &text)
{
  size_t dot = text.find ('.');
  int64_t s = std::atoll (text.substr (0, dot).c_str ());
  int64_t ns = dot == std::string::npos ? 0 : std::atoll ((text.substr (dot + 1) + "000000000").substr (0, 9).c_str ());
  return s * 1000000000 + ns;
}

// One finished process from its status file; false while it runs.
bool
ReadStatus (const std::string &path, uint32_t node, ProcStatus *out)
{
  std::ifstream in (path);
  std::string line, cmd;
  int pid = 0, code = -1;
  int64_t start = 0, end = 0;
  while (std::getline (in, line))
    {
      size_t colon = line.find (": ");
      if (colon == std::string::npos)
        continue;
      std::string key = line.substr (0, colon), value = line.substr (colon + 2);
      if (key == "cmdline")
        cmd = value;
      else if (key == "pid")
        pid = std::atoi (value.c_str ());
      else if (key == "start")
        start = StatusTime (value);
      else if (key == "end")
        end = StatusTime (value);
      else if (key == "exit")
        code = std::atoi (value.c_str ());
      else if (key == "killed") // "SIGKILL (9)"
        {
          size_t paren = value.find ('(');
          code = 128 + (paren == std::string::npos ? 0 : std::atoi (value.c_str () + paren + 1));
        }
    }
  if (code < 0)
    return false;
  *out = ProcStatus (node, code, pid, start, end, 0, 0, (end - start) / 1e9, 0, cmd);
  return true;
}
} // namespace

std::vector<ProcStatus>
DceManagerHelper::GetProcStatus ()
{
  std::vector<ProcStatus> all;
  std::vector<uint32_t> nodes = g_dceNodes;
  std::sort (nodes.begin (), nodes.end ());
  for (uint32_t id : nodes)
    {
      std::string logs = g_outputDirectory + "/files-" + std::to_string (id) + "/var/log";
      std::vector<int> pids;
      if (DIR *d = opendir (logs.c_str ()))
        {
          while (struct dirent *e = readdir (d))
            if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
              pids.push_back (std::atoi (e->d_name));
          closedir (d);
        }
      std::sort (pids.begin (), pids.end ());
      for (int pid : pids)
        {
          ProcStatus st;
          if (ReadStatus (logs + "/" + std::to_string (pid) + "/status", id, &st))
            all.push_back (st);
        }
    }
  return all;
}

ProcStatus::ProcStatus () = default;
ProcStatus::ProcStatus (int n, int e, int p, int64_t ns, int64_t ne, long rs, long re, double nd,
                        long rd, std::string cmd)
    : m_node (n), m_exitCode (e), m_pid (p), m_ns3StartTime (ns), m_ns3EndTime (ne),
      m_realStartTime (rs), m_realEndTime (re), m_ns3Duration (nd), m_realDuration (rd),
      m_cmdLine (cmd)
{
}
int
ProcStatus::GetNode () const
{
  return m_node;
}
int
ProcStatus::GetExitCode () const
{
  return m_exitCode;
}
int
ProcStatus::GetPid () const
{
  return m_pid;
}
int64_t
ProcStatus::GetSimulatedStartTime () const
{
  return m_ns3StartTime;
}
int64_t
ProcStatus::GetSimulatedEndTime () const
{
  return m_ns3EndTime;
}
long
ProcStatus::GetRealStartTime () const
{
  return m_realStartTime;
}
long
ProcStatus::GetRealEndTime () const
{
  return m_realEndTime;
}
double
ProcStatus::GetSimulatedDuration () const
{
  return m_ns3Duration;
}
long
ProcStatus::GetRealDuration () const
{
  return m_realDuration;
}
std::string
ProcStatus::GetCmdLine () const
{
  return m_cmdLine;
}

void
DceManagerHelper::Install (NodeContainer nodes)
{
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    Install (*i);
}

} // namespace ns3
