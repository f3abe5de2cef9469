#!/usr/bin/env python3
"""Module dependency graph of a crate, and its import cycles.

Usage: scripts/module-graph.py CRATE_SRC_DIR [--edges] [--path A B]

A module is a file (`foo.rs` or `foo/mod.rs`). An edge A -> B means A names B through a path:
`use crate::b::...`, `use super::b`, or an inline `crate::b::item` / `super::b::item`. A parent's
uses of its own children are not counted: a parent declares its children and re-exports them (a
facade), and a child's uses of its parent's items are what make a cycle. Prints every strongly
connected component of more than one module, largest first: each is a set of modules that reach
each other through their imports. --path A B prints a shortest chain of imports from A to B.
--acyclic M... fails (exit 1) if any module named is in a cycle: CI keeps the leaves leaves.
"""
import os
import re
import sys
from collections import defaultdict, deque


def modules(root):
    mods = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), root)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                rel = []
            mods["::".join(rel)] = os.path.join(dirpath, f)
    return mods


def strip(src):
    """The source without comments, string and char literals (paths in them are not imports)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == '"':
            i += 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^'\\\n])'", src[i : i + 4]):
            m = re.match(r"'(\\.|[^'\\\n])'", src[i : i + 4])
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def resolve(mod, path, mods):
    """The module a path like crate::a::b::c or super::x names (the longest existing prefix)."""
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = [], parts[1:]
    elif parts[0] in ("super", "self"):
        base = mod.split("::") if mod else []
        rest = parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    else:
        return None
    best = None
    for i in range(len(rest) + 1):
        cand = "::".join(base + rest[:i])
        if cand in mods:
            best = cand
    return best


def edges(mods):
    g = defaultdict(set)
    for m, f in mods.items():
        src = strip(open(f).read())
        paths = set()
        for u in re.finditer(r"\buse\s+((?:crate|super|self)(?:::\w+)*)(?:::\{([^;]*)\})?", src, re.S):
            head = u.group(1)
            if u.group(2):
                for item in re.split(r",", re.sub(r"\{[^}]*\}", "", u.group(2))):
                    item = item.strip().split(" as ")[0].strip()
                    if item and item != "self":
                        paths.add(head + "::" + item)
                paths.add(head)
            else:
                paths.add(head)
        for p in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", src):
            paths.add(p.group(1))
        for p in paths:
            t = resolve(m, p, mods)
            if t is None or t == m:
                continue
            if t.startswith(m + "::") or (m == "" and t):
                continue  # a parent naming its own child: it declares and re-exports its children
            g[m].add(t)
    return g


def sccs(nodes, g):
    index, low, on, st, out, n = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        st.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = st.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1]
    mods = modules(root)
    g = edges(mods)
    if "--edges" in sys.argv:
        for m in sorted(g):
            print(f"{m or '(root)'} -> {', '.join(sorted(g[m]))}")
        return
    if "--path" in sys.argv:
        i = sys.argv.index("--path")
        a, b = sys.argv[i + 1], sys.argv[i + 2]
        prev, q = {a: None}, deque([a])
        while q:
            v = q.popleft()
            for w in sorted(g.get(v, ())):
                if w not in prev:
                    prev[w] = v
                    q.append(w)
        if b not in prev:
            print(f"no path from {a} to {b}")
            return
        chain, v = [], b
        while v is not None:
            chain.append(v)
            v = prev[v]
        print(" -> ".join(reversed(chain)))
        return
    comps = sorted((c for c in sccs(sorted(mods), g) if len(c) > 1), key=len, reverse=True)
    if not comps:
        print("no import cycles")
    for c in comps:
        print(f"{len(c)} modules: {', '.join(sorted(c))}")
    if "--acyclic" in sys.argv:
        want = sys.argv[sys.argv.index("--acyclic") + 1 :]
        cyclic = {m for c in comps for m in c}
        bad = [m for m in want if m in cyclic]
        missing = [m for m in want if m not in mods]
        if missing:
            sys.exit(f"no such module: {', '.join(missing)}")
        if bad:
            sys.exit(f"in an import cycle: {', '.join(bad)}")


if __name__ == "__main__":
    main()
