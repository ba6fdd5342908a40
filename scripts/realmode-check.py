#!/usr/bin/env python3
"""realmode-check.py OBJDUMP OBJDIR LISTFILE: fail when code that runs with
the MMU off can reach an instrumentation hook.

LISTFILE (configs/realmode.list) names the objects to scan, the real-mode
entry points (including the targets of the function pointers real mode
calls) and the callees that only virtual mode reaches (the shared code calls
them under "if (!rm)"; each must say why in the list).  From the entry
points, every call (bl, and b to another function: a tail call) is followed
through the scanned objects, from the relocations of the unlinked objects
and from direct branches to local functions, except into the virtual-mode
callees.  It fails when a reached function

 - calls an instrumentation hook: KCOV (__sanitizer_cov_*), KCSAN (__tsan_*,
   __kcsan_*), KASAN (__asan_*, __kasan_*) or ftrace (_mcount, __fentry__);
 - calls a function that no scanned object defines and that the list does
   not allow (a new callee must be looked at: scanned or declared);

and when an entry point or a declared name is not found (a stale list).
Prints the call graph it checked.
"""
import re
import subprocess
import sys

HOOK = re.compile(r'^(__sanitizer_cov_|__tsan_|__kcsan_|__asan_|__kasan_|_mcount$|__fentry__$)')
FUNC = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
INSN = re.compile(r'^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} ){4}\s*\t(\S+)\s*(.*)$')
RELOC = re.compile(r'^\s*([0-9a-f]+): (R_PPC64_REL24\w*)\s+(\S+?)(\+0x[0-9a-f]+)?$')
DIRECT = re.compile(r'^[0-9a-f]+ <([^>+]+)(\+0x[0-9a-f]+)?>$')
SYM = re.compile(r'^([0-9a-f]+) (.{7}) (\S+)\s+([0-9a-f]+) (\S+)$')


def read_list(path):
    sect, lists = None, {'objects': [], 'entries': [], 'virtual-only': [], 'allow': []}
    for line in open(path):
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        if line.endswith(':') and line[:-1] in lists:
            sect = line[:-1]
            continue
        if sect is None:
            sys.exit(f'{path}: "{line}" outside a section')
        lists[sect].append(line.split()[0])
    return lists


def scan(objdump, obj):
    """{function: set(callees)} and {(section, offset): function} of @obj."""
    syms = {}
    out = subprocess.run([objdump, '-t', obj], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = SYM.match(line)
        if m and 'F' in m.group(2):
            syms[(m.group(3), int(m.group(1), 16))] = m.group(5)
    calls, cur, pending = {}, None, None
    out = subprocess.run([objdump, '-dr', obj], capture_output=True, text=True,
                         check=True).stdout
    section = None
    for line in out.splitlines():
        if line.startswith('Disassembly of section '):
            section = line[len('Disassembly of section '):].rstrip(':')
            continue
        m = FUNC.match(line)
        if m:
            cur = m.group(2)
            calls.setdefault(cur, set())
            pending = None
            continue
        if cur is None:
            continue
        m = INSN.match(line)
        if m:
            mnem, ops = m.group(2), m.group(3)
            pending = mnem if mnem in ('bl', 'b') else None
            if pending:
                d = DIRECT.match(ops)
                # A branch inside the function is control flow, not a call
                if d and d.group(1) != cur:
                    calls[cur].add(d.group(1))
            continue
        m = RELOC.match(line)
        if m and pending:
            target, off = m.group(3), int(m.group(4) or '0x0', 16)
            if target.startswith('.'):
                # section-relative: a local function of another section
                target = syms.get((target, off), syms.get((target, off - 8), target))
            if target != cur:
                calls[cur].add(target)
            pending = None
    return calls


def main():
    objdump, objdir, listfile = sys.argv[1:4]
    lists = read_list(listfile)
    calls = {}
    for obj in lists['objects']:
        for fn, callees in scan(objdump, f'{objdir}/{obj}').items():
            calls.setdefault(fn, set()).update(callees)
    virtual, allow = set(lists['virtual-only']), set(lists['allow'])
    errors = []
    for name in lists['entries']:
        if name not in calls:
            errors.append(f'{name}: an entry point that no scanned object defines')
    seen, todo, edges = set(), list(lists['entries']), []
    while todo:
        fn = todo.pop()
        if fn in seen or fn not in calls:
            continue
        seen.add(fn)
        for c in sorted(calls[fn]):
            if HOOK.match(c):
                errors.append(f'{fn} calls the instrumentation hook {c}')
            elif c in virtual:
                edges.append(f'{fn} -> {c} (virtual mode only)')
            elif c in calls:
                edges.append(f'{fn} -> {c}')
                todo.append(c)
            elif c not in allow:
                errors.append(f'{fn} calls {c}, which no scanned object defines and the list does not allow')
            else:
                edges.append(f'{fn} -> {c} (allowed)')
    called = {c for fn in seen for c in calls[fn]}
    for name in sorted((virtual | allow) - called):
        errors.append(f'{name}: listed, but no function real mode reaches calls it (stale?)')
    print(f'real-mode call graph: {len(seen)} functions from {len(lists["entries"])} entry points')
    for e in edges:
        print('  ' + e)
    for e in errors:
        print('ERROR: ' + e)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
