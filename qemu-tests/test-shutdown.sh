#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The clean hand-back at shutdown (docs/boot.md, "Clean shutdown"): a store
# written to while the system runs (a persistent upper, the state area) is
# left clean at power-off.  The probe ends as systemd-shutdown does
# (probe.shutdown=): it unmounts what it can, remounts / read-only, pivots
# into /run/initramfs and executes its shutdown program, which the init put
# there.  Without the hand-back the same store is left needing recovery,
# the problem this solves (so the checks can fail).  Both flavours.
#   sh qemu-tests/test-shutdown.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stores.sh"

tiny=$QT_TMP/ovroot-tiny.img
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "$QT_TOP/build/init/ovroot-init-tiny" -o "$tiny" || qt_die "cannot build the tiny image"

# v3 (squashfs, on a loop device backed by a file in the store) over v1, a
# persistent upper, and the state area: everything that holds the store.
sstore() {	# NAME [STACK]
	rm -rf "$QT_TMP/$1"
	cp -a "$base" "$QT_TMP/$1"
	printf 'root=%s\nupper=persist\n' "${2:-v3+v1}" >"$QT_TMP/$1/ovroot/boot"
	printf 'default\n' >"$QT_TMP/$1/ovroot/state.conf"
	qt_mkdisk "$QT_TMP/$1.disk" 64 ovstore "$QT_TMP/$1"
}
features() { dumpe2fs -h "$QT_TMP/$1.disk" 2>/dev/null | sed -n 's/^Filesystem features: *//p'; }
fsstate() { dumpe2fs -h "$QT_TMP/$1.disk" 2>/dev/null | sed -n 's/^Filesystem state: *//p'; }
clean() {	# NAME: no journal to replay, state clean
	! features "$1" | grep -qw needs_recovery && [ "$(fsstate "$1")" = clean ]
}
# How long the hand-back took: from the probe's mark to the power-down, kernel clock.
took() {
	awk '/\] probe: handing back/ { gsub(/[][]/, " "); a = $1 }
	     /reboot: Power down/ { gsub(/[][]/, " "); b = $1 }
	     END { if (a != "" && b != "") printf "%.2f", b - a }' "$QT_OUT/$1.log"
}

shutdown_boot() {	# NAME IMAGE APPEND-EXTRA [STACK]
	sstore "$1" "${4:-}"
	qt_boot "$1" "$2" "${ROOT:-root=LABEL=ovstore} probe.write=/etc/ovroot-test/kept $3" \
		"$QT_TMP/$1.disk"
	qt_tap $? "$1: powered off by itself"
	qt_no_panic "$1"
}

for flavour in full tiny; do
	if [ $flavour = full ]; then
		n=handback image=$img ROOT=
	else
		n=tiny-handback image=$tiny ROOT="root=/dev/vda rootfstype=ext4"
	fi
	shutdown_boot $n "$image" "probe.shutdown=handback"
	qt_expect $n "PROBE: wrote /etc/ovroot-test/kept" "$n: the probe wrote to the persistent upper"
	qt_expect $n "PROBE: systemd end: handing back to /shutdown poweroff" \
		"$n: the init had put itself at /run/initramfs/shutdown"
	qt_expect $n "ovroot: shutdown: poweroff: unmounting the old root and the store" \
		"$n: the shutdown program ran"
	qt_expect $n "ovroot: shutdown: the store /dev/vda is unmounted" "$n: it says the store is unmounted"
	clean $n
	qt_tap $? "$n: dumpe2fs says the store is clean, nothing to recover ($(fsstate $n))" ||
		echo "# features: $(features $n)"
	[ "$(debugfs -R "cat /ovroot/upper/v3/etc/ovroot-test/kept" "$QT_TMP/$n.disk" 2>/dev/null)" = probe-wrote ]
	qt_tap $? "$n: the file is in upper/v3"
	debugfs -R "cat /ovroot/state/machine-id" "$QT_TMP/$n.disk" 2>/dev/null | grep -qx '[0-9a-f]\{32\}'
	qt_tap $? "$n: the state area's machine-id is on the store"
	echo "# $n: hand-back to power-down took $(took $n) s (guest clock)"
done

ROOT=
# Directories only: systemd's unmount of the store succeeds, but the overlay
# keeps the filesystem (the case of the issue); the hand-back releases it.
shutdown_boot dirs "$img" "probe.shutdown=handback" v2+v1
qt_expect dirs "PROBE: systemd end: umount /run/ovroot/store: done" \
	"dirs: the store's mount went from the tree before the hand-back"
qt_expect dirs "ovroot: shutdown: the store /dev/vda is unmounted" "dirs: the store is unmounted"
clean dirs
qt_tap $? "dirs: dumpe2fs says the store is clean, nothing to recover"

# systemd's way when pivot_root fails: / bound at /oldroot, /run/initramfs
# moved over /; the old root stays underneath, holding the store.
shutdown_boot move "$img" "probe.shutdown=handback-move"
qt_expect move "ovroot: shutdown: poweroff: unmounting the old root and the store" "move: the shutdown program ran"
qt_expect_not move "PROBE: systemd end: the move instead of pivot_root" "move: the probe moved /run/initramfs over /"
clean move
qt_tap $? "move: dumpe2fs: nothing to recover ($(grep -o 'ovroot: shutdown: the store [^:]*: [a-z -]*' "$QT_OUT/move.log" | head -1))" ||
	echo "# features: $(features move)"

# A process stuck with a file of the upper open for writing: the overlay
# cannot go, so neither can the store; it is reached through a second mount
# of its device and remounted read-only.
shutdown_boot busy "$img" "probe.shutdown=handback probe.busy=/etc/ovroot-test/busy"
qt_expect busy "ovroot: shutdown: the store /dev/vda is still held: remounted read-only" \
	"busy: the store is remounted read-only, said in one line"
clean busy
qt_tap $? "busy: dumpe2fs: nothing to recover ($(fsstate busy))" || echo "# features: $(features busy)"
echo "# busy: hand-back to power-down took $(took busy) s (guest clock)"

shutdown_boot nohandback "$img" "probe.shutdown=nohandback"
qt_expect nohandback "PROBE: systemd end: no hand-back" "nohandback: the probe powered off itself"
features nohandback | grep -qw needs_recovery
qt_tap $? "nohandback: without the hand-back the store is left needing recovery (the problem)"

qt_done
