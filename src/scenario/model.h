// model.h - the scenario as data (private to src/scenario): what the C API in
// scenario.h records, what dce_scenario_check computes (addresses, routes), and
// what the builder (build.cc) turns into ns-3 objects.
#ifndef DCE_SCENARIO_MODEL_H
#define DCE_SCENARIO_MODEL_H
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dce_scenario_model {

using KV = std::pair<std::string, std::string>;

struct Node
{
  std::string name, stack = "ns3", where;
  bool havePos = false; // position: [x, y, z] (Wi-Fi), meters
  double pos[3] = {0, 0, 0};
  std::vector<KV> sysctls, files;
  bool pcap = false;
  int rank = -1; // rank: in a distributed run (docs/mpi.md); -1: not given
  std::vector<int> links; // in the order the node's devices are created
};

struct V6
{
  std::array<uint8_t, 16> b{};
};

struct Link
{
  std::string kind, where;
  std::vector<int> nodes;
  std::string rate = "100Mbps", delay = "0ms", queue, queueDisc, standard = "80211a", mode = "adhoc";
  double loss = 0, spacing = 5;
  std::string layout = "line", dataMode, controlMode; // Wi-Fi: line | grid; constant rates
  bool pcap = false;
  // IPv4 subnet: explicit (haveSubnet) or computed by check
  bool haveSubnet = false;
  uint32_t net = 0;
  int len = 24;
  bool haveSubnet6 = false, want6 = false;
  V6 net6;
  int len6 = 64;
  std::map<int, std::string> explicitAddr, explicitAddr6; // node -> text given (IPv4, IPv6)
  std::map<int, std::string> noAddr; // node -> where: "none", no address (programs set it)
  // computed by check: one per member, in nodes order
  std::vector<uint32_t> addr;
  std::vector<V6> addr6;
};

struct Route
{
  int node = 0;
  std::string dst, via, dev, where;
  // parsed
  bool v6 = false;
  uint32_t dst4 = 0;
  V6 dst6;
  int len = 0;
  bool haveVia = false;
  uint32_t via4 = 0;
  V6 via6;
  int devIndex = -1; // device number on the node, -1: by the gateway
};

struct Proc
{
  int node = 0;
  std::vector<std::string> argv, env;
  std::string stdinFile, where;
  uint64_t at = 0, stop = 0;
  bool haveStop = false;
  uint64_t stack = 0;
  int expect = 0; // exit code; kExpectAny; kExpectSignal
};
const int kExpectAny = -1, kExpectSignal = -2;

} // namespace dce_scenario_model

struct dce_scenario
{
  uint64_t seed = 1, run = 1, stop = 0;
  bool haveStop = false, ipv6 = false, pcapAll = false;
  bool ipv6Stack = true; // false: ns3-stack nodes without IPv6 (SetIpv6StackInstall (false))
  uint32_t segmentSize = 1448;
  std::string out = ".", routing = "auto", where = "scenario", err;
  uint32_t ranks = 0;              // ranks: wanted (0: as launched)
  std::string mpiEngine = "gtw";   // mpi_engine: gtw | nullmsg
  std::vector<uint32_t> nodeRank;  // computed by dce_scenario_partition
  // the scenario file's directory: relative map: directories and program paths
  // (with a '/') in a file are relative to it; empty for the C API and Python
  std::string base;
  std::vector<std::string> maps;
  std::vector<dce_scenario_model::Node> nodes;
  std::map<std::string, int> byName;
  std::vector<dce_scenario_model::Link> links;
  std::vector<dce_scenario_model::Route> routes; // explicit ones
  std::vector<dce_scenario_model::Proc> procs;
  bool checked = false;
  std::vector<dce_scenario_model::Route> autoRoutes; // computed by check
};

namespace dce_scenario_model {
// Sets s->err to "<where>: msg" and returns -1.
int Fail (dce_scenario *s, const std::string &where, const std::string &msg);
// A value as it appears in a message: quoted, control characters escaped, cut short.
// v quoted for a message: control characters escaped, cut after max characters
std::string Show (const std::string &v, size_t max = 60);
bool ParseAddr4 (const std::string &t, uint32_t *a);
bool ParseAddr6 (const std::string &t, V6 *a);
std::string Addr4 (uint32_t a);
std::string Addr6 (const V6 &a);
bool ParseUint (const std::string &s, uint64_t lo, uint64_t hi, uint64_t *out);
bool ParseSize (const std::string &s, uint64_t *bytes);
bool SplitWords (const std::string &s, std::vector<std::string> *out, std::string *err);
} // namespace dce_scenario_model

#endif
