// partition.cc - which MPI rank runs each node of a distributed run (docs/mpi.md),
// and the checks that make a partition runnable on ns-3's distributed simulator:
// ranks exchange packets only over point-to-point links (remote channels), and the
// smallest delay of such a link is the lookahead, so it must not be 0.
#include "model.h"
#include "scenario.h"

#include <algorithm>
#include <deque>
#include <numeric>

using namespace dce_scenario_model;

namespace {

uint64_t
DelayNs (const Link &l)
{
  uint64_t ns = 0;
  const char *why;
  if (dce_scenario_parse_time (l.delay.c_str (), &ns, &why))
    return 0;
  return ns;
}

bool
Cuttable (const Link &l)
{
  return l.kind == "p2p" && l.nodes.size () == 2 && DelayNs (l) > 0;
}

int
Find (std::vector<int> &up, int x)
{
  while (up[x] != x)
    x = up[x] = up[up[x]];
  return x;
}

// Nodes joined by links that cannot cross ranks form groups; groups are taken in
// breadth-first order over the cuttable links from node 0 and dealt out to ranks in
// contiguous runs of about nodes/ranks nodes: neighbours stay together, so the cut
// is small for lines, trees and networks made of halves.
int
AutoPartition (dce_scenario *s, uint32_t ranks)
{
  size_t n = s->nodes.size ();
  std::vector<int> up (n);
  std::iota (up.begin (), up.end (), 0);
  for (const Link &l : s->links)
    if (!Cuttable (l))
      for (size_t i = 1; i < l.nodes.size (); i++)
        up[Find (up, l.nodes[i])] = Find (up, l.nodes[0]);
  std::vector<std::vector<int>> adj (n);
  for (const Link &l : s->links)
    if (Cuttable (l))
      {
        adj[Find (up, l.nodes[0])].push_back (Find (up, l.nodes[1]));
        adj[Find (up, l.nodes[1])].push_back (Find (up, l.nodes[0]));
      }
  std::vector<int> size (n, 0), order;
  for (size_t i = 0; i < n; i++)
    size[Find (up, (int)i)]++;
  std::vector<bool> seen (n, false);
  for (size_t start = 0; start < n; start++)
    {
      int g = Find (up, (int)start);
      if (seen[g])
        continue;
      std::deque<int> q{g};
      seen[g] = true;
      while (!q.empty ())
        {
          int x = q.front ();
          q.pop_front ();
          order.push_back (x);
          for (int y : adj[x])
            if (!seen[y])
              {
                seen[y] = true;
                q.push_back (y);
              }
        }
    }
  if (order.size () < ranks)
    return Fail (s, s->where, "cannot split the scenario into " + std::to_string (ranks) + " ranks: it has only " +
                                  std::to_string (order.size ()) +
                                  " part(s) joined by p2p links with a delay > 0 (only those may cross ranks); "
                                  "use fewer ranks or give nodes a rank:");
  std::vector<uint32_t> groupRank (n, 0);
  size_t left = n, placed = 0;
  uint32_t r = 0;
  for (size_t k = 0; k < order.size (); k++)
    {
      size_t groupsLeft = order.size () - k;
      uint32_t ranksLeft = ranks - r;
      size_t target = (left + ranksLeft - 1) / ranksLeft;
      // move on when this rank is full, or when every later rank needs a group
      if (r + 1 < ranks && placed > 0 && (placed >= target || groupsLeft <= ranksLeft - 1))
        {
          r++;
          placed = 0;
        }
      groupRank[order[k]] = r;
      placed += size[order[k]];
      left -= size[order[k]];
    }
  for (size_t i = 0; i < n; i++)
    s->nodeRank[i] = groupRank[Find (up, (int)i)];
  return 0;
}

} // namespace

extern "C" int
dce_scenario_node_rank (struct dce_scenario *s, int node, int rank)
{
  if (node < 0 || node >= (int)s->nodes.size ())
    return Fail (s, s->where, "no node " + std::to_string (node));
  if (rank < 0 || rank > 4095)
    return Fail (s, s->where, "bad rank " + std::to_string (rank) + " for node " + s->nodes[node].name +
                                  " (0 to 4095)");
  s->nodes[node].rank = rank;
  s->checked = false;
  return 0;
}

extern "C" int
dce_scenario_node_rank_of (const struct dce_scenario *s, int node)
{
  return node >= 0 && node < (int)s->nodeRank.size () ? (int)s->nodeRank[node] : 0;
}

extern "C" int
dce_scenario_partition (struct dce_scenario *s, int ranks)
{
  size_t n = s->nodes.size ();
  s->nodeRank.assign (n, 0);
  if (ranks < 1)
    return Fail (s, s->where, "bad number of ranks " + std::to_string (ranks));
  if (ranks == 1)
    return 0;
  if ((size_t)ranks > n)
    return Fail (s, s->where, std::to_string (ranks) + " ranks but the scenario has " + std::to_string (n) +
                                  " node(s): every rank needs a node (use --ranks " + std::to_string (n) +
                                  " or fewer)");
  if (!s->haveStop)
    return Fail (s, s->where, "a distributed run needs a stop time (stop: in the file or --stop): no rank "
                              "alone knows when every process of the run is done");
  bool given = false;
  for (const Node &nd : s->nodes)
    given = given || nd.rank >= 0;
  if (given)
    {
      for (size_t i = 0; i < n; i++)
        {
          const Node &nd = s->nodes[i];
          if (nd.rank >= ranks)
            return Fail (s, nd.where, "node " + nd.name + " has rank: " + std::to_string (nd.rank) + " but the run has " +
                                          std::to_string (ranks) + " ranks (0 to " + std::to_string (ranks - 1) + ")");
          s->nodeRank[i] = nd.rank < 0 ? 0 : (uint32_t)nd.rank;
        }
    }
  else if (AutoPartition (s, (uint32_t)ranks))
    return -1;
  for (const Link &l : s->links)
    {
      bool cross = false;
      for (int x : l.nodes)
        cross = cross || s->nodeRank[x] != s->nodeRank[l.nodes[0]];
      if (!cross)
        continue;
      std::string between;
      for (size_t i = 0; i < l.nodes.size (); i++)
        between += std::string (i == 0 ? "" : i + 1 == l.nodes.size () ? " and " : ", ") + s->nodes[l.nodes[i]].name +
                   " (rank " + std::to_string (s->nodeRank[l.nodes[i]]) + ")";
      if (l.kind != "p2p")
        return Fail (s, l.where, "a " + l.kind + " link joins " + between +
                                     ": only p2p links may cross ranks (put its nodes on one rank)");
      if (DelayNs (l) == 0)
        return Fail (s, l.where, "the p2p link between " + between +
                                     " has delay 0: a link between ranks needs a delay > 0 (it is the "
                                     "distributed simulator's lookahead)");
    }
  return 0;
}
