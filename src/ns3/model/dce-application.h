// dce-application.h - an ns-3 Application that runs one real program under dce.
#ifndef DCE_APPLICATION_H
#define DCE_APPLICATION_H

#include "ns3/application.h"
#include <string>
#include <vector>

namespace ns3 {

/**
 * A real program (a stock Linux binary) run as an ns-3 Application on a node.
 * StartApplication starts the process; StopApplication sends it SIGKILL if it
 * still runs. Normally created by DceApplicationHelper.
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
  /** Virtual pid of the process (valid once started), 0 before. */
  int GetPid () const;

protected:
  // Refuses a start time that is negative or beyond 100 years, and a stop time
  // that is not after the start (ns-3 would run the stop first, then start the
  // program for good).
  void DoInitialize () override;

private:
  void StartApplication () override;
  void StopApplication () override;

  std::string m_binary;
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
  std::string m_stdinFile;
  uint32_t m_stackSize;
  int m_pid;
};

} // namespace ns3

#endif
