#!/usr/bin/env python3
"""Capture real Linux packets as fixtures for the wire-format tests (test/unit/wire).

Run as root on Linux with tcpdump installed (apt-get install -y tcpdump):

    python3 test/oracle/capture-wire-fixtures.py [OUTPUT.json]

It builds its OWN network namespaces (every name starts with "rlwwire"), joined by veth
pairs, and never touches the host's interfaces, routes or sysctls:

    rlwwire-a (10.77.1.1, IGMPv3 host)
        rlwa0 === rlwr0
    rlwwire-r (10.77.1.2 | 10.77.2.1, forwarding, multicast router for the upcall scenario)
        rlwr1 === rlwb0
    rlwwire-b (10.77.2.2, force_igmp_version=2)

tcpdump records each scenario on one or both links; the IPv4 datagrams (Ethernet header
stripped) go to test/fixtures/linux-packets/packets.json with a name, a description and hex.
The igmpmsg upcalls of the multicast-routing scenario are read from a real mroute socket
(MRT_INIT) and stored with kind "igmpmsg". The namespaces are deleted on exit, even on error.

The script also runs its own helpers inside a namespace: `capture-wire-fixtures.py helper ...`.
"""
import argparse
import array
import datetime
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

NA, NR, NB = 'rlwwire-a', 'rlwwire-r', 'rlwwire-b'
A_IP, R_A_IP, R_B_IP, B_IP = '10.77.1.1', '10.77.1.2', '10.77.2.1', '10.77.2.2'

IPPROTO_IGMP = 2
IP_MULTICAST_IF, IP_MULTICAST_TTL = 32, 33
IP_ADD_MEMBERSHIP, IP_BLOCK_SOURCE, IP_ADD_SOURCE_MEMBERSHIP = 35, 38, 39
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
MRT_INIT, MRT_ADD_VIF, MRT_ADD_MFC = 200, 202, 204
VIFF_REGISTER, VIFF_USE_IFINDEX = 0x4, 0x8
SIOCETHTOOL, ETHTOOL_STXCSUM = 0x8946, 0x17


# ---------------------------------------------------------------- helpers (inside a namespace)

def inet_csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s > 0xffff:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def helper_csum_off(args):
    """ETHTOOL_STXCSUM 0: the kernel fills UDP checksums in software, so tcpdump sees final ones."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for dev in args.devs:
        buf = array.array('B', struct.pack('II', ETHTOOL_STXCSUM, 0))
        ifr = struct.pack('16sP', dev.encode(), buf.buffer_info()[0])
        fcntl.ioctl(s, SIOCETHTOOL, ifr)


def helper_udp(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if args.ttl is not None:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
        s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_TTL, args.ttl)
    if args.tos is not None:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, int(args.tos, 0))
    if args.mif:
        s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, socket.inet_aton(args.mif))
    if args.nodf:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    if args.sport:
        s.bind(('0.0.0.0', args.sport))
    payload = (args.text.encode() * (args.size // max(1, len(args.text)) + 1))[: args.size]
    for i in range(args.count):
        s.sendto(payload, (args.dst, args.port))
        if i + 1 < args.count:
            time.sleep(args.interval)


def helper_join(args):
    """Join (ASM, or SSM with --source), optionally block sources, hold, then leave by closing."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    grp, ifa = socket.inet_aton(args.group), socket.inet_aton(args.ifaddr)
    if args.source:
        for src in args.source:  # struct ip_mreq_source: multiaddr, interface, sourceaddr
            s.setsockopt(socket.IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, grp + ifa + socket.inet_aton(src))
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_ADD_MEMBERSHIP, grp + ifa)
        for src in args.block or []:
            s.setsockopt(socket.IPPROTO_IP, IP_BLOCK_SOURCE, grp + ifa + socket.inet_aton(src))
    time.sleep(args.hold)
    s.close()
    time.sleep(args.after)


