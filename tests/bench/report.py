#!/usr/bin/env python3
"""report.py OUT — turns tests/bench/run.sh's raw files (OUT/raw) into
OUT/results.md and OUT/results.csv and prints the main table.

Exit status: 0 (the targets are reported, not enforced)."""
import csv
import glob
import json
import os
import sys

OUT = sys.argv[1]
RAW = os.path.join(OUT, "raw")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def load_meta(path):
    m = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                m[k] = (m[k] + "; " + v) if k in m and k in ("error", "note") else v
    return m


def rss_samples(path):
    rows = []
    try:
        with open(path) as f:
            for r in csv.DictReader(f):
                rows.append((float(r["t_s"]), int(r["rss_kb"]), int(r["hwm_kb"])))
    except (OSError, ValueError, KeyError):
        pass
    return rows


def rss_window(rows, lo, hi):
    """Highest RSS (kB) sampled between fractions lo and hi of the run's
    wall time (the last few percent are shutdown, when RSS drops)."""
    if not rows:
        return None
    end = rows[-1][0]
    v = [r[1] for r in rows if lo * end <= r[0] <= hi * end]
    return max(v) if v else None


def keys(path):
    out = {"open": [], "close": [], "timeouts": 0}
    try:
        with open(path) as f:
            for line in f:
                kind, ms = line.split()
                if ms == "timeout":
                    out["timeouts"] += 1
                else:
                    out[kind].append(float(ms))
    except OSError:
        return None
    return out


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round((len(v) - 1) * p / 100.0)))]


machine = {}
try:
    with open(os.path.join(RAW, "machine.txt")) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                machine[k] = v
except OSError:
    pass
ncpu = int(machine.get("cpus", "2") or 2)

