// ns3-socket.cc - ns-3's sockets behind the C interface of
// src/libc-ns3/net/ns3-socket.h: one DceSock per emulated socket, holding the ns-3
// socket(s), the accept queue, a one-packet receive stash (MSG_PEEK, datagram
// truncation) and the state the ns-3 callbacks report.
#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-end-point.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-global-routing.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-raw-socket-factory.h"
#include "ns3/ipv6.h"
#include "ns3/ipv6-header.h"
#include "ns3/loopback-net-device.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-base.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/tcp-socket.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/udp-socket.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/rtnetlink.h>
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

extern "C" {
#include "../../libc-ns3/net/ns3-socket.h"
}

using namespace ns3;

struct dce_ns3_sock
{
  Ptr<Socket> sock;
  Ptr<Socket> sock4;            // IPv4 companion of a dual-stack IPv6 listener
  void *ctx = nullptr;
  int family = 0, type = 0, protocol = 0;
  bool v6only = false;
  bool listening = false, connecting = false, connected = false;
  bool peerClosed = false, closed = false, rstSeen = false;
  int error = 0;
  int backlog = 128;
  std::deque<dce_ns3_sock *> acceptq;
  Ptr<Packet> stash;            // received, not yet consumed (peek, partial reads)
  Address stashFrom;
  int stashHopLimit = -1;       // IPv6 raw: from the header ns-3 leaves on the packet
  // TCP_INFO, from the socket's trace sources
  int tcpState = 0;
  uint32_t cwnd = 0, ssthresh = 0;
  int64_t rttUs = 0;
  int64_t rtoUs = 0;
  uint64_t bytesReceived = 0;
  uint32_t keepalive = 0;
  // TCP's SndBufSize, read once and again after SO_SNDBUF: a by-name GetAttribute
  // at every status query (each poll and select) was ~5% of an iperf3 run
  uint32_t sndbuf = 0;
  // A connected IPv4 UDP socket has a 4-tuple endpoint of its own (as Linux hashes
  // it), so another socket can bind the same port (iperf3 -u's server does); ns-3's
  // UdpSocketImpl only has 2-tuple endpoints, so it is closed and bypassed.
  Ipv4EndPoint *ep = nullptr;
  Ipv4Address epLocal, epPeer;
  uint16_t epLport = 0, epPport = 0;
  bool epBoundAny = true;            // the program did not bind a local address
  std::deque<std::pair<Ptr<Packet>, Address>> rxq;
  size_t rxqBytes = 0;
  // IP_RECVERR: ICMP errors queued for MSG_ERRQUEUE
  bool recverr = false;
  std::deque<dce_ns3_sockerr> errq;
  Address lastDst;                   // where the last datagram went (the errors' msg_name)
  // IPv4 multicast (UDP): groups joined (group, Linux ifindex), IP_MULTICAST_LOOP/ALL
  std::vector<std::pair<Ipv4Address, int>> mcGroups;
  bool mcLoop = true, mcAll = true;
};

namespace {
// every open IPv4 UDP socket, in creation order (multicast delivery and loopback)
std::vector<dce_ns3_sock *> g_udp4;
} // namespace

