// dce-run - run stock programs on simulated nodes from the command line.
//
//   dce-run [--out DIR] [--seed N] [--stop TIME] [--quantum NS] [--linux] [--no-confine] SPEC...
//   SPEC:   "[NODE][@TIME][ key=value...]: program arg..."
//   keys:   stdin=HOSTFILE  stack=SIZE  stop=TIME  env=NAME=VALUE (repeatable)
//
// e.g.  dce-run "0@1s: date" "1@0.5s: sh -c 'seq 1 1000 | sort -r | head -3'"
// Arguments use shell-like quoting ('...', "...", backslash).
#include "ns3/core-module.h"
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "../core/dce.h"
#include "../libc-ns3/net/kstack.h"
}

namespace {

void
Usage (FILE *f)
{
  std::fprintf (f,
                "usage: dce-run [--out DIR] [--seed N] [--stop TIME] [--quantum NS] [--map HOSTPATH]... [--no-confine] SPEC...\n"
                "  SPEC: \"[NODE][@TIME][ key=value...]: program arg...\"\n"
                "  keys: stdin=HOSTFILE stack=SIZE stop=TIME env=NAME=VALUE\n"
                "  TIME: a number with unit ns, us, ms, s (default s); SIZE: bytes, K, M\n"
                "  --map HOSTPATH: make a host file or directory visible read-only in every node\n"
                "  --linux: every node runs its own Linux kernel (the kernel library, advanced mode;\n"
                "           $DCE_LINUX_LIBRARY or <prefix>/lib/liblinux-6.1.so): sockets, ip, sysctl\n"
                "           and /proc/sys are the node's kernel's (loopback only: dce-run has no links)\n"
                "  --no-confine: run without the host's confinement (own mount and network namespaces,\n"
                "           host files read-only but DIR, a seccomp filter); --confine: fail if the host\n"
                "           refuses it (default: confined, a warning when refused; docs/security.md)\n"
                "  Outputs: DIR/files-NODE/var/log/PID/{cmdline,stdout,stderr,status}, DIR/exitprocs\n");
}

bool
ParseTime (const std::string &s, uint64_t *ns)
{
  char *end = nullptr;
  errno = 0;
  double v = std::strtod (s.c_str (), &end);
  if (end == s.c_str () || errno || v < 0)
    return false;
  std::string unit (end);
  double mult = 1e9;
  if (unit == "ns")
    mult = 1;
  else if (unit == "us")
    mult = 1e3;
  else if (unit == "ms")
    mult = 1e6;
  else if (unit == "s" || unit.empty ())
    mult = 1e9;
  else
    return false;
  *ns = (uint64_t)(v * mult + 0.5);
  return true;
}

bool
ParseSize (const std::string &s, size_t *out)
{
  char *end = nullptr;
  unsigned long long v = std::strtoull (s.c_str (), &end, 10);
  if (end == s.c_str ())
    return false;
  std::string unit (end);
  if (unit == "K" || unit == "k")
    v <<= 10;
  else if (unit == "M" || unit == "m")
    v <<= 20;
  else if (!unit.empty ())
    return false;
  *out = (size_t)v;
  return true;
}

// Shell-like word splitting: quotes and backslashes, no expansions.
bool
SplitWords (const std::string &s, std::vector<std::string> *out, std::string *err)
{
  std::string cur;
  bool have = false;
  for (size_t i = 0; i < s.size (); i++)
    {
      char c = s[i];
      if (c == '\'' || c == '"')
        {
          size_t j = s.find (c, i + 1);
          if (j == std::string::npos)
            {
              *err = std::string ("unterminated ") + c + " quote";
              return false;
            }
          cur += s.substr (i + 1, j - i - 1);
          have = true;
          i = j;
        }
      else if (c == '\\' && i + 1 < s.size ())
        {
          cur += s[++i];
          have = true;
        }
      else if (c == ' ' || c == '\t' || c == '\n')
        {
          if (have)
            out->push_back (cur);
          cur.clear ();
          have = false;
        }
      else
        {
          cur += c;
          have = true;
        }
    }
  if (have)
    out->push_back (cur);
  return true;
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
  size_t colon = text.find (':');
  if (colon == std::string::npos)
    {
      *err = "missing ':' between the process options and the command";
      return false;
    }
  std::vector<std::string> head;
  if (!SplitWords (text.substr (0, colon), &head, err) || !SplitWords (text.substr (colon + 1), &sp->args, err))
    return false;
  if (sp->args.empty ())
    {
      *err = "no program after ':'";
      return false;
    }
  for (size_t i = 0; i < head.size (); i++)
    {
      const std::string &h = head[i];
      size_t eq = h.find ('=');
      if (i == 0 && eq == std::string::npos)
        {
          size_t at = h.find ('@');
          std::string n = h.substr (0, at);
          if (!n.empty ())
            {
              char *end;
              unsigned long v = std::strtoul (n.c_str (), &end, 10);
              if (*end || v > 1000000)
                {
                  *err = "bad node number '" + n + "'";
                  return false;
                }
              sp->node = (uint32_t)v;
            }
          if (at != std::string::npos && !ParseTime (h.substr (at + 1), &sp->p.start_ns))
            {
              *err = "bad start time '" + h.substr (at + 1) + "'";
              return false;
            }
          continue;
        }
      if (eq == std::string::npos)
        {
          *err = "expected key=value, got '" + h + "'";
          return false;
        }
      std::string k = h.substr (0, eq), v = h.substr (eq + 1);
      if (k == "stdin")
        sp->stdinFile = v;
      else if (k == "stack")
        {
          if (!ParseSize (v, &sp->p.stack_size))
            {
              *err = "bad stack size '" + v + "'";
              return false;
            }
        }
      else if (k == "stop")
        {
          if (!ParseTime (v, &sp->p.stop_ns))
            {
              *err = "bad stop time '" + v + "'";
              return false;
            }
        }
      else if (k == "env")
        sp->env.push_back (v);
      else
        {
          *err = "unknown key '" + k + "' (known: stdin, stack, stop, env)";
          return false;
        }
    }
  return true;
}

} // namespace

