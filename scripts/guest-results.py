#!/usr/bin/env python3
"""guest-results.py ARCH CONSOLE_LOG QEMU_RC: turn a guest console log into
PASS/FAIL/SKIP lines, one per KTAP test result, plus guest-level checks.

Each program the guest runs is framed by "harness: begin NAME" and
"harness: end NAME exit=N".  Its KTAP output must have a plan ("1..N") and
exactly N results.  The guest as a whole fails if it timed out, did not reach
"harness: done", or the kernel printed a WARN, BUG, Oops, panic, lockdep,
KASAN, debug-objects or list-corruption report anywhere in the log.
A debug guest (ARCH-debug: kmemleak on) must also end with /init's
"harness: kmemleak: 0 new suspected leaks" after the last program, and
report no suspect at boot either.
"""
import re
import sys

arch, path, qemu_rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, errors="replace").read()
# Strip printk timestamps and carriage returns.
lines = [re.sub(r"^\[\s*\d+\.\d+\]\s?", "", l.rstrip("\r")) for l in text.split("\n")]

# What the kernel prints for WARN()/BUG(), oopses, panics, lockdep and other
# debug reports (a plain pr_warn("WARNING: ...") is not a splat).
SPLATS = [r"------------\[ cut here \]------------", r"WARNING: CPU: \d+ PID: \d+",
          r"\bBUG: ", r"Oops", r"Kernel panic", r"Unable to handle kernel",
          r"general protection fault", r"UBSAN:", r"Call Trace:", r"Call trace:",
          r"WARNING: (possible|suspicious|bad unlock|inconsistent lock|held lock|"
          r"lock held|Nested lock|chain_key collision|.*locking)",
          r"INFO: task .* blocked", r"INFO: rcu_.* detected stall",
          r"BUG: KASAN: ", r"ODEBUG: ", r"list_(add|del) corruption",
          r"kmemleak: .*(disabled|[Ee]rror|Cannot allocate a kmemleak_object)",
          r"harness: kmemleak: \| unreferenced object"]
out = []


def emit(verdict, name, detail=""):
    out.append(f"{verdict} {arch}: {name}" + (f" # {detail}" if detail else ""))




def alloc_failure_report(k):
    """Is the stack dump at lines[k] warn_alloc()'s report of a failed
    allocation ("page allocation failure", "vmalloc error")?  The
    fault-injection tests make allocations fail on purpose; what the kernel
    does then is checked, the report itself is no bug."""
    return any("warn_alloc" in l for l in lines[k + 1:k + 5])


guest_problems = []
for pat in SPLATS:
    hit = next((l for k, l in enumerate(lines) if re.search(pat, l) and
                not (pat.startswith("Call") and alloc_failure_report(k))), None)
    if hit:
        guest_problems.append(f"kernel splat: {hit.strip()[:100]}")
        break
if arch.endswith("-debug"):
    boot = next((l for l in lines if re.match(r"harness: kmemleak: \d+ suspects at boot", l)), None)
    final = [l for l in lines if re.match(r"harness: kmemleak: -?\d+ new suspected leaks", l)]
    if not boot or not final:
        guest_problems.append("no kmemleak scan (debug kernel without kmemleak?)")
    elif final[-1] != "harness: kmemleak: 0 new suspected leaks":
        guest_problems.append(final[-1])
if "harness: host: TIMEOUT" in text:
    guest_problems.append("timeout")
if "harness: done" not in text:
    guest_problems.append("guest did not finish (no 'harness: done')")
guest_problems += [l.strip() for l in lines if l.startswith("harness: ERROR")]
if qemu_rc not in (0,) and "timeout" not in guest_problems:
    guest_problems.append(f"qemu exit status {qemu_rc}")

progs = 0
cur = None
for l in lines:
    m = re.match(r"harness: begin (\S+)", l)
    if m:
        cur = {"name": m.group(1), "plan": None, "results": 0, "failed": 0, "skipped": 0}
        progs += 1
        continue
    if cur is None:
        continue
    m = re.match(r"harness: end (\S+) (exit|signal)=(\d+)", l)
    if m:
        n = cur["name"]
        if cur["plan"] is None:
            emit("FAIL", f"{n}: KTAP plan", "no '1..N' line")
        elif cur["plan"] == 0:
            emit("FAIL", f"{n}: KTAP plan", "plan of 0 tests")
        elif cur["plan"] != cur["results"]:
            emit("FAIL", f"{n}: KTAP plan", f"planned {cur['plan']}, reported {cur['results']}")
        # kselftest exits 0 if all passed, 1 on failures, 4 if all skipped.
        all_skipped = cur["results"] > 0 and cur["skipped"] == cur["results"]
        expect = "1" if cur["failed"] else "4" if all_skipped else "0"
        if m.group(2) == "signal" or (m.group(3) != expect and not (all_skipped and m.group(3) == "0")):
            emit("FAIL", f"{n}: exit status", f"{m.group(2)}={m.group(3)} with {cur['failed']} failures")
        cur = None
        continue
    m = re.match(r"1\.\.(\d+)$", l)
    if m and cur["plan"] is None:
        cur["plan"] = int(m.group(1))
        continue
    # "ok 3 name", "ok 3 name # SKIP why", "ok 3 # SKIP why" (ksft_exit_skip),
    # "not ok 4 name"; directives are case-insensitive.
    m = re.match(r"(not ok|ok) (\d+)(?: (.*?))??(?:\s*#\s*(SKIP|XFAIL|TODO)\b\s*(.*))?$", l,
                 re.IGNORECASE)
    if m:
        cur["results"] += 1
        name = f"{cur['name']}: {m.group(3) or 'test ' + m.group(2)}"
        directive = (m.group(4) or "").upper()
        if directive == "SKIP":
            cur["skipped"] += 1
            emit("SKIP", name, m.group(5))
        elif directive == "XFAIL" or (m.group(1) == "ok" and not directive):
            emit("PASS", name)
        else:
            cur["failed"] += 1
            emit("FAIL", name, directive)
        continue
if cur is not None:
    emit("FAIL", f"{cur['name']}: finished", "program never ended")
if progs == 0:
    guest_problems.append("no test program ran")

if guest_problems:
    emit("FAIL", "guest ran clean", "; ".join(guest_problems))
else:
    emit("PASS", "guest ran clean")
print("\n".join(out))
