#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the initramfs of the floor init (qemu-tests/bench/floor.c): the
# floor as /init, the modules a virtio ext4 root needs under /floor/mod and
# their load order in /floor/modules.  GNU cpio is fine for this bench tool.
#   sh qemu-tests/floor-image.sh OUT.cpio
set -eu
[ $# -eq 1 ] || { echo "usage: floor-image.sh OUT" >&2; exit 2; }
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/qemu-tests/lib.sh"

moddir=$(qt_moddir)
floor=$(qt_guest floor) || exit 1
# crc32c_generic: ext4 and jbd2 soft-depend on crypto-crc32c.
want="virtio_pci virtio_blk crc32c_generic ext4"

dir=$QT_TMP/floor-image	# removed on exit by lib.sh
mkdir -p "$dir/dev" "$dir/proc" "$dir/root" "$dir/floor/mod"
cp "$floor" "$dir/init"
mknod "$dir/dev/console" c 5 1 2>/dev/null || true

# modules.dep lists a module's dependencies so that the last one loads
# first: emit them reversed, then the module, each path once.
awk -v want="$want" '
	{ sub(":", ""); dep[$1] = $0 }
	function base(p) { sub(".*/", "", p); sub("\\.ko.*", "", p); return p }
	function emit(p) { if (!(p in seen)) { seen[p] = 1; print p } }
	END {
		n = split(want, w, " ")
		for (p in dep) path[base(p)] = p
		for (i = 1; i <= n; i++) {
			if (!(w[i] in path)) { print "no module " w[i] > "/dev/stderr"; exit 1 }
			m = split(dep[path[w[i]]], d, " ")
			for (j = m; j > 1; j--) emit(d[j])
			emit(d[1])
		}
	}' "$moddir/modules.dep" >"$dir/list"

while read -r p; do
	cp "$moddir/$p" "$dir/floor/mod/"
	echo "/floor/mod/${p##*/}"
done <"$dir/list" >"$dir/floor/modules"
rm "$dir/list"

(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out"
