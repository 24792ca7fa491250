#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot-init --prepare against a real store on a loop device, inside a
# private mount namespace (tests/run-all runs it under unshare -m): the
# whole boot path but the switch, with real ext4, overlayfs and squashfs.
. "$PWD/tests/prepare-env.sh"

# store: v1 (dir), v2 (dir over v1), v3 (squashfs)
mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc" "$t/v3/etc" "$t/mnt" "$t/run"
echo v1 >"$s/versions/v1/etc/id"; echo only-v1 >"$s/versions/v1/etc/base"
echo v2 >"$s/versions/v2/etc/id"
bootable "$s/versions/v1"
echo v3 >"$t/v3/etc/id"
mksquashfs "$t/v3" "$s/versions/v3.squashfs" -quiet -no-progress >/dev/null
ln -s /etc "$s/versions/evil"

store() { mkstore "$@"; attach; }

store "root=v2+v1
"
prep ""
check "v2+v1 assembles" '[ $rc = 0 ] && [ "$(cat $t/mnt/etc/id)" = v2 ]'
check "a file only in v1 shows through" '[ "$(cat $t/mnt/etc/base)" = only-v1 ]'
check "booted records stack and reason" '[ "$(state stack)" = v2+v1 ] && [ "$(state reason)" = promoted ]'
check "booted records each layer" '[ "$(grep -c ^layer= $t/run/booted)" = 2 ]'
check "tmpfs upper is writable" 'echo x >"$t/mnt/new" && ! [ -e "$s/versions/v2/new" ]'
check "store stays mounted" 'grep -q " $t/run/store " /proc/self/mountinfo'

store "root=v3+v1
tries=2
"
prep ""
check "squashfs layer boots" '[ $rc = 0 ] && [ "$(cat $t/mnt/etc/id)" = v3 ] && [ "$(cat $t/mnt/etc/base)" = only-v1 ]'
check "a try is counted in the store" 'umount -R -l "$t/mnt" "$t/run"; file_in_store boot | grep -qx tries=1'
check "the old file is kept as boot.bak" 'file_in_store boot.bak | grep -qx tries=2'

store "root=v3+v1
fallback=v1
tries=0
"
prep ""
check "tries spent: fallback" '[ "$(state stack)" = v1 ] && [ "$(state reason)" = tries-exhausted ]'

store "root=v9+v1
"
prep ""
check "missing layer: fallback, said" '[ "$(state stack)" = v1 ] && grep -q "v9 is missing" "$t/out"'

store "root=evil
good=v1
"
prep ""
check "a symlink out of the store is refused" '[ "$(state stack)" = v1 ] && grep -q "leads out of the store" "$t/out"'

for bad in - "" "garbage
"; do
	case $bad in -) what=missing ;; "") what=empty ;; *) what=garbage ;; esac
	store "$bad" "root=v2+v1
"
	prep ""
	check "promotion file $what: backup's fallback" '[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = file-bad ]'
done
store "garbage
"
prep ""
check "no file, no backup: exit 1, versions listed" '[ $rc = 1 ] && grep -q "versions in the store:.*v1" "$t/out"'

store "root=v2+v1
"
prep "ovroot.root=v1"
check "ovroot.root= overrides" '[ "$(state stack)" = v1 ] && [ "$(state reason)" = override ]'
prep "ovroot.upper=none"
check "upper=none is read-only" '! touch "$t/mnt/x" 2>/dev/null'
up=$t/run/store/ovroot/upper/v2
prep "ovroot.upper=persist"
check "upper=persist: boots, booted names the store's upper" \
	'[ $rc = 0 ] && [ "$(state upper)" = persist ] && [ "$(state upper_path)" = "$up" ]'
check "upper=persist: the overlay's upperdir is in the store" \
	'grep " $t/mnt " /proc/self/mountinfo | grep -q " overlay .*[ ,]upperdir=$up,"'
check "upper=persist: a change lands in the store's upper" \
	'echo kept >"$t/mnt/persisted" && [ "$(cat "$up/persisted" 2>/dev/null)" = kept ]'
prep "ovroot.upper=persist"
check "upper=persist keeps a change" \
	'[ $rc = 0 ] && [ "$(state upper)" = persist ] && [ "$(cat $t/mnt/persisted 2>/dev/null)" = kept ]'
prep ""
check "a tmpfs upper over the same stack does not see it" \
	'[ $rc = 0 ] && [ "$(state upper)" = tmpfs ] && ! [ -e "$t/mnt/persisted" ]'

prep "root=/dev/nonexistent"
check "no store device: clear message, exit 1" '[ $rc = 1 ] && grep -q "did not appear" "$t/out"'

tap_done
