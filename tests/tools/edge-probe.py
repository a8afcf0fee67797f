#!/usr/bin/env python3
"""edge-probe: raw-socket probes of a server's edge, for the ws-fanout
edge tests. Standard library only. Each subcommand prints what a client
sees, one fact per line.

  send HOST PORT TEXT [WAIT]   send TEXT (Python escapes: \\r\\n), print
                               the status line(s) received and, if the
                               server closed, "closed SECONDS"
  hold HOST PORT N SRC [TEXT]  open N sockets from address SRC (sending
                               TEXT on each), then print "open K" and wait
                               for stdin to close; prints "closed K SECS"
                               lines as the server closes them
  close-code HOST PORT PATH CODE   upgrade, send a masked close with CODE,
                               print the code the server answers with
  unmasked HOST PORT PATH [HOW]  upgrade, send a ping and print "close
                               CODE", "closed" (no close frame), "pong" or
                               "nothing"; HOW: unmasked (the default),
                               split (unmasked, its header's two bytes
                               sent apart), after-text (unmasked, after a
                               masked text message sent byte by byte) or
                               masked (a valid ping)
  upgrade HOST PORT PATH [HEADER...]  a handshake with extra headers
                               ("Name: value"), print the status line
  no-pong HOST PORT PATH WAIT  upgrade, never answer a ping; print
                               "ping SECS" at the first ping and
                               "closed SECS-AFTER-PING" when the server
                               closes (close frame or end of stream)
  hold-ws HOST PORT PATH N [XFF-FORMAT]  N upgrades from here, each with
                               X-Forwarded-For: XFF-FORMAT % i when given;
                               print each status code, hold them until
                               stdin closes
"""
import base64
import os
import ssl
import select
import socket
import struct
import sys
import time


def connect(host, port, src=None, timeout=5):
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    if src:
        s.bind((src, 0))
    s.settimeout(timeout)
    s.connect((host, int(port)))
    # EDGE_PROBE_CA=PEM: the server speaks TLS, verified against PEM.
    if os.environ.get("EDGE_PROBE_CA"):
        ctx = ssl.create_default_context(cafile=os.environ["EDGE_PROBE_CA"])
        s = ctx.wrap_socket(s, server_hostname="localhost")
    return s


def unescape(t):
    return t.encode().decode("unicode_escape").encode("latin-1")


def read_all(s, wait):
    data, t0 = b"", time.monotonic()
    closed = None
    while time.monotonic() - t0 < wait:
        r, _, _ = select.select([s], [], [], max(0.0, wait - (time.monotonic() - t0)))
        if not r:
            break
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, OSError):
            chunk = b""
        if not chunk:
            closed = time.monotonic() - t0
            break
        data += chunk
    return data, closed


def cmd_send(host, port, text, wait="3"):
    s = connect(host, port)
    t0 = time.monotonic()
    s.sendall(unescape(text))
    data, closed = read_all(s, float(wait))
    for line in data.split(b"\r\n"):
        if line.startswith(b"HTTP/"):
            print(line.decode("latin-1"))
        elif line.lower().startswith(b"sec-websocket-version:"):
            print(line.decode("latin-1"))
    if closed is not None:
        print("closed %.2f" % (time.monotonic() - t0 if closed is None else closed))


def cmd_hold(host, port, n, src, text=""):
    socks, t0 = [], time.monotonic()
    for _ in range(int(n)):
        try:
            s = connect(host, port, src, timeout=2)
            if text:
                s.sendall(unescape(text))
            socks.append(s)
        except OSError:
            pass
    print("open %d" % len(socks), flush=True)
    live = list(socks)
    closed = 0
    while True:
        r, _, _ = select.select(live + [sys.stdin], [], [], 1.0)
        if sys.stdin in r and not os.read(sys.stdin.fileno(), 1):
            break
        for s in r:
            if s is sys.stdin:
                continue
            try:
                chunk = s.recv(4096)
            except OSError:
                chunk = b""
            if not chunk:
                closed += 1
                live.remove(s)
                print("closed %d %.2f" % (closed, time.monotonic() - t0),
                      flush=True)
    for s in socks:
        s.close()


