#!/bin/bash
# static.sh: tier 1, the per-patch static checks (stage "static").
#  - quilt push -a --fuzz=0 applies the series to the pristine base and gives
#    exactly the tree that git am gave;
#  - scripts/checkpatch.pl --strict is clean on every patch;
#  - every prefix of the series builds the touched directories on x86_64,
#    arm64, ppc64le, e6500 and powernv-kvm
#    (kernel directories with W=1 C=1, and the VFIO selftests without any
#    compiler warning);
#  - sparse (C=1) and W=1 report no new warnings on touched kernel files,
#    tip against base, on x86_64, arm64, ppc64le, e6500 (PAMU) and
#    powernv-kvm (KVM-HV);
#  - coccicheck (MODE=report) reports nothing new on touched kernel files.
. "$(dirname "$0")/lib.sh"

st=static
wt=$BUILD/worktree            # a second checkout of build/src, for base and prefixes
rm -f "$RESULTS/$st.res"
git -C "$SRC" worktree prune
if [ ! -d "$wt" ]; then
	git -C "$SRC" worktree add -q --detach "$wt" base
fi
git -C "$wt" checkout -q -f --detach base
git -C "$wt" clean -q -fdx

# 1. quilt, on the pristine base, must reproduce the git am result exactly.
log "static: quilt push -a --fuzz=0"
if (cd "$wt" && QUILT_PATCHES="$TOP/patches" QUILT_PC="$BUILD/quilt-pc" \
	quilt push -a --fuzz=0 -q >"$BUILD/quilt.log" 2>&1) &&
	git -C "$wt" add -A -f && git -C "$wt" diff --cached --quiet series; then
	result $st PASS "quilt push -a --fuzz=0 applies, tree identical to git am"
else
	result $st FAIL "quilt push -a --fuzz=0 applies, tree identical to git am" "see build/quilt.log"
fi
rm -rf "$BUILD/quilt-pc"
git -C "$wt" reset -q --hard base
git -C "$wt" clean -q -fdx

