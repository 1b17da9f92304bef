// linux-socket.cc - see linux-socket.h.
#include "linux-socket.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/ipv6-raw-socket-factory.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <vector>

extern "C" {
#include "../../kernel/dce-kernel.h"
#include "../../libc-ns3/net/kstack.h"
}

namespace ns3 {

NS_OBJECT_ENSURE_REGISTERED (LinuxSocket);

TypeId
LinuxSocket::GetTypeId ()
{
  static TypeId tid =
      TypeId ("ns3::LinuxSocket")
          .SetParent<Socket> ()
          .SetGroupName ("Dce")
          .AddConstructor<LinuxSocket> ()
          .AddAttribute ("Protocol", "Raw sockets: the IP protocol (as ns3::Ipv4RawSocketImpl)",
                         UintegerValue (0), MakeUintegerAccessor (&LinuxSocket::m_rawProtocol),
                         MakeUintegerChecker<uint16_t> ());
  return tid;
}

LinuxSocket::LinuxSocket () = default;
LinuxSocket::~LinuxSocket () = default;

void
LinuxSocket::Init (Ptr<Node> node, int family, int type, int protocol, const char *factory)
{
  m_node = node;
  m_nodeId = node->GetId ();
  m_family = family;
  m_type = type;
  m_protocol = protocol;
  m_factory = factory;
}

long
LinuxSocket::Call (long nr, long a0, long a1, long a2, long a3, long a4, long a5) const
{
  return dce_kstack_call (m_nodeId, nr, a0, a1, a2, a3, a4, a5);
}

int
LinuxSocket::Fail (long err)
{
  switch (-err)
    {
    case EISCONN: m_errno = ERROR_ISCONN; break;
    case ENOTCONN: case EPIPE: m_errno = ERROR_NOTCONN; break;
    case EMSGSIZE: m_errno = ERROR_MSGSIZE; break;
    case EAGAIN: case EINPROGRESS: m_errno = ERROR_AGAIN; break;
    case ESHUTDOWN: m_errno = ERROR_SHUTDOWN; break;
    case EOPNOTSUPP: case EPROTONOSUPPORT: case ESOCKTNOSUPPORT: m_errno = ERROR_OPNOTSUPP; break;
    case EAFNOSUPPORT: m_errno = ERROR_AFNOSUPPORT; break;
    case EBADF: m_errno = ERROR_BADF; break;
    case EHOSTUNREACH: case ENETUNREACH: case ECONNREFUSED: case ETIMEDOUT:
      m_errno = ERROR_NOROUTETOHOST; break;
    case ENODEV: m_errno = ERROR_NODEV; break;
    case EADDRNOTAVAIL: m_errno = ERROR_ADDRNOTAVAIL; break;
    case EADDRINUSE: m_errno = ERROR_ADDRINUSE; break;
    default: m_errno = ERROR_INVAL; break;
    }
  return -1;
}

bool
LinuxSocket::Open (int family)
{
  if (m_kfd >= 0)
    return true;
  if (m_family && family != m_family)
    {
      m_errno = ERROR_AFNOSUPPORT;
      return false;
    }
  m_family = family;
  int protocol = m_type == SOCK_RAW ? int (m_rawProtocol ? m_rawProtocol : m_protocol) : m_protocol;
  long fd = Call (DCE_KSYS_socket, family, m_type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0)
    {
      // ns-3's applications abort on a failed Bind/Connect: say why first
      std::fprintf (stderr, "dce: node %u: %s: the node's Linux kernel refuses the socket: %s\n",
                    m_nodeId, m_factory, std::strerror (int (-fd)));
      Fail (fd);
      return false;
    }
  m_kfd = int (fd);
  if (family == AF_INET6)
    {
      // ns-3 keeps IPv4 and IPv6 apart: its applications bind 0.0.0.0:P and [::]:P
      int on = 1;
      Call (DCE_KSYS_setsockopt, m_kfd, IPPROTO_IPV6, IPV6_V6ONLY, long (&on), sizeof on);
    }
  Watch ();
  return true;
}

void
LinuxSocket::Adopt (int kfd, State state)
{
  m_kfd = kfd;
  m_state = state;
  Watch ();
}

void
LinuxSocket::Watch ()
{
  m_watch = dce_kstack_watch (m_nodeId, m_kfd, &LinuxSocket::Changed, this, &m_watchRef);
}

void
LinuxSocket::Changed (void *self)
{
  LinuxSocket *s = static_cast<LinuxSocket *> (self);
  if (s->m_scheduled)
    return;
  s->m_scheduled = true;
  Simulator::ScheduleWithContext (s->m_nodeId, Seconds (0), &LinuxSocket::Process,
                                  Ptr<LinuxSocket> (s));
}

short
LinuxSocket::Poll () const
{
  struct pollfd p = {m_kfd, POLLIN | POLLOUT | POLLRDHUP, 0};
  struct timespec zero = {0, 0};
  long n = Call (DCE_KSYS_ppoll, long (&p), 1, long (&zero), 0, 8);
  return n > 0 ? p.revents : 0;
}

namespace {

socklen_t
ToSockaddr (const Address &a, sockaddr_storage *ss)
{
  std::memset (ss, 0, sizeof *ss);
  if (InetSocketAddress::IsMatchingType (a))
    {
      InetSocketAddress in = InetSocketAddress::ConvertFrom (a);
      auto *sin = reinterpret_cast<sockaddr_in *> (ss);
      sin->sin_family = AF_INET;
      sin->sin_port = htons (in.GetPort ());
      sin->sin_addr.s_addr = htonl (in.GetIpv4 ().Get ());
      return sizeof *sin;
    }
  if (Inet6SocketAddress::IsMatchingType (a))
    {
      Inet6SocketAddress in6 = Inet6SocketAddress::ConvertFrom (a);
      auto *sin6 = reinterpret_cast<sockaddr_in6 *> (ss);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons (in6.GetPort ());
      in6.GetIpv6 ().GetBytes (sin6->sin6_addr.s6_addr);
      return sizeof *sin6;
    }
  return 0;
}

Address
FromSockaddr (const sockaddr_storage &ss)
{
  if (ss.ss_family == AF_INET6)
    {
      auto *sin6 = reinterpret_cast<const sockaddr_in6 *> (&ss);
      uint8_t b[16];
      std::memcpy (b, sin6->sin6_addr.s6_addr, 16);
      return Inet6SocketAddress (Ipv6Address (b), ntohs (sin6->sin6_port));
    }
  auto *sin = reinterpret_cast<const sockaddr_in *> (&ss);
  return InetSocketAddress (Ipv4Address (ntohl (sin->sin_addr.s_addr)), ntohs (sin->sin_port));
}

} // namespace

socklen_t
LinuxSocket::OpenFor (const Address &address, sockaddr_storage *ss)
{
  socklen_t len = ToSockaddr (address, ss);
  if (!len)
    m_errno = ERROR_INVAL;
  else if (!Open (ss->ss_family))
    len = 0;
  return len;
}

void
LinuxSocket::Process ()
{
  m_scheduled = false;
  if (m_kfd < 0)
    return;
  short ev = Poll ();
  if (m_state == CONNECTING && (ev & (POLLOUT | POLLERR | POLLHUP)))
    {
      int err = 0;
      socklen_t len = sizeof err;
      Call (DCE_KSYS_getsockopt, m_kfd, SOL_SOCKET, SO_ERROR, long (&err), long (&len));
      if (err)
        {
          m_state = CLOSED;
          Fail (-err);
          NotifyConnectionFailed ();
          return;
        }
      m_state = CONNECTED;
      if (m_shutSend)
        Call (DCE_KSYS_shutdown, m_kfd, SHUT_WR);
      NotifyConnectionSucceeded ();
    }
  if (m_state == LISTENING)
    {
      while (ev & POLLIN)
        {
          sockaddr_storage from;
          socklen_t len = sizeof from;
          long fd = Call (DCE_KSYS_accept4, m_kfd, long (&from), long (&len),
                          SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (fd < 0)
            break;
          Address peer = FromSockaddr (from);
          if (!NotifyConnectionRequest (peer))
            {
              Call (DCE_KSYS_close, fd);
              continue;
            }
          Ptr<LinuxSocket> child = CreateObject<LinuxSocket> ();
          child->Init (m_node, from.ss_family, m_type, m_protocol, m_factory);
          child->Adopt (int (fd), CONNECTED);
          NotifyNewConnectionCreated (child, peer);
          child->Changed (PeekPointer (child)); // data that came with the connection
        }
      return;
    }
  if (m_state != CONNECTED && m_type == SOCK_STREAM)
    return;
  // a stream at its end polls readable for ever: only data is news (the end is below)
  if ((ev & POLLIN) && m_shutRecv)
    Drain ();
  else if ((ev & POLLIN) && (m_type != SOCK_STREAM || GetRxAvailable () > 0))
    NotifyDataRecv ();
  if (m_type == SOCK_STREAM && !m_closedNotified && (m_eofSeen || (ev & (POLLRDHUP | POLLHUP))) &&
      GetRxAvailable () == 0)
    {
      m_closedNotified = true;
      int err = 0;
      socklen_t len = sizeof err;
      Call (DCE_KSYS_getsockopt, m_kfd, SOL_SOCKET, SO_ERROR, long (&err), long (&len));
      if (err)
        {
          Fail (-err);
          NotifyErrorClose ();
        }
      else
        NotifyNormalClose ();
    }
  if ((ev & POLLOUT) && m_wantSend)
    {
      m_wantSend = false;
      NotifySend (GetTxAvailable ());
    }
}

enum Socket::SocketErrno
LinuxSocket::GetErrno () const
{
  return m_errno;
}

enum Socket::SocketType
LinuxSocket::GetSocketType () const
{
  switch (m_type)
    {
    case SOCK_STREAM: return NS3_SOCK_STREAM;
    case SOCK_SEQPACKET: return NS3_SOCK_SEQPACKET;
    case SOCK_RAW: return NS3_SOCK_RAW;
    default: return NS3_SOCK_DGRAM;
    }
}

Ptr<Node>
LinuxSocket::GetNode () const
{
  return m_node;
}

int
LinuxSocket::Bind (const Address &address)
{
  sockaddr_storage ss;
  socklen_t len = OpenFor (address, &ss);
  if (!len)
    return -1;
  long r = Call (DCE_KSYS_bind, m_kfd, long (&ss), len);
  return r < 0 ? Fail (r) : 0;
}

int
LinuxSocket::Bind ()
{
  return Bind (InetSocketAddress (Ipv4Address::GetAny (), 0));
}

int
LinuxSocket::Bind6 ()
{
  return Bind (Inet6SocketAddress (Ipv6Address::GetAny (), 0));
}

int
LinuxSocket::Close ()
{
  if (m_kfd >= 0)
    dce_kstack_unwatch_close (m_nodeId, m_watch, m_watchRef, m_kfd);
  m_kfd = -1;
  m_watchRef = nullptr;
  m_state = CLOSED;
  return 0;
}

// Linux aborts a connection still in SYN_SENT on any shutdown(); ns-3's applications
// shut a direction right after Connect (BulkSend: ShutdownRecv), so a connecting
// socket shuts its sending side once connected, and receiving is shut in dce only
// (as ns-3's TCP does: data that arrives is dropped, the peer is not told).
int
LinuxSocket::ShutdownSend ()
{
  m_shutSend = true;
  if (m_kfd >= 0 && m_state == CONNECTED)
    Call (DCE_KSYS_shutdown, m_kfd, SHUT_WR);
  return 0;
}

int
LinuxSocket::ShutdownRecv ()
{
  m_shutRecv = true;
  return 0;
}

int
LinuxSocket::Connect (const Address &address)
{
  sockaddr_storage ss;
  socklen_t len = OpenFor (address, &ss);
  if (!len)
    return -1;
  long r = Call (DCE_KSYS_connect, m_kfd, long (&ss), len);
  if (r == -EINPROGRESS)
    {
      m_state = CONNECTING; // the watch reports the outcome
      return 0;
    }
  if (r < 0)
    return Fail (r);
  m_state = CONNECTED;
  if (m_type == SOCK_STREAM)
    Changed (this);
  else
    Simulator::ScheduleWithContext (m_nodeId, Seconds (0), &LinuxSocket::NotifyConnectionSucceeded,
                                    Ptr<LinuxSocket> (this));
  return 0;
}

int
LinuxSocket::Listen ()
{
  if (m_type != SOCK_STREAM && m_type != SOCK_SEQPACKET)
    return 0; // ns-3's datagram sockets accept Listen as a no-op (PacketSink calls it)
  if (!Open (m_family ? m_family : AF_INET))
    return -1;
  long r = Call (DCE_KSYS_listen, m_kfd, 128);
  if (r < 0)
    return Fail (r);
  m_state = LISTENING;
  return 0;
}

uint32_t
LinuxSocket::GetTxAvailable () const
{
  if (m_kfd < 0)
    return 0;
  int sndbuf = 0, queued = 0;
  socklen_t len = sizeof sndbuf;
  Call (DCE_KSYS_getsockopt, m_kfd, SOL_SOCKET, SO_SNDBUF, long (&sndbuf), long (&len));
  Call (DCE_KSYS_ioctl, m_kfd, SIOCOUTQ, long (&queued));
  // Linux doubles SO_SNDBUF for its bookkeeping: half of it is payload room
  int room = sndbuf / 2 - queued;
  return room > 0 ? uint32_t (room) : 0;
}

int
LinuxSocket::Send (Ptr<Packet> p, uint32_t flags)
{
  if (m_kfd < 0)
    {
      m_errno = ERROR_NOTCONN;
      return -1;
    }
  std::vector<uint8_t> buf (p->GetSize ());
  p->CopyData (buf.data (), buf.size ());
  long r = Call (DCE_KSYS_sendto, m_kfd, long (buf.data ()), long (buf.size ()),
                 MSG_NOSIGNAL | MSG_DONTWAIT, 0, 0);
  return Sent (r, buf.size ());
}

int
LinuxSocket::SendTo (Ptr<Packet> p, uint32_t flags, const Address &toAddress)
{
  sockaddr_storage ss;
  socklen_t len = OpenFor (toAddress, &ss);
  if (!len)
    return -1;
  std::vector<uint8_t> buf (p->GetSize ());
  p->CopyData (buf.data (), buf.size ());
  long r = Call (DCE_KSYS_sendto, m_kfd, long (buf.data ()), long (buf.size ()),
                 MSG_NOSIGNAL | MSG_DONTWAIT, long (&ss), len);
  return Sent (r, buf.size ());
}

void
LinuxSocket::Drain ()
{
  char buf[4096];
  while (Call (DCE_KSYS_recvfrom, m_kfd, long (buf), sizeof buf, MSG_DONTWAIT, 0, 0) > 0)
    {
    }
}

int
LinuxSocket::Sent (long r, size_t size)
{
  if (r < 0 || size_t (r) < size)
    m_wantSend = true; // NotifySend when the kernel has room again
  if (r < 0)
    return Fail (r);
  if (r > 0)
    Simulator::ScheduleWithContext (m_nodeId, Seconds (0), &LinuxSocket::NotifyDataSent,
                                    Ptr<LinuxSocket> (this), uint32_t (r));
  return int (r);
}

uint32_t
LinuxSocket::GetRxAvailable () const
{
  int n = 0;
  if (m_kfd < 0 || Call (DCE_KSYS_ioctl, m_kfd, SIOCINQ, long (&n)) < 0 || n < 0)
    return 0;
  return uint32_t (n);
}

Ptr<Packet>
LinuxSocket::Recv (uint32_t maxSize, uint32_t flags)
{
  Address from;
  return RecvFrom (maxSize, flags, from);
}

Ptr<Packet>
LinuxSocket::RecvFrom (uint32_t maxSize, uint32_t flags, Address &fromAddress)
{
  if (m_kfd < 0)
    {
      m_errno = ERROR_BADF;
      return nullptr;
    }
  uint32_t avail = GetRxAvailable ();
  size_t size = std::min<size_t> (maxSize, avail ? avail : 65536);
  std::vector<uint8_t> buf (size ? size : 1);
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  std::memset (&ss, 0, sizeof ss);
  long r = Call (DCE_KSYS_recvfrom, m_kfd, long (buf.data ()), long (size),
                 (flags & MSG_PEEK) | MSG_DONTWAIT, long (&ss), long (&len));
  if (r < 0)
    {
      Fail (r);
      return nullptr;
    }
  if (r == 0 && m_type == SOCK_STREAM)
    {
      m_eofSeen = true; // the peer closed: Process tells the application, once
      if (!m_closedNotified)
        Changed (this);
      m_errno = ERROR_NOTERROR;
      return nullptr;
    }
  if (m_type == SOCK_STREAM || ss.ss_family == 0)
    GetPeerName (fromAddress);
  else
    fromAddress = FromSockaddr (ss);
  return Create<Packet> (buf.data (), uint32_t (r));
}

int
LinuxSocket::GetSockName (Address &address) const
{
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  std::memset (&ss, 0, sizeof ss);
  if (m_kfd < 0)
    {
      address = InetSocketAddress (Ipv4Address::GetZero (), 0);
      return 0;
    }
  long r = Call (DCE_KSYS_getsockname, m_kfd, long (&ss), long (&len));
  if (r < 0)
    return const_cast<LinuxSocket *> (this)->Fail (r);
  address = FromSockaddr (ss);
  return 0;
}

int
LinuxSocket::GetPeerName (Address &address) const
{
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  std::memset (&ss, 0, sizeof ss);
  long r = m_kfd < 0 ? -ENOTCONN : Call (DCE_KSYS_getpeername, m_kfd, long (&ss), long (&len));
  if (r < 0)
    return const_cast<LinuxSocket *> (this)->Fail (r);
  address = FromSockaddr (ss);
  return 0;
}

bool
LinuxSocket::SetAllowBroadcast (bool allowBroadcast)
{
  m_allowBroadcast = allowBroadcast;
  if (m_kfd < 0 && !Open (m_family ? m_family : AF_INET))
    return false;
  int on = allowBroadcast;
  return Call (DCE_KSYS_setsockopt, m_kfd, SOL_SOCKET, SO_BROADCAST, long (&on), sizeof on) == 0;
}

bool
LinuxSocket::GetAllowBroadcast () const
{
  return m_allowBroadcast;
}

void
LinuxSocket::DoDispose ()
{
  if (Simulator::IsFinished () && m_kfd >= 0)
    {
      // Simulator::Destroy: the kernels go with everything else; no more events
      dce_kstack_unwatch (m_watchRef);
      m_kfd = -1;
    }
  Close ();
  m_node = nullptr;
  Socket::DoDispose ();
}

// ---- the factories ----

namespace {

template <class Kind>
class LinuxFactory : public Kind
{
public:
  Ptr<Socket> CreateSocket () override
  {
    Ptr<LinuxSocket> s = CreateObject<LinuxSocket> ();
    s->Init (this->template GetObject<Node> (), m_family, m_type, m_protocol, m_name);
    return s;
  }

protected:
  int m_family = 0, m_type = 0, m_protocol = 0;
  const char *m_name = "";
};

} // namespace

// One class per name ns-3-dce scripts use; family 0: the first address decides.
#define DCE_LINUX_SOCKET_FACTORY(Class, Kind, Family, Type, Protocol)                          \
  class Class : public LinuxFactory<Kind>                                                     \
  {                                                                                           \
  public:                                                                                     \
    static TypeId GetTypeId ()                                                                \
    {                                                                                         \
      static TypeId tid = TypeId ("ns3::" #Class)                                             \
                              .SetParent<Kind> ()                                             \
                              .SetGroupName ("Dce")                                           \
                              .AddConstructor<Class> ();                                      \
      return tid;                                                                             \
    }                                                                                         \
    Class ()                                                                                  \
    {                                                                                         \
      m_family = Family, m_type = Type, m_protocol = Protocol, m_name = "ns3::" #Class;       \
    }                                                                                         \
  };                                                                                          \
  NS_OBJECT_ENSURE_REGISTERED (Class)

DCE_LINUX_SOCKET_FACTORY (LinuxTcpSocketFactory, TcpSocketFactory, 0, SOCK_STREAM, IPPROTO_TCP);
DCE_LINUX_SOCKET_FACTORY (LinuxUdpSocketFactory, UdpSocketFactory, 0, SOCK_DGRAM, IPPROTO_UDP);
DCE_LINUX_SOCKET_FACTORY (LinuxIpv4RawSocketFactory, Ipv4RawSocketFactory, AF_INET, SOCK_RAW,
                          IPPROTO_ICMP);
DCE_LINUX_SOCKET_FACTORY (LinuxIpv6RawSocketFactory, Ipv6RawSocketFactory, AF_INET6, SOCK_RAW,
                          IPPROTO_ICMPV6);
DCE_LINUX_SOCKET_FACTORY (LinuxTcp6SocketFactory, SocketFactory, AF_INET6, SOCK_STREAM,
                          IPPROTO_TCP);
DCE_LINUX_SOCKET_FACTORY (LinuxUdp6SocketFactory, SocketFactory, AF_INET6, SOCK_DGRAM,
                          IPPROTO_UDP);
DCE_LINUX_SOCKET_FACTORY (LinuxDccpSocketFactory, SocketFactory, 0, SOCK_DCCP, IPPROTO_DCCP);
DCE_LINUX_SOCKET_FACTORY (LinuxDccp6SocketFactory, SocketFactory, AF_INET6, SOCK_DCCP,
                          IPPROTO_DCCP);
DCE_LINUX_SOCKET_FACTORY (LinuxSctpSocketFactory, SocketFactory, 0, SOCK_STREAM, IPPROTO_SCTP);
DCE_LINUX_SOCKET_FACTORY (LinuxSctp6SocketFactory, SocketFactory, AF_INET6, SOCK_STREAM,
                          IPPROTO_SCTP);

void
AggregateLinuxSocketFactories (Ptr<Node> node)
{
  if (node->GetObject<LinuxTcpSocketFactory> ())
    return;
  node->AggregateObject (CreateObject<LinuxTcpSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxUdpSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxIpv4RawSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxIpv6RawSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxTcp6SocketFactory> ());
  node->AggregateObject (CreateObject<LinuxUdp6SocketFactory> ());
  node->AggregateObject (CreateObject<LinuxDccpSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxDccp6SocketFactory> ());
  node->AggregateObject (CreateObject<LinuxSctpSocketFactory> ());
  node->AggregateObject (CreateObject<LinuxSctp6SocketFactory> ());
}

} // namespace ns3
