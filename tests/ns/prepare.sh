#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot-init --prepare against a real store on a loop device, inside a
# private mount namespace (tests/run-all runs it under unshare -m): the
# whole boot path but the switch, with real ext4, overlayfs and squashfs.
set -u
# OVROOT_INIT may carry a wrapper: "valgrind ... ./build/bin/ovroot-init".
init=${OVROOT_INIT:-$PWD/init/ovroot-init}
. "$PWD/tests/tap.sh"
t=$(mktemp -d /tmp/ovroot-prepare.XXXXXX)
TAP_LOG=$t/out
loops=
cleanup() {
	umount -R -l "$t/mnt" "$t/run" "$t/peek" 2>/dev/null
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$t"
}
trap cleanup EXIT

# store: v1 (dir), v2 (dir over v1), v3 (squashfs)
s=$t/store/ovroot
mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc" "$t/v3/etc" "$t/mnt" "$t/run"
echo v1 >"$s/versions/v1/etc/id"; echo only-v1 >"$s/versions/v1/etc/base"
echo v2 >"$s/versions/v2/etc/id"
echo v3 >"$t/v3/etc/id"
mksquashfs "$t/v3" "$s/versions/v3.squashfs" -quiet -no-progress >/dev/null
ln -s /etc "$s/versions/evil"

mkstore() {	# text of the promotion file, or "-" for none
	rm -f "$s/boot" "$s/boot.bak"
	[ "$1" = - ] || printf '%s' "$1" >"$s/boot"
	[ -z "${2:-}" ] || printf '%s' "$2" >"$s/boot.bak"
	rm -f "$t/disk"
	mkfs.ext4 -q -F -L ovtest -d "$t/store" "$t/disk" 16M >/dev/null
	dev=$(losetup -f --show "$t/disk")
	loops="$loops $dev"
}

# Runs --prepare; leaves the mount and the state for the checks.
prep() {
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	mount -t tmpfs tmpfs "$t/run"
	# shellcheck disable=SC2086 # split on purpose: a wrapper and its options
	$init --prepare "$t/mnt" --run "$t/run" \
		--cmdline "root=$dev ovroot.key=none rootdelay=1 $1" >"$t/out" 2>&1
	rc=$?
}
state() { sed -n "s/^$1=//p" "$t/run/booted"; }
file_in_store() {	# the promotion file as the store now holds it
	mkdir -p "$t/peek"; mount -o ro "$dev" "$t/peek"; cat "$t/peek/ovroot/$1"; umount "$t/peek"
}

mkstore "root=v2+v1
"
prep ""
check "v2+v1 assembles" '[ $rc = 0 ] && [ "$(cat $t/mnt/etc/id)" = v2 ]'
check "a file only in v1 shows through" '[ "$(cat $t/mnt/etc/base)" = only-v1 ]'
check "booted records stack and reason" '[ "$(state stack)" = v2+v1 ] && [ "$(state reason)" = promoted ]'
check "booted records each layer" '[ "$(grep -c ^layer= $t/run/booted)" = 2 ]'
check "tmpfs upper is writable" 'echo x >"$t/mnt/new" && ! [ -e "$s/versions/v2/new" ]'
check "store stays mounted" 'grep -q " $t/run/store " /proc/self/mountinfo'

mkstore "root=v3+v1
tries=2
"
prep ""
check "squashfs layer boots" '[ $rc = 0 ] && [ "$(cat $t/mnt/etc/id)" = v3 ] && [ "$(cat $t/mnt/etc/base)" = only-v1 ]'
check "a try is counted in the store" 'umount -R -l "$t/mnt" "$t/run"; file_in_store boot | grep -qx tries=1'
check "the old file is kept as boot.bak" 'file_in_store boot.bak | grep -qx tries=2'

mkstore "root=v3+v1
fallback=v1
tries=0
"
prep ""
check "tries spent: fallback" '[ "$(state stack)" = v1 ] && [ "$(state reason)" = tries-exhausted ]'

mkstore "root=v9+v1
"
prep ""
check "missing layer: fallback, said" '[ "$(state stack)" = v1 ] && grep -q "v9 is missing" "$t/out"'

mkstore "root=evil
good=v1
"
prep ""
check "a symlink out of the store is refused" '[ "$(state stack)" = v1 ] && grep -q "leads out of the store" "$t/out"'

for bad in - "" "garbage
"; do
	case $bad in -) what=missing ;; "") what=empty ;; *) what=garbage ;; esac
	mkstore "$bad" "root=v2+v1
"
	prep ""
	check "promotion file $what: backup's fallback" '[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = file-bad ]'
done
mkstore "garbage
"
prep ""
check "no file, no backup: exit 1, versions listed" '[ $rc = 1 ] && grep -q "versions in the store:.*v1" "$t/out"'

mkstore "root=v2+v1
"
prep "ovroot.root=v1"
check "ovroot.root= overrides" '[ "$(state stack)" = v1 ] && [ "$(state reason)" = override ]'
prep "ovroot.upper=none"
check "upper=none is read-only" '! touch "$t/mnt/x" 2>/dev/null'
prep "ovroot.upper=persist"
echo kept >"$t/mnt/persisted" 2>/dev/null
prep "ovroot.upper=persist"
check "upper=persist keeps a change" '[ "$(cat $t/mnt/persisted 2>/dev/null)" = kept ]'

prep "root=/dev/nonexistent"
check "no store device: clear message, exit 1" '[ $rc = 1 ] && grep -q "did not appear" "$t/out"'
