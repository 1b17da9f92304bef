// dce-application-helper.h - the familiar ns-3-dce helper to run programs.
#ifndef DCE_APPLICATION_HELPER_H
#define DCE_APPLICATION_HELPER_H

#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include <string>
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
  void SetBinary (std::string binary);
  void SetStackSize (uint32_t bytes);
  void SetStdinFile (std::string file);
  void AddArgument (std::string arg);
  void AddArguments (std::string a0, std::string a1 = "", std::string a2 = "", std::string a3 = "",
                     std::string a4 = "", std::string a5 = "", std::string a6 = "",
                     std::string a7 = "");
  /** Split a command line on spaces and add each word. */
  void ParseArguments (std::string args);
  void AddEnvironment (std::string name, std::string value);
  void ResetArguments ();
  void ResetEnvironment ();
  ApplicationContainer Install (Ptr<Node> node);
  ApplicationContainer Install (NodeContainer nodes);

private:
  std::string m_binary;
  uint32_t m_stackSize;
  std::string m_stdinFile;
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
};

} // namespace ns3

#endif
