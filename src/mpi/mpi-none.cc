// mpi-none.cc - dce-mpi.h in a build without MPI: one process, one rank.
#include "dce-mpi.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int
dce_mpi_built (void)
{
  return 0;
}

extern "C" int
dce_mpi_launched_size (void)
{
  const char *n = std::getenv ("OMPI_COMM_WORLD_SIZE");
  return n ? std::atoi (n) : 1;
}

extern "C" int
dce_mpi_enable (const char *engine, char *err, size_t errlen)
{
  (void)engine;
  std::snprintf (err, errlen, "this dce is built without MPI: build ns-3's MPI module with "
                              "'src/mpi/build-ns3-mpi.sh' and dce with 'make MPI=1' (docs/mpi.md)");
  return -1;
}

extern "C" uint32_t
dce_mpi_rank (void)
{
  return 0;
}

extern "C" uint32_t
dce_mpi_size (void)
{
  return 1;
}

extern "C" void
dce_mpi_barrier (void)
{
}

extern "C" void
dce_mpi_max (int64_t *v, size_t n)
{
  (void)v;
  (void)n;
}

extern "C" char *
dce_mpi_allgather_text (const char *mine, size_t n, size_t *len)
{
  char *r = (char *)std::malloc (n + 1);
  if (r)
    {
      std::memcpy (r, mine, n);
      r[n] = 0;
    }
  *len = r ? n : 0;
  return r;
}

extern "C" void
dce_mpi_finish (void)
{
}
