#!/usr/bin/env python3
"""hostile: the slow attacks of make hostile, on loopback only, bounded in
count and time. Standard library only. Each command prints one JSON
object on stdout when it ends.

  slowloris HOST PORT N SECS ADDRS   N connections from ADDRS, each sending
                     a request's headers one line a second and never
                     ending them; a connection the server closes is opened
                     again at once (the attacker who reconnects)
  flood HOST PORT N SECS ADDRS TEXT  the same, but each sends TEXT once
                     (Python escapes, e.g. "CONNECT / HTTP/1.1\\r\\n...")
                     and holds
  idle HOST PORT N SECS ADDRS        N silent connections opened once,
                     held SECS; counts those the server closed (and when)
  probe HOST PORT SECS PATH...       a well-behaved client from 127.0.0.1:
                     every 0.2 s a GET of each PATH (a path under /ws/
                     is a WebSocket upgrade, answered 101), timed from
                     connect to the status line; a request with no answer
                     within 5 s counts as failed

ADDRS is FIRST-LAST (127.0.0.10-127.0.0.59): source addresses in turn.
"""
import asyncio
import base64
import ipaddress
import json
import os
import resource
import sys
import time

PACE = 1.0  # seconds between a slowloris connection's header lines


def addresses(spec):
    first, _, last = spec.partition("-")
    a, b = int(ipaddress.ip_address(first)), int(ipaddress.ip_address(last or first))
    for n in range(a, b + 1):
        if not ipaddress.ip_address(n).is_loopback:
            sys.exit("hostile: %s is not a loopback address" % ipaddress.ip_address(n))
    return [str(ipaddress.ip_address(n)) for n in range(a, b + 1)]


def unescape(t):
    return t.encode().decode("unicode_escape").encode("latin-1")


class Tally:
    def __init__(self):
        self.opened = self.refused = self.closed_by_server = 0
        self.open_now = self.most_open = 0
        self.close_secs = []

    def up(self):
        self.opened += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)

    def down(self, secs):
        self.open_now -= 1
        self.closed_by_server += 1
        self.close_secs.append(secs)


async def one(host, port, src, first, then, deadline, tally, again):
    """A connection that sends first, then then() lines; reopened if again."""
    while time.monotonic() < deadline:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(
                host, port, local_addr=(src, 0)), 5)
        except (OSError, asyncio.TimeoutError):
            tally.refused += 1
            await asyncio.sleep(0.2)
            continue
        tally.up()
        t0 = time.monotonic()
        closed = False
        try:
            if first:
                w.write(first)
            i = 0
            while time.monotonic() < deadline:
                line = then(i)
                if line:
                    w.write(line)
                    await w.drain()
                i += 1
                try:
                    data = await asyncio.wait_for(r.read(4096), PACE)
                    if not data:
                        closed = True
                        break
                except asyncio.TimeoutError:
                    pass
        except (ConnectionError, OSError):
            closed = True
        if closed:
            tally.down(time.monotonic() - t0)
        else:
            tally.open_now -= 1
        w.close()
        if not again:
            # Held once: wait out the run without reconnecting.
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            return


async def attack(host, port, n, secs, addrs, first, then, again):
    tally = Tally()
    deadline = time.monotonic() + secs
    srcs = addresses(addrs)
    tasks = [one(host, port, srcs[i % len(srcs)], first, then, deadline,
                 tally, again) for i in range(n)]
    await asyncio.gather(*tasks)
    cs = sorted(tally.close_secs)
    return {"opened": tally.opened, "refused": tally.refused,
            "closed_by_server": tally.closed_by_server,
            "most_open": tally.most_open,
            "close_after_p50": round(cs[len(cs) // 2], 2) if cs else None,
            "close_after_max": round(cs[-1], 2) if cs else None}


async def request(host, port, path):
    t0 = time.monotonic()
    r, w = await asyncio.open_connection(host, port, local_addr=("127.0.0.1", 0))
    try:
        if path.startswith("/ws/"):
            key = base64.b64encode(os.urandom(16)).decode()
            w.write(("GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n" % (path, key)).encode())
        else:
            w.write(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     % path).encode())
        line = await r.readline()
        status = int(line.split()[1]) if line.startswith(b"HTTP/1.1 ") else 0
        return status, time.monotonic() - t0
    finally:
        w.close()


async def probe(host, port, secs, paths):
    lat, failed, statuses = [], 0, {}
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        for p in paths:
            try:
                st, dt = await asyncio.wait_for(request(host, port, p), 5)
                statuses[str(st)] = statuses.get(str(st), 0) + 1
                lat.append(dt)
            except (OSError, asyncio.TimeoutError, ValueError, IndexError):
                failed += 1
        await asyncio.sleep(0.2)
    lat.sort()
    pick = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 2)) \
        if lat else (lambda q: None)
    return {"requests": len(lat) + failed, "failed": failed,
            "statuses": statuses, "p50_ms": pick(0.5), "p99_ms": pick(0.99),
            "max_ms": round(lat[-1] * 1000, 2) if lat else None}


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    a = sys.argv[1:]
    if len(a) < 4 or a[0] not in ("slowloris", "flood", "idle", "probe"):
        sys.stderr.write(__doc__)
        sys.exit(64)
    cmd, host, port = a[0], a[1], int(a[2])
    if cmd == "probe":
        out = asyncio.run(probe(host, port, float(a[3]), a[4:] or ["/healthz"]))
    elif cmd == "slowloris":
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
        out = asyncio.run(attack(host, port, int(a[3]), float(a[4]), a[5], head,
                                 lambda i: b"X-Slow-%d: y\r\n" % i, True))
    elif cmd == "flood":
        out = asyncio.run(attack(host, port, int(a[3]), float(a[4]), a[5],
                                 unescape(a[6]), lambda i: b"", True))
    else:
        out = asyncio.run(attack(host, port, int(a[3]), float(a[4]), a[5], b"",
                                 lambda i: b"", False))
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
