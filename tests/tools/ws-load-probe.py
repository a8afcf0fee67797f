#!/usr/bin/env python3
"""ws-load-probe: a small WebSocket test client for ws-fanout's integration
tests, on Python's websockets (a client written by someone else) or on a
raw socket where a test needs to misbehave (never read, never pong).

  recv URL N [TIMEOUT]     print the first N messages, then {"_closed":code}
                           if the server closes first (stop quietly when
                           none comes within TIMEOUT seconds)
  status URL               print the HTTP status of a refused upgrade, or 101
  hold URL N [SRC]         open N connections from address SRC, print one
                           status per connection, keep them until stdin ends
  send URL BYTES           send one message of BYTES bytes (uncompressed);
                           print the close
  stall URL SECS UNTIL     connect with a tiny receive buffer, read nothing
                           for SECS, then read until a message contains UNTIL;
                           print every message
  nopong URL SECS          raw client that never reads or answers pings;
                           print "closed" and the seconds it took, or "open"
"""
import asyncio
import base64
import json
import os
import socket
import sys
import time

import websockets


def out(obj):
    print(obj if isinstance(obj, str) else json.dumps(obj), flush=True)


async def recv(url, n, timeout):
    try:
        async with websockets.connect(url, max_size=None) as ws:
            for _ in range(n):
                out(await asyncio.wait_for(ws.recv(), timeout))
    except websockets.ConnectionClosed as e:
        out({"_closed": e.rcvd.code if e.rcvd else None})
    except asyncio.TimeoutError:
        pass  # fewer than n messages: the caller counts the lines


async def status(url):
    try:
        async with websockets.connect(url) as ws:
            out("101")
    except websockets.InvalidStatusCode as e:
        out(str(e.status_code))
    except Exception as e:  # noqa: BLE001 - report what went wrong
        out("error %s" % e)


async def hold(url, n, src):
    conns = []
    for _ in range(n):
        try:
            sock = socket.socket()
            sock.bind((src, 0))
            host, port = url.split("/")[2].split(":")
            sock.connect((host, int(port)))
            ws = await websockets.connect(url, sock=sock, max_size=None)
            conns.append(ws)
            out("101")
        except websockets.InvalidStatusCode as e:
            out(str(e.status_code))
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for ws in conns:
        await ws.close()


async def send(url, nbytes):
    # Uncompressed: ws-fanout (lws 4.1) closes a compressed client
    # message with 1002 whatever its size (ws-fanout-deflate-bomb-1002).
    try:
        async with websockets.connect(url, max_size=None,
                                      compression=None) as ws:
            await ws.recv()
            await ws.send("x" * nbytes)
            while True:
                await asyncio.wait_for(ws.recv(), 3)
    except websockets.ConnectionClosed as e:
        out({"_closed": e.rcvd.code if e.rcvd else None})
    except asyncio.TimeoutError:
        out("open")


async def stall(url, secs, until):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    host, port = url.split("/")[2].split(":")
    sock.connect((host, int(port)))
    ws = await websockets.connect(url, sock=sock, max_size=None,
                                  max_queue=1, read_limit=4096,
                                  ping_interval=None)
    ws.transport.pause_reading()
    out({"_stalled": secs})
    await asyncio.sleep(secs)
    ws.transport.resume_reading()
    while True:
        m = await asyncio.wait_for(ws.recv(), 20)
        out(m)
        if until in m:
            break
    await ws.close()


def nopong(url, secs):
    host, port = url.split("/")[2].split(":")
    path = "/" + url.split("/", 3)[3]
    s = socket.create_connection((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (path, host, key))
              .encode())
    t0 = time.time()
    s.settimeout(0.2)
    # Read (so the socket stays healthy) but never answer a ping.
    while time.time() - t0 < secs:
        try:
            if s.recv(65536) == b"":
                out("closed %.1f" % (time.time() - t0))
                return
        except socket.timeout:
            pass
        except ConnectionResetError:
            out("closed %.1f" % (time.time() - t0))
            return
    out("open")


def main():
    cmd, url = sys.argv[1], sys.argv[2]
    a = sys.argv[3:]
    if cmd == "recv":
        asyncio.run(recv(url, int(a[0]), float(a[1]) if len(a) > 1 else 10))
    elif cmd == "status":
        asyncio.run(status(url))
    elif cmd == "hold":
        asyncio.run(hold(url, int(a[0]), a[1] if len(a) > 1 else "127.0.0.1"))
    elif cmd == "send":
        asyncio.run(send(url, int(a[0])))
    elif cmd == "stall":
        asyncio.run(stall(url, float(a[0]), a[1]))
    elif cmd == "nopong":
        nopong(url, float(a[0]))
    else:
        sys.exit(64)


if __name__ == "__main__":
    main()