def handshake(host, port, path, extra=()):
    s = connect(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    req = ("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
           "Sec-WebSocket-Version: 13\r\n" % (path, host, port, key))
    for h in extra:
        req += h + "\r\n"
    s.sendall((req + "\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    return s, head.split(b"\r\n")[0].decode("latin-1"), rest


def frame(opcode, payload, masked=True):
    hdr = bytes([0x80 | opcode])
    n = len(payload)
    if not masked:
        return hdr + bytes([n]) + payload
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return hdr + bytes([0x80 | n]) + mask + body


def frames(s, wait=3.0):
    """Yields (opcode, payload) of the server's frames until wait, and
    ("eof", b"") if the server closes the connection."""
    buf, t0 = b"", time.monotonic()
    while time.monotonic() - t0 < wait:
        while len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126:
                if len(buf) < 4:
                    break
                n = struct.unpack(">H", buf[2:4])[0]
                off = 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n = struct.unpack(">Q", buf[2:10])[0]
                off = 10
            if len(buf) < off + n:
                break
            yield buf[0] & 0x0F, buf[off:off + n]
            buf = buf[off + n:]
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            try:
                chunk = s.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                yield "eof", b""
                return
            buf += chunk


def cmd_close_code(host, port, path, code):
    s, status, _ = handshake(host, port, path)
    if " 101 " not in status + " ":
        print("status " + status)
        return
    time.sleep(0.3)
    s.sendall(frame(8, struct.pack(">H", int(code))))
    for op, payload in frames(s):
        if op == 8:
            print(struct.unpack(">H", payload[:2])[0] if len(payload) >= 2
                  else "empty")
            return
    print("no close")


def cmd_unmasked(host, port, path, how="unmasked"):
    s, status, _ = handshake(host, port, path)
    if " 101 " not in status + " ":
        print("status " + status)
        return
    time.sleep(0.3)
    ping = frame(9, b"hi", masked=(how == "masked"))
    if how == "split":
        s.sendall(ping[:1])
        time.sleep(0.3)
        s.sendall(ping[1:])
    elif how == "after-text":
        for b in frame(1, b"hello"):
            s.sendall(bytes([b]))
            time.sleep(0.01)
        s.sendall(ping)
    else:
        s.sendall(ping)
    for op, payload in frames(s):
        if op == 8:
            print("close %s" % (struct.unpack(">H", payload[:2])[0]
                                if len(payload) >= 2 else "empty"))
            return
        if op == 10:
            print("pong")
            return
        if op == "eof":
            print("closed")
            return
    print("nothing")


def cmd_upgrade(host, port, path, *extra):
    _, status, _ = handshake(host, port, path, extra)
    print(status)


def cmd_no_pong(host, port, path, wait):
    s, status, rest = handshake(host, port, path)
    if " 101 " not in status + " ":
        print("status " + status)
        return
    t0 = time.monotonic()
    t_ping = None
    buf = rest
    s.settimeout(0.2)
    while time.monotonic() - t0 < float(wait):
        # Parse what we have; frames from the server are unmasked.
        while len(buf) >= 2:
            n, off = buf[1] & 0x7F, 2
            if n == 126:
                if len(buf) < 4:
                    break
                n, off = struct.unpack(">H", buf[2:4])[0], 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n, off = struct.unpack(">Q", buf[2:10])[0], 10
            if len(buf) < off + n:
                break
            op = buf[0] & 0x0F
            buf = buf[off + n:]
            if op == 9 and t_ping is None:
                t_ping = time.monotonic()
                print("ping %.2f" % (t_ping - t0), flush=True)
            elif op == 8:
                print("closed %.2f" % (time.monotonic() - (t_ping or t0)))
                return
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            chunk = b""
        if not chunk:
            print("closed %.2f" % (time.monotonic() - (t_ping or t0)))
            return
        buf += chunk
    print("open")


def cmd_hold_ws(host, port, path, n, xff=None):
    socks = []
    for i in range(int(n)):
        extra = ["X-Forwarded-For: " + (xff % i if "%" in xff else xff)] \
            if xff else []
        s, status, _ = handshake(host, port, path, extra)
        print(status.split(" ")[1] if " " in status else "none", flush=True)
        socks.append(s)
    while os.read(sys.stdin.fileno(), 1):
        pass
    for s in socks:
        s.close()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmds = {"send": cmd_send, "hold": cmd_hold, "close-code": cmd_close_code,
            "unmasked": cmd_unmasked, "upgrade": cmd_upgrade,
            "no-pong": cmd_no_pong, "hold-ws": cmd_hold_ws}
    fn = cmds.get(sys.argv[1])
    if fn is None:
        sys.exit(__doc__)
    fn(*sys.argv[2:])


if __name__ == "__main__":
    main()
