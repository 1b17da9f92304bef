// pcap-order.h - pcaps of point-to-point devices whose records of one nanosecond come
// in one order whatever the number of ranks (pcap-order.cc; docs/mpi.md).
#ifndef DCE_MPI_PCAP_ORDER_H
#define DCE_MPI_PCAP_ORDER_H
#include "ns3/net-device.h"
#include "ns3/ptr.h"

#include <string>

// Writes what PointToPointHelper::EnablePcap (prefix, dev, false) would (the same
// file, PREFIX-NODE-DEVICE.pcap, DLT_PPP), except the order of records that carry the
// same nanosecond: the device's reception first, then its transmission.
void DceOrderedP2pPcap (const std::string &prefix, ns3::Ptr<ns3::NetDevice> dev);
// Writes the records still held (those of the last nanosecond of each device) and
// closes the files. Call after Simulator::Run.
void DceOrderedPcapsClose ();
#endif
