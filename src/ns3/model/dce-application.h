// dce-application.h - an ns-3 Application that runs one real program under dce.
#ifndef DCE_APPLICATION_H
#define DCE_APPLICATION_H

#include "ns3/application.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/traced-callback.h"
#include <string>
#include <sys/types.h>
#include <vector>

namespace ns3 {

/**
 * A real program (a stock Linux binary) run as an ns-3 Application on a node.
 * StartApplication starts the process; StopApplication sends it SIGKILL if it
 * still runs. Normally created by DceApplicationHelper.
 *
 * Trace source "ProcessStarted" (uint16_t pid): the process was started, as in
 * ns-3-dce. The finished callback (pid, exit status) is called within 1 ms of
 * simulated time after the process ended (dce polls its state; a process killed
 * by a signal reports 128 + the signal).
 */
class DceApplication : public Application
{
public:
  static TypeId GetTypeId ();
  DceApplication ();
  ~DceApplication () override;

  void SetBinary (std::string binary);
  void SetArguments (std::vector<std::string> args);   // argv[1..]
  void SetEnvironment (std::vector<std::string> env);  // "NAME=VALUE"
  void SetStdinFile (std::string file);
  void SetStackSize (uint32_t bytes);
  /** ns-3-dce's form: (name, value) pairs. */
  void SetEnvironment (std::vector<std::pair<std::string, std::string>> envs);
  void SetFinishedCallback (Callback<void, uint16_t, int> cb);
  /** The ids the program starts with (default root, as in ns-3-dce): as if root
   * had called setresgid/setresuid, so a non-root program has no capabilities.
   * SetUid alone sets the effective id too. */
  void SetUid (uid_t i);
  void SetEuid (uid_t i);
  void SetGid (uid_t i);
  void SetEgid (uid_t i);
  /** Virtual pid of the process (valid once started), 0 before. */
  int GetPid () const;
  /** The stack size of programs that set none (0: 8 MiB); from
   * DceManagerHelper::SetTaskManagerAttribute ("DefaultStackSize", ...). */
  static void SetDefaultStackSize (uint32_t bytes);
  /** End the simulation once every DceApplication has started and every process
   * has exited (DceManagerHelper decides when; see its StopWhenDone attribute). */
  static void StopWhenAllDone ();
  /** Signature of the ProcessStarted trace source. */
  typedef void (*ProcessStartedCallback) (uint16_t pid);

protected:
  // Refuses a start time that is negative or beyond 100 years, and a stop time
  // that is not after the start (ns-3 would run the stop first, then start the
  // program for good).
  void DoInitialize () override;

private:
  void StartApplication () override;
  void StopApplication () override;
  void DoDispose () override;
  void PollFinished ();

  std::string m_binary;
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
  std::string m_stdinFile;
  uint32_t m_stackSize;
  int m_pid;
  TracedCallback<uint16_t> m_processStarted;
  Callback<void, uint16_t, int> m_finished;
  EventId m_poll;
  bool m_waiting = false; // initialized, not started yet
  uid_t m_uid = 0, m_euid = 0, m_gid = 0, m_egid = 0;
};

} // namespace ns3

#endif
