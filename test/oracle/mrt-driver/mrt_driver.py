#!/usr/bin/env python3
"""MRT driver: runs a JSON list of socket operations against the real kernel and prints one JSON
result per operation. Sockets are created inside named network namespaces (setns), so one process
can play the multicast routing daemon on a router and the senders on other nodes.

Operations (all fields JSON):
  socket   {ns, name, type: "raw"|"udp"|"any", family?, stype?, proto}
  setsockopt {sock, level, opt, hex}          -> errno or ok (optlen = len(hex)/2)
  getsockopt {sock, level, opt, len}          -> value (int, little-endian) or errno
  getbuf   {sock, level, opt, hex, len}       -> value-result getsockopt (IP_MSFILTER): the bytes back, or errno
  vifcnt   {sock, vifi}                       -> SIOCGETVIFCNT counters or errno
  sgcnt    {sock, src, grp}                   -> SIOCGETSGCNT counters or errno
  ioctl    {sock, req}                        -> any other request on a zeroed 40-byte buffer: ok or errno
  join     {sock, group, ifindex}             -> IP_ADD_MEMBERSHIP (ip_mreqn)
  udp      {sock, dst, port, ttl, ifindex, count, size, loop} -> sends count datagrams
  rawsend  {sock, dst, hex, ttl, ifindex}     -> sendto() on a raw socket (the kernel builds the header)
  recv     {sock}                             -> every queued datagram, hex
  close    {sock}
  sleep    {s}
  read     {ns, path}                         -> file text, read inside ns
  write    {ns, path, text}                   -> writes a /proc/sys file inside ns: ok or errno
  ip       {ns, args}                         -> `ip -n ns ARGS` while the sockets are open
"""
import ctypes
import errno
import fcntl
import json
import os
import shlex
import socket
import subprocess
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
socks = {}
current_ns = [None]


def enter(ns):
    if current_ns[0] == ns:
        return
    fd = os.open(f"/var/run/netns/{ns}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns")
    finally:
        os.close(fd)
    current_ns[0] = ns


def err(e):
    # errorcode[95] is the alias ENOTSUP; the kernel's name is EOPNOTSUPP.
    name = "EOPNOTSUPP" if e.errno == errno.EOPNOTSUPP else errno.errorcode.get(e.errno, str(e.errno))
    return {"errno": name}


def run(op):
    k = op["op"]
    if k == "socket":
        enter(op["ns"])
        try:
            if op["type"] == "raw":
                s = socket.socket(socket.AF_INET, socket.SOCK_RAW, op["proto"])
            elif op["type"] == "udp":
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 0)
            else:
                s = socket.socket(op["family"], op["stype"], op["proto"])
        except OSError as e:
            return err(e)
        s.setblocking(False)
        socks[op["name"]] = s
        return {"ok": True}
    if k == "setsockopt":
        try:
            socks[op["sock"]].setsockopt(op["level"], op["opt"], bytes.fromhex(op["hex"]))
            return {"ok": True}
        except OSError as e:
            return err(e)
    if k == "getsockopt":
        try:
            b = socks[op["sock"]].getsockopt(op["level"], op["opt"], op["len"])
            return {"value": int.from_bytes(b, "little")}
        except OSError as e:
            return err(e)
    if k == "getbuf":
        buf = ctypes.create_string_buffer(bytes.fromhex(op["hex"]).ljust(op["len"], b"\0"), op["len"])
        ln = ctypes.c_uint32(op["len"])
        if libc.getsockopt(socks[op["sock"]].fileno(), op["level"], op["opt"], buf, ctypes.byref(ln)) != 0:
            return err(OSError(ctypes.get_errno(), "getsockopt"))
        return {"hex": buf.raw[:ln.value].hex()}
    if k == "vifcnt":
        buf = bytearray(struct.pack("=H6xQQQQ", op["vifi"], 0, 0, 0, 0))
        try:
            fcntl.ioctl(socks[op["sock"]].fileno(), 0x89E0, buf, True)
        except OSError as e:
            return err(e)
        _, ic, oc, ib, ob = struct.unpack("=H6xQQQQ", buf)
        return {"icount": ic, "ocount": oc, "ibytes": ib, "obytes": ob}
    if k == "sgcnt":
        buf = bytearray(socket.inet_aton(op["src"]) + socket.inet_aton(op["grp"]) + bytes(24))
        try:
            fcntl.ioctl(socks[op["sock"]].fileno(), 0x89E1, buf, True)
        except OSError as e:
            return err(e)
        pk, by, wr = struct.unpack("=QQQ", buf[8:])
        return {"pktcnt": pk, "bytecnt": by, "wrongIf": wr}
    if k == "ioctl":
        buf = bytearray(40)
        try:
            fcntl.ioctl(socks[op["sock"]].fileno(), op["req"], buf, True)
            return {"ok": True}
        except OSError as e:
            return err(e)
    if k == "join":
        m = socket.inet_aton(op["group"]) + bytes(4) + struct.pack("=i", op["ifindex"])
        try:
            socks[op["sock"]].setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, m)
            return {"ok": True}
        except OSError as e:
            return err(e)
    if k == "udp":
        s = socks[op["sock"]]
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("=i", op["ttl"]))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, bytes(8) + struct.pack("=i", op["ifindex"]))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, struct.pack("=i", op.get("loop", 1)))
        n = 0
        for _ in range(op.get("count", 1)):
            try:
                s.sendto(bytes(op.get("size", 10)), (op["dst"], op["port"]))
                n += 1
            except OSError as e:
                return err(e)
        return {"sent": n}
    if k == "rawsend":
        s = socks[op["sock"]]
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("=i", op["ttl"]))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, bytes(8) + struct.pack("=i", op["ifindex"]))
        try:
            s.sendto(bytes.fromhex(op["hex"]), (op["dst"], 0))
            return {"sent": 1}
        except OSError as e:
            return err(e)
    if k == "recv":
        out = []
        while True:
            try:
                out.append(socks[op["sock"]].recv(65535).hex())
            except BlockingIOError:
                return {"msgs": out}
    if k == "close":
        socks.pop(op["sock"]).close()
        return {"ok": True}
    if k == "sleep":
        time.sleep(op["s"])
        return {"ok": True}
    if k == "read":
        enter(op["ns"])
        with open(op["path"]) as f:
            return {"text": f.read()}
    if k == "write":
        enter(op["ns"])
        try:
            with open(op["path"], "w") as f:
                f.write(op["text"])
            return {"ok": True}
        except OSError as e:
            return err(e)
    if k == "ip":
        r = subprocess.run(["ip", "-n", op["ns"], *shlex.split(op["args"])], capture_output=True, text=True,
                           env={**os.environ, "LC_ALL": "C"})
        return {"rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
    raise SystemExit(f"unknown op {k}")


def main():
    ops = json.load(sys.stdin)
    print(json.dumps([run(op) for op in ops]))


if __name__ == "__main__":
    main()
