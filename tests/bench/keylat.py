#!/usr/bin/env python3
"""keylat.py — key press to screen latency of a program in a tmux pane,
measured from outside through one tmux control-mode client.

    keylat.py SOCKET TARGET COUNT KEY OPEN_REGEX

For COUNT rounds: sends KEY, then reads the pane (capture-pane over the
same control connection, so no process is started per look) until
OPEN_REGEX shows (the "open" time); sends KEY again and reads until it is
gone (the "close" time).  Prints "open MS" / "close MS" lines, or
"open timeout" after 5 s.  A shell loop of `tmux capture-pane` starts two
processes per look, which under full load took tens of milliseconds each:
its samples were as coarse as its own cost.
"""
import re
import subprocess
import sys
import time


class Control:
    def __init__(self, sock, target):
        self.p = subprocess.Popen(["tmux", "-L", sock, "-C", "attach", "-t", target],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  bufsize=0)
        self.out = self.p.stdout
        self.target = target

    def command(self, cmd):
        """Sends one command; returns the lines of its %begin/%end block."""
        self.p.stdin.write((cmd + "\n").encode())
        lines, inside = [], False
        while True:
            line = self.out.readline()
            if not line:
                raise RuntimeError("tmux control client ended")
            line = line.rstrip(b"\n").decode("utf-8", "replace")
            if line.startswith("%begin"):
                inside = True
                lines = []
            elif line.startswith("%end") or line.startswith("%error"):
                if inside:
                    return lines
            elif inside:
                lines.append(line)
            # %output and other notifications outside a block are skipped

    def screen(self):
        return "\n".join(self.command(f"capture-pane -p -t {self.target}"))

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait(timeout=5)


def wait_for(ctl, regex, present, t0, limit_s=5.0):
    while True:
        if (regex.search(ctl.screen()) is not None) == present:
            return (time.monotonic() - t0) * 1000.0
        if time.monotonic() - t0 > limit_s:
            return None


def main():
    sock, target, count, key, pattern = sys.argv[1:6]
    regex = re.compile(pattern)
    ctl = Control(sock, target)
    try:
        for _ in range(int(count)):
            for what, present in (("open", True), ("close", False)):
                t0 = time.monotonic()
                ctl.command(f"send-keys -t {target} '{key}'")
                ms = wait_for(ctl, regex, present, t0)
                print(f"{what} {'timeout' if ms is None else f'{ms:.1f}'}", flush=True)
                time.sleep(0.1 + 0.1 * (time.monotonic_ns() % 3))
    finally:
        ctl.close()


if __name__ == "__main__":
    main()
