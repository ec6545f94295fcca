#!/usr/bin/env python3
"""batch_codec.py BOOTSTRAP TOPIC — the compression codec of every record
batch on TOPIC, read with a raw Fetch request (v4) from each partition's
leader, as a client without any codec library would see the batches:
prints one line per codec found, "codec count" (none, gzip, snappy, lz4,
zstd).  Uses kcat -L -J for the leaders; nothing but the standard library
otherwise."""
import json, socket, struct, subprocess, sys

CODECS = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}


def kstr(s):
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def request(addr, api_key, version, body, corr=1):
    host, port = addr.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        msg = struct.pack(">hhi", api_key, version, corr) + kstr("batch_codec") + body
        s.sendall(struct.pack(">i", len(msg)) + msg)
        size = struct.unpack(">i", recv(s, 4))[0]
        return recv(s, size)[4:]          # past the correlation id


def recv(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise SystemExit("connection closed")
        buf += chunk
    return buf


def fetch_codecs(addr, topic, partition, counts):
    # Fetch v4: replica, max_wait, min_bytes, max_bytes, isolation, topics
    body = struct.pack(">iiiib", -1, 0, 0, 64 << 20, 0) + struct.pack(">i", 1) + kstr(topic)
    body += struct.pack(">i", 1) + struct.pack(">iqi", partition, 0, 64 << 20)
    r = request(addr, 1, 4, body)
    pos = 4                               # throttle time
    (n_topics,) = struct.unpack_from(">i", r, pos); pos += 4
    for _ in range(n_topics):
        (tl,) = struct.unpack_from(">h", r, pos); pos += 2 + tl
        (n_parts,) = struct.unpack_from(">i", r, pos); pos += 4
        for _ in range(n_parts):
            part, err, hw, lso = struct.unpack_from(">ihqq", r, pos); pos += 22
            (n_aborted,) = struct.unpack_from(">i", r, pos); pos += 4
            pos += max(n_aborted, 0) * 16
            (size,) = struct.unpack_from(">i", r, pos); pos += 4
            records = r[pos:pos + max(size, 0)]; pos += max(size, 0)
            if err:
                raise SystemExit("fetch %s [%d]: error %d" % (topic, part, err))
            bpos = 0
            while bpos + 23 <= len(records):
                base, blen, epoch, magic, crc, attrs = struct.unpack_from(">qiibIh", records, bpos)
                if bpos + 12 + blen > len(records):
                    break                 # a partial batch at the end
                if magic != 2:
                    raise SystemExit("magic %d" % magic)
                codec = CODECS.get(attrs & 7, str(attrs & 7))
                counts[codec] = counts.get(codec, 0) + 1
                bpos += 12 + blen


def main():
    bootstrap, topic = sys.argv[1], sys.argv[2]
    md = json.loads(subprocess.run(["kcat", "-L", "-J", "-b", bootstrap, "-t", topic],
                                   capture_output=True, text=True, check=True).stdout)
    brokers = {b["id"]: b["name"] for b in md["brokers"]}
    counts = {}
    for t in md["topics"]:
        for p in t["partitions"]:
            fetch_codecs(brokers[p["leader"]], topic, p["partition"], counts)
    for codec, n in sorted(counts.items()):
        print(codec, n)


main()
