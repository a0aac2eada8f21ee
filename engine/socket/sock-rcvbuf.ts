// The receive-buffer accounting of net/core/sock.c: sk_rcvbuf (SO_RCVBUF doubles the value, bounded by
// net.core.rmem_max and SOCK_MIN_RCVBUF) against sk_rmem_alloc, the sum of the queued skbs' truesize.
// __sock_queue_rcv_skb() refuses an skb once rmem_alloc has reached rcvbuf (it may overshoot by one skb).

/** net.core.rmem_default and rmem_max of a stock kernel. */
export const SYSCTL_RMEM_DEFAULT = 212992;
export const SYSCTL_RMEM_MAX = 212992;
/** SOCK_MIN_RCVBUF (observed: SO_RCVBUF 1 reads back 2304). */
export const SOCK_MIN_RCVBUF = 2304;

/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86-64. */
const SHINFO = 320;
const SKB_STRUCT = 256;
/** skb_small_head_cache's object size (SKB_HEAD_ALIGN(MAX_TCP_HEADER)). */
const SMALL_HEAD = 576;

function kmallocBucket(n: number): number {
  if (n <= 96 && n > 64) return 96;
  if (n <= 192 && n > 128) return 192;
  let b = 8;
  while (b < n) b *= 2;
  return b;
}

/**
 * skb->truesize of alloc_skb(size): the head comes from skb_small_head_cache or kmalloc, whose whole
 * object counts, plus the sk_buff itself. alloc_skb(128), an ipmr upcall's, is 832 (observed: a
 * mroute socket with rcvbuf 2304, 4800, 5000, 6000 takes 3, 6, 7, 8 NOCACHE upcalls).
 */
export function skbTruesize(size: number): number {
  const obj = Math.ceil(size / 64) * 64 + SHINFO;
  return (obj <= SMALL_HEAD ? SMALL_HEAD : kmallocBucket(obj)) + SKB_STRUCT;
}

/** sock_setsockopt(SO_RCVBUF / SO_RCVBUFFORCE) → __sock_set_rcvbuf(). */
export function rcvbufFor(val: number, force: boolean): number {
  // SO_RCVBUF compares as u32 (a negative value means rmem_max); SO_RCVBUFFORCE takes max(val, 0).
  const v = force ? Math.max(val | 0, 0) : Math.min(val >>> 0, SYSCTL_RMEM_MAX);
  return Math.max(Math.min(v, Math.floor(0x7fffffff / 2)) * 2, SOCK_MIN_RCVBUF);
}
