// scenario.cc - the scenario model behind scenario.h: recording nodes, links,
// routes and processes with an immediate check of each value, and
// dce_scenario_check (addresses, routes, the whole).
#include "scenario.h"
#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace dce_scenario_model;

namespace {

const int kMaxNodes = 100000;
const int kMaxLinks = 400000;
const int kMaxProcs = 1000000;
const char *const kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool
IsTrue (const std::string &v, bool *b)
{
  if (v == "true" || v == "yes" || v == "on" || v == "1")
    *b = true;
  else if (v == "false" || v == "no" || v == "off" || v == "0")
    *b = false;
  else
    return false;
  return true;
}

bool
ValidName (const std::string &n)
{
  if (n.empty () || n.size () > 63 || n[0] == '-' || n[0] == '.')
    return false;
  for (char c : n)
    if (!(std::isalnum ((unsigned char)c) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

bool
NodeOk (dce_scenario *s, int node)
{
  if (node >= 0 && node < (int)s->nodes.size ())
    return true;
  Fail (s, s->where, "no node number " + std::to_string (node) + " (the scenario has " +
                         std::to_string (s->nodes.size ()) + " nodes)");
  return false;
}

// "10.1.0.0/16" -> network and length; the address must be the network's first.
bool
ParsePrefix4 (const std::string &t, uint32_t *net, int *len, bool requireNetwork)
{
  size_t slash = t.find ('/');
  uint64_t l = 32;
  if (slash != std::string::npos && !ParseUint (t.substr (slash + 1), 0, 32, &l))
    return false;
  if (!ParseAddr4 (t.substr (0, slash), net))
    return false;
  *len = (int)l;
  uint32_t mask = l ? ~0u << (32 - l) : 0;
  if (requireNetwork && (*net & ~mask))
    return false;
  return true;
}

bool
ParsePrefix6 (const std::string &t, V6 *net, int *len)
{
  size_t slash = t.find ('/');
  uint64_t l = 128;
  if (slash != std::string::npos && !ParseUint (t.substr (slash + 1), 0, 128, &l))
    return false;
  if (!ParseAddr6 (t.substr (0, slash), net))
    return false;
  *len = (int)l;
  return true;
}

bool
SamePrefix6 (const V6 &a, const V6 &b, int len)
{
  for (int i = 0; i < len; i++)
    if (((a.b[i / 8] >> (7 - i % 8)) & 1) != ((b.b[i / 8] >> (7 - i % 8)) & 1))
      return false;
  return true;
}

bool
Executable (const std::string &path)
{
  struct stat st;
  return stat (path.c_str (), &st) == 0 && S_ISREG (st.st_mode) && access (path.c_str (), X_OK) == 0;
}

// Whether node can run program: a file placed in its root, or a host file the
// node sees (the standard directories, or a --map'ped one).
bool
FindProgram (dce_scenario *s, const Proc &p, std::string *searched)
{
  const std::string &prog = p.argv[0];
  const Node &n = s->nodes[p.node];
  auto placed = [&] (const std::string &path) {
    for (const KV &f : n.files)
      if (f.first == path)
        return true;
    return false;
  };
  if (prog.find ('/') != std::string::npos)
    {
      *searched = "";
      if (prog[0] != '/')
        return false;
      return placed (prog) || Executable (prog) ||
             Executable (s->out + "/files-" + std::to_string (p.node) + prog);
    }
  std::string path = kDefaultPath;
  for (const std::string &e : p.env)
    if (e.compare (0, 5, "PATH=") == 0)
      path = e.substr (5);
  *searched = path;
  size_t i = 0;
  while (i <= path.size ())
    {
      size_t j = path.find (':', i);
      if (j == std::string::npos)
        j = path.size ();
      std::string dir = path.substr (i, j - i);
      if (!dir.empty () && dir[0] == '/' &&
          (placed (dir + "/" + prog) || Executable (dir + "/" + prog) ||
           Executable (s->out + "/files-" + std::to_string (p.node) + dir + "/" + prog)))
        return true;
      i = j + 1;
    }
  return false;
}

// --- addresses -------------------------------------------------------------

struct Block
{
  uint32_t lo, hi; // inclusive
  int link;
};

struct Allocator
{
  std::map<uint32_t, Block> used; // by lo
  std::map<int, uint64_t> cursor; // next candidate per prefix length

  const Block *Overlap (uint32_t lo, uint32_t hi) const
  {
    auto it = used.upper_bound (hi);
    if (it == used.begin ())
      return nullptr;
    --it;
    return it->second.hi >= lo ? &it->second : nullptr;
  }
  void Add (uint32_t lo, uint32_t hi, int link) { used[lo] = Block{lo, hi, link}; }
  // the first free aligned block of length len in 10.0.0.0/8, from 10.1.1.0 on
  bool Next (int len, uint32_t *net, int link)
  {
    uint64_t size = 1ull << (32 - len);
    uint64_t start = ((0x0a010100ull + size - 1) / size) * size;
    uint64_t c = cursor.count (len) ? cursor[len] : start;
    for (; c + size <= 0x0b000000ull; c += size)
      {
        const Block *b = Overlap ((uint32_t)c, (uint32_t)(c + size - 1));
        if (b)
          {
            // jump past the block in the way
            uint64_t after = (uint64_t)b->hi + 1;
            c = ((after + size - 1) / size) * size - size;
            continue;
          }
        *net = (uint32_t)c;
        Add ((uint32_t)c, (uint32_t)(c + size - 1), link);
        cursor[len] = c + size;
        return true;
      }
    return false;
  }
};

int
AssignAddresses (dce_scenario *s)
{
  Allocator alloc;
  // 1. explicit subnets, and subnets implied by explicit addresses with a length
  for (size_t li = 0; li < s->links.size (); li++)
    {
      Link &l = s->links[li];
      if (!l.haveSubnet)
        for (auto &e : l.explicitAddr)
          {
            size_t slash = e.second.find ('/');
            if (slash == std::string::npos || e.second.find (':') != std::string::npos)
              continue;
            uint32_t a;
            int len;
            ParsePrefix4 (e.second, &a, &len, false);
            l.len = len;
            l.net = len ? a & (~0u << (32 - len)) : 0;
            l.haveSubnet = true;
            break;
          }
      if (!l.haveSubnet)
        continue;
      uint32_t hi = l.net + (uint32_t)((1ull << (32 - l.len)) - 1);
      if (const Block *b = alloc.Overlap (l.net, hi))
        return Fail (s, l.where, "subnet " + Addr4 (l.net) + "/" + std::to_string (l.len) +
                                     " overlaps the subnet of the link at " + s->links[b->link].where +
                                     ": give each link its own subnet");
      alloc.Add (l.net, hi, (int)li);
    }
  // 2. automatic subnets, large enough for the link's nodes
  for (size_t li = 0; li < s->links.size (); li++)
    {
      Link &l = s->links[li];
      if (l.haveSubnet)
        continue;
      int len = 30;
      while (len > 8 && (1ull << (32 - len)) < l.nodes.size () + 2)
        len--;
      if (len > 24)
        len = 24;
      l.len = len;
      if (!alloc.Next (len, &l.net, (int)li))
        return Fail (s, l.where, "no free automatic subnet left in 10.0.0.0/8: give this link a subnet");
    }
  // 3. hosts: explicit ones, then the free host numbers 1, 2, ... in node order
  std::map<uint32_t, int> owner; // address -> link, for clashes across links
  for (size_t li = 0; li < s->links.size (); li++)
    {
      Link &l = s->links[li];
      uint64_t size = 1ull << (32 - l.len);
      uint32_t mask = l.len ? ~0u << (32 - l.len) : 0;
      l.addr.assign (l.nodes.size (), 0);
      std::set<uint32_t> taken;
      for (size_t i = 0; i < l.nodes.size (); i++)
        {
          auto it = l.explicitAddr.find (l.nodes[i]);
          if (it == l.explicitAddr.end () || it->second.find (':') != std::string::npos)
            continue;
          uint32_t a;
          int len;
          ParsePrefix4 (it->second, &a, &len, false);
          if ((a & mask) != l.net)
            return Fail (s, l.where, "address " + it->second + " of " + s->nodes[l.nodes[i]].name +
                                         " is not in the link's subnet " + Addr4 (l.net) + "/" +
                                         std::to_string (l.len));
          if (a == l.net || (size > 2 && a == l.net + size - 1))
            return Fail (s, l.where, "address " + it->second + " is the subnet's network or broadcast address: pick a host address");
          if (!taken.insert (a).second)
            return Fail (s, l.where, "address " + Addr4 (a) + " is given to two nodes of this link");
          l.addr[i] = a;
        }
      uint32_t next = l.net + 1;
      for (size_t i = 0; i < l.nodes.size (); i++)
        {
          if (l.addr[i])
            continue;
          if (l.noAddr.count (l.nodes[i]))
            {
              if (s->routing == "auto")
                return Fail (s, l.noAddr[l.nodes[i]], "address none (for " + s->nodes[l.nodes[i]].name +
                                                          ") needs routing: none or global: automatic routes "
                                                          "need every node's address");
              continue;
            }
          while (taken.count (next))
            next++;
          if (next >= l.net + size - (size > 2 ? 1 : 0))
            return Fail (s, l.where, "subnet " + Addr4 (l.net) + "/" + std::to_string (l.len) +
                                         " is too small for the link's " + std::to_string (l.nodes.size ()) +
                                         " nodes: give a larger subnet");
          l.addr[i] = next;
          taken.insert (next++);
        }
      for (uint32_t a : l.addr)
        {
          if (!a)
            continue;
          auto o = owner.find (a);
          if (o != owner.end () && o->second != (int)li)
            return Fail (s, l.where, "address " + Addr4 (a) + " is also used on the link at " +
                                         s->links[o->second].where);
          owner[a] = (int)li;
        }
    }
  // 4. IPv6: explicit subnets or fd00:K::/64
  int k = 0;
  for (size_t li = 0; li < s->links.size (); li++)
    {
      Link &l = s->links[li];
      bool any6 = !l.explicitAddr6.empty ();
      if (!(l.haveSubnet6 || s->ipv6 || l.want6 || any6))
        continue;
      if (!l.haveSubnet6)
        for (;;)
          {
            if (++k > 0xffff)
              return Fail (s, l.where, "no free automatic IPv6 subnet left: give this link a subnet6");
            V6 c;
            // fd00:K::/64 (unique local): ns-3 routers drop 2001:db8::/32 (documentation)
            c.b[0] = 0xfd, c.b[2] = (uint8_t)(k >> 8), c.b[3] = (uint8_t)k;
            bool clash = false;
            for (const Link &o : s->links)
              clash |= o.haveSubnet6 && SamePrefix6 (o.net6, c, std::min (o.len6, 64));
            if (clash)
              continue;
            l.net6 = c;
            l.len6 = 64;
            break;
          }
      else
        for (size_t oi = 0; oi < li; oi++)
          if (s->links[oi].haveSubnet6 &&
              SamePrefix6 (s->links[oi].net6, l.net6, std::min (l.len6, s->links[oi].len6)))
            return Fail (s, l.where, "subnet6 " + Addr6 (l.net6) + "/" + std::to_string (l.len6) +
                                         " overlaps the one of the link at " + s->links[oi].where);
      l.addr6.assign (l.nodes.size (), V6 ());
      std::set<std::array<uint8_t, 16>> taken;
      for (size_t i = 0; i < l.nodes.size (); i++)
        {
          auto it = l.explicitAddr6.find (l.nodes[i]);
          if (it == l.explicitAddr6.end ())
            continue;
          V6 a;
          int len;
          ParsePrefix6 (it->second, &a, &len);
          if (!SamePrefix6 (a, l.net6, l.len6))
            return Fail (s, l.where, "address " + it->second + " is not in the link's subnet6 " +
                                         Addr6 (l.net6) + "/" + std::to_string (l.len6));
          if (!taken.insert (a.b).second)
            return Fail (s, l.where, "address " + Addr6 (a) + " is given to two nodes of this link");
          l.addr6[i] = a;
        }
      uint32_t host = 1;
      for (size_t i = 0; i < l.nodes.size (); i++)
        {
          if (l.addr6[i].b[0] || l.noAddr.count (l.nodes[i]))
            continue;
          V6 a;
          do
            {
              a = l.net6;
              a.b[12] |= (uint8_t)(host >> 24), a.b[13] |= (uint8_t)(host >> 16);
              a.b[14] |= (uint8_t)(host >> 8), a.b[15] |= (uint8_t)host;
              host++;
            }
          while (taken.count (a.b));
          taken.insert (a.b);
          l.addr6[i] = a;
        }
    }
  return 0;
}

// --- automatic routes ------------------------------------------------------------

// Shortest paths by hop count (BFS over nodes and links, in the order they were
// added, so the result is a pure function of the scenario). Each node routes every
// subnet it is not on through the first hop of a shortest path; the first hop most
// subnets share becomes its default route and only the others get a route each.
// Whether node src needs a path search: not for a node without links, a leaf on a
// p2p link (one default route) or a node on a LAN that leads nowhere else.
// routers[l]: how many of link l's nodes have more than one link.
bool
NeedsSearch (const dce_scenario *s, int src, const std::vector<int> &routers)
{
  const std::vector<int> &sl = s->nodes[src].links;
  if (sl.size () != 1)
    return sl.size () > 1;
  return s->links[sl[0]].kind != "p2p" && routers[sl[0]] > 0;
}

std::vector<int>
RoutersPerLink (const dce_scenario *s)
{
  std::vector<int> r (s->links.size (), 0);
  for (const Node &n : s->nodes)
    if (n.links.size () > 1)
      for (int l : n.links)
        r[l]++;
  return r;
}

void
ComputeRoutes (dce_scenario *s)
{
  s->autoRoutes.clear ();
  int n = (int)s->nodes.size ();
  std::vector<int> firstLink (n), firstNode (n), seen (n, -1);
  std::vector<int> linkSeen (s->links.size (), -1);
  std::vector<int> routers = RoutersPerLink (s);
  for (int src = 0; src < n; src++)
    {
      if (s->nodes[src].links.empty ())
        continue;
      // a leaf on a p2p link: everything else is through its one neighbour
      const std::vector<int> &sl = s->nodes[src].links;
      if (sl.size () == 1 && s->links[sl[0]].kind == "p2p")
        {
          const Link &l = s->links[sl[0]];
          int nb = l.nodes[0] == src ? l.nodes[1] : l.nodes[0];
          if (s->nodes[nb].links.size () < 2)
            continue;
          for (int v6 = 0; v6 < 2; v6++)
            {
              if (v6 && l.addr6.empty ())
                continue;
              Route d;
              d.node = src;
              d.dst = v6 ? "default6" : "default";
              d.haveVia = true;
              d.v6 = v6;
              size_t i = l.nodes[0] == nb ? 0 : 1;
              if (v6)
                d.via6 = l.addr6[i];
              else
                d.via4 = l.addr[i];
              d.devIndex = 0;
              s->autoRoutes.push_back (d);
            }
          continue;
        }
      if (!NeedsSearch (s, src, routers))
        continue;
      // BFS; per reached link, the first hop (link index on src, neighbour node)
      std::vector<std::pair<int, std::pair<int, int>>> reached; // link, (first link, first node)
      std::deque<int> q;
      seen[src] = src;
      firstLink[src] = -1;
      q.push_back (src);
      for (int l : s->nodes[src].links)
        linkSeen[l] = src; // attached: no route
      while (!q.empty ())
        {
          int u = q.front ();
          q.pop_front ();
          for (int l : s->nodes[u].links)
            {
              if (u != src && linkSeen[l] != src)
                {
                  linkSeen[l] = src;
                  reached.push_back ({l, {firstLink[u], firstNode[u]}});
                }
              for (int v : s->links[l].nodes)
                if (seen[v] != src)
                  {
                    seen[v] = src;
                    firstLink[v] = u == src ? l : firstLink[u];
                    firstNode[v] = u == src ? v : firstNode[u];
                    q.push_back (v);
                  }
            }
        }
      if (reached.empty ())
        continue;
      std::map<std::pair<int, int>, int> count;
      std::pair<int, int> best = reached[0].second;
      for (auto &r : reached)
        if (++count[r.second] > count[best])
          best = r.second;
      auto gateway = [&] (std::pair<int, int> hop, bool v6, Route *r) {
        const Link &l = s->links[hop.first];
        size_t i = std::find (l.nodes.begin (), l.nodes.end (), hop.second) - l.nodes.begin ();
        r->haveVia = true;
        r->v6 = v6;
        if (v6)
          r->via6 = l.addr6[i];
        else
          r->via4 = l.addr[i];
        const Node &sn = s->nodes[src];
        r->devIndex = (int)(std::find (sn.links.begin (), sn.links.end (), hop.first) - sn.links.begin ());
      };
      for (int v6 = 0; v6 < 2; v6++)
        {
          const Link &fl = s->links[best.first];
          if (v6 && fl.addr6.empty ())
            continue;
          Route d;
          d.node = src;
          d.dst = v6 ? "default6" : "default";
          gateway (best, v6, &d);
          s->autoRoutes.push_back (d);
          for (auto &rc : reached)
            {
              const Link &l = s->links[rc.first];
              const Link &hl = s->links[rc.second.first];
              if (rc.second == best || (v6 && (l.addr6.empty () || hl.addr6.empty ())))
                continue;
              Route r;
              r.node = src;
              if (v6)
                r.dst6 = l.net6, r.len = l.len6;
              else
                r.dst4 = l.net, r.len = l.len;
              r.dst = v6 ? Addr6 (l.net6) + "/" + std::to_string (l.len6)
                         : Addr4 (l.net) + "/" + std::to_string (l.len);
              gateway (rc.second, v6, &r);
              s->autoRoutes.push_back (r);
            }
        }
    }
}

// The device a gateway is reached through: the node's link whose subnet holds it.
int
DeviceFor (dce_scenario *s, const Route &r)
{
  if (r.devIndex >= 0)
    return r.devIndex;
  const Node &n = s->nodes[r.node];
  for (size_t k = 0; k < n.links.size (); k++)
    {
      const Link &l = s->links[n.links[k]];
      if (!r.v6)
        {
          uint32_t mask = l.len ? ~0u << (32 - l.len) : 0;
          if ((r.via4 & mask) == l.net)
            return (int)k;
        }
      else if (!l.addr6.empty ())
        {
          bool same = true;
          for (int bit = 0; bit < l.len6 && same; bit++)
            same = ((r.via6.b[bit / 8] ^ l.net6.b[bit / 8]) >> (7 - bit % 8) & 1) == 0;
          if (same)
            return (int)k;
        }
    }
  return -1;
}

int
CheckRoute (dce_scenario *s, Route &r)
{
  const Node &n = s->nodes[r.node];
  if (r.dst == "default")
    r.v6 = false, r.len = 0;
  else if (r.dst == "default6")
    r.v6 = true, r.len = 0;
  else if (r.dst.find (':') != std::string::npos)
    {
      if (!ParsePrefix6 (r.dst, &r.dst6, &r.len))
        return Fail (s, r.where, "bad route destination " + Show (r.dst) + " (\"2001:db8:2::/64\", \"default\" or \"default6\")");
      r.v6 = true;
    }
  else if (!ParsePrefix4 (r.dst, &r.dst4, &r.len, true))
    return Fail (s, r.where, "bad route destination " + Show (r.dst) +
                                 " (a network with its length, \"10.2.0.0/16\", or \"default\")");
  if (!r.via.empty ())
    {
      bool ok = r.v6 ? ParseAddr6 (r.via, &r.via6) : ParseAddr4 (r.via, &r.via4);
      if (!ok)
        return Fail (s, r.where, "bad gateway " + Show (r.via) + " (an " + (r.v6 ? "IPv6" : "IPv4") +
                                     " address, of the same family as the destination)");
      r.haveVia = true;
    }
  if (!r.dev.empty ())
    {
      uint64_t k;
      if (r.dev.compare (0, 3, "eth") != 0 || !ParseUint (r.dev.substr (3), 0, 100000, &k) ||
          k >= n.links.size ())
        return Fail (s, r.where, "node " + n.name + " has no device " + Show (r.dev) + " (it has eth0 to eth" +
                                     std::to_string ((int)n.links.size () - 1) + ", one per link in the order added)");
      r.devIndex = (int)k;
    }
  if (!r.haveVia && r.devIndex < 0)
    return Fail (s, r.where, "a route needs a gateway (via) or a device (dev)");
  return 0;
}

} // namespace

extern "C" {

struct dce_scenario *
dce_scenario_new (void)
{
  return new dce_scenario ();
}

void
dce_scenario_free (struct dce_scenario *s)
{
  delete s;
}

const char *
dce_scenario_error (const struct dce_scenario *s)
{
  return s->err.c_str ();
}

void
dce_scenario_where (struct dce_scenario *s, const char *where)
{
  s->where = where ? where : "";
}

int
dce_scenario_set (struct dce_scenario *s, const char *key, const char *value)
{
  std::string k = key ? key : "", v = value ? value : "";
  const char *why = nullptr;
  bool b;
  s->checked = false;
  if (k == "seed" || k == "run")
    {
      if (!ParseUint (v, k == "seed" ? 1 : 0, k == "seed" ? 4294967295u : UINT64_MAX, k == "seed" ? &s->seed : &s->run))
        return Fail (s, s->where, "bad " + k + " " + Show (v) + (k == "seed" ? " (a whole number, 1 to 4294967295)" : " (a whole number)"));
    }
  else if (k == "stop")
    {
      if (dce_scenario_parse_time (v.c_str (), &s->stop, &why) || s->stop == 0)
        return Fail (s, s->where, "bad stop time " + Show (v) + ": " + (why ? why : "it must be after 0"));
      s->haveStop = true;
    }
  else if (k == "out")
    {
      if (v.empty ())
        return Fail (s, s->where, "out needs a directory");
      s->out = v;
    }
  else if (k == "routing")
    {
      if (v != "auto" && v != "global" && v != "none")
        return Fail (s, s->where, "bad routing " + Show (v) + " (auto, global or none)");
      s->routing = v;
    }
  else if (k == "ipv6" || k == "pcap" || k == "ipv6_stack")
    {
      if (!IsTrue (v, &b))
        return Fail (s, s->where, "bad " + k + " " + Show (v) + " (true or false)");
      (k == "ipv6" ? s->ipv6 : k == "pcap" ? s->pcapAll : s->ipv6Stack) = b;
    }
  else if (k == "segment_size")
    {
      uint64_t m;
      if (!ParseUint (v, 64, 65000, &m))
        return Fail (s, s->where, "bad segment_size " + Show (v) + " (bytes, 64 to 65000)");
      s->segmentSize = (uint32_t)m;
    }
  else if (k == "ranks")
    {
      uint64_t n;
      if (!ParseUint (v, 1, 4096, &n))
        return Fail (s, s->where, "bad ranks " + Show (v) + " (a whole number, 1 to 4096)");
      s->ranks = (uint32_t)n;
    }
  else if (k == "mpi_engine")
    {
      if (v != "gtw" && v != "nullmsg")
        return Fail (s, s->where, "bad mpi_engine " + Show (v) + " (gtw: granted time window, nullmsg: null messages)");
      s->mpiEngine = v;
    }
  else if (k == "map")
    {
      if (!v.empty () && v[0] != '/' && !s->base.empty ())
        v = s->base + "/" + v;
      char *real = v.empty () ? nullptr : realpath (v.c_str (), nullptr);
      if (!real)
        return Fail (s, s->where, "map " + Show (v) + ": no such host directory");
      s->maps.push_back (real);
      free (real);
    }
  else
    return Fail (s, s->where, "unknown setting " + Show (k) +
                                  " (known: seed, run, stop, out, routing, ipv6, ipv6_stack, pcap, segment_size, map, ranks, mpi_engine)");
  return 0;
}

int
dce_scenario_add_node (struct dce_scenario *s, const char *name, const char *stack)
{
  std::string n = name ? name : "", st = stack ? stack : "ns3";
  if (!ValidName (n))
    return Fail (s, s->where, "bad node name " + Show (n) +
                                  " (letters, digits, '-', '_', '.', up to 63, not starting with '-' or '.')");
  if (s->byName.count (n))
    return Fail (s, s->where, "node " + Show (n) + " is defined twice (first at " +
                                  s->nodes[s->byName[n]].where + "): node names must be unique");
  if (st != "ns3" && st != "linux")
    return Fail (s, s->where, "bad stack " + Show (st) + " for node " + n + " (ns3 or linux)");
  if ((int)s->nodes.size () >= kMaxNodes)
    return Fail (s, s->where, "too many nodes (at most " + std::to_string (kMaxNodes) + ")");
  Node node;
  node.name = n;
  node.stack = st;
  node.where = s->where;
  s->byName[n] = (int)s->nodes.size ();
  s->nodes.push_back (node);
  s->checked = false;
  return (int)s->nodes.size () - 1;
}

int
dce_scenario_node_index (const struct dce_scenario *s, const char *name)
{
  auto it = s->byName.find (name ? name : "");
  return it == s->byName.end () ? -1 : it->second;
}

int
dce_scenario_node_count (const struct dce_scenario *s)
{
  return (int)s->nodes.size ();
}

const char *
dce_scenario_node_name (const struct dce_scenario *s, int node)
{
  return node >= 0 && node < (int)s->nodes.size () ? s->nodes[node].name.c_str () : nullptr;
}

int
dce_scenario_node_sysctl (struct dce_scenario *s, int node, const char *key, const char *value)
{
  if (!NodeOk (s, node))
    return -1;
  std::string k = key ? key : "", v = value ? value : "";
  if (s->nodes[node].stack != "linux")
    return Fail (s, s->where, "sysctl " + Show (k) + " on node " + s->nodes[node].name +
                                  ": sysctls need stack: linux (an ns3-stack node has no kernel)");
  if (k.empty () || k.find ("..") != std::string::npos || k.find ('/') != std::string::npos || k[0] == '.')
    return Fail (s, s->where, "bad sysctl key " + Show (k) + " (as in sysctl(8): net.ipv4.ip_forward)");
  s->nodes[node].sysctls.push_back ({k, v});
  return 0;
}

int
dce_scenario_node_file (struct dce_scenario *s, int node, const char *path, const char *content)
{
  if (!NodeOk (s, node))
    return -1;
  std::string p = path ? path : "";
  if (p.empty () || p[0] != '/' || p.find ("/../") != std::string::npos || p.size () < 2 ||
      p.compare (p.size () - 3 < p.size () ? p.size () - 3 : 0, 3, "/..") == 0 || p.back () == '/' ||
      p.size () > 1024)
    return Fail (s, s->where, "bad file path " + Show (p) + " (an absolute path inside the node, without '..')");
  s->nodes[node].files.push_back ({p, content ? content : ""});
  return 0;
}

int
dce_scenario_node_pcap (struct dce_scenario *s, int node)
{
  if (!NodeOk (s, node))
    return -1;
  s->nodes[node].pcap = true;
  return 0;
}

int
dce_scenario_node_position (struct dce_scenario *s, int node, const char *xyz)
{
  if (!NodeOk (s, node))
    return -1;
  std::string v = xyz ? xyz : "";
  double p[3] = {0, 0, 0};
  int n = 0;
  size_t i = 0;
  bool ok = true;
  while (ok && i <= v.size () && n < 4)
    {
      size_t j = v.find (',', i);
      std::string w = v.substr (i, j == std::string::npos ? std::string::npos : j - i);
      while (!w.empty () && w[0] == ' ')
        w.erase (0, 1);
      while (!w.empty () && w.back () == ' ')
        w.pop_back ();
      char *end = nullptr;
      double d = w.empty () ? 0 : std::strtod (w.c_str (), &end);
      ok = !w.empty () && !*end && d >= -1e6 && d <= 1e6 && n < 3;
      if (ok)
        p[n++] = d;
      if (j == std::string::npos)
        break;
      i = j + 1;
    }
  if (!ok || n < 2)
    return Fail (s, s->where, "bad position " + Show (v) + " (meters, [x, y] or [x, y, z], each -1000000 to 1000000)");
  Node &nd = s->nodes[node];
  nd.havePos = true;
  for (int k = 0; k < 3; k++)
    nd.pos[k] = p[k];
  s->checked = false;
  return 0;
}

int
dce_scenario_add_link (struct dce_scenario *s, const char *kind, const int *nodes, int n)
{
  std::string k = kind ? kind : "p2p";
  if (k != "p2p" && k != "csma" && k != "wifi")
    return Fail (s, s->where, "bad link type " + Show (k) + " (p2p, csma or wifi)");
  if (n < 2 || (k == "p2p" && n != 2))
    return Fail (s, s->where, k == "p2p" ? "a p2p link joins exactly 2 nodes (use type: csma for a LAN)"
                                         : "a " + k + " link needs at least 2 nodes");
  if ((int)s->links.size () >= kMaxLinks)
    return Fail (s, s->where, "too many links (at most " + std::to_string (kMaxLinks) + ")");
  Link l;
  l.kind = k;
  l.where = s->where;
  std::set<int> seen;
  for (int i = 0; i < n; i++)
    {
      if (!NodeOk (s, nodes[i]))
        return -1;
      if (!seen.insert (nodes[i]).second)
        return Fail (s, s->where, "node " + s->nodes[nodes[i]].name + " appears twice on this link");
      l.nodes.push_back (nodes[i]);
    }
  int idx = (int)s->links.size ();
  for (int v : l.nodes)
    s->nodes[v].links.push_back (idx);
  s->links.push_back (l);
  s->checked = false;
  return idx;
}

int
dce_scenario_link_set (struct dce_scenario *s, int link, const char *key, const char *value)
{
  if (link < 0 || link >= (int)s->links.size ())
    return Fail (s, s->where, "no link number " + std::to_string (link));
  Link &l = s->links[link];
  std::string k = key ? key : "", v = value ? value : "";
  const char *why = nullptr;
  uint64_t u;
  s->checked = false;
  if (k == "rate")
    {
      if (dce_scenario_parse_rate (v.c_str (), &u, &why))
        return Fail (s, s->where, "bad rate " + Show (v) + ": " + why);
      l.rate = std::to_string (u) + "bps";
    }
  else if (k == "delay")
    {
      if (dce_scenario_parse_time (v.c_str (), &u, &why) || u > 3600000000000ull)
        return Fail (s, s->where, "bad delay " + Show (v) + ": " + (why ? why : "at most 1 h"));
      l.delay = std::to_string (u) + "ns";
    }
  else if (k == "queue")
    {
      uint64_t q;
      std::string num = v.size () > 1 && v.back () == 'p' ? v.substr (0, v.size () - 1) : v;
      if (ParseUint (num, 1, 1000000, &q))
        l.queue = std::to_string (q) + "p";
      else if (ParseSize (v, &q) && q >= 64 && q <= (1ull << 30))
        l.queue = std::to_string (q) + "B";
      else
        return Fail (s, s->where, "bad queue " + Show (v) + " (packets, \"100p\" or 100, 1 to 1000000; or bytes, \"64KB\")");
      if (l.kind == "wifi")
        return Fail (s, s->where, "queue is for p2p and csma links");
    }
  else if (k == "queue_disc")
    {
      if (v != "fq_codel" && v != "pfifo_fast" && v != "codel" && v != "pie" && v != "red" && v != "none")
        return Fail (s, s->where, "bad queue_disc " + Show (v) + " (fq_codel, pfifo_fast, codel, pie, red or none; "
                                                                 "on linux-stack nodes run tc instead)");
      l.queueDisc = v;
    }
  else if (k == "loss")
    {
      char *end = nullptr;
      double d = v.empty () ? -1 : std::strtod (v.c_str (), &end);
      if (v.empty () || *end || !(d >= 0 && d <= 1))
        return Fail (s, s->where, "bad loss " + Show (v) + " (a probability per packet, 0 to 1: 0.01)");
      l.loss = d;
    }
  else if (k == "subnet")
    {
      if (!ParsePrefix4 (v, &l.net, &l.len, true) || v.find ('/') == std::string::npos || l.len < 8 || l.len > 30)
        return Fail (s, s->where, "bad subnet " + Show (v) + " (an IPv4 network and length /8 to /30 with no host "
                                                             "bits set: \"10.1.1.0/24\")");
      l.haveSubnet = true;
    }
  else if (k == "subnet6")
    {
      if (!ParsePrefix6 (v, &l.net6, &l.len6) || v.find ('/') == std::string::npos || l.len6 < 16 || l.len6 > 120)
        return Fail (s, s->where, "bad subnet6 " + Show (v) + " (an IPv6 prefix and length: \"2001:db8:1::/64\")");
      l.haveSubnet6 = true;
    }
  else if (k == "ipv6")
    {
      bool b;
      if (!IsTrue (v, &b))
        return Fail (s, s->where, "bad ipv6 " + Show (v) + " (true or false)");
      l.want6 = b;
    }
  else if (k == "pcap")
    {
      bool b;
      if (!IsTrue (v, &b))
        return Fail (s, s->where, "bad pcap " + Show (v) + " (true or false)");
      l.pcap = b;
    }
  else if (k == "standard")
    {
      if (v != "80211a" && v != "80211g" && v != "80211n" && v != "80211b")
        return Fail (s, s->where, "bad standard " + Show (v) + " (80211a, 80211b, 80211g or 80211n)");
      l.standard = v;
    }
  else if (k == "mode")
    {
      if (v != "adhoc" && v != "ap")
        return Fail (s, s->where, "bad mode " + Show (v) + " (adhoc, or ap: the first node is the access point)");
      l.mode = v;
    }
  else if (k == "spacing")
    {
      char *end = nullptr;
      double d = v.empty () ? -1 : std::strtod (v.c_str (), &end);
      if (v.empty () || *end || !(d >= 0 && d <= 100000))
        return Fail (s, s->where, "bad spacing " + Show (v) + " (meters, 0 to 100000)");
      l.spacing = d;
    }
  else if (k == "layout")
    {
      if (v != "line" && v != "grid")
        return Fail (s, s->where, "bad layout " + Show (v) + " (line or grid: nodes `spacing` meters apart "
                                                              "where they have no position:)");
      l.layout = v;
    }
  else if (k == "data_mode" || k == "control_mode")
    {
      // ns-3's WifiMode names: OfdmRate6Mbps..54Mbps (a, g), DsssRate1Mbps..11Mbps (b),
      // ErpOfdmRate6Mbps..54Mbps (g), HtMcs0..HtMcs31 (n)
      static const char *const kModes[] = {
          "OfdmRate6Mbps",     "OfdmRate9Mbps",     "OfdmRate12Mbps",   "OfdmRate18Mbps",   "OfdmRate24Mbps",
          "OfdmRate36Mbps",    "OfdmRate48Mbps",    "OfdmRate54Mbps",   "DsssRate1Mbps",    "DsssRate2Mbps",
          "DsssRate5_5Mbps",   "DsssRate11Mbps",    "ErpOfdmRate6Mbps", "ErpOfdmRate9Mbps", "ErpOfdmRate12Mbps",
          "ErpOfdmRate18Mbps", "ErpOfdmRate24Mbps", "ErpOfdmRate36Mbps", "ErpOfdmRate48Mbps", "ErpOfdmRate54Mbps"};
      bool known = false;
      for (const char *m : kModes)
        known |= v == m;
      uint64_t mcs;
      known |= v.compare (0, 5, "HtMcs") == 0 && ParseUint (v.substr (5), 0, 31, &mcs);
      if (!known)
        return Fail (s, s->where, "bad " + k + " " + Show (v) + " (an ns-3 Wi-Fi mode of the standard: "
                                                                 "OfdmRate6Mbps..OfdmRate54Mbps, DsssRate1Mbps.."
                                                                 "DsssRate11Mbps, ErpOfdmRate6Mbps.., HtMcs0..31)");
      (k == "data_mode" ? l.dataMode : l.controlMode) = v;
    }
  else
    return Fail (s, s->where, "unknown link option " + Show (k) +
                                  " (known: rate, delay, queue, queue_disc, loss, subnet, subnet6, ipv6, pcap, "
                                  "standard, mode, spacing, layout, data_mode, control_mode)");
  if ((k == "standard" || k == "mode" || k == "spacing" || k == "layout" || k == "data_mode" ||
       k == "control_mode") &&
      l.kind != "wifi")
    return Fail (s, s->where, k + " is for wifi links");
  if (k == "loss" && l.kind == "wifi")
    return Fail (s, s->where, "loss is for p2p and csma links (Wi-Fi loses frames by distance)");
  return 0;
}

int
dce_scenario_link_address (struct dce_scenario *s, int link, int node, const char *address)
{
  if (link < 0 || link >= (int)s->links.size ())
    return Fail (s, s->where, "no link number " + std::to_string (link));
  Link &l = s->links[link];
  std::string a = address ? address : "";
  if (std::find (l.nodes.begin (), l.nodes.end (), node) == l.nodes.end ())
    return Fail (s, s->where, "an address for a node that is not on this link");
  bool ok;
  if (a == "none")
    {
      if (l.explicitAddr.count (node) || l.explicitAddr6.count (node))
        return Fail (s, s->where, "address none for a node given an address on this link: give one or the other");
      l.noAddr[node] = s->where;
      s->checked = false;
      return 0;
    }
  if (l.noAddr.count (node))
    return Fail (s, s->where, "an address for a node given none on this link: give one or the other");
  if (a.find (':') != std::string::npos)
    {
      V6 x;
      int len;
      ok = ParsePrefix6 (a, &x, &len);
      if (ok && l.explicitAddr6.count (node))
        return Fail (s, s->where, "a second IPv6 address for the node on this link (one IPv4 and one IPv6 each)");
      if (ok)
        {
          l.explicitAddr6[node] = a;
          s->checked = false;
          return 0;
        }
    }
  else
    {
      uint32_t x;
      int len;
      ok = ParsePrefix4 (a, &x, &len, false) && len >= 8 && len <= 32;
    }
  if (!ok)
    return Fail (s, s->where, "bad address " + Show (a) + " (\"10.1.1.7\", \"10.1.1.7/24\", \"2001:db8:1::7\" or none)");
  if (l.explicitAddr.count (node))
    return Fail (s, s->where, "a second IPv4 address for the node on this link (one IPv4 and one IPv6 each)");
  l.explicitAddr[node] = a;
  s->checked = false;
  return 0;
}

int
dce_scenario_add_route (struct dce_scenario *s, int node, const char *dst, const char *via, const char *dev)
{
  if (!NodeOk (s, node))
    return -1;
  Route r;
  r.node = node;
  r.dst = dst ? dst : "";
  r.via = via ? via : "";
  r.dev = dev ? dev : "";
  r.where = s->where;
  if (CheckRoute (s, r))
    return -1;
  s->routes.push_back (r);
  s->checked = false;
  return 0;
}

int
dce_scenario_generate (struct dce_scenario *s, const char *shape, int n, const char *prefix,
                       const char *stack, int arg, const char *const *opts)
{
  std::string sh = shape ? shape : "", p = prefix ? prefix : "n";
  if (sh != "line" && sh != "star" && sh != "tree" && sh != "grid" && sh != "lan")
    return Fail (s, s->where, "bad topology " + Show (sh) + " (line, star, tree, grid or lan)");
  if (n < 1 || n > kMaxNodes - (int)s->nodes.size ())
    return Fail (s, s->where, "bad node count " + std::to_string (n) + " (1 to " +
                                  std::to_string (kMaxNodes - (int)s->nodes.size ()) + ")");
  if (sh == "grid" && (arg < 0 || arg > n))
    return Fail (s, s->where, "bad grid width " + std::to_string (arg) + " (1 to the node count)");
  // check the names and options before adding anything
  for (int i = 0; i < n; i++)
    if (s->byName.count (p + std::to_string (i)) || !ValidName (p + std::to_string (i)))
      return Fail (s, s->where, "generated node name " + Show (p + std::to_string (i)) +
                                    (s->byName.count (p + std::to_string (i)) ? " is already a node: choose another prefix"
                                                                              : " is not a valid name"));
  int first = (int)s->nodes.size ();
  size_t firstLink = s->links.size ();
  auto undo = [&] () {
    for (int i = (int)s->nodes.size () - 1; i >= first; i--)
      s->byName.erase (s->nodes[i].name);
    s->nodes.resize (first);
    s->links.resize (firstLink);
    for (auto &nd : s->nodes)
      while (!nd.links.empty () && nd.links.back () >= (int)firstLink)
        nd.links.pop_back ();
    return -1;
  };
  for (int i = 0; i < n; i++)
    if (dce_scenario_add_node (s, (p + std::to_string (i)).c_str (), stack) < 0)
      return undo ();
  auto link = [&] (int a, int b) {
    int v[2] = {first + a, first + b};
    int l = dce_scenario_add_link (s, "p2p", v, 2);
    for (const char *const *o = opts; l >= 0 && o && o[0] && o[1]; o += 2)
      if (dce_scenario_link_set (s, l, o[0], o[1]))
        return -1;
    return l;
  };
  int width = sh == "grid" ? (arg ? arg : std::max (1, (int)std::lround (std::sqrt ((double)n)))) : 0;
  if (sh == "lan" && n >= 2)
    {
      std::vector<int> v (n);
      for (int i = 0; i < n; i++)
        v[i] = first + i;
      int l = dce_scenario_add_link (s, "csma", v.data (), n);
      for (const char *const *o = opts; l >= 0 && o && o[0] && o[1]; o += 2)
        if (dce_scenario_link_set (s, l, o[0], o[1]))
          return undo ();
      if (l < 0)
        return undo ();
    }
  for (int i = 1; i < n && sh != "lan"; i++)
    {
      int r = 0;
      if (sh == "line")
        r = link (i - 1, i);
      else if (sh == "star")
        r = link (0, i);
      else if (sh == "tree")
        r = link ((i - 1) / 2, i);
      if (r < 0)
        return undo ();
    }
  if (sh == "grid")
    for (int i = 0; i < n; i++)
      {
        if ((i % width) + 1 < width && i + 1 < n && link (i, i + 1) < 0)
          return undo ();
        if (i + width < n && link (i, i + width) < 0)
          return undo ();
      }
  return first;
}

int
dce_scenario_add_process (struct dce_scenario *s, int node, const char *const *argv)
{
  if (!NodeOk (s, node))
    return -1;
  if (!argv || !argv[0] || !argv[0][0])
    return Fail (s, s->where, "a process needs a program (cmd: \"iperf3 -s\" or argv: [iperf3, -s])");
  if ((int)s->procs.size () >= kMaxProcs)
    return Fail (s, s->where, "too many processes");
  Proc p;
  p.node = node;
  p.where = s->where;
  for (const char *const *a = argv; *a; a++)
    {
      if (p.argv.size () >= 4096)
        return Fail (s, s->where, "too many arguments (at most 4096)");
      p.argv.push_back (*a);
    }
  // a relative program path in a scenario file: relative to the file's directory
  if (!s->base.empty () && p.argv[0][0] != '/' && p.argv[0].find ('/') != std::string::npos)
    {
      std::string joined = s->base + "/" + p.argv[0];
      char *real = realpath (joined.c_str (), nullptr);
      p.argv[0] = real ? real : joined;
      free (real);
    }
  std::string searched;
  if (!FindProgram (s, p, &searched))
    return Fail (s, s->where, "program " + Show (p.argv[0]) + " not found on node " + s->nodes[node].name +
                                  (searched.empty () ? " (an absolute path on the host or in the node's files)"
                                                     : " (searched " + searched + "): install it, or give its path"));
  s->procs.push_back (p);
  s->checked = false;
  return (int)s->procs.size () - 1;
}

int
dce_scenario_add_command (struct dce_scenario *s, int node, const char *cmdline)
{
  std::vector<std::string> w;
  std::string err;
  if (!SplitWords (cmdline ? cmdline : "", &w, &err))
    return Fail (s, s->where, err);
  std::vector<const char *> v;
  for (auto &x : w)
    v.push_back (x.c_str ());
  v.push_back (nullptr);
  return dce_scenario_add_process (s, node, v.data ());
}

int
dce_scenario_process_set (struct dce_scenario *s, int proc, const char *key, const char *value)
{
  if (proc < 0 || proc >= (int)s->procs.size ())
    return Fail (s, s->where, "no process number " + std::to_string (proc));
  Proc &p = s->procs[proc];
  std::string k = key ? key : "", v = value ? value : "";
  const char *why = nullptr;
  s->checked = false;
  if (k == "at" || k == "stop")
    {
      uint64_t t;
      if (dce_scenario_parse_time (v.c_str (), &t, &why))
        return Fail (s, s->where, "bad " + k + " time " + Show (v) + ": " + why);
      if (k == "at")
        p.at = t;
      else
        p.stop = t, p.haveStop = true;
    }
  else if (k == "env")
    {
      size_t e = v.find ('=');
      if (e == std::string::npos || e == 0)
        return Fail (s, s->where, "bad env " + Show (v) + " (NAME=VALUE)");
      p.env.push_back (v);
    }
  else if (k == "stdin")
    {
      struct stat st;
      if (v.empty () || stat (v.c_str (), &st) || S_ISDIR (st.st_mode) || access (v.c_str (), R_OK))
        return Fail (s, s->where, "stdin " + Show (v) + " is not a readable host file");
      p.stdinFile = v;
    }
  else if (k == "stack")
    {
      uint64_t b;
      if (!ParseSize (v, &b) || b < 16384 || b > (1ull << 30))
        return Fail (s, s->where, "bad stack " + Show (v) + " (bytes, or with K or M: 16K to 1024M)");
      p.stack = b;
    }
  else if (k == "expect")
    {
      uint64_t c;
      if (v == "any")
        p.expect = kExpectAny;
      else if (v == "signal" || v == "killed")
        p.expect = kExpectSignal;
      else if (ParseUint (v, 0, 255, &c))
        p.expect = (int)c;
      else
        return Fail (s, s->where, "bad expect " + Show (v) + " (an exit code 0 to 255, any, or signal)");
    }
  else
    return Fail (s, s->where, "unknown process option " + Show (k) + " (known: at, stop, env, stdin, stack, expect)");
  return 0;
}

int
dce_scenario_process_count (const struct dce_scenario *s)
{
  return (int)s->procs.size ();
}

int
dce_scenario_check (struct dce_scenario *s)
{
  s->err.clear ();
  if (s->nodes.empty ())
    return Fail (s, s->where, "the scenario has no node: add one (nodes: [{name: a}])");
  for (Proc &p : s->procs)
    {
      if (p.haveStop && p.stop <= p.at)
        return Fail (s, p.where, "the process's stop time is not after its start (at)");
      if (s->haveStop && p.at >= s->stop)
        return Fail (s, p.where, "the process starts at or after the scenario's stop time: it would never run");
    }
  bool anyLinux = false;
  for (const Node &n : s->nodes)
    anyLinux |= n.stack == "linux";
  for (const Link &l : s->links)
    {
      if (!l.queueDisc.empty ())
        for (int v : l.nodes)
          if (s->nodes[v].stack == "linux")
            return Fail (s, l.where, "queue_disc applies to ns3-stack nodes; node " + s->nodes[v].name +
                                         " runs Linux: run tc on it instead");
      if (l.kind == "wifi" && l.mode == "ap" && l.nodes.size () < 2)
        return Fail (s, l.where, "an ap wifi needs an access point and at least one station");
      for (const std::string *m : {&l.dataMode, &l.controlMode})
        {
          if (m->empty ())
            continue;
          bool fits = l.standard == "80211a"   ? m->compare (0, 8, "OfdmRate") == 0
                      : l.standard == "80211b" ? m->compare (0, 4, "Dsss") == 0
                      : l.standard == "80211g" ? m->compare (0, 7, "ErpOfdm") == 0 || m->compare (0, 4, "Dsss") == 0
                                               : m->compare (0, 5, "HtMcs") == 0;
          if (!fits)
            return Fail (s, l.where, "Wi-Fi mode " + *m + " is not a mode of standard " + l.standard +
                                         " (80211a: OfdmRate*, 80211b: DsssRate*, 80211g: ErpOfdmRate* or DsssRate*, "
                                         "80211n: HtMcs*)");
        }
      if (!l.controlMode.empty () && l.dataMode.empty ())
        return Fail (s, l.where, "control_mode needs data_mode (both select ns-3's ConstantRateWifiManager)");
    }
  if (s->routing == "global" && anyLinux)
    return Fail (s, s->where, "routing: global (ns-3's global routing) needs every node on the ns3 stack; "
                              "use routing: auto for linux-stack nodes");
  if (AssignAddresses (s))
    return -1;
  if (!s->ipv6Stack)
    for (const Link &l : s->links)
      for (size_t i = 0; i < l.nodes.size () && !l.addr6.empty (); i++)
        if (s->nodes[l.nodes[i]].stack == "ns3" && l.addr6[i].b[0])
          return Fail (s, l.where, "IPv6 on this link, but ipv6_stack: false leaves ns3-stack nodes without "
                                   "IPv6: remove one or the other");
  for (Route &r : s->routes)
    {
      if (CheckRoute (s, r))
        return -1;
      r.devIndex = DeviceFor (s, r);
      if (r.devIndex < 0)
        return Fail (s, r.where, "gateway " + r.via + " is on none of node " + s->nodes[r.node].name +
                                     "'s links: give dev: or a gateway on one of its subnets");
    }
  if (s->routing == "auto")
    {
      // one breadth-first search per node that is not a p2p leaf
      double work = 0;
      std::vector<int> routers = RoutersPerLink (s);
      for (size_t i = 0; i < s->nodes.size (); i++)
        if (NeedsSearch (s, (int)i, routers))
          work += (double)s->nodes.size () + (double)s->links.size ();
      if (work > 1e8)
        return Fail (s, s->where, "routing: auto would search paths from every router of this large "
                                  "topology (" + std::to_string (s->nodes.size ()) + " nodes): use a star, "
                                  "a lan, or routing: none with your own routes");
      ComputeRoutes (s);
    }
  else
    s->autoRoutes.clear ();
  s->checked = true;
  return 0;
}

} // extern "C"
