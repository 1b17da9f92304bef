// dce-application-helper.cc - see dce-application-helper.h.
#include "dce-application-helper.h"
#include "../model/dce-application.h"
#include "ns3/node.h"
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ns3 {

namespace {
// A bad value given to the helper: one line naming it and what is accepted, at
// the call that gave it (not when the simulation reaches it).
[[noreturn]] void
Refuse (const std::string &msg)
{
  std::fprintf (stderr, "dce: DceApplicationHelper::%s\n", msg.c_str ());
  std::exit (2);
}
} // namespace

DceApplicationHelper::DceApplicationHelper () : m_stackSize (0)
{
}
DceApplicationHelper::~DceApplicationHelper () = default;

void
DceApplicationHelper::SetFinishedCallback (Callback<void, uint16_t, int> cb)
{
  m_finished = cb;
}
void
DceApplicationHelper::SetUid (uid_t i)
{
  m_uid = i;
}
void
DceApplicationHelper::SetEuid (uid_t i)
{
  m_euid = i;
}
void
DceApplicationHelper::SetGid (uid_t i)
{
  m_gid = i;
}
void
DceApplicationHelper::SetEgid (uid_t i)
{
  m_egid = i;
}
uint16_t
DceApplicationHelper::GetPid (Application *app)
{
  DceApplication *dce = dynamic_cast<DceApplication *> (app);
  if (!dce)
    Refuse ("GetPid: the application is not a DceApplication");
  return (uint16_t)dce->GetPid ();
}

void
DceApplicationHelper::SetBinary (std::string binary)
{
  if (binary.empty ())
    Refuse ("SetBinary: empty program name (a path, or a name searched in the node's PATH)");
  m_binary = binary;
}
void
DceApplicationHelper::SetStackSize (uint32_t bytes)
{
  if (bytes != 0 && (bytes < (16u << 10) || bytes > (1u << 30)))
    Refuse ("SetStackSize: " + std::to_string (bytes) + " bytes (0 for 8 MiB, or 16384 to 1073741824)");
  m_stackSize = bytes;
}
void
DceApplicationHelper::SetStdinFile (std::string file)
{
  struct stat st;
  int fd = file.empty () ? -1 : open (file.c_str (), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  bool ok = fd >= 0 && fstat (fd, &st) == 0 && !S_ISDIR (st.st_mode);
  if (fd >= 0)
    close (fd);
  if (!ok)
    Refuse ("SetStdinFile: '" + file + "' is not a host file dce can read");
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
  if (name.empty () || name.find ('=') != std::string::npos)
    Refuse ("AddEnvironment: bad variable name '" + name + "' (not empty, no '=')");
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
  return InstallInNode (node);
}

ApplicationContainer
DceApplicationHelper::InstallInNode (Ptr<Node> node)
{
  if (m_binary.empty ())
    Refuse ("Install: no program (call SetBinary first)");
  Ptr<DceApplication> app = CreateObject<DceApplication> ();
  app->SetBinary (m_binary);
  app->SetArguments (m_args);
  app->SetEnvironment (m_env);
  app->SetStdinFile (m_stdinFile);
  app->SetStackSize (m_stackSize);
  app->SetFinishedCallback (m_finished);
  app->SetUid (m_uid);
  app->SetEuid (m_euid);
  app->SetGid (m_gid);
  app->SetEgid (m_egid);
  node->AddApplication (app);
  return ApplicationContainer (app);
}

ApplicationContainer
DceApplicationHelper::Install (NodeContainer nodes)
{
  ApplicationContainer apps;
  for (auto i = nodes.Begin (); i != nodes.End (); ++i)
    apps.Add (InstallInNode (*i));
  return apps;
}

} // namespace ns3
