"""http_burst.py — the checks of test_http_burst.sh (TAP lines).

A burst of 10,000 connections at once (loopback; asyncio) against --http
while orders flow, from the generator and over HTTP: ordertop stays up,
/healthz answers afterwards, and, ended with --drain, the run's counts
are exact (--summary: every order final, duplicates 0, lost 0).  Bounded:
the burst is over in 30 s; raises its own limit of open files.
"""
import asyncio
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ORDERTOP = sys.argv[1]
BURST = 10000
fails = 0


def check(name, cond, detail=""):
    global fails
    if cond:
        print(f"ok - {name}", flush=True)
    else:
        fails += 1
        print(f"not ok - {name}" + (f"  # {detail}" if detail else ""), flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path, timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


async def one(port, i, hold, out):
    """Opens a connection; every other one asks for /healthz; all stay
    open until the whole burst is open (hold), then close."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 8)
    except (OSError, asyncio.TimeoutError):
        out["not connected"] = out.get("not connected", 0) + 1
        return
    try:
        if i % 2 == 0:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            line = await asyncio.wait_for(reader.readline(), 10)
            key = "200" if line.startswith(b"HTTP/1.1 200") else "closed" if not line else "other"
        else:
            key = "held"
        out[key] = out.get(key, 0) + 1
        await hold.wait()
    except (OSError, asyncio.TimeoutError) as e:
        key = type(e).__name__
        out[key] = out.get(key, 0) + 1
    finally:
        writer.close()


async def burst(port):
    out = {}
    hold = asyncio.Event()
    tasks = [asyncio.create_task(one(port, i, hold, out)) for i in range(BURST)]
    await asyncio.sleep(0)
    await asyncio.wait(tasks, timeout=20)
    hold.set()
    await asyncio.wait(tasks, timeout=30)
    for t in tasks:
        t.cancel()
    return out


def post_orders(port, n, result):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for k in range(n):
        body = json.dumps({"user_id": f"b{k % 13}", "item": "pen", "quantity": 1, "unit_price": 2})
        try:
            c.request("POST", "/orders", body, {"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            result[r.status] = result.get(r.status, 0) + 1
        except (OSError, http.client.HTTPException):
            result["error"] = result.get("error", 0) + 1
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            time.sleep(0.05)
    c.close()


soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = BURST + 1000
if soft < want:
    if hard != resource.RLIM_INFINITY and hard < want:
        print(f"ok - # SKIP the hard limit of open files ({hard}) is under {want}")
        sys.exit(0)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

tmp = tempfile.mkdtemp(prefix="ordertop-burst.")
summary = os.path.join(tmp, "summary.json")
port = free_port()
log = open(os.path.join(tmp, "ordertop.log"), "w")
ot = subprocess.Popen([ORDERTOP, "--headless", "--http", str(port), "--rate", "500", "--duration",
                       "40", "--drain",
                       "--summary", summary],
                      stdout=log, stderr=subprocess.STDOUT)
try:
    end = time.time() + 60
    up = False
    while time.time() < end and not up:
        try:
            up = get(port, "/readyz")[0] == 200
        except OSError:
            time.sleep(0.2)
    check("ordertop --http comes up with the generator on", up)

    posted = {}
    poster = threading.Thread(target=post_orders, args=(port, 300, posted))
    poster.start()
    t0 = time.time()
    out = asyncio.run(burst(port))
    took = time.time() - t0
    poster.join(120)
    print(f"# burst of {BURST} connections in {took:.1f} s: {out}; POST /orders: {posted}")
    check(f"a burst of {BURST} connections is over within 30 s", took < 30, took)
    check("... some of them were served (/healthz 200)", out.get("200", 0) > 0, out)
    check("ordertop is still running", ot.poll() is None, ot.poll())
    st = 0
    for _ in range(25):
        try:
            st = get(port, "/healthz")[0]
            if st == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    check("/healthz answers 200 after the burst", st == 200, st)
    check("orders posted over HTTP during the burst were taken (202) or turned away "
          "with a status (503), never lost in between", posted.get(202, 0) > 0 and
          set(posted) <= {202, 503, "error"}, posted)
    try:
        rc = ot.wait(150)
    except subprocess.TimeoutExpired:
        rc = None
    check("the run ends (--duration 40, --drain), exit 0", rc == 0, rc)
    s = json.load(open(summary)) if os.path.exists(summary) else {}
    check("--summary: duplicates 0, lost 0",
          s.get("duplicates") == 0 and s.get("lost") == 0, {k: s.get(k) for k in
                                                          ("duplicates", "lost")})
    check("--summary: every order produced reached its final state",
          s.get("produced", 0) >= s.get("generated", 0) + posted.get(202, 0) > 0 and
          s.get("notified", 0) + s.get("dead_lettered", 0) == s.get("produced"),
          {k: s.get(k) for k in ("produced", "generated", "notified", "dead_lettered")})
finally:
    if ot.poll() is None:
        ot.send_signal(signal.SIGTERM)
        try:
            ot.wait(30)
        except subprocess.TimeoutExpired:
            ot.kill()
    log.close()
    if fails:
        print("# ordertop's log: " + log.name)
    else:
        shutil.rmtree(tmp, ignore_errors=True)

print(f"# {fails} failed")
sys.exit(1 if fails else 0)