runs = {}
for mpath in sorted(glob.glob(os.path.join(RAW, "*.meta"))):
    name = os.path.basename(mpath)[:-5]
    m = load_meta(mpath)
    r = {"name": name, **m}
    tool = load_json(os.path.join(RAW, name + ".json")) or {}
    kw = load_json(os.path.join(RAW, name + ".kwatch.json")) or {}
    proc = load_json(os.path.join(RAW, name + ".proc.json")) or {}
    frames = load_json(os.path.join(RAW, name + ".frames.json"))
    ks = keys(os.path.join(RAW, name + ".keys"))
    rows = rss_samples(os.path.join(RAW, name + ".rss.csv"))
    orders = int(m.get("orders", "0"))
    r["orders"] = orders
    r["done"] = tool.get("notified")
    if m.get("subject", "").startswith("limit"):
        r["orders_per_sec"] = tool.get("orders_per_sec")
        r["seconds"] = tool.get("seconds")
        lat = tool.get("latency_ms") or {}
        lat_all = tool.get("latency_all_ms") or {}
        r["lat_source"] = "limit sink"
    else:
        r["orders_per_sec"] = tool.get("orders_per_sec")
        r["seconds"] = tool.get("seconds")
        r["kw_orders_per_sec"] = kw.get("orders_per_sec")
        r["kw_count"] = kw.get("count")
        lat = kw.get("latency_ms") or {}
        lat_all = kw.get("latency_all_ms") or {}
        own = tool.get("latency_ms") or {}
        r["own_p50"], r["own_p95"], r["own_p99"] = own.get("p50"), own.get("p95"), own.get("p99")
        r["lost"] = tool.get("lost")
        r["duplicates"] = tool.get("duplicates")
        r["dead_lettered"] = tool.get("dead_lettered")
        r["lat_source"] = "kwatch" if kw else "ordertop summary"
        if not kw and own:
            lat = lat_all = own
    r["p50"], r["p95"], r["p99"], r["max"] = (lat.get(k) for k in ("p50", "p95", "p99", "max"))
    r["p50_all"], r["p99_all"] = lat_all.get("p50"), lat_all.get("p99")
    cpu = proc.get("cpu_s")
    r["cpu_s"] = cpu
    r["wall_s"] = proc.get("wall_s")
    r["cpu_per_100k"] = cpu / orders * 1e5 if cpu is not None and orders else None
    r["peak_rss_mb"] = proc.get("maxrss_kb", 0) / 1024 if proc.get("maxrss_kb") else None
    mid, end = rss_window(rows, 0.40, 0.55), rss_window(rows, 0.80, 0.95)
    r["rss_mid_mb"] = mid / 1024 if mid else None
    r["rss_end_mb"] = end / 1024 if end else None
    r["rss_samples"] = len(rows)
    bcpu = float(m.get("broker_cpu_s", "0") or 0)
    r["broker_cpu_s"] = bcpu
    for k in ("calib_cpu_mops", "calib_pingpong_khz"):
        try:
            r[k] = float(m[k])
        except (KeyError, ValueError):
            r[k] = None
    r["broker_cpu_per_100k"] = bcpu / orders * 1e5 if orders and "broker_cpu_s" in m else None
    tcpu = float(m.get("tmux_cpu_s", "0") or 0)
    r["tmux_cpu_s"] = tcpu if "tmux_cpu_s" in m else None
    bcpu += tcpu
    if proc.get("machine_busy_s") is not None and proc.get("wall_s"):
        others = proc["machine_busy_s"] - (cpu or 0) - bcpu
        r["others_cpu_pct"] = max(0.0, 100.0 * others / (proc["wall_s"] * ncpu))
    if frames:
        r["frame_p50"] = frames["frame_ms"]["p50"]
        r["frame_p99"] = frames["frame_ms"]["p99"]
        r["frame_max"] = frames["frame_ms"]["max"]
        r["frames"] = frames["frame_ms"]["count"]
        r["frame_interval_p50"] = frames["interval_ms"]["p50"]
        r["frame_interval_p99"] = frames["interval_ms"]["p99"]
        r["input_p50"] = frames["input_ms"]["p50"]
        r["input_p99"] = frames["input_ms"]["p99"]
        r["ui_wakeups_per_s"] = frames.get("turns_per_s")
    if ks:
        r["key_open_p50"] = pct(ks["open"], 50)
        r["key_open_p99"] = pct(ks["open"], 99)
        r["key_close_p50"] = pct(ks["close"], 50)
        r["key_close_p99"] = pct(ks["close"], 99)
        r["key_all_p99"] = pct(ks["open"] + ks["close"], 99)
        r["key_max"] = max(ks["open"] + ks["close"]) if ks["open"] + ks["close"] else None
        r["key_presses"] = len(ks["open"]) + len(ks["close"])
        r["key_timeouts"] = ks["timeouts"]
    runs[name] = r


def fmt(v, nd=1):
    if v is None or v == "":
        return "–"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def get(name, key):
    return runs.get(name, {}).get(key)


not_measured_dash = None
p = os.path.join(RAW, "dashboard.not-measured")
if os.path.exists(p):
    not_measured_dash = open(p).read().strip()
not_measured_kafka = None
p = os.path.join(RAW, "kafka.not-measured")
if os.path.exists(p):
    not_measured_kafka = open(p).read().strip()


def subject_rows(section):
    """(label, max-rate run, latency run) per subject of a section."""
    if section == "embedded":
        return [
            ("limit (transactional)", "emb-limit-txn", "emb-limit-txn-lat"),
            ("limit (plain, no transactions)", "emb-limit-plain", None),
            ("limit + ordertop's Kafka traffic (--like-ordertop)", "emb-limit-like", None),
            ("ordertop --headless", "emb-headless", "emb-headless-lat"),
            ("ordertop dashboard 200x50", "emb-dashboard", "emb-dashboard-lat"),
        ]
    return [
        ("limit (transactional)", "kafka-limit-txn", "kafka-limit-txn-lat"),
        ("limit + ordertop's Kafka traffic (--like-ordertop)", "kafka-limit-like", None),
        ("ordertop --headless", "kafka-headless", "kafka-headless-lat"),
    ]


