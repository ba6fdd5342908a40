#!/bin/bash
# kunit.sh: tier 2, KUnit through tools/testing/kunit/kunit.py (stage
# "kunit").  Each configs/kunit/NAME.kunitconfig names its arch on a
# "# arch:" line (um runs as UML; others boot in QEMU) and may add
# "# kernel_args:" for the test kernel's command line and "# qemu_config:"
# for a machine kunit.py has no config for (a file next to it, passed as
# --qemu_config instead of --arch); every test case kunit.py reports
# becomes one result.
. "$(dirname "$0")/lib.sh"

rm -f "$RESULTS/kunit.res"
for f in "$TOP"/configs/kunit/*.kunitconfig; do
	name=$(basename "$f" .kunitconfig)
	a=$(sed -n 's/^# arch: //p' "$f")
	args=(--kunitconfig="$f" --build_dir="$OBJ/kunit-$name" --jobs="$JOBS" --timeout=300)
	# "# kernel_args: a b" lines: the test kernel's command line, split
	# on blanks only (no globbing: kunit.filter_glob=fsl-* stays as is)
	read -ra kas <<<"$(sed -n 's/^# kernel_args: //p' "$f" | tr '\n' ' ')"
	for ka in "${kas[@]}"; do
		args+=(--kernel_args="$ka")
	done
	if [ "$a" = um ]; then
		args+=(--make_options="CC=ccache gcc")
	else
		arch_setup "$a"
		qc=$(sed -n 's/^# qemu_config: //p' "$f")
		if [ -n "$qc" ]; then
			args+=(--qemu_config="$(dirname "$f")/$qc")
		else
			args+=(--arch="$KARCH")
		fi
		args+=(${CROSS:+--cross_compile="$CROSS"}
		       --make_options="CC=ccache ${CROSS}gcc" --make_options="HOSTCC=ccache gcc")
	fi
	log "kunit/$name: kunit.py run --arch=$a"
	logf=$OBJ/kunit-$name.log
	mkdir -p "$OBJ"
	rc=0
	timed "kunit $name" "kunit.py run" bash -c 'cd "$1" && shift && ./tools/testing/kunit/kunit.py run "$@"' \
		_ "$SRC" "${args[@]}" >"$logf" 2>&1 || rc=$?
	# Test case lines look like "[12:00:00] [PASSED] name"; suite lines have "=".
	sed -n 's/^\[[0-9:]*\] \[\(PASSED\|FAILED\|SKIPPED\|CRASHED\)\] \([^ =]*\)$/\1 \2/p' "$logf" |
	while read -r verdict test; do
		case "$verdict" in
		PASSED) result kunit PASS "$name: $test" ;;
		SKIPPED) result kunit SKIP "$name: $test" ;;
		*) result kunit FAIL "$name: $test" "$verdict" ;;
		esac
	done
	# kunit.py shows the compiler's output: the suites must build cleanly.
	if grep -q 'warning:' "$logf"; then
		grep 'warning:' "$logf" >&2
		result kunit FAIL "$name: build without compiler warnings"
	else
		result kunit PASS "$name: build without compiler warnings"
	fi
	# The test kernel's console: a WARN, BUG, oops or lockdep report fails
	# the run even when every case passed.
	console=$OBJ/kunit-$name/test.log
	# A failure a test injects on purpose (fail_nth) dumps the stack
	# after "FAULT_INJECTION: forcing a failure.": that trace is not a
	# splat; any other is.
	splat=$(awk '/FAULT_INJECTION: forcing a failure\./ { fi = NR }
		/Call (T|t)race:/ && fi && NR - fi <= 6 { next }
		/\] WARNING:|^WARNING:|-+\[ cut here \]-+|BUG:|Oops|Kernel panic|Call trace:|Call Trace:|UBSAN:|possible (circular|recursive) locking/ { print; exit }' \
		"$console" 2>/dev/null || true)
	if [ ! -s "$console" ]; then
		result kunit FAIL "$name: kernel ran clean" "no console log ${console#"$TOP"/}"
	elif [ -n "$splat" ]; then
		result kunit FAIL "$name: kernel ran clean" "${splat:0:100}"
	else
		result kunit PASS "$name: kernel ran clean"
	fi
	if [ "$rc" -ne 0 ] || ! grep -q '^\[[0-9:]*\] Testing complete. Ran [1-9]' "$logf"; then
		tail -20 "$logf" >&2
		result kunit FAIL "$name: kunit.py run" "exit $rc, log: ${logf#"$TOP"/}"
	fi
done
