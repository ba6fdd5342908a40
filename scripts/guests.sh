#!/bin/bash
# guests.sh ARCH...: tier 3, for each arch build the guest kernel and its
# initramfs, boot it on each machine of that arch, and record the KTAP
# results (stage "guest-MACHINE").  ARCH-debug boots ARCH's machine with the
# debug kernel (configs/debug.config: KASAN, kmemleak, lockdep, debug
# objects, fault injection) and ARCH's initramfs, the same tests.
. "$(dirname "$0")/lib.sh"

for a in "$@"; do
	base=${a%-debug}
	if [ "$a" = "$base" ]; then
		rm -f "$RESULTS/guest-$a.res" "$RESULTS/guest-$a-"*.res
	else
		rm -f "$RESULTS/guest-$a.res"
	fi
	built=1
	"$TOP/scripts/build-kernel.sh" "$a" || built=0
	# A debug guest boots its arch's initramfs, built with that arch
	if [ "$built" = 1 ] && { [ "$a" = "$base" ] || [ ! -f "$OUT/$base/initramfs.cpio" ]; }; then
		"$TOP/scripts/build-initramfs.sh" "$base" || built=0
	fi
	if [ "$built" = 0 ]; then
		result "guest-$a" FAIL "$a: kernel and initramfs build"
		continue
	fi
	# The guest kernels are the only builds with KUnit off (the static and
	# KUnit builds enable the suites): their compiler must not warn either.
	# build.log is rewritten by every build (a clone builds from scratch).
	if grep -q 'warning:' "$OBJ/$a/build.log"; then
		grep 'warning:' "$OBJ/$a/build.log" >&2
		result "guest-$a" FAIL "$a: kernel builds without compiler warnings"
	else
		result "guest-$a" PASS "$a: kernel builds without compiler warnings"
	fi
	"$TOP/scripts/run-guest.sh" "$a" tests
	# The same kernel with MSIs through a GICv2m frame instead of the ITS
	[ "$a" != arm64 ] || "$TOP/scripts/run-guest.sh" arm64-gicv2 tests
	# The same host kernel on POWER9, where KVM-HV has no real-mode hcalls
	[ "$a" != powernv ] || "$TOP/scripts/run-guest.sh" powernv-p9 tests
	# No emulator has a PAMU: on the host (no VFIO_SELFTEST_BDF, not
	# required) every test of the PAMU hardware selftest must be a KTAP skip.
	if [ "$a" = x86_64 ]; then
		rc=0
		ktap=$(env -u VFIO_SELFTEST_BDF -u VFIO_SELFTEST_REQUIRE \
			"$OUT/x86_64/selftests/vfio_fsl_pamu_test" 2>&1) || rc=$?
		if [ "$rc" -eq 0 ] && ! grep -q '^not ok' <<<"$ktap" &&
		   [ "$(grep -c '^ok [0-9]* pamu\..* # SKIP' <<<"$ktap")" -eq 3 ]; then
			result "guest-$a" PASS "host: vfio_fsl_pamu_test skips all 3 tests without PAMU hardware"
		else
			echo "$ktap" >&2
			result "guest-$a" FAIL "host: vfio_fsl_pamu_test skips all 3 tests without PAMU hardware" "exit $rc"
		fi
	fi
done