def main_table(section, lines, csv_rows):
    hdr = ("| subject | orders/s at max | run s | e2e p50 / p95 / p99 ms at {rate}/s (after {w}s warm-up)"
           " | e2e p99 incl. warm-up | CPU s per 100k orders (broker's) | peak RSS MB | RSS at 40-55% → 80-95% of the run MB"
           " | frame p99 ms | key p50 / p99 ms | other load % |").format(
        rate=machine.get("rate", "?"), w=machine.get("warmup", "?"))
    lines.append(hdr)
    lines.append("|" + "---|" * 11)
    for label, mx, lt in subject_rows(section):
        if mx not in runs and (lt is None or lt not in runs):
            if "dashboard" in label and not_measured_dash:
                lines.append(f"| {label} | not measured: {not_measured_dash} |" + " |" * 9)
            continue
        a = runs.get(mx, {})
        b = runs.get(lt, {}) if lt else {}
        err = "; ".join(x for x in (a.get("error"), b.get("error")) if x)
        lat = "–"
        if b:
            lat = f"{fmt(b.get('p50'))} / {fmt(b.get('p95'))} / {fmt(b.get('p99'))}"
        keyp = "–"
        if a.get("key_open_p50") is not None:
            keyp = f"{fmt(a.get('key_open_p50'), 0)} / {fmt(a.get('key_all_p99'), 0)}"
        rss = f"{fmt(a.get('rss_mid_mb'))} → {fmt(a.get('rss_end_mb'))}" if a.get("rss_mid_mb") else "–"
        load = max(a.get("others_cpu_pct") or 0, b.get("others_cpu_pct") or 0) if (a or b) else None
        ops = fmt(a.get("orders_per_sec"), 0)
        if err:
            ops += f" (error: {err})"
        lines.append(
            f"| {label} | {ops} | {fmt(a.get('seconds'))} | {lat} | {fmt(b.get('p99_all')) if b else '–'}"
            f" | {fmt(a.get('cpu_per_100k'), 2)} ({fmt(a.get('broker_cpu_per_100k'), 2)}) | {fmt(a.get('peak_rss_mb'))} | {rss}"
            f" | {fmt(a.get('frame_p99'))} | {keyp} | {fmt(load, 0)} |")


# ---- targets ----
def ratio(x, y):
    return x / y if x and y else None


def rep_median(subject):
    v = [r["orders_per_sec"] for r in runs.values()
         if r.get("section") == "repeat" and r.get("subject") == subject and r.get("orders_per_sec")]
    return pct(v, 50) if v else None


t = []
h, lim = get("emb-headless", "orders_per_sec"), get("emb-limit-txn", "orders_per_sec")
d = get("emb-dashboard", "orders_per_sec")
mh, ml, md = rep_median("headless"), rep_median("limit"), rep_median("dashboard")


def ratio_target(name, x, y, mx, my, goal):
    """Judged on the medians of the repeat runs when there are any."""
    r = ratio(x, y)
    text = f"{N_ORDERS} orders: {fmt(x, 0)} / {fmt(y, 0)} = {fmt(r * 100 if r else None, 0)}%"
    mr = ratio(mx, my)
    if mr is not None:
        text += f"; median of 3 runs at {EXTRA_ORDERS}: {fmt(mx, 0)} / {fmt(my, 0)} = {mr * 100:.0f}% (judged)"
        r = mr
    t.append((name, text, None if r is None else r >= goal))


N_ORDERS = f"{int(machine.get('orders', '0')):,}" if machine.get("orders", "").isdigit() else "N"
EXTRA_ORDERS = f"{int(machine.get('extra_orders', '0')):,}" if machine.get("extra_orders", "").isdigit() else "N"
ratio_target("ordertop headless ≥ 70% of the limit's orders/s (embedded)", h, lim, mh, ml, 0.70)
if d is None and not_measured_dash:
    t.append(("dashboard ≥ 90% of headless orders/s", f"not measured: {not_measured_dash}", None))
