#!/bin/bash
# Write the commits of build/src (base..series) back to patches/, reproducibly:
# zero commit ids, no git version signature, fixed numbering, and a cover
# letter whose text is kept from the existing 0000-cover-letter.patch.
. "$(dirname "$0")/lib.sh"

cover=$TOP/patches/0000-cover-letter.patch
series=$TOP/patches/series
n=$(git -C "$SRC" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of base"

# The cover letter text: its subject (without [PATCH 0/N]) and the body up to
# the shortlog that format-patch appends.
desc=$BUILD/cover-description
if [ -f "$cover" ]; then
	{
		# The Subject header may be folded over several lines.
		awk '/^Subject: / { s = $0; f = 1; next }
		     f && /^[ \t]/ { s = s $0; next } { f = 0 }
		     END { sub(/^Subject: \[PATCH[^]]*\] /, "", s); gsub(/[ \t]+/, " ", s); print s }' \
			"$cover"
		echo
		awk '/^$/ && !body { body = 1; next } body' "$cover" |
			sed '/^[^ ].* ([0-9][0-9]*):$/,$d'
	} >"$desc"
else
	printf 'SUBJECT HERE\n\nBLURB HERE\n\n' >"$desc"
fi
git -C "$SRC" config branch.series.description "$(cat "$desc")"

tmp=$BUILD/export
rm -rf "$tmp"
git -C "$SRC" format-patch -q -o "$tmp" --zero-commit --no-signature --numbered \
	--cover-letter --cover-from-description=subject --no-base \
	--subject-prefix=PATCH base..HEAD
# format-patch dates the cover letter "now": use the last commit's date.
last=$(git -C "$SRC" log -1 --format='%aD')
sed -i "s/^Date: .*/Date: $last/" "$tmp"/0000-cover-letter.patch

# The series is verified against the base it was exported from.
kv=$(make -s -C "$SRC" kernelversion 2>/dev/null)
verified="linux-source-6.12 $(cat "$SRC/.git/series-base") (Linux $kv)"
rm -f "$TOP"/patches/*.patch
cp "$tmp"/*.patch "$TOP/patches/"
{
	echo "# base: $verified"
	echo "# Apply with 'quilt push -a', or 'git am' each patch below in this order."
	(cd "$TOP/patches" && ls 0*.patch | grep -v '^0000-')
} >"$series"
# The tree now matches patches/: record it so that 'make tree' is a no-op.
stamp=$( { cat "$SRC/.git/series-base"; stat -L -c '%n %s %Y' "$TARBALL"
	   for p in $(grep -v '^#' "$series"); do cat "$TOP/patches/$p"; done; } | sha256sum | cut -c1-16)
echo "$stamp $(git -C "$SRC" rev-parse HEAD)" >"$SRC/.git/series-stamp"
log "export: $n patches written to patches/"
