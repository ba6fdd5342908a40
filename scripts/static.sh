#!/bin/bash
# static.sh: tier 1, the per-patch static checks (stage "static").
#  - quilt push -a --fuzz=0 applies the series to the pristine base and gives
#    exactly the tree that git am gave;
#  - scripts/checkpatch.pl --strict is clean on every patch;
#  - every prefix of the series builds the touched directories on x86_64,
#    arm64, ppc64le, e6500 and powernv-kvm
#    (kernel directories with W=1, and the VFIO selftests without any
#    compiler warning);
#  - sparse (C=1) and W=1 report no new warnings on touched kernel files,
#    tip against base, on x86_64, arm64, ppc64le, e6500 (PAMU) and
#    powernv-kvm (KVM-HV);
#  - coccicheck (MODE=report) reports nothing new on touched kernel files.
. "$(dirname "$0")/lib.sh"

st=static
wt=$BUILD/worktree            # a second checkout of build/src, for base and prefixes
# For tests of this script: STATIC_TIP builds the prefixes of another branch
# of build/src (scripts/planted-break.sh), STATIC_STEPS runs some steps only.
tip=${STATIC_TIP:-series}
steps=" ${STATIC_STEPS:-quilt checkpatch builds cocci} "
rm -f "$RESULTS/$st.res"
git -C "$SRC" worktree prune
if [ ! -d "$wt" ]; then
	git -C "$SRC" worktree add -q --detach "$wt" base
fi
git -C "$wt" checkout -q -f --detach base
git -C "$wt" clean -q -fdx

# 1. quilt, on the pristine base, must reproduce the git am result exactly.
if [ "${steps/ quilt /}" != "$steps" ]; then
log "static: quilt push -a --fuzz=0"
if timed "static quilt" "push -a" bash -c 'cd "$1" && QUILT_PATCHES="$2/patches" QUILT_PC="$3/quilt-pc" \
	quilt push -a --fuzz=0 -q >"$3/quilt.log" 2>&1' _ "$wt" "$TOP" "$BUILD" &&
	git -C "$wt" add -A -f && git -C "$wt" diff --cached --quiet series; then
	result $st PASS "quilt push -a --fuzz=0 applies, tree identical to git am"
else
	result $st FAIL "quilt push -a --fuzz=0 applies, tree identical to git am" "see build/quilt.log"
fi
rm -rf "$BUILD/quilt-pc"
git -C "$wt" reset -q --hard base
git -C "$wt" clean -q -fdx
fi