def helper_igmp_send(args):
    """Send a hand-made IGMP message the way the kernel frames its own: TTL 1, TOS 0xc0, Router Alert."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, b'\x94\x04\x00\x00')
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0xc0)
    s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, socket.inet_aton(args.ifaddr))
    s.sendto(bytes.fromhex(args.hex), (args.dst, 0))


def helper_mrouted(args):
    """A minimal multicast routing daemon: VIF 0 = rlwr0, VIF 1 = rlwr1, VIF 2 = register VIF.
    On a NOCACHE upcall it installs (S,G) iif 0 → oifs 1 and 2; the register VIF then yields
    WHOLEPKT upcalls. Every upcall (protocol byte 0) is written as hex to args.out."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, MRT_INIT, struct.pack('i', 1))

    def vif(vifi, flags, ifindex):  # struct vifctl (16 bytes)
        lcl = struct.pack('i', ifindex) if flags & VIFF_USE_IFINDEX else b'\0\0\0\0'
        s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, struct.pack('=HBBI4s4s', vifi, flags, 1, 0, lcl, b'\0\0\0\0'))

    vif(0, VIFF_USE_IFINDEX, socket.if_nametoindex('rlwr0'))
    vif(1, VIFF_USE_IFINDEX, socket.if_nametoindex('rlwr1'))
    vif(2, VIFF_REGISTER, 0)
    open(args.ready, 'w').close()
    seen = []
    deadline = time.time() + args.timeout
    with open(args.out, 'w') as out:
        while time.time() < deadline:
            r, _, _ = select.select([s], [], [], 0.2)
            if not r:
                continue
            pkt = s.recv(65535)
            if len(pkt) < 20 or pkt[9] != 0:
                continue  # a real IGMP packet, not an upcall
            out.write(pkt.hex() + '\n')
            out.flush()
            msgtype = pkt[8]
            seen.append(msgtype)
            if msgtype == 1:  # IGMPMSG_NOCACHE: struct mfcctl (60 bytes, native alignment)
                ttls = bytes([0, 1, 1] + [0] * 29)
                mfc = struct.pack('@4s4sH32sIIIi', pkt[12:16], pkt[16:20], 0, ttls, 0, 0, 0, 0)
                s.setsockopt(socket.IPPROTO_IP, MRT_ADD_MFC, mfc)
    s.close()


def helper_main(argv):
    p = argparse.ArgumentParser(prog='capture-wire-fixtures.py helper')
    sub = p.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('csum-off')
    c.add_argument('devs', nargs='+')
    c.set_defaults(fn=helper_csum_off)
    u = sub.add_parser('udp')
    u.add_argument('dst')
    u.add_argument('port', type=int)
    u.add_argument('--ttl', type=int)
    u.add_argument('--tos')
    u.add_argument('--mif')
    u.add_argument('--nodf', action='store_true')
    u.add_argument('--sport', type=int)
    u.add_argument('--size', type=int, default=24)
    u.add_argument('--text', default='routing lab workbench ')
    u.add_argument('--count', type=int, default=1)
    u.add_argument('--interval', type=float, default=0.5)
    u.set_defaults(fn=helper_udp)
    j = sub.add_parser('join')
    j.add_argument('ifaddr')
    j.add_argument('group')
    j.add_argument('--source', action='append')
    j.add_argument('--block', action='append')
    j.add_argument('--hold', type=float, default=2.5)
    j.add_argument('--after', type=float, default=0)
    j.set_defaults(fn=helper_join)
    g = sub.add_parser('igmp-send')
    g.add_argument('ifaddr')
    g.add_argument('dst')
    g.add_argument('hex')
    g.set_defaults(fn=helper_igmp_send)
    m = sub.add_parser('mrouted')
    m.add_argument('out')
    m.add_argument('ready')
    m.add_argument('--timeout', type=float, default=8)
    m.set_defaults(fn=helper_mrouted)
    args = p.parse_args(argv)
    args.fn(args)


# ---------------------------------------------------------------- orchestration (host side)

def run(*cmd, **kw):
    return subprocess.run(list(cmd), check=True, **kw)


def in_ns(ns, *cmd, **kw):
    return run('ip', 'netns', 'exec', ns, *cmd, **kw)


def helper(ns, *args, background=False):
    cmd = ['ip', 'netns', 'exec', ns, sys.executable, os.path.abspath(__file__), 'helper', *args]
    if background:
        return subprocess.Popen(cmd)
    return run(*cmd)


