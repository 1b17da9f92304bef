// yaml.cc - the scenario file (docs/scenarios.md): read with Debian's libyaml into
// a document tree, walked in a fixed order (settings, nodes, generators, links,
// routes, processes) so every name a later part uses is already known; and the
// writer, dce_scenario_save. Every error names file:line:column of the value at fault.
#include "model.h"
#include "scenario.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <yaml.h>

using namespace dce_scenario_model;

namespace {

const std::set<std::string> kNodeKeys = {"name", "stack", "count", "sysctl", "files", "pcap", "position", "routes", "run", "rank"};
const std::set<std::string> kLinkOptions = {"rate",   "delay", "queue",   "queue_disc", "loss",      "subnet",
                                            "subnet6", "ipv6", "pcap",    "standard",   "mode",      "spacing",
                                            "layout", "data_mode", "control_mode"};

struct Reader
{
  dce_scenario *s;
  std::string file;
  yaml_document_t doc;

  std::string At (yaml_node_t *n)
  {
    return file + ":" + std::to_string (n->start_mark.line + 1) + ":" + std::to_string (n->start_mark.column + 1);
  }
  int Err (yaml_node_t *n, const std::string &msg) { return Fail (s, At (n), msg); }
  void Where (yaml_node_t *n) { dce_scenario_where (s, At (n).c_str ()); }
  yaml_node_t *Get (int id) { return yaml_document_get_node (&doc, id); }
  bool Scalar (yaml_node_t *n, std::string *out)
  {
    if (n->type != YAML_SCALAR_NODE)
      return false;
    out->assign ((const char *)n->data.scalar.value, n->data.scalar.length);
    return true;
  }
  // a scalar value; *out its text. On failure the error names what was expected.
  int Text (yaml_node_t *n, const std::string &what, std::string *out)
  {
    if (!Scalar (n, out))
      return Err (n, what + " must be a single value, not a " +
                         (n->type == YAML_MAPPING_NODE ? "mapping" : "list"));
    if (out->find ('\0') != std::string::npos)
      return Err (n, what + " contains a NUL character");
    return 0;
  }
  // mapping pairs, checked against the known keys
  int Pairs (yaml_node_t *n, const std::string &what, const std::set<std::string> &known,
             std::vector<std::pair<std::string, yaml_node_t *>> *out, std::vector<yaml_node_t *> *keys = nullptr)
  {
    if (n->type != YAML_MAPPING_NODE)
      return Err (n, what + " must be a mapping (key: value lines)");
    std::set<std::string> seen;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
      {
        yaml_node_t *k = Get (p->key), *v = Get (p->value);
        std::string key;
        if (!k || !v)
          return Err (n, "malformed " + what);
        if (!Scalar (k, &key))
          return Err (k, "a key in " + what + " must be a plain name");
        if (!known.empty () && !known.count (key))
          {
            std::string list;
            for (auto &x : known)
              list += (list.empty () ? "" : ", ") + x;
            return Err (k, "unknown key " + Show (key) + " in " + what + " (known: " + list + ")");
          }
        if (!seen.insert (key).second)
          return Err (k, "key " + Show (key) + " given twice in " + what);
        out->push_back ({key, v});
        if (keys)
          keys->push_back (k);
      }
    return 0;
  }
  int Items (yaml_node_t *n, const std::string &what, std::vector<yaml_node_t *> *out)
  {
    if (n->type != YAML_SEQUENCE_NODE)
      return Err (n, what + " must be a list ([a, b] or lines starting with '- ')");
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
      {
        yaml_node_t *v = Get (*i);
        if (!v)
          return Err (n, "malformed " + what);
        out->push_back (v);
      }
    return 0;
  }
  // a list, or a single value standing for a list of one
  int ItemsOrOne (yaml_node_t *n, const std::string &what, std::vector<yaml_node_t *> *out)
  {
    if (n->type == YAML_SEQUENCE_NODE)
      return Items (n, what, out);
    out->push_back (n);
    return 0;
  }
  // the texts of a list's (or a single value's) items
  int Texts (yaml_node_t *n, const std::string &what, std::vector<std::pair<std::string, yaml_node_t *>> *out)
  {
    std::vector<yaml_node_t *> items;
    if (ItemsOrOne (n, what, &items))
      return -1;
    for (auto *i : items)
      {
        std::string t;
        if (Text (i, what, &t))
          return -1;
        out->push_back ({t, i});
      }
    return 0;
  }
  int NodeRef (yaml_node_t *n, int *idx)
  {
    std::string name;
    if (Text (n, "a node name", &name))
      return -1;
    *idx = dce_scenario_node_index (s, name.c_str ());
    if (*idx < 0)
      return Err (n, "unknown node " + Show (name) + ": define it under nodes: (or generate:) first");
    return 0;
  }
  int Count (yaml_node_t *n, const std::string &what, uint64_t lo, uint64_t hi, uint64_t *v)
  {
    std::string t;
    if (Text (n, what, &t))
      return -1;
    if (!ParseUint (t, lo, hi, v))
      return Err (n, "bad " + what + " " + Show (t) + " (a whole number, " + std::to_string (lo) + " to " +
                         std::to_string (hi) + ")");
    return 0;
  }

