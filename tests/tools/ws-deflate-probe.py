#!/usr/bin/env python3
"""ws-deflate-probe: a raw-socket WebSocket client for ws-fanout's
permessage-deflate tests, where a test must see the frames themselves
(RSV1, the compressed bytes) rather than what a library makes of them.

  frames URL OFFER N DIR   upgrade offering OFFER ("-": none) as
                           Sec-WebSocket-Extensions; print the answer's
                           header ("ext=..." or "ext=-"), then one line per
                           message for N messages: "rsv1=0|1 len=BYTES";
                           DIR/K.wire holds message K's payload as sent,
                           DIR/K.json it inflated on its own (or as is)
  bomb URL BYTES           negotiate, send one compressed text message
                           that inflates to BYTES zero bytes (a deflate
                           bomb, a few hundred bytes on the wire); print
                           the close code the server answers, or "open"
"""
import base64
import os
import socket
import struct
import sys
import zlib


def connect(url, offer):
    host, port = url.split("/")[2].split(":")
    path = "/" + url.split("/", 3)[3]
    s = socket.create_connection((host, int(port)), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    req = ("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
           "Sec-WebSocket-Version: 13\r\n" % (path, host, port, key))
    if offer != "-":
        req += "Sec-WebSocket-Extensions: %s\r\n" % offer
    s.sendall((req + "\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        b = s.recv(1)
        if not b:
            raise SystemExit("no answer")
        head += b
    lines = head.decode("latin-1").split("\r\n")
    if " 101 " not in lines[0] + " ":
        raise SystemExit("status: " + lines[0])
    ext = "-"
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        if k.strip().lower() == "sec-websocket-extensions":
            ext = v.strip()
    return s, ext


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def frame(s):
    """One frame: (fin, rsv1, opcode, payload)."""
    h = recv_exact(s, 2)
    n = h[1] & 0x7F
    if n == 126:
        n = struct.unpack(">H", recv_exact(s, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recv_exact(s, 8))[0]
    if h[1] & 0x80:
        raise SystemExit("masked frame from the server")
    return h[0] >> 7, (h[0] >> 6) & 1, h[0] & 0x0F, recv_exact(s, n)


def message(s):
    """One data message: (rsv1, payload); or (None, close code)."""
    parts, rsv1 = [], None
    while True:
        fin, r, op, p = frame(s)
        if op == 8:
            return None, struct.unpack(">H", p[:2])[0] if len(p) >= 2 else 1005
        if op == 9:
            send(s, 0xA, p)
            continue
        if op == 0xA:
            continue
        if rsv1 is None:
            rsv1 = r
        elif r:
            raise SystemExit("RSV1 on a continuation frame")
        parts.append(p)
        if fin:
            return rsv1, b"".join(parts)


def send(s, op, payload, rsv1=0):
    mask = os.urandom(4)
    n = len(payload)
    h = bytes([0x80 | (0x40 if rsv1 else 0) | op])
    if n < 126:
        h += bytes([0x80 | n])
    elif n < 65536:
        h += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        h += bytes([0x80 | 127]) + struct.pack(">Q", n)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    s.sendall(h + mask + body)


def frames(url, offer, n, outdir):
    s, ext = connect(url, offer)
    print("ext=" + ext, flush=True)
    for k in range(n):
        rsv1, p = message(s)
        if rsv1 is None:
            print("closed=%d" % p, flush=True)
            return
        with open(os.path.join(outdir, "%d.wire" % k), "wb") as f:
            f.write(p)
        if rsv1:
            # On its own: a fresh inflater, the removed tail put back.
            p = zlib.decompressobj(-15).decompress(p + b"\x00\x00\xff\xff")
        with open(os.path.join(outdir, "%d.json" % k), "wb") as f:
            f.write(p)
        print("rsv1=%d len=%d" % (rsv1, os.path.getsize(
            os.path.join(outdir, "%d.wire" % k))), flush=True)


def bomb(url, nbytes):
    s, ext = connect(url, "permessage-deflate")
    if ext == "-":
        raise SystemExit("not negotiated")
    message(s)  # the snapshot (or the error)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    z = c.compress(b"\x00" * nbytes) + c.flush(zlib.Z_SYNC_FLUSH)
    send(s, 1, z[:-4], rsv1=1)
    s.settimeout(5)
    try:
        while True:
            rsv1, p = message(s)
            if rsv1 is None:
                print(p, flush=True)
                return
    except (EOFError, socket.timeout, ConnectionResetError):
        print("open" if not isinstance(sys.exc_info()[1], EOFError)
              else "eof", flush=True)


def main():
    cmd = sys.argv[1]
    if cmd == "frames":
        frames(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif cmd == "bomb":
        bomb(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