def cleanup():
    for ns in (NA, NR, NB):
        subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)


def setup():
    cleanup()
    for ns in (NA, NR, NB):
        run('ip', 'netns', 'add', ns)
        run('ip', '-n', ns, 'link', 'set', 'lo', 'up')
        # No IPv6: no MLD, router solicitations or DAD in the captures.
        in_ns(ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1')
    run('ip', '-n', NA, 'link', 'add', 'rlwa0', 'type', 'veth', 'peer', 'name', 'rlwr0', 'netns', NR)
    run('ip', '-n', NR, 'link', 'add', 'rlwr1', 'type', 'veth', 'peer', 'name', 'rlwb0', 'netns', NB)
    in_ns(NB, 'sysctl', '-qw', 'net.ipv4.conf.rlwb0.force_igmp_version=2')
    in_ns(NR, 'sysctl', '-qw', 'net.ipv4.ip_forward=1')
    for ns, dev, addr in ((NA, 'rlwa0', A_IP), (NR, 'rlwr0', R_A_IP), (NR, 'rlwr1', R_B_IP), (NB, 'rlwb0', B_IP)):
        run('ip', '-n', ns, 'addr', 'add', f'{addr}/24', 'dev', dev)
        run('ip', '-n', ns, 'link', 'set', dev, 'up')
    run('ip', '-n', NA, 'route', 'add', 'default', 'via', R_A_IP)
    run('ip', '-n', NB, 'route', 'add', 'default', 'via', R_B_IP)
    time.sleep(1.0)


class Capture:
    def __init__(self, ns, dev, path):
        self.label, self.path = f'{ns}/{dev}', path
        self.proc = subprocess.Popen(
            ['ip', 'netns', 'exec', ns, 'tcpdump', '-i', dev, '--immediate-mode', '-U', '-n', '-s', '0', '-w', path, 'ip'],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # "listening on rlwa0, link-type EN10MB ..."
        if 'listening' not in line:
            raise RuntimeError(f'tcpdump in {ns} did not start: {line}')

    def stop(self):
        # --immediate-mode above matters: with libpcap's default TPACKET_V3 block timeout (1 s),
        # packets still in the ring when SIGINT arrives are lost.
        time.sleep(0.5)
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=10)
        return read_pcap(self.path)


def read_pcap(path):
    """Classic pcap, link type Ethernet: the IPv4 datagrams with the 14-byte header stripped."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    if linktype != 1:
        raise RuntimeError(f'{path}: link type {linktype}, expected Ethernet')
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        frame = data[off + 16: off + 16 + incl]
        off += 16 + incl
        if len(frame) > 14 and frame[12:14] == b'\x08\x00':
            out.append(frame[14:])
    return out


def classify(ip):
    """A short stable name for a datagram, for fixture names."""
    ihl = (ip[0] & 15) * 4
    proto, frag = ip[9], struct.unpack('!H', ip[6:8])[0]
    body = ip[ihl:]
    if frag & 0x3fff:
        return 'ip-fragment'
    if proto == 17:
        return 'udp'
    if proto == 1:
        return {(8, 0): 'icmp-echo-request', (0, 0): 'icmp-echo-reply', (3, 3): 'icmp-port-unreachable',
                (11, 0): 'icmp-time-exceeded'}.get((body[0], body[1]), f'icmp-{body[0]}-{body[1]}')
    if proto == 2:
        t = body[0]
        if t == 0x11:
            return 'igmp-v3-query' if len(body) >= 12 else ('igmp-v1-query' if body[1] == 0 else 'igmp-v2-query')
        return {0x12: 'igmp-v1-report', 0x16: 'igmp-v2-report', 0x17: 'igmp-v2-leave', 0x22: 'igmp-v3-report'}.get(t, f'igmp-{t:#x}')
    return f'proto-{proto}'


def igmp_msg(body: bytes) -> str:
    return (body[:2] + struct.pack('!H', inet_csum(body[:2] + b'\0\0' + body[4:])) + body[4:]).hex()


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'linux-packets', 'packets.json')
    if os.geteuid() != 0:
        sys.exit('capture-wire-fixtures: needs root (network namespaces, tcpdump)')
    if subprocess.run(['which', 'tcpdump'], stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit('capture-wire-fixtures: tcpdump not found (apt-get install -y tcpdump)')
    work = tempfile.mkdtemp(prefix='rlwwire.')
    packets = []
    # SIGTERM/SIGHUP unwind through `finally` like Ctrl-C, so the namespaces are always deleted.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))

    def scenario(name, description, links, action):
        caps = [Capture(ns, dev, os.path.join(work, f'{name}-{i}.pcap')) for i, (ns, dev) in enumerate(links)]
        result = action()
        extra = result if isinstance(result, list) else []
        for cap in caps:
            counts = {}
            for ip in cap.stop():
                kind = classify(ip)
                counts[kind] = counts.get(kind, 0) + 1
                suffix = '' if counts[kind] == 1 else f'#{counts[kind]}'
                at = '' if len(caps) == 1 else f'@{cap.label.split("/")[1]}'
                packets.append({'name': f'{name}.{kind}{at}{suffix}', 'kind': 'ipv4', 'scenario': name,
                                'description': description, 'capturedOn': cap.label, 'hex': ip.hex()})
        packets.extend(extra)
        print(f'{name}: done', file=sys.stderr)

    try:
        setup()
        # 1. UDP with the veth's TX checksum offload still on: tcpdump sees the partial checksum.
        scenario('udp-csum-offload', 'UDP from A to R:33434 while rlwa0 still has TX checksum offload: '
                 'the checksum field holds only the folded pseudo-header sum (CHECKSUM_PARTIAL)',
                 [(NA, 'rlwa0')], lambda: helper(NA, 'udp', R_A_IP, '33434', '--sport', '40000'))
        helper(NA, 'csum-off', 'rlwa0')
        helper(NR, 'csum-off', 'rlwr0', 'rlwr1')
        helper(NB, 'csum-off', 'rlwb0')
        scenario('udp-unicast', 'UDP from A (port 40001) to R:33434 with IP_TTL 17 and IP_TOS 0x28; nothing listens, '
                 'so R answers ICMP port unreachable', [(NA, 'rlwa0')],
                 lambda: helper(NA, 'udp', R_A_IP, '33434', '--ttl', '17', '--tos', '0x28', '--sport', '40001'))
        scenario('udp-multicast', 'UDP from A to 239.1.2.3:5001 with IP_MULTICAST_TTL 5, IP_TOS 0xb8, IP_MULTICAST_IF 10.77.1.1',
                 [(NA, 'rlwa0')], lambda: helper(NA, 'udp', '239.1.2.3', '5001', '--ttl', '5', '--tos', '0xb8',
                                                 '--mif', A_IP, '--sport', '40002'))
        scenario('ping', 'ping -c 1 -s 16 from A to R: echo request and the kernel\'s echo reply', [(NA, 'rlwa0')],
                 lambda: in_ns(NA, 'ping', '-n', '-c', '1', '-W', '2', '-s', '16', R_A_IP, stdout=subprocess.DEVNULL))
        scenario('ping-rr', 'ping -R (Record Route option: NOP + RR) from A to R; the reply echoes the option with R\'s address recorded',
                 [(NA, 'rlwa0')],
                 lambda: in_ns(NA, 'ping', '-n', '-R', '-c', '1', '-W', '2', R_A_IP, stdout=subprocess.DEVNULL))
        scenario('ttl-exceeded', 'UDP from A to B with TTL 1: R (forwarding) answers ICMP time exceeded',
                 [(NA, 'rlwa0')], lambda: helper(NA, 'udp', B_IP, '33435', '--ttl', '1', '--sport', '40003'))
        scenario('forwarded', 'UDP from A to B:33436 with TTL 2, seen on both links: R forwards it with TTL 1 '
                 '(ip_decrease_ttl) and B answers port unreachable', [(NA, 'rlwa0'), (NB, 'rlwb0')],
                 lambda: helper(NA, 'udp', B_IP, '33436', '--ttl', '2', '--sport', '40004'))
        scenario('fragments', 'UDP from A to R:33437 with 3000 bytes of data and IP_PMTUDISC_DONT: three fragments; '
                 'R reassembles and answers port unreachable quoting 548 bytes', [(NA, 'rlwa0')],
                 lambda: helper(NA, 'udp', R_A_IP, '33437', '--size', '3000', '--nodf', '--sport', '40005'))
        scenario('igmpv2', 'B (force_igmp_version=2) joins 239.1.2.4, holds 1 s and leaves: v2 report(s), then a leave to 224.0.0.2',
                 [(NB, 'rlwb0')], lambda: helper(NB, 'join', B_IP, '239.1.2.4', '--hold', '1', '--after', '0.5'))
        scenario('igmpv3-asm', 'A (IGMPv3) joins 239.1.2.5 (ASM), holds 2.5 s, leaves: CHANGE_TO_EXCLUDE {} twice, '
                 'then CHANGE_TO_INCLUDE {} twice', [(NA, 'rlwa0')],
                 lambda: helper(NA, 'join', A_IP, '239.1.2.5', '--hold', '2.5', '--after', '2.5'))
        scenario('igmpv3-ssm', 'A joins 232.1.1.1 with IP_ADD_SOURCE_MEMBERSHIP for 10.77.9.1 and 10.77.9.2, holds 2.5 s, '
                 'closes the socket: ALLOW_NEW_SOURCES, then BLOCK_OLD_SOURCES', [(NA, 'rlwa0')],
                 lambda: helper(NA, 'join', A_IP, '232.1.1.1', '--source', '10.77.9.1', '--source', '10.77.9.2',
                                '--hold', '2.5', '--after', '2.5'))
        scenario('igmpv3-exclude', 'A joins 239.1.2.6 and at once IP_BLOCK_SOURCE 10.77.9.3, holds 2.5 s, leaves',
                 [(NA, 'rlwa0')],
                 lambda: helper(NA, 'join', A_IP, '239.1.2.6', '--block', '10.77.9.3', '--hold', '2.5', '--after', '2.5'))

        def v3_queries():
            # Join one after the other: the report lists groups in mc_list order, newest first.
            j1 = helper(NA, 'join', A_IP, '239.1.2.7', '--hold', '9.5', background=True)
            time.sleep(0.5)
            j2 = helper(NA, 'join', A_IP, '232.1.1.2', '--source', '10.77.9.4', '--hold', '9', background=True)
            time.sleep(3)  # let the state-change reports finish before the capture that matters
            cap = Capture(NA, 'rlwa0', os.path.join(work, 'igmpv3-query.pcap'))
            # General query: MRC 10 (1 s), QRV 2, QQIC 0x90 = 256 s (floating point), no sources.
            helper(NR, 'igmp-send', R_A_IP, '224.0.0.1', igmp_msg(bytes([0x11, 10, 0, 0, 0, 0, 0, 0, 0x02, 0x90, 0, 0])))
            time.sleep(1.6)
            # Group-and-source-specific query for 232.1.1.2 / 10.77.9.4, S flag set, MRC 20 (2 s).
            gss = bytes([0x11, 20, 0, 0]) + socket.inet_aton('232.1.1.2') + bytes([0x0a, 20, 0, 1]) + socket.inet_aton('10.77.9.4')
            helper(NR, 'igmp-send', R_A_IP, '232.1.1.2', igmp_msg(gss))
            time.sleep(2.5)
            pkts = cap.stop()
            j1.wait()
            j2.wait()
            return pkts

        def run_v3_queries():
            pkts = v3_queries()
            counts = {}
            for ip in pkts:
                kind = classify(ip)
                counts[kind] = counts.get(kind, 0) + 1
                suffix = '' if counts[kind] == 1 else f'#{counts[kind]}'
                packets.append({'name': f'igmpv3-query.{kind}{suffix}', 'kind': 'ipv4', 'scenario': 'igmpv3-query',
                                'description': 'R sends an IGMPv3 general query (MRC 10, QRV 2, QQIC 0x90) and then a '
                                'group-and-source-specific query for 232.1.1.2/10.77.9.4 (S flag, MRC 20) to A, which has joined '
                                '239.1.2.7 (ASM) and 232.1.1.2 from 10.77.9.4 (SSM); A answers with current-state reports '
                                '(queries are crafted by this script, the reports by the kernel)',
                                'capturedOn': f'{NA}/rlwa0', 'hex': ip.hex()})
            print('igmpv3-query: done', file=sys.stderr)

        run_v3_queries()

        def v2_v1_queries():
            j = helper(NB, 'join', B_IP, '239.1.2.8', '--hold', '16', background=True)
            time.sleep(1.5)
            helper(NR, 'igmp-send', R_B_IP, '224.0.0.1', igmp_msg(bytes([0x11, 10, 0, 0, 0, 0, 0, 0])))  # v2, 1 s
            time.sleep(1.5)
            helper(NR, 'igmp-send', R_B_IP, '224.0.0.1', igmp_msg(bytes([0x11, 0, 0, 0, 0, 0, 0, 0])))  # v1
            time.sleep(11)  # a v1 query means max delay 10 s
            j.terminate()
            j.wait()

        scenario('igmp-v2-v1-query', 'B (force_igmp_version=2) has joined 239.1.2.8; R sends a v2 general query (code 10) '
                 'and then a v1 query (code 0); B answers a v2 report, then (now in v1 mode) a v1 report',
                 [(NB, 'rlwb0')], v2_v1_queries)

        def upcalls():
            out, ready = os.path.join(work, 'upcalls.txt'), os.path.join(work, 'mrouted.ready')
            d = helper(NR, 'mrouted', out, ready, '--timeout', '4', background=True)
            for _ in range(50):
                if os.path.exists(ready):
                    break
                time.sleep(0.1)
            helper(NA, 'udp', '239.1.2.9', '5002', '--ttl', '5', '--mif', A_IP, '--sport', '40006', '--count', '2', '--interval', '1')
            d.wait()
            with open(out) as f:
                lines = [l.strip() for l in f if l.strip()]
            names = {1: 'nocache', 2: 'wrongvif', 3: 'wholepkt', 4: 'wrvifwhole'}
            res, counts = [], {}
            for h in lines:
                kind = names.get(bytes.fromhex(h)[8], 'unknown')
                counts[kind] = counts.get(kind, 0) + 1
                suffix = '' if counts[kind] == 1 else f'#{counts[kind]}'
                res.append({'name': f'mroute.igmpmsg-{kind}{suffix}', 'kind': 'igmpmsg', 'scenario': 'mroute',
                            'description': 'read from an mroute socket (MRT_INIT) in R; VIF 0 rlwr0, VIF 1 rlwr1, VIF 2 register; '
                            'the daemon adds (10.77.1.1, 239.1.2.9) iif 0 → oifs 1, 2 on the NOCACHE upcall',
                            'capturedOn': f'{NR}/mroute-socket', 'hex': h})
            return res

        scenario('mroute', 'A sends two UDP datagrams to 239.1.2.9 (TTL 5); R runs a minimal multicast routing daemon: '
                 'the first packet raises NOCACHE, the daemon adds the MFC entry, R forwards to B with TTL 4 and '
                 'hands a WHOLEPKT upcall per packet to the register VIF', [(NA, 'rlwa0'), (NB, 'rlwb0')], upcalls)
    finally:
        cleanup()
        if os.environ.get('RLWWIRE_KEEP'):
            print(f'pcaps kept in {work}', file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    doc = {
        'generatedBy': 'test/oracle/capture-wire-fixtures.py',
        'kernel': os.uname().release,
        'capturedAt': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'note': 'IPv4 datagrams as seen by tcpdump on veth links (Ethernet header stripped), and igmpmsg upcalls '
                'read from an mroute socket. Regenerate with: sudo python3 test/oracle/capture-wire-fixtures.py',
        'packets': packets,
    }
    with open(out_path, 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')
    print(f'wrote {len(packets)} packets to {out_path}', file=sys.stderr)


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == 'helper':
        helper_main(sys.argv[2:])
    else:
        main()
