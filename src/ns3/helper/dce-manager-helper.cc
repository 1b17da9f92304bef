// dce-manager-helper.cc - see dce-manager-helper.h.
#include "dce-manager-helper.h"
#include "ns3/abort.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

extern "C" {
#include "../../core/dce.h"
}

namespace ns3 {

namespace {
bool g_initialised = false;

void
FinishRun ()
{
  dce_finish ();
}
} // namespace

DceManagerHelper::DceManagerHelper ()
    : m_outputDirectory ("."), m_clockQuantum (1000), m_stack ("ns3::Ns3SocketFdFactory")
{
}

void
DceManagerHelper::SetAttribute (std::string name, const AttributeValue &value)
{
  if (name == "OutputDirectory")
    m_outputDirectory = dynamic_cast<const StringValue &> (value).Get ();
  else if (name == "ClockQuantum")
    m_clockQuantum = dynamic_cast<const UintegerValue &> (value).Get ();
  else
    NS_ABORT_MSG ("DceManagerHelper: unknown attribute " << name
                                                         << " (known: OutputDirectory, ClockQuantum)");
}

void
DceManagerHelper::SetNetworkStack (std::string type)
{
  NS_ABORT_MSG_IF (type == "ns3::LinuxSocketFdFactory",
                   "the Linux kernel library (advanced mode) is not built yet: use "
                   "ns3::Ns3SocketFdFactory");
  NS_ABORT_MSG_IF (type != "ns3::Ns3SocketFdFactory", "unknown network stack " << type);
  m_stack = type;
}

void
DceManagerHelper::SetNetworkStack (std::string type, std::string, const AttributeValue &)
{
  SetNetworkStack (type);
}

void
DceManagerHelper::Init ()
{
  if (g_initialised)
    return;
  uint64_t seed = RngSeedManager::GetSeed () * 1000003ULL + RngSeedManager::GetRun ();
  NS_ABORT_MSG_IF (dce_init (m_outputDirectory.c_str (), seed) != 0, "dce could not start");
  dce_set_clock_quantum (m_clockQuantum);
  Simulator::ScheduleDestroy (&FinishRun);
  g_initialised = true;
}

void
DceManagerHelper::Install (Ptr<Node> node)
{
  Init ();
  dce_node_create (node->GetId ());
}

void
DceManagerHelper::Install (NodeContainer nodes)
{
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    Install (*i);
}

} // namespace ns3
