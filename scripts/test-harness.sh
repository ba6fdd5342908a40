#!/bin/bash
# test-harness.sh: the harness checks itself (stage "harness"): the guest log
# parser must turn each kind of bad guest run into a failure, and must not
# fail a clean one.  Each case is a synthetic console log.
. "$(dirname "$0")/lib.sh"

rm -f "$RESULTS/harness.res"
d=$BUILD/harness-test
mkdir -p "$d"

# expect NAME QEMU_RC WANT_REGEX LOG: parse LOG, grep the verdicts for WANT
# (a WANT of "!REGEX" means no verdict may match REGEX).  M=MACHINE parses
# it as another machine's log (default "t"; "t-debug" is a debug guest).
expect() {
	local name=$1 rc=$2 want=$3 got ok=0
	printf '%b' "$4" >"$d/log"
	got=$("$PY3" "$TOP/scripts/guest-results.py" "${M:-t}" "$d/log" "$rc")
	case "$want" in
	!*) grep -qE "${want#!}" <<<"$got" || ok=1 ;;
	*) grep -qE "$want" <<<"$got" && ok=1 ;;
	esac
	if [ "$ok" = 1 ]; then
		result harness PASS "guest log parser: $name"
	else
		printf '%s\n' "$got" >&2
		result harness FAIL "guest log parser: $name" "wanted /$want/"
	fi
}

ok='harness: begin p\nTAP version 13\n1..2\nok 1 a.x\nok 2 a.y\nharness: end p exit=0\n'
expect "clean run passes, pr_warn is no splat" 0 '^PASS t: guest ran clean' \
	"[    0.1] WARNING: nvram corruption detected: 0-length partition\n${ok}harness: done\n"
expect "clean run has no failure" 0 '!^FAIL' "${ok}harness: done\n"
expect "WARN() fails the guest" 0 '^FAIL t: guest ran clean # kernel splat' \
	"${ok}[    1.0] WARNING: CPU: 0 PID: 1 at drivers/vfio/vfio_main.c:10 f+0x1/0x2\nharness: done\n"
expect "lockdep report fails the guest" 0 '^FAIL t: guest ran clean # kernel splat' \
	"${ok}WARNING: possible circular locking dependency detected\nharness: done\n"
expect "BUG: fails the guest" 0 '^FAIL t: guest ran clean # kernel splat' \
	"${ok}BUG: sleeping function called from invalid context at mm/x.c:1\nharness: done\n"
expect "KASAN report fails the guest" 0 '^FAIL t: guest ran clean # kernel splat: BUG: KASAN' \
	"${ok}==================================================================\nBUG: KASAN: slab-use-after-free in vfio_x+0x1/0x2\nharness: done\n"
expect "debug-objects report fails the guest" 0 '^FAIL t: guest ran clean # kernel splat: ODEBUG' \
	"${ok}ODEBUG: free active (active state 0) object: 000000001234abcd object type: timer_list hint: f+0x0/0x10\nharness: done\n"
expect "list corruption fails the guest" 0 '^FAIL t: guest ran clean # kernel splat: list_del corruption' \
	"${ok}list_del corruption. prev->next should be ffff0000c1, but was ffff0000c2\nharness: done\n"
kl='harness: kmemleak: 0 suspects at boot, cleared\n'
M=t-debug expect "debug guest: no leak passes" 0 '^PASS t-debug: guest ran clean' \
	"${kl}${ok}harness: kmemleak: 0 new suspected leaks\nharness: done\n"
M=t-debug expect "debug guest: a new leak fails" 0 '^FAIL t-debug: guest ran clean # .*unreferenced object' \
	"${kl}${ok}harness: kmemleak: | unreferenced object 0xffff000004e3c000 (size 64):\nharness: kmemleak: |   comm \"t\", pid 80\nharness: kmemleak: 1 new suspected leaks\nharness: done\n"
M=t-debug expect "debug guest: the leak count alone fails" 0 '^FAIL t-debug: guest ran clean # .*1 new suspected leaks' \
	"${kl}${ok}harness: kmemleak: 1 new suspected leaks\nharness: done\n"
M=t-debug expect "debug guest: a leak at boot fails" 0 '^FAIL t-debug: guest ran clean # .*unreferenced object' \
	"harness: kmemleak: | unreferenced object 0xffff000004e3c000 (size 64):\nharness: kmemleak: 1 suspects at boot, cleared\n${ok}harness: kmemleak: 0 new suspected leaks\nharness: done\n"