else:
    ratio_target("dashboard ≥ 90% of headless orders/s", d, h, md, mh, 0.90)
kp = get("emb-dashboard", "key_all_p99")
kt = get("emb-dashboard", "key_timeouts")
t.append(("dashboard keys answered within 50 ms (p99 of open+close, full load, outside: tmux)",
          f"p99 {fmt(kp, 0)} ms, max {fmt(get('emb-dashboard', 'key_max'), 0)} ms, "
          f"{fmt(get('emb-dashboard', 'key_presses'))} presses, {fmt(kt)} timeouts",
          None if kp is None else (kp < 50 and not kt)))
fp = get("emb-dashboard", "frame_p99")
t.append(("dashboard frame p99 < 20 ms (full load)", f"{fmt(fp)} ms over {fmt(get('emb-dashboard', 'frames'))} frames",
          None if fp is None else fp < 20))
for nm, label in (("emb-headless-lat", "headless"), ("emb-dashboard-lat", "dashboard")):
    lp = get(nm, "p99")
    t.append((f"e2e p99 < 50 ms at the fixed rate, embedded ({label}, after warm-up)",
              f"p99 {fmt(lp)} ms (incl. warm-up {fmt(get(nm, 'p99_all'))} ms; ordertop's own figure {fmt(get(nm, 'own_p99'))} ms)",
              None if lp is None else lp < 50))
for nm, label in (("emb-headless", "headless"), ("emb-dashboard", "dashboard"),
                  ("emb-standalone", "standalone: ordertop with its own embedded broker, in-process")):
    if nm == "emb-standalone" and nm not in runs:
        continue
    pk, mid, end = get(nm, "peak_rss_mb"), get(nm, "rss_mid_mb"), get(nm, "rss_end_mb")
    if pk is None:
        t.append((f"RSS flat and well under 200 MB ({label})", "not measured", None))
        continue
    grow = end - mid if mid and end else None
    flat = grow is not None and grow <= 10.0 and grow <= 0.10 * mid
    t.append((f"RSS flat (grows < 10 MB and < 10% from the middle of the run to its end) and well under 200 MB (< 150 MB) ({label}, {fmt(get(nm, 'orders'))} orders)",
              f"peak {fmt(pk)} MB; {fmt(mid)} MB at 40-55% of the run → {fmt(end)} MB at 80-95%",
              flat and pk < 150))

# ---- markdown ----
L = []
L.append("# ordertop benchmark")
L.append("")
L.append(f"{machine.get('date', '')} — {machine.get('host', '')}, {machine.get('cpus', '?')} CPUs "
         f"({machine.get('cpu_model', '')}), librdkafka {machine.get('librdkafka', '')}, "
         f"{machine.get('ordertop', '')} {machine.get('commit', '')}")
L.append("")
L.append(f"Settings: {machine.get('orders', '?')} orders per max-rate run (embedded), latency at "
         f"{machine.get('rate', '?')} orders/s for {machine.get('latency_seconds', '?')} s, "
         f"{machine.get('extra_orders', '?')} orders per extra run, {machine.get('kafka_orders', '?')} per max-rate run "
         f"on the real broker, {machine.get('keys', '?')} key presses. Load average {machine.get('loadavg_start', '?')} at the start, "
         f"{machine.get('loadavg_end', '?')} at the end; bench took {machine.get('bench_seconds', '?')} s.")
