#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# How the ovroot command writes the promotion file, in a private mount
# namespace: the command dying before each disk-changing step (the test hook
# OVROOT_FAULT_AT of lib/file.c, in the hooked build of the command) never
# leaves boot torn, empty or missing; a full disk leaves the old file and
# says so; a read-only store is made writable for the write only; concurrent
# runs take turns.  Prints TAP.
#
# The first is a process crash (killed, out of memory, a bug), not a power
# cut: the page cache survives _exit(), so it holds even without a single
# fsync.  Power cuts are qemu-tests/test-powercut.sh.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}
hooked=${OVROOT_HOOKED:-$top/build/tests/ovroot-hooked}


. "$top/tests/tap.sh"
need "$ovroot" command/ovroot
need "$hooked" build/tests/ovroot-hooked

T=$(mktemp -d)
TAP_LOG=$T/out
mount -t tmpfs ovtest "$T" || exit 1
cleanup() { cd /; umount -R -l "$T" 2>/dev/null; rmdir "$T"; }
trap cleanup EXIT
touch "$T/out"
export OVROOT_RUN=$T/run

mkstore() {	# DIR: a store with v1 v2, boot and boot.bak
	mkdir -p "$1/ovroot/versions/v1" "$1/ovroot/versions/v2"
	printf 'root=v1\n# a comment kept\n' >"$1/ovroot/boot"
	printf 'root=v0\n' >"$1/ovroot/boot.bak"
}

# --- the process dies before each step: boot is always the whole old or the whole new file
mkstore "$T/ref"
"$ovroot" --store "$T/ref/ovroot" promote v2+v1 --tries 3 >"$T/out" 2>&1
cp "$T/ref/ovroot/boot" "$T/new"
printf 'root=v1\n# a comment kept\n' >"$T/old"
printf 'root=v0\n' >"$T/oldbak"
step=1 torn=0 stops=0 rc=99
while [ "$rc" = 99 ] && [ "$step" -lt 100 ]; do
	rm -rf "$T/c"
	mkstore "$T/c"
	OVROOT_FAULT_AT=$step "$hooked" --store "$T/c/ovroot" promote v2+v1 --tries 3 >"$T/out" 2>&1
	rc=$?
	b=$T/c/ovroot/boot
	if ! { cmp -s "$b" "$T/old" || cmp -s "$b" "$T/new"; } ||
	   ! { cmp -s "$b.bak" "$T/oldbak" || cmp -s "$b.bak" "$T/old"; } ||
	   ! "$ovroot" --store "$T/c/ovroot" status >"$T/st" 2>&1 || grep -q corrupt "$T/st"; then
		torn=$((torn + 1))
		echo "# died before step $step: boot is neither old nor new"
	fi
	[ "$rc" = 99 ] && stops=$((stops + 1))
	step=$((step + 1))
done
check "promote died (_exit) before each of its $stops steps, then completed" '[ "$rc" = 0 ] && [ "$stops" -ge 10 ]'
check "after every process death boot is whole, old or new, and parses (a crash, not a power cut)" '[ "$torn" = 0 ]'
check "the completed run wrote the new file" 'cmp -s "$T/c/ovroot/boot" "$T/new" && grep -q "^# a comment kept" "$T/new"'
rm -rf "$T/c"
mkstore "$T/c"
OVROOT_FAULT_AT=1 "$ovroot" --store "$T/c/ovroot" promote v2+v1 --tries 3 >"$T/out" 2>&1
rc=$?
check "the shipped command ignores the test hook OVROOT_FAULT_AT" \
	'[ "$rc" = 0 ] && cmp -s "$T/c/ovroot/boot" "$T/new"'

# --- a full disk
mkdir "$T/full"
mount -t tmpfs -o size=64k full "$T/full"
mkstore "$T/full"
cp "$T/full/ovroot/boot" "$T/fullold"
dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null
"$ovroot" --store "$T/full/ovroot" promote v2+v1 >"$T/out" 2>&1
rc=$?
check "full disk: exit non-zero, said" '[ $rc != 0 ] && grep -q "^ovroot: cannot write the promotion file.*No space left" "$T/out"'
check "full disk: the old file is intact" 'cmp -s "$T/full/ovroot/boot" "$T/fullold"'
check "full disk: no temp file left" '! ls -a "$T/full/ovroot" | grep -q tmp'