M=t-debug expect "debug guest without a kmemleak scan fails" 0 '^FAIL t-debug: guest ran clean # .*no kmemleak scan' \
	"${ok}harness: done\n"
M=t-debug expect "debug guest: kmemleak's own failed allocation (fault injection) is no splat" 0 '^PASS t-debug: guest ran clean' \
	"${kl}${ok}kmemleak: Cannot allocate a scan area, scanning the full object\nharness: kmemleak: 0 new suspected leaks\nharness: done\n"
M=t-debug expect "debug guest: kmemleak disabled fails" 0 '^FAIL t-debug: guest ran clean # kernel splat: kmemleak' \
	"kmemleak: Kernel memory leak detector disabled\n${kl}${ok}harness: kmemleak: 0 new suspected leaks\nharness: done\n"
wa='vfio_t: vmalloc error: size 128, vm_struct allocation failed, mode:0xdc0(GFP_KERNEL|__GFP_ZERO)\nCPU: 0 UID: 0 PID: 62 Comm: vfio_t Not tainted 6.12.118+ #8\nCall Trace:\n[c0000000048df870] [c0000000003cbc08] dump_stack_lvl+0x138/0x150 (unreliable)\n[c0000000048df8a0] [c00000000023dd48] warn_alloc+0x118/0x1b4\n[c0000000048df940] [c00000000022df18] __vmalloc_node_range_noprof+0x400/0x8e0\n'
expect "an allocation failure report (fault injection) is no splat" 0 '^PASS t: guest ran clean' \
	"${ok}${wa}harness: done\n"
expect "a stack dump that is not warn_alloc's is a splat" 0 '^FAIL t: guest ran clean # kernel splat: Call Trace:' \
	"${ok}${wa}Call Trace:\n[c0000000048df870] [c0000000003cbc08] dump_stack_lvl+0x138/0x150\n[c0000000048df8a0] [c00000000023dd48] vfio_x+0x118/0x1b4\nharness: done\n"
expect "panic fails the guest" 0 '^FAIL t: guest ran clean' \
	"${ok}Kernel panic - not syncing: Fatal exception\n"
expect "timeout fails the guest" 124 '^FAIL t: guest ran clean # .*timeout' \
	"${ok}harness: host: TIMEOUT after 180s\n"
expect "no test program fails the guest" 0 '^FAIL t: guest ran clean # .*no test program' \
	"harness: done\n"
expect "harness ERROR fails the guest" 0 '^FAIL t: guest ran clean # .*ERROR no edu' \
	"harness: ERROR no edu device found\n${ok}harness: done\n"
expect "not ok is a failure" 0 '^FAIL t: p: a.y$' \
	"harness: begin p\n1..2\nok 1 a.x\nnot ok 2 a.y\nharness: end p exit=1\nharness: done\n"
expect "SKIP is a skip, not a pass" 0 '^SKIP t: p: a.y # no device' \
	"harness: begin p\n1..2\nok 1 a.x\nok 2 a.y # SKIP no device\nharness: end p exit=0\nharness: done\n"
expect "missing results fail the plan" 0 '^FAIL t: p: KTAP plan # planned 3, reported 2' \
	"harness: begin p\n1..3\nok 1 a.x\nok 2 a.y\nharness: end p exit=0\nharness: done\n"
expect "missing plan fails" 0 '^FAIL t: p: KTAP plan # no' \
	"harness: begin p\nok 1 a.x\nharness: end p exit=0\nharness: done\n"
expect "crash (signal) fails" 0 '^FAIL t: p: exit status # signal=11' \
	"harness: begin p\n1..1\nok 1 a.x\nharness: end p signal=11\nharness: done\n"
expect "non-zero exit without failures fails" 0 '^FAIL t: p: exit status' \
	"harness: begin p\n1..1\nok 1 a.x\nharness: end p exit=1\nharness: done\n"
expect "program that never ends fails" 0 '^FAIL t: p: finished' \
	"harness: begin p\n1..2\nok 1 a.x\n"
expect "ksft_exit_skip line is a skip" 0 '^SKIP t: p: test 1 # no PCI' \
	"harness: begin p\n1..1\nok 1 # SKIP no PCI\nharness: end p exit=4\nharness: done\n"
expect "all skipped, exit 4 is consistent" 0 '!^FAIL t: p' \
	"harness: begin p\n1..1\nok 1 # SKIP no PCI\nharness: end p exit=4\nharness: done\n"
