#!/usr/bin/env python3
"""cocci-mirror.py TREE MIRROR FILE...: make MIRROR a directory of symlinks
into TREE that holds the C files FILE... (tree-relative) at their own paths,
and every file they reach through quoted includes, so that coccicheck can
run once over MIRROR (M=MIRROR: one spatch per semantic patch, each file
still processed on its own) and see what it sees with M=TREE/FILE.

spatch resolves '#include "x"' against the directory of the including file
first, then the -I directories (which point into TREE in both cases), so a
quoted include must resolve in MIRROR exactly where it resolves in TREE:
the closure over quoted includes, relative to each including file, is
mirrored.  Angle-bracket includes go through -I only and need nothing.
Prints the number of files mirrored."""
import os
import re
import sys

QUOTED = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def main():
    tree, mirror, files = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3:]
    todo = [os.path.normpath(f) for f in files]
    seen = set()
    while todo:
        rel = todo.pop()
        if rel in seen or rel.startswith(".."):
            continue
        seen.add(rel)
        src = os.path.join(tree, rel)
        dst = os.path.join(mirror, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.symlink(src, dst)
        with open(src, errors="replace") as fh:
            text = fh.read()
        for inc in QUOTED.findall(text):
            target = os.path.normpath(os.path.join(os.path.dirname(rel), inc))
            if os.path.isfile(os.path.join(tree, target)):
                todo.append(target)
    print(len(seen))


main()
