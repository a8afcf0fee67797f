#!/usr/bin/env python3
"""redis-reset: a Redis stand-in that answers a handful of commands the
way Redis does (RESP 2) and resets the connection (TCP RST, as the
kernel sends when Redis dies with a command unread) on the first
command named by --reset-on, on each of the first --resets connections.

    redis-reset --port-file F [--reset-on XREAD] [--resets N] [--log L]

Empty streams: XRANGE, XREVRANGE answer [], XREAD BLOCK waits its time
and answers nil, XADD answers a fresh ID, EXISTS 0, anything else +OK.
The log gets one line per command: "CONN-NUMBER COMMAND ARGS..."
(arguments cut at 200 bytes). Stops on SIGTERM.
"""
import argparse, socket, struct, threading, time

lock = threading.Lock()
seq = [0]


def read_command(f):
    """One RESP array of bulk strings, or None at EOF."""
    line = f.readline()
    if not line:
        return None
    if not line.startswith(b"*"):
        return line.split()
    args = []
    for _ in range(int(line[1:])):
        hdr = f.readline()
        if not hdr.startswith(b"$"):
            return None
        n = int(hdr[1:])
        args.append(f.read(n + 2)[:n])
    return args


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    conn.close()


def serve(conn, num, a, log):
    f = conn.makefile("rb")
    resetting = num <= a.resets
    while True:
        cmd = read_command(f)
        if cmd is None:
            break
        name = cmd[0].decode(errors="replace").upper() if cmd else ""
        with lock:
            log.write("%d %s\n" % (num, b" ".join(c[:200] for c in cmd)
                                   .decode(errors="replace")))
            log.flush()
        if resetting and name == a.reset_on:
            time.sleep(0.05)
            reset(conn)
            return
        if name in ("XRANGE", "XREVRANGE"):
            out = b"*0\r\n"
        elif name == "XREAD":
            up = [c.upper() for c in cmd]
            block = int(cmd[up.index(b"BLOCK") + 1]) if b"BLOCK" in up else 0
            time.sleep(min(block, 1000) / 1000)
            out = b"*-1\r\n"
        elif name == "XADD":
            with lock:
                seq[0] += 1
                rid = b"%d-%d" % (int(time.time() * 1000), seq[0])
            out = b"$%d\r\n%s\r\n" % (len(rid), rid)
        elif name == "EXISTS":
            out = b":0\r\n"
        elif name == "PING":
            out = b"+PONG\r\n"
        else:
            out = b"+OK\r\n"
        try:
            conn.sendall(out)
        except OSError:
            break
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--reset-on", default="XREAD")
    ap.add_argument("--resets", type=int, default=1)
    ap.add_argument("--log", default="/dev/null")
    a = ap.parse_args()
    a.reset_on = a.reset_on.upper()
    log = open(a.log, "a")
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    with open(a.port_file + ".tmp", "w") as pf:
        pf.write("%d\n" % ls.getsockname()[1])
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    n = 0
    while True:
        conn, _ = ls.accept()
        n += 1
        threading.Thread(target=serve, args=(conn, n, a, log),
                         daemon=True).start()


if __name__ == "__main__":
    main()
