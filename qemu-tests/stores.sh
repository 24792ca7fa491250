# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the boot tests after lib.sh: the image ($img, with the init
# named by $INIT, default the full one) and the test versions every store
# starts from, with store() to make a store disk and boot() to boot one.
# $ROOT is how boot() names the store (default root=LABEL=ovstore).

img=$QT_TMP/ovroot.img
base=$QT_TMP/base
probe=$(qt_guest probe) || exit 1
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "${INIT:-$QT_TOP/build/init/ovroot-init}" -o "$img" || qt_die "cannot build the image"

# The versions every store starts from: v1 a whole root, v2 a directory over
# it, v3 a squashfs image, v4 an erofs image.
version() {	# NAME ID
	mkdir -p "$QT_TMP/src/$1/etc/ovroot-test"
	echo "$2" >"$QT_TMP/src/$1/etc/ovroot-test/id"
}
mkdir -p "$base/ovroot/versions/v1/sbin" "$base/ovroot/versions/v1/etc/ovroot-test"
for d in dev proc sys run tmp; do mkdir -p "$base/ovroot/versions/v1/$d"; done
cp "$probe" "$base/ovroot/versions/v1/sbin/init"
echo v1 >"$base/ovroot/versions/v1/etc/ovroot-test/id"
echo only-in-v1 >"$base/ovroot/versions/v1/etc/ovroot-test/base"
version v2 v2 && mv "$QT_TMP/src/v2" "$base/ovroot/versions/v2"
version v3 v3 && mksquashfs "$QT_TMP/src/v3" "$base/ovroot/versions/v3.squashfs" \
	-quiet -no-progress >/dev/null || qt_die "mksquashfs failed"
version v4 v4 && mkfs.erofs --quiet "$base/ovroot/versions/v4.erofs" "$QT_TMP/src/v4" \
	>/dev/null || qt_die "mkfs.erofs failed"

store() {	# NAME BOOT-TEXT|- [BACKUP-TEXT] [UUID]: $QT_TMP/NAME.disk
	rm -rf "$QT_TMP/$1"
	cp -a "$base" "$QT_TMP/$1"
	[ "$2" = - ] || printf '%b' "$2" >"$QT_TMP/$1/ovroot/boot"
	[ -z "${3:-}" ] || printf '%b' "$3" >"$QT_TMP/$1/ovroot/boot.bak"
	qt_mkdisk "$QT_TMP/$1.disk" 64 ovstore "$QT_TMP/$1" ${4:-}
}
store_gpt() {	# NAME BOOT-TEXT: $QT_TMP/NAME.disk, the store as GPT partition 1 "ovstore"
	store "$1" "$2"
	mv "$QT_TMP/$1.disk" "$QT_TMP/$1.part"
	truncate -s 70M "$QT_TMP/$1.disk"
	printf 'label: gpt\nstart=2048, size=131072, name=ovstore\n' |
		sfdisk -q "$QT_TMP/$1.disk" >/dev/null || qt_die "sfdisk failed"
	dd if="$QT_TMP/$1.part" of="$QT_TMP/$1.disk" bs=1M seek=1 conv=notrunc status=none
	rm -f "$QT_TMP/$1.part"
}
boot() {	# NAME DISK APPEND
	qt_boot "$1" "$img" "${ROOT:-root=LABEL=ovstore} $3" "$QT_TMP/$2.disk"
	qt_tap $? "$1: powered off by itself"
	qt_no_panic "$1"
}
in_store() { debugfs -R "cat /ovroot/$2" "$QT_TMP/$1.disk" 2>/dev/null; }

