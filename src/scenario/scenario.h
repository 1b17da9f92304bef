/* scenario.h - the scenario layer: a network described as data (nodes, links,
 * addresses, routes, processes, pcaps, seed, stop), checked as a whole, then built
 * into ns-3 objects with the dce helpers and run. The scenario file reader
 * (dce-run FILE.yaml) and the Python module `dce` are front ends over this API;
 * docs/scenarios.md describes the model.
 *
 * Errors: every call returns a negative number on a bad argument and leaves one
 * line in dce_scenario_error(): "<where>: what is wrong and what to do", where
 * <where> is the place the front end set last with dce_scenario_where (a file's
 * line:column, a Python call). A scenario that refused a call stays usable; nothing
 * runs before dce_scenario_check accepted the whole of it.
 *
 * Names: nodes are named; node i (in the order added) is ns-3 node i and keeps
 * its files in OUT/files-i. Values given as text (times, rates, sizes,
 * addresses) use the units of docs/scenarios.md: "2ms", "10Mbps", "100p". */
#ifndef DCE_SCENARIO_H
#define DCE_SCENARIO_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dce_scenario;

struct dce_scenario *dce_scenario_new(void);
void dce_scenario_free(struct dce_scenario *s);
/* The last error, one line (empty if none). */
const char *dce_scenario_error(const struct dce_scenario *s);
/* Where the next calls come from, prefixed to their errors ("x.yaml:3:7"). Also
 * recorded with what they add, for the errors dce_scenario_check finds later. */
void dce_scenario_where(struct dce_scenario *s, const char *where);

/* Whole-run settings, by name: "seed" and "run" (whole numbers, as ns-3's
 * --RngSeed/--RngRun), "stop" (a time; default: when the last process exits),
 * "out" (output directory, default "."), "routing" ("auto": shortest-path static
 * routes on every node, the default; "global": ns-3 global routing, ns3 stack
 * only; "none"), "ipv6" ("true": every automatic subnet gets an IPv6 /64 too),
 * "pcap" ("true": every device), "segment_size" (ns-3 TCP MSS, default 1448). */
int dce_scenario_set(struct dce_scenario *s, const char *key, const char *value);

/* A node; stack "ns3" (ns-3's TCP/IP, default when NULL) or "linux" (its own
 * Linux kernel). Returns the node's index, or < 0. */
int dce_scenario_add_node(struct dce_scenario *s, const char *name, const char *stack);
int dce_scenario_node_index(const struct dce_scenario *s, const char *name);
int dce_scenario_node_count(const struct dce_scenario *s);
const char *dce_scenario_node_name(const struct dce_scenario *s, int node);
/* A sysctl set at boot (linux stack): key as in sysctl(8). */
int dce_scenario_node_sysctl(struct dce_scenario *s, int node, const char *key, const char *value);
/* A file placed in the node's root (files-N/path) before the run. */
int dce_scenario_node_file(struct dce_scenario *s, int node, const char *path, const char *content);
/* Capture every device of the node (OUT/<name>-<node>-<device>.pcap). */
int dce_scenario_node_pcap(struct dce_scenario *s, int node);
/* The node's position in meters for Wi-Fi, "x,y" or "x,y,z" (default: the Wi-Fi
 * link's layout). */
int dce_scenario_node_position(struct dce_scenario *s, int node, const char *xyz);

/* A link between nodes: kind "p2p" (exactly 2 nodes), "csma" (a LAN, 2 or more)
 * or "wifi" (802.11 ad hoc, 2 or more). Options are set on the returned link
 * with dce_scenario_link_set. Returns the link's index, or < 0. */
int dce_scenario_add_link(struct dce_scenario *s, const char *kind, const int *nodes, int n);
/* Link options by name: "rate" ("10Mbps"), "delay" ("2ms"), "queue" ("100p" or
 * "64KB"), "queue_disc" (ns3 stack: fq_codel, pfifo_fast, codel, pie, red, none),
 * "loss" (packet loss probability 0..1), "subnet" ("10.1.1.0/24"), "subnet6"
 * ("2001:db8:1::/64"), "pcap" ("true"), "standard" (wifi: 80211a, 80211g, 80211n),
 * "mode" (wifi: "adhoc" or "ap": the first node is the access point), "spacing"
 * (wifi: meters between nodes placed on a line, default 5). */