namespace {

int
Errno (Socket::SocketErrno e)
{
  switch (e)
    {
    case Socket::ERROR_NOTERROR: return 0;
    case Socket::ERROR_ISCONN: return EISCONN;
    case Socket::ERROR_NOTCONN: return ENOTCONN;
    case Socket::ERROR_MSGSIZE: return EMSGSIZE;
    case Socket::ERROR_AGAIN: return EAGAIN;
    case Socket::ERROR_SHUTDOWN: return EPIPE;
    case Socket::ERROR_OPNOTSUPP: return EOPNOTSUPP;
    case Socket::ERROR_AFNOSUPPORT: return EAFNOSUPPORT;
    case Socket::ERROR_INVAL: return EINVAL;
    case Socket::ERROR_BADF: return EBADF;
    case Socket::ERROR_NOROUTETOHOST: return ENETUNREACH;
    case Socket::ERROR_NODEV: return ENODEV;
    case Socket::ERROR_ADDRNOTAVAIL: return EADDRNOTAVAIL;
    case Socket::ERROR_ADDRINUSE: return EADDRINUSE;
    default: return EINVAL;
    }
}

int
Fail (Ptr<Socket> s)
{
  int e = Errno (s->GetErrno ());
  return -(e ? e : EINVAL);
}

bool
IsMapped (const struct in6_addr &a)
{
  return IN6_IS_ADDR_V4MAPPED (&a);
}

// A sockaddr (validated by the caller) as an ns-3 address.
Address
ToNs3 (const struct sockaddr *sa)
{
  if (sa->sa_family == AF_INET)
    {
      auto *in = (const struct sockaddr_in *)sa;
      return InetSocketAddress (Ipv4Address (ntohl (in->sin_addr.s_addr)), ntohs (in->sin_port));
    }
  auto *in6 = (const struct sockaddr_in6 *)sa;
  if (IsMapped (in6->sin6_addr))
    {
      uint32_t v4;
      memcpy (&v4, &in6->sin6_addr.s6_addr[12], 4);
      return InetSocketAddress (Ipv4Address (ntohl (v4)), ntohs (in6->sin6_port));
    }
  return Inet6SocketAddress (Ipv6Address ((uint8_t *)in6->sin6_addr.s6_addr), ntohs (in6->sin6_port));
}

// An ns-3 address as a sockaddr of `family` (IPv4 in an IPv6 socket: v4-mapped).
void
FromNs3 (const Address &a, int family, struct sockaddr_storage *ss, socklen_t *len)
{
  memset (ss, 0, sizeof *ss);
  uint32_t v4 = 0;
  uint16_t port = 0;
  bool isV4 = false;
  uint8_t v6[16] = {0};
  if (InetSocketAddress::IsMatchingType (a))
    {
      InetSocketAddress in = InetSocketAddress::ConvertFrom (a);
      v4 = htonl (in.GetIpv4 ().Get ());
      port = in.GetPort ();
      isV4 = true;
    }
  else if (Inet6SocketAddress::IsMatchingType (a))
    {
      Inet6SocketAddress in6 = Inet6SocketAddress::ConvertFrom (a);
      in6.GetIpv6 ().GetBytes (v6);
      port = in6.GetPort ();
    }
  if (family == AF_INET)
    {
      auto *in = (struct sockaddr_in *)ss;
      in->sin_family = AF_INET;
      in->sin_port = htons (port);
      in->sin_addr.s_addr = v4;
      *len = sizeof *in;
      return;
    }
  auto *in6 = (struct sockaddr_in6 *)ss;
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons (port);
  if (isV4)
    {
      in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
      memcpy (&in6->sin6_addr.s6_addr[12], &v4, 4);
    }
  else
    memcpy (in6->sin6_addr.s6_addr, v6, 16);
  *len = sizeof *in6;
}

void
Notify (dce_ns3_sock *s)
{
  if (s->ctx)
    dce_ns3_sock_event (s->ctx);
}

// ---- callbacks from ns-3 (inside simulator events) ----
void McastPull (dce_ns3_sock *s);
void
OnRecv (dce_ns3_sock *s, Ptr<Socket>)
{
  if (s->family == AF_INET && s->type == SOCK_DGRAM && !s->ep)
    McastPull (s); // datagrams of groups the node did not join are dropped here
  Notify (s);
}
void OnSend (dce_ns3_sock *s, Ptr<Socket>, uint32_t) { Notify (s); }
void
OnConnected (dce_ns3_sock *s, Ptr<Socket>)
{
  s->connecting = false;
  s->connected = true;
  Notify (s);
}
void
OnConnectFailed (dce_ns3_sock *s, Ptr<Socket>)
{
  if (!s->closed)
    s->error = s->rstSeen ? ECONNREFUSED : ETIMEDOUT;
  s->connecting = false;
  s->closed = true;
  Notify (s);
}
void
OnNormalClose (dce_ns3_sock *s, Ptr<Socket>)
{
  s->peerClosed = true;
  Notify (s);
}
void
OnErrorClose (dce_ns3_sock *s, Ptr<Socket>)
{
  if (s->closed)
    ; // already reported (RST seen)
  else if (s->connecting)
    s->error = ETIMEDOUT;
  else if (!s->peerClosed)
    s->error = ETIMEDOUT;
  s->connecting = false;
  s->peerClosed = true;
  s->closed = true;
  Notify (s);
}
void
OnTcpRx (dce_ns3_sock *s, Ptr<const Packet>, const TcpHeader &h, Ptr<const TcpSocketBase>)
{
  if (!(h.GetFlags () & TcpHeader::RST))
    return;
  s->rstSeen = true;
  // ns-3 drops a connection on a RST without always telling the application
  // (SYN_SENT: never); Linux reports ECONNREFUSED, or ECONNRESET once connected.
  if (s->connecting)
    {
      s->connecting = false;
      s->closed = true;
      s->error = ECONNREFUSED;
      Notify (s);
    }
  else if (s->connected && !s->closed)
    {
      s->closed = true;
      s->peerClosed = true;
      s->error = ECONNRESET;
      Notify (s);
    }
}
void OnCwnd (dce_ns3_sock *s, uint32_t, uint32_t v) { s->cwnd = v; }
void OnSsth (dce_ns3_sock *s, uint32_t, uint32_t v) { s->ssthresh = v; }
void OnRtt (dce_ns3_sock *s, Time, Time v) { s->rttUs = v.GetMicroSeconds (); }
void OnRto (dce_ns3_sock *s, Time, Time v) { s->rtoUs = v.GetMicroSeconds (); }
void
OnState (dce_ns3_sock *s, TcpSocket::TcpStates_t, TcpSocket::TcpStates_t v)
{
  // Linux numbering (include/net/tcp_states.h)
  static const int linux_state[] = {
      7 /*CLOSED*/, 10 /*LISTEN*/, 2 /*SYN_SENT*/, 3 /*SYN_RCVD*/, 1 /*ESTABLISHED*/,
      8 /*CLOSE_WAIT*/, 9 /*LAST_ACK*/, 4 /*FIN_WAIT_1*/, 5 /*FIN_WAIT_2*/, 11 /*CLOSING*/,
      6 /*TIME_WAIT*/};
  if ((unsigned)v < sizeof linux_state / sizeof linux_state[0])
    s->tcpState = linux_state[v];
  // These states mean the peer's FIN came in sequence, after all its data. ns-3 does
  // not always tell the application (a simultaneous close, FIN_WAIT_1 -> CLOSING,
  // calls no close callback): the peer's EOF must not be lost.
  if ((v == TcpSocket::CLOSE_WAIT || v == TcpSocket::LAST_ACK || v == TcpSocket::CLOSING ||
       v == TcpSocket::TIME_WAIT) && !s->peerClosed)
    {
      s->peerClosed = true;
      Notify (s);
    }
}

void Attach (dce_ns3_sock *s, Ptr<Socket> sock);

// ---- ICMP errors (Linux's icmp_err_convert and udp_err/tcp_v4_err rules) ----

// The errno of an ICMP error, and whether it is "hard" (ends a connection).
int
IcmpErrno (bool v6, uint8_t type, uint8_t code, bool *hard)
{
  *hard = false;
  if (!v6)
    {
      if (type == 3) // destination unreachable
        {
          static const struct { int err; bool fatal; } conv[16] = {
              {ENETUNREACH, false}, {EHOSTUNREACH, false}, {ENOPROTOOPT, true}, {ECONNREFUSED, true},
              {EMSGSIZE, false},    {EOPNOTSUPP, false},   {ENETUNREACH, true},  {EHOSTDOWN, true},
              {ENONET, true},       {ENETUNREACH, true},   {EHOSTUNREACH, true}, {ENETUNREACH, false},
              {EHOSTUNREACH, false}, {EHOSTUNREACH, true}, {EHOSTUNREACH, true}, {EHOSTUNREACH, true}};
          if (code < 16)
            {
              *hard = conv[code].fatal;
              return conv[code].err;
            }
          return EHOSTUNREACH;
        }
      if (type == 11) // time exceeded
        return EHOSTUNREACH;
      if (type == 12) // parameter problem
        {
          *hard = true;
          return EPROTO;
        }
      return 0;
    }
  switch (type)
    {
    case 1: // destination unreachable
      *hard = code == 1 || code == 4;
      return code == 0 ? ENETUNREACH : code == 1 ? EACCES : code == 4 ? ECONNREFUSED : EHOSTUNREACH;
    case 2: return EMSGSIZE;
    case 3: return EHOSTUNREACH;
    case 4: *hard = true; return EPROTO;
    }
  return 0;
}

void
QueueIcmp (dce_ns3_sock *s, bool v6, const Address &offender, uint8_t ttl, uint8_t type, uint8_t code,
           uint32_t info)
{
  if (!s->ctx)
    return;
  bool hard;
  int err = IcmpErrno (v6, type, code, &hard);
  if (!err)
    return;
  if (s->type == SOCK_STREAM)
    {
      // Linux ends a connection attempt on a hard error (tcp_v4_err in SYN_SENT)
      if (s->connecting && hard && !s->closed)
        {
          s->connecting = false;
          s->closed = true;
          s->error = err;
          Notify (s);
        }
      return;
    }
  if (!s->recverr)
    {
      if (!hard || !s->connected)
        return;
    }
  else if (s->errq.size () < 64)
    {
      dce_ns3_sockerr e;
      memset (&e, 0, sizeof e);
      e.ee_errno = err;
      e.v6 = v6;
      e.type = type;
      e.code = code;
      e.ttl = ttl;
      e.info = info;
      FromNs3 (offender, v6 ? AF_INET6 : AF_INET, &e.offender, &e.offlen);
      if (!s->lastDst.IsInvalid ())
        FromNs3 (s->lastDst, s->family, &e.dst, &e.dstlen);
      s->errq.push_back (e);
    }
  s->error = err;
  Notify (s);
}

void
OnIcmp4 (dce_ns3_sock *s, Ipv4Address src, uint8_t ttl, uint8_t type, uint8_t code, uint32_t info)
{
  QueueIcmp (s, false, InetSocketAddress (src, 0), ttl, type, code, info);
}

void
OnIcmp6 (dce_ns3_sock *s, Ipv6Address src, uint8_t ttl, uint8_t type, uint8_t code, uint32_t info)
{
  QueueIcmp (s, true, Inet6SocketAddress (src, 0), ttl, type, code, info);
}

// A datagram for a connected socket's own endpoint.
void
OnEpRx (dce_ns3_sock *s, Ptr<Packet> p, Ipv4Header h, uint16_t sport, Ptr<Ipv4Interface> iface)
{
  if (!s->ctx)
    return;
  UintegerValue rcvbuf;
  if (s->sock)
    s->sock->GetAttribute ("RcvBufSize", rcvbuf);
  if (s->rxqBytes + p->GetSize () > rcvbuf.Get ())
    return; // dropped, as Linux drops past SO_RCVBUF
  Ptr<Packet> c = p->Copy ();
  SocketIpTtlTag ttl;
  ttl.SetTtl (h.GetTtl ());
  c->ReplacePacketTag (ttl);
  SocketIpTosTag tos;
  tos.SetTos (h.GetTos ());
  c->ReplacePacketTag (tos);
  Ipv4PacketInfoTag pi;
  pi.SetAddress (h.GetDestination ());
  pi.SetTtl (h.GetTtl ());
  if (iface && iface->GetDevice ())
    pi.SetRecvIf (iface->GetDevice ()->GetIfIndex ());
  c->ReplacePacketTag (pi);
  s->rxq.push_back ({c, InetSocketAddress (h.GetSource (), sport)});
  s->rxqBytes += c->GetSize ();
  Notify (s);
}

void
OnEpDestroy (dce_ns3_sock *s)
{
  s->ep = nullptr; // the UDP protocol is being disposed of (simulation end)
}

// Data for a TCP socket the program has closed: ns-3 would keep acknowledging it;
// Linux answers with a RST (and so does ns-3's Close once data is unread).
void
OrphanRecv (Ptr<Socket> sock)
{
  sock->Close ();
}

bool
OnConnectionRequest (dce_ns3_sock *s, Ptr<Socket>, const Address &)
{
  return (int)s->acceptq.size () < s->backlog + 1;
}

void
OnNewConnection (dce_ns3_sock *s, Ptr<Socket> sock, const Address &)
{
  auto *c = new dce_ns3_sock;
  c->family = s->family;
  c->type = s->type;
  c->protocol = s->protocol;
  c->connected = true;
  c->tcpState = 1;
  Attach (c, sock);
  s->acceptq.push_back (c);
  Notify (s);
}

void
Attach (dce_ns3_sock *s, Ptr<Socket> sock)
{
  sock->SetRecvCallback (MakeBoundCallback (&OnRecv, s));
  sock->SetSendCallback (MakeBoundCallback (&OnSend, s));
  sock->SetConnectCallback (MakeBoundCallback (&OnConnected, s), MakeBoundCallback (&OnConnectFailed, s));
  sock->SetCloseCallbacks (MakeBoundCallback (&OnNormalClose, s), MakeBoundCallback (&OnErrorClose, s));
  sock->SetAcceptCallback (MakeBoundCallback (&OnConnectionRequest, s),
                           MakeBoundCallback (&OnNewConnection, s));
  if (s->type == SOCK_STREAM)
    {
      sock->TraceConnectWithoutContext ("Rx", MakeBoundCallback (&OnTcpRx, s));
      sock->TraceConnectWithoutContext ("CongestionWindow", MakeBoundCallback (&OnCwnd, s));
      sock->TraceConnectWithoutContext ("SlowStartThreshold", MakeBoundCallback (&OnSsth, s));
      sock->TraceConnectWithoutContext ("RTT", MakeBoundCallback (&OnRtt, s));
      sock->TraceConnectWithoutContext ("RTO", MakeBoundCallback (&OnRto, s));
      sock->TraceConnectWithoutContext ("State", MakeBoundCallback (&OnState, s));
    }
  else
    {
      sock->SetIpRecvTtl (true);
      sock->SetIpRecvTos (true);
      if (s->family == AF_INET)
        sock->SetRecvPktInfo (true); // (an IPv6 socket's IPv4 datagrams crash ns-3's ForwardUp with it)
      sock->SetIpv6RecvHopLimit (true);
    }
  if (s->type != SOCK_RAW)
    {
      sock->SetAttributeFailSafe ("IcmpCallback", CallbackValue (MakeBoundCallback (&OnIcmp4, s)));
      sock->SetAttributeFailSafe ("IcmpCallback6", CallbackValue (MakeBoundCallback (&OnIcmp6, s)));
    }
  if (!s->sock)
    s->sock = sock;
}

void
Detach (Ptr<Socket> sock)
{
  sock->SetRecvCallback (MakeNullCallback<void, Ptr<Socket>> ());
  sock->SetSendCallback (MakeNullCallback<void, Ptr<Socket>, uint32_t> ());
  sock->SetConnectCallback (MakeNullCallback<void, Ptr<Socket>> (), MakeNullCallback<void, Ptr<Socket>> ());
  sock->SetCloseCallbacks (MakeNullCallback<void, Ptr<Socket>> (), MakeNullCallback<void, Ptr<Socket>> ());
  sock->SetAcceptCallback (MakeNullCallback<bool, Ptr<Socket>, const Address &> (),
                           MakeNullCallback<void, Ptr<Socket>, const Address &> ());
}

Ptr<Socket>
NewNs3Socket (Ptr<Node> node, int family, int type, int protocol)
{
  if (type == SOCK_STREAM)
    {
      Ptr<Socket> s = Socket::CreateSocket (node, TcpSocketFactory::GetTypeId ());
      UintegerValue seg;
      s->GetAttribute ("SegmentSize", seg);
      if (seg.Get () == 536) // ns-3's default: use Linux's MSS on Ethernet
        s->SetAttribute ("SegmentSize", UintegerValue (1448));
      return s;
    }
  if (type == SOCK_DGRAM)
    return Socket::CreateSocket (node, UdpSocketFactory::GetTypeId ());
  Ptr<Socket> s =
      Socket::CreateSocket (node, family == AF_INET ? Ipv4RawSocketFactory::GetTypeId ()
                                                    : Ipv6RawSocketFactory::GetTypeId ());
  s->SetAttribute ("Protocol", UintegerValue (protocol));
  return s;
}

Ptr<Node>
FindNode (uint32_t id)
{
  if (id >= NodeList::GetNNodes ())
    return nullptr;
  return NodeList::GetNode (id);
}

} // namespace

