# VFIO on non-x86 IOMMUs: a patch series for Linux 6.12 LTS and its test harness.
# See README.md.  Everything is built under build/ (git-ignored).

.PHONY: all demo check bench tree export deps kernel-% guest-% clean help
all: help

help:
	@echo "make demo    install deps, build the arm64 guest, run the VFIO DMA+MSI demo"
	@echo "make check   every test tier; ends with 'N passed, N failed'"
	@echo "make bench   sPAPR TCE ioctl and KVM TCE hypercall benchmarks, series vs unpatched (not pass/fail)"
	@echo "make tree    build/src = linux-source-6.12 + patches/ (git am)"
	@echo "make export  write build/src's commits back to patches/"

deps:
	@scripts/deps.sh

tree: deps
	@scripts/tree.sh

export:
	@scripts/export.sh

demo: tree
	@scripts/build-kernel.sh arm64
	@scripts/build-initramfs.sh arm64
	@scripts/run-guest.sh arm64 demo
	@sed -n 's/\r$$//; s/^\(\[[ 0-9.]*\] \)\?\(demo: .*\)/\2/p' build/out/arm64/demo.log
	@grep -q '^demo: SUCCESS' build/out/arm64/demo.log || \
		{ echo "demo failed; the end of the guest console:"; tail -30 build/out/arm64/demo.log; exit 1; }

check: deps
	@scripts/check.sh

bench: tree
	@scripts/bench.sh

# Single pieces, for development: make kernel-arm64, make guest-x86_64.
kernel-%: tree
	@scripts/build-kernel.sh $*
guest-%: tree
	@scripts/guests.sh $*
	@cat build/results/guest-$*.res

clean:
	rm -rf build
