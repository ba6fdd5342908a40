#!/bin/bash
# deps.sh [--update]: install the Debian 12 packages the harness needs, if any
# are missing (--update: always run apt-get update first, as CI does).
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libssl-dev libelf-dev cpio kmod xz-utils ccache
      python3 python3-ply python3-git git sparse coccinelle ocaml-nox quilt rsync
      gcc-aarch64-linux-gnu gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu
      libc6-dev-arm64-cross libc6-dev-ppc64el-cross
      qemu-system-x86 qemu-system-arm qemu-system-ppc qemu-system-data
      u-boot-tools linux-source-6.12)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${1:-}" = --update ] || [ "${#missing[@]}" -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): run as root"
	log "deps: apt-get update"
	apt-get update -q >/dev/null
fi
if [ "${#missing[@]}" -gt 0 ]; then
	log "deps: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
log "deps: all ${#pkgs[@]} packages present"
