#!/bin/bash
# build-initramfs.sh ARCH: build the statically linked selftests (from the
# applied tree, against its own headers_install), guest/init.c and the demo,
# and pack them into build/out/ARCH/initramfs.cpio.  The tests the guest runs
# are listed in configs/ARCH.tests, by their path under tools/testing/selftests
# (a bare name is a VFIO selftest); of every other directory named there, the
# programs listed (and the benchmark, if it is there) are built into
# build/out/ARCH/selftests/DIR: selftests/iommu's iommufd and
# iommufd_fail_nth do not build on 6.12.118 (its stable backports use mock
# flags and hw_info fields that 6.12 lacks).
. "$(dirname "$0")/lib.sh"

a=${1:?arch}
arch_setup "$a"
o=$OBJ/$a
out=$OUT/$a
st=$SRC/tools/testing/selftests/vfio
[ -d "$o/usr/include/linux" ] || die "run build-kernel.sh $a first (headers_install)"
rm -rf "$out/root"
mkdir -p "$out/root/tests" "$out/root/bin" "$out/selftests"
cc="${CROSS}gcc"
cflags=(-static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -isystem "$o/usr/include")

log "initramfs/$a: selftests"
timed "initramfs $a" "selftests/vfio" make -s -j"$JOBS" -C "$st" OUTPUT="$out/selftests" KHDR_INCLUDES="-isystem $o/usr/include" \
	CC="$cc" LDFLAGS=-static >"$out/selftests.log" 2>&1 ||
	{ cat "$out/selftests.log"; die "selftests/vfio: build failed for $a"; }
if grep -q 'warning:' "$out/selftests.log"; then
	cat "$out/selftests.log"
	die "selftests/vfio: compiler warnings for $a"
fi
# make bench: the sPAPR TCE ioctl benchmark, or on powernv the KVM TCE
# hypercall one.
bench=$out/selftests/vfio_spapr_tce_bench
[ "$a" != powernv ] || bench=$out/selftests/powerpc/kvm/kvm_hv_tce_bench

mapfile -t tests < <(sed '/^#/d; /^$/d; /\//!s|^|vfio/|' "$TOP/configs/$a.tests")
for d in $(printf '%s\n' "${tests[@]}" | xargs -n1 dirname | sort -u | grep -vx vfio); do
	log "initramfs/$a: selftests/$d"
	mkdir -p "$out/selftests/$d"
	targets=()
	for t in "${tests[@]}"; do
		[ "$(dirname "$t")" != "$d" ] || targets+=("$out/selftests/$t")
	done
	[ "$(dirname "$bench")" != "$out/selftests/$d" ] || targets+=("$bench")
	timed "initramfs $a" "selftests/$d" make -s -j"$JOBS" -C "$SRC/tools/testing/selftests/$d" OUTPUT="$out/selftests/$d" \
		KHDR_INCLUDES="-isystem $o/usr/include" CC="$cc" LDFLAGS=-static "${targets[@]}" \
		>"$out/selftests/$d.log" 2>&1 ||
		{ cat "$out/selftests/$d.log"; die "selftests/$d: build failed for $a"; }
	if grep -q 'warning:' "$out/selftests/$d.log"; then
		cat "$out/selftests/$d.log"
		die "selftests/$d: compiler warnings for $a"
	fi
done
: >"$out/root/tests/list"
for t in "${tests[@]}"; do
	[ "${t%%/*}" = vfio ] && bin=$out/selftests/${t#vfio/} || bin=$out/selftests/$t
	cp "$bin" "$out/root/tests/"
	basename "$t" >>"$out/root/tests/list"
done

log "initramfs/$a: init and demo"
"$cc" "${cflags[@]}" -o "$out/root/init" "$TOP/guest/init.c"
"$cc" "${cflags[@]}" -I"$st" -o "$out/root/bin/vfio-demo" "$TOP/demo/vfio-demo.c" \
	"$out"/selftests/vfio_util.o "$out"/selftests/vfio_edu.o

# gen_init_cpio (built with the kernel) needs no root and gives stable archives.
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "file /init $out/root/init 0755 0 0"
	echo "dir /bin 0755 0 0"
	echo "file /bin/vfio-demo $out/root/bin/vfio-demo 0755 0 0"
	echo "file /bin/vfio-bench $bench 0755 0 0"
	echo "dir /tests 0755 0 0"
	echo "file /tests/list $out/root/tests/list 0644 0 0"
	while read -r t; do echo "file /tests/$t $out/root/tests/$t 0755 0 0"; done <"$out/root/tests/list"
} >"$out/initramfs.list"
"$o/usr/gen_init_cpio" -t 0 "$out/initramfs.list" >"$out/initramfs.cpio"
log "initramfs/$a: $(du -h "$out/initramfs.cpio" | cut -f1)"
