// dce-application-helper.cc - see dce-application-helper.h.
#include "dce-application-helper.h"
#include "../model/dce-application.h"
#include "ns3/node.h"
#include <sstream>

namespace ns3 {

DceApplicationHelper::DceApplicationHelper () : m_stackSize (0)
{
}

void
DceApplicationHelper::SetBinary (std::string binary)
{
  m_binary = binary;
}
void
DceApplicationHelper::SetStackSize (uint32_t bytes)
{
  m_stackSize = bytes;
}
void
DceApplicationHelper::SetStdinFile (std::string file)
{
  m_stdinFile = file;
}
void
DceApplicationHelper::AddArgument (std::string arg)
{
  m_args.push_back (arg);
}
void
DceApplicationHelper::AddArguments (std::string a0, std::string a1, std::string a2, std::string a3,
                                    std::string a4, std::string a5, std::string a6, std::string a7)
{
  for (const std::string &a : {a0, a1, a2, a3, a4, a5, a6, a7})
    if (!a.empty ())
      m_args.push_back (a);
}
void
DceApplicationHelper::ParseArguments (std::string args)
{
  std::istringstream in (args);
  std::string w;
  while (in >> w)
    m_args.push_back (w);
}
void
DceApplicationHelper::AddEnvironment (std::string name, std::string value)
{
  m_env.push_back (name + "=" + value);
}
void
DceApplicationHelper::ResetArguments ()
{
  m_args.clear ();
}
void
DceApplicationHelper::ResetEnvironment ()
{
  m_env.clear ();
}

ApplicationContainer
DceApplicationHelper::Install (Ptr<Node> node)
{
  Ptr<DceApplication> app = CreateObject<DceApplication> ();
  app->SetBinary (m_binary);
  app->SetArguments (m_args);
  app->SetEnvironment (m_env);
  app->SetStdinFile (m_stdinFile);
  app->SetStackSize (m_stackSize);
  node->AddApplication (app);
  return ApplicationContainer (app);
}

ApplicationContainer
DceApplicationHelper::Install (NodeContainer nodes)
{
  ApplicationContainer apps;
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    apps.Add (Install (*i));
  return apps;
}

} // namespace ns3