expect "lower-case skip is a skip" 0 '^SKIP t: p: a.x # why' \
	"harness: begin p\n1..1\nok 1 a.x # skip why\nharness: end p exit=4\nharness: done\n"
expect "result without a description counts" 0 '^PASS t: p: test 1$' \
	"harness: begin p\n1..1\nok 1\nharness: end p exit=0\nharness: done\n"
expect "plan of 0 tests fails" 0 '^FAIL t: p: KTAP plan # plan of 0' \
	"harness: begin p\n1..0\nharness: end p exit=0\nharness: done\n"

# The prefix-build selection (scripts/prefix-deps.py): a synthetic object
# tree in fixdep's .cmd format (scripts/basic/fixdep.c), paths relative to
# the object tree and absolute, and the decisions for single changed files.
t=$d/deps
rm -rf "$t"
mkdir -p "$t/src/drivers/vfio" "$t/obj/drivers/vfio" "$t/obj/scripts/basic"
cat >"$t/obj/drivers/vfio/.vfio_main.o.cmd" <<'CMD'
savedcmd_drivers/vfio/vfio_main.o := gcc -c -o drivers/vfio/vfio_main.o ../src/drivers/vfio/vfio_main.c

source_drivers/vfio/vfio_main.o := ../src/drivers/vfio/vfio_main.c

deps_drivers/vfio/vfio_main.o := \
    $(wildcard include/config/VFIO_GROUP) \
  ../src/include/linux/vfio.h \
  ../src/include/uapi/linux/vfio.h \
  include/generated/autoconf.h \
  ../src/arch/x86/include/asm/io.h \

drivers/vfio/vfio_main.o: $(deps_drivers/vfio/vfio_main.o)

$(deps_drivers/vfio/vfio_main.o):
CMD
cat >"$t/obj/scripts/basic/.fixdep.cmd" <<CMD
savedcmd_scripts/basic/fixdep := gcc -o scripts/basic/fixdep $t/src/scripts/basic/fixdep.c

source_scripts/basic/fixdep := $t/src/scripts/basic/fixdep.c

deps_scripts/basic/fixdep := \\
  /usr/include/stdio.h \\
  $t/src/include/linux/iommu.h \\

scripts/basic/fixdep: \$(deps_scripts/basic/fixdep)
CMD
"$PY3" "$TOP/scripts/prefix-deps.py" scan "$t/obj" "$t/src" >"$t/reads"
want='arch/x86/include/asm/io.h
drivers/vfio/vfio_main.c
include/linux/iommu.h
include/linux/vfio.h
include/uapi/linux/vfio.h
scripts/basic/fixdep.c'
if [ "$(cat "$t/reads")" = "$want" ]; then
	result harness PASS "prefix selection: fixdep lists read (relative, absolute, no wildcard or generated file)"
else
	result harness FAIL "prefix selection: fixdep lists read (relative, absolute, no wildcard or generated file)" \
		"got: $(tr '\n' ' ' <"$t/reads")"
