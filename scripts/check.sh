#!/bin/bash
# check.sh: every test tier, in order; prints a per-stage timing summary and
# "N passed, N failed, N skipped"; exits non-zero on any failure.
# STAGES="static guests" (etc.) runs a subset.
. "$(dirname "$0")/lib.sh"

stages=${STAGES:-"harness tree static kunit guests cross"}
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
rm -f "$STEPS"
timing=()
# ccache's counters before and after tell a cold run from a warm one.
cstats() { ccache --print-stats 2>/dev/null | awk -F'\t' '
	$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 } $1 == "cache_miss" { m += $2 }
	END { print h + 0, m + 0 }'; }
read -r hits0 miss0 < <(cstats)
start=$(date +%s)
for s in $stages; do
	t0=$(date +%s)
	read -r h0 m0 < <(cstats)
	log "==== stage $s"
	rc=0
	case "$s" in
	harness) "$TOP/scripts/test-harness.sh" || rc=$? ;;
	tree)   "$TOP/scripts/tree.sh" || rc=$? ;;
	static) "$TOP/scripts/build-kernel.sh" x86_64 && "$TOP/scripts/build-kernel.sh" arm64 &&
		"$TOP/scripts/build-kernel.sh" ppc64le && "$TOP/scripts/static.sh" || rc=$? ;;
	kunit)  "$TOP/scripts/kunit.sh" || rc=$? ;;
	guests) "$TOP/scripts/guests.sh" x86_64 arm64 ppc64le powernv \
		x86_64-debug arm64-debug ppc64le-debug || rc=$? ;;
	cross)  "$TOP/scripts/cross.sh" || rc=$? ;;
	*) die "unknown stage $s" ;;
	esac
	[ "$rc" -eq 0 ] || result "$s" FAIL "stage $s completed" "exit status $rc"
	read -r h1 m1 < <(cstats)
	timing+=("$(printf '%-8s %4d s   ccache %6d hits %6d misses' "$s" $(( $(date +%s) - t0 )) \
		$((h1 - h0)) $((m1 - m0)))")
done

echo
echo "==== results"
cat "$RESULTS"/*.res 2>/dev/null | grep -v '^PASS' || true
pass=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^PASS' || true)
fail=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^FAIL' || true)
skip=$(cat "$RESULTS"/*.res 2>/dev/null | grep -c '^SKIP' || true)
echo "==== timing"
printf '  %s\n' "${timing[@]}"
total=$(( $(date +%s) - start ))
read -r hits1 miss1 < <(cstats)
printf '  %-8s %4d s (%d min %d s)\n' total "$total" $((total / 60)) $((total % 60))
printf '  ccache: %d hits, %d misses in this run; budget (not a test): .ci/run from a fresh clone\n' \
	$((hits1 - hits0)) $((miss1 - miss0))
echo "  <= 30 min with a warm compiler cache, <= 75 min cold (README, Measured times)"
[ ! -s "$STEPS" ] || steps_summary "$STEPS"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
