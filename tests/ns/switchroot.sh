#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# switch_root() and delete_tree_same_dev() in a private mount namespace
# (tests/run-all --ns runs it with `unshare -m --propagation private`): a
# fake initramfs on a tmpfs with /dev /proc /sys /run mounted, a new root on
# another tmpfs whose init is the static driver build/tests/ns-switchroot;
# the switch runs chrooted in the fake initramfs.  Prints TAP.
set -u
top=$(pwd)
drv=$top/build/tests/ns-switchroot
. "$top/tests/tap.sh"
need "$drv" build/tests/ns-switchroot

T=$(mktemp -d)
mount -t tmpfs swtest "$T" || exit 1
cleanup() { cd /; umount -R "$T" 2>/dev/null; rmdir "$T"; }
trap cleanup EXIT

# A new root: its own tmpfs with the API directories and the driver as init.
new_root() {
	mkdir -p "$1"
	mount -t tmpfs newroot "$1"
	mkdir -p "$1/dev" "$1/proc" "$1/sys" "$1/run" "$1/sbin" "$1/etc"
	cp "$drv" "$1/sbin/init"
	echo new >"$1/etc/which-root"
}

# --- / on the host's disk: refused before anything else is looked at.  The
# new root also lacks /run and any init, so a broken check refuses anyway.
H=$T/hostcase
mkdir -p "$H"
mount -t tmpfs hostcase "$H"
mkdir -p "$H/dev" "$H/proc" "$H/sys"
"$drv" switch "$H" /sbin/init >"$T/out" 2>&1
check "switch_root refuses when / is not ramfs or tmpfs" \
	has "error: switch root: / is not ramfs or tmpfs" "$T/out"
check "the refusal touched nothing" \
	sh -c "mountpoint -q /proc && [ -z \"\$(ls -A '$H/dev')\" ] && [ -e '$drv' ]"

# --- delete_tree_same_dev: a tmpfs view D of src/tree, with a mount of
# another tmpfs and a bind mount of the same tmpfs (same st_dev) inside.
S=$T/src D=$T/del
mkdir -p "$S" "$D" "$T/elsewhere"
mount -t tmpfs src "$S"
mkdir -p "$S/tree/a/b/c" "$S/tree/a/mnt" "$S/tree/a/bind" "$S/keepdir"
echo x >"$S/tree/a/b/c/file"; echo x >"$S/tree/top"
ln -s / "$S/tree/rootlink"; ln -s "$T/elsewhere" "$S/tree/a/outlink"
echo keep >"$T/elsewhere/keep0"
echo keep >"$S/keepdir/keep2"
mount --bind "$S/tree" "$D"
mount -t tmpfs other "$D/a/mnt"; echo keep >"$D/a/mnt/keep1"
mount --bind "$S/keepdir" "$D/a/bind"
"$drv" delete "$D" >"$T/out" 2>&1
check "delete_tree_same_dev returns 0" has "ret=0" "$T/out"
check "it deleted files, directories and symlinks" \
	sh -c "[ ! -e '$D/top' ] && [ ! -e '$D/a/b' ] && [ ! -L '$D/rootlink' ] && [ ! -L '$D/a/outlink' ]"
check "it did not cross into another filesystem" [ -f "$D/a/mnt/keep1" ]
check "it did not cross into a bind mount of the same filesystem" \
	[ -f "$S/keepdir/keep2" ]
check "it did not follow symlinks" [ -f "$T/elsewhere/keep0" ]
check "it kept the directories holding mount points" is "$(ls "$D" "$D/a" | tr '\n' ' ')" "$D: a  $D/a: bind mnt "
umount "$D/a/bind" "$D/a/mnt" "$D"
umount "$S"

# --- A fake initramfs: a tmpfs with /dev /proc /sys /run mounted.
I=$T/initramfs
mkdir -p "$I"
mount -t tmpfs initramfs "$I"
mkdir -p "$I/bin" "$I/dev" "$I/proc" "$I/sys" "$I/run" "$I/etc/deep/er"
cp "$drv" "$I/bin/ns-switchroot"
echo old >"$I/etc/deep/er/file"
ln -s /etc "$I/etclink"
mount -t tmpfs dev "$I/dev"; touch "$I/dev/marker-dev"
mount -t proc proc "$I/proc"
mount -t tmpfs sys "$I/sys"; touch "$I/sys/marker-sys"
mount -t tmpfs run "$I/run"; touch "$I/run/marker-run"
# A second view of the initramfs' tmpfs, to see what the switch leaves.
mkdir -p "$T/peek"
mount --bind "$I" "$T/peek"

new_root "$I/norun"
rmdir "$I/norun/run" "$I/norun/sys"
chroot "$I" /bin/ns-switchroot switch /norun /sbin/init >"$T/out" 2>&1
check "a new root without /sys and /run is refused, naming them" \
	has "error: switch root: /norun lacks the directories /sys /run$" "$T/out"
new_root "$I/noinit"
chroot "$I" /bin/ns-switchroot switch /noinit /nope,/sbin/nope >"$T/out" 2>&1
check "a new root without any of the inits is refused" \
	has "error: switch root: no executable init in /noinit" "$T/out"
check "the refusals moved nothing" \
	sh -c "[ -e '$I/dev/marker-dev' ] && [ -e '$I/run/marker-run' ] && mountpoint -q '$I/proc' && [ -f '$I/etc/deep/er/file' ]"
umount "$I/norun" "$I/noinit"
rmdir "$I/norun" "$I/noinit"

new_root "$I/sysroot"
chroot "$I" /bin/ns-switchroot switch /sysroot /nonexistent,/sbin/init one two \
	>"$T/out" 2>&1
check "the new root's init ran, the second candidate, argv[0] = its path" \
	has "^init argv: /sbin/init one two$" "$T/out"
check "its / is the new root" has "^root: dev etc proc run sbin sys$" "$T/out"
check "/dev /proc /sys /run were moved into it" sh -c \
	"grep -q '^mountinfo: .* /dev .* - tmpfs dev ' '$T/out' &&
	 grep -q '^mountinfo: .* /proc .* - proc proc ' '$T/out' &&
	 grep -q '^mountinfo: .* /sys .* - tmpfs sys ' '$T/out' &&
	 grep -q '^mountinfo: .* /run .* - tmpfs run ' '$T/out'"
check "the moved mounts kept their contents" sh -c \
	"[ -e '$I/dev/marker-dev' ] && [ -e '$I/sys/marker-sys' ] && [ -e '$I/run/marker-run' ] && [ \"\$(cat '$I/etc/which-root')\" = new ]"
check "the old initramfs contents were deleted" is "$(ls -A "$T/peek")" ""

tap_done