extern "C" struct dce_ns3_sock *
dce_ns3_sock_create (uint32_t node, int family, int type, int protocol, int *err)
{
  Ptr<Node> n = FindNode (node);
  if (!n || !n->GetObject<Ipv4> () || (family == AF_INET6 && !n->GetObject<Ipv6> ()))
    {
      *err = -EAFNOSUPPORT;
      return nullptr;
    }
  auto *s = new dce_ns3_sock;
  s->family = family;
  s->type = type;
  s->protocol = protocol;
  Attach (s, NewNs3Socket (n, family, type, protocol));
  if (family == AF_INET && type == SOCK_DGRAM)
    g_udp4.push_back (s);
  return s;
}

extern "C" void
dce_ns3_sock_set_ctx (struct dce_ns3_sock *s, void *ctx)
{
  s->ctx = ctx;
}

extern "C" int
dce_ns3_sock_bind (struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t)
{
  Address a = ToNs3 (sa);
  if (s->sock->Bind (a) < 0)
    return Fail (s->sock);
  return 0;
}

namespace {

Ptr<Ipv4Route>
Route4 (dce_ns3_sock *s, Ptr<Packet> p, Ipv4Address dst)
{
  Ptr<Ipv4> ipv4 = s->sock->GetNode ()->GetObject<Ipv4> ();
  if (!ipv4 || !ipv4->GetRoutingProtocol ())
    return nullptr;
  Ipv4Header h;
  h.SetDestination (dst);
  h.SetProtocol (s->type == SOCK_RAW ? (uint8_t)s->protocol : 17);
  Socket::SocketErrno err;
  return ipv4->GetRoutingProtocol ()->RouteOutput (p, h, nullptr, err);
}

// Give a connected IPv4 UDP socket its own 4-tuple endpoint (see struct dce_ns3_sock).
int
ConnectUdp4 (dce_ns3_sock *s, const InetSocketAddress &peer)
{
  Ptr<Node> node = s->sock->GetNode ();
  Ptr<UdpL4Protocol> udp = node->GetObject<UdpL4Protocol> ();
  if (!udp)
    return -EAFNOSUPPORT;
  Ipv4Address la;
  uint16_t lp;
  if (s->ep)
    {
      la = s->epBoundAny ? Ipv4Address::GetAny () : s->epLocal; // a new peer: a new source
      lp = s->epLport;
      s->ep->SetDestroyCallback (MakeNullCallback<void> ());
      udp->DeAllocate (s->ep);
      s->ep = nullptr;
    }
  else
    {
      Address local;
      s->sock->GetSockName (local);
      auto port = [] (const Address &a) {
        if (InetSocketAddress::IsMatchingType (a))
          return InetSocketAddress::ConvertFrom (a).GetPort ();
        if (Inet6SocketAddress::IsMatchingType (a))
          return Inet6SocketAddress::ConvertFrom (a).GetPort ();
        return (uint16_t)0;
      };
      if (port (local) == 0)
        {
          if (s->sock->Bind () < 0) // an ephemeral IPv4 port
            return Fail (s->sock);
          s->sock->GetSockName (local);
        }
      if (Inet6SocketAddress::IsMatchingType (local))
        {
          // an IPv6 socket on :: (or a v4-mapped address) talking to an IPv4 peer
          Inet6SocketAddress l6 = Inet6SocketAddress::ConvertFrom (local);
          la = l6.GetIpv6 ().IsIpv4MappedAddress () ? l6.GetIpv6 ().GetIpv4MappedAddress () : Ipv4Address::GetAny ();
          lp = l6.GetPort ();
        }
      else if (!InetSocketAddress::IsMatchingType (local))
        return -EINVAL;
      else
        {
          la = InetSocketAddress::ConvertFrom (local).GetIpv4 ();
          lp = InetSocketAddress::ConvertFrom (local).GetPort ();
        }
      s->epBoundAny = la == Ipv4Address::GetAny ();
      // datagrams already queued stay readable, as on Linux
      Address from;
      while (Ptr<Packet> p = s->sock->RecvFrom (UINT32_MAX, 0, from))
        {
          s->rxqBytes += p->GetSize ();
          s->rxq.push_back ({p, from});
        }
      s->sock->Close (); // frees the 2-tuple endpoint
    }
  // The endpoint's local address is the route's source (Linux fixes it on connect),
  // so that a wildcard bind of the same port does not collide with it in ns-3.
  if (la == Ipv4Address::GetAny ())
    if (Ptr<Ipv4Route> r = Route4 (s, nullptr, peer.GetIpv4 ()))
      la = r->GetSource ();
  Ipv4EndPoint *ep = udp->Allocate (nullptr, la, lp, peer.GetIpv4 (), peer.GetPort ());
  if (!ep)
    return -EADDRINUSE;
  ep->SetRxCallback (MakeBoundCallback (&OnEpRx, s));
  ep->SetIcmpCallback (MakeBoundCallback (&OnIcmp4, s));
  ep->SetDestroyCallback (MakeBoundCallback (&OnEpDestroy, s));
  s->ep = ep;
  s->epLport = lp;
  s->epPeer = peer.GetIpv4 ();
  s->epPport = peer.GetPort ();
  s->epLocal = la;
  s->connected = true;
  return 0;
}

// A datagram from a socket with its own endpoint.
long
SendUdp4 (dce_ns3_sock *s, Ptr<Packet> p, Ipv4Address dst, uint16_t dport)
{
  Ptr<UdpL4Protocol> udp = s->sock->GetNode ()->GetObject<UdpL4Protocol> ();
  Ptr<Ipv4Route> route = Route4 (s, p, dst);
  if (!route || !udp)
    return -ENETUNREACH;
  Ipv4Address src = s->epBoundAny ? route->GetSource () : s->epLocal;
  if (uint8_t ttl = s->sock->GetIpTtl ())
    {
      SocketIpTtlTag tag;
      tag.SetTtl (ttl);
      p->AddPacketTag (tag);
    }
  if (uint8_t tos = s->sock->GetIpTos ())
    {
      SocketIpTosTag tag;
      tag.SetTos (tos);
      p->AddPacketTag (tag);
    }
  uint32_t n = p->GetSize ();
  s->lastDst = InetSocketAddress (dst, dport);
  udp->Send (p, src, dst, s->epLport, dport, route);
  return n;
}

} // namespace

