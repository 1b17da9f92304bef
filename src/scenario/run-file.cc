// run-file.cc - `dce-run [OPTIONS] FILE.yaml`: load, check the whole file, then run.
#include "model.h"
#include "scenario.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" {
#include "../core/dce.h"
}
#include "../mpi/dce-mpi.h"

namespace {

// dce-run --ranks N FILE: this process launches N ranks with mpirun, each running
// `dce-run FILE` with the other options, and reports a rank that died.
int
LaunchRanks (dce_scenario *s, const std::string &file, int ranks, char **argv, int argc)
{
  if (!dce_mpi_built ())
    {
      char err[256];
      dce_mpi_enable ("gtw", err, sizeof err);
      std::fprintf (stderr, "dce-run: --ranks %d: %s\n", ranks, err);
      return 2;
    }
  if (system ("command -v mpirun >/dev/null 2>&1") != 0)
    {
      std::fprintf (stderr, "dce-run: --ranks %d: mpirun is not installed (apt-get install openmpi-bin)\n", ranks);
      return 2;
    }
  char self[4096];
  ssize_t n = readlink ("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    {
      std::fprintf (stderr, "dce-run: cannot find its own executable to start ranks\n");
      return 2;
    }
  self[n] = 0;
  std::vector<std::string> args = {"mpirun", "-np", std::to_string (ranks)};
  if (geteuid () == 0)
    args.push_back ("--allow-run-as-root");
  if (ranks > (int)std::thread::hardware_concurrency ())
    args.push_back ("--oversubscribe");
  if (const char *extra = std::getenv ("DCE_MPIRUN_ARGS")) // e.g. --hostfile FILE (docs/mpi.md)
    {
      std::vector<std::string> w;
      std::string why;
      if (!dce_scenario_model::SplitWords (extra, &w, &why))
        {
          std::fprintf (stderr, "dce-run: DCE_MPIRUN_ARGS: %s\n", why.c_str ());
          return 2;
        }
      args.insert (args.end (), w.begin (), w.end ());
    }
  args.push_back (self);
  bool confine = false;
  for (int i = 1; i < argc; i++)
    {
      confine = confine || std::strcmp (argv[i], "--confine") == 0;
      args.push_back (argv[i]);
    }
  // OpenMPI writes its shared memory in /dev/shm and opens connections during the
  // run: a rank is not confined (docs/mpi.md) unless asked for
  if (!confine)
    args.push_back ("--no-confine");
  // which rank runs which nodes: names for small networks, counts for large ones
  std::vector<std::string> per (ranks);
  std::vector<int> count (ranks, 0);
  for (int i = 0; i < dce_scenario_node_count (s); i++)
    {
      int r = dce_scenario_node_rank_of (s, i);
      per[r] += std::string (per[r].empty () ? "" : ", ") + dce_scenario_node_name (s, i);
      count[r]++;
    }
  std::string plan;
  for (int r = 0; r < ranks; r++)
    plan += (r ? "; " : "") + std::string ("rank ") + std::to_string (r) + ": " +
            (dce_scenario_node_count (s) <= 16 ? per[r] : std::to_string (count[r]) + " nodes");
  std::printf ("dce-run: %s: %d ranks (%s)\n", file.c_str (), ranks, plan.c_str ());
  std::vector<char *> av;
  for (auto &a : args)
    av.push_back (const_cast<char *> (a.c_str ()));
  av.push_back (nullptr);
  std::fflush (nullptr);
  pid_t pid = fork ();
  if (pid == 0)
    {
      setenv ("DCE_RANKS", std::to_string (ranks).c_str (), 1);
      execvp ("mpirun", av.data ());
      _exit (127);
    }
  int st = 0;
  while (pid > 0 && waitpid (pid, &st, 0) < 0)
    ;
  int code = WIFEXITED (st) ? WEXITSTATUS (st) : 128 + WTERMSIG (st);
  char missing[256];
  // rank 0 merges the exit tables at the end: parts left over mean the run broke off
  int merged = dce_mpi_merge_exitprocs (s->out.c_str (), ranks, missing, sizeof missing);
  if (merged > 0 || (code != 0 && code != 1))
    {
      std::fprintf (stderr, "dce-run: %s: the distributed run of %d ranks ended early (mpirun exit status %d)%s%s; "
                            "the outputs of the other ranks are kept in %s (files-*/, exitprocs)\n",
                    file.c_str (), ranks, code, *missing ? ": rank(s) " : "", *missing ? missing : "",
                    s->out.c_str ());
      return code ? code : 2;
    }
  return code;
}

} // namespace