L.append("")
cal = [r for r in runs.values() if r.get("calib_cpu_mops")]
if cal:
    cm = [r["calib_cpu_mops"] for r in cal]
    pp = [r["calib_pingpong_khz"] for r in cal if r.get("calib_pingpong_khz")]
    spread = lambda v: (max(v) - min(v)) / max(v) * 100 if v else 0
    L.append(f"Machine speed before each run (procmon --calibrate): integer loop {min(cm):.0f}–{max(cm):.0f} M/s"
             f" ({spread(cm):.0f}% spread), thread ping-pong {min(pp):.1f}–{max(pp):.1f} k round trips/s"
             f" ({spread(pp):.0f}% spread)"
             + (". **The machine's speed varied by more than 15% during the bench: compare numbers with care.**"
                if spread(cm) > 15 or spread(pp) > 15 else "."))
    try:
        steal = (int(machine.get("steal_end", 0)) - int(machine.get("steal_start", 0))) / os.sysconf("SC_CLK_TCK")
        L.append(f"CPU time stolen by the hypervisor during the bench: {steal:.1f} s.")
    except ValueError:
        pass
    L.append("")
L.append("## Embedded broker (librdkafka mock cluster: a bare `ordertop --headless --roles none`, 3 brokers, 3 partitions)")
L.append("")
main_table("embedded", L, None)
L.append("")
L.append("## Ratios")
L.append("")
def rline(label, x, y, unit="%"):
    rr = ratio(x, y)
    L.append(f"- {label}: {fmt(x, 0)} / {fmt(y, 0)} = **{fmt(rr * 100 if rr else None, 0)}{unit}**")
rline("ordertop headless / limit (transactional), orders/s", h, lim)
rline("ordertop headless / limit (plain), orders/s", h, get("emb-limit-plain", "orders_per_sec"))
rline("limit plain / limit transactional, orders/s", get("emb-limit-plain", "orders_per_sec"), lim)
like = get("emb-limit-like", "orders_per_sec")
rline("limit + ordertop's Kafka traffic / limit, orders/s (what ordertop's monitor reading orders and"
      " decisions costs a program that does nothing else)", like, lim)
rline("ordertop headless / limit + ordertop's Kafka traffic, orders/s (what ordertop's own work costs)", h, like)
rline("dashboard / headless, orders/s", d, h)
c1, c2, c3 = get("emb-headless", "cpu_per_100k"), get("emb-limit-txn", "cpu_per_100k"), get("emb-dashboard", "cpu_per_100k")
if c1 and c2:
    L.append(f"- CPU per order, headless / limit: {c1:.2f} / {c2:.2f} s per 100k = **{c1 / c2:.1f}×**")
if c3 and c1:
    L.append(f"- CPU per order, dashboard / headless: {c3:.2f} / {c1:.2f} s per 100k = **{c3 / c1:.2f}×**")
L.append("")
L.append("## Targets")
L.append("")
L.append("| target | measured | result |")
L.append("|---|---|---|")
for name, meas, ok in t:
    L.append(f"| {name} | {meas} | {'n/a' if ok is None else ('PASS' if ok else 'FAIL')} |")
L.append("")

if any(k.startswith("kafka-") for k in runs) or not_measured_kafka:
    L.append("## Real Kafka broker (tests/kafka/kafka.sh start single)")
    L.append("")
    if not_measured_kafka:
        L.append(f"Skipped: {not_measured_kafka}")
    else:
        main_table("kafka", L, None)
        kh, kl = get("kafka-headless", "orders_per_sec"), get("kafka-limit-txn", "orders_per_sec")
        L.append("")
        rline("ordertop headless / limit (transactional), orders/s, real broker", kh, kl)
        kk = get("kafka-limit-like", "orders_per_sec")
        rline("limit + ordertop's Kafka traffic / limit, orders/s, real broker", kk, kl)
        rline("ordertop headless / limit + ordertop's Kafka traffic, orders/s, real broker", kh, kk)
        L.append("")
        L.append("The broker's own CPU (the Kafka JVM) is not in the CPU column; see results.csv broker_cpu_s.")
    L.append("")

