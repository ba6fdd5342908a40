#!/bin/bash
# planted-break.sh [K]: show that the static stage still checks every prefix
# on every configuration although it builds a prefix only where the patch
# changes something that configuration reads.  A throwaway commit, inserted
# after patch K (default 9) on a branch "planted" of build/src, breaks the
# build of an arm64-only file (the GICv3 ITS driver, which x86_64 does not
# compile); the prefix builds of x86_64 and arm64 then run on that branch
# (STATIC_TIP=planted, results in build/planted/static.res).  Expected:
#  - arm64 FAIL after the planted commit and after every later patch;
#  - x86_64 PASS throughout, the planted commit "carried over" (not built);
#  - both PASS before it.
# Not part of make check (it costs two architectures' prefix builds); the
# series branch and patches/ are not touched.
. "$(dirname "$0")/lib.sh"

k=${1:-9}
file=drivers/irqchip/irq-gic-v3-its.c
"$TOP/scripts/tree.sh"
"$TOP/scripts/build-kernel.sh" x86_64 >/dev/null
"$TOP/scripts/build-kernel.sh" arm64 >/dev/null
total=$(git -C "$SRC" rev-list --count base..series)
[ "$k" -ge 1 ] && [ "$k" -lt "$total" ] || die "K must be in 1..$((total - 1))"
at=$(git -C "$SRC" rev-parse "series~$((total - k))")
pw=$BUILD/planted-wt
git -C "$SRC" worktree remove -f "$pw" 2>/dev/null || rm -rf "$pw"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$pw" "$at"
echo 'static int planted_break = planted_undeclared_symbol;' >>"$pw/$file"
git -C "$pw" commit -q -a -m "planted: break $file (arm64 only)"
git -C "$pw" cherry-pick "$at..series" >/dev/null 2>&1 ||
	die "the later patches do not apply over the planted commit"
git -C "$SRC" branch -f planted "$(git -C "$pw" rev-parse HEAD)"
git -C "$SRC" worktree remove -f "$pw"

res=$BUILD/planted
rm -rf "$res"
mkdir -p "$res"
log "planted: static prefix builds of branch planted (break after patch $k) on x86_64 and arm64"
RESULTS=$res STATIC_TIP=planted STATIC_STEPS=builds STATIC_ARCHES="x86_64 arm64" \
	"$TOP/scripts/static.sh" || true

# The planted commit is prefix k+1 of branch planted.
bad=0
check() {	# check ARCH N WANT [DETAIL-REGEX]
	local line
	line=$(grep -E "^[A-Z]+ $1 builds after patch $2 \(" "$res/static.res" || true)
	if [ -z "$line" ] || [ "${line%% *}" != "$3" ] ||
	   { [ -n "${4:-}" ] && ! grep -qE "$4" <<<"$line"; }; then
		echo "planted: unexpected for $1 patch $2 (want $3${4:+ /$4/}): ${line:-no result}"
		bad=1
	fi
}
p=$((k + 1))
for n in $(seq 1 $((total + 1))); do
	if [ "$n" -lt "$p" ]; then
		check arm64 "$n" PASS
		check x86_64 "$n" PASS
	else
		check arm64 "$n" FAIL
		check x86_64 "$n" PASS
	fi
done
check arm64 "$p" FAIL "kernel built"
check x86_64 "$p" PASS "carried over"
grep -E "builds after patch $p \(" "$res/static.res"
grep -E "^FAIL arm64 builds at tip" "$res/static.res" || { echo "planted: no arm64 tip failure"; bad=1; }
[ "$bad" = 0 ] || die "planted break: the static stage did not report it as expected"
log "planted: arm64 FAIL from patch $p (the planted commit) on, x86_64 PASS (carried over at $p): as expected"
