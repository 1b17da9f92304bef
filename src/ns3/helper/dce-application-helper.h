// dce-application-helper.h - the familiar ns-3-dce helper to run programs.
#ifndef DCE_APPLICATION_HELPER_H
#define DCE_APPLICATION_HELPER_H

#include "ns3/application-container.h"
#include "ns3/callback.h"
#include "ns3/node-container.h"
#include <string>
#include <sys/types.h>
#include <type_traits>
#include <vector>

namespace ns3 {

/**
 * Describes a program to run (binary, arguments, environment, stdin, stack) and
 * installs it on nodes as DceApplications, as in ns-3-dce:
 *
 *   DceApplicationHelper app;
 *   app.SetBinary ("iperf3");
 *   app.AddArguments ("-s", "-1");
 *   ApplicationContainer apps = app.Install (nodes.Get (0));
 *   apps.Start (Seconds (1.0));
 *
 * The binary is searched in the node's PATH (inside files-N, then the mapped host
 * paths) unless it contains a '/'.
 */
class DceApplicationHelper
{
public:
  DceApplicationHelper ();
  virtual ~DceApplicationHelper ();
  void SetBinary (std::string binary);
  void SetStackSize (uint32_t bytes);
  void SetStdinFile (std::string file);
  void AddArgument (std::string arg);
  void AddArguments (std::string a0, std::string a1 = "", std::string a2 = "", std::string a3 = "",
                     std::string a4 = "", std::string a5 = "", std::string a6 = "",
                     std::string a7 = "");
  /** More than eight arguments at once (ns-3-dce's AddArguments took any number). */
  template <typename... More, typename = std::enable_if_t<(sizeof... (More) >= 8)>>
  void
  AddArguments (std::string a0, More... more)
  {
    AddArgument (a0);
    (AddArgument (std::string (more)), ...);
  }
  /** Split a command line on spaces and add each word. */
  void ParseArguments (std::string args);
  void AddEnvironment (std::string name, std::string value);
  void ResetArguments ();
  void ResetEnvironment ();
  ApplicationContainer Install (Ptr<Node> node);
  virtual ApplicationContainer Install (NodeContainer nodes);
  /** ns-3-dce's name for Install on one node; Install calls it for every node, so
   * a helper derived from this one (as ns-3-dce's were) can override it. */
  virtual ApplicationContainer InstallInNode (Ptr<Node> node);
  /** Called with (pid, exit status) once each installed process has ended (see
   * DceApplication). */
  void SetFinishedCallback (Callback<void, uint16_t, int> cb);
  /** Accepted for ns-3-dce scripts; see DceApplication::SetUid. */
  void SetUid (uid_t i);
  void SetEuid (uid_t i);
  void SetGid (uid_t i);
  void SetEgid (uid_t i);
  /** The pid of app, a DceApplication (0 before it started). */
  virtual uint16_t GetPid (Application *app);

private:
  std::string m_binary;
  uint32_t m_stackSize;
  std::string m_stdinFile;
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
  Callback<void, uint16_t, int> m_finished;
  uid_t m_uid = 0, m_euid = 0, m_gid = 0, m_egid = 0;
};

} // namespace ns3

#endif
