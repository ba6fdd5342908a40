#!/bin/bash
# bench.sh [ARCH...]: the benchmarks (not pass/fail), each with the series
# kernel and the unpatched base built from the same config, alternating, in
# the same run.  ARCH defaults to "ppc64le powernv".
#
# ppc64le: the sPAPR TCE ioctl benchmark.  Boots the pseries guest in bench
# mode BENCH_RUNS (5) times per kernel and prints the medians
# (scripts/bench-summary.py): 1 GiB made DMA-able through the default window
# (4K TCEs), a 64K-page and a 2M-page dynamic window, one ioctl for the range
# and one per TCE.
#
# powernv: the KVM TCE hypercall benchmark (kvm_hv_tce_bench) on a POWER8
# host: real mode vs virtual mode on the series kernel, virtual mode on the
# base, BENCH_RUNS_PNV (3) runs per kernel; prints every run's figures.
. "$(dirname "$0")/lib.sh"

# build_base ARCH: the unpatched base kernel with ARCH's config
build_base() {
	local a=$1 base_src=$BUILD/bench-base base_obj=$OBJ/$1-base

	if [ ! -d "$base_src" ]; then
		git -C "$SRC" worktree add -q -f --detach "$base_src" base
	fi
	mkdir -p "$base_obj"
	cp "$OBJ/$a/.config" "$base_obj/.config"
	arch_setup "$a"
	log "bench: building the unpatched base kernel for $a"
	make -C "$base_src" O="$base_obj" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS" olddefconfig vmlinux \
		>"$base_obj/build.log" 2>&1 || { tail -20 "$base_obj/build.log"; die "base build failed"; }
}

# bench_runs ARCH MACHINE RUNS: boot MACHINE in bench mode, alternating the
# kernels, so that a slower stretch of the host hits both
bench_runs() {
	local a=$1 m=$2 runs=$3 n k img

	rm -f "$OUT/$a"/bench-*.log
	for n in $(seq "$runs"); do
		for k in series base; do
			if [ $k = series ]; then img=$OBJ/$a/$IMAGE; else img=$OBJ/$a-base/$IMAGE; fi
			KERNEL=$img LOG_SUFFIX=-$k-$n "$TOP/scripts/run-guest.sh" "$m" bench
			grep -q '^bench: done' "$OUT/$a/bench-$k-$n.log" ||
				{ tail -20 "$OUT/$a/bench-$k-$n.log"; die "bench on the $k kernel failed"; }
		done
	done
}

for a in ${*:-ppc64le powernv}; do
	"$TOP/scripts/build-kernel.sh" $a
	"$TOP/scripts/build-initramfs.sh" $a
	build_base $a
	arch_setup $a
	case $a in
	ppc64le)
		bench_runs $a ppc64le "${BENCH_RUNS:-5}"
		echo "== $(date +%F), $(nproc) cores, QEMU $(qemu-system-ppc64 --version | sed -n '1s/.*version //p') TCG pseries =="
		sed -n 's/\r$//; s/^\(\[[ 0-9.]*\] \)\?\(bench: register.*\)/\2/p' "$OUT/$a/bench-series-1.log"
		"$PY3" "$TOP/scripts/bench-summary.py" "$OUT/$a"/bench-*.log ;;
	powernv)
		bench_runs $a powernv "${BENCH_RUNS_PNV:-3}"
		echo "== $(date +%F), $(nproc) cores, QEMU $(qemu-system-ppc64 --version | sed -n '1s/.*version //p') TCG powernv8, KVM-HV guest =="
		for f in "$OUT/$a"/bench-*.log; do
			echo "-- ${f##*/}"
			sed -n 's/\r$//; s/^\(\[[ 0-9.]*\] \)\?\(bench: [a-z].*\)/\2/p' "$f" | grep -v '^bench: done'
		done ;;
	*) die "no benchmark for $a" ;;
	esac
done
