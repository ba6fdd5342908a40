#!/bin/bash
# run-guest.sh ARCH [tests|demo]: boot build/obj/ARCH's kernel with
# build/out/ARCH/initramfs.cpio in QEMU (TCG) with an edu device behind the
# platform IOMMU, under a hard timeout.  The serial console goes to
# build/out/ARCH/MODE.log; in tests mode it is parsed into results by
# scripts/guest-results.py (stage "guest-ARCH").
. "$(dirname "$0")/lib.sh"

a=${1:?arch}
mode=${2:-tests}
arch_setup "$a"
out=$OUT/$a
logf=$out/$mode.log
edu=edu,dma_mask=0xffffffffffffffff
append="panic=-1 harness.run=$mode"
case "$a" in
x86_64)
	qemu=(qemu-system-x86_64 -M q35,kernel-irqchip=split -cpu max -m 1G
	      -device intel-iommu,intremap=on,caching-mode=on -device "$edu")
	append="console=ttyS0 intel_iommu=on $append"
	limit=180 ;;
arm64)
	qemu=(qemu-system-aarch64 -M virt,gic-version=3,its=on,iommu=smmuv3
	      -cpu max,pauth-impdef=on -m 1G -device "$edu")
	append="console=ttyAMA0 $append"
	limit=180 ;;
ppc64le)
	# A second PHB gives edu a PE (IOMMU group) of its own.
	qemu=(qemu-system-ppc64 -M pseries,x-vof=on -cpu power9 -m 2G
	      -device spapr-pci-host-bridge,index=1,id=phb1 -device "$edu,bus=phb1.0")
	append="console=hvc0 $append"
	limit=240 ;;
*) die "no guest for $a" ;;
esac

log "guest/$a: booting ($mode, timeout ${limit}s)"
t0=$(date +%s)
rc=0
timeout -k 10 "$limit" "${qemu[@]}" -smp 1 -nographic -no-reboot \
	-kernel "$OBJ/$a/$IMAGE" -initrd "$out/initramfs.cpio" -append "$append" \
	</dev/null >"$logf" 2>&1 || rc=$?
secs=$(( $(date +%s) - t0 ))
[ "$rc" -ne 124 ] || echo "harness: host: TIMEOUT after ${limit}s" >>"$logf"
log "guest/$a: QEMU exited $rc after ${secs}s (console: ${logf#"$TOP"/})"
if [ "$mode" = tests ]; then
	mkdir -p "$RESULTS"
	python3 "$TOP/scripts/guest-results.py" "$a" "$logf" "$rc" >>"$RESULTS/guest-$a.res"
	sed 's/^/  /' "$RESULTS/guest-$a.res" | grep -v '^  PASS' >&2 || true
fi
