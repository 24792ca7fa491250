#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad stores at boot, through ovroot-init --prepare (like prepare.sh): a
# store too full or read-only to count a try, a version that is a plain
# file, a corrupt squashfs, a stack over the overlayfs limit, a module of
# the load plan that fails to load; no keyboard, and keyboards that appear
# during the key window and after it.  Rows of the bad-input matrix in
# docs/hardening.md.  Runs in a private mount namespace (tests/run-all).
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc"
echo v1 >"$s/versions/v1/etc/id"
echo v2 >"$s/versions/v2/etc/id"
bootable "$s/versions/v1"
echo "not a directory" >"$s/versions/vfile"
head -c 65536 /dev/urandom >"$s/versions/vbad.squashfs"

tries2="root=v2+v1
tries=2
"
# A store full to the last block: the try cannot be counted, so the
# unconfirmed root does not boot (it could loop for ever): the fallback does.
mkstore "$tries2"
attach
fill() {	# every block and every inode
	dd if=/dev/zero of="$1/fill" bs=64k 2>/dev/null
	dd if=/dev/zero of="$1/fill2" bs=1k 2>/dev/null
	i=0
	while touch "$1/f$i" 2>/dev/null; do i=$((i + 1)); done
	sync
}
mount "$dev" "$t/peek" && { fill "$t/peek"; umount "$t/peek"; }
prep ""
check "full store: the try is not counted, the fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = tries-unwritable ] && said "cannot count this try"'
check "full store: booted has the tries on disk and why" \
	'[ "$(state tries)" = 2 ] && state notes | grep -q "try not recorded: .*No space left"'
check "full store: the promotion file is left whole" 'file_in_store boot | grep -qx tries=2'

# A read-only device: no remount read-write, the fallback boots.
mkstore "$tries2"
attach -r
prep ""
check "read-only store: the try is not counted, the fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = tries-unwritable ]'
check "read-only store: the promotion file is unchanged" 'file_in_store boot | grep -qx tries=2'
mkstore "root=v1
tries=2
"
attach -r
prep ""
check "read-only store, no fallback: root boots uncounted, said" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state tries)" = 2 ] && said "booting root uncounted"'

# versions/vfile is a plain file where a directory or an image is expected.
mkstore "root=vfile+v1
fallback=v1
"
attach
prep ""
check "a version that is a plain file: passed over, fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = layer-missing ]'

# A squashfs image of random bytes: it exists, so the policy chose it; its
# mount fails with a console line, the version is passed over like a
# missing one and the choice made again: the fallback boots.
mkstore "root=vbad+v1
fallback=v1
"
attach
prep ""
check "a corrupt squashfs: said, passed over, the fallback boots" \
	'[ $rc = 0 ] && said "layer vbad: mount squashfs" && said "version vbad passed over" && [ "$(state stack)" = v1 ]'
mkstore "root=vbad
"
attach
prep ""
check "a corrupt squashfs and no other stack: exit 1, said" \
	'[ $rc = 1 ] && said "version vbad passed over" && said "no bootable stack"'

# 501 layers: more than overlayfs takes; the file is corrupt, boot.bak boots.
big=$(i=0; while [ $i -lt 501 ]; do printf 'l%d+' $i; i=$((i + 1)); done)
mkstore "root=${big}v1
" "root=v2+v1
"
attach
prep ""
check "a stack of 502 layers: file corrupt, said, the backup boots" \
	'[ $rc = 0 ] && [ "$(state reason)" = file-bad ] && said "more than overlayfs allows"'
mkstore "root=v2+v1
"
attach
prep "ovroot.root=${big}v1"
check "ovroot.root= of 502 layers: ignored with a line, the file boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ]'

# A module of the plan that fails to load (not an ELF file): said, boot goes on.
mkstore "root=v1
"
attach
echo "not a module" >"$t/bad.ko"
printf 'kernel %s\nmodule ovroot_test_bad r %s -\n' "$(uname -r)" "$t/bad.ko" >"$t/plan"
prep "" "--plan $t/plan"
check "a module that fails to load: said, the boot goes on" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && said "ovroot_test_bad"'
# No keyboard at all (none in this namespace's /dev/input): the rollback key
# is watched (ovroot.key=esc), nothing to read, no wait.
mkstore "root=v2+v1
"
attach
if ls /dev/input/event* >/dev/null 2>&1; then
	skip "no keyboard: this machine has input devices"
else
	prep "ovroot.key=esc"
	check "no keyboard: boots the root, waits for no key" \
		'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && [ "$(state key_wait_ms)" = 0 ]'
fi
# Virtual keyboards through /dev/uinput (build/tests/ns-uinput), in the
# host's /dev/input that --prepare reads: one that appears in the middle of
# the window holding Esc is read, one that appears after it is not.  A
# kernel without uinput skips them, counted as skips.
kbd=$PWD/build/tests/ns-uinput
root="root=v2+v1
"
if ! "$kbd" check 2>/dev/null; then
	skip "a keyboard in the middle of the window is read: no /dev/uinput on this kernel"
	skip "a keyboard after the window is not: no /dev/uinput on this kernel"
	tap_done
	exit
fi

mkstore "$root"
attach
"$kbd" idle 0 6 & idle=$!
"$kbd" keyboard 700 6 & late=$!
sleep 0.2
prep "ovroot.key=esc ovroot.keywait=2000"
check "a keyboard that appears in the middle of the window holding Esc: the fallback" \
	'[ $rc = 0 ] && [ "$(state reason)" = key ] && [ "$(state stack)" = v1 ]'
wait $idle $late

mkstore "$root"
attach
"$kbd" idle 0 6 & idle=$!
"$kbd" keyboard 3000 3 & late=$!
sleep 0.2
prep "ovroot.key=esc ovroot.keywait=500"
check "a keyboard that appears after the window: the root boots" \
	'[ $rc = 0 ] && [ "$(state reason)" = promoted ]'
wait $idle $late
tap_done
