// cli-mutate: seeded random mutations of dce-run command lines through dce-run's
// own parser (src/cli/dce-run.cc built with DCE_RUN_PARSE_ONLY), in process.
//
//   cli-mutate SEED COUNT      parse COUNT mutants; exit 0 if every one was either
//                              accepted with values inside the documented ranges
//                              or refused with one non-empty line
//   cli-mutate SEED COUNT --emit
//                              print the mutants instead, one per line, arguments
//                              separated by \x1f, for running the real binary
//
// A crash (death by a signal) is a failure of the run itself.
#define DCE_RUN_PARSE_ONLY 1
#include "../../src/cli/dce-run.cc"

#include <cinttypes>

namespace {

uint64_t g_state;
uint64_t
Rand ()
{
  uint64_t z = (g_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
size_t
Pick (size_t n)
{
  return n ? (size_t)(Rand () % n) : 0;
}

// Valid command lines the mutants start from: every option and key.
const std::vector<std::vector<std::string>> kSeeds = {
  {"0@1s: date"},
  {"--seed", "7", "0@1s: date", "1@0.5s: sh -c 'seq 1 10 | sort -r'"},
  {"--out", "/tmp/x", "--stop", "10s", "--quantum", "1000", "2@250ms stop=5s: sleep 100"},
  {"--seed=3", "--stop=2.5", "0 stack=1M env=A=1 env=B=x stdin=/dev/null: cat"},
  {"--map", "/usr", "--linux", "3@100us: ip addr", "4@1000ns stack=64K: true"},
  {"--check", "--", "@1: echo \"a:b\" 'c d' e\\ f"},
  {"-o", ".", "7 env=PATH=/bin:/usr/bin stop=1ms: /bin/true"},
};

// Pieces that mutants splice in: boundary numbers, units, separators, keys.
const std::vector<std::string> kDict = {
  "0", "1", "-1", "+1", "1e30", "18446744073", "18446744073709551615", "18446744073709551616",
  "3153600000", "3153600001", "9223372036854775807", "nan", "inf", "-inf", "0x10", "1e-12", ".", "..",
  "1.5", "ns", "us", "ms", "s", "h", "K", "M", "G", "@", ":", "=", " ", "'", "\"", "\\", "--", "-",
  "stdin=", "stack=", "stop=", "env=", "env==", "colour=", "--seed", "--stop", "--quantum", "--out",
  "--map", "--linux", "--check", "--help", "--seed=", "--stop=", "1000001", "65536", "16383", "1024M",
  "1025M", "/dev/null", "/nonexistent", "/", "\t", "\x01", "\xff", "abc", "",
};

std::string
MutateWord (std::string w)
{
  int n = 1 + (int)Pick (3);
  for (int k = 0; k < n; k++)
    {
      size_t at = Pick (w.size () + 1);
      switch (Pick (6))
        {
        case 0: // flip a byte
          if (!w.empty ())
            {
              char c = (char)(1 + Pick (255));
              w[Pick (w.size ())] = c == '\x1f' || c == '\n' ? 'x' : c;
            }
          break;
        case 1: // delete a run
          if (!w.empty ())
            w.erase (at < w.size () ? at : w.size () - 1, 1 + Pick (4));
          break;
        case 2: // splice a dictionary piece
          w.insert (at, kDict[Pick (kDict.size ())]);
          break;
        case 3: // replace a number with a dictionary piece
          {
            size_t b = w.find_first_of ("0123456789");
            if (b != std::string::npos)
              {
                size_t e = w.find_first_not_of ("0123456789.", b);
                w.replace (b, (e == std::string::npos ? w.size () : e) - b, kDict[Pick (kDict.size ())]);
              }
          }
          break;
        case 4: // duplicate a chunk
          if (!w.empty ())
            {
              size_t b = Pick (w.size ());
              w.insert (at, w.substr (b, 1 + Pick (8)));
            }
          break;
        default: // truncate
          w.resize (at);
        }
    }
  return w;
}

std::vector<std::string>
Mutant ()
{
  std::vector<std::string> a = kSeeds[Pick (kSeeds.size ())];
  int n = 1 + (int)Pick (3);
  for (int k = 0; k < n; k++)
    {
      switch (Pick (5))
        {
        case 0:
        case 1:
        case 2:
          if (!a.empty ())
            {
              size_t i = Pick (a.size ());
              a[i] = MutateWord (a[i]);
            }
          break;
        case 3: // drop an argument
          if (!a.empty ())
            a.erase (a.begin () + (long)Pick (a.size ()));
          break;
        default: // add one: a dictionary piece or a copy of another
          {
            std::string w = a.empty () || Pick (2) ? kDict[Pick (kDict.size ())] : a[Pick (a.size ())];
            a.insert (a.begin () + (long)Pick (a.size () + 1), w);
          }
        }
    }
  return a;
}

// What an accepted command line must satisfy (the usage text's ranges).
const char *
Violation (const Options &o)
{
  if (o.specs.empty ())
    return "accepted without a process";
  if (o.quantum < 1 || o.quantum > kMaxQuantum)
    return "quantum out of range";
  if (o.haveStop && (o.stop == 0 || o.stop > kMaxTimeNs))
    return "--stop out of range";
  for (const Spec &sp : o.specs)
    {
      if (sp.node > kMaxNode)
        return "node out of range";
      if (sp.p.start_ns > kMaxTimeNs || sp.p.stop_ns > kMaxTimeNs)
        return "time out of range";
      if (sp.p.stop_ns && sp.p.stop_ns <= sp.p.start_ns)
        return "stop not after start";
      if (o.haveStop && sp.p.start_ns >= o.stop)
        return "start not before --stop";
      if (sp.p.stack_size && (sp.p.stack_size < kMinStack || sp.p.stack_size > kMaxStack))
        return "stack out of range";
      if (sp.args.empty () || sp.args[0].empty ())
        return "no program";
      for (const std::string &e : sp.env)
        if (e.find ('=') == std::string::npos || e[0] == '=')
          return "env without NAME=";
    }
  return nullptr;
}

} // namespace

int
main (int argc, char **argv)
{
  if (argc < 3)
    {
      std::fprintf (stderr, "usage: cli-mutate SEED COUNT [--emit]\n");
      return 2;
    }
  (void)&Usage; // the parser file's usage text is main's, unused here
  g_state = std::strtoull (argv[1], nullptr, 10);
  long count = std::strtol (argv[2], nullptr, 10);
  bool emit = argc > 3 && !std::strcmp (argv[3], "--emit");
  long accepted = 0, refused = 0, bad = 0;
  for (long i = 0; i < count; i++)
    {
      std::vector<std::string> a = Mutant ();
      if (emit)
        {
          for (size_t j = 0; j < a.size (); j++)
            std::printf ("%s%s", j ? "\x1f" : "", a[j].c_str ());
          std::printf ("\n");
          continue;
        }
      std::vector<char *> av;
      av.push_back (const_cast<char *> ("dce-run"));
      for (auto &w : a)
        av.push_back (const_cast<char *> (w.c_str ()));
      av.push_back (nullptr);
      Options o;
      std::string err;
      int r = ParseArgs ((int)a.size () + 1, av.data (), &o, &err);
      const char *why = nullptr;
      if (r == 0)
        {
          accepted++;
          why = Violation (o);
        }
      else if (r == 2)
        {
          refused++;
          if (err.empty () || err.find ('\n') != std::string::npos || err.size () > 400)
            why = "refused without a one-line reason";
        }
      if (why)
        {
          bad++;
          std::printf ("mutant %ld: %s:", i, why);
          for (auto &w : a)
            std::printf (" %s", Show (w).c_str ());
          std::printf ("%s%s\n", err.empty () ? "" : " -> ", err.c_str ());
        }
    }
  if (!emit)
    std::printf ("%ld mutants: %ld accepted, %ld refused with one line, %ld bad, 0 crashes\n", count, accepted,
                 refused, bad);
  return bad != 0;
}
