# shellcheck shell=bash
# Common definitions for the harness scripts: paths, the per-arch table,
# logging and result recording.  Sourced, never run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
SRC=$BUILD/src                  # the applied git tree (base + series)
OBJ=$BUILD/obj                  # out-of-tree kernel builds, one per target
OUT=$BUILD/out                  # initramfs, guest logs, per arch
RESULTS=${RESULTS:-$BUILD/results}  # one file per stage: PASS/FAIL/SKIP lines
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
# The harness's Python scripts run on Debian's python3, the one deps.sh
# installs, by its path: a version manager's shim that comes first on PATH
# (pyenv's here) costs 0.13 s a call against 0.01 s for the interpreter, and
# static.sh alone makes ~330 calls.
PY3=${PY3:-/usr/bin/python3}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
# O= builds pass absolute source paths to the compiler; relative to the
# repository top they are the same in every clone, so the cache hits across
# clones (CI runs in a fresh one).
export CCACHE_BASEDIR=$TOP
# Reproducible kernel builds also make ccache hit across trees.
export KBUILD_BUILD_USER=vfio-series KBUILD_BUILD_HOST=harness
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'

# arch_setup ARCH: sets KARCH, CROSS, IMAGE for a guest architecture
# (ARCH-debug: the same arch's debug kernel, configs/debug.config added).
arch_setup() {
	case "${1%-debug}" in
	x86_64)  KARCH=x86_64;  CROSS=;                       IMAGE=arch/x86/boot/bzImage ;;
	arm64)   KARCH=arm64;   CROSS=aarch64-linux-gnu-;     IMAGE=arch/arm64/boot/Image ;;
	ppc64le) KARCH=powerpc; CROSS=powerpc64le-linux-gnu-; IMAGE=vmlinux ;;
	powernv) KARCH=powerpc; CROSS=powerpc64le-linux-gnu-; IMAGE=vmlinux ;;
	ppc64)   KARCH=powerpc; CROSS=powerpc64-linux-gnu-;   IMAGE=vmlinux ;;
	e6500)   KARCH=powerpc; CROSS=powerpc64-linux-gnu-;   IMAGE=vmlinux ;;
	e500mc)  KARCH=powerpc; CROSS=powerpc64-linux-gnu-;   IMAGE=vmlinux ;;
	*) die "unknown arch '$1'" ;;
	esac
}

# kmake ARCH-KEY OBJDIR ARGS...: make in the applied tree for one arch.
kmake() {
	local a=$1 o=$2
	shift 2
	arch_setup "$a"
	make -C "$SRC" O="$o" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

# timed COST STEP CMD...: run CMD and add its wall time to build/steps.tsv
# ("milliseconds<TAB>COST<TAB>STEP"): make check ranks the steps and the
# costs (the sum of the steps of one COST, e.g. "static build arm64" over
# all its prefixes).  Returns CMD's status.
STEPS=$BUILD/steps.tsv
timed() {
	local cost=$1 step=$2 t0 rc=0
	shift 2
	t0=$(date +%s%N)
	"$@" || rc=$?
	mkdir -p "$BUILD"
	printf '%d\t%s\t%s\n' $(( ($(date +%s%N) - t0) / 1000000 )) "$cost" "$step" >>"$STEPS"
	return "$rc"
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# result STAGE PASS|FAIL|SKIP NAME [DETAIL]: record one test result.
result() {
	mkdir -p "$RESULTS"
	printf '%s %s%s\n' "$2" "$3" "${4:+ # $4}" >>"$RESULTS/$1.res"
	printf '  %-4s %s%s\n' "$2" "$3" "${4:+ ($4)}" >&2
}

# merge_config ARCH OBJDIR FRAGMENT...: allnoconfig + tiny-base + fragments,
# then check that every requested option survived.
merge_config() {
	local a=$1 o=$2
	shift 2
	mkdir -p "$o"
	cat "$SRC/kernel/configs/tiny-base.config" "$@" >"$o/fragment.config"
	kmake "$a" "$o" KCONFIG_ALLCONFIG="$o/fragment.config" allnoconfig >/dev/null
	check_config "$o/.config" "$@"
}

# check_config DOTCONFIG FRAGMENT...: fail if Kconfig dropped a requested option
# (tinyconfig and olddefconfig silently drop options with missing dependencies).
check_config() {
	local dot=$1 f line opt val
	shift
	for f in "$@"; do
		while read -r line; do
			case "$line" in
			CONFIG_*=*) opt=${line%%=*}; val=${line#*=}
				grep -qx "$opt=$val" "$dot" ||
					die "${f#"$TOP"/}: '$line' dropped by Kconfig (missing dependency?)" ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }; opt=${opt%% *}
				! grep -q "^$opt=" "$dot" || die "${f#"$TOP"/}: $opt should be unset" ;;
			esac
		done <"$f"
	done
}

# steps_summary STEPS: the five slowest steps and the ten largest costs of a
# steps.tsv (see timed), as make check prints them at the end.
steps_summary() {
	# No "| head" here: under pipefail, sort killed by SIGPIPE when head
	# exits first fails make check (exit 141) after every test passed.
	echo "==== the five slowest steps"
	sort -t"$(printf '\t')" -k1,1nr "$1" |
		awk -F'\t' 'NR <= 5 { printf "  %6.1f s  %s: %s\n", $1 / 1000, $2, $3 }'
	echo "==== the ten largest costs (steps summed per cost; the rest of a stage is untimed glue)"
	awk -F'\t' '{ t[$2] += $1; n[$2]++ } END { for (c in t) printf "%d\t%s\t%d\n", t[c], c, n[c] }' "$1" |
		sort -t"$(printf '\t')" -k1,1nr |
		awk -F'\t' 'NR <= 10 { printf "  %6.1f s  %s (%d step%s)\n", $1 / 1000, $2, $3, $3 == 1 ? "" : "s" }'
}
