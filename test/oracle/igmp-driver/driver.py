#!/usr/bin/env python3
"""Real-kernel side of the IGMP oracle tests (test/oracle/igmp*.test.ts). Run inside a namespace the
test created (`ip netns exec NS python3 driver.py MODE ...`); it touches nothing else.

  host START STEPS_JSON END  socket operations at START + at ms, sockets kept open until END ms;
                             prints JSON results (errnos, /proc dumps)
  router START IFNAME MS QUERIES_JSON
                             captures IGMP frames arriving on IFNAME for MS ms (times relative to START)
                             and sends the given IGMP queries (hex) out of IFNAME at their times
  recv START MS PORT SOCKS_JSON
                             opens UDP sockets on PORT with the given joins, counts datagrams per source
  send START IFNAME PORT SENDS_JSON
                             sends UDP datagrams from each given local source address out of IFNAME
START is a CLOCK_REALTIME epoch in seconds (shared by all namespaces).
"""
import errno
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

IPPROTO_IGMP = 2
IP_MULTICAST_IF, IP_MULTICAST_TTL, IP_MULTICAST_LOOP = 32, 33, 34
IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP = 35, 36
IP_UNBLOCK_SOURCE, IP_BLOCK_SOURCE, IP_ADD_SOURCE_MEMBERSHIP, IP_DROP_SOURCE_MEMBERSHIP = 37, 38, 39, 40
IP_MSFILTER = 41
ETH_P_ALL = 0x0003
# `ip` commands whose output a dump records (the tests compare them with the engine's)
MADDR_CMDS = ['maddr show', '-4 -o maddr', '-j maddr show dev h0', '-0 maddr lst h0']
PACKET_OUTGOING = 4


def a(s):
    return socket.inet_aton(s)


def wait_until(t):
    d = t - time.time()
    if d > 0:
        time.sleep(d)


def sockopt(sk, step):
    op = step['op']
    if op in ('join', 'leave'):
        m = struct.pack('4s4si', a(step['group']), a(step.get('address', '0.0.0.0')), step.get('ifindex', 0))
        sk.setsockopt(socket.IPPROTO_IP, IP_ADD_MEMBERSHIP if op == 'join' else IP_DROP_MEMBERSHIP, m)
    elif op in ('add_src', 'drop_src', 'block', 'unblock'):
        name = {'add_src': IP_ADD_SOURCE_MEMBERSHIP, 'drop_src': IP_DROP_SOURCE_MEMBERSHIP, 'block': IP_BLOCK_SOURCE, 'unblock': IP_UNBLOCK_SOURCE}[op]
        m = struct.pack('4s4s4s', a(step['group']), a(step['interface']), a(step['source']))
        sk.setsockopt(socket.IPPROTO_IP, name, m)
    elif op == 'msfilter':
        srcs = step['sources']
        m = struct.pack('4s4sII', a(step['group']), a(step['interface']), step['fmode'], len(srcs)) + b''.join(a(s) for s in srcs)
        sk.setsockopt(socket.IPPROTO_IP, IP_MSFILTER, m)
    else:
        raise ValueError(op)


def host(start, steps, end_ms):
    socks, results = {}, []
    for step in steps:
        wait_until(start + step['at'] / 1000)
        op = step['op']
        if op == 'dump':
            with open('/proc/net/igmp') as f:
                igmp = f.read()
            with open('/proc/net/mcfilter') as f:
                mcf = f.read()
            maddr = [subprocess.run(['ip', *c.split()], capture_output=True, text=True).stdout for c in MADDR_CMDS]
            results.append({'op': op, 'igmp': igmp, 'mcfilter': mcf, 'maddr': maddr})
            continue
        if op == 'ip':
            r = subprocess.run(['ip', *step['args'].split()], capture_output=True, text=True)
            results.append({'op': op, 'err': 'ok' if r.returncode == 0 else f'rc {r.returncode}'})
            continue
        if op == 'sysctl':
            with open('/proc/sys/' + step['key'].replace('.', '/'), 'w') as f:
                f.write(str(step['value']))
            results.append({'op': op, 'err': 'ok'})
            continue
        name = step['sock']
        if op == 'close':
            socks.pop(name).close()
            results.append({'op': op, 'err': 'ok'})
            continue
        if name not in socks:
            socks[name] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sockopt(socks[name], step)
            results.append({'op': op, 'err': 'ok'})
        except OSError as e:
            results.append({'op': op, 'err': errno.errorcode.get(e.errno, str(e.errno))})
    # keep the sockets (and their memberships) until the run is over
    wait_until(start + end_ms / 1000)
    print(json.dumps(results))


def router(start, ifname, ms, queries):
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    cap.bind((ifname, 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_IGMP)
    ifindex = socket.if_nametoindex(ifname)
    tx.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, struct.pack('4s4si', a('0.0.0.0'), a('0.0.0.0'), ifindex))
    tx.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_TTL, 1)
    tx.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_LOOP, 0)
    pending = sorted(queries, key=lambda q: q['at'])
    end = start + ms / 1000
    packets = []
    while True:
        now = time.time()
        while pending and start + pending[0]['at'] / 1000 <= now:
            q = pending.pop(0)
            tx.sendto(bytes.fromhex(q['hex']), (q['dst'], 0))
        if now >= end:
            break
        nxt = min([end] + [start + q['at'] / 1000 for q in pending])
        r, _, _ = select.select([cap], [], [], max(0.0, nxt - now))
        if not r:
            continue
        frame, addr = cap.recvfrom(65535)
        t = time.time()
        if addr[2] == PACKET_OUTGOING or len(frame) < 34 or frame[12:14] != b'\x08\x00' or frame[23] != IPPROTO_IGMP:
            continue
        packets.append({'t': round((t - start) * 1000, 3), 'hex': frame[14:].hex()})
    print(json.dumps(packets))


def recv(start, ms, port, socks_spec):
    socks = []
    for spec in socks_spec:
        sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sk.bind(('0.0.0.0', port))
        for step in spec['ops']:
            sockopt(sk, step)
        socks.append((spec['name'], sk, {}))
    print('ready', flush=True)
    end = start + ms / 1000
    while time.time() < end:
        r, _, _ = select.select([s for _, s, _ in socks], [], [], max(0.0, end - time.time()))
        for name, sk, counts in socks:
            if sk in r:
                _, (src, _) = sk.recvfrom(65535)
                counts[src] = counts.get(src, 0) + 1
    print(json.dumps({name: counts for name, _, counts in socks}))


def send(start, ifname, port, sends):
    ifindex = socket.if_nametoindex(ifname)
    for s in sends:
        wait_until(start + s['at'] / 1000)
        sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sk.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_IF, struct.pack('4s4si', a('0.0.0.0'), a('0.0.0.0'), ifindex))
        sk.setsockopt(socket.IPPROTO_IP, IP_MULTICAST_TTL, 1)
        sk.bind((s['src'], 0))
        sk.sendto(b'x' * 8, (s['group'], port))
        sk.close()
    print('[]')


def main():
    mode, start = sys.argv[1], float(sys.argv[2])
    args = sys.argv[3:]
    if mode == 'host':
        host(start, json.loads(args[0]), int(args[1]))
    elif mode == 'router':
        router(start, args[0], int(args[1]), json.loads(args[2]))
    elif mode == 'recv':
        recv(start, int(args[0]), int(args[1]), json.loads(args[2]))
    elif mode == 'send':
        send(start, args[0], int(args[1]), json.loads(args[2]))
    else:
        sys.exit(f'unknown mode {mode}')


if __name__ == '__main__':
    main()
