// dce-run - run stock programs on simulated nodes from the command line.
//
//   dce-run [--out DIR] [--seed N] [--stop TIME] [--quantum NS] [--syscall-cost TIME]
//           [--cost-slice TIME] [--cpu-watchdog TIME] [--linux] [--check] [--no-confine] SPEC...
//   SPEC:   "[NODE][@TIME][ key=value...]: program arg..."
//   keys:   stdin=HOSTFILE  stack=SIZE  stop=TIME  env=NAME=VALUE (repeatable)
//
// e.g.  dce-run "0@1s: date" "1@0.5s: sh -c 'seq 1 1000 | sort -r | head -3'"
// Arguments use shell-like quoting ('...', "...", backslash).
//
// Every value is checked before anything runs: a bad one is refused with one line
// naming it and the accepted range, exit 2. --check stops there (nothing runs).
// Built with -DDCE_RUN_PARSE_ONLY this file is only the parser (ParseArgs), which
// the mutation test (test/unit/cli-mutate.cc) links.
#ifndef DCE_RUN_PARSE_ONLY
#include "ns3/core-module.h"
#endif
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "../scenario/model.h"
#include "../scenario/scenario.h"

extern "C" {
#include "../core/dce.h"
#include "../libc-ns3/net/kstack.h"
// dce-run FILE.yaml: the scenario layer runs the file (src/scenario, docs/scenarios.md)
int dce_scenario_is_file_arg (const char *arg);
int dce_scenario_main (int argc, char **argv);
}