extern "C" int
dce_scenario_is_file_arg (const char *a)
{
  size_t n = std::strlen (a);
  return (n > 5 && std::strcmp (a + n - 5, ".yaml") == 0) || (n > 4 && std::strcmp (a + n - 4, ".yml") == 0);
}

// Options that override the file: --out DIR, --seed N, --run N, --stop TIME,
// --map DIR, --check (check only), --confine / --no-confine.
extern "C" int
dce_scenario_main (int argc, char **argv)
{
  dce_scenario *s = dce_scenario_new ();
  std::string file;
  std::vector<std::pair<std::string, std::string>> overrides;
  bool check = false;
  int confine = -1;
  for (int i = 1; i < argc; i++)
    {
      std::string a = argv[i], v;
      size_t eq = a.find ('=');
      bool inl = a.compare (0, 2, "--") == 0 && eq != std::string::npos;
      std::string name = inl ? a.substr (0, eq) : a;
      if (name == "--check" || name == "--confine" || name == "--no-confine")
        {
          if (name == "--check")
            check = true;
          else
            confine = name == "--confine";
          continue;
        }
      if (name == "--out" || name == "-o" || name == "--seed" || name == "--run" || name == "--stop" || name == "--map" ||
          name == "--ranks" || name == "--mpi-engine")
        {
          if (inl)
            v = a.substr (eq + 1);
          else if (i + 1 < argc)
            v = argv[++i];
          else
            {
              std::fprintf (stderr, "dce-run: %s needs a value\n", name.c_str ());
              return 2;
            }
          overrides.push_back ({name == "-o" ? "out" : name == "--mpi-engine" ? "mpi_engine" : name.substr (2), v});
          continue;
        }
      if (!a.empty () && a[0] == '-')
        {
          std::fprintf (stderr, "dce-run: %s is not an option of scenario files (--out, --seed, --run, --stop, "
                                "--map, --ranks, --mpi-engine, --check, --confine, --no-confine)\n", a.c_str ());
          return 2;
        }
      if (!file.empty ())
        {
          std::fprintf (stderr, "dce-run: one scenario file at a time (%s and %s)\n", file.c_str (), a.c_str ());
          return 2;
        }
      file = a;
    }
  // the file first, then the command line's overrides, then the whole check
  if (dce_scenario_load_yaml (s, file.c_str ()) < 0)
    {
      std::fprintf (stderr, "%s\n", dce_scenario_error (s));
      return 2;
    }
  dce_scenario_where (s, "dce-run");
  for (auto &o : overrides)
    if (dce_scenario_set (s, o.first.c_str (), o.second.c_str ()) < 0)
      {
        std::fprintf (stderr, "%s\n", dce_scenario_error (s));
        return 2;
      }
  dce_scenario_where (s, file.c_str ());
  if (dce_scenario_check (s) < 0)
    {
      std::fprintf (stderr, "%s\n", dce_scenario_error (s));
      return 2;
    }
  int want = 0;
  for (auto &o : overrides)
    if (o.first == "ranks")
      want = std::atoi (o.second.c_str ());
  if (want == 0 && s->ranks > 1 && dce_mpi_launched_size () == 1)
    want = (int)s->ranks; // the file says how many ranks: launch them
  if (want > 1 && dce_mpi_launched_size () == 1)
    {
      // bad input is reported once, here, before any rank starts
      if (dce_scenario_partition (s, want) < 0)
        {
          std::fprintf (stderr, "%s\n", dce_scenario_error (s));
          return 2;
        }
      if (!check)
        return LaunchRanks (s, file, want, argv, argc);
    }
  if (check)
    {
      std::printf ("%s: valid; %d node(s), %d process(es)\n", file.c_str (), dce_scenario_node_count (s),
                   dce_scenario_process_count (s));
      return 0;
    }
  if (confine >= 0)
    dce_set_confine (confine);
  int r = dce_scenario_run (s);
  const char *rankEnv = std::getenv ("OMPI_COMM_WORLD_RANK");
  if (rankEnv && std::atoi (rankEnv) != 0)
    return r < 0 ? 2 : r; // rank 0 speaks for a distributed run
  if (r < 0)
    {
      std::fprintf (stderr, "%s\n", dce_scenario_error (s));
      return 2;
    }
  std::printf ("dce-run: %s: %s; outputs in %s (files-*/var/log/*/, exitprocs)\n", file.c_str (),
               r ? "some processes did not end as expected" : "every process ended as expected",
               s->out.c_str ());
  return r;
}
