// rank.cc - a rank's run: start (engine, MPI, its own exit table) and end (merge the
// ranks' exit tables into the one a one-process run writes).
#include "dce-mpi.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>


extern "C" int
dce_mpi_start (const char *engine, char *err, size_t errlen)
{
  return dce_mpi_enable (engine, err, errlen); // DceManagerHelper names the rank's exit table
}

extern "C" int
dce_mpi_merge_exitprocs (const char *out_dir, int size, char *missing, size_t missinglen)
{
  std::string out = out_dir, header, miss;
  std::vector<std::tuple<unsigned long, long, std::string>> rows;
  int merged = 0;
  for (int r = 0; r < size; r++)
    {
      std::string part = out + "/exitprocs.rank-" + std::to_string (r);
      std::ifstream in (part);
      if (!in)
        {
          miss += (miss.empty () ? "" : ",") + std::to_string (r);
          continue;
        }
      std::string line;
      bool first = true;
      while (std::getline (in, line))
        {
          if (first)
            {
              first = false;
              if (header.empty ())
                header = line;
              continue;
            }
          std::istringstream f (line);
          unsigned long node = 0;
          long pid = 0;
          f >> node >> pid;
          rows.emplace_back (node, pid, line);
        }
      in.close ();
      std::remove (part.c_str ());
      merged++;
    }
  std::sort (rows.begin (), rows.end ());
  if (merged)
    {
      std::ofstream o (out + "/exitprocs", std::ios::trunc);
      o << header << "\n";
      for (auto &r : rows)
        o << std::get<2> (r) << "\n";
    }
  if (missing && missinglen)
    std::snprintf (missing, missinglen, "%s", miss.c_str ());
  return merged;
}

extern "C" void
dce_mpi_end (void)
{
  dce_mpi_finish ();
}
