#!/usr/bin/env python3
"""Lab driver: one process per network namespace (started with `ip netns exec NS`), serving JSON-lines
requests from the test synchronously over two FIFOs (argv[1]: requests in, argv[2]: answers out).

It plays two parts on the kernel side of test/oracle/lab-daemons.test.ts:
  - a sandboxed daemon's sockets: socket, setsockopt, getsockopt, ioctl, bind, sendto, close on real
    kernel sockets; every datagram (or igmpmsg upcall) they receive is pushed to stdout as one JSON line;
  - a lab's traffic actions: udp receivers (counted per source and destination), udp senders (a thread
    each, count datagrams every interval), joins and leaves on one membership socket.

Answers: {"ok": value} or {"errno": n}.
"""
import fcntl
import json
import os
import select
import socket
import struct
import sys
import threading
import time

IP_PKTINFO = 8
IP_RECVTTL = 12
IP_RECVTOS = 13
IP_TTL = 2
IP_TOS = 1
IP_MULTICAST_IF = 32
IP_MULTICAST_TTL = 33
IP_ADD_MEMBERSHIP = 35
IP_DROP_MEMBERSHIP = 36
SOL_IP = 0

lock = threading.Lock()
to_close = []
wake_r, wake_w = os.pipe()
out_lock = threading.Lock()
to_close = []
wake_r, wake_w = os.pipe()
socks = {}  # sid -> (socket, kind); kind: "daemon" | ("rx", name)
received = {}  # receiver name -> [[src, dst], ...]
senders = []
member = [None]