  int Settings (const std::vector<std::pair<std::string, yaml_node_t *>> &top);
  int Nodes (yaml_node_t *n, std::vector<std::pair<int, yaml_node_t *>> *perNode);
  int NodeExtras (int idx, yaml_node_t *spec, bool withRun);
  int Generate (yaml_node_t *n);
  int Links (yaml_node_t *n);
  int Process (yaml_node_t *n, int fixedNode);
  int Load ();
};

int
Reader::Settings (const std::vector<std::pair<std::string, yaml_node_t *>> &top)
{
  for (auto &kv : top)
    {
      const std::string &k = kv.first;
      if (k == "nodes" || k == "links" || k == "processes" || k == "generate")
        continue;
      Where (kv.second);
      if (k == "map")
        {
          std::vector<std::pair<std::string, yaml_node_t *>> dirs;
          if (Texts (kv.second, "a map directory", &dirs))
            return -1;
          for (auto &d : dirs)
            {
              Where (d.second);
              if (dce_scenario_set (s, "map", d.first.c_str ()))
                return -1;
            }
          continue;
        }
      std::string v;
      if (Text (kv.second, k, &v) || dce_scenario_set (s, k.c_str (), v.c_str ()))
        return -1;
    }
  return 0;
}

int
Reader::NodeExtras (int idx, yaml_node_t *spec, bool withRun)
{
  std::vector<std::pair<std::string, yaml_node_t *>> kv;
  if (Pairs (spec, "a node", kNodeKeys, &kv))
    return -1;
  for (auto &p : kv)
    {
      Where (p.second);
      if (p.first == "sysctl" || p.first == "files")
        {
          std::vector<std::pair<std::string, yaml_node_t *>> m;
          if (Pairs (p.second, p.first, {}, &m))
            return -1;
          for (auto &e : m)
            {
              std::string v;
              if (Text (e.second, e.first, &v))
                return -1;
              Where (e.second);
              if (p.first == "sysctl" ? dce_scenario_node_sysctl (s, idx, e.first.c_str (), v.c_str ())
                                      : dce_scenario_node_file (s, idx, e.first.c_str (), v.c_str ()))
                return -1;
            }
        }
      else if (p.first == "rank")
        {
          std::string v;
          uint64_t r;
          if (Text (p.second, "rank", &v))
            return -1;
          if (!ParseUint (v, 0, 4095, &r))
            return Err (p.second, "bad rank " + Show (v) + " (a whole number from 0: the MPI rank that runs the node)");
          if (dce_scenario_node_rank (s, idx, (int)r))
            return -1;
        }
      else if (p.first == "pcap")
        {
          std::string v;
          if (Text (p.second, "pcap", &v))
            return -1;
          if (v != "true" && v != "false")
            return Err (p.second, "bad pcap " + Show (v) + " (true or false)");
          if (v == "true" && dce_scenario_node_pcap (s, idx))
            return -1;
        }
      else if (p.first == "position")
        {
          std::vector<std::pair<std::string, yaml_node_t *>> xyz;
          if (Texts (p.second, "a position", &xyz))
            return -1;
          std::string v;
          for (auto &c : xyz)
            v += (v.empty () ? "" : ",") + c.first;
          if (dce_scenario_node_position (s, idx, v.c_str ()))
            return -1;
        }
      else if (p.first == "routes")
        {
          std::vector<yaml_node_t *> items;
          if (Items (p.second, "routes", &items))
            return -1;
          for (auto *r : items)
            {
              std::vector<std::pair<std::string, yaml_node_t *>> rk;
              if (Pairs (r, "a route", {"to", "via", "dev"}, &rk))
                return -1;
              std::string to, via, dev;
              for (auto &e : rk)
                if (Text (e.second, e.first, e.first == "to" ? &to : e.first == "via" ? &via : &dev))
                  return -1;
              if (to.empty ())
                return Err (r, "a route needs to: (a network \"10.2.0.0/16\", or default)");
              Where (r);
              if (dce_scenario_add_route (s, idx, to.c_str (), via.empty () ? nullptr : via.c_str (),
                                          dev.empty () ? nullptr : dev.c_str ()))
                return -1;
            }
        }
      else if (p.first == "run" && withRun)
        {
          std::vector<yaml_node_t *> items;
          if (Items (p.second, "run", &items))
            return -1;
          for (auto *r : items)
            if (Process (r, idx))
              return -1;
        }
    }
  return 0;
}

int
Reader::Nodes (yaml_node_t *n, std::vector<std::pair<int, yaml_node_t *>> *perNode)
{
  std::vector<yaml_node_t *> items;
  if (Items (n, "nodes", &items))
    return -1;
  for (auto *it : items)
    {
      std::string name, stack = "ns3";
      uint64_t count = 0;
      yaml_node_t *spec = nullptr;
      if (it->type == YAML_SCALAR_NODE)
        Scalar (it, &name);
      else
        {
          std::vector<std::pair<std::string, yaml_node_t *>> kv;
          if (Pairs (it, "a node", kNodeKeys, &kv))
            return -1;
          spec = it;
          for (auto &p : kv)
            if ((p.first == "name" && Text (p.second, "name", &name)) ||
                (p.first == "stack" && Text (p.second, "stack", &stack)) ||
                (p.first == "count" && Count (p.second, "count", 1, 100000, &count)))
              return -1;
          if (name.empty ())
            return Err (it, "a node needs a name (name: a)");
        }
      Where (it);
      int first = -1;
      for (uint64_t i = 0; i < (count ? count : 1); i++)
        {
          std::string nm = count ? name + std::to_string (i) : name;
          int idx = dce_scenario_add_node (s, nm.c_str (), stack.c_str ());
          if (idx < 0)
            return -1;
          if (first < 0)
            first = idx;
          if (spec)
            perNode->push_back ({idx, spec});
        }
    }
  return 0;
}

int
Reader::Generate (yaml_node_t *n)
{
  std::vector<yaml_node_t *> items;
  if (n->type == YAML_MAPPING_NODE)
    items.push_back (n);
  else if (Items (n, "generate", &items))
    return -1;
  for (auto *g : items)
    {
      std::vector<std::pair<std::string, yaml_node_t *>> kv;
      if (Pairs (g, "a generator",
                 {"topology", "nodes", "prefix", "stack", "width", "rate", "delay", "queue", "queue_disc", "loss", "pcap"},
                 &kv))
        return -1;
      std::string topo, prefix = "n", stack = "ns3";
      uint64_t count = 0, width = 0;
      std::vector<std::string> opts;
      for (auto &p : kv)
        {
          if (p.first == "topology" ? Text (p.second, "topology", &topo)
              : p.first == "prefix" ? Text (p.second, "prefix", &prefix)
              : p.first == "stack"  ? Text (p.second, "stack", &stack)
              : p.first == "nodes"  ? Count (p.second, "nodes", 1, 100000, &count)
              : p.first == "width"  ? Count (p.second, "width", 1, 100000, &width)
                                    : 0)
            return -1;
          if (p.first == "rate" || p.first == "delay" || p.first == "queue" || p.first == "queue_disc" ||
              p.first == "loss" || p.first == "pcap")
            {
              std::string v;
              if (Text (p.second, p.first, &v))
                return -1;
              // each option checked here, where its line is known
              Where (p.second);
              int probe[2] = {0, 0};
              dce_scenario probeS;
              probeS.where = s->where;
              dce_scenario_add_node (&probeS, "x", nullptr);
              dce_scenario_add_node (&probeS, "y", nullptr);
              probe[1] = 1;
              int l = dce_scenario_add_link (&probeS, "p2p", probe, 2);
              if (dce_scenario_link_set (&probeS, l, p.first.c_str (), v.c_str ()))
                return Fail (s, "", probeS.err);
              opts.push_back (p.first);
              opts.push_back (v);
            }
        }
      if (topo.empty ())
        return Err (g, "a generator needs topology: (line, star, tree, grid or lan)");
      if (!count)
        return Err (g, "a generator needs nodes: (how many)");
      std::vector<const char *> o;
      for (auto &x : opts)
        o.push_back (x.c_str ());
      o.push_back (nullptr);
      Where (g);
      if (dce_scenario_generate (s, topo.c_str (), (int)count, prefix.c_str (), stack.c_str (), (int)width,
                                 o.data ()) < 0)
        return -1;
    }
  return 0;
}

int
Reader::Links (yaml_node_t *n)
{
  std::vector<yaml_node_t *> items;
  if (Items (n, "links", &items))
    return -1;
  for (auto *it : items)
    {
      std::vector<std::pair<std::string, yaml_node_t *>> kv;
      yaml_node_t *members = nullptr;
      if (it->type == YAML_SEQUENCE_NODE)
        members = it; // [a, b]: a p2p link with the defaults
      else
        {
          std::set<std::string> keys = kLinkOptions;
          keys.insert ({"nodes", "type", "addresses"});
          if (Pairs (it, "a link", keys, &kv))
            return -1;
          for (auto &p : kv)
            if (p.first == "nodes")
              members = p.second;
          if (!members)
            return Err (it, "a link needs nodes: [a, b]");
        }
      std::string type = "p2p";
      for (auto &p : kv)
        if (p.first == "type" && Text (p.second, "type", &type))
          return -1;
      std::vector<yaml_node_t *> mv;
      if (Items (members, "a link's nodes", &mv))
        return -1;
      std::vector<int> idx;
      for (auto *m : mv)
        {
          int i;
          if (NodeRef (m, &i))
            return -1;
          idx.push_back (i);
        }
      Where (members);
      if (type == "p2p" && idx.size () > 2 && kv.empty ())
        return Err (it, "a p2p link joins 2 nodes; for a LAN write {type: csma, nodes: [...]}");
      Where (it);
      int l = dce_scenario_add_link (s, type.c_str (), idx.data (), (int)idx.size ());
      if (l < 0)
        return -1;
      for (auto &p : kv)
        {
          if (p.first == "nodes" || p.first == "type")
            continue;
          if (p.first == "addresses")
            {
              std::vector<std::pair<std::string, yaml_node_t *>> am;
              std::vector<yaml_node_t *> keys;
              if (Pairs (p.second, "addresses", {}, &am, &keys))
                return -1;
              for (size_t j = 0; j < am.size (); j++)
                {
                  int ni;
                  if (NodeRef (keys[j], &ni))
                    return -1;
                  std::vector<std::pair<std::string, yaml_node_t *>> addrs;
                  if (Texts (am[j].second, "an address", &addrs))
                    return -1;
                  for (auto &a : addrs)
                    {
                      Where (a.second);
                      if (dce_scenario_link_address (s, l, ni, a.first.c_str ()))
                        return -1;
                    }
                }
              continue;
            }
          std::string v;
          if (Text (p.second, p.first, &v))
            return -1;
          Where (p.second);
          if (dce_scenario_link_set (s, l, p.first.c_str (), v.c_str ()))
            return -1;
        }
      Where (it);
    }
  return 0;
}

int
Reader::Process (yaml_node_t *n, int fixedNode)
{
  std::vector<std::pair<std::string, yaml_node_t *>> kv;
  if (n->type == YAML_SCALAR_NODE && fixedNode >= 0)
    {
      std::string cmd;
      Scalar (n, &cmd);
      Where (n);
      return dce_scenario_add_command (s, fixedNode, cmd.c_str ()) < 0 ? -1 : 0;
    }
  std::set<std::string> known = {"cmd", "argv", "at", "stop", "env", "stdin", "stack", "expect"};
  if (fixedNode < 0)
    known.insert ("node");
  if (Pairs (n, "a process", known, &kv))
    return -1;
  int node = fixedNode;
  yaml_node_t *cmd = nullptr, *argv = nullptr;
  for (auto &p : kv)
    {
      if (p.first == "node" && NodeRef (p.second, &node))
        return -1;
      if (p.first == "cmd")
        cmd = p.second;
      if (p.first == "argv")
        argv = p.second;
    }
  if (node < 0)
    return Err (n, "a process needs node: (the node it runs on)");
  if (!!cmd == !!argv)
    return Err (n, cmd ? "give either cmd: or argv:, not both"
                       : "a process needs cmd: \"program args\" or argv: [program, args]");
  int proc;
  if (cmd)
    {
      std::string c;
      if (Text (cmd, "cmd", &c))
        return -1;
      Where (cmd);
      proc = dce_scenario_add_command (s, node, c.c_str ());
    }
  else
    {
      std::vector<yaml_node_t *> av;
      std::vector<std::string> words;
      if (Items (argv, "argv", &av))
        return -1;
      for (auto *a : av)
        {
          std::string w;
          if (Text (a, "an argument", &w))
            return -1;
          words.push_back (w);
        }
      std::vector<const char *> v;
      for (auto &w : words)
        v.push_back (w.c_str ());
      v.push_back (nullptr);
      Where (argv);
      proc = dce_scenario_add_process (s, node, v.data ());
    }
  if (proc < 0)
    return -1;
  for (auto &p : kv)
    {
      if (p.first == "node" || p.first == "cmd" || p.first == "argv")
        continue;
      if (p.first == "env")
        {
          std::vector<std::string> env;
          if (p.second->type == YAML_MAPPING_NODE)
            {
              std::vector<std::pair<std::string, yaml_node_t *>> m;
              if (Pairs (p.second, "env", {}, &m))
                return -1;
              for (auto &e : m)
                {
                  std::string v;
                  if (Text (e.second, e.first, &v))
                    return -1;
                  Where (e.second);
                  if (dce_scenario_process_set (s, proc, "env", (e.first + "=" + v).c_str ()))
                    return -1;
                }
            }
          else
            {
              std::vector<yaml_node_t *> items;
              if (Items (p.second, "env (NAME: value lines, or a list of NAME=VALUE)", &items))
                return -1;
              for (auto *e : items)
                {
                  std::string v;
                  if (Text (e, "env", &v))
                    return -1;
                  Where (e);
                  if (dce_scenario_process_set (s, proc, "env", v.c_str ()))
                    return -1;
                }
            }
          continue;
        }
      std::string v;
      if (Text (p.second, p.first, &v))
        return -1;
      Where (p.second);
      if (dce_scenario_process_set (s, proc, p.first.c_str (), v.c_str ()))
        return -1;
    }
  Where (n);
  return 0;
}

int
Reader::Load ()
{
  yaml_node_t *root = yaml_document_get_root_node (&doc);
  if (!root)
    return Fail (s, file + ":1:1", "the file is empty: a scenario needs at least nodes:");
  std::vector<std::pair<std::string, yaml_node_t *>> top;
  if (Pairs (root, "the scenario",
             {"seed", "run", "stop", "out", "routing", "ipv6", "ipv6_stack", "pcap", "segment_size", "map", "ranks", "mpi_engine", "nodes", "generate",
              "links", "processes"},
             &top))
    return -1;
  if (Settings (top))
    return -1;
  std::vector<std::pair<int, yaml_node_t *>> perNode;
  for (auto &kv : top)
    if (kv.first == "nodes" && Nodes (kv.second, &perNode))
      return -1;
  for (auto &kv : top)
    if (kv.first == "generate" && Generate (kv.second))
      return -1;
  for (auto &kv : top)
    if (kv.first == "links" && Links (kv.second))
      return -1;
  // sysctls, files, pcaps and routes of the nodes (their devices now exist), then
  // the processes: per node in node order, then the processes: list
  for (auto &pn : perNode)
    {
      if (NodeExtras (pn.first, pn.second, false))
        return -1;
    }
  for (auto &pn : perNode)
    {
      std::vector<std::pair<std::string, yaml_node_t *>> kv;
      Pairs (pn.second, "a node", {}, &kv);
      for (auto &p : kv)
        if (p.first == "run")
          {
            std::vector<yaml_node_t *> items;
            if (Items (p.second, "run", &items))
              return -1;
            for (auto *r : items)
              if (Process (r, pn.first))
                return -1;
          }
    }
  for (auto &kv : top)
    if (kv.first == "processes")
      {
        std::vector<yaml_node_t *> items;
        if (Items (kv.second, "processes", &items))
          return -1;
        for (auto *p : items)
          if (Process (p, -1))
            return -1;
      }
  dce_scenario_where (s, (file + ":1:1").c_str ());
  return 0;
}

// YAML double-quoted scalar: every byte that is not plain printable ASCII escaped
std::string
Quote (const std::string &v)
{
  std::string o = "\"";
  for (unsigned char c : v)
    {
      if (c == '"' || c == '\\')
        o += '\\', o += (char)c;
      else if (c < 32 || c >= 127)
        {
          char b[8];
          std::snprintf (b, sizeof b, "\\x%02x", c);
          o += b;
        }
      else
        o += (char)c;
    }
  return o + "\"";
}

} // namespace

