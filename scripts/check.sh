#!/bin/bash
# check.sh: every test tier, in order; prints a per-stage timing summary and
# "N passed, N failed, N skipped"; exits non-zero on any failure.
# STAGES="static guests" (etc.) runs a subset.
. "$(dirname "$0")/lib.sh"

stages=${STAGES:-"harness tree static kunit guests cross"}
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
timing=()
for s in $stages; do
	t0=$(date +%s)
	log "==== stage $s"
	rc=0
	case "$s" in
	harness) "$TOP/scripts/test-harness.sh" || rc=$? ;;
	tree)   "$TOP/scripts/tree.sh" || rc=$? ;;
	static) "$TOP/scripts/build-kernel.sh" x86_64 && "$TOP/scripts/build-kernel.sh" arm64 &&
		"$TOP/scripts/build-kernel.sh" ppc64le && "$TOP/scripts/static.sh" || rc=$? ;;
	kunit)  "$TOP/scripts/kunit.sh" || rc=$? ;;
	guests) "$TOP/scripts/guests.sh" x86_64 arm64 ppc64le powernv || rc=$? ;;
	cross)  "$TOP/scripts/cross.sh" || rc=$? ;;
	*) die "unknown stage $s" ;;
	esac
	[ "$rc" -eq 0 ] || result "$s" FAIL "stage $s completed" "exit status $rc"
	timing+=("$(printf '%-8s %4d s' "$s" $(( $(date +%s) - t0 )))")
done

echo
echo "==== results"
cat "$RESULTS"/*.res 2>/dev/null | grep -v '^PASS' || true
pass=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^PASS' || true)
fail=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^FAIL' || true)
skip=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^SKIP' || true)
echo "==== timing"
printf '  %s\n' "${timing[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
