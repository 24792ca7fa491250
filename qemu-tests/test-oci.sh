#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# An OCI image boots: two image versions built with umoci (the probe as
# /sbin/init; v2 changes etc/ovroot-test/id and deletes etc/ovroot-test/doomed),
# staged with `ovroot stage --from oci:DIR:TAG` into a store, promoted, and
# booted, each showing exactly its files.  (tests/ns/oci.sh takes the same
# images through a registry and compares the whole tree.)
. "$(dirname "$0")/lib.sh"
. "$QT_TOP/tests/oci-images.sh"

img=$QT_TMP/ovroot.img
O=$QT_TMP/store/ovroot
ovroot=$QT_TOP/build/command/ovroot
probe=$(qt_guest probe) || exit 1
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "$QT_TOP/build/init/ovroot-init" -o "$img" || qt_die "cannot build the image"
mkdir -p "$O/versions"
oci_build "$QT_TMP/layout" "$QT_TMP" "$probe" >"$QT_TMP/umoci.log" 2>&1 ||
	qt_die "umoci failed: $(tail -3 "$QT_TMP/umoci.log")"

# stage NAME TAG: staged and promoted, the store on NAME.disk
stage() {
	"$ovroot" --store "$O" stage "$1" --from "oci:$QT_TMP/layout:$2" >"$QT_TMP/$1.out" 2>&1 &&
		"$ovroot" --store "$O" promote "$1" >>"$QT_TMP/$1.out" 2>&1
	qt_tap $? "$1: staged from oci:layout:$2 and promoted"
	sed 's/^/# /' "$QT_TMP/$1.out"
	qt_mkdisk "$QT_TMP/$1.disk" 64 ovstore "$QT_TMP/store"
}
boot() {	# NAME
	qt_boot "$1" "$img" "root=LABEL=ovstore ovroot.keywait=0" "$QT_TMP/$1.disk"
	qt_tap $? "$1: powered off by itself"
	qt_no_panic "$1"
}

stage img1 v1
boot img1
qt_expect_line img1 "PROBE: file id=v1" "img1: the image's id is v1"
qt_expect_line img1 "PROBE: file base=base" "img1: its bottom layer's file is there"
qt_expect_line img1 "PROBE: file doomed=doomed" "img1: doomed is there"
qt_expect img1 "PROBE: booted reason=promoted" "img1: booted as promoted"

stage img2 v2
boot img2
qt_expect_line img2 "PROBE: file id=v2" "img2: the image's id is v2"
qt_expect_line img2 "PROBE: file base=base" "img2: the shared bottom layer's file is there"
qt_expect_not img2 "PROBE: file doomed" "img2: doomed, deleted in v2 (a whiteout), is absent"
qt_expect img2 "PROBE: booted reason=promoted" "img2: booted as promoted"

qt_done
