#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot gc under torture (issue 12): a store whose versions are used in every
# way the kernel allows, each from a mount namespace of its own with a process
# kept in it: working directory, root (chroot), open file, mapping with the
# descriptor closed, bind mount, loop device attached only and mounted (where
# the store has another path), overlay lower layer named by an absolute and by
# a relative option, a mount inside a version and one on it; symlinks out of
# the store at every name under the ovroot directory (versions, upper, work,
# .trash-*, the lock, boot, boot.bak, pins); a FIFO and a device node at
# every temporary name.  After each gc: all that is in use is kept, the output
# says why, and a sentinel tree outside the store is unchanged (a checksum of
# every name, type, mode, size, mtime, ctime and content).
#
# It runs in a PID namespace of its own (tap.sh own_pids): every process it
# starts dies with it, the mounts with their namespaces; the loop devices it
# attached are detached by device number.  Prints TAP.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}
hold=${OVROOT_NS_HOLD:-$top/build/tests/ns-hold}

. "$top/tests/tap.sh"
own_pids "$@"
need "$ovroot" command/ovroot
need "$hold" build/tests/ns-hold

T=$(mktemp -d)
TAP_LOG=$T/out
pids=
cleanup() {
	loops_on "$T"
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	cd /
	umount -R -l "$T" 2>/dev/null
	rmdir "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
mount -t tmpfs torture "$T" || exit 1
touch "$T/out"
O=$T/store/ovroot
V=$O/versions
X=$T/outside

gc() { timeout 20 "$ovroot" --store "$O" gc "$@" >"$T/out" 2>&1; rc=$?; }
sentinel() {
	(cd "$X" && find . -printf '%p %y %m %s %T@ %C@ %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort) | sha256sum
}
kept() {	# NAME KIND REASON: kept, said so, still there
	has "^kept $1 ($2): in use: $3" && [ -e "$O/$1" ]
}

# --- the store, and the tree outside it that must never change
used="vcwd vroot vfd vmap vbind vbind2 vovabs vovrel vmnt vmnton"
for v in vboot $used vfree; do
	mkdir -p "$V/$v/etc"
	echo "$v" >"$V/$v/etc/id"
done
mkdir "$V/vmnt/mnt"
mkdir -p "$T/src" && echo img >"$T/src/id"
mksquashfs "$T/src" "$V/vloopa.squashfs" -quiet -no-progress >/dev/null || exit 1
cp "$V/vloopa.squashfs" "$V/vloopm.squashfs"
cp "$V/vloopa.squashfs" "$V/vgone.squashfs"
printf 'root=vboot\n' >"$O/boot"
mkdir -p "$O/upper/vboot" "$O/upper/vfree" "$T/work.real/vboot" "$T/work.real/vfree"
for d in work/vboot work/vfree trash/x versions/vgone upper/vgone dir/sub; do
	mkdir -p "$X/$d"
	echo "$d" >"$X/$d/f"
done
chmod 700 "$X/dir/sub"
echo lock >"$X/lockfile"
printf 'root=vfree\n' >"$X/bootbak"
printf 'root=vboot\n' >"$X/bootfile"
printf 'vboot\n' >"$X/pins"
cp "$V/vgone.squashfs" "$X/versions/vold.squashfs"
head -c 1048576 /dev/zero >"$X/disk"
ln -s "$X/dir" "$X/link"

# symlinks out of the store, at every name gc may look at
ln -s "$X/work" "$O/work"
ln -s "$X/trash" "$O/.trash-x"
ln -s "$X/trash/x/f" "$O/.trash-y"
ln -s ../../outside/trash "$O/.trash-rel"
ln -s "$X/lockfile" "$O/lock"
ln -s "$X/lockfile" "$O/.lock"
ln -s "$X/bootbak" "$O/boot.bak"
ln -s "$X" "$V/evil"
ln -s ../../../outside/versions/vgone "$V/evilrel"
ln -s "$X/versions/vold.squashfs" "$V/evilimg.squashfs"
ln -s "$X/upper/vgone" "$O/upper/evil"
ln -s "$X" "$V/vfree/etc/out"
links() { find "$O" -type l -printf '%p -> %l\n' | sort; }

# a FIFO or a device node at every temporary name: the old fixed temp files,
# the trash names of what gc will remove; the block device is a loop device
# on a file of the sentinel tree, so anything written to it would show
disk=$(losetup -f --show "$X/disk") || exit 1
temps=".boot.tmp .boot.bak.tmp .pins.tmp .trash-vfree .trash-upper-vfree .trash-work-vfree"
node() {	# NAME fifo|dev
	rm -f "$O/$1"
	if [ "$2" = fifo ]; then
		mkfifo "$O/$1"
	else
		mknod "$O/$1" b "$(stat -c %t "$disk" | xargs printf %d)" \
			"$(stat -c %T "$disk" | xargs printf %d)"
	fi
}
kinds() { for t in $temps; do stat -c '%n %F' "$O/$t"; done; }
i=0
for t in $temps; do
	i=$((i + 1))
	[ $((i % 2)) = 1 ] && node "$t" fifo || node "$t" dev
done
sum0=$(sentinel)
links0=$(links)

# --- every use, each from a mount namespace of its own
mkdir -p "$T/mb" "$T/b2" "$T/alt1" "$T/alt2" "$T/ml" "$T/oa/u" "$T/oa/w" "$T/oa/m" \
	"$T/or/u" "$T/or/w" "$T/or/m"
ready=true
in_ns "$T/ns-cwd" 'exec "$1" cwd "$2"' "$hold" "$V/vcwd/etc" || ready=false
in_ns "$T/ns-root" 'exec "$1" root "$2"' "$hold" "$V/vroot" || ready=false
rootpid=$ns_pid
# a second process in the chrooted one's namespace, with the real root: its
# bind mount lies outside the chroot, which the first one cannot see
nsenter -t "$rootpid" -m sh -c 'mount --bind "$1" "$2" && echo ready && exec sleep 1000' \
	- "$V/vbind2" "$T/b2" >"$T/ns-root2" 2>&1 &
pids="$pids $!"
in_ns "$T/ns-fd" 'exec "$1" fd "$2"' "$hold" "$V/vfd/etc/id" || ready=false
in_ns "$T/ns-map" 'exec "$1" mmap "$2"' "$hold" "$V/vmap/etc/id" || ready=false
in_ns "$T/ns-bind" 'mount --bind "$1" "$2"' "$V/vbind" "$T/mb" || ready=false
in_ns "$T/ns-loopa" 'mount --bind "$1" "$2" &&
	losetup -r -f --show "$2/ovroot/versions/vloopa.squashfs"' "$T/store" "$T/alt1" || ready=false
in_ns "$T/ns-loopm" 'mount --bind "$1" "$2" &&
	mount -o loop,ro "$2/ovroot/versions/vloopm.squashfs" "$3" && findmnt -n -o SOURCE "$3"' \
	"$T/store" "$T/alt2" "$T/ml" || ready=false
loopmpid=$ns_pid
in_ns "$T/ns-ovabs" 'mount -t overlay ov -o "lowerdir=$1,upperdir=$2/u,workdir=$2/w" "$2/m"' \
	"$V/vovabs" "$T/oa" || ready=false
ovabspid=$ns_pid
in_ns "$T/ns-ovrel" 'cd "$1" && mount -t overlay ov -o "lowerdir=vovrel,upperdir=$2/u,workdir=$2/w" \
	"$2/m" && cd /' "$V" "$T/or" || ready=false
ovrelpid=$ns_pid
in_ns "$T/ns-mnt" 'mount -t tmpfs inner "$1/mnt" && echo mine >"$1/mnt/file"' "$V/vmnt" || ready=false
mntpid=$ns_pid
in_ns "$T/ns-mnton" 'mount -t tmpfs on "$1" && echo mine >"$1/file"' "$V/vmnton" || ready=false
mntonpid=$ns_pid
for _ in $(seq 50); do grep -q '^ready$' "$T/ns-root2" && break; sleep 0.1; done
grep -q '^ready$' "$T/ns-root2" || ready=false
loopa=$(grep '^/dev/loop' "$T/ns-loopa")
loopm=$(grep '^/dev/loop' "$T/ns-loopm")
check "every use is in place, each in a namespace of its own" \
	'$ready && [ -n "$loopa" ] && [ -n "$loopm" ] &&
	 [ "$(sed -n "s/.*lowerdir=\([^,]*\).*/\1/p" "/proc/$ovrelpid/mountinfo")" = vovrel ]'

# --- gc with all of it
gc
check "gc runs through (no FIFO or device opened, no hang)" '[ $rc = 0 ]'
check "a working directory keeps its version" 'kept versions/vcwd dir "working directory of process [0-9]* (ns-hold)"'
check "a root (chroot) keeps its version" 'kept versions/vroot dir "root of process [0-9]* (ns-hold)"'
check "a bind mount only a second process of a chrooted one's namespace sees" \
	'kept versions/vbind2 dir "mounted at $T/b2"'
check "an open file keeps its version" 'kept versions/vfd dir "process [0-9]* (ns-hold) has a file of it open"'
check "a mapping without its descriptor keeps its version" \
	'kept versions/vmap dir "process [0-9]* (ns-hold) maps a file of it"'
check "a bind mount keeps its version" 'kept versions/vbind dir "mounted at $T/mb"'
check "a loop device attached where the store has another path" \
	'kept versions/vloopa.squashfs squashfs "attached to $loopa"'
check "a loop device mounted where the store has another path" \
	'kept versions/vloopm.squashfs squashfs "mounted at $T/ml ($loopm)"'
check "an overlay lower layer by an absolute path" \
	'kept versions/vovabs dir "a layer of the overlay at $T/oa/m"'
check "an overlay lower layer by a relative name" \
	'kept versions/vovrel dir "may be a layer of the overlay at $T/or/m (lowerdir vovrel"'
check "... which gc cannot follow: every other directory is kept, said why" \
	'kept versions/vfree dir "may be a layer of the overlay at $T/or/m"'
check "a mount inside a version" 'kept versions/vmnt dir "tmpfs (inner) mounted inside it at $V/vmnt/mnt"'
check "a mount on a version" 'kept versions/vmnton dir "tmpfs (on) mounted on it at $V/vmnton"'
check "what is referred to is kept" 'has "^kept versions/vboot (dir): root" && [ -d "$V/vboot" ]'
check "uppers are kept while work leads out" \
	'has "^kept upper/vfree (upper): .*work is a symlink or another mount" && [ -d "$O/upper/vfree" ]'
check "an unused image is removed" '[ ! -e "$V/vgone.squashfs" ] && has "^removed versions/vgone.squashfs"'
check "nothing outside the store changed" '[ "$(sentinel)" = "$sum0" ]'
check "every symlink is still there, unchanged" '[ "$(links)" = "$links0" ]'
check "FIFOs and device nodes at the temp names are untouched" \
	'[ "$(kinds | grep -c fifo)" = 3 ] && [ "$(kinds | grep -c "block special")" = 3 ]'
check "the mounts in the other namespaces still hold their files" \
	'[ "$(cat "/proc/$mntpid/root$V/vmnt/mnt/file")" = mine ] &&
	 [ "$(cat "/proc/$mntonpid/root$V/vmnton/file")" = mine ] &&
	 [ "$(cat "/proc/$loopmpid/root$T/ml/id")" = img ] &&
	 [ "$(cat "/proc/$ovabspid/root$T/oa/m/etc/id")" = vovabs ]'

# --- the relative overlay gone, work a directory again, the temp nodes
# swapped: vfree and its upper go, through trash names that are taken
kill "$ovrelpid"; wait "$ovrelpid" 2>/dev/null
rm "$O/work" && mv "$T/work.real" "$O/work"
for t in $temps; do
	if [ -p "$O/$t" ]; then node "$t" dev; else node "$t" fifo; fi
done
gc
check "with the overlay gone, the unused directory goes, with its upper" \
	'[ $rc = 0 ] && [ ! -e "$V/vfree" ] && has "^removed versions/vfree" &&
	 has "^removed upper/vfree and work/vfree" && [ ! -e "$O/work/vfree" ]'
check "... through free trash names, none left behind" '! ls -a "$O" | grep -q "^\.trash-.*\.[0-9]*$"'
check "... its symlink out was removed, not followed" '[ "$(sentinel)" = "$sum0" ]'
check "the swapped FIFOs and device nodes are untouched" \
	'[ "$(kinds | grep -c fifo)" = 3 ] && [ "$(kinds | grep -c "block special")" = 3 ]'
all_there() {
	for v; do [ -d "$V/$v" ] || return 1; done
	[ -e "$V/vloopa.squashfs" ] && [ -e "$V/vloopm.squashfs" ]
}
check "everything in use is still kept" 'all_there $(echo $used | sed "s/vovrel//")'
check "the relative overlay's layer, now unused, went too" '[ ! -e "$V/vovrel" ]'

# --- versions, upper, boot, pins each a symlink out in turn: gc refuses
mkdir -p "$V/vlast"
for name in versions upper boot pins; do
	[ -e "$O/$name" ] && mv "$O/$name" "$T/aside"
	case $name in boot) ln -s "$X/bootfile" "$O/boot" ;; pins) ln -s "$X/pins" "$O/pins" ;;
		*) ln -s "$X/$name" "$O/$name" ;; esac
	gc
	check "$name a symlink out of the store: gc refuses, said" \
		'[ $rc != 0 ] && [ -s "$T/out" ] && hasnt "^removed"'
	check "$name a symlink out: nothing outside changed" '[ "$(sentinel)" = "$sum0" ]'
	rm "$O/$name"
	[ -e "$T/aside" ] && mv "$T/aside" "$O/$name"
done
check "... and the unused version they hid is still there" '[ -d "$V/vlast" ]'
gc
check "with all names back, gc removes it" '[ $rc = 0 ] && [ ! -e "$V/vlast" ]'
check "in the end, nothing outside the store changed" '[ "$(sentinel)" = "$sum0" ]'
tap_done
