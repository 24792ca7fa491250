#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds an initramfs with Debian's initramfs-tools for the test kernel, with
# MODULES=list and the modules named, from a temp copy of /etc/initramfs-tools.
# mkinitramfs looks for the modules in /lib/modules/KVER and the kernel's
# config in /boot: both are put there only inside a private mount namespace
# (an overlay on /usr/lib, a bind mount on /boot), so the host is untouched.
#   sh qemu-tests/bench/itools-image.sh OUT MODULE...
set -eu
[ $# -ge 2 ] || { echo "usage: itools-image.sh OUT MODULE..." >&2; exit 2; }
out=$1
shift
QT_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$QT_TOP/qemu-tests/lib.sh"

conf=$QT_TMP/itools-conf
ns=$QT_TMP/itools-ns
cp -a /etc/initramfs-tools "$conf"
sed -i 's/^MODULES=.*/MODULES=list/' "$conf/initramfs.conf"
printf '%s\n' "$@" >"$conf/modules"
mkdir -p "$ns"
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

unshare -m --propagation private sh -eu -c '
	ns=$1 kver=$2
	mount -t tmpfs bench "$ns"
	mkdir "$ns/up" "$ns/work" "$ns/boot"
	mount -t overlay bench -o "lowerdir=/usr/lib,upperdir=$ns/up,workdir=$ns/work" /usr/lib
	mkdir -p "/usr/lib/modules/$kver"
	mount --bind "$3" "/usr/lib/modules/$kver"
	cp "$4" "$ns/boot/config-$kver"
	mount --bind "$ns/boot" /boot
	mkinitramfs -d "$5" -o "$6" "$kver"' \
	sh "$ns" "$(qt_kver)" "$(qt_moddir)" "$(qt_kdir)/config" "$conf" "$out"