rep = [r for r in runs.values() if r.get("section") == "repeat"]
if rep:
    L.append("## Repeatability (embedded, 3 runs each at the same N, fresh broker each)")
    L.append("")
    L.append("| subject | orders | orders/s min / median / max | CPU s per 100k (median) | broker CPU s per 100k (median) |")
    L.append("|---|---|---|---|---|")
    med = {}
    for subj, label in (("limit", "limit (transactional)"),
                        ("limit-like", "limit + ordertop's Kafka traffic"), ("headless", "ordertop --headless"),
                        ("dashboard", "ordertop dashboard 200x50 (no key presses)")):
        rs = [r for r in rep if r.get("subject") == subj and r.get("orders_per_sec")]
        if not rs:
            continue
        ops = sorted(r["orders_per_sec"] for r in rs)
        med[subj] = pct(ops, 50)
        L.append(f"| {label} | {fmt(rs[0]['orders'])} | {fmt(ops[0], 0)} / {fmt(pct(ops, 50), 0)} / {fmt(ops[-1], 0)}"
                 f" | {fmt(pct([r['cpu_per_100k'] for r in rs if r.get('cpu_per_100k')], 50), 2)}"
                 f" | {fmt(pct([r['broker_cpu_per_100k'] for r in rs if r.get('broker_cpu_per_100k') is not None], 50), 2)} |")
    L.append("")
    if med.get("limit") and med.get("headless"):
        L.append(f"Median ordertop headless / median limit: {fmt(med['headless'], 0)} / {fmt(med['limit'], 0)} = "
                 f"**{med['headless'] / med['limit'] * 100:.0f}%**.")
    if med.get("limit-like") and med.get("headless"):
        L.append(f"Median ordertop headless / median limit + ordertop's Kafka traffic: {fmt(med['headless'], 0)}"
                 f" / {fmt(med['limit-like'], 0)} = **{med['headless'] / med['limit-like'] * 100:.0f}%**.")
    if med.get("dashboard") and med.get("headless"):
        L.append(f"Median dashboard / median headless: {fmt(med['dashboard'], 0)} / {fmt(med['headless'], 0)} = "
                 f"**{med['dashboard'] / med['headless'] * 100:.0f}%**.")
    L.append("")

extra = [r for r in runs.values() if r.get("section") == "extra"]
if extra:
    L.append("## Extra runs (embedded): --max-in-flight, and ordertop with its own in-process broker")
    L.append("")
    L.append("| run | orders | orders/s | e2e p50 / p95 / p99 ms (whole run) | ordertop's own p50 / p99 ms | CPU s per 100k (broker's) | peak RSS MB |")
    L.append("|---|---|---|---|---|---|---|")
    for r in sorted(extra, key=lambda x: x["name"]):
        L.append(f"| {r['name']} | {fmt(r['orders'])} | {fmt(r.get('orders_per_sec'), 0)}"
                 f" | {fmt(r.get('p50'))} / {fmt(r.get('p95'))} / {fmt(r.get('p99'))}"
                 f" | {fmt(r.get('own_p50'))} / {fmt(r.get('own_p99'))}"
                 f" | {fmt(r.get('cpu_per_100k'), 2)} ({fmt(r.get('broker_cpu_per_100k'), 2)}) | {fmt(r.get('peak_rss_mb'))} |")
    L.append("")
    L.append("At --rate max the generator keeps --max-in-flight orders in the pipeline, so by Little's law"
             " the latency there is about max-in-flight / throughput: it measures the queue, not the pipeline."
             " Latency targets are for the fixed rate.")
    L.append("")

