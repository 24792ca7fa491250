#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad stores at boot, through ovroot-init --prepare (like prepare.sh): a
# store too full or read-only to count a try, a version that is a plain
# file, a corrupt squashfs, a stack over the overlayfs limit, a module of
# the load plan that fails to load.  Rows of the bad-input matrix in
# docs/hardening.md.  Runs in a private mount namespace (tests/run-all).
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc"
echo v1 >"$s/versions/v1/etc/id"
echo v2 >"$s/versions/v2/etc/id"
echo "not a directory" >"$s/versions/vfile"
head -c 65536 /dev/urandom >"$s/versions/vbad.squashfs"

tries2="root=v2+v1
tries=2
"
# A store full to the last block: the try cannot be counted, the boot goes on.
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
check "full store: boots anyway, says the try was not counted" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && said "cannot count this try"'
check "full store: the promotion file is left whole" 'file_in_store boot | grep -qx tries=2'

# A read-only device: no remount read-write, the boot goes on.
mkstore "$tries2"
attach -r
prep ""
check "read-only store: boots anyway, says the try was not counted" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && said "cannot count this try"'
check "read-only store: the promotion file is unchanged" 'file_in_store boot | grep -qx tries=2'

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
tap_done