namespace {

// Limits of the values dce-run takes (the usage text states them).
const uint64_t kMaxTimeNs = 3153600000ULL * 1000000000ULL; // 100 years
const uint64_t kMaxNode = 1000000;
const uint64_t kMinStack = 16 << 10, kMaxStack = 1ULL << 30;
const uint64_t kMaxQuantum = 1000000000ULL; // 1 s

void
Usage (FILE *f)
{
  std::fprintf (f,
                "usage: dce-run [--out DIR] [--seed N] [--stop TIME] [--check] FILE.yaml   (a scenario file: docs/scenarios.md)\n"
                "       dce-run [--out DIR] [--seed N] [--stop TIME] [--quantum NS] [--map HOSTPATH]... [--linux] [--kernel VERSION] [--check] [--no-confine] SPEC...\n"
                "  SPEC: \"[NODE][@TIME][ key=value...]: program arg...\"   NODE: 0 to 1000000 (default 0)\n"
                "  keys: stdin=HOSTFILE stack=SIZE stop=TIME env=NAME=VALUE (env repeatable, the others once;\n"
                "        quote a value holding ':', e.g. 'env=PATH=/bin:/usr/bin')\n"
                "  TIME: a number with unit ns, us, ms, s (default s), 0 to 100 years (3153600000 s);\n"
                "        a process's stop= must be after its start\n"
                "  SIZE: bytes, or with K or M; a stack is 16K to 1024M\n"
                "  --seed N: 0 to 18446744073709551615 (default 1); --quantum NS: 1 to 1000000000 (default 1000)\n"
                "  --stop TIME: end the simulation then (after 0; every process must start before it)\n"
                "  --map HOSTPATH: make a host file or directory visible read-only in every node\n"
                "  --syscall-cost TIME: simulated time each system call costs (default 1us; 0: none)\n"
                "  --cost-slice TIME: owed call costs are slept off in slices this long (default 1ms)\n"
                "  --cpu-watchdog TIME: host CPU a program may use without a system call before it is\n"
                "           preempted and charged that time (default 1s; 0: never; not deterministic)\n"
                "  SIGINT/SIGTERM/SIGHUP: end the run, write every output, exit with 128+signal\n"
                "  --linux: every node runs its own Linux kernel (the kernel library, advanced mode;\n"
                "           $DCE_LINUX_LIBRARY or <prefix>/lib/liblinux-VERSION.so): sockets, ip, sysctl\n"
                "           and /proc/sys are the node's kernel's (loopback only: dce-run has no links)\n"
                "  --kernel VERSION: --linux with that built kernel, 6.12 or 6.1 (default\n"
                "           $DCE_KERNEL_VERSION, else 6.12 if built); uname -r in a node says which\n"
                "  --check: check the command line and say what would run, without running it\n"
                "  --no-confine: run without the host's confinement (own mount and network namespaces,\n"
                "           host files read-only but DIR, a seccomp filter); --confine: fail if the host\n"
                "           refuses it (default: confined, a warning when refused; docs/security.md)\n"
                "  Options also take --name=VALUE.\n"
                "  Outputs: DIR/files-NODE/var/log/PID/{cmdline,stdout,stderr,status}, DIR/exitprocs\n");
}

// A value as it appears in a message: quoted, control characters escaped, cut short.
std::string
Show (const std::string &v)
{
  return dce_scenario_model::Show (v, 80);
}

std::string
FmtTime (uint64_t ns)
{
  char b[64];
  std::snprintf (b, sizeof b, "%.9g s", (double)ns / 1e9);
  return b;
}

// Numbers, times, sizes and command lines are read by the scenario layer's parsers
// (src/scenario/values.cc), the same for dce-run's arguments and scenario files.
using dce_scenario_model::ParseUint;
using dce_scenario_model::SplitWords;

// TIME: a finite non-negative number and an optional unit, at most 100 years.
bool
ParseTime (const std::string &s, uint64_t *ns)
{
  // dce-run's units are ns, us, ms and s (a scenario file also takes min and h)
  if (!s.empty () && (s.back () == 'h' || (s.size () > 3 && s.compare (s.size () - 3, 3, "min") == 0)))
    return false;
  const char *why;
  return dce_scenario_parse_time (s.c_str (), ns, &why) == 0;
}

const char *const kTimeRange = "a number with unit ns, us, ms or s, 0 to 3153600000 s";

// SIZE: bytes, K or M; a stack between kMinStack and kMaxStack.
bool
ParseSize (const std::string &s, size_t *out)
{
  uint64_t v;
  if (!dce_scenario_model::ParseSize (s, &v) || v < kMinStack || v > kMaxStack)
    return false;
  *out = (size_t)v;
  return true;
}

// The ':' that ends the process options: the first one outside quotes.
size_t
FindColon (const std::string &s)
{
  char q = 0;
  for (size_t i = 0; i < s.size (); i++)
    {
      char c = s[i];
      if (q)
        {
          if (c == q)
            q = 0;
        }
      else if (c == '\\')
        i++;
      else if (c == '\'' || c == '"')
        q = c;
      else if (c == ':')
        return i;
    }
  return std::string::npos;
}

struct Spec
{
  uint32_t node = 0;
  dce_process_spec p{};
  std::vector<std::string> args, env;
  std::string stdinFile;
};

bool
ParseSpec (const std::string &text, Spec *sp, std::string *err)
{
  size_t colon = FindColon (text);
  if (colon == std::string::npos)
    {
      *err = "missing ':' between the process options and the command";
      return false;
    }
  std::vector<std::string> head;
  if (!SplitWords (text.substr (0, colon), &head, err) || !SplitWords (text.substr (colon + 1), &sp->args, err))
    return false;
  if (sp->args.empty () || sp->args[0].empty ())
    {
      *err = "no program after ':'";
      return false;
    }
  bool haveStdin = false, haveStack = false, haveStop = false;
  for (size_t i = 0; i < head.size (); i++)
    {
      const std::string &h = head[i];
      size_t eq = h.find ('=');
      if (i == 0 && eq == std::string::npos)
        {
          size_t at = h.find ('@');
          std::string n = h.substr (0, at);
          uint64_t v = 0;
          if (!n.empty () && !ParseUint (n, 0, kMaxNode, &v))
            {
              *err = "bad node number " + Show (n) + " (a whole number, 0 to 1000000)";
              return false;
            }
          sp->node = (uint32_t)v;
          if (at != std::string::npos && !ParseTime (h.substr (at + 1), &sp->p.start_ns))
            {
              *err = "bad start time " + Show (h.substr (at + 1)) + " (" + kTimeRange + ")";
              return false;
            }
          continue;
        }
      if (eq == std::string::npos || eq == 0)
        {
          *err = "expected key=value, got " + Show (h) + " (keys: stdin, stack, stop, env)";
          return false;
        }
      std::string k = h.substr (0, eq), v = h.substr (eq + 1);
      bool *seen = k == "stdin" ? &haveStdin : k == "stack" ? &haveStack : k == "stop" ? &haveStop : nullptr;
      if (seen && *seen)
        {
          *err = "key " + k + "= given twice (only env= may repeat)";
          return false;
        }
      if (seen)
        *seen = true;
      if (k == "stdin")
        {
          struct stat st;
          int fd = v.empty () ? -1 : open (v.c_str (), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
          if (fd < 0 || fstat (fd, &st) != 0 || S_ISDIR (st.st_mode))
            {
              *err = "stdin=" + Show (v) + ": " + (fd < 0 && !v.empty () ? std::strerror (errno) : "not a readable file") +
                     " (stdin= takes a host file dce-run can read)";
              if (fd >= 0)
                close (fd);
              return false;
            }
          close (fd);
          sp->stdinFile = v;
        }
      else if (k == "stack")
        {
          if (!ParseSize (v, &sp->p.stack_size))
            {
              *err = "bad stack size " + Show (v) + " (bytes, or with K or M: 16K to 1024M)";
              return false;
            }
        }
      else if (k == "stop")
        {
          if (!ParseTime (v, &sp->p.stop_ns))
            {
              *err = "bad stop time " + Show (v) + " (" + kTimeRange + ")";
              return false;
            }
        }
      else if (k == "env")
        {
          size_t e = v.find ('=');
          if (e == std::string::npos || e == 0)
            {
              *err = "bad env=" + Show (v) + " (env=NAME=VALUE, NAME not empty)";
              return false;
            }
          sp->env.push_back (v);
        }
      else
        {
          *err = "unknown key " + Show (k) + " (known: stdin, stack, stop, env)";
          return false;
        }
    }
  if (haveStop && sp->p.stop_ns <= sp->p.start_ns)
    {
      *err = "stop=" + FmtTime (sp->p.stop_ns) + " is not after the start at " + FmtTime (sp->p.start_ns);
      return false;
    }
  return true;
}

struct Options
{
  std::string out = ".";
  std::string kernel; // --kernel
  uint64_t seed = 1, stop = 0, quantum = 1000;
  uint64_t syscallCost = 1000, costSlice = 1000000, cpuWatchdog = 1000000000;
  bool haveStop = false, linuxStack = false, check = false;
  int confine = -1; // --confine 1, --no-confine 0, else dce's default
  std::vector<Spec> specs;
  std::vector<std::string> maps;
};

// The whole command line. 0: run, 1: --help was asked, 2: *err says what is wrong
// (one line, without the "dce-run: " prefix).
int
ParseArgs (int argc, char **argv, Options *o, std::string *err)
{
  bool dashdash = false;
  for (int i = 1; i < argc; i++)
    {
      std::string a = argv[i];
      bool option = !dashdash && a.size () > 1 && a[0] == '-' && FindColon (a) == std::string::npos;
      if (!option)
        {
          Spec sp;
          std::string e;
          if (!ParseSpec (a, &sp, &e))
            {
              *err = "process spec " + Show (a) + ": " + e;
              return 2;
            }
          o->specs.push_back (sp);
          continue;
        }
      std::string name = a, value;
      bool inlineValue = false;
      size_t eq = a.find ('=');
      if (a.compare (0, 2, "--") == 0 && eq != std::string::npos)
        {
          name = a.substr (0, eq);
          value = a.substr (eq + 1);
          inlineValue = true;
        }
      bool takesValue = name == "--out" || name == "-o" || name == "--seed" || name == "--stop" ||
                        name == "--map" || name == "--quantum" || name == "--syscall-cost" ||
                        name == "--cost-slice" || name == "--cpu-watchdog" || name == "--kernel";
      if (name == "--")
        {
          dashdash = true;
          continue;
        }
      if (name == "-h" || name == "--help" || name == "--linux" || name == "--check" ||
          name == "--confine" || name == "--no-confine")
        {
          if (inlineValue)
            {
              *err = name + " takes no value";
              return 2;
            }
          if (name == "--linux")
            o->linuxStack = true;
          else if (name == "--check")
            o->check = true;
          else if (name == "--confine" || name == "--no-confine")
            o->confine = name == "--confine";
          else
            return 1;
          continue;
        }
      if (!takesValue)
        {
          *err = "unknown option " + Show (a) + " (see --help)";
          return 2;
        }
      if (!inlineValue)
        {
          if (i + 1 >= argc)
            {
              *err = name + " needs a value";
              return 2;
            }
          value = argv[++i];
        }
      if (name == "--out" || name == "-o")
        {
          if (value.empty ())
            {
              *err = "--out needs a directory";
              return 2;
            }
          o->out = value;
        }
      else if (name == "--kernel")
        {
          if (value.empty () || value.find_first_not_of ("0123456789.") != std::string::npos)
            {
              *err = "bad --kernel " + Show (value) + " (a kernel series such as 6.12 or 6.1)";
              return 2;
            }
          o->kernel = value;
          o->linuxStack = true;
        }
      else if (name == "--seed")
        {
          if (!ParseUint (value, 0, UINT64_MAX, &o->seed))
            {
              *err = "bad --seed " + Show (value) + " (a whole number, 0 to 18446744073709551615)";
              return 2;
            }
        }
      else if (name == "--quantum")
        {
          if (!ParseUint (value, 1, kMaxQuantum, &o->quantum))
            {
              *err = "bad --quantum " + Show (value) + " (nanoseconds, 1 to 1000000000)";
              return 2;
            }
        }
      else if (name == "--syscall-cost" || name == "--cost-slice" || name == "--cpu-watchdog")
        {
          uint64_t *to = name == "--syscall-cost" ? &o->syscallCost
                         : name == "--cost-slice" ? &o->costSlice
                                                  : &o->cpuWatchdog;
          if (!ParseTime (value, to))
            {
              *err = "bad " + name + " time " + Show (value) + " (" + kTimeRange + "; 0 turns it off)";
              return 2;
            }
        }
      else if (name == "--stop")
        {
          if (!ParseTime (value, &o->stop) || o->stop == 0)
            {
              *err = "bad --stop time " + Show (value) + " (" + kTimeRange + ", after 0)";
              return 2;
            }
          o->haveStop = true;
        }
      else // --map
        {
          char *real = value.empty () ? nullptr : realpath (value.c_str (), nullptr);
          if (!real)
            {
              *err = "--map " + Show (value) + ": " + (value.empty () ? "empty path" : std::strerror (errno));
              return 2;
            }
          o->maps.push_back (real);
          std::free (real);
        }
    }
  if (o->specs.empty ())
    {
      *err = "no process to run (give at least one SPEC; see --help)";
      return 2;
    }
  for (const Spec &sp : o->specs)
    if (o->haveStop && sp.p.start_ns >= o->stop)
      {
        *err = "a process on node " + std::to_string (sp.node) + " starts at " + FmtTime (sp.p.start_ns) +
               ", not before --stop " + FmtTime (o->stop) + ": it would never run";
        return 2;
      }
  return 0;
}

} // namespace

#ifndef DCE_RUN_PARSE_ONLY
int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-' && dce_scenario_is_file_arg (argv[i]))
      return dce_scenario_main (argc, argv);
  Options o;
  std::string err;
  int pr = ParseArgs (argc, argv, &o, &err);
  if (pr == 1)
    {
      Usage (stdout);
      return 0;
    }
  if (pr)
    {
      std::fprintf (stderr, "dce-run: %s\n", err.c_str ());
      return 2;
    }
  if (o.check)
    {
      for (const Spec &sp : o.specs)
        std::printf ("node %u at %s: %s (%zu argument(s))\n", sp.node, FmtTime (sp.p.start_ns).c_str (),
                     sp.args[0].c_str (), sp.args.size () - 1);
      std::printf ("dce-run: command line valid; %zu process(es)\n", o.specs.size ());
      return 0;
    }
  if (o.confine >= 0)
    dce_set_confine (o.confine);
  if (!o.kernel.empty ())
    dce_kstack_set_version (o.kernel.c_str ());
  if (dce_init (o.out.c_str (), o.seed))
    return 1;
  dce_set_clock_quantum (o.quantum);
  dce_set_syscall_cost (o.syscallCost, o.costSlice);
  if (int r = dce_set_cpu_watchdog (o.cpuWatchdog))
    std::fprintf (stderr, "dce-run: cannot set the CPU watchdog: %s\n", std::strerror (-r));
  dce_stop_when_done (1);
  for (auto &m : o.maps)
    dce_map_host_path (m.c_str ());
  for (auto &sp : o.specs)
    {
      std::vector<char *> av, ev;
      for (auto &s : sp.args)
        av.push_back (const_cast<char *> (s.c_str ()));
      av.push_back (nullptr);
      for (auto &s : sp.env)
        ev.push_back (const_cast<char *> (s.c_str ()));
      ev.push_back (nullptr);
      sp.p.binary = av[0];
      sp.p.argv = av.data ();
      sp.p.envp = sp.env.empty () ? nullptr : ev.data ();
      sp.p.stdin_file = sp.stdinFile.empty () ? nullptr : sp.stdinFile.c_str ();
      struct dce_node *node = dce_node_create (sp.node);
      char kerr[1024];
      if (o.linuxStack && dce_kstack_install (sp.node, kerr, sizeof kerr) < 0)
        {
          std::fprintf (stderr, "dce-run: %s\n", kerr);
          return 1;
        }
      dce_process_schedule (node, &sp.p);
    }
  if (o.haveStop)
    ns3::Simulator::Stop (ns3::NanoSeconds ((int64_t)o.stop));
  ns3::Simulator::Run ();
  double end = ns3::Simulator::Now ().GetSeconds ();
  int bad = dce_finish ();
  ns3::Simulator::Destroy ();
  std::printf ("dce-run: simulation ended at %.9f s; %d process(es) failed; outputs in %s/files-*/var/log/*/ "
               "and %s/exitprocs\n",
               end, bad, o.out.c_str (), o.out.c_str ());
  return bad ? 1 : 0;
}
#endif
