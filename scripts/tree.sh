#!/bin/bash
# Prepare build/src: the pristine linux-source-6.12 tarball committed as tag
# "base", with patches/series applied on branch "series" by git am.
#
# Fast when nothing changed: a stamp (hash of the tarball version and of every
# patch) is kept in the tree; if HEAD is still the commit that stamp describes,
# nothing is done.  If HEAD has moved (development commits not yet exported),
# the tree is left alone unless FORCE=1; so it is when build/src has
# uncommitted changes, which would otherwise be tested but not be in patches/.
. "$(dirname "$0")/lib.sh"

series=$TOP/patches/series
[ -f "$TARBALL" ] || die "$TARBALL missing: apt-get install linux-source-6.12"
installed=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
verified=$(sed -n 's/^# base: linux-source-6.12 \([^ ]*\).*/\1/p' "$series")
patches=$(grep -v '^#' "$series" | sed '/^[[:space:]]*$/d' || true)

stamp=$( { echo "$installed"; stat -L -c '%n %s %Y' "$TARBALL"
	   for p in $patches; do cat "$TOP/patches/$p"; done; } | sha256sum | cut -c1-16)
statefile=$SRC/.git/series-stamp

if [ -d "$SRC/.git" ] && [ "${FORCE:-0}" != 1 ] &&
	[ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
	git -C "$SRC" status --short --untracked-files=no | sed -n 1,10p >&2
	die "build/src has uncommitted changes: commit them and 'make export', or FORCE=1 make tree to drop them"
fi
if [ -f "$statefile" ]; then
	read -r old_stamp old_head <"$statefile"
	head=$(git -C "$SRC" rev-parse HEAD)
	if [ "$old_stamp" = "$stamp" ] && [ "$old_head" = "$head" ]; then
		log "tree: build/src is up to date ($(echo "$patches" | wc -l) patches)"
		exit 0
	fi
	if [ "$old_head" != "$head" ] && [ "${FORCE:-0}" != 1 ]; then
		die "build/src HEAD has commits that are not in patches/ (run 'make export' or FORCE=1 make tree)"
	fi
	if [ "$(cat "$SRC/.git/series-base")" != "$installed" ]; then
		log "tree: installed linux-source-6.12 changed, re-extracting"
		rm -rf "$SRC"
	fi
fi

if [ ! -d "$SRC/.git" ]; then
	t0=$(date +%s)
	log "tree: extracting $TARBALL ($installed)"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	timed tree extract tar -xf "$TARBALL" -C "$SRC" --strip-components=1
	git -C "$SRC" init -q -b series
	git -C "$SRC" config user.name "VFIO IOMMU series"
	git -C "$SRC" config user.email "vfio-series@example.org"
	git -C "$SRC" config gc.auto 0
	timed tree "commit the base" git -C "$SRC" add -A -f .
	GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
		git -C "$SRC" commit -q -m "linux-source-6.12 $installed"
	git -C "$SRC" tag -f base >/dev/null
	echo "$installed" >"$SRC/.git/series-base"
	log "tree: base committed in $(( $(date +%s) - t0 )) s"
fi

git -C "$SRC" checkout -q -f -B series base
git -C "$SRC" clean -q -fdx
n=0
for p in $patches; do
	n=$((n + 1))
	if ! git -C "$SRC" am -q --committer-date-is-author-date "$TOP/patches/$p" >/dev/null 2>"$BUILD/am.err"; then
		git -C "$SRC" am --abort >/dev/null 2>&1 || true
		cat "$BUILD/am.err" >&2
		die "patch $n '$p' does not apply to linux-source-6.12 $installed" \
			"(the series was last verified against $verified)"
	fi
done
echo "$stamp $(git -C "$SRC" rev-parse HEAD)" >"$statefile"
[ "$installed" = "$verified" ] || log "tree: note: base $installed differs from verified $verified, but all patches applied"
log "tree: applied $n patches on $installed"
