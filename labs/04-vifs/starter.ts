// Lab 04: give the multicast routing table its virtual interfaces (VIFs).
//
// MFC entries (lab 05) name VIFs, not interfaces: VIF i is a slot 0..MAXVIFS-1 of the table's
// vif_table that the daemon binds to a device with setsockopt(IPPROTO_IP, MRT_ADD_VIF, vifctl).

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

for (const itf of interfaces()) {
  log(`${itf.name}: ifindex ${itf.ifindex}, flags 0x${itf.flags.toString(16)}, ${itf.addresses.map((a) => a.address).join(' ') || 'no address'}`);
  // TODO: one VIF per interface that can do multicast (not lo), numbered from 0, named by ifindex
  // (vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex).
}