dash = runs.get("emb-dashboard")
if dash and dash.get("frames"):
    L.append("## Dashboard detail (full load)")
    L.append("")
    L.append(f"- frames: {fmt(dash.get('frames'))}; frame time (poll() return → doupdate() done, "
             f"event draining included) p50 {fmt(dash.get('frame_p50'), 2)} ms, p99 {fmt(dash.get('frame_p99'), 2)} ms,"
             f" max {fmt(dash.get('frame_max'), 2)} ms")
    L.append(f"- interval between frames p50 {fmt(dash.get('frame_interval_p50'))} ms, p99 {fmt(dash.get('frame_interval_p99'))} ms;"
             f" the UI thread woke {fmt(dash.get('ui_wakeups_per_s'), 0)} times a second (loop turns) for 20 frames a second")
    L.append(f"- key press → screen, inside the process (stdin readable → doupdate): "
             f"p50 {fmt(dash.get('input_p50'), 2)} ms, p99 {fmt(dash.get('input_p99'), 2)} ms")
    L.append(f"- key press → screen, from outside (tmux send-keys → capture-pane shows it, one control-mode client): "
             f"open help p50 {fmt(dash.get('key_open_p50'), 0)} / p99 {fmt(dash.get('key_open_p99'), 0)} ms, "
             f"close p50 {fmt(dash.get('key_close_p50'), 0)} / p99 {fmt(dash.get('key_close_p99'), 0)} ms")
    dl = runs.get("emb-dashboard-lat")
    if dl and dl.get("frames"):
        L.append(f"- at {dl.get('rate')} orders/s: frame p99 {fmt(dl.get('frame_p99'), 2)} ms, CPU {fmt(dl.get('cpu_s'))} s"
                 f" for {fmt(dl.get('orders'))} orders, UI wake-ups {fmt(dl.get('ui_wakeups_per_s'), 0)}/s")
    L.append("")

L.append("## Notes")
L.append("")
L.append("- orders/s: limit: N / (first produce → last notified record at its sink); ordertop: the --summary's"
         " orders_per_sec (first delivered order → last order final), cross-checked with kwatch (results.csv kw_orders_per_sec).")
L.append("- Latency at the fixed rate: limit: creation → its sink; ordertop: creation (the notified record's created_at) →"
         " arrival at kwatch, an outside read_committed consumer, so it includes the last hop that ordertop's own e2e"
         " figure (created → notified record's timestamp) leaves out. Orders created in the first"
         " warm-up seconds are left out; 'incl. warm-up' keeps them.")
L.append("- RSS: sampled every 0.5 s (raw/*.rss.csv); 'middle' and 'end' are the highest samples at 40-55% and"
         " 80-95% of the run's wall time (the last seconds are shutdown).")
L.append("- CPU: user+sys of the measured process over the whole run (start-up and group joins included),"
         " broker process excluded (its CPU is broker_cpu_s in results.csv). Peak RSS: the process's maxrss (VmHWM).")
L.append("- 'other load %': CPU used on the machine by anything but the measured process and the broker during the"
         " run, as % of all CPUs. Above ~10% the numbers are disturbed.")
L.append("")

with open(os.path.join(OUT, "results.md"), "w") as f:
    f.write("\n".join(L) + "\n")

cols = ["name", "section", "subject", "kind", "orders", "rate", "done", "orders_per_sec", "seconds",
        "kw_orders_per_sec", "kw_count", "lat_source", "p50", "p95", "p99", "max", "p50_all", "p99_all",
        "own_p50", "own_p95", "own_p99", "cpu_s", "wall_s", "cpu_per_100k", "peak_rss_mb", "rss_mid_mb",
        "rss_end_mb", "rss_samples", "broker_cpu_s", "broker_cpu_per_100k", "tmux_cpu_s", "others_cpu_pct", "calib_cpu_mops", "calib_pingpong_khz", "frames", "frame_p50", "frame_p99",
        "frame_max", "frame_interval_p50", "frame_interval_p99", "input_p50", "input_p99", "ui_wakeups_per_s",
        "key_presses",
        "key_open_p50", "key_open_p99", "key_close_p50", "key_close_p99", "key_all_p99", "key_max",
        "key_timeouts", "lost", "duplicates", "dead_lettered", "error", "note"]
with open(os.path.join(OUT, "results.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for name in sorted(runs):
        r = runs[name]
        w.writerow([("%.3f" % r[c]) if isinstance(r.get(c), float) else r.get(c, "") for c in cols])

print("\n".join(L))
