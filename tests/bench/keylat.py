#!/usr/bin/env python3
"""keylat.py — key press to screen latency of a program in a tmux pane,
measured from outside through one tmux control-mode client.

    keylat.py SOCKET TARGET COUNT KEY OPEN_REGEX

For COUNT rounds: sends KEY, then reads the pane (capture-pane over the
same control connection, so no process is started per look) until
OPEN_REGEX shows (the "open" time); sends KEY again and reads until it is
gone (the "close" time).  Prints "open MS" / "close MS" lines, or
"open timeout" after 5 s.  A first round, not counted, finds the line
where OPEN_REGEX shows; every later look reads that line only.

A look must cost little, or the samples are as coarse as the looks: a
shell loop of `tmux capture-pane` starts two processes per look (tens of
milliseconds each under full load); a whole 200x50 screen over the control
connection still costs 5-10 ms a look; one line costs well under 1 ms.
The client asks for no %output notifications (the pane's output, octal-
escaped, a screen 20 times a second), and takes as a command's answer only
a block marked as one (tmux's own, such as attach's, are skipped).
"""
import re
import subprocess
import sys
import time


class Control:
    def __init__(self, sock, target):
        # no-output: tmux sends no %output notification of the pane's
        # output (a full screen 20 times a second, octal-escaped), which
        # this client would only read and drop, on a loaded machine
        self.p = subprocess.Popen(["tmux", "-L", sock, "-C", "attach", "-f", "no-output",
                                   "-t", target],
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
                # "%begin TIME NUMBER FLAGS": FLAGS 1 is the answer to a
                # command of this client; 0 is tmux's own (attach sends
                # one, which would otherwise pass for the next answer)
                inside = line.split()[-1] == "1"
                lines = []
            elif line.startswith("%end") or line.startswith("%error"):
                if inside:
                    return lines
            elif inside:
                lines.append(line)
            # %output and other notifications outside a block are skipped

    def screen(self, line=None):
        """The pane's text, or only its line `line` (0 = top)."""
        rng = "" if line is None else f" -S {line} -E {line}"
        return "\n".join(self.command(f"capture-pane -p{rng} -t {self.target}"))

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait(timeout=5)


def wait_for(ctl, regex, present, t0, line=None, limit_s=5.0):
    while True:
        if (regex.search(ctl.screen(line)) is not None) == present:
            return (time.monotonic() - t0) * 1000.0
        if time.monotonic() - t0 > limit_s:
            return None


def press(ctl, key, regex, present, line=None):
    t0 = time.monotonic()
    ctl.command(f"send-keys -t {ctl.target} '{key}'")
    return wait_for(ctl, regex, present, t0, line)


def main():
    sock, target, count, key, pattern = sys.argv[1:6]
    regex = re.compile(pattern)
    ctl = Control(sock, target)
    try:
        # One round not measured: it finds the line where OPEN_REGEX
        # shows, so that every look after it reads that line only (a
        # whole 200x50 screen costs tmux and this client 5-10 ms a look:
        # the looks would measure themselves).
        line = None
        if press(ctl, key, regex, True) is not None:
            rows = ctl.screen().split("\n")
            line = next((i for i, r in enumerate(rows) if regex.search(r)), None)
        press(ctl, key, regex, False)
        time.sleep(0.2)
        for _ in range(int(count)):
            for what, present in (("open", True), ("close", False)):
                ms = press(ctl, key, regex, present, line)
                print(f"{what} {'timeout' if ms is None else f'{ms:.1f}'}", flush=True)
                time.sleep(0.1 + 0.1 * (time.monotonic_ns() % 3))
    finally:
        ctl.close()


if __name__ == "__main__":
    main()
