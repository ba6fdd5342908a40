#!/bin/bash
# guests.sh ARCH...: tier 3, for each arch build the guest kernel and its
# initramfs, boot it on each machine of that arch, and record the KTAP
# results (stage "guest-MACHINE").
. "$(dirname "$0")/lib.sh"

for a in "$@"; do
	rm -f "$RESULTS/guest-$a.res" "$RESULTS/guest-$a-"*.res
	if ! "$TOP/scripts/build-kernel.sh" "$a" || ! "$TOP/scripts/build-initramfs.sh" "$a"; then
		result "guest-$a" FAIL "$a: kernel and initramfs build"
		continue
	fi
	"$TOP/scripts/run-guest.sh" "$a" tests
	# The same kernel with MSIs through a GICv2m frame instead of the ITS
	[ "$a" != arm64 ] || "$TOP/scripts/run-guest.sh" arm64-gicv2 tests
done