# 2. checkpatch --strict, one result per patch.  checkpatch warns
# (FILE_PATH_CHANGES) on every patch that adds a file without touching
# MAINTAINERS, even when an entry already covers the file; that type is
# ignored here and replaced by a real check: every file the series adds is
# covered by a MAINTAINERS entry more specific than THE REST or the
# selftest framework's catch-all.  UNKNOWN_COMMIT_ID is ignored too: the
# base is a tarball without git history, so checkpatch cannot look up the
# upstream commits a Fixes: tag or a commit message names (they were checked
# by hand against the public history).
# The patches are checked $JOBS at a time; results come in series order.
checkpatch_one() {
	# checkpatch's SPDX check runs scripts/spdxcheck.py with "env python3",
	# which needs Debian's python3 (python3-ply, python3-git), not another
	# python3 that may come first on PATH. Any output from it is a failure.
	(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$TOP/patches/$1") \
		>"$BUILD/checkpatch/$1.log" 2>&1
	echo $? >"$BUILD/checkpatch/$1.rc"
}
checkpatch_all() {
	local p
	rm -rf "$BUILD/checkpatch"
	mkdir -p "$BUILD/checkpatch"
	for p in $(grep -v '^#' "$TOP/patches/series"); do
		[ "$(jobs -rp | wc -l)" -lt "$JOBS" ] || wait -n || true
		checkpatch_one "$p" &
	done
	wait
}
if [ "${steps/ checkpatch /}" != "$steps" ]; then
log "static: checkpatch --strict"
timed "static checkpatch" "all patches" checkpatch_all
for p in $(grep -v '^#' "$TOP/patches/series"); do
	if [ "$(cat "$BUILD/checkpatch/$p.rc" 2>/dev/null)" = 0 ] &&
	   [ ! -s "$BUILD/checkpatch/$p.log" ]; then
		result $st PASS "checkpatch --strict $p"
	else
		head -8 "$BUILD/checkpatch/$p.log" >&2
		result $st FAIL "checkpatch --strict $p"
	fi
done
maintained() {
	local f
	uncovered=()
	for f in $(git -C "$SRC" diff --name-only --diff-filter=A base series); do
		(cd "$SRC" && ./scripts/get_maintainer.pl --no-git --sections -f "$f" 2>/dev/null) |
			grep -E '^[A-Z0-9][^:]*$' | grep -vqxE 'THE REST|KERNEL SELFTEST FRAMEWORK' ||
			uncovered+=("$f")
	done
}
timed "static MAINTAINERS" "added files" maintained
if [ "${#uncovered[@]}" -eq 0 ]; then
	result $st PASS "every added file has a MAINTAINERS entry"
else
	result $st FAIL "every added file has a MAINTAINERS entry" "${uncovered[*]}"
fi
fi

# What the series touches: kernel directories holding changed .c files, and
# whether the VFIO selftests changed.
mapfile -t changed < <(git -C "$SRC" diff --name-only base "$tip")
mapfile -t kfiles < <(printf '%s\n' "${changed[@]}" | grep '\.c$' | grep -v '^tools/' || true)
mapfile -t kdirs < <(printf '%s\n' "${kfiles[@]}" | sed '/^$/d' | xargs -r -n1 dirname | sort -u)
selftests=$(printf '%s\n' "${changed[@]}" | grep -c '^tools/testing/selftests/vfio/' || true)
log "static: touched kernel dirs: ${kdirs[*]:-none}; selftest files: $selftests"

# build_at ARCH REV LOG [kernel|selftests]: check out REV in the worktree and
# build what the series touches there, appending compiler output to LOG;
# with "selftests" only the VFIO selftests (against the headers the last
# kernel build installed), with "kernel" only the kernel directories.  With
# TOUCH_KFILES=1 the series' C files are touched after the checkout, so that
# every one this configuration compiles is compiled again and its sparse and
# W=1 warnings are all in LOG; only these builds (base and tip) run sparse
# (C=1).  Its output is read only there (the tip vs base comparison), and
# sparse exits 0 even on errors (a harness self-test holds it to that), so
# at the prefixes between it could never fail a build: it cost about half
# of a warm prefix build and checked nothing.  After a kernel build, $o/reads.txt lists the
# source files it read (scripts/prefix-deps.py scan).
build_at() {
	local a=$1 rev=$2 logf=$3 only=${4:-} o=$OBJ/static-$1 d ka f dirs=() rc=0 check=
	git -C "$wt" checkout -q -f --detach "$rev"
	if [ "${TOUCH_KFILES:-0}" = 1 ]; then
		check=C=1
		for f in "${kfiles[@]}"; do [ ! -f "$wt/$f" ] || touch "$wt/$f"; done
	fi
	# The guest kernel's config, plus the KUnit suites of this arch, so
	# that the tests' files get W=1 and sparse too. Restored before every
	# build: olddefconfig at a revision without a symbol drops it. (Kbuild
	# rebuilds only what a changed symbol affects, so this stays cheap.)
	mkdir -p "$o"
	local cross=$TOP/configs/cross/$a.config
	# A cross config names its compiler arch (powernv-kvm: ppc64le).
	if [ -f "$cross" ]; then arch_setup "$(sed -n 's/^# arch: //p' "$cross")"; else arch_setup "$a"; fi
	if [ "$only" != selftests ]; then
	{
		if [ -f "$cross" ]; then
			# A machine we only cross-build (e6500): its defconfig and
			# fragment, and only the directories it lists that the
			# series touches.
			# The defconfig is made again only when a Kconfig file,
			# the arch's defconfigs or kconfig itself changed.
			if [ ! -f "$o-defconfig/.config" ] || [ ! -f "$o-defconfig/.rev" ] ||
			   ! git -C "$wt" diff --quiet "$(cat "$o-defconfig/.rev")" "$rev" -- \
				':(glob)**/Kconfig*' "arch/$KARCH/configs/" scripts/kconfig/; then
				rm -f "$o-defconfig/.rev"
				make -C "$wt" O="$o-defconfig" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
					"$(sed -n 's/^# defconfig: //p' "$cross")" >/dev/null 2>&1 ||
					die "static: $a defconfig"
				git -C "$wt" rev-parse HEAD >"$o-defconfig/.rev"
			fi
			cat "$o-defconfig/.config" "$cross"
		else
			[ -f "$OBJ/$a/.config" ] ||
				die "static: build the $a guest kernel first (its .config is reused)"
			cat "$OBJ/$a/.config"
			# Suites of any arch that builds for the same kernel ARCH
			# (the ppc64 KUnit suites with the ppc64le guest config).
			# (A suite for another machine, "# qemu_config:", has
			# its cross config instead: e6500.)
			for k in "$TOP"/configs/kunit/*.kunitconfig; do
				! grep -q '^# qemu_config: ' "$k" || continue
				ka=$(sed -n 's/^# arch: //p' "$k")
				[ "$(arch_setup "$ka"; echo "$KARCH")" != "$KARCH" ] || grep '^CONFIG_' "$k"
			done
		fi
		# W=1 warnings are compared below, they must not stop the
		# build (powerpc builds arch/powerpc with -Werror by default).
		echo "CONFIG_PPC_DISABLE_WERROR=y"
		echo "# CONFIG_WERROR is not set"
	} >"$o/config.want"
	fi
	# olddefconfig (a parse of every Kconfig file) only when the wanted
	# config or a Kconfig file changed since the last one; an unchanged
	# .config is left alone, so that Kbuild does not sync it again either.
	local olddef=olddefconfig
	if [ "$only" != selftests ] && [ -f "$o/.config" ] && [ -f "$o/config.rev" ] &&
	   cmp -s "$o/config.want" "$o/config.used" &&
	   git -C "$wt" diff --quiet "$(cat "$o/config.rev")" "$rev" -- \
		':(glob)**/Kconfig*' scripts/kconfig/; then
		olddef=
	elif [ "$only" != selftests ]; then
		rm -f "$o/config.rev"
		cp "$o/config.want" "$o/.config"
		cp "$o/config.want" "$o/config.used"
	fi
	for d in "${kdirs[@]}"; do
		# Another architecture's arch/ directories do not build here.
		case "$d" in arch/*) [ "${d#arch/"$KARCH"/}" != "$d" ] || continue ;; esac
		if [ -f "$cross" ]; then
			grep -q "^# build:.* $d/ " <(sed 's/$/ /' "$cross") || continue
		fi
		[ -d "$wt/$d" ] && dirs+=("$d/")
	done
	# Three make runs: olddefconfig (when needed), headers_install, then
	# every directory in one run.  Kbuild builds a goal list that mixes a
	# config or other target with directories ("single targets") one goal
	# at a time, each with its own prepare: with headers_install among
	# ten directories that was ~8 s of a no-op ppc64le build, against ~1 s
	# for the directories in one run.
	kb() {
		make -C "$wt" O="$o" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
			CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS" W=1 "$@" 2>&1
	}
	# Called as an "if" condition, where errexit is off: fail explicitly.
	(
		if [ "$only" != selftests ]; then
			[ -z "$olddef" ] || kb "$olddef" || exit 1
			kb headers_install || exit 1
			[ "${#dirs[@]}" -eq 0 ] || kb "${dirs[@]}" $check || exit 1
		fi
		if [ "$only" != kernel ] && [ "$selftests" -gt 0 ] &&
		   [ -d "$wt/tools/testing/selftests/vfio" ] && [ ! -f "$cross" ]; then
			rm -rf "$o/selftests"
			mkdir -p "$o/selftests"
			make -j"$JOBS" -C "$wt/tools/testing/selftests/vfio" OUTPUT="$o/selftests" \
				KHDR_INCLUDES="-isystem $o/usr/include" CC="${CROSS}gcc" \
				>"$logf.selftests" 2>&1 || { cat "$logf.selftests"; exit 2; }
			# The selftests must build without compiler warnings.
			! grep 'warning:' "$logf.selftests" || exit 2
		fi
		exit 0
	) >>"$logf" || rc=$?
	[ "$only" = selftests ] || [ -z "$olddef" ] || [ "$rc" -ne 0 ] || git -C "$wt" rev-parse HEAD >"$o/config.rev"
	# What this build read decides which later patches it is built after
	# (after a failed build too; it is then known to be incomplete).
	[ "$only" = selftests ] || "$PY3" "$TOP/scripts/prefix-deps.py" scan "$o" "$wt" >"$o/reads.txt"
	return "$rc"
}

arches=${STATIC_ARCHES:-x86_64 arm64 ppc64le e6500 powernv-kvm}
[ "${steps/ builds /}" != "$steps" ] || arches=

# srcarch KARCH: the directory under arch/ that a kernel ARCH builds from.
srcarch() { case "$1" in x86_64|i386) echo x86 ;; *) echo "$1" ;; esac; }

# 3. Bisectability on x86_64, arm64 (where the GIC and SMMU code builds),
# ppc64le (sPAPR TCE, pseries and powernv), e6500 (PAMU, the MPIC MSI
# banks) and powernv-kvm (powernv_defconfig with KVM-HV built in; for
# these two, the directories their configs/cross/NAME.config lists): base,
# then every prefix.  STATIC_ARCHES narrows steps 3 and 4 for development; make check
# uses all.
#
# A prefix is built on a configuration only if the patch changes a file
# that configuration's previous build read (scripts/prefix-deps.py: the
# sources and headers in its objects' dependency lists, plus every
# Makefile, Kconfig, script, uAPI header and other file it cannot rule
# out); the kernel directories and the VFIO selftests are decided apart.
# Otherwise the verdict of the last build is carried over, and said so.
# The build after the next patch that does change something read starts
# from the last build's objects, so it compiles every change since then.
#
# 4. sparse and W=1: new warnings on touched kernel files, tip vs base.
# The base build (the first of step 3) and a build at the tip compile every
# touched file this configuration builds (TOUCH_KFILES), so both logs hold
# all of their warnings.
for a in $arches; do
	n=0
	lastk=PASS lasts=PASS lastn=0
	log "static: building every prefix on $a"
	cfg=$TOP/configs/cross/$a.config
	if [ -f "$cfg" ]; then arch_setup "$(sed -n 's/^# arch: //p' "$cfg")"; else arch_setup "$a"; fi
	sa=$(srcarch "$KARCH")
	with_st=
	[ -f "$cfg" ] || [ "$selftests" -eq 0 ] || with_st=selftests
	for rev in base $(git -C "$SRC" rev-list --reverse "base..$tip"); do
		logf=$BUILD/static-$a-$n.log
		: >"$logf"
		subj=$(git -C "$SRC" log -1 --format=%s "$rev")
		if [ "$n" -eq 0 ]; then
			TOUCH_KFILES=1 timed "static build $a" base build_at "$a" "$rev" "$logf" ||
				die "static: the unpatched base does not build the touched dirs (see $logf)"
			cp "$logf" "$BUILD/static-$a-base.log"
			n=1
			continue
		fi
		git -C "$SRC" diff --name-only "$rev~1" "$rev" >"$BUILD/static-changed"
		inc=
		[ "$lastk" = PASS ] || inc=incomplete
		{ read -r _ kwhy; read -r _ swhy; } < <("$PY3" "$TOP/scripts/prefix-deps.py" needs \
			"$OBJ/static-$a/reads.txt" "$sa" $with_st $inc <"$BUILD/static-changed")
		what="$a builds after patch $n ($subj)"
		carried="carried over from patch $lastn: nothing this configuration reads changed"
		if [ "$kwhy" = - ] && [ "$swhy" = - ]; then
			v=PASS
			[ "$lastk$lasts" = PASSPASS ] || v=FAIL
			result $st "$v" "$what" "$carried"
			n=$((n + 1))
			continue
		fi
		only= rc=0
		[ "$kwhy" != - ] || only=selftests
		[ "$swhy" != - ] || only=kernel
		timed "static build $a" "patch $n" build_at "$a" "$rev" "$logf" $only || rc=$?
		# build_at: 1 = the kernel failed (selftests not tried), 2 = the selftests
		case "$rc" in
		0) [ "$only" = selftests ] || lastk=PASS
		   [ "$only" = kernel ] || [ -z "$with_st" ] || lasts=PASS ;;
		1) lastk=FAIL ;;
		*) [ "$only" = selftests ] || lastk=PASS
		   lasts=FAIL ;;
		esac
		case "$only" in
		selftests) detail="selftests built ($swhy); kernel carried over from patch $lastn" ;;
		kernel) detail="kernel built ($kwhy)${with_st:+; selftests carried over from patch $lastn}" ;;
		*) detail="kernel built ($kwhy)${with_st:+, selftests too}" ;;
		esac
		if [ "$lastk$lasts" = PASSPASS ]; then
			result $st PASS "$what" "$detail"
		else
			[ "$rc" -eq 0 ] || tail -20 "$logf" >&2
			result $st FAIL "$what" "$detail; log: ${logf#"$TOP"/}"
		fi
		lastn=$n
		n=$((n + 1))
	done

	[ "${#kfiles[@]}" -gt 0 ] || continue
	blog=$BUILD/static-$a-base.log tlog=$BUILD/static-$a-tip.log
	: >"$tlog"
	if ! TOUCH_KFILES=1 timed "static build $a" tip build_at "$a" "$tip" "$tlog" kernel; then
		result $st FAIL "$a builds at tip"
		continue
	fi
	if "$PY3" "$TOP/scripts/warn-diff.py" "$blog" "$tlog" "${kfiles[@]}" >"$BUILD/new-warnings-$a.txt"; then
		result $st PASS "$a: no new sparse/W=1 warnings in touched files"
	else
		cat "$BUILD/new-warnings-$a.txt" >&2
		result $st FAIL "$a: no new sparse/W=1 warnings in touched files"
	fi
done

if [ "${#kfiles[@]}" -eq 0 ]; then
	log "static: no kernel C files touched, nothing for sparse/W=1 to compare"
elif [ -n "$arches" ]; then
	# A file that no tip build compiled was not checked at all.
	for f in "${kfiles[@]}"; do
		[ -f "$SRC/$f" ] || continue
		if grep -q "CHECK .*/$f\$" "$BUILD"/static-*-tip.log; then
			result $st PASS "$f: compiled with sparse and W=1"
			continue
		fi
		# A .c file #included by another one (KUnit tests that need a
		# driver's internals) is compiled, and checked, with its includer:
		# one that a tip build checked and whose dependencies (Kbuild's
		# .o.cmd) name the file, i.e. the #include was not compiled out.
		by=
		for inc in $(grep -l "^#include \"$(basename "$f")\"" "$SRC/$(dirname "$f")"/*.c 2>/dev/null); do
			inc=${inc#"$SRC"/}
			if grep -q "CHECK .*/$inc\$" "$BUILD"/static-*-tip.log &&
			   grep -qs "/$f\b" "$OBJ"/static-*/"$(dirname "$inc")/.$(basename "$inc" .c).o.cmd"; then
				by=$inc
				break
			fi
		done
		if [ -n "$by" ]; then
			result $st PASS "$f: compiled with sparse and W=1" "#included by $by"
		else
			result $st FAIL "$f: compiled with sparse and W=1" "no static build config enables it"
		fi
	done
fi

# 5. coccicheck, tip vs base, on the touched files (M= must be absolute
# with O=).  A file's reports depend on its contents and the spatch version,
# so they are cached by blob and version (outside the clone, like ccache).
# The files missing from the cache are checked in one coccicheck run over a
# mirror of them (scripts/cocci-mirror.py): one spatch per semantic patch,
# $JOBS files at a time, instead of one per semantic patch and file (spatch
# takes ~0.4 s to start, which was most of the cost).  spatch still
# processes each file on its own; the mirror holds what their quoted
# includes reach at the same relative paths, so that includes resolve as in
# the tree.  If the batch run fails, every file is checked on its own
# (M=FILE, the reference form) and its log reported as it is.
cocci_one() {	# cocci_one FILE CACHEFILE: report FILE into CACHEFILE
	local out=$BUILD/cocci/${1//\//_}
	if make -C "$wt" O="$OBJ/static-x86_64" coccicheck MODE=report \
		M="$wt/$1" J=1 >"$out.log" 2>&1; then
		sed "s|$wt/||" "$out.log" >"$out.tmp" && mv "$out.tmp" "$2"
	fi
}
cocci_batch() {	# cocci_batch FILE...: report FILEs, each into its cache file
	local m=$BUILD/cocci-mirror f
	rm -rf "$m"
	"$PY3" "$TOP/scripts/cocci-mirror.py" "$wt" "$m" "$@" >/dev/null || return 1
	make -C "$wt" O="$OBJ/static-x86_64" coccicheck MODE=report \
		M="$m" J="$JOBS" >"$BUILD/cocci/batch.log" 2>&1 || return 1
	for f in "$@"; do
		{ echo "coccicheck M=<mirror of the touched files> J=$JOBS: the lines for $f"
		  sed -n "s|^$m/$f:|$f:|p" "$BUILD/cocci/batch.log"
		} >"$BUILD/cocci/one.tmp"
		mv "$BUILD/cocci/one.tmp" "$cache/$(git -C "$wt" rev-parse "HEAD:$f")-$spv.log"
	done
	rm -rf "$m"
}
cocci_rev() {	# cocci_rev REV: every touched file at REV, into build/cocci-REV.log
	local f c todo=()
	rm -rf "$BUILD/cocci"
	mkdir -p "$BUILD/cocci"
	git -C "$wt" checkout -q -f --detach "$1"
	for f in "${kfiles[@]}"; do
		[ -f "$wt/$f" ] || continue
		c=$cache/$(git -C "$wt" rev-parse "HEAD:$f")-$spv.log
		[ -f "$c" ] || todo+=("$f")
	done
	if [ "${#todo[@]}" -gt 0 ] && ! cocci_batch "${todo[@]}"; then
		log "static: coccicheck over the mirror failed (build/cocci/batch.log), file by file"
		for f in "${todo[@]}"; do
			c=$cache/$(git -C "$wt" rev-parse "HEAD:$f")-$spv.log
			[ "$(jobs -rp | wc -l)" -lt "$JOBS" ] || wait -n || true
			cocci_one "$f" "$c" &
		done
		wait
	fi
	: >"$BUILD/cocci-$1.log"
	for f in "${kfiles[@]}"; do
		[ -f "$wt/$f" ] || continue
		c=$cache/$(git -C "$wt" rev-parse "HEAD:$f")-$spv.log
		if [ -f "$c" ]; then
			cat "$c" >>"$BUILD/cocci-$1.log"
		else	# not cached: a failed run is reported every time
			cat "$BUILD/cocci/${f//\//_}.log" >>"$BUILD/cocci-$1.log"
		fi
	done
}
if [ "${#kfiles[@]}" -gt 0 ] && [ "${steps/ cocci /}" != "$steps" ]; then
	log "static: coccicheck on ${kfiles[*]}"
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/vfio-series/cocci
	mkdir -p "$cache"
	spv=$(spatch --version 2>&1 | sed -n 1p | tr -c 'A-Za-z0-9.\n' _)
	timed "static coccicheck" base cocci_rev base
	timed "static coccicheck" tip cocci_rev "$tip"
	if "$PY3" "$TOP/scripts/warn-diff.py" "$BUILD/cocci-base.log" "$BUILD/cocci-$tip.log" \
		"${kfiles[@]}" >"$BUILD/new-cocci.txt"; then
		result $st PASS "coccicheck: nothing new in touched files"
	else
		cat "$BUILD/new-cocci.txt" >&2
		result $st FAIL "coccicheck: nothing new in touched files"
	fi
fi
git -C "$wt" checkout -q -f --detach base