# --- a read-only store
mkdir "$T/ro"
mount -t tmpfs ro "$T/ro"
mkstore "$T/ro"
mount -o remount,ro "$T/ro"
"$ovroot" --store "$T/ro/ovroot" promote v2+v1 >"$T/out" 2>&1
rc=$?
check "read-only store: written" '[ $rc = 0 ] && grep -qx root=v2+v1 "$T/ro/ovroot/boot"'
check "read-only store: read-only again" 'grep " $T/ro " /proc/self/mounts | grep -q "[ ,]ro[ ,]"'
"$ovroot" --store "$T/ro/ovroot" pin v1 >"$T/out" 2>&1
check "read-only store: pin written, read-only again" 'grep -qx v1 "$T/ro/ovroot/pins" && grep " $T/ro " /proc/self/mounts | grep -q "[ ,]ro[ ,]"'

# --- only what was read-only is changed back and forth (issue 12)
vfs() { findmnt -n -o VFS-OPTIONS "$1" | cut -d, -f1; }	# the mount's own flag
sb() { findmnt -n -o FS-OPTIONS "$1" | cut -d, -f1; }	# the filesystem's
mkdir "$T/fs" "$T/rob"
mount -t tmpfs fs "$T/fs"
mkstore "$T/fs"
mount --bind "$T/fs" "$T/rob"
mount -o remount,bind,ro "$T/rob"
"$ovroot" --store "$T/rob/ovroot" promote v2+v1 >"$T/out" 2>&1
rc=$?
check "read-only bind mount of a writable filesystem: written" \
	'[ $rc = 0 ] && grep -qx root=v2+v1 "$T/fs/ovroot/boot"'
check "read-only bind mount: the filesystem is never made read-only" \
	'touch "$T/fs/x" && [ "$(sb "$T/fs")" = rw ] && [ "$(vfs "$T/fs")" = rw ]'
check "read-only bind mount: the bind mount is read-only again" '[ "$(vfs "$T/rob")" = ro ]'

truncate -s 16M "$T/e.img"
mkdir -p "$T/esrc" "$T/e1" "$T/e2"
mkstore "$T/esrc"
mkfs.ext4 -q -F -d "$T/esrc" "$T/e.img" >/dev/null
mount -o loop "$T/e.img" "$T/e1"
mount --bind "$T/e1" "$T/e2"
mount -o remount,ro "$T/e1"
"$ovroot" --store "$T/e2/ovroot" pin v1 >"$T/out" 2>&1
rc=$?
check "read-only ext4, its other mount's own flag rw: written" \
	'[ $rc = 0 ] && grep -qx v1 "$T/e2/ovroot/pins"'
check "read-only ext4: the filesystem is read-only again, each mount's flag as it was" \
	'[ "$(sb "$T/e1")" = ro ] && [ "$(vfs "$T/e1")" = ro ] && [ "$(vfs "$T/e2")" = rw ]'
umount "$T/e2" "$T/e1"

# --- concurrent runs take turns on the lock
mkstore "$T/lk"
flock "$T/lk/ovroot" sleep 1 &
sleep 0.2
start=$(date +%s%N)
"$ovroot" --store "$T/lk/ovroot" promote v2 >"$T/out" 2>&1
rc=$?
waited=$(( ($(date +%s%N) - start) / 1000000 ))
wait
check "a write waits for the lock held by another run (${waited} ms)" '[ $rc = 0 ] && [ "$waited" -ge 500 ]'
i=0
while [ $i -lt 20 ]; do
	"$ovroot" --store "$T/lk/ovroot" promote v1 >/dev/null 2>&1 &
	"$ovroot" --store "$T/lk/ovroot" promote v2+v1 --tries 2 >/dev/null 2>&1 &
	i=$((i + 1))
done
wait
"$ovroot" --store "$T/lk/ovroot" status >"$T/out" 2>&1
check "40 concurrent promotes leave a whole file" '! grep -q corrupt "$T/out" && ! ls -a "$T/lk/ovroot" | grep -q tmp'

tap_done