extern "C" int
dce_ns3_sock_connect (struct dce_ns3_sock *s, const struct sockaddr *sa, socklen_t)
{
  if (s->type == SOCK_STREAM)
    {
      if (s->connected)
        return -EISCONN;
      if (s->connecting)
        return -EALREADY;
      if (s->listening || s->closed)
        return -EINVAL;
    }
  Address a = ToNs3 (sa);
  if (s->type == SOCK_DGRAM && (s->family == AF_INET || !s->v6only) && InetSocketAddress::IsMatchingType (a))
    {
      InetSocketAddress in = InetSocketAddress::ConvertFrom (a);
      Ipv4Address d = in.GetIpv4 ();
      if (!d.IsAny () && !d.IsBroadcast () && !d.IsMulticast () && in.GetPort () != 0)
        return ConnectUdp4 (s, in);
    }
  if (s->ep)
    return -EINVAL; // connected to a unicast peer: only another unicast peer
  if (s->sock->Connect (a) < 0)
    return Fail (s->sock);
  if (s->type == SOCK_STREAM)
    s->connecting = true;
  else
    s->connected = true;
  return 0;
}

extern "C" int
dce_ns3_sock_listen (struct dce_ns3_sock *s, int backlog)
{
  if (s->type != SOCK_STREAM)
    return -EOPNOTSUPP;
  s->backlog = backlog < 1 ? 1 : backlog > 4096 ? 4096 : backlog;
  if (s->listening)
    return 0;
  if (s->connected || s->connecting)
    return -EINVAL;
  Address local;
  s->sock->GetSockName (local);
  if (s->family == AF_INET6 && !s->v6only && Inet6SocketAddress::IsMatchingType (local))
    {
      Inet6SocketAddress l6 = Inet6SocketAddress::ConvertFrom (local);
      if (l6.GetIpv6 () == Ipv6Address::GetAny ())
        {
          // Linux's dual-stack listener: IPv4 clients reach an IPv6 socket on ::
          Ptr<Socket> s4 = NewNs3Socket (s->sock->GetNode (), AF_INET, SOCK_STREAM, 0);
          if (s4->Bind (InetSocketAddress (Ipv4Address::GetAny (), l6.GetPort ())) == 0)
            {
              Attach (s, s4);
              s->sock4 = s4;
              s4->Listen ();
            }
        }
    }
  if (s->sock->Listen () < 0)
    return Fail (s->sock);
  s->listening = true;
  return 0;
}

extern "C" struct dce_ns3_sock *
dce_ns3_sock_accept (struct dce_ns3_sock *s)
{
  if (s->acceptq.empty ())
    return nullptr;
  dce_ns3_sock *c = s->acceptq.front ();
  s->acceptq.pop_front ();
  return c;
}

extern "C" long
dce_ns3_sock_send (struct dce_ns3_sock *s, const void *buf, size_t len, const struct sockaddr *to,
                   socklen_t)
{
  Ptr<Packet> p = Create<Packet> ((const uint8_t *)buf, (uint32_t)len);
  int r;
  if (s->ep)
    {
      if (!to)
        return SendUdp4 (s, p, s->epPeer, s->epPport);
      Address a = ToNs3 (to);
      if (!InetSocketAddress::IsMatchingType (a))
        return -EAFNOSUPPORT;
      InetSocketAddress in = InetSocketAddress::ConvertFrom (a);
      return SendUdp4 (s, p, in.GetIpv4 (), in.GetPort ());
    }
  if (s->type != SOCK_STREAM)
    {
      // no route: Linux's ENETUNREACH at once (ns-3 only drops the packet)
      Address d;
      if (to)
        d = ToNs3 (to);
      else
        s->sock->GetPeerName (d);
      if (InetSocketAddress::IsMatchingType (d))
        {
          Ipv4Address dst = InetSocketAddress::ConvertFrom (d).GetIpv4 ();
          if (!dst.IsBroadcast () && !dst.IsMulticast () && !dst.IsAny () && !dst.IsLocalhost () &&
              !Route4 (s, p, dst))
            return -ENETUNREACH;
        }
      if (!d.IsInvalid ())
        s->lastDst = d;
    }
  if (to && s->type != SOCK_STREAM)
    r = s->sock->SendTo (p, 0, ToNs3 (to));
  else
    r = s->sock->Send (p, 0);
  if (r < 0)
    return Fail (s->sock);
  return r;
}

// ---- IPv4 multicast sending ----
//
// ns-3's own sockets cannot be trusted with a multicast destination: they ask the
// routing protocol with no output device, and Ipv4StaticRouting's LookupStatic
// then builds a route for a 224.0.0.x group from the address of "interface -1"
// (an assertion that Debian's optimised build compiles out): the simulator
// crashes. So dce picks the device the way Linux does and hands ns-3 a complete
// route, as ns-3 itself does for broadcasts.

namespace {

// The device with Linux ifindex `index` (1 = lo, then the others in ns-3 order,
// the numbering of dce_ns3_ifaces).
Ptr<NetDevice>
DeviceOfIfindex (Ptr<Node> n, int index)
{
  std::vector<Ptr<NetDevice>> devs;
  for (uint32_t i = 0; i < n->GetNDevices (); i++)
    if (DynamicCast<LoopbackNetDevice> (n->GetDevice (i)))
      devs.insert (devs.begin (), n->GetDevice (i));
    else
      devs.push_back (n->GetDevice (i));
  if (index < 1 || (size_t)index > devs.size ())
    return nullptr;
  return devs[index - 1];
}

// The routing table's device for dst: the longest matching prefix among the
// static and global routes (what `ip route get` would say), or null.
Ptr<NetDevice>
RouteDevice (Ptr<Ipv4> ipv4, Ipv4Address dst)
{
  std::vector<Ptr<Ipv4RoutingProtocol>> protos;
  Ptr<Ipv4RoutingProtocol> rp = ipv4->GetRoutingProtocol ();
  if (Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting> (rp))
    for (uint32_t i = 0; i < list->GetNRoutingProtocols (); i++)
      {
        int16_t prio;
        protos.push_back (list->GetRoutingProtocol (i, prio));
      }
  else if (rp)
    protos.push_back (rp);
  int best = -1;
  uint32_t iface = 0;
  auto consider = [&] (const Ipv4RoutingTableEntry &e) {
    Ipv4Mask m = e.GetDestNetworkMask ();
    int len = m.GetPrefixLength ();
    if (m.IsMatch (dst, e.GetDestNetwork ()) && len > best)
      {
        best = len;
        iface = e.GetInterface ();
      }
  };
  for (Ptr<Ipv4RoutingProtocol> p : protos)
    {
      if (Ptr<Ipv4StaticRouting> st = DynamicCast<Ipv4StaticRouting> (p))
        for (uint32_t i = 0; i < st->GetNRoutes (); i++)
          consider (st->GetRoute (i));
      if (Ptr<Ipv4GlobalRouting> gl = DynamicCast<Ipv4GlobalRouting> (p))
        for (uint32_t i = 0; i < gl->GetNRoutes (); i++)
          consider (*gl->GetRoute (i));
    }
  return best < 0 ? nullptr : ipv4->GetNetDevice (iface);
}

// ---- IPv4 multicast membership (IP_ADD_MEMBERSHIP ...), as Linux filters ----

int
IfindexOfDevice (Ptr<Node> n, Ptr<NetDevice> d)
{
  for (int i = 1; i <= (int)n->GetNDevices (); i++)
    if (DeviceOfIfindex (n, i) == d)
      return i;
  return 0;
}

bool
Joined (const dce_ns3_sock *s, Ipv4Address g, int ifindex)
{
  for (const auto &m : s->mcGroups)
    if (m.first == g && m.second == ifindex)
      return true;
  return false;
}

// Linux's ip_check_mc + ip_mc_sf_allow: a datagram to group g that came in on
// ifindex reaches socket s if some socket of its node joined g there (224.0.0.1:
// always) and, without IP_MULTICAST_ALL, s itself did.
bool
McastAllowed (dce_ns3_sock *s, Ipv4Address g, int ifindex)
{
  if (!g.IsMulticast () || g == Ipv4Address ("224.0.0.1"))
    return true;
  if (!s->mcAll)
    return Joined (s, g, ifindex);
  uint32_t node = s->sock->GetNode ()->GetId ();
  for (dce_ns3_sock *o : g_udp4)
    if (o->sock && o->sock->GetNode ()->GetId () == node && Joined (o, g, ifindex))
      return true;
  return false;
}

// Move what ns-3 queued for s into s->rxq, leaving out the groups it may not see.
void
McastPull (dce_ns3_sock *s)
{
  if (!s->sock)
    return;
  Ptr<Node> n = s->sock->GetNode ();
  Address from;
  while (Ptr<Packet> p = s->sock->RecvFrom (UINT32_MAX, 0, from))
    {
      Ipv4PacketInfoTag pi;
      if (p->PeekPacketTag (pi) && pi.GetAddress ().IsMulticast ())
        {
          int ifindex = pi.GetRecvIf () < n->GetNDevices () ? IfindexOfDevice (n, n->GetDevice (pi.GetRecvIf ())) : 0;
          if (!McastAllowed (s, pi.GetAddress (), ifindex))
            continue;
        }
      s->rxqBytes += p->GetSize ();
      s->rxq.push_back ({p, from});
    }
}

// IP_MULTICAST_LOOP: what a socket of this node sends to a group is delivered to the
// node's sockets on that port too, as received on the sending device.
void
McastLoop (Ptr<Node> node, Ptr<NetDevice> dev, Ipv4Address src, uint16_t sport, Ipv4Address dst,
           uint16_t dport, const uint8_t *buf, size_t len, int ttl)
{
  int ifindex = IfindexOfDevice (node, dev);
  for (dce_ns3_sock *o : g_udp4)
    {
      if (!o->sock || !o->ctx || o->ep || o->sock->GetNode () != node)
        continue;
      Address local;
      o->sock->GetSockName (local);
      InetSocketAddress la = InetSocketAddress::ConvertFrom (local);
      if (la.GetPort () != dport || !(la.GetIpv4 ().IsAny () || la.GetIpv4 () == dst))
        continue;
      if (!McastAllowed (o, dst, ifindex))
        continue;
      UintegerValue rcvbuf;
      o->sock->GetAttribute ("RcvBufSize", rcvbuf);
      if (o->rxqBytes + len > rcvbuf.Get ())
        continue;
      Ptr<Packet> c = Create<Packet> (buf, (uint32_t)len);
      SocketIpTtlTag t;
      t.SetTtl ((uint8_t)ttl);
      c->AddPacketTag (t);
      Ipv4PacketInfoTag pi;
      pi.SetAddress (dst);
      pi.SetTtl ((uint8_t)ttl);
      pi.SetRecvIf (dev->GetIfIndex ());
      c->AddPacketTag (pi);
      o->rxq.push_back ({c, InetSocketAddress (src, sport)});
      o->rxqBytes += len;
      Notify (o);
    }
}

} // namespace

