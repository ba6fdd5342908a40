#!/bin/bash
# bench.sh: the sPAPR TCE benchmark (not pass/fail).  Boots the ppc64le
# pseries guest in bench mode twice, with the series kernel and with the
# unpatched base built from the same config, and prints both runs' figures:
# 1 GiB made DMA-able through the default window (4K TCEs), a 64K-page and
# a 2M-page dynamic window, one ioctl for the range and one per TCE.
. "$(dirname "$0")/lib.sh"

a=ppc64le
base_src=$BUILD/bench-base
base_obj=$OBJ/$a-base
"$TOP/scripts/build-kernel.sh" $a
"$TOP/scripts/build-initramfs.sh" $a

if [ ! -d "$base_src" ]; then
	git -C "$SRC" worktree add -q -f --detach "$base_src" base
fi
mkdir -p "$base_obj"
cp "$OBJ/$a/.config" "$base_obj/.config"
arch_setup $a
log "bench: building the unpatched base kernel"
make -C "$base_src" O="$base_obj" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
	CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS" olddefconfig vmlinux \
	>"$base_obj/build.log" 2>&1 || { tail -20 "$base_obj/build.log"; die "base build failed"; }

for k in series base; do
	if [ $k = series ]; then img=$OBJ/$a/$IMAGE; else img=$base_obj/$IMAGE; fi
	KERNEL=$img LOG_SUFFIX=-$k "$TOP/scripts/run-guest.sh" $a bench
	echo "== $k kernel ($(date +%F), $(nproc) cores, QEMU TCG pseries) =="
	sed -n 's/\r$//; s/^\(\[[ 0-9.]*\] \)\?\(bench: .*\)/\2/p' "$OUT/$a/bench-$k.log"
	grep -q '^bench: done' "$OUT/$a/bench-$k.log" ||
		{ tail -20 "$OUT/$a/bench-$k.log"; die "bench on the $k kernel failed"; }
done
