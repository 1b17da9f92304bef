// sim-ns3.cc - the C simulator interface of src/core/sim.h, on ns-3's Simulator.
#include "ns3/simulator.h"
#include "ns3/nstime.h"
#include <unordered_map>

extern "C" {
#include "../core/sim.h"
}

namespace {
struct Pending {
  std::unordered_map<uint64_t, ns3::EventId> events;
  uint64_t next = 1;
};
Pending &
pending ()
{
  static Pending p;
  return p;
}

void
Fire (uint64_t id, dce_sim_fn fn, void *arg)
{
  pending ().events.erase (id);
  fn (arg);
}
} // namespace

extern "C" uint64_t
dce_sim_now (void)
{
  return (uint64_t)ns3::Simulator::Now ().GetNanoSeconds ();
}

extern "C" uint64_t
dce_sim_schedule (uint64_t delay_ns, uint32_t node, dce_sim_fn fn, void *arg)
{
  Pending &p = pending ();
  uint64_t id = p.next++;
  // ns-3 time is a signed 64-bit count of ns: a delay past it would wrap into the
  // past and break the event queue's order. Anything beyond ~146 years waits there.
  const uint64_t maxDelay = (uint64_t)INT64_MAX / 2;
  if (delay_ns > maxDelay)
    delay_ns = maxDelay;
  (void)node; // ScheduleWithContext returns no EventId; node ids show in dce's own logs
  p.events[id] = ns3::Simulator::Schedule (ns3::NanoSeconds (delay_ns), &Fire, id, fn, arg);
  return id;
}

extern "C" void
dce_sim_cancel (uint64_t id)
{
  Pending &p = pending ();
  auto it = p.events.find (id);
  if (it == p.events.end ())
    return;
  ns3::Simulator::Remove (it->second); // Cancel would leave it queued: the clock would run to it
  p.events.erase (it);
}

extern "C" void
dce_sim_stop (void)
{
  ns3::Simulator::Stop ();
}
