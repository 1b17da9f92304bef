// pcap-order.cc - pcaps of a distributed run identical for any number of ranks
// (docs/mpi.md, "What is identical across rank counts").
//
// ns-3 runs simultaneous events in the order they were scheduled. In one process a
// packet's reception is scheduled when its sender starts sending; from another rank,
// when the message arrives at the end of a time window. So when a device's
// transmission and a reception from another rank fall on the same nanosecond, ns-3's
// sniffer sees them in an order that depends on the cut. On a point-to-point device
// there is at most one of each per nanosecond (each direction is serialised, and a
// transmission lasts > 0 ns). A transmission at the time of a reception is either
// caused by it (a reply, a forwarded packet: always after it) or unrelated to it, so
// "the reception, then the transmission" is an order that is right in both cases and
// does not depend on the cut. This sink holds the records of the current nanosecond
// and writes them in that order (a record is a transmission when the device's
// PhyTxBegin saw its packet); each record is the one ns-3's helper would write.
#include "pcap-order.h"

#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/trace-helper.h"

#include <set>
#include <vector>

using namespace ns3;

namespace {

class OrderedPcap : public SimpleRefCount<OrderedPcap>
{
public:
  explicit OrderedPcap (Ptr<PcapFileWrapper> f) : m_file (f) {}
  // A transmission: the device's PhyTxBegin and its sniffer see the same packet in
  // the same event (which of the two comes first does not matter here)
  void TxBegin (Ptr<const Packet> p)
  {
    At (Simulator::Now ());
    m_tx.insert (p->GetUid ());
  }
  void Sniff (Ptr<const Packet> p)
  {
    At (Simulator::Now ());
    m_held.push_back (p->Copy ());
  }
  void Close ()
  {
    Flush ();
    m_file->Close ();
  }

private:
  void At (Time now)
  {
    if (now != m_time)
      Flush ();
    m_time = now;
  }
  // the held records of m_time: receptions, then transmissions
  void Flush ()
  {
    std::vector<Ptr<Packet>> tx;
    for (auto &p : m_held)
      {
        auto t = m_tx.find (p->GetUid ());
        if (t == m_tx.end ())
          m_file->Write (m_time, p);
        else
          {
            m_tx.erase (t);
            tx.push_back (p);
          }
      }
    for (auto &p : tx)
      m_file->Write (m_time, p);
    m_held.clear ();
    m_tx.clear ();
  }

  Ptr<PcapFileWrapper> m_file;
  Time m_time;
  std::vector<Ptr<Packet>> m_held;
  std::multiset<uint64_t> m_tx; // uids of this nanosecond's transmissions
};

std::vector<Ptr<OrderedPcap>> g_open;

} // namespace

void
DceOrderedP2pPcap (const std::string &prefix, Ptr<NetDevice> dev)
{
  Ptr<PointToPointNetDevice> d = DynamicCast<PointToPointNetDevice> (dev);
  NS_ABORT_MSG_UNLESS (d, "DceOrderedP2pPcap: not a point-to-point device");
  PcapHelper helper;
  Ptr<PcapFileWrapper> file =
      helper.CreateFile (helper.GetFilenameFromDevice (prefix, d), std::ios::out, PcapHelper::DLT_PPP);
  Ptr<OrderedPcap> sink = Create<OrderedPcap> (file);
  d->TraceConnectWithoutContext ("PhyTxBegin", MakeCallback (&OrderedPcap::TxBegin, sink));
  d->TraceConnectWithoutContext ("PromiscSniffer", MakeCallback (&OrderedPcap::Sniff, sink));
  g_open.push_back (sink);
}

void
DceOrderedPcapsClose ()
{
  for (auto &s : g_open)
    s->Close ();
  g_open.clear ();
}