# 2. checkpatch --strict, one result per patch.  checkpatch warns
# (FILE_PATH_CHANGES) on every patch that adds a file without touching
# MAINTAINERS, even when an entry already covers the file; that type is
# ignored here and replaced by a real check: every file the series adds is
# covered by a MAINTAINERS entry more specific than THE REST or the
# selftest framework's catch-all.  UNKNOWN_COMMIT_ID is ignored too: the
# base is a tarball without git history, so checkpatch cannot look up the
# upstream commits a Fixes: tag or a commit message names (they were checked
# by hand against the public history).
log "static: checkpatch --strict"
for p in $(grep -v '^#' "$TOP/patches/series"); do
	# checkpatch's SPDX check runs scripts/spdxcheck.py with "env python3",
	# which needs Debian's python3 (python3-ply, python3-git), not another
	# python3 that may come first on PATH. Any output from it is a failure.
	if (cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$TOP/patches/$p") >"$BUILD/checkpatch.log" 2>&1 &&
		[ ! -s "$BUILD/checkpatch.log" ]; then
		result $st PASS "checkpatch --strict $p"
	else
		head -8 "$BUILD/checkpatch.log" >&2
		result $st FAIL "checkpatch --strict $p"
	fi
done
uncovered=()
for f in $(git -C "$SRC" diff --name-only --diff-filter=A base series); do
	(cd "$SRC" && ./scripts/get_maintainer.pl --no-git --sections -f "$f" 2>/dev/null) |
		grep -E '^[A-Z0-9][^:]*$' | grep -vqxE 'THE REST|KERNEL SELFTEST FRAMEWORK' ||
		uncovered+=("$f")
done
if [ "${#uncovered[@]}" -eq 0 ]; then
	result $st PASS "every added file has a MAINTAINERS entry"
else
	result $st FAIL "every added file has a MAINTAINERS entry" "${uncovered[*]}"
fi

# What the series touches: kernel directories holding changed .c files, and
# whether the VFIO selftests changed.
mapfile -t changed < <(git -C "$SRC" diff --name-only base series)
mapfile -t kfiles < <(printf '%s\n' "${changed[@]}" | grep '\.c$' | grep -v '^tools/' || true)
mapfile -t kdirs < <(printf '%s\n' "${kfiles[@]}" | sed '/^$/d' | xargs -r -n1 dirname | sort -u)
selftests=$(printf '%s\n' "${changed[@]}" | grep -c '^tools/testing/selftests/vfio/' || true)
log "static: touched kernel dirs: ${kdirs[*]:-none}; selftest files: $selftests"

# build_at ARCH REV LOG [selftests]: check out REV in the worktree and build
# what the series touches there, appending compiler output to LOG; with
# "selftests", only the VFIO selftests (against the headers already installed).
build_at() {
	local a=$1 rev=$2 logf=$3 only=${4:-} o=$OBJ/static-$1 d ka dirs=()
	git -C "$wt" checkout -q -f --detach "$rev"
	# The guest kernel's config, plus the KUnit suites of this arch, so
	# that the tests' files get W=1 and sparse too. Restored before every
	# build: olddefconfig at a revision without a symbol drops it. (Kbuild
	# rebuilds only what a changed symbol affects, so this stays cheap.)
	mkdir -p "$o"
	local cross=$TOP/configs/cross/$a.config
	# A cross config names its compiler arch (powernv-kvm: ppc64le).
	if [ -f "$cross" ]; then arch_setup "$(sed -n 's/^# arch: //p' "$cross")"; else arch_setup "$a"; fi
	{
		if [ -f "$cross" ]; then
			# A machine we only cross-build (e6500): its defconfig and
			# fragment, and only the directories it lists that the
			# series touches.
			make -C "$SRC" O="$o-defconfig" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
				"$(sed -n 's/^# defconfig: //p' "$cross")" >/dev/null 2>&1 ||
				die "static: $a defconfig"
			cat "$o-defconfig/.config" "$cross"
		else
			[ -f "$OBJ/$a/.config" ] ||
				die "static: build the $a guest kernel first (its .config is reused)"
			cat "$OBJ/$a/.config"
			# Suites of any arch that builds for the same kernel ARCH
			# (the ppc64 KUnit suites with the ppc64le guest config).
			for k in "$TOP"/configs/kunit/*.kunitconfig; do
				ka=$(sed -n 's/^# arch: //p' "$k")
				[ "$(arch_setup "$ka"; echo "$KARCH")" != "$KARCH" ] || grep '^CONFIG_' "$k"
			done
		fi
		# W=1 warnings are compared below, they must not stop the
		# build (powerpc builds arch/powerpc with -Werror by default).
		echo "CONFIG_PPC_DISABLE_WERROR=y"
		echo "# CONFIG_WERROR is not set"
	} >"$o/.config"
	for d in "${kdirs[@]}"; do
		# Another architecture's arch/ directories do not build here.
		case "$d" in arch/*) [ "${d#arch/"$KARCH"/}" != "$d" ] || continue ;; esac
		if [ -f "$cross" ]; then
			grep -q "^# build:.* $d/ " <(sed 's/$/ /' "$cross") || continue
		fi
		[ -d "$wt/$d" ] && dirs+=("$d/")
	done
	# Called as an "if" condition, where errexit is off: fail explicitly.
	(
		if [ "$only" != selftests ]; then
			make -C "$wt" O="$o" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
				CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS" \
				olddefconfig headers_install "${dirs[@]}" W=1 C=1 2>&1 || exit 1
		fi
		if [ "$selftests" -gt 0 ] && [ -d "$wt/tools/testing/selftests/vfio" ] &&
		   [ ! -f "$cross" ]; then
			rm -rf "$o/selftests"
			mkdir -p "$o/selftests"
			make -C "$wt/tools/testing/selftests/vfio" OUTPUT="$o/selftests" \
				KHDR_INCLUDES="-isystem $o/usr/include" CC="${CROSS}gcc" \
				>"$logf.selftests" 2>&1 || { cat "$logf.selftests"; exit 1; }
			# The selftests must build without compiler warnings.
			! grep 'warning:' "$logf.selftests" || exit 1
		fi
		exit 0
	) >>"$logf"
}

# 3. Bisectability on x86_64, arm64 (where the GIC and SMMU code builds),
# ppc64le (sPAPR TCE, pseries and powernv), e6500 (PAMU, the MPIC MSI
# banks) and powernv-kvm (powernv_defconfig with KVM-HV built in; for
# these two, the directories their configs/cross/NAME.config lists): base,
# then every prefix.  STATIC_ARCHES narrows steps 3 and 4 for development; make check
# uses all.
arches=${STATIC_ARCHES:-x86_64 arm64 ppc64le e6500 powernv-kvm}
# A patch that changes only tools/ and Documentation/ changes nothing the
# kernel build reads: its kernel build would be the previous prefix's, so
# only the VFIO selftests are built again (when it touches them, on the
# arches that build them), and the verdict is carried over otherwise.
for a in $arches; do
	n=0
	last=PASS
	log "static: building every prefix on $a"
	for rev in base $(git -C "$SRC" rev-list --reverse base..series); do
		logf=$BUILD/static-$a-$n.log
		: >"$logf"
		subj=$(git -C "$SRC" log -1 --format=%s "$rev")
		only=
		if [ "$n" -gt 0 ] &&
		   ! git -C "$SRC" diff --name-only "$rev~1" "$rev" | grep -qv '^\(tools\|Documentation\)/'; then
			only=selftests
			if [ -f "$TOP/configs/cross/$a.config" ] ||
			   ! git -C "$SRC" diff --name-only "$rev~1" "$rev" | grep -q '^tools/testing/selftests/vfio/'; then
				result $st "$last" "$a builds after patch $n ($subj)" "no file the build reads changed"
				n=$((n + 1))
				continue
			fi
		fi
		if build_at "$a" "$rev" "$logf" $only; then
			[ "$n" -eq 0 ] || result $st PASS "$a builds after patch $n ($subj)"
			last=PASS
		elif [ "$n" -eq 0 ]; then
			die "static: the unpatched base does not build the touched dirs (see $logf)"
		else
			tail -20 "$logf" >&2
			result $st FAIL "$a builds after patch $n ($subj)" "log: ${logf#"$TOP"/}"
			[ -n "$only" ] || last=FAIL
		fi
		n=$((n + 1))
	done
done

# 4. sparse and W=1: new warnings on touched kernel files, tip vs base.
if [ "${#kfiles[@]}" -eq 0 ]; then
	log "static: no kernel C files touched, nothing for sparse/W=1 to compare"
else
	for a in $arches; do
		# Straight from base to tip, so that every touched file is
		# recompiled in both builds (an incremental prefix build only
		# recompiles what that one patch changed).
		blog=$BUILD/static-$a-base.log tlog=$BUILD/static-$a-tip.log
		: >"$blog"; : >"$tlog"
		build_at "$a" base "$blog" || die "static: base does not build on $a"
		build_at "$a" series "$tlog" || { result $st FAIL "$a builds at tip"; continue; }
		if python3 "$TOP/scripts/warn-diff.py" "$blog" "$tlog" "${kfiles[@]}" >"$BUILD/new-warnings-$a.txt"; then
			result $st PASS "$a: no new sparse/W=1 warnings in touched files"
		else
			cat "$BUILD/new-warnings-$a.txt" >&2
			result $st FAIL "$a: no new sparse/W=1 warnings in touched files"
		fi
	done
	# A file that no tip build compiled was not checked at all.
	for f in "${kfiles[@]}"; do
		[ -f "$SRC/$f" ] || continue
		if grep -q "CHECK .*/$f\$" "$BUILD"/static-*-tip.log; then
			result $st PASS "$f: compiled with sparse and W=1"
		else
			result $st FAIL "$f: compiled with sparse and W=1" "no static build config enables it"
		fi
	done
fi

# 5. coccicheck, file by file (M= must be absolute with O=), tip vs base.
if [ "${#kfiles[@]}" -gt 0 ]; then
	# A file's reports depend on its contents and the spatch version, so
	# they are cached by blob and version (outside the clone, like ccache).
	log "static: coccicheck on ${kfiles[*]}"
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/vfio-series/cocci
	mkdir -p "$cache"
	spv=$(spatch --version 2>&1 | head -1 | tr -c 'A-Za-z0-9.\n' _)
	for rev in base series; do
		: >"$BUILD/cocci-$rev.log"
		git -C "$wt" checkout -q -f --detach "$rev"
		for f in "${kfiles[@]}"; do
			[ -f "$wt/$f" ] || continue
			c=$cache/$(git -C "$wt" rev-parse "HEAD:$f")-$spv.log
			if [ -f "$c" ]; then
				cat "$c" >>"$BUILD/cocci-$rev.log"
			elif make -C "$wt" O="$OBJ/static-x86_64" coccicheck MODE=report \
				M="$wt/$f" J="$JOBS" >"$BUILD/cocci-one.log" 2>&1; then
				sed "s|$wt/||" "$BUILD/cocci-one.log" >"$c"
				cat "$c" >>"$BUILD/cocci-$rev.log"
			else	# not cached: a failed run is reported every time
				cat "$BUILD/cocci-one.log" >>"$BUILD/cocci-$rev.log"
			fi
		done
	done
	if python3 "$TOP/scripts/warn-diff.py" "$BUILD/cocci-base.log" "$BUILD/cocci-series.log" \
		"${kfiles[@]}" >"$BUILD/new-cocci.txt"; then
		result $st PASS "coccicheck: nothing new in touched files"
	else
		cat "$BUILD/new-cocci.txt" >&2
		result $st FAIL "coccicheck: nothing new in touched files"
	fi
fi
git -C "$wt" checkout -q -f --detach base
