// dce-mpi-halves.cc - a network of two halves joined by one point-to-point link, run
// on ns-3's distributed simulator (docs/mpi.md): the C++ API as ns-3 does it, a
// system id (rank) per node. Each half is a star of `half` nodes around a hub; the
// two hubs are joined by a 10 ms link (the lookahead). Every leaf of the first half
// and the matching leaf of the second pings it back (with --iperf=1, the first also
// sends 1 MB with iperf3). With N ranks, half 0 runs on the first N/2 ranks (at least
// one) and half 1 on the others: a hub on the first rank of its half, the leaves dealt
// round-robin over the half's ranks (their 1 ms links are the lookahead then). The
// outputs are the same for any N, one process included.
//
//   make MPI=1 && mpirun -np 2 build/dce-mpi/examples/mpi/dce-mpi-halves --half=500
//   (or -np 4: each half on two ranks)
//   (as root: mpirun --allow-run-as-root ...; build/dce-mpi/examples/mpi/dce-mpi-halves
//   alone is the one-process run with the same outputs)
#include "ns3/core-module.h"
#include "ns3/dce-module.h"
#include "ns3/internet-module.h"
#include "ns3/mpi-interface.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cstdio>

using namespace ns3;

int
main (int argc, char *argv[])
{
  std::string out = ".", engine = "gtw";
  uint32_t half = 4;
  bool iperf = false; // see docs/mpi.md: two concurrent transfers stall (not MPI-specific)
  CommandLine cmd (__FILE__);
  cmd.AddValue ("out", "directory for files-N/ and exitprocs", out);
  cmd.AddValue ("half", "nodes per half (a hub and half-1 leaves)", half);
  cmd.AddValue ("engine", "gtw (granted time window) or nullmsg (null messages)", engine);
  cmd.AddValue ("iperf", "iperf3 transfers besides the pings", iperf);
  cmd.Parse (argc, argv);
  if (half < 2)
    {
      std::fprintf (stderr, "dce-mpi-halves: --half must be at least 2 (a hub and a leaf)\n");
      return 2;
    }

  GlobalValue::Bind ("SimulatorImplementationType",
                     StringValue (engine == "nullmsg" ? "ns3::NullMessageSimulatorImpl"
                                                      : "ns3::DistributedSimulatorImpl"));
  MpiInterface::Enable (&argc, &argv);
  uint32_t rank = MpiInterface::GetSystemId ();
  uint32_t size = MpiInterface::GetSize ();
  if (size > 2 * half)
    {
      if (rank == 0)
        std::fprintf (stderr,
                      "dce-mpi-halves: %u ranks but %u nodes: every rank needs a node "
                      "(use -np %u or fewer, or a larger --half)\n",
                      size, 2 * half, 2 * half);
      MpiInterface::Disable ();
      return 2;
    }
  // ranks [first[h], first[h] + count[h]) run half h
  uint32_t first[2] = {0, size / 2}, count[2] = {std::max (1u, size / 2), size - size / 2};

  NodeContainer h0, h1; // created in the same order whatever the ranks: the same node ids
  for (uint32_t h = 0; h < 2; h++)
    for (uint32_t i = 0; i < half; i++)
      (h ? h1 : h0).Create (1, first[h] + (i == 0 ? 0 : i % count[h]));
  PointToPointHelper leafLink, middle;
  leafLink.SetDeviceAttribute ("DataRate", StringValue ("100Mbps"));
  leafLink.SetChannelAttribute ("Delay", StringValue ("1ms"));
  middle.SetDeviceAttribute ("DataRate", StringValue ("1Gbps"));
  middle.SetChannelAttribute ("Delay", StringValue ("10ms"));
  InternetStackHelper stack;
  stack.Install (h0);
  stack.Install (h1);
  Ipv4AddressHelper a4;
  std::vector<Ipv4Address> leaf0, leaf1;
  for (uint32_t h = 0; h < 2; h++)
    {
      NodeContainer &n = h ? h1 : h0;
      for (uint32_t i = 1; i < half; i++)
        {
          std::ostringstream net; // a /30 per leaf link
          net << "10." << (h + 1) << "." << (i * 4 / 256) << "." << (i * 4 % 256);
          a4.SetBase (net.str ().c_str (), "255.255.255.252");
          Ipv4InterfaceContainer ifs = a4.Assign (leafLink.Install (n.Get (0), n.Get (i)));
          (h ? leaf1 : leaf0).push_back (ifs.GetAddress (1));
        }
    }
  a4.SetBase ("10.0.0.0", "255.255.255.252");
  a4.Assign (middle.Install (h0.Get (0), h1.Get (0)));
  Ipv4GlobalRoutingHelper::PopulateRoutingTables ();

  // dce and the programs on the nodes this rank owns
  NodeContainer mine;
  for (NodeContainer *n : {&h0, &h1})
    for (uint32_t i = 0; i < n->GetN (); i++)
      if (n->Get (i)->GetSystemId () == rank)
        mine.Add (n->Get (i));
  DceManagerHelper dce;
  dce.SetAttribute ("OutputDirectory", StringValue (out));
  dce.SetAttribute ("StopWhenDone", BooleanValue (false));
  dce.Install (mine);
  DceApplicationHelper app;
  app.SetStackSize (1 << 20);
  for (uint32_t i = 1; i < half; i++)
    {
      std::ostringstream to;
      to << leaf1[i - 1];
      if (h0.Get (i)->GetSystemId () == rank)
        {
          app.SetBinary ("ping");
          app.ResetArguments ();
          app.AddArguments ("-c", "3", to.str ());
          app.Install (h0.Get (i)).Start (Seconds (1.0 + 0.001 * i));
          if (iperf)
            {
              app.SetBinary ("iperf3");
              app.ResetArguments ();
              app.AddArguments ("-c", to.str (), "-n", "1M");
              app.Install (h0.Get (i)).Start (Seconds (5.0 + 0.001 * i));
            }
        }
      if (h1.Get (i)->GetSystemId () == rank) // the other way too: work on both ranks
        {
          std::ostringstream back;
          back << leaf0[i - 1];
          app.SetBinary ("ping");
          app.ResetArguments ();
          app.AddArguments ("-c", "3", back.str ());
          app.Install (h1.Get (i)).Start (Seconds (1.5 + 0.001 * i));
        }
      if (iperf && h1.Get (i)->GetSystemId () == rank)
        {
          app.SetBinary ("iperf3");
          app.ResetArguments ();
          app.AddArguments ("-s", "-1");
          app.Install (h1.Get (i)).Start (Seconds (0.5));
        }
    }

  Simulator::Stop (Seconds (20));
  Simulator::Run ();
  Simulator::Destroy (); // rank 0 merges every rank's exit table into OUT/exitprocs
  MpiInterface::Disable ();
  return 0;
}
