#!/usr/bin/env python3
"""prefix-deps.py: which static configurations a patch must be built on.

  prefix-deps.py scan OBJDIR SRCDIR >READS
      The source files (relative to SRCDIR) that the last build in OBJDIR
      read: the "source_" and "deps_" lists fixdep writes into every
      .*.cmd file (headers included directly or through other headers,
      assembler sources, host programs, objtool's own .cmd files), sorted.

  prefix-deps.py needs READS SRCARCH [selftests] [incomplete] <CHANGED
      CHANGED: the files a patch changes, one per line.  Prints two lines,
      "kernel REASON" and "selftests REASON", REASON being "-" when that
      build need not run (nothing it reads changed) and otherwise the first
      changed file that makes it run, with why.  SRCARCH is the directory
      under arch/ (x86, arm64, powerpc); "selftests" is given when the
      configuration builds the VFIO selftests, "incomplete" when the last
      kernel build failed (an object that did not compile has no .cmd file
      yet, so READS may lack its sources: every source file counts as read).

When in doubt, build: only a file that is known not to be read is skipped.
The kernel build of a configuration reads
  - every file in READS (what the compiler and fixdep saw);
  - Makefiles, Kbuild and Kconfig files, scripts/, tools/ outside
    tools/testing/ (objtool and the like) and any other file that is not a
    C/assembler source or header: these are not in READS, so they count as
    read, except under another architecture's arch/ directory, which no
    build of SRCARCH reads;
  - the uAPI headers (headers_install copies all of them);
and not Documentation/ (except Kconfig files), MAINTAINERS, or
tools/testing/ (selftests, KUnit's runner).  The VFIO selftests read
tools/testing/selftests/vfio/, the framework files directly in
tools/testing/selftests/ (lib.mk, kselftest_harness.h), tools/ outside
tools/testing/, and the installed uAPI headers.
"""
import os
import sys

SOURCE_EXT = (".c", ".h", ".S", ".s", ".lds", ".rs")
NOT_READ_FILES = {"MAINTAINERS", "CREDITS", "README", ".mailmap", ".gitignore"}


def scan(objdir, srcdir):
    src = os.path.realpath(srcdir)
    objdir = os.path.realpath(objdir)
    reads = set()
    for root, _dirs, files in os.walk(objdir):
        for name in files:
            if not (name.startswith(".") and name.endswith(".cmd")):
                continue
            path = os.path.join(root, name)
            in_deps = False
            with open(path, errors="replace") as f:
                for line in f:
                    toks = []
                    if line.startswith("source_"):
                        toks = line.split(":=", 1)[1].split()
                        in_deps = False
                    elif line.startswith("deps_"):
                        in_deps = True
                        toks = line.split(":=", 1)[1].split()
                    elif in_deps and line.startswith(" "):
                        toks = line.split()
                    else:
                        in_deps = False
                    for t in toks:
                        if t in ("\\",) or t.startswith("$(") or t.endswith(")"):
                            continue
                        # fixdep writes paths relative to the object tree
                        # (the directory make ran in) or absolute.
                        p = os.path.normpath(os.path.join(objdir, t))
                        if p.startswith(src + "/"):
                            reads.add(p[len(src) + 1:])
    for p in sorted(reads):
        print(p)


def kernel_reason(f, reads, srcarch, incomplete=False):
    """Why the kernel build of a configuration for SRCARCH reads F, or None."""
    parts = f.split("/")
    base = parts[-1]
    if f in reads:
        return f"{f}: compiled (it or a file including it)"
    if parts[0] == "arch" and len(parts) > 2 and parts[1] != srcarch:
        return None         # another architecture's directory
    if "uapi" in parts[:-1] and parts[0] in ("include", "arch"):
        return f"{f}: uAPI header (headers_install)"
    if base.startswith("Kconfig"):
        return f"{f}: Kconfig file"
    if f in NOT_READ_FILES or parts[0] in ("Documentation", "LICENSES"):
        return None
    if parts[0] == "tools":
        if len(parts) > 1 and parts[1] == "testing":
            return None
        return f"{f}: tools/ outside tools/testing/ (objtool, ...)"
    if base.endswith(SOURCE_EXT) and not base.startswith(("Makefile", "Kbuild")):
        if incomplete:
            return f"{f}: source file, and the last build failed"
        return None         # a source or header no object of this build reads
    return f"{f}: not a C/assembler file (Makefile, Kbuild, script, ...)"


def selftests_reason(f, srcarch):
    parts = f.split("/")
    if f.startswith("tools/testing/selftests/vfio/"):
        return f"{f}: VFIO selftest"
    if f.startswith("tools/testing/selftests/") and len(parts) == 4:
        return f"{f}: selftest framework"
    if parts[0] == "tools" and not f.startswith("tools/testing/"):
        return f"{f}: tools/ outside tools/testing/"
    if parts[0] == "include" and len(parts) > 2 and parts[1] == "uapi":
        return f"{f}: uAPI header"
    if parts[0] == "arch" and len(parts) > 3 and parts[1] == srcarch and \
            parts[2] == "include" and parts[3] == "uapi":
        return f"{f}: uAPI header"
    return None


def needs(readsfile, srcarch, selftests, incomplete):
    with open(readsfile) as fh:
        reads = set(fh.read().split())
    changed = [line.strip() for line in sys.stdin if line.strip()]
    k = next((r for r in (kernel_reason(f, reads, srcarch, incomplete) for f in changed)
              if r), "-")
    s = "-"
    if selftests:
        s = next((r for r in (selftests_reason(f, srcarch) for f in changed) if r), "-")
    print("kernel", k)
    print("selftests", s)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "scan":
        scan(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "needs" and \
            set(sys.argv[4:]) <= {"selftests", "incomplete"}:
        needs(sys.argv[2], sys.argv[3], "selftests" in sys.argv[4:], "incomplete" in sys.argv[4:])
    else:
        sys.exit(__doc__)