extern "C" int
dce_scenario_load_yaml (struct dce_scenario *s, const char *path)
{
  std::string file = path ? path : "";
  FILE *f = fopen (file.c_str (), "rb");
  if (!f)
    return Fail (s, file, std::string ("cannot open the scenario file: ") + std::strerror (errno));
  // aliases (*name) would let a small file expand into a huge tree: refused first
  {
    yaml_parser_t scan;
    yaml_parser_initialize (&scan);
    yaml_parser_set_input_file (&scan, f);
    yaml_event_t ev;
    int bad = 0;
    while (yaml_parser_parse (&scan, &ev))
      {
        yaml_event_type_t t = ev.type;
        yaml_mark_t m = ev.start_mark;
        yaml_event_delete (&ev);
        if (t == YAML_ALIAS_EVENT)
          {
            bad = Fail (s, file + ":" + std::to_string (m.line + 1) + ":" + std::to_string (m.column + 1),
                        "aliases (*name) are not supported in scenario files: write the value out");
            break;
          }
        if (t == YAML_STREAM_END_EVENT)
          break;
      }
    yaml_parser_delete (&scan);
    if (bad)
      {
        fclose (f);
        return bad;
      }
    rewind (f);
  }
  yaml_parser_t parser;
  yaml_parser_initialize (&parser);
  yaml_parser_set_input_file (&parser, f);
  Reader r;
  r.s = s;
  r.file = file;
  std::string saveBase = s->base;
  s->base = file.find ('/') == std::string::npos ? "." : file.substr (0, file.rfind ('/'));
  if (s->base.empty ())
    s->base = "/";
  int rc;
  if (!yaml_parser_load (&parser, &r.doc))
    {
      yaml_mark_t m = parser.problem_mark.line || parser.problem_mark.column ? parser.problem_mark : parser.context_mark;
      std::string what = parser.problem ? parser.problem : "malformed YAML";
      if (parser.context)
        what = std::string (parser.context) + ": " + what;
      rc = Fail (s, file + ":" + std::to_string (m.line + 1) + ":" + std::to_string (m.column + 1),
                 "not valid YAML (" + what + "): check the indentation and quoting here");
    }
  else
    {
      rc = r.Load ();
      yaml_node_t *root = yaml_document_get_root_node (&r.doc);
      yaml_document_t next;
      if (!rc && root && yaml_parser_load (&parser, &next))
        {
          if (yaml_document_get_root_node (&next))
            rc = Fail (s, file + ":" + std::to_string (next.start_mark.line + 1) + ":1",
                       "a second YAML document ('---'): a scenario file holds one");
          yaml_document_delete (&next);
        }
      yaml_document_delete (&r.doc);
    }
  yaml_parser_delete (&parser);
  fclose (f);
  s->base = saveBase;
  return rc;
}

