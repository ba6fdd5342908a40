#!/usr/bin/env python3
"""warn-diff.py BASE_LOG TIP_LOG FILE...: print compiler/sparse/coccicheck warnings for
FILEs that appear in TIP_LOG but not in BASE_LOG.  Warnings are compared by
(file, message) with line numbers dropped, also those inside a message
(coccicheck's "... of the iterator on line 226"), as a multiset, so that
code moving around does not count as new warnings.  Exit status 1 if any
are new."""
import collections
import re
import sys

# gcc/sparse: "f.c:12:5: warning: msg"; coccicheck: "f.c:12:5-9: WARNING: msg"
PAT = re.compile(r"^(\S+\.[ch]):\d+(?::[\d-]+)?:\s*(warning|error|WARNING|ERROR|INFO)\b:?\s*(.*)$")
LINE_REF = re.compile(r"\b(on line|line) \d+")


def load(path, files):
    """Counter of (file, message) for the warnings about FILES in log PATH;
    FILES are tree-relative, the log may hold absolute or relative paths."""
    c = collections.Counter()
    for line in open(path, errors="replace"):
        m = PAT.match(line.strip())
        if not m:
            continue
        for f in files:
            if m.group(1) == f or m.group(1).endswith("/" + f):
                c[(f, LINE_REF.sub(r"\1 N", m.group(3)))] += 1
    return c


base, tip, files = sys.argv[1], sys.argv[2], sys.argv[3:]
new = load(tip, files) - load(base, files)
for (f, msg), n in sorted(new.items()):
    print(f"{f}: {msg}" + (f" (x{n})" if n > 1 else ""))
sys.exit(1 if new else 0)