extern "C" int
dce_ns3_sock_mcast (struct dce_ns3_sock *s, int join, uint32_t group_be, uint32_t ifaddr_be, int ifindex)
{
  if (s->family != AF_INET || s->type == SOCK_STREAM)
    return -EPROTO;
  Ipv4Address g (ntohl (group_be));
  if (!g.IsMulticast ())
    return -EINVAL;
  Ptr<Node> node = s->sock->GetNode ();
  Ptr<Ipv4> ipv4 = node->GetObject<Ipv4> ();
  Ptr<NetDevice> dev;
  if (ifindex)
    dev = DeviceOfIfindex (node, ifindex);
  else if (ifaddr_be)
    {
      int32_t k = ipv4->GetInterfaceForAddress (Ipv4Address (ntohl (ifaddr_be)));
      if (k >= 0)
        dev = ipv4->GetNetDevice (k);
    }
  else
    dev = RouteDevice (ipv4, g); // Linux: the route to the group picks the device
  if (!dev)
    return join ? -ENODEV : -EADDRNOTAVAIL;
  int k = IfindexOfDevice (node, dev);
  for (auto it = s->mcGroups.begin (); it != s->mcGroups.end (); ++it)
    if (it->first == g && it->second == k)
      {
        if (join)
          return -EADDRINUSE;
        s->mcGroups.erase (it);
        return 0;
      }
  if (!join)
    return -EADDRNOTAVAIL;
  if (s->mcGroups.size () >= 20) // net.ipv4.igmp_max_memberships
    return -ENOBUFS;
  s->mcGroups.push_back ({g, k});
  return 0;
}

extern "C" void
dce_ns3_sock_mcast_flags (struct dce_ns3_sock *s, int loop, int all)
{
  s->mcLoop = loop != 0;
  s->mcAll = all != 0;
}

extern "C" long
dce_ns3_sock_send_multicast (struct dce_ns3_sock *s, const void *buf, size_t len,
                             const struct sockaddr_in *to, int ifindex, uint32_t src_be, int ttl)
{
  if (s->family != AF_INET || s->type == SOCK_STREAM)
    return -EINVAL;
  Ptr<Node> node = s->sock->GetNode ();
  Ptr<Ipv4> ipv4 = node->GetObject<Ipv4> ();
  Ipv4Address dst (ntohl (to->sin_addr.s_addr));
  Ipv4Address src (ntohl (src_be));
  Ptr<NetDevice> dev;
  if (ifindex)
    {
      dev = DeviceOfIfindex (node, ifindex);
      if (!dev)
        return -ENODEV;
    }
  else if (src_be)
    {
      // a source address picks its interface (Linux: -EINVAL if it is not local)
      int32_t k = ipv4->GetInterfaceForAddress (src);
      if (k < 0)
        return -EINVAL;
      dev = ipv4->GetNetDevice (k);
    }
  else if (!(dev = RouteDevice (ipv4, dst)))
    return -ENETUNREACH;
  int32_t k = ipv4->GetInterfaceForDevice (dev);
  if (k < 0 || ipv4->GetNAddresses (k) == 0 || !ipv4->IsUp (k))
    return -ENETUNREACH;
  if (!src_be)
    src = ipv4->SourceAddressSelection (k, dst);
  Ptr<Ipv4Route> route = Create<Ipv4Route> ();
  route->SetSource (src);
  route->SetDestination (dst);
  route->SetGateway (Ipv4Address::GetZero ());
  route->SetOutputDevice (dev);
  Ptr<Packet> p = Create<Packet> ((const uint8_t *)buf, (uint32_t)len);
  SocketIpTtlTag ttlTag;
  ttlTag.SetTtl ((uint8_t)ttl);
  p->AddPacketTag (ttlTag);
  if (uint8_t tos = s->sock->GetIpTos ())
    {
      SocketIpTosTag tosTag;
      tosTag.SetTos (tos);
      p->AddPacketTag (tosTag);
    }
  if (s->type == SOCK_RAW)
    {
      ipv4->Send (p, src, dst, (uint8_t)s->protocol, route);
      return (long)len;
    }
  Ptr<UdpL4Protocol> udp = node->GetObject<UdpL4Protocol> ();
  if (!udp)
    return -EAFNOSUPPORT;
  if (s->ep)
    {
      udp->Send (p, src, dst, s->epLport, ntohs (to->sin_port), route);
      return (long)len;
    }
  Address local;
  s->sock->GetSockName (local);
  if (InetSocketAddress::ConvertFrom (local).GetPort () == 0)
    {
      if (s->sock->Bind () < 0) // an ephemeral port, as the first sendto does
        return Fail (s->sock);
      s->sock->GetSockName (local);
    }
  uint16_t sport = InetSocketAddress::ConvertFrom (local).GetPort ();
  udp->Send (p, src, dst, sport, ntohs (to->sin_port), route);
  if (s->mcLoop)
    McastLoop (node, dev, src, sport, dst, ntohs (to->sin_port), (const uint8_t *)buf, len, ttl);
  return (long)len;
}

// Fill the stash: stream sockets take up to `want` more bytes, others one datagram.
static void
Fill (dce_ns3_sock *s, size_t want)
{
  if (s->type == SOCK_STREAM)
    {
      size_t have = s->stash ? s->stash->GetSize () : 0;
      if (have >= want)
        return;
      Ptr<Packet> p = s->sock->Recv ((uint32_t)std::min<size_t> (want - have, UINT32_MAX), 0);
      if (!p || p->GetSize () == 0)
        return;
      s->bytesReceived += p->GetSize ();
      if (s->stash)
        s->stash->AddAtEnd (p);
      else
        s->stash = p;
      return;
    }
  if (s->stash)
    return;
  if (s->ep || !s->rxq.empty ())
    {
      if (!s->rxq.empty ())
        {
          s->stash = s->rxq.front ().first;
          s->stashFrom = s->rxq.front ().second;
          s->rxqBytes -= s->stash->GetSize ();
          s->rxq.pop_front ();
          s->stashHopLimit = -1;
        }
      return;
    }
  for (Ptr<Socket> sock : {s->sock, s->sock4})
    {
      if (!sock)
        continue;
      Address from;
      Ptr<Packet> p = sock->RecvFrom (UINT32_MAX, 0, from);
      if (p)
        {
          s->stashHopLimit = -1;
          if (s->type == SOCK_RAW && s->family == AF_INET6)
            {
              // Linux gives IPv6 raw sockets the payload only; ns-3 adds the header
              Ipv6Header h;
              p->RemoveHeader (h);
              s->stashHopLimit = h.GetHopLimit ();
            }
          s->stash = p;
          s->stashFrom = from;
          return;
        }
    }
}

