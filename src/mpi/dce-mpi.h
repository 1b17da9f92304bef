/* dce-mpi.h - distributed runs: this process as one rank of an MPI job running ns-3's
 * distributed simulator (docs/mpi.md). Only the scenario layer and the C++ helpers
 * call it; the C core never knows it runs distributed.
 *
 * Two builds implement it: mpi-ns3.cc (make MPI=1: ns-3's mpi module from
 * src/mpi/build-ns3-mpi.sh) and mpi-none.cc (the default build: every run is one
 * process, and asking for ranks says how to build with MPI). */
#ifndef DCE_MPI_H
#define DCE_MPI_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when dce was built with ns-3's MPI module. */
int dce_mpi_built(void);
/* The number of ranks mpirun started this process among (1 outside mpirun). */
int dce_mpi_launched_size(void);
/* Makes this process a rank: selects ns-3's engine (engine "gtw": granted time
 * window, ns3::DistributedSimulatorImpl; "nullmsg": ns3::NullMessageSimulatorImpl)
 * and initialises MPI. Call before any ns-3 object exists. 0, or -1 with a line in
 * err. */
int dce_mpi_enable(const char *engine, char *err, size_t errlen);
/* This rank and the number of ranks (0 and 1 before dce_mpi_enable). */
uint32_t dce_mpi_rank(void);
uint32_t dce_mpi_size(void);
/* Every rank waits here for the others. */
void dce_mpi_barrier(void);
/* Element-wise maximum of v[0..n) over all ranks, in place on every rank. */
void dce_mpi_max(int64_t *v, size_t n);
/* Every rank's text, concatenated in rank order (malloc'd, NUL-terminated; *len its
 * length). A collective call: every rank must make it, at the same point of the run. */
char *dce_mpi_allgather_text(const char *mine, size_t n, size_t *len);
/* Ends MPI (after the simulator is destroyed). */
void dce_mpi_finish(void);

/* A rank's run, for the front ends (rank.cc, in both builds): start = enable (as
 * above), before any ns-3 object; end = after Simulator::Destroy. In between,
 * DceManagerHelper makes each rank write OUT/exitprocs.rank-R and, when the simulator
 * is destroyed, rank 0 merge them into OUT/exitprocs (the table of a one-process run:
 * sorted by node, then pid). Every rank must install dce on at least one node. The
 * C++ API's users call ns-3's MpiInterface::Enable / Disable themselves instead. */
int dce_mpi_start(const char *engine, char *err, size_t errlen);
void dce_mpi_end(void);
/* Merges OUT/exitprocs.rank-0 .. rank-(size-1) into OUT/exitprocs and removes them;
 * the parts that are missing are listed in missing (comma-separated rank numbers,
 * "" when none). Returns how many parts were merged. */
int dce_mpi_merge_exitprocs(const char *out_dir, int size, char *missing, size_t missinglen);

#ifdef __cplusplus
}
#endif
#endif
