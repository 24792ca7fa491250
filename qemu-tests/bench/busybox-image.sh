#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the busybox candidate: the classic embedded initramfs, busybox-static
# and a shell /init (bench/busybox-init) that loads the floor's modules with
# insmod, waits for the root by LABEL with findfs, mounts it and switch_roots.
# The modules and their order are the floor's: its image is unpacked and its
# /init replaced.  gzip, like ovroot-mkinitramfs.
#   sh qemu-tests/bench/busybox-image.sh OUT
set -eu
[ $# -eq 1 ] || { echo "usage: busybox-image.sh OUT" >&2; exit 2; }
out=$1
QT_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$QT_TOP/qemu-tests/lib.sh"

dir=$QT_TMP/busybox-image
sh "$QT_TOP/qemu-tests/floor-image.sh" "$QT_TMP/busybox-floor.cpio"
mkdir -p "$dir/bin"
(cd "$dir" && cpio -id --quiet <"$QT_TMP/busybox-floor.cpio")
cp "$QT_TOP/qemu-tests/bench/busybox-init" "$dir/init"
chmod 0755 "$dir/init"
cp /bin/busybox "$dir/bin/busybox"
for a in sh cat insmod findfs mount usleep switch_root poweroff; do
	ln -s busybox "$dir/bin/$a"
done
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -6 -n >"$out"