extern "C" long
dce_ns3_sock_recv (struct dce_ns3_sock *s, void *buf, size_t len, int peek,
                   struct sockaddr_storage *from, socklen_t *fromlen, struct dce_ns3_rxinfo *info)
{
  Fill (s, len);
  if (!s->stash)
    return -EAGAIN;
  uint32_t size = s->stash->GetSize ();
  size_t n = std::min<size_t> (len, size);
  s->stash->CopyData ((uint8_t *)buf, (uint32_t)n);
  if (info)
    {
      info->full_len = size;
      info->ttl = info->tos = -1;
      SocketIpTtlTag ttl;
      SocketIpv6HopLimitTag hl;
      SocketIpTosTag tos;
      if (s->stash->PeekPacketTag (ttl))
        info->ttl = ttl.GetTtl ();
      else if (s->stash->PeekPacketTag (hl))
        info->ttl = hl.GetHopLimit ();
      if (s->stash->PeekPacketTag (tos))
        info->tos = tos.GetTos ();
      if (s->stashHopLimit >= 0)
        info->ttl = s->stashHopLimit;
      info->pi_ifindex = 0;
      info->pi_dst = 0;
      Ipv4PacketInfoTag pi;
      if (s->stash->PeekPacketTag (pi))
        {
          info->pi_dst = htonl (pi.GetAddress ().Get ());
          Ptr<Node> n = s->sock->GetNode ();
          if (pi.GetRecvIf () < n->GetNDevices ())
            for (int i = 1; i <= (int)n->GetNDevices (); i++)
              if (DeviceOfIfindex (n, i) == n->GetDevice (pi.GetRecvIf ()))
                info->pi_ifindex = i;
        }
    }
  if (from && fromlen)
    {
      if (s->type == SOCK_STREAM)
        {
          Address peer;
          s->sock->GetPeerName (peer);
          FromNs3 (peer, s->family, from, fromlen);
        }
      else
        FromNs3 (s->stashFrom, s->family, from, fromlen);
    }
  if (!peek)
    {
      if (s->type == SOCK_STREAM && n < size)
        s->stash->RemoveAtStart ((uint32_t)n);
      else
        s->stash = nullptr;
    }
  return (long)n;
}

extern "C" void
dce_ns3_sock_status (struct dce_ns3_sock *s, struct dce_ns3_status *st)
{
  memset (st, 0, sizeof *st);
  if (s->type != SOCK_STREAM)
    Fill (s, 0);
  size_t stash = s->stash ? s->stash->GetSize () : 0;
  st->rx_avail = s->sock->GetRxAvailable () + stash + (s->sock4 ? s->sock4->GetRxAvailable () : 0) + s->rxqBytes;
  st->errq = (int)s->errq.size ();
  st->rx_next = s->type == SOCK_STREAM ? st->rx_avail : stash;
  st->tx_avail = s->sock->GetTxAvailable ();
  st->tx_size = st->tx_avail;
  if (s->type == SOCK_STREAM)
    {
      if (!s->sndbuf)
        {
          UintegerValue v;
          s->sock->GetAttribute ("SndBufSize", v);
          s->sndbuf = (uint32_t)v.Get ();
        }
      st->tx_size = s->sndbuf;
    }
  st->accept_ready = (int)s->acceptq.size ();
  st->listening = s->listening;
  st->connecting = s->connecting;
  st->connected = s->connected;
  st->peer_closed = s->peerClosed;
  st->closed = s->closed;
  st->error = s->error;
}

extern "C" int
dce_ns3_sock_recverr (struct dce_ns3_sock *s, struct dce_ns3_sockerr *e)
{
  if (s->errq.empty ())
    return -EAGAIN;
  *e = s->errq.front ();
  s->errq.pop_front ();
  // Linux: sk_err becomes the next queued error's, or none
  s->error = s->errq.empty () ? 0 : s->errq.front ().ee_errno;
  return 0;
}

extern "C" int
dce_ns3_sock_take_error (struct dce_ns3_sock *s)
{
  int e = s->error;
  s->error = 0;
  return e;
}

extern "C" int
dce_ns3_sock_name (struct dce_ns3_sock *s, int peer, struct sockaddr_storage *sa, socklen_t *len)
{
  Address a;
  if (s->ep)
    {
      a = peer ? InetSocketAddress (s->epPeer, s->epPport) : InetSocketAddress (s->epLocal, s->epLport);
      FromNs3 (a, s->family, sa, len);
      return 0;
    }
  if (peer)
    {
      if (s->type == SOCK_STREAM && !s->connected)
        return -ENOTCONN;
      if (s->sock->GetPeerName (a) < 0)
        return -ENOTCONN;
      FromNs3 (a, s->family, sa, len);
      return 0;
    }
  if (s->sock->GetSockName (a) < 0)
    {
      // unbound: the family's any address, port 0
      if (s->family == AF_INET)
        a = InetSocketAddress (Ipv4Address::GetAny (), 0);
      else
        a = Inet6SocketAddress (Ipv6Address::GetAny (), 0);
    }
  // A socket bound to any address but connected: the source the route chooses.
  Address p;
  if (InetSocketAddress::IsMatchingType (a) &&
      InetSocketAddress::ConvertFrom (a).GetIpv4 () == Ipv4Address::GetAny () &&
      s->sock->GetPeerName (p) == 0 && InetSocketAddress::IsMatchingType (p))
    {
      Ptr<Ipv4> ipv4 = s->sock->GetNode ()->GetObject<Ipv4> ();
      Ipv4Header h;
      h.SetDestination (InetSocketAddress::ConvertFrom (p).GetIpv4 ());
      Socket::SocketErrno err;
      Ptr<Ipv4Route> r = ipv4->GetRoutingProtocol ()->RouteOutput (nullptr, h, nullptr, err);
      if (r)
        a = InetSocketAddress (r->GetSource (), InetSocketAddress::ConvertFrom (a).GetPort ());
    }
  FromNs3 (a, s->family, sa, len);
  return 0;
}

extern "C" int
dce_ns3_sock_shutdown (struct dce_ns3_sock *s, int how)
{
  if (s->type == SOCK_STREAM && !s->connected && !s->listening)
    return -ENOTCONN;
  if (how == SHUT_RD || how == SHUT_RDWR)
    s->sock->ShutdownRecv ();
  if (how == SHUT_WR || how == SHUT_RDWR)
    s->sock->ShutdownSend ();
  return 0;
}

// The dce_ns3_sock stays allocated (a few hundred bytes): ns-3 keeps a closing TCP
// socket alive and its trace sources may still fire into it; only the context is
// forgotten, so no event reaches the C side any more.
extern "C" void
dce_ns3_sock_close (struct dce_ns3_sock *s)
{
  for (dce_ns3_sock *c : s->acceptq)
    dce_ns3_sock_close (c);
  s->acceptq.clear ();
  s->ctx = nullptr;
  s->stash = nullptr;
  s->rxq.clear ();
  s->rxqBytes = 0;
  s->errq.clear ();
  s->mcGroups.clear ();
  for (auto it = g_udp4.begin (); it != g_udp4.end (); ++it)
    if (*it == s)
      {
        g_udp4.erase (it);
        break;
      }
  if (s->ep)
    {
      s->ep->SetDestroyCallback (MakeNullCallback<void> ());
      if (Ptr<UdpL4Protocol> udp = s->sock->GetNode ()->GetObject<UdpL4Protocol> ())
        udp->DeAllocate (s->ep);
      s->ep = nullptr;
    }
  for (Ptr<Socket> sock : {s->sock, s->sock4})
    {
      if (!sock)
        continue;
      Detach (sock);
      if (s->type == SOCK_STREAM)
        sock->SetRecvCallback (MakeCallback (&OrphanRecv));
      sock->Close ();
    }
  s->sock = nullptr;
  s->sock4 = nullptr;
}

