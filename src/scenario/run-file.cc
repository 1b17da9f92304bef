// run-file.cc - `dce-run [OPTIONS] FILE.yaml`: load, check the whole file, then run.
#include "model.h"
#include "scenario.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "../core/dce.h"
}

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
      if (name == "--out" || name == "-o" || name == "--seed" || name == "--run" || name == "--stop" || name == "--map")
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
          overrides.push_back ({name == "-o" ? "out" : name.substr (2), v});
          continue;
        }
      if (!a.empty () && a[0] == '-')
        {
          std::fprintf (stderr, "dce-run: %s is not an option of scenario files (--out, --seed, --run, --stop, "
                                "--map, --check, --confine, --no-confine)\n", a.c_str ());
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
  if (check)
    {
      std::printf ("%s: valid; %d node(s), %d process(es)\n", file.c_str (), dce_scenario_node_count (s),
                   dce_scenario_process_count (s));
      return 0;
    }
  if (confine >= 0)
    dce_set_confine (confine);
  int r = dce_scenario_run (s);
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
