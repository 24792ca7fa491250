#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ovroot command as a booted system runs it: ovroot-init --prepare
# assembles a real store on a loop device (read-only ext4, squashfs layer on a
# loop device, overlayfs), then the command works from RUN/booted alone, in a
# private mount namespace; then without RUN/booted, where gc must still see
# the layers.  tests/ns/ovroot-booted-legacy.sh runs it again with the overlay
# mounted the way kernels before 6.8 take (OVROOT_NO_LOWERDIR_PLUS=1).
# Prints TAP.
set -u
top=$(pwd)
init=${OVROOT_INIT:-$top/build/init/ovroot-init}
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}
dev=


. "$top/tests/tap.sh"
own_pids "$@"
need "$init" init/ovroot-init
need "$ovroot" command/ovroot
t=$(mktemp -d /tmp/ovroot-booted.XXXXXX)
TAP_LOG=$t/out
cleanup() {
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	[ -n "$dev" ] && losetup -d "$dev" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT
touch "$t/out"

s=$t/store/ovroot
mkdir -p "$s/versions/v1/etc" "$s/versions/vmid/etc" "$s/versions/vfree" "$t/v2" "$t/mnt" "$t/run"
echo v1 >"$s/versions/v1/etc/id"
echo vmid >"$s/versions/vmid/etc/mid"
bootable "$s/versions/v1"
echo v2 >"$t/v2/id"
mksquashfs "$t/v2" "$s/versions/v2.squashfs" -quiet -no-progress >/dev/null
cp "$s/versions/v2.squashfs" "$s/versions/v3.squashfs"
printf 'root=v2+vmid+v1\ntries=2\n' >"$s/boot"
mkfs.ext4 -q -F -d "$t/store" "$t/disk" 16M >/dev/null 2>&1
dev=$(losetup -f --show "$t/disk")
mount -t tmpfs tmpfs "$t/run"
"$init" --prepare "$t/mnt" --run "$t/run" \
	--cmdline "root=$dev ovroot.key=none rootdelay=1" >"$t/out" 2>&1
check "the init prepared v2+vmid+v1" '[ "$(cat "$t/mnt/id")" = v2 ] && [ "$(cat "$t/mnt/etc/mid")" = vmid ]'
if [ "${OVROOT_NO_LOWERDIR_PLUS:-}" = 1 ]; then
	check "the overlay is mounted the pre-6.8 way: relative lowerdir=0:1:2" \
		'grep " $t/mnt " /proc/self/mountinfo | grep -q "[ ,]lowerdir=0:1:2,"'
fi
export OVROOT_RUN=$t/run
S=$t/run/store/ovroot

"$ovroot" status >"$t/out" 2>&1
check "status from RUN/booted alone" 'has "^booted: *v2+vmid+v1 (promoted)" && has "1 boot left" && has "read-only"'
"$ovroot" list >"$t/out" 2>&1
check "list: the dir layers are overlay layers" \
	'has "^v1 .*a layer of the overlay at $t/mnt" && has "^vmid .*a layer of the overlay at $t/mnt"'
check "list: the squashfs layer is loop-mounted" 'has "^v2 .*mounted at $t/run/layers/v2 (/dev/loop"'
"$ovroot" mark-good >"$t/out" 2>&1
check "mark-good on a read-only store" 'grep -qx good=v2+vmid+v1 "$S/boot" && ! grep -q tries= "$S/boot"'
check "the store is read-only again, nosuid,nodev kept" \
	'grep " $t/run/store " /proc/self/mounts | grep -q "ro,nosuid,nodev"'
"$ovroot" promote v1 >"$t/out" 2>&1
"$ovroot" gc >"$t/out" 2>&1
check "gc removes the unused image" '[ ! -e "$S/versions/v3.squashfs" ] && has "removed versions/v3.squashfs"'
check "gc keeps the booted layers" '[ -d "$S/versions/v1" ] && [ -f "$S/versions/v2.squashfs" ]'
check "gc says a middle layer is in use" \
	'[ -d "$S/versions/vmid" ] && has "kept versions/vmid (dir): .*in use: a layer of the overlay at $t/mnt"'
check "gc removes an unused directory" '[ ! -e "$S/versions/vfree" ] && has "removed versions/vfree"'
"$ovroot" status >"$t/out" 2>&1
check "status says the next boot changed" 'has "^changed since boot: the next boot uses v1"'

# An updater moves the promotion file on to v1 alone: vmid is only booted and
# a layer now.  Without RUN/booted (gone, or a --store the system did not boot
# from) only what the kernel shows tells that it is a layer (#12 item 4).
mount -o remount,rw "$t/run/store" && printf 'root=v1\n' >"$S/boot" &&
	printf 'root=v1\n' >"$S/boot.bak" && mount -o remount,ro "$t/run/store"
"$ovroot" gc --dry-run >"$t/out" 2>&1
check "gc says the layer is booted and in use" \
	'has "kept versions/vmid (dir): booted; in use: a layer of the overlay at $t/mnt"'
mv "$t/run/booted" "$t/booted.away"
"$ovroot" --store "$S" gc --dry-run >"$t/out" 2>&1
check "without booted, gc --dry-run keeps a mounted lower layer" \
	'hasnt "would remove versions/vmid" && has "kept versions/vmid (dir): in use: .*overlay at $t/mnt"'
"$ovroot" --store "$S" gc >"$t/out" 2>&1
check "without booted, gc keeps the mounted layers" \
	'[ -d "$S/versions/vmid" ] && [ -d "$S/versions/v1" ] && [ -f "$S/versions/v2.squashfs" ]'
"$ovroot" --store "$S" list >"$t/out" 2>&1
check "without booted, list says vmid is used by the overlay" 'has "^vmid .*overlay at $t/mnt"'
mv "$t/booted.away" "$t/run/booted"
tap_done