fi
# needs FILE SRCARCH ST KERNEL SELFTESTS: the patch changes FILE; KERNEL and
# SELFTESTS are "build" or "skip", ST is "selftests" for a configuration
# that builds them.
needs() {
	local got k s
	got=$(echo "$1" | "$PY3" "$TOP/scripts/prefix-deps.py" needs "$t/reads" "$2" $3)
	k=$(sed -n 's/^kernel //p' <<<"$got"); s=$(sed -n 's/^selftests //p' <<<"$got")
	[ "$k" = - ] && k=skip || k=build
	[ "$s" = - ] && s=skip || s=build
	if [ "$k $s" = "$4 $5" ]; then
		result harness PASS "prefix selection: $1 on $2${3:+ ($3)}: kernel $4, selftests $5"
	else
		result harness FAIL "prefix selection: $1 on $2${3:+ ($3)}: kernel $4, selftests $5" \
			"got: $(tr '\n' ' ' <<<"$got")"
	fi
}
needs drivers/vfio/vfio_main.c x86 selftests build skip
needs include/linux/vfio.h x86 "" build skip                  # included by a compiled file
needs include/linux/iommu.h x86 "" build skip                 # read by a host program
needs arch/x86/include/asm/io.h x86 "" build skip
needs drivers/vfio/vfio_iommu_type1.c x86 selftests skip skip # not compiled here
needs include/linux/fsl/pamu.h x86 "" skip skip               # included by nothing compiled
needs drivers/vfio/Makefile x86 "" build skip                 # Makefiles are not in .cmd lists
needs drivers/vfio/Kconfig x86 "" build skip
needs Documentation/Kconfig x86 "" build skip                 # sourced by the top Kconfig
needs arch/powerpc/kvm/Makefile x86 "" skip skip              # another arch's directory
needs arch/powerpc/kvm/Kconfig x86 "" skip skip
needs arch/powerpc/kvm/Makefile powerpc "" build skip
needs arch/powerpc/include/uapi/asm/kvm.h powerpc selftests build build
needs arch/powerpc/include/uapi/asm/kvm.h x86 selftests skip skip
needs include/uapi/linux/iommufd.h x86 selftests build build  # headers_install copies it
needs include/uapi/linux/iommufd.h x86 "" build skip
needs scripts/checkpatch.pl x86 "" build skip                 # not a C file: in doubt, build
needs tools/objtool/check.c x86 selftests build build         # tools/ outside tools/testing
needs tools/testing/selftests/vfio/vfio_util.c x86 selftests skip build
needs tools/testing/selftests/vfio/vfio_util.c x86 "" skip skip
needs tools/testing/selftests/lib.mk arm64 selftests skip build
needs tools/testing/selftests/powerpc/kvm/kvm_hv.c powerpc selftests skip skip
needs tools/testing/kunit/kunit.py x86 selftests skip skip
needs Documentation/driver-api/vfio.rst x86 selftests skip skip
needs MAINTAINERS x86 selftests skip skip
# After a failed build, an object that did not compile has no .cmd file yet.
needs drivers/vfio/vfio_iommu_type1.c x86 "selftests incomplete" build skip
needs arch/powerpc/kvm/book3s.c x86 incomplete skip skip
needs Documentation/driver-api/vfio.rst x86 incomplete skip skip

# coccicheck's batch run (static.sh): the mirror of the files to check holds
# each of them and what its quoted includes reach, relative to the including
# file, at the same paths, and no other C file of their directories (spatch
# would check it too).
t=$d/cocci-mirror
rm -rf "$t"
mkdir -p "$t/src/drivers/vfio/sub" "$t/src/drivers/pci" "$t/src/include/linux"
printf '#include <linux/vfio.h>\n#include "local.h"\n #  include "../pci/pci.h"\n#include "absent.h"\n' \
	>"$t/src/drivers/vfio/a.c"
printf '#include "sub/deep.h"\n' >"$t/src/drivers/vfio/local.h"
printf '/* #include "not-an-include.h" */\n' >"$t/src/drivers/vfio/sub/deep.h"
: >"$t/src/drivers/vfio/other.c"
: >"$t/src/drivers/vfio/unused.h"
: >"$t/src/drivers/pci/pci.h"
: >"$t/src/include/linux/vfio.h"
"$PY3" "$TOP/scripts/cocci-mirror.py" "$t/src" "$t/m" drivers/vfio/a.c >/dev/null
got=$(cd "$t/m" && find . -type l | sort | tr '\n' ' ')
want='./drivers/pci/pci.h ./drivers/vfio/a.c ./drivers/vfio/local.h ./drivers/vfio/sub/deep.h '
if [ "$got" = "$want" ] && [ "$(readlink "$t/m/drivers/vfio/a.c")" = "$t/src/drivers/vfio/a.c" ]; then
	result harness PASS "coccicheck mirror: the files and their quoted-include closure, nothing else"
else
	result harness FAIL "coccicheck mirror: the files and their quoted-include closure, nothing else" "got: $got"
fi

# static.sh runs sparse (C=1) only in the base and tip builds, whose output
# it compares; at the prefixes between, sparse's output is not read, and
# dropping it there is sound only while sparse cannot fail a build: Kbuild
# runs it under "set -e", so that holds as long as sparse exits 0 even when
# it reports an error (as 0.6.4 does without -Wsparse-error).  Should a
# newer sparse exit non-zero, this fails: put C=1 back into every prefix
# build.  (SPARSE_TEST_FLAGS=-Wsparse-error shows this test failing.)
t=$d/sparse-exit
mkdir -p "$t"
printf 'struct s { int x; };\nint f(struct s *p) { return p->y; }\n' >"$t/e.c"
rc=0
sparse -D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void \
	-Wno-unknown-attribute ${SPARSE_TEST_FLAGS:-} "$t/e.c" >"$t/out" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] && grep -q "e.c:2:.*error: no member 'y'" "$t/out"; then
	result harness PASS "sparse reports an error and exits 0 (it cannot fail a build)"