extern "C" int
dce_scenario_save (struct dce_scenario *s, const char *path)
{
  std::ofstream o (path ? path : "");
  if (!o)
    return Fail (s, s->where, std::string ("cannot write ") + Show (path ? path : "") + ": " + std::strerror (errno));
  o << "# dce scenario (docs/scenarios.md)\n";
  o << "seed: " << s->seed << "\nrun: " << s->run << "\n";
  if (s->haveStop)
    o << "stop: " << s->stop << "ns\n";
  o << "out: " << Quote (s->out) << "\nrouting: " << s->routing << "\n";
  o << "ipv6: " << (s->ipv6 ? "true" : "false") << "\npcap: " << (s->pcapAll ? "true" : "false") << "\n";
  o << "segment_size: " << s->segmentSize << "\n";
  if (!s->ipv6Stack)
    o << "ipv6_stack: false\n";
  if (s->ranks)
    o << "ranks: " << s->ranks << "\n";
  if (s->mpiEngine != "gtw")
    o << "mpi_engine: " << s->mpiEngine << "\n";
  if (!s->maps.empty ())
    {
      o << "map:\n";
      for (auto &m : s->maps)
        o << "  - " << Quote (m) << "\n";
    }
  o << "nodes:\n";
  for (size_t i = 0; i < s->nodes.size (); i++)
    {
      const Node &n = s->nodes[i];
      o << "  - name: " << Quote (n.name) << "\n    stack: " << n.stack << "\n";
      if (n.pcap)
        o << "    pcap: true\n";
      if (n.rank >= 0)
        o << "    rank: " << n.rank << "\n";
      if (n.havePos)
        {
          char b[128];
          std::snprintf (b, sizeof b, "    position: [%.17g, %.17g, %.17g]\n", n.pos[0], n.pos[1], n.pos[2]);
          o << b;
        }
      if (!n.sysctls.empty ())
        {
          o << "    sysctl:\n";
          for (auto &kv : n.sysctls)
            o << "      " << Quote (kv.first) << ": " << Quote (kv.second) << "\n";
        }
      if (!n.files.empty ())
        {
          o << "    files:\n";
          for (auto &kv : n.files)
            o << "      " << Quote (kv.first) << ": " << Quote (kv.second) << "\n";
        }
      bool any = false;
      for (auto &r : s->routes)
        if (r.node == (int)i)
          {
            if (!any)
              o << "    routes:\n";
            any = true;
            o << "      - {to: " << Quote (r.dst) << (r.via.empty () ? "" : ", via: " + Quote (r.via))
              << (r.dev.empty () ? "" : ", dev: " + Quote (r.dev)) << "}\n";
          }
    }
  if (!s->links.empty ())
    o << "links:\n";
  for (const Link &l : s->links)
    {
      o << "  - type: " << l.kind << "\n    nodes: [";
      for (size_t i = 0; i < l.nodes.size (); i++)
        o << (i ? ", " : "") << Quote (s->nodes[l.nodes[i]].name);
      o << "]\n    rate: " << l.rate << "\n    delay: " << l.delay << "\n";
      if (!l.queue.empty ())
        o << "    queue: " << l.queue << "\n";
      if (!l.queueDisc.empty ())
        o << "    queue_disc: " << l.queueDisc << "\n";
      if (l.loss > 0)
        {
          char b[64];
          std::snprintf (b, sizeof b, "%.17g", l.loss);
          o << "    loss: " << b << "\n";
        }
      if (l.haveSubnet)
        o << "    subnet: " << Addr4 (l.net) << "/" << l.len << "\n";
      if (l.haveSubnet6)
        o << "    subnet6: " << Quote (Addr6 (l.net6) + "/" + std::to_string (l.len6)) << "\n";
      if (l.want6)
        o << "    ipv6: true\n";
      if (l.pcap)
        o << "    pcap: true\n";
      if (l.kind == "wifi")
        {
          char b[64];
          std::snprintf (b, sizeof b, "%.17g", l.spacing);
          o << "    standard: " << l.standard << "\n    mode: " << l.mode << "\n    spacing: " << b
            << "\n    layout: " << l.layout << "\n";
          if (!l.dataMode.empty ())
            o << "    data_mode: " << l.dataMode << "\n";
          if (!l.controlMode.empty ())
            o << "    control_mode: " << l.controlMode << "\n";
        }
      if (!l.explicitAddr.empty () || !l.explicitAddr6.empty () || !l.noAddr.empty ())
        {
          o << "    addresses:\n";
          for (int v : l.nodes)
            {
              std::string a4 = l.explicitAddr.count (v) ? Quote (l.explicitAddr.at (v)) : "";
              std::string a6 = l.explicitAddr6.count (v) ? Quote (l.explicitAddr6.at (v)) : "";
              if (l.noAddr.count (v))
                o << "      " << Quote (s->nodes[v].name) << ": none\n";
              else if (!a4.empty () || !a6.empty ())
                o << "      " << Quote (s->nodes[v].name) << ": [" << a4 << (a4.empty () || a6.empty () ? "" : ", ")
                  << a6 << "]\n";
            }
        }
    }
  if (!s->procs.empty ())
    o << "processes:\n";
  for (const Proc &p : s->procs)
    {
      o << "  - node: " << Quote (s->nodes[p.node].name) << "\n    argv: [";
      for (size_t i = 0; i < p.argv.size (); i++)
        o << (i ? ", " : "") << Quote (p.argv[i]);
      o << "]\n    at: " << p.at << "ns\n";
      if (p.haveStop)
        o << "    stop: " << p.stop << "ns\n";
      if (!p.env.empty ())
        {
          o << "    env: [";
          for (size_t i = 0; i < p.env.size (); i++)
            o << (i ? ", " : "") << Quote (p.env[i]);
          o << "]\n";
        }
      if (!p.stdinFile.empty ())
        o << "    stdin: " << Quote (p.stdinFile) << "\n";
      if (p.stack)
        o << "    stack: " << p.stack << "\n";
      o << "    expect: "
        << (p.expect == kExpectAny ? "any" : p.expect == kExpectSignal ? "signal" : std::to_string (p.expect))
        << "\n";
    }
  o.close ();
  if (!o)
    return Fail (s, s->where, std::string ("cannot write ") + Show (path) + ": " + std::strerror (errno));
  return 0;
}
