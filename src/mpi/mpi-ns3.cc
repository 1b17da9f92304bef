// mpi-ns3.cc - dce-mpi.h on ns-3's mpi module (MpiInterface) and OpenMPI.
#include "dce-mpi.h"

#include "ns3/global-value.h"
#include "ns3/mpi-interface.h"
#include "ns3/string.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mpi.h>
#include <vector>

namespace {
bool g_enabled; // MPI started by dce_mpi_enable (else by the user's script, or not)
MPI_Comm g_comm = MPI_COMM_NULL; // dce's collectives: never matched against the engine's

bool
Active ()
{
  return g_enabled || ns3::MpiInterface::IsEnabled ();
}

MPI_Comm
Comm ()
{
  if (g_comm == MPI_COMM_NULL)
    MPI_Comm_dup (MPI_COMM_WORLD, &g_comm);
  return g_comm;
}
}

extern "C" int
dce_mpi_built (void)
{
  return 1;
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
  std::string e = engine && *engine ? engine : "gtw";
  const char *impl = e == "gtw"       ? "ns3::DistributedSimulatorImpl"
                     : e == "nullmsg" ? "ns3::NullMessageSimulatorImpl"
                                      : nullptr;
  if (!impl)
    {
      std::snprintf (err, errlen, "unknown MPI engine '%s' (gtw: granted time window, nullmsg: null messages)",
                     e.c_str ());
      return -1;
    }
  if (g_enabled)
    return 0;
  // MpiInterface::Enable picks its communication interface from this value.
  ns3::GlobalValue::Bind ("SimulatorImplementationType", ns3::StringValue (impl));
  int argc = 0;
  char **argv = nullptr;
  ns3::MpiInterface::Enable (&argc, &argv);
  g_enabled = true;
  return 0;
}

extern "C" uint32_t
dce_mpi_rank (void)
{
  return Active () ? ns3::MpiInterface::GetSystemId () : 0;
}

extern "C" uint32_t
dce_mpi_size (void)
{
  return Active () ? ns3::MpiInterface::GetSize () : 1;
}

extern "C" void
dce_mpi_barrier (void)
{
  if (Active ())
    MPI_Barrier (Comm ());
}

extern "C" void
dce_mpi_max (int64_t *v, size_t n)
{
  if (!Active () || n == 0)
    return;
  std::vector<int64_t> out (n);
  MPI_Allreduce (v, out.data (), (int)n, MPI_INT64_T, MPI_MAX, Comm ());
  std::memcpy (v, out.data (), n * sizeof *v);
}

extern "C" char *
dce_mpi_allgather_text (const char *mine, size_t n, size_t *len)
{
  int size = Active () ? (int)ns3::MpiInterface::GetSize () : 1;
  std::vector<int> counts (size, (int)n), displs (size, 0);
  if (size > 1)
    MPI_Allgather (MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, counts.data (), 1, MPI_INT, Comm ());
  size_t total = 0;
  for (int r = 0; r < size; r++)
    {
      displs[r] = (int)total;
      total += (size_t)counts[r];
    }
  char *out = (char *)std::malloc (total + 1);
  if (size > 1)
    MPI_Allgatherv (mine, (int)n, MPI_CHAR, out, counts.data (), displs.data (), MPI_CHAR, Comm ());
  else
    std::memcpy (out, mine, n);
  out[total] = 0;
  *len = total;
  return out;
}

extern "C" void
dce_mpi_finish (void)
{
  if (g_comm != MPI_COMM_NULL)
    MPI_Comm_free (&g_comm);
  if (g_enabled)
    ns3::MpiInterface::Disable ();
  g_enabled = false;
}