extern "C" int
dce_ns3_sock_setopt (struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t v)
{
  bool tcp = s->type == SOCK_STREAM;
  switch (opt)
    {
    case DCE_NS3_SNDBUF:
      if (tcp)
        s->sock->SetAttribute ("SndBufSize", UintegerValue (v));
      s->sndbuf = 0; // read again at the next status query
      return 0;
    case DCE_NS3_RCVBUF:
      if (tcp)
        s->sock->SetAttribute ("RcvBufSize", UintegerValue (v));
      else if (s->type == SOCK_DGRAM)
        s->sock->SetAttribute ("RcvBufSize", UintegerValue (v));
      return 0;
    case DCE_NS3_NODELAY:
      if (tcp)
        s->sock->SetAttribute ("TcpNoDelay", BooleanValue (v != 0));
      return 0;
    case DCE_NS3_MAXSEG:
      if (tcp && v >= 88)
        s->sock->SetAttribute ("SegmentSize", UintegerValue (v));
      return 0;
    case DCE_NS3_TTL:
      s->sock->SetIpTtl ((uint8_t)v);
      return 0;
    case DCE_NS3_HOPLIMIT:
      s->sock->SetIpv6HopLimit ((uint8_t)v);
      return 0;
    case DCE_NS3_TOS:
      s->sock->SetIpTos ((uint8_t)v);
      return 0;
    case DCE_NS3_BROADCAST:
      s->sock->SetAllowBroadcast (v != 0);
      return 0;
    case DCE_NS3_ICMP_FILTER:
      if (s->type == SOCK_RAW && s->family == AF_INET)
        s->sock->SetAttribute ("IcmpFilter", UintegerValue (v));
      return 0;
    case DCE_NS3_KEEPALIVE:
      s->keepalive = v;
      return 0;
    case DCE_NS3_V6ONLY:
      s->v6only = v != 0;
      return 0;
    case DCE_NS3_RECVERR:
      s->recverr = v != 0;
      if (!s->recverr)
        s->errq.clear ();
      return 0;
    case DCE_NS3_HDRINCL:
      if (s->type == SOCK_RAW && s->family == AF_INET)
        s->sock->SetAttribute ("IpHeaderInclude", BooleanValue (v != 0));
      return 0;
    }
  return -ENOPROTOOPT;
}

extern "C" int
dce_ns3_sock_getopt (struct dce_ns3_sock *s, enum dce_ns3_opt opt, uint32_t *v)
{
  bool tcp = s->type == SOCK_STREAM;
  UintegerValue u;
  BooleanValue b;
  switch (opt)
    {
    case DCE_NS3_SNDBUF:
      if (tcp)
        {
          s->sock->GetAttribute ("SndBufSize", u);
          *v = (uint32_t)u.Get ();
        }
      else
        *v = 212992;
      return 0;
    case DCE_NS3_RCVBUF:
      if (s->type != SOCK_RAW)
        {
          s->sock->GetAttribute ("RcvBufSize", u);
          *v = (uint32_t)u.Get ();
        }
      else
        *v = 212992;
      return 0;
    case DCE_NS3_NODELAY:
      *v = 0;
      if (tcp)
        {
          s->sock->GetAttribute ("TcpNoDelay", b);
          *v = b.Get ();
        }
      return 0;
    case DCE_NS3_MAXSEG:
      *v = 536;
      if (tcp)
        {
          s->sock->GetAttribute ("SegmentSize", u);
          *v = (uint32_t)u.Get ();
        }
      return 0;
    case DCE_NS3_TTL:
      *v = s->sock->GetIpTtl () ? s->sock->GetIpTtl () : 64;
      return 0;
    case DCE_NS3_HOPLIMIT:
      *v = s->sock->GetIpv6HopLimit () ? s->sock->GetIpv6HopLimit () : 64;
      return 0;
    case DCE_NS3_TOS:
      *v = s->sock->GetIpTos ();
      return 0;
    case DCE_NS3_BROADCAST:
      *v = s->sock->GetAllowBroadcast ();
      return 0;
    case DCE_NS3_ICMP_FILTER:
      *v = 0;
      if (s->type == SOCK_RAW && s->family == AF_INET)
        {
          s->sock->GetAttribute ("IcmpFilter", u);
          *v = (uint32_t)u.Get ();
        }
      return 0;
    case DCE_NS3_KEEPALIVE:
      *v = s->keepalive;
      return 0;
    case DCE_NS3_V6ONLY:
      *v = s->v6only;
      return 0;
    case DCE_NS3_RECVERR:
      *v = s->recverr;
      return 0;
    case DCE_NS3_HDRINCL:
      *v = 0;
      if (s->type == SOCK_RAW && s->family == AF_INET)
        {
          s->sock->GetAttribute ("IpHeaderInclude", b);
          *v = b.Get ();
        }
      return 0;
    }
  return -ENOPROTOOPT;
}

extern "C" int
dce_ns3_sock_tcpinfo (struct dce_ns3_sock *s, struct dce_ns3_tcpinfo *ti)
{
  memset (ti, 0, sizeof *ti);
  if (s->type != SOCK_STREAM)
    return -EOPNOTSUPP;
  UintegerValue seg;
  s->sock->GetAttribute ("SegmentSize", seg);
  ti->state = s->listening ? 10 : s->tcpState ? s->tcpState : 7;
  ti->mss = (uint32_t)seg.Get ();
  ti->cwnd_bytes = s->cwnd;
  ti->ssthresh_bytes = s->ssthresh;
  ti->rtt_us = (uint32_t)s->rttUs;
  ti->rttvar_us = (uint32_t)(s->rttUs / 2);
  ti->rto_us = (uint32_t)s->rtoUs;
  ti->bytes_received = s->bytesReceived;
  return 0;
}

// ---- AF_PACKET ----
//
// A PacketSocket-like tap: a promiscuous protocol handler on the node's devices
// gets every frame the devices receive (without its link header, which is rebuilt
// for SOCK_RAW as an Ethernet header); sends go straight to NetDevice::Send.

struct dce_ns3_pkt
{
  Ptr<Node> node;
  void *ctx = nullptr;
  bool cooked = false;
  bool registered = false;
  Node::ProtocolHandler handler;
  struct Frame
  {
    std::vector<uint8_t> bytes;
    dce_ns3_pktinfo info;
  };
  std::deque<Frame> q;
  size_t qBytes = 0;
};

namespace {

void
OnPktRx (dce_ns3_pkt *p, Ptr<NetDevice> dev, Ptr<const Packet> pkt, uint16_t proto, const Address &from,
         const Address &to, NetDevice::PacketType type)
{
  if (!p->ctx)
    return;
  dce_ns3_pkt::Frame f;
  memset (&f.info, 0, sizeof f.info);
  size_t hl = p->cooked ? 0 : 14;
  f.bytes.resize (hl + pkt->GetSize ());
  pkt->CopyData (f.bytes.data () + hl, pkt->GetSize ());
  uint8_t src[6] = {0}, dst[6] = {0};
  if (Mac48Address::IsMatchingType (from))
    Mac48Address::ConvertFrom (from).CopyTo (src);
  if (Mac48Address::IsMatchingType (to))
    Mac48Address::ConvertFrom (to).CopyTo (dst);
  else if (Mac48Address::IsMatchingType (dev->GetAddress ()))
    Mac48Address::ConvertFrom (dev->GetAddress ()).CopyTo (dst);
  if (!p->cooked)
    {
      memcpy (f.bytes.data (), dst, 6);
      memcpy (f.bytes.data () + 6, src, 6);
      f.bytes[12] = proto >> 8;
      f.bytes[13] = proto & 0xff;
    }
  uint32_t keep = dce_ns3_pkt_filter (p->ctx, f.bytes.data (), f.bytes.size ());
  if (keep == 0)
    return;
  f.info.full_len = f.bytes.size ();
  if (keep < f.bytes.size ())
    f.bytes.resize (keep);
  if (p->qBytes + f.bytes.size () > 212992)
    return; // past SO_RCVBUF's default: dropped, as Linux
  f.info.ifindex = IfindexOfDevice (p->node, dev);
  f.info.proto = proto;
  // ns-3's PACKET_HOST.. are Linux's PACKET_HOST.. plus one
  f.info.pkttype = type == NetDevice::PACKET_HOST ? 0 : type == NetDevice::PACKET_BROADCAST ? 1
                   : type == NetDevice::PACKET_MULTICAST ? 2 : 3;
  f.info.halen = 6;
  memcpy (f.info.addr, src, 6);
  p->qBytes += f.bytes.size ();
  p->q.push_back (std::move (f));
  dce_ns3_sock_event (p->ctx);
}

} // namespace

extern "C" struct dce_ns3_pkt *
dce_ns3_pkt_create (uint32_t node, void *ctx, int cooked)
{
  Ptr<Node> n = FindNode (node);
  if (!n)
    return nullptr;
  auto *p = new dce_ns3_pkt;
  p->node = n;
  p->ctx = ctx;
  p->cooked = cooked != 0;
  return p;
}

extern "C" int
dce_ns3_pkt_bind (struct dce_ns3_pkt *p, int ifindex, uint16_t proto)
{
  Ptr<NetDevice> dev;
  if (ifindex && !(dev = DeviceOfIfindex (p->node, ifindex)))
    return -ENODEV;
  if (p->registered)
    {
      p->node->UnregisterProtocolHandler (p->handler);
      p->registered = false;
    }
  if (proto == 0)
    return 0; // receives nothing, as Linux with protocol 0
  p->handler = MakeBoundCallback (&OnPktRx, p);
  p->node->RegisterProtocolHandler (p->handler, proto == 0x0003 ? 0 : proto, dev, true);
  p->registered = true;
  return 0;
}

