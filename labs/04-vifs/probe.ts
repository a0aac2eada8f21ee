// Lab 04 (started by the lab): what MRT_ADD_VIF refuses. This program is not the table's daemon, but it
// runs as root (CAP_NET_ADMIN), so the kernel lets it change the table; it reports each errno.

const sk = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
const tries: Array<[string, vifctl]> = [
  ['VIF 32 (MAXVIFS is 32: slots 0..31)', { vifc_vifi: MAXVIFS, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: 2 }],
  ['VIF 0 again', { vifc_vifi: 0, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: 2 }],
  ['VIF 5 by an address r1 does not have', { vifc_vifi: 5, vifc_lcl_addr: '10.9.9.9' }],
];
for (const [what, vifc] of tries) {
  try {
    sk.setsockopt(IPPROTO_IP, MRT_ADD_VIF, vifc);
    log(`probe: ${what}: accepted`);
    sk.setsockopt(IPPROTO_IP, MRT_DEL_VIF, vifc);
  } catch (e) {
    if (!(e instanceof OSError)) throw e;
    log(`probe: ${what}: ${e.code}`);
  }
}
