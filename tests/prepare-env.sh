# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the namespace tests that run ovroot-init --prepare on a store
# made with mkfs.ext4 -d: $t the scratch dir, $s the store's ovroot dir
# (fill it, then mkstore and attach), prep to run the init, and what to
# read afterwards.  OVROOT_INIT may carry a wrapper: "valgrind ... init".
set -u
init=${OVROOT_INIT:-$PWD/build/init/ovroot-init}
. "$PWD/tests/tap.sh"
t=$(mktemp -d /tmp/ovroot-ns.XXXXXX)
TAP_LOG=$t/out
s=$t/store/ovroot
loops=
dev=
cleanup() {
	umount -R -l "$t/mnt" "$t/run" "$t/peek" 2>/dev/null
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$t"
}
trap cleanup EXIT
mkdir -p "$s/versions" "$t/mnt" "$t/run" "$t/peek"

mkstore() {	# text of the promotion file ("-": none), then of boot.bak (optional)
	rm -f "$s/boot" "$s/boot.bak"
	[ "$1" = - ] || printf '%s' "$1" >"$s/boot"
	[ -z "${2:-}" ] || printf '%s' "$2" >"$s/boot.bak"
	rm -f "$t/disk"
	mkfs.ext4 -q -F -L ovtest -d "$t/store" "$t/disk" 16M >/dev/null
}
attach() {	# losetup options (-r: read-only device)
	dev=$(losetup -f --show "$@" "$t/disk")
	loops="$loops $dev"
}
prep() {	# EXTRA-PARAMETERS [EXTRA-INIT-OPTIONS]; leaves mount and state
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	mount -t tmpfs tmpfs "$t/run"
	# shellcheck disable=SC2086 # split on purpose: a wrapper and its options
	# A hang would be a failure, not a stuck suite.
	timeout 60 $init --prepare "$t/mnt" --run "$t/run" \
		--cmdline "root=$dev ovroot.key=none rootdelay=1 $1" ${2:-} >"$t/out" 2>&1
	rc=$?
}
state() { sed -n "s/^$1=//p" "$t/run/booted"; }
said() { grep -q -- "$1" "$t/out"; }
file_in_store() {	# the promotion file as the store now holds it
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	mount -o ro "$dev" "$t/peek" && cat "$t/peek/ovroot/$1"
	umount "$t/peek"
}