int dce_scenario_link_set(struct dce_scenario *s, int link, const char *key, const char *value);
/* An explicit address for node's device on link ("10.1.1.7", or with /len). */
int dce_scenario_link_address(struct dce_scenario *s, int link, int node, const char *address);

/* A static route on node: dst "10.2.0.0/16", "default" or "default6", via a
 * gateway address (NULL: none) and/or dev "ethK" (NULL: chosen by the gateway). */
int dce_scenario_add_route(struct dce_scenario *s, int node, const char *dst, const char *via,
                           const char *dev);

/* Topology generators: n nodes named prefix0..prefix<n-1> (added after the
 * existing ones) joined by p2p links with the options opts (a NULL-terminated
 * key, value list as in dce_scenario_link_set; may be NULL). shape: "line",
 * "star" (node 0 the hub), "tree" (binary, node 0 the root), "grid" (rows of
 * sqrt(n) nodes, or `arg` columns if arg > 0), "lan" (one CSMA LAN). Returns the
 * index of the first new node, or < 0. */
int dce_scenario_generate(struct dce_scenario *s, const char *shape, int n, const char *prefix,
                          const char *stack, int arg, const char *const *opts);

/* A process. argv: the program and its arguments (NULL-terminated); the program
 * is looked up now in the node's PATH. Returns the process's index, or < 0. */
int dce_scenario_add_process(struct dce_scenario *s, int node, const char *const *argv);
/* The same with a command line split like a shell would ('...', "...", \). */
int dce_scenario_add_command(struct dce_scenario *s, int node, const char *cmdline);
/* Process options by name: "at" and "stop" (times), "env" ("NAME=VALUE",
 * repeatable), "stdin" (host file), "stack" (size, "1M"), "expect" (exit code the
 * run requires, "any", or "signal" for a process stopped by its stop time;
 * default 0). */
int dce_scenario_process_set(struct dce_scenario *s, int proc, const char *key, const char *value);
int dce_scenario_process_count(const struct dce_scenario *s);

/* Distributed runs (docs/mpi.md). The MPI rank that runs node (0 .. ranks-1); nodes
 * without one are placed by dce_scenario_partition. */
int dce_scenario_node_rank(struct dce_scenario *s, int node, int rank);
/* Places every node on one of `ranks` ranks (the nodes' rank if any node has one,
 * else a cut over point-to-point links with a delay, keeping connected parts
 * together) and checks that the run can be distributed: only p2p links with a
 * delay > 0 between ranks, no more ranks than nodes, a stop time. 0 or < 0. */
int dce_scenario_partition(struct dce_scenario *s, int ranks);
/* The rank of node after dce_scenario_partition (0 before). */
int dce_scenario_node_rank_of(const struct dce_scenario *s, int node);

/* Checks the whole scenario (address clashes, routes, times against stop, ...).
 * 0 if it can run. */
int dce_scenario_check(struct dce_scenario *s);
/* Writes the scenario as a scenario file (docs/scenarios.md) that loads back to
 * the same scenario. */
int dce_scenario_save(struct dce_scenario *s, const char *path);

/* Values as the scenario takes them; 0 or -1 (then *why says what is accepted). */
int dce_scenario_parse_time(const char *text, uint64_t *ns, const char **why);
int dce_scenario_parse_rate(const char *text, uint64_t *bps, const char **why);

/* Checks, builds and runs the scenario in this process (once per process: ns-3 and
 * dce keep global state), then writes OUT/exitprocs and OUT/scenario-procs (one
 * line per process: index node pid exit). Returns 0 when every process ended as
 * expected, 1 when some did not, < 0 when it could not run (see the error). */
int dce_scenario_run(struct dce_scenario *s);

/* The scenario file reader: adds what path describes to s. 0 or < 0 (the error
 * names path:line:column). */
int dce_scenario_load_yaml(struct dce_scenario *s, const char *path);

#ifdef __cplusplus
}
#endif
#endif
