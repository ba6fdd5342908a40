#!/bin/bash
# build-kernel.sh ARCH: build the minimal guest kernel for ARCH (x86_64, arm64,
# ppc64le, powernv) in build/obj/ARCH from configs/common.config +
# configs/ARCH.config; ARCH-debug adds configs/debug.config (KASAN,
# kmemleak, lockdep, debug objects, fault injection) in build/obj/ARCH-debug.
# The config is regenerated only when the fragments change.
. "$(dirname "$0")/lib.sh"

a=${1:?arch}
o=$OBJ/$a
frags=("$TOP/configs/common.config" "$TOP/configs/${a%-debug}.config")
[ "$a" = "${a%-debug}" ] || frags+=("$TOP/configs/debug.config")
want=$(cat "$SRC/kernel/configs/tiny-base.config" "${frags[@]}" | sha256sum)
if [ ! -f "$o/.config" ] || [ "$(cat "$o/.fragments.sha" 2>/dev/null)" != "$want" ]; then
	log "kernel/$a: configuring"
	timed "kernel $a" configure merge_config "$a" "$o" "${frags[@]}"
	echo "$want" >"$o/.fragments.sha"
fi
arch_setup "$a"
t0=$(date +%s)
log "kernel/$a: building $IMAGE"
timed "kernel $a" "$(basename "$IMAGE")" kmake "$a" "$o" "$(basename "$IMAGE")" >"$o/build.log" 2>&1 ||
	{ tail -40 "$o/build.log"; die "kernel/$a: build failed (log: $o/build.log)"; }
kmake "$a" "$o" headers_install >/dev/null
log "kernel/$a: done in $(( $(date +%s) - t0 )) s"
