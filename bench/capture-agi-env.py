#!/usr/bin/env python3
"""Capture what real Asterisk sends over FastAGI, byte for byte, to check the load generator (AgiLoad).

Listens on 127.0.0.1 (a free port), originates one call through the sandbox into
Local/TO@vorzimmer-bench-route with __VZ_AGI_HOST pointing here (no global is touched), answers every
command with "200 result=1" as Asterisk does, and prints each chunk as Asterisk wrote it (repr + the
milliseconds since connect) -- the environment, our replies and how the connection ends.

Usage: bench/capture-agi-env.py [TO] [FROM] [FWD]   (needs scripts/asterisk-sandbox up)
"""
import socket, subprocess, sys, threading, time, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
to = sys.argv[1] if len(sys.argv) > 1 else "+49301234567"
frm = sys.argv[2] if len(sys.argv) > 2 else "+49309876543"
fwd = sys.argv[3] if len(sys.argv) > 3 else ""
st = dict(l.split("=", 1) for l in subprocess.run([root + "/scripts/asterisk-sandbox", "status"],
          capture_output=True, text=True, check=True).stdout.split())
ami_port = int(st["ami"].split(":")[1])

srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1); srv.settimeout(15)
port = srv.getsockname()[1]
commands = ["SET VARIABLE VZ_ACTION \"screen\"\n"]

def serve():
    c, _ = srv.accept(); t0 = time.monotonic(); c.settimeout(5)
    buf = b""
    while b"\n\n" not in buf:
        d = c.recv(65536)
        print("  %6.2f ms  <- %r" % ((time.monotonic() - t0) * 1000, d)); buf += d
        if not d: return
    for cmd in commands:
        c.sendall(cmd.encode()); print("  %6.2f ms  -> %r" % ((time.monotonic() - t0) * 1000, cmd))
        d = c.recv(65536); print("  %6.2f ms  <- %r" % ((time.monotonic() - t0) * 1000, d))
    c.shutdown(socket.SHUT_WR)
    while True:
        d = c.recv(65536)
        print("  %6.2f ms  <- %r (after our close)" % ((time.monotonic() - t0) * 1000, d))
        if not d: break
    c.close()

th = threading.Thread(target=serve); th.start()
a = socket.create_connection(("127.0.0.1", ami_port)); f = a.makefile("rb")
f.readline()
def send(**kv): a.sendall(("".join("%s: %s\r\n" % kv_ for kv_ in kv.items()) + "\r\n").encode())
send(Action="Login", Username=st["ami_user"], Secret=st["ami_secret"], Events="off")
variables = "VZ_BENCH_FROM=%s,VZ_BENCH_FWD=%s,__VZ_AGI_HOST=127.0.0.1:%d" % (frm, fwd, port)
send(Action="Originate", Channel="Local/%s@vorzimmer-bench-route" % to, Context="vorzimmer-bench-sink",
     Exten="s", Priority="1", Async="true", Timeout="10000", Variable=variables)
th.join(20); send(Action="Logoff"); a.close()
