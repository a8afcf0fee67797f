# tests/lib/port.sh: free_port, for the tests (through tests/lib.sh) and
# the benchmarks. Source it; needs python3.

# A free TCP port on 127.0.0.1: a random one below the kernel's ephemeral
# range, so that client connections made meanwhile (tens of thousands in
# the benchmarks) cannot take it before the server under test binds it.
free_port() {
	python3 -c '
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
for _ in range(200):
    p = random.randint(20000, max(low - 1, 20001))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
'
}