def push(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def ancillary(anc):
    out = {"ifindex": 0, "dst": None, "ttl": None, "tos": None}
    for level, typ, data in anc:
        if level != SOL_IP:
            continue
        if typ == IP_PKTINFO and len(data) >= 12:
            ifindex, _spec, addr = struct.unpack("=i4s4s", data[:12])
            out["ifindex"] = ifindex
            out["dst"] = socket.inet_ntoa(addr)
        elif typ == IP_TTL and len(data) >= 4:
            out["ttl"] = struct.unpack("=i", data[:4])[0]
        elif typ == IP_TOS and len(data) >= 1:
            out["tos"] = data[0]
    return out


def receive_loop():
    # Sockets are closed here, between two select()s: a select() in progress holds the file, and the
    # kernel must release the socket (mrtsock_destruct) before close answers, as a process's close() does.
    while True:
        with lock:
            live = dict(socks)
            closing = list(to_close)
            to_close.clear()
        for s, done in closing:
            s.close()
            done.set()
        try:
            ready, _, _ = select.select([s for s, _ in live.values()] + [wake_r], [], [], 0.05)
        except (OSError, ValueError):
            continue
        if wake_r in ready:
            os.read(wake_r, 4096)
        for sid, (s, kind) in live.items():
            if s in ready:
                take(sid, s, kind)


def take(sid, s, kind):
    try:
        data, anc, _flags, addr = s.recvmsg(65535, 512, socket.MSG_DONTWAIT)
    except OSError:
        return
    info = ancillary(anc)
    if kind == "daemon":
        if s.type == socket.SOCK_RAW:
            push({"sid": sid, "raw": data.hex(), "ifindex": info["ifindex"]})
        else:
            push({"sid": sid, "udp": data.hex(), "src": addr[0], "sport": addr[1], "dst": info["dst"] or "0.0.0.0",
                  "dport": s.getsockname()[1], "ifindex": info["ifindex"], "ttl": info["ttl"] or 0, "tos": info["tos"] or 0})
    else:
        with lock:
            received[kind[1]].append([addr[0], info["dst"]])


def mreqn(group, ifindex):
    return socket.inet_aton(group) + socket.inet_aton("0.0.0.0") + struct.pack("=i", ifindex)


def send_loop(r, s):
    try:
        for seq in range(r["count"]):
            size = r.get("size", 64)
            payload = bytes(((seq >> (8 * (3 - i))) & 0xFF) if i < 4 else (i & 0xFF) for i in range(size))
            try:
                s.sendto(payload, (r["dst"], r["port"]))
            except OSError:
                pass  # the model's sender records errors and goes on
            if seq + 1 < r["count"]:
                time.sleep(r["interval"])
    finally:
        s.close()


def handle(r):
    op = r["op"]
    if op == "hello":
        return None
    if op == "socket":
        s = socket.socket(r["family"], r["type"], r["proto"])
        s.setsockopt(SOL_IP, IP_PKTINFO, 1)
        if r["type"] == socket.SOCK_DGRAM:
            s.setsockopt(SOL_IP, IP_RECVTTL, 1)
            s.setsockopt(SOL_IP, IP_RECVTOS, 1)
        with lock:
            socks[r["sid"]] = (s, "daemon")
        return None
    if op == "setsockopt":
        s = socks[r["sid"]][0]
        s.setsockopt(r["level"], r["opt"], r["int"] if "int" in r else bytes.fromhex(r["hex"]))
        return None
    if op == "getsockopt":
        return socks[r["sid"]][0].getsockopt(r["level"], r["opt"], r["len"]).hex()
    if op == "ioctl":
        buf = bytearray(bytes.fromhex(r["hex"]))
        fcntl.ioctl(socks[r["sid"]][0].fileno(), r["req"], buf, True)
        return buf.hex()
    if op == "bind":
        socks[r["sid"]][0].bind((r["addr"], r["port"]))
        return None
    if op == "sendto":
        return socks[r["sid"]][0].sendto(bytes.fromhex(r["hex"]), (r["addr"], r["port"]))
    if op == "close":
        done = threading.Event()
        with lock:
            to_close.append((socks.pop(r["sid"])[0], done))
        os.write(wake_w, b"x")
        done.wait()
        return None
    if op == "rx":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(SOL_IP, IP_PKTINFO, 1)
        s.bind((r.get("bind", "0.0.0.0"), r["port"]))
        if "group" in r:
            s.setsockopt(SOL_IP, IP_ADD_MEMBERSHIP, mreqn(r["group"], r.get("ifindex", 0)))
        with lock:
            received[r["name"]] = []
            socks[r["sid"]] = (s, ("rx", r["name"]))
        return None
    if op == "tx":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if r.get("ifindex"):
            s.setsockopt(SOL_IP, IP_MULTICAST_IF, mreqn("0.0.0.0", r["ifindex"]))
        first = int(r["dst"].split(".")[0])
        if "ttl" in r:
            s.setsockopt(SOL_IP, IP_MULTICAST_TTL if 224 <= first < 240 else IP_TTL, r["ttl"])
        if "tos" in r:
            s.setsockopt(SOL_IP, IP_TOS, r["tos"])
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind((r.get("src", "0.0.0.0"), r.get("sport", 0)))
        t = threading.Thread(target=send_loop, args=(r, s), daemon=True)
        t.start()
        senders.append(t)
        return None
    if op in ("join", "leave"):
        if member[0] is None:
            member[0] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        opt = IP_ADD_MEMBERSHIP if op == "join" else IP_DROP_MEMBERSHIP
        member[0].setsockopt(SOL_IP, opt, mreqn(r["group"], r.get("ifindex", 0)))
        return None
    if op == "received":
        with lock:
            return list(received.get(r["name"], []))
    if op == "sending":
        return sum(1 for t in senders if t.is_alive())
    raise ValueError("unknown op " + op)


def main():
    req = open(sys.argv[1], "rb")
    resp = open(sys.argv[2], "wb", buffering=0)
    threading.Thread(target=receive_loop, daemon=True).start()
    for line in req:
        r = json.loads(line)
        try:
            answer = {"ok": handle(r)}
        except OSError as e:
            answer = {"errno": e.errno or 22}
        resp.write((json.dumps(answer) + "\n").encode())


if __name__ == "__main__":
    main()