int
main (int argc, char **argv)
{
  std::string out = ".";
  uint64_t seed = 1, stop = 0, quantum = 1000;
  std::vector<Spec> specs;
  std::vector<std::string> maps;
  bool linuxStack = false;
  for (int i = 1; i < argc; i++)
    {
      std::string a = argv[i];
      auto need = [&] (const char *what) -> std::string {
        if (i + 1 >= argc)
          {
            std::fprintf (stderr, "dce-run: %s needs a value\n", what);
            std::exit (2);
          }
        return argv[++i];
      };
      if (a == "-h" || a == "--help")
        {
          Usage (stdout);
          return 0;
        }
      else if (a == "--out" || a == "-o")
        out = need ("--out");
      else if (a == "--seed")
        seed = std::strtoull (need ("--seed").c_str (), nullptr, 10);
      else if (a == "--stop")
        {
          std::string v = need ("--stop");
          if (!ParseTime (v, &stop))
            {
              std::fprintf (stderr, "dce-run: bad --stop time '%s'\n", v.c_str ());
              return 2;
            }
        }
      else if (a == "--map")
        {
          std::string v = need ("--map");
          char *real = realpath (v.c_str (), nullptr);
          if (!real)
            {
              std::fprintf (stderr, "dce-run: --map %s: %s\n", v.c_str (), std::strerror (errno));
              return 2;
            }
          maps.push_back (real);
          std::free (real);
        }
      else if (a == "--linux")
        linuxStack = true;
      else if (a == "--no-confine")
        dce_set_confine (0);
      else if (a == "--confine")
        dce_set_confine (1);
      else if (a == "--quantum")
        quantum = std::strtoull (need ("--quantum").c_str (), nullptr, 10);
      else if (a.size () > 1 && a[0] == '-' && a.find (':') == std::string::npos)
        {
          std::fprintf (stderr, "dce-run: unknown option %s (see --help)\n", a.c_str ());
          return 2;
        }
      else
        {
          Spec sp;
          std::string err;
          if (!ParseSpec (a, &sp, &err))
            {
              std::fprintf (stderr, "dce-run: process spec \"%s\": %s\n", a.c_str (), err.c_str ());
              return 2;
            }
          specs.push_back (sp);
        }
    }
  if (specs.empty ())
    {
      Usage (stderr);
      return 2;
    }
  if (dce_init (out.c_str (), seed))
    return 1;
  dce_set_clock_quantum (quantum);
  dce_stop_when_done (1);
  for (auto &m : maps)
    dce_map_host_path (m.c_str ());
  for (auto &sp : specs)
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
      char err[1024];
      if (linuxStack && dce_kstack_install (sp.node, err, sizeof err) < 0)
        {
          std::fprintf (stderr, "dce-run: %s\n", err);
          return 1;
        }
      dce_process_schedule (node, &sp.p);
    }
  if (stop)
    ns3::Simulator::Stop (ns3::NanoSeconds (stop));
  ns3::Simulator::Run ();
  double end = ns3::Simulator::Now ().GetSeconds ();
  int bad = dce_finish ();
  ns3::Simulator::Destroy ();
  std::printf ("dce-run: simulation ended at %.9f s; %d process(es) failed; outputs in %s/files-*/var/log/*/ "
               "and %s/exitprocs\n",
               end, bad, out.c_str (), out.c_str ());
  return bad ? 1 : 0;
}
