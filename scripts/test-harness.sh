#!/bin/bash
# test-harness.sh: the harness checks itself (stage "harness"): the guest log
# parser must turn each kind of bad guest run into a failure, and must not
# fail a clean one.  Each case is a synthetic console log.
. "$(dirname "$0")/lib.sh"

rm -f "$RESULTS/harness.res"
d=$BUILD/harness-test
mkdir -p "$d"

# expect NAME QEMU_RC WANT_REGEX LOG: parse LOG, grep the verdicts for WANT
# (a WANT of "!REGEX" means no verdict may match REGEX).
expect() {
	local name=$1 rc=$2 want=$3 got ok=0
	printf '%b' "$4" >"$d/log"
	got=$(python3 "$TOP/scripts/guest-results.py" t "$d/log" "$rc")
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
