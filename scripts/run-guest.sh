#!/bin/bash
# run-guest.sh MACHINE [tests|demo|bench]: boot build/obj/ARCH's kernel with
# build/out/ARCH/initramfs.cpio in QEMU (TCG) with edu devices behind the
# platform IOMMU (two, in separate IOMMU groups, where type1 tests attach a
# second group to a container), under a hard timeout.  MACHINE is an ARCH, or ARCH-VARIANT
# for another machine of that ARCH (arm64-gicv2: GICv2m instead of the ITS;
# powernv is a POWER8 host, powernv-p9 a POWER9 one).
# The serial console goes to build/out/ARCH/MODE[-VARIANT].log; in tests mode
# it is parsed into results by scripts/guest-results.py (stage "guest-MACHINE").
# KERNEL=path boots another kernel image, LOG_SUFFIX names its log apart.
# MACHINE-debug boots the same machine with ARCH's debug kernel (build/obj/
# ARCH-debug, see build-kernel.sh), under a longer timeout.
. "$(dirname "$0")/lib.sh"

machine=${1:?machine}
a=${machine%%-*}
base=${machine%-debug}
kobj=$OBJ/$a
[ "$base" = "$machine" ] || kobj=$OBJ/$a-debug
mode=${2:-tests}
arch_setup "$a"
out=$OUT/$a
logf=$out/$mode${machine#"$a"}${LOG_SUFFIX:-}.log
edu=edu,dma_mask=0xffffffffffffffff
append="panic=-1 harness.run=$mode"
case "$base" in
x86_64)
	qemu=(qemu-system-x86_64 -M q35,kernel-irqchip=split -cpu max -m 1G
	      -device intel-iommu,intremap=on,caching-mode=on -device "$edu" -device "$edu")
	append="console=ttyS0 intel_iommu=on $append"
	limit=180 ;;
arm64)
	qemu=(qemu-system-aarch64 -M virt,gic-version=3,its=on,iommu=smmuv3
	      -cpu max,pauth-impdef=on -m 1G -device "$edu" -device "$edu")
	append="console=ttyAMA0 $append"
	limit=180 ;;
arm64-gicv2)
	# MSIs through a GICv2m frame: another doorbell for the MSI window.
	# GICv2m cannot isolate MSIs, so VFIO and iommufd must be told to
	# accept that, as on real GICv2m hosts.
	qemu=(qemu-system-aarch64 -M virt,gic-version=2,iommu=smmuv3
	      -cpu max,pauth-impdef=on -m 1G -device "$edu" -device "$edu")
	unsafe="vfio_iommu_type1.allow_unsafe_interrupts=1 iommufd.allow_unsafe_interrupts=1"
	append="console=ttyAMA0 $unsafe $append"
	limit=180 ;;
ppc64le)
	# A PHB per edu gives each a PE (IOMMU group) of its own.  2M huge
	# pages back the DDW tests' 2M TCEs.
	qemu=(qemu-system-ppc64 -M pseries,x-vof=on -cpu power9 -m 2G
	      -device spapr-pci-host-bridge,index=1,id=phb1 -device "$edu,bus=phb1.0"
	      -device spapr-pci-host-bridge,index=2,id=phb2 -device "$edu,bus=phb2.0")
	append="console=hvc0 hugepagesz=2M hugepages=4 $append"
	limit=240
	if [ "$mode" = bench ]; then
		# 1 GiB of 4K pages and 1 GiB of 2M huge pages
		qemu[6]=3G
		append="console=hvc0 hugepagesz=2M hugepages=520 panic=-1 harness.run=bench"
		limit=900
	fi ;;
powernv|powernv-p9)
	# Bare-metal POWER8 (PHB3) or POWER9 (PHB4) under skiboot, KVM-HV
	# inside.  2G: QEMU puts the initrd at 1 GiB.
	cpu=powernv8
	[ "$base" = powernv ] || cpu=powernv9
	# Two CPUs: kvm_hv_tce_test rewrites a TCE list from one while the
	# other runs the hypercall (a race one CPU cannot interleave).
	qemu=(qemu-system-ppc64 -M "$cpu" -m 2G -device "$edu,bus=pcie.0")
	smp=2
	append="console=hvc0 $append"
	limit=300
	[ "$mode" != bench ] || { append="console=hvc0 panic=-1 harness.run=bench"; limit=900; } ;;
*) die "no guest for $machine" ;;
esac

# KASAN, kmemleak and lockdep under TCG: about 3 times slower.
[ "$base" = "$machine" ] || limit=$((limit * 3))
log "guest/$machine: booting ($mode, timeout ${limit}s)"
t0=$(date +%s)
rc=0
timed "guest $machine" "boot, $mode" timeout -k 10 "$limit" "${qemu[@]}" -smp "${smp:-1}" -nographic -no-reboot \
	-kernel "${KERNEL:-$kobj/$IMAGE}" -initrd "$out/initramfs.cpio" -append "$append" \
	</dev/null >"$logf" 2>&1 || rc=$?
secs=$(( $(date +%s) - t0 ))
[ "$rc" -ne 124 ] || echo "harness: host: TIMEOUT after ${limit}s" >>"$logf"
log "guest/$machine: QEMU exited $rc after ${secs}s (console: ${logf#"$TOP"/})"
if [ "$mode" = tests ]; then
	mkdir -p "$RESULTS"
	"$PY3" "$TOP/scripts/guest-results.py" "$machine" "$logf" "$rc" \
		>>"$RESULTS/guest-$machine.res"
	sed 's/^/  /' "$RESULTS/guest-$machine.res" | grep -v '^  PASS' >&2 || true
fi