else
	cat "$t/out" >&2
	result harness FAIL "sparse reports an error and exits 0 (it cannot fail a build)" \
		"exit $rc: run C=1 in every prefix build again (static.sh build_at)"
fi

# make check's closing summary (steps_summary) must survive a steps.tsv of
# any size: "sort | head" under pipefail once ended a run whose every test
# had passed with exit 141 (sort killed by SIGPIPE).  200000 steps, then the
# slowest and largest must come out right (cost 0 is the steps 50, 100,
# ..., 200000 ms: 50 * 4000 * 4001 / 2 ms = 400100.0 s).
t=$d/steps-summary
mkdir -p "$t"
awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "%d\tcost %d\tstep %d\n", i, i % 50, i }' >"$t/steps.tsv"
rc=0
# In a shell of its own, where errexit is on as in check.sh (a "||" here
# would turn it off inside the function).
bash -c '. "$1/scripts/lib.sh" && steps_summary "$2"' _ "$TOP" "$t/steps.tsv" >"$t/out" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] && grep -q '^   200.0 s  cost 0: step 200000$' "$t/out" &&
   [ "$(grep -c ' s  cost [0-9]*: step ' "$t/out")" -eq 5 ] &&
   [ "$(grep -c ' steps)$' "$t/out")" -eq 10 ] &&
   grep -q '^  400100.0 s  cost 0 (4000 steps)$' "$t/out"; then
	result harness PASS "make check's summary of a 200000-step steps.tsv (no SIGPIPE exit)"
else
	cat "$t/out" >&2
	result harness FAIL "make check's summary of a 200000-step steps.tsv (no SIGPIPE exit)" "exit $rc"
fi

# realmode-check.py must find an instrumentation hook reached through a
# call (and a tail call) from an entry point, not follow a declared
# virtual-only callee, fail on an undeclared external callee, and pass a
# clean graph.  Objects from ppc64le's compiler, as in the cross build.
t=$d/realmode
mkdir -p "$t"
cat >"$t/a.c" <<'C'
extern void ext(void);
extern void vm_only(void);
__attribute__((noinline)) void leaf(void) { asm volatile("" ::: "memory"); }
__attribute__((noinline)) void mid(int rm) { if (rm) leaf(); else vm_only(); }
void entry(int rm) { mid(rm); asm volatile("" ::: "memory"); }
void entry2(void) { ext(); }
C
rm_case() {	# NAME WANT(0|1) CFLAGS LIST
	local name=$1 want=$2 rc=0
	printf '%b' "$4" >"$t/list"
	# shellcheck disable=SC2086
	if ! powerpc64le-linux-gnu-gcc -O2 -c $3 "$t/a.c" -o "$t/a.o" 2>"$t/cc"; then
		result harness FAIL "realmode-check: $name" "compile: $(head -1 "$t/cc")"
		return
	fi
	"$PY3" "$TOP/scripts/realmode-check.py" powerpc64le-linux-gnu-objdump "$t" "$t/list" \
		>"$t/out" 2>&1 || rc=$?
	if { [ "$want" = 0 ] && [ "$rc" -eq 0 ]; } || { [ "$want" = 1 ] && [ "$rc" -eq 1 ]; }; then
		result harness PASS "realmode-check: $name"
	else
		cat "$t/out" >&2
		result harness FAIL "realmode-check: $name" "exit $rc, wanted $want"
	fi
}
base='objects:\na.o\nentries:\nentry\nvirtual-only:\nvm_only\n'
rm_case "a clean graph passes" 0 "" "$base"
rm_case "KCOV in a callee fails" 1 "-fsanitize-coverage=trace-pc" "$base"
rm_case "the tracer's _mcount fails" 1 "-pg -mprofile-kernel" "$base"
rm_case "KCSAN's __tsan_ hooks fail" 1 "-fsanitize=thread" "$base"
rm_case "an undeclared external callee fails" 1 "" 'objects:\na.o\nentries:\nentry\nentry2\nvirtual-only:\nvm_only\n'
rm_case "a stale declaration fails" 1 "" "${base}allow:\nnobody_calls_me\n"
rm_case "a missing entry point fails" 1 "" 'objects:\na.o\nentries:\nno_such_entry\n'
