#!/usr/bin/env python3
"""compare-results.py OLD NEW: compare two make check result sets.

OLD and NEW are build/results directories (one .res file per stage, lines
"VERDICT NAME # DETAIL").  A check is its stage and NAME; details (timings,
"carried over", log paths) are ignored.  Prints the checks that only one
side has and those whose verdict differs, and a summary; exit status 1 if
a check of OLD is missing from NEW or changed its verdict (checks only NEW
has are listed but allowed: new tests)."""
import os
import sys


def load(d):
    checks = {}
    for name in sorted(os.listdir(d)):
        if not name.endswith(".res"):
            continue
        stage = name[:-4]
        for line in open(os.path.join(d, name), errors="replace"):
            line = line.rstrip("\n")
            if not line:
                continue
            verdict, _, rest = line.partition(" ")
            check = rest.split(" # ", 1)[0]
            key = (stage, check)
            # A check reported twice keeps every verdict (in order).
            checks.setdefault(key, []).append(verdict)
    return checks


old, new = load(sys.argv[1]), load(sys.argv[2])
missing = sorted(k for k in old if k not in new)
added = sorted(k for k in new if k not in old)
changed = sorted(k for k in old if k in new and old[k] != new[k])
for k in missing:
    print(f"only in old: {k[0]}: {k[1]} ({' '.join(old[k])})")
for k in changed:
    print(f"verdict changed: {k[0]}: {k[1]}: {' '.join(old[k])} -> {' '.join(new[k])}")
for k in added:
    print(f"only in new: {k[0]}: {k[1]} ({' '.join(new[k])})")
same = len(old) - len(missing) - len(changed)
print(f"{len(old)} checks before, {len(new)} after: {same} the same, "
      f"{len(missing)} missing, {len(changed)} changed, {len(added)} new")
sys.exit(1 if missing or changed else 0)
