#!/bin/bash
# cross.sh: tier 4, cross builds that cannot be booted here (stage "cross").
# Each configs/cross/NAME.config names its arch, its base defconfig and the
# directories/objects to build; the rest of the file is a config fragment
# applied on top of the defconfig and checked to have survived.
. "$(dirname "$0")/lib.sh"

rm -f "$RESULTS/cross.res"
for f in "$TOP"/configs/cross/*.config; do
	name=$(basename "$f" .config)
	a=$(sed -n 's/^# arch: //p' "$f")
	def=$(sed -n 's/^# defconfig: //p' "$f")
	read -ra targets <<<"$(sed -n 's/^# build: //p' "$f")"
	o=$OBJ/cross-$name
	t0=$(date +%s)
	log "cross/$name: $def + ${f#"$TOP"/} ($a), building ${targets[*]}"
	mkdir -p "$o"
	timed "cross $name" "$def" kmake "$a" "$o" "$def" >"$o/build.log" 2>&1
	cat "$f" >>"$o/.config"
	kmake "$a" "$o" olddefconfig >>"$o/build.log" 2>&1
	check_config "$o/.config" "$f"
	if timed "cross $name" build kmake "$a" "$o" "${targets[@]}" >>"$o/build.log" 2>&1; then
		result cross PASS "$name: ${targets[*]} build" "$(( $(date +%s) - t0 )) s"
	else
		grep -E 'error|Error' "$o/build.log" | sed -n 1,10p >&2
		result cross FAIL "$name: ${targets[*]} build" "log: ${o#"$TOP"/}/build.log"
	fi
	# "# realmode-check: LIST": the code LIST says runs with the MMU off
	# reaches no instrumentation hook (scripts/realmode-check.py)
	list=$(sed -n 's/^# realmode-check: //p' "$f")
	if [ -n "$list" ]; then
		arch_setup "$a"
		rc=0
		out=$("$PY3" "$TOP/scripts/realmode-check.py" "${CROSS}objdump" "$o" "$TOP/$list" 2>&1) || rc=$?
		if [ "$rc" -eq 0 ]; then
			result cross PASS "$name: real-mode code calls no instrumentation hook" "$(head -1 <<<"$out")"
		else
			grep '^ERROR' <<<"$out" | sed -n 1,20p >&2
			result cross FAIL "$name: real-mode code calls no instrumentation hook" \
				"$(grep -c '^ERROR' <<<"$out") errors, exit $rc"
		fi
	fi
	# "# builtin-refs: OBJ... -- MOD...": built-in objects that must not
	# use a symbol the modules MOD define (with the modules =m the kernel
	# would not link; the directory builds above do not link it).
	refs=$(sed -n 's/^# builtin-refs: //p' "$f")
	if [ -n "$refs" ]; then
		objs=${refs%% -- *}
		mods=${refs#* -- }
		bad=$(comm -12 <(cd "$o" && nm -u $objs | awk '{print $2}' | sort -u) \
			<(cd "$o" && nm --defined-only $mods | awk 'NF == 3 {print $3}' | sort -u))
		if [ -z "$bad" ] && [ -n "$(cd "$o" && nm -u $objs)" ]; then
			result cross PASS "$name: built-in code uses no symbol of $mods"
		else
			echo "$bad" >&2
			result cross FAIL "$name: built-in code uses no symbol of $mods" "$(echo $bad)"
		fi
	fi
done
