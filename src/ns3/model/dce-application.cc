// dce-application.cc - see dce-application.h.
#include "dce-application.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"
#include <csignal>
#include <cstdio>
#include <cstdlib>

extern "C" {
#include "../../core/dce.h"
}

namespace ns3 {

NS_LOG_COMPONENT_DEFINE ("DceApplication");
NS_OBJECT_ENSURE_REGISTERED (DceApplication);

TypeId
DceApplication::GetTypeId ()
{
  static TypeId tid = TypeId ("ns3::DceApplication")
                          .SetParent<Application> ()
                          .SetGroupName ("Dce")
                          .AddConstructor<DceApplication> ()
                          .AddAttribute ("StackSize", "Main thread stack size in bytes (0: 8 MiB)",
                                         UintegerValue (0),
                                         MakeUintegerAccessor (&DceApplication::m_stackSize),
                                         MakeUintegerChecker<uint32_t> ())
                          .AddTraceSource ("ProcessStarted", "The process started (its pid).",
                                           MakeTraceSourceAccessor (&DceApplication::m_processStarted),
                                           "ns3::DceApplication::ProcessStartedCallback");
  return tid;
}

DceApplication::DceApplication () : m_stackSize (0), m_pid (0)
{
}

DceApplication::~DceApplication () = default;

void
DceApplication::SetBinary (std::string binary)
{
  m_binary = binary;
}
void
DceApplication::SetArguments (std::vector<std::string> args)
{
  m_args = args;
}
void
DceApplication::SetEnvironment (std::vector<std::string> env)
{
  m_env = env;
}
void
DceApplication::SetStdinFile (std::string file)
{
  m_stdinFile = file;
}
void
DceApplication::SetStackSize (uint32_t bytes)
{
  m_stackSize = bytes;
}
namespace {
uint32_t g_defaultStackSize = 0;
uint32_t g_waitingToStart = 0; // initialized DceApplications not started yet
bool g_stopWhenAllDone = false;

void
StartedOne ()
{
  g_waitingToStart--;
  if (g_stopWhenAllDone && g_waitingToStart == 0)
    dce_stop_when_done (1);
}
} // namespace

void
DceApplication::StopWhenAllDone ()
{
  g_stopWhenAllDone = true;
  if (g_waitingToStart == 0)
    dce_stop_when_done (1);
}

void
DceApplication::SetDefaultStackSize (uint32_t bytes)
{
  g_defaultStackSize = bytes;
}
void
DceApplication::SetEnvironment (std::vector<std::pair<std::string, std::string>> envs)
{
  m_env.clear ();
  for (auto &e : envs)
    m_env.push_back (e.first + "=" + e.second);
}
void
DceApplication::SetFinishedCallback (Callback<void, uint16_t, int> cb)
{
  m_finished = cb;
}
void
DceApplication::SetUid (uid_t i)
{
  m_uid = i;
}
void
DceApplication::SetEuid (uid_t i)
{
  m_euid = i;
}
void
DceApplication::SetGid (uid_t i)
{
  m_gid = i;
}
void
DceApplication::SetEgid (uid_t i)
{
  m_egid = i;
}

void
DceApplication::DoDispose ()
{
  m_poll.Cancel ();
  if (m_waiting)
    {
      m_waiting = false;
      StartedOne ();
    }
  m_finished = MakeNullCallback<void, uint16_t, int> ();
  Application::DoDispose ();
}

void
DceApplication::PollFinished ()
{
  struct dce_node *node = dce_node_get (GetNode ()->GetId ());
  int code = 0, sig = 0;
  int state = node ? dce_process_state (node, m_pid, &code, &sig) : -1;
  if (state == 1)
    {
      m_poll = Simulator::Schedule (MilliSeconds (1), &DceApplication::PollFinished, this);
      return;
    }
  if (state == 0 && !m_finished.IsNull ())
    m_finished ((uint16_t)m_pid, sig ? 128 + sig : code);
}

int
DceApplication::GetPid () const
{
  return m_pid;
}

void
DceApplication::DoInitialize ()
{
  const Time max = Seconds (3153600000.0); // 100 years, as dce-run
  std::string what;
  if (m_startTime.IsStrictlyNegative () || m_startTime > max)
    what = "start time " + std::to_string (m_startTime.GetSeconds ()) + " s is outside 0 to 3153600000 s";
  else if (m_stopTime.IsStrictlyNegative () || m_stopTime > max)
    what = "stop time " + std::to_string (m_stopTime.GetSeconds ()) + " s is outside 0 to 3153600000 s";
  else if (!m_stopTime.IsZero () && m_stopTime <= m_startTime)
    what = "stop time " + std::to_string (m_stopTime.GetSeconds ()) + " s is not after the start time " +
           std::to_string (m_startTime.GetSeconds ()) + " s";
  if (!what.empty ())
    {
      std::fprintf (stderr, "dce: DceApplication %s on node %u: %s (ApplicationContainer::Start/Stop)\n",
                    m_binary.c_str (), GetNode ()->GetId (), what.c_str ());
      std::exit (2);
    }
  m_waiting = true;
  g_waitingToStart++;
  Application::DoInitialize ();
}

void
DceApplication::StartApplication ()
{
  struct dce_node *node = dce_node_get (GetNode ()->GetId ());
  NS_ABORT_MSG_IF (!node, "node " << GetNode ()->GetId ()
                                  << " has no dce: call DceManagerHelper::Install on it first");
  std::vector<char *> argv, envp;
  std::string argv0 = m_binary;
  argv.push_back (const_cast<char *> (argv0.c_str ()));
  for (auto &a : m_args)
    argv.push_back (const_cast<char *> (a.c_str ()));
  argv.push_back (nullptr);
  for (auto &e : m_env)
    envp.push_back (const_cast<char *> (e.c_str ()));
  envp.push_back (nullptr);
  dce_process_spec spec{};
  spec.binary = m_binary.c_str ();
  spec.argv = argv.data ();
  spec.envp = m_env.empty () ? nullptr : envp.data ();
  spec.stdin_file = m_stdinFile.empty () ? nullptr : m_stdinFile.c_str ();
  spec.stack_size = m_stackSize ? m_stackSize : g_defaultStackSize;
  /* ns-3-dce: SetUid alone sets both ids (its effective id follows unless SetEuid) */
  spec.uid = m_uid;
  spec.euid = m_euid ? m_euid : m_uid;
  spec.gid = m_gid;
  spec.egid = m_egid ? m_egid : m_gid;
  m_pid = dce_process_schedule (node, &spec);
  NS_LOG_INFO ("node " << GetNode ()->GetId () << " pid " << m_pid << ": " << m_binary);
  if (m_pid > 0)
    {
      m_processStarted ((uint16_t)m_pid);
      if (!m_finished.IsNull ())
        m_poll = Simulator::Schedule (MilliSeconds (1), &DceApplication::PollFinished, this);
    }
  if (m_waiting)
    {
      m_waiting = false;
      StartedOne ();
    }
}

void
DceApplication::StopApplication ()
{
  struct dce_node *node = dce_node_get (GetNode ()->GetId ());
  if (node && m_pid > 0)
    dce_process_signal (node, m_pid, SIGKILL);
}

} // namespace ns3
