// Lab 03 (started by the lab): a second would-be daemon on r1. Its MRT_INIT must fail with EADDRINUSE
// while another socket is the table's mroute_sk; it reports what happened and stays running.

const sk = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
try {
  sk.setsockopt(IPPROTO_IP, MRT_INIT, 1);
  log('second daemon: MRT_INIT succeeded: no other daemon held the table');
} catch (e) {
  if (!(e instanceof OSError)) throw e;
  log(`second daemon: ${e.message}`);
}
