// Lab 04, reference solution: MRT_INIT, then one VIF per multicast-capable interface, by ifindex.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

let vifi = 0;
for (const itf of interfaces()) {
  // lo is not a multicast router's interface; an interface without IFF_MULTICAST would be odd too.
  if ((itf.flags & IFF_LOOPBACK) !== 0 || (itf.flags & IFF_MULTICAST) === 0) continue;
  // VIFF_USE_IFINDEX names the device by ifindex (vifc_lcl_ifindex) instead of one of its addresses.
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: 1 });
  log(`VIF ${vifi} is ${itf.name} (ifindex ${itf.ifindex})`);
  vifi++;
}
