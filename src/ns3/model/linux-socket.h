// linux-socket.h - ns-3 sockets served by a Linux-stack node's kernel, so that ns-3's
// own applications (BulkSend, OnOff, PacketSink, UdpEcho, Ping ...) run on nodes
// whose network stack is the Linux kernel library (ns-3-dce called this "DCE Cradle").
#ifndef DCE_LINUX_SOCKET_H
#define DCE_LINUX_SOCKET_H

#include "ns3/socket-factory.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <sys/socket.h>

namespace ns3 {

/**
 * An ns3::Socket whose every call is the node's kernel's: a non-blocking kernel
 * socket of the family, type and protocol its factory gives (the family of the first
 * Bind/Connect address when the factory leaves it open), readiness reported through
 * the usual ns-3 callbacks from events of their own.
 *
 * Attribute "Protocol" (raw sockets: the IP protocol, as ns3::Ipv4RawSocketImpl has).
 */
class LinuxSocket : public Socket
{
public:
  static TypeId GetTypeId ();
  LinuxSocket ();
  ~LinuxSocket () override;

  /** Set by the factory: node, family (0: chosen by the first address), type, protocol. */
  void Init (Ptr<Node> node, int family, int type, int protocol, const char *factory);

  enum SocketErrno GetErrno () const override;
  enum SocketType GetSocketType () const override;
  Ptr<Node> GetNode () const override;
  int Bind (const Address &address) override;
  int Bind () override;
  int Bind6 () override;
  int Close () override;
  int ShutdownSend () override;
  int ShutdownRecv () override;
  int Connect (const Address &address) override;
  int Listen () override;
  uint32_t GetTxAvailable () const override;
  int Send (Ptr<Packet> p, uint32_t flags) override;
  int SendTo (Ptr<Packet> p, uint32_t flags, const Address &toAddress) override;
  uint32_t GetRxAvailable () const override;
  Ptr<Packet> Recv (uint32_t maxSize, uint32_t flags) override;
  Ptr<Packet> RecvFrom (uint32_t maxSize, uint32_t flags, Address &fromAddress) override;
  int GetSockName (Address &address) const override;
  int GetPeerName (Address &address) const override;
  bool SetAllowBroadcast (bool allowBroadcast) override;
  bool GetAllowBroadcast () const override;

private:
  enum State { IDLE, CONNECTING, CONNECTED, LISTENING, CLOSED };

  void DoDispose () override;
  bool Open (int family);                 // the kernel socket, once
  // address as a sockaddr in *ss, the socket opened for its family; 0 on failure
  socklen_t OpenFor (const Address &address, struct sockaddr_storage *ss);
  void Adopt (int kfd, State state);      // an accepted connection
  void Watch ();
  static void Changed (void *self);       // from inside the kernel: schedule Process
  void Process ();                        // readiness -> ns-3 callbacks
  int Fail (long kernelError);            // m_errno from a -errno, returns -1
  int Sent (long result, size_t size);    // Send/SendTo's result from the kernel's
  long Call (long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
             long a5 = 0) const;
  short Poll () const;
  void Drain ();                          // ShutdownRecv: drop what arrives

  Ptr<Node> m_node;
  uint32_t m_nodeId = 0;
  int m_family = 0, m_type = 0, m_protocol = 0;
  const char *m_factory = "";
  int m_kfd = -1;
  long m_watch = 0;
  void *m_watchRef = nullptr;
  State m_state = IDLE;
  bool m_scheduled = false, m_wantSend = false, m_eofSeen = false, m_closedNotified = false;
  bool m_allowBroadcast = false, m_shutSend = false, m_shutRecv = false;
  uint32_t m_rawProtocol = 0;
  mutable enum SocketErrno m_errno = ERROR_NOTERROR;
};

/** Factories of LinuxSocket, one per kind ns-3-dce named (ns3::LinuxTcpSocketFactory,
 * ns3::LinuxUdp6SocketFactory, ns3::LinuxIpv4RawSocketFactory, ...), each a child of
 * ns-3's own factory of that kind, so that ns-3 applications asking a Linux-stack node
 * for "ns3::TcpSocketFactory" (or Udp, Ipv4Raw, Ipv6Raw) get the kernel's sockets.
 * LinuxStackHelper::Install aggregates them all to every Linux-stack node. */
void AggregateLinuxSocketFactories (Ptr<Node> node);

} // namespace ns3

#endif