extern "C" size_t
dce_ns3_pkt_next (struct dce_ns3_pkt *p, size_t *total)
{
  if (total)
    *total = p->qBytes;
  return p->q.empty () ? 0 : p->q.front ().bytes.size ();
}

extern "C" long
dce_ns3_pkt_recv (struct dce_ns3_pkt *p, void *buf, size_t len, int peek, struct dce_ns3_pktinfo *info)
{
  if (p->q.empty ())
    return -EAGAIN;
  dce_ns3_pkt::Frame &f = p->q.front ();
  size_t n = std::min (len, f.bytes.size ());
  memcpy (buf, f.bytes.data (), n);
  *info = f.info;
  if (!peek)
    {
      p->qBytes -= f.bytes.size ();
      p->q.pop_front ();
    }
  return (long)n;
}

extern "C" long
dce_ns3_pkt_send (struct dce_ns3_pkt *p, int ifindex, uint16_t proto, const uint8_t *dst, int halen,
                  const void *buf, size_t len)
{
  Ptr<NetDevice> dev = DeviceOfIfindex (p->node, ifindex);
  if (!dev)
    return -ENXIO;
  const uint8_t *data = (const uint8_t *)buf;
  uint8_t mac[6] = {0};
  if (!p->cooked)
    {
      if (len < 14)
        return -EINVAL;
      memcpy (mac, data, 6);
      proto = (uint16_t)(data[12] << 8 | data[13]);
      data += 14;
      len -= 14;
    }
  else if (halen >= 6)
    memcpy (mac, dst, 6);
  if (len > dev->GetMtu ())
    return -EMSGSIZE;
  if (!dev->IsLinkUp ())
    return -ENETDOWN;
  Mac48Address to;
  to.CopyFrom (mac);
  Ptr<Packet> pkt = Create<Packet> (data, (uint32_t)len);
  if (!dev->Send (pkt, to, proto))
    return -ENOBUFS;
  return (long)(p->cooked ? len : len + 14);
}

extern "C" void
dce_ns3_pkt_close (struct dce_ns3_pkt *p)
{
  if (p->registered)
    p->node->UnregisterProtocolHandler (p->handler);
  p->registered = false;
  p->ctx = nullptr;
  p->q.clear ();
  delete p;
}

// ---- interfaces and routes ----

extern "C" int
dce_ns3_ifaces (uint32_t node, struct dce_ns3_iface *out, int max)
{
  Ptr<Node> n = FindNode (node);
  if (!n)
    return 0;
  Ptr<Ipv4> ipv4 = n->GetObject<Ipv4> ();
  Ptr<Ipv6> ipv6 = n->GetObject<Ipv6> ();
  // the loopback first (index 1, "lo"), then the other devices in order
  std::vector<Ptr<NetDevice>> devs;
  for (uint32_t i = 0; i < n->GetNDevices (); i++)
    if (DynamicCast<LoopbackNetDevice> (n->GetDevice (i)))
      devs.insert (devs.begin (), n->GetDevice (i));
    else
      devs.push_back (n->GetDevice (i));
  int count = 0, eth = 0;
  for (Ptr<NetDevice> d : devs)
    {
      bool lo = DynamicCast<LoopbackNetDevice> (d) != nullptr;
      if (count >= max)
        {
          count++;
          continue;
        }
      struct dce_ns3_iface *f = &out[count];
      memset (f, 0, sizeof *f);
      f->index = count + 1;
      if (lo)
        snprintf (f->name, sizeof f->name, "lo");
      else
        snprintf (f->name, sizeof f->name, "eth%d", eth++);
      f->mtu = d->GetMtu ();
      bool up = d->IsLinkUp () || lo;
      f->flags = (up ? IFF_UP | IFF_RUNNING | IFF_LOWER_UP : IFF_UP);
      if (lo)
        {
          f->flags |= IFF_LOOPBACK;
          f->arptype = ARPHRD_LOOPBACK;
        }
      else if (DynamicCast<PointToPointNetDevice> (d))
        {
          f->flags |= IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
          f->arptype = ARPHRD_ETHER;
        }
      else
        {
          f->flags |= IFF_BROADCAST | IFF_MULTICAST;
          f->arptype = ARPHRD_ETHER;
        }
      Address mac = d->GetAddress ();
      if (Mac48Address::IsMatchingType (mac))
        {
          Mac48Address::ConvertFrom (mac).CopyTo (f->mac);
          f->maclen = 6;
        }
      if (ipv4)
        {
          int32_t k = ipv4->GetInterfaceForDevice (d);
          for (uint32_t j = 0; k >= 0 && j < ipv4->GetNAddresses (k) && f->n4 < DCE_NS3_MAX_ADDRS; j++)
            {
              Ipv4InterfaceAddress ia = ipv4->GetAddress (k, j);
              f->a4[f->n4].addr = htonl (ia.GetLocal ().Get ());
              f->a4[f->n4].mask = htonl (ia.GetMask ().Get ());
              f->a4[f->n4].bcast = htonl (ia.GetBroadcast ().Get ());
              f->n4++;
            }
        }
      if (ipv6)
        {
          int32_t k = ipv6->GetInterfaceForDevice (d);
          for (uint32_t j = 0; k >= 0 && j < ipv6->GetNAddresses (k) && f->n6 < DCE_NS3_MAX_ADDRS; j++)
            {
              Ipv6InterfaceAddress ia = ipv6->GetAddress (k, j);
              ia.GetAddress ().GetBytes (f->a6[f->n6].addr);
              f->a6[f->n6].plen = ia.GetPrefix ().GetPrefixLength ();
              Ipv6InterfaceAddress::Scope_e sc = ia.GetScope ();
              f->a6[f->n6].scope = sc == Ipv6InterfaceAddress::HOST ? RT_SCOPE_HOST
                                   : sc == Ipv6InterfaceAddress::LINKLOCAL ? RT_SCOPE_LINK
                                                                          : RT_SCOPE_UNIVERSE;
              f->n6++;
            }
        }
      count++;
    }
  return count;
}

static void
AddRoute4 (struct dce_ns3_route *out, int max, int &n, const Ipv4RoutingTableEntry &e, Ptr<Ipv4> ipv4,
           struct dce_ns3_iface *ifs, int nifs)
{
  if (n >= max)
    {
      n++;
      return;
    }
  struct dce_ns3_route *r = &out[n];
  memset (r, 0, sizeof *r);
  r->family = AF_INET;
  uint32_t d = htonl (e.GetDest ().Get ()), g = htonl (e.GetGateway ().Get ());
  memcpy (r->dst, &d, 4);
  memcpy (r->gw, &g, 4);
  r->plen = e.GetDestNetworkMask ().GetPrefixLength ();
  Ptr<NetDevice> dev = ipv4->GetNetDevice (e.GetInterface ());
  r->ifindex = 0;
  // ifindex: match the interface's first address against the enumerated ones
  if (ipv4->GetNAddresses (e.GetInterface ()) > 0)
    {
      uint32_t a = htonl (ipv4->GetAddress (e.GetInterface (), 0).GetLocal ().Get ());
      for (int i = 0; i < nifs; i++)
        for (int j = 0; j < ifs[i].n4; j++)
          if (ifs[i].a4[j].addr == a)
            r->ifindex = ifs[i].index;
    }
  (void)dev;
  n++;
}

extern "C" int
dce_ns3_routes (uint32_t node, int family, struct dce_ns3_route *out, int max)
{
  Ptr<Node> nd = FindNode (node);
  if (!nd || family != AF_INET)
    return 0;
  Ptr<Ipv4> ipv4 = nd->GetObject<Ipv4> ();
  if (!ipv4)
    return 0;
  struct dce_ns3_iface ifs[16];
  int nifs = std::min (dce_ns3_ifaces (node, ifs, 16), 16);
  int n = 0;
  Ptr<Ipv4RoutingProtocol> rp = ipv4->GetRoutingProtocol ();
  std::vector<Ptr<Ipv4RoutingProtocol>> protos;
  if (Ptr<Ipv4ListRouting> list = DynamicCast<Ipv4ListRouting> (rp))
    {
      for (uint32_t i = 0; i < list->GetNRoutingProtocols (); i++)
        {
          int16_t prio;
          protos.push_back (list->GetRoutingProtocol (i, prio));
        }
    }
  else
    protos.push_back (rp);
  for (Ptr<Ipv4RoutingProtocol> p : protos)
    {
      if (Ptr<Ipv4StaticRouting> st = DynamicCast<Ipv4StaticRouting> (p))
        for (uint32_t i = 0; i < st->GetNRoutes (); i++)
          AddRoute4 (out, max, n, st->GetRoute (i), ipv4, ifs, nifs);
      if (Ptr<Ipv4GlobalRouting> gl = DynamicCast<Ipv4GlobalRouting> (p))
        for (uint32_t i = 0; i < gl->GetNRoutes (); i++)
          AddRoute4 (out, max, n, *gl->GetRoute (i), ipv4, ifs, nifs);
    }
  return n;
}
