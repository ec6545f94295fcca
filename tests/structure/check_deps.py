#!/usr/bin/env python3
"""check_deps.py — reads ordertop's object files with nm and fails when they
depend on each other in a circle, or when a folder uses one it may not.

An object depends on another when one of its undefined symbols is defined
there.  With a layers file, the sources' #include "x.h" lines are checked
against it too (a header can carry a dependency nm does not see: a type, a
macro).  Usage: check_deps.py BUILD_DIR [LAYERS_FILE]

LAYERS_FILE (tests/structure/layers.txt) has one line per folder:
    src/json: src/base
meaning objects in src/json may use only objects of src/json and src/base.
Prints TAP ("ok N" / "not ok N") so tests/run.sh counts the cases.
"""
import glob
import os
import re
import subprocess
import sys


def objects(build):
    """The objects of today's sources (a build directory can keep objects of
    files that have since moved)."""
    out = []
    for top in ("src", "ui"):
        for root, _, files in os.walk(os.path.join(build, top)):
            for f in files:
                o = os.path.join(root, f)
                if f.endswith(".o") and os.path.exists(os.path.relpath(o, build)[:-2] + ".c"):
                    out.append(o)
    return sorted(out)


def symbols(obj):
    text = subprocess.run(["nm", obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRVWGSC" and parts[1].isupper():
            defined.add(parts[2])
    return defined, undefined


def circles(graph):
    """Tarjan's strongly connected components with more than one member."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def load_layers(path):
    layers = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if ":" not in line:
                sys.exit(f"{path}:{n}: expected 'folder: allowed folders'")
            folder, allowed = line.split(":", 1)
            layers[folder.strip()] = set(allowed.split()) | {folder.strip()}
    return layers


def include_violations(layers):
    """#include "x.h" lines whose header lives in a folder the file may not use."""
    sources = sorted(glob.glob("src/**/*.[ch]", recursive=True) + glob.glob("ui/**/*.[ch]", recursive=True))
    where = {}
    for path in sources:
        if path.endswith(".h"):
            where.setdefault(os.path.basename(path), os.path.dirname(path))
    bad = []
    for path in sources:
        folder = os.path.dirname(path)
        allowed = layers.get(folder)
        if allowed is None:
            continue            # reported by the object check
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                h = os.path.basename(m.group(1))
                hf = where.get(h)
                if hf is not None and hf not in allowed:
                    bad.append(f"{path}:{n}: includes {hf}/{h}: {folder} may not use {hf}")
    return bad


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    objs = objects(build)
    if not objs:
        print(f"not ok 1 - no object files under {build}/src or {build}/ui (build first)")
        return 1
    name = {o: os.path.relpath(o, build)[:-2] + ".c" for o in objs}
    defs, undefs = {}, {}
    for o in objs:
        d, u = symbols(o)
        undefs[o] = u
        for s in d:
            defs.setdefault(s, o)
    graph = {name[o]: set() for o in objs}
    why = {}
    for o in objs:
        for s in undefs[o]:
            t = defs.get(s)
            if t and t != o:
                graph[name[o]].add(name[t])
                why.setdefault((name[o], name[t]), s)

    failed = 0
    found = circles(graph)
    if found:
        failed += 1
        print("not ok 1 - object files depend on each other in a circle")
        for comp in found:
            print(f"#   circle of {len(comp)}: " + " ".join(comp))
            members = set(comp)
            for a in comp:
                for b in sorted(graph[a] & members):
                    print(f"#     {a} -> {b} ({why[(a, b)]})")
    else:
        print(f"ok 1 - no circles among {len(objs)} object files")

    if len(sys.argv) > 2:
        layers = load_layers(sys.argv[2])
        bad = []
        for a in sorted(graph):
            fa = os.path.dirname(a)
            if fa not in layers:
                bad.append(f"{a}: its folder {fa} is not in {sys.argv[2]}")
                continue
            for b in sorted(graph[a]):
                fb = os.path.dirname(b)
                if fb not in layers[fa]:
                    bad.append(f"{a} -> {b} ({why[(a, b)]}): {fa} may not use {fb}")
        if bad:
            failed += 1
            print("not ok 2 - a folder uses one it may not")
            for line in bad:
                print("#   " + line)
        else:
            print("ok 2 - every folder uses only the folders it may")
        bad = include_violations(layers)
        if bad:
            failed += 1
            print("not ok 3 - a source includes a header of a folder it may not use")
            for line in bad:
                print("#   " + line)
        else:
            print("ok 3 - every #include stays within the folders a file may use")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
