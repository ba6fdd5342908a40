#!/bin/bash
# bench.sh: the sPAPR TCE benchmark (not pass/fail).  Boots the ppc64le
# pseries guest in bench mode BENCH_RUNS (5) times with the series kernel
# and as often with the unpatched base built from the same config, and
# prints the medians (scripts/bench-summary.py):
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

# Alternate the kernels, so that a slower stretch of the host hits both.
runs=${BENCH_RUNS:-5}
rm -f "$OUT/$a"/bench-*.log
for n in $(seq "$runs"); do
	for k in series base; do
		if [ $k = series ]; then img=$OBJ/$a/$IMAGE; else img=$base_obj/$IMAGE; fi
		KERNEL=$img LOG_SUFFIX=-$k-$n "$TOP/scripts/run-guest.sh" $a bench
		grep -q '^bench: done' "$OUT/$a/bench-$k-$n.log" ||
			{ tail -20 "$OUT/$a/bench-$k-$n.log"; die "bench on the $k kernel failed"; }
	done
done
echo "== $(date +%F), $(nproc) cores, QEMU $(qemu-system-ppc64 --version | sed -n '1s/.*version //p') TCG pseries =="
sed -n 's/\r$//; s/^\(\[[ 0-9.]*\] \)\?\(bench: register.*\)/\2/p' "$OUT/$a/bench-series-1.log"
python3 "$TOP/scripts/bench-summary.py" "$OUT/$a"/bench-*.log
