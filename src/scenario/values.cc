// values.cc - the text values a scenario takes: times, rates, sizes, addresses,
// command lines. Each parser accepts exactly what docs/scenarios.md documents.
#include "model.h"
#include "scenario.h"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace dce_scenario_model {

int
Fail (dce_scenario *s, const std::string &where, const std::string &msg)
{
  std::string m = where.empty () ? msg : where + ": " + msg;
  for (char &c : m)
    if (c == '\n' || c == '\r')
      c = ' ';
  s->err = m;
  return -1;
}

std::string
Show (const std::string &v, size_t max)
{
  std::string o = "'";
  for (size_t i = 0; i < v.size () && i < max; i++)
    {
      unsigned char c = (unsigned char)v[i];
      if (c < 32 || c == 127)
        {
          char b[8];
          std::snprintf (b, sizeof b, "\\x%02x", c);
          o += b;
        }
      else
        o += (char)c;
    }
  if (v.size () > max)
    o += "...";
  return o + "'";
}

bool
ParseAddr4 (const std::string &t, uint32_t *a)
{
  struct in_addr in;
  if (t.size () > 15 || inet_pton (AF_INET, t.c_str (), &in) != 1)
    return false;
  *a = ntohl (in.s_addr);
  return true;
}

bool
ParseAddr6 (const std::string &t, V6 *a)
{
  return t.size () < 46 && inet_pton (AF_INET6, t.c_str (), a->b.data ()) == 1;
}

std::string
Addr4 (uint32_t a)
{
  char b[INET_ADDRSTRLEN];
  struct in_addr in;
  in.s_addr = htonl (a);
  inet_ntop (AF_INET, &in, b, sizeof b);
  return b;
}

std::string
Addr6 (const V6 &a)
{
  char b[INET6_ADDRSTRLEN];
  inet_ntop (AF_INET6, a.b.data (), b, sizeof b);
  return b;
}

bool
ParseUint (const std::string &s, uint64_t lo, uint64_t hi, uint64_t *out)
{
  if (s.empty () || s.size () > 20)
    return false;
  uint64_t v = 0;
  for (char c : s)
    {
      if (c < '0' || c > '9')
        return false;
      unsigned d = (unsigned)(c - '0');
      if (v > (UINT64_MAX - d) / 10)
        return false;
      v = v * 10 + d;
    }
  if (v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

// A finite non-negative decimal (no sign, hex, inf or nan) and the rest of the text.
static bool
ParseNumber (const std::string &s, double *v, std::string *unit)
{
  if (s.empty () || s.size () > 40 || !(std::isdigit ((unsigned char)s[0]) || s[0] == '.'))
    return false;
  if (s.find_first_of ("xXpP") != std::string::npos && s.find_first_of ("xX") != std::string::npos)
    return false;
  char *end = nullptr;
  errno = 0;
  *v = std::strtod (s.c_str (), &end);
  if (end == s.c_str () || errno || !std::isfinite (*v) || *v < 0)
    return false;
  *unit = end;
  while (!unit->empty () && unit->front () == ' ')
    unit->erase (0, 1);
  return true;
}

bool
ParseSize (const std::string &s, uint64_t *bytes)
{
  double v;
  std::string unit;
  if (!ParseNumber (s, &v, &unit))
    return false;
  double m = unit.empty () || unit == "B" ? 1
             : unit == "K" || unit == "k" || unit == "KB" || unit == "KiB" ? 1024
             : unit == "M" || unit == "m" || unit == "MB" || unit == "MiB"   ? 1048576
                                                                             : -1;
  if (m < 0 || v * m > 1e12)
    return false;
  *bytes = (uint64_t)(v * m);
  return true;
}

bool
SplitWords (const std::string &s, std::vector<std::string> *out, std::string *err)
{
  std::string cur;
  bool have = false;
  for (size_t i = 0; i < s.size (); i++)
    {
      char c = s[i];
      if (c == '\'' || c == '"')
        {
          size_t j = s.find (c, i + 1);
          if (j == std::string::npos)
            {
              *err = std::string ("unterminated ") + c + " quote in the command line";
              return false;
            }
          cur += s.substr (i + 1, j - i - 1);
          have = true;
          i = j;
        }
      else if (c == '\\' && i + 1 < s.size ())
        {
          cur += s[++i];
          have = true;
        }
      else if (c == ' ' || c == '\t' || c == '\n')
        {
          if (have)
            out->push_back (cur);
          cur.clear ();
          have = false;
        }
      else
        {
          cur += c;
          have = true;
        }
    }
  if (have)
    out->push_back (cur);
  return true;
}

} // namespace dce_scenario_model

using namespace dce_scenario_model;

extern "C" int
dce_scenario_parse_time (const char *text, uint64_t *ns, const char **why)
{
  static const char kWhy[] = "a time is a number with a unit ns, us, ms, s, min or h (\"2ms\", "
                             "\"1.5s\"), 0 to 100 years";
  double v;
  std::string unit;
  if (!text || !ParseNumber (text, &v, &unit))
    {
      *why = kWhy;
      return -1;
    }
  double m = unit == "ns" ? 1 : unit == "us" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" || unit.empty () ? 1e9
             : unit == "min"                                                                      ? 60e9
             : unit == "h"                                                                        ? 3600e9
                                                                                                  : -1;
  double t = v * m + 0.5;
  if (m < 0 || !(t <= 3153600000e9))
    {
      *why = kWhy;
      return -1;
    }
  *ns = (uint64_t)t;
  return 0;
}

extern "C" int
dce_scenario_parse_rate (const char *text, uint64_t *bps, const char **why)
{
  static const char kWhy[] = "a rate is a number with a unit bps, kbps, Mbps or Gbps (\"10Mbps\"), "
                             "1 bps to 1000 Gbps";
  double v;
  std::string unit;
  if (!text || !ParseNumber (text, &v, &unit))
    {
      *why = kWhy;
      return -1;
    }
  double m = unit == "bps" || unit == "b/s" ? 1
             : unit == "kbps" || unit == "Kbps" || unit == "kb/s" ? 1e3
             : unit == "Mbps" || unit == "mbps" || unit == "Mb/s" ? 1e6
             : unit == "Gbps" || unit == "gbps" || unit == "Gb/s" ? 1e9
                                                                  : -1;
  double r = v * m;
  if (m < 0 || r < 1 || r > 1e12)
    {
      *why = kWhy;
      return -1;
    }
  *bps = (uint64_t)(r + 0.5);
  return 0;
}
