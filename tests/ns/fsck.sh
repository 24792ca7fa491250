#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The store's preen check (init/fsck.c) through ovroot-init --prepare
# --fsck e2fsck.static: before the store is first written (a try to count,
# a persistent upper, rw), on ext4 images made dirty with debugfs: clean,
# fixable, and what preen cannot fix (the store stays read-only, no try is
# counted, the fallback boots).  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

e2fsck=/sbin/e2fsck.static
need "$e2fsck" "(apt-get install e2fsck-static)"
mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc" "$s/versions/v1/junk/deeper"
bootable "$s/versions/v1"
echo v2 >"$s/versions/v2/etc/id"
try2="root=v2+v1
fallback=v1
tries=2
"
dirty() { debugfs -w -R "ssv state 0" "$t/disk" >/dev/null 2>&1; }
# a directory's inode cleared: preen stops with UNEXPECTED INCONSISTENCY (exit 4)
broken() { debugfs -w -R "clri ovroot/versions/v1/junk" "$t/disk" >/dev/null 2>&1; dirty; }
store_opts() { findmnt -n -o OPTIONS "$t/run/store" | cut -d, -f1; }
fsckp() { prep "$1" "--fsck $e2fsck"; }

mkstore "$try2"
attach
fsckp ""
check "a clean store with a try to count: checked, said clean, the try counted" \
	'[ $rc = 0 ] && said "store $dev: checked, clean (ovtest: clean, " && [ "$(state stack)" = v2+v1 ] && file_in_store boot | grep -qx tries=1'

mkstore "$try2"
debugfs -w -R "ssv free_blocks_count 123" "$t/disk" >/dev/null 2>&1
dirty
attach
fsckp ""
check "not cleanly unmounted, a wrong free count: fixed, said as a warning, the try counted" \
	'[ $rc = 0 ] && said "store $dev: fsck fixed errors (exit 1: " && [ "$(state stack)" = v2+v1 ] && file_in_store boot | grep -qx tries=1'
umount -R -l "$t/mnt" "$t/run" 2>/dev/null
check "... and the store is clean now" '"$e2fsck" -n "$dev" >/dev/null 2>&1'

mkstore "$try2"
broken
attach
fsckp ""
check "errors preen cannot fix: said, the store stays read-only, the fallback boots uncounted" \
	'[ $rc = 0 ] && said "store $dev: fsck found errors it cannot fix (exit 4: .*UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.): it stays read-only" && [ "$(state stack)" = v1 ] && [ "$(state reason)" = tries-unwritable ] && [ "$(store_opts)" = ro ]'
check "... nothing was written: tries=2 as before" 'file_in_store boot | grep -qx tries=2'

mkstore "root=v2+v1
upper=persist
"
broken
attach
fsckp ""
check "a persistent upper on a store fsck cannot fix: the same stack on a tmpfs upper" \
	'[ $rc = 0 ] && said "cannot fix" && [ "$(state stack)" = v2+v1 ] && [ "$(state upper)" = tmpfs ] && [ "$(store_opts)" = ro ]'

mkstore "root=v2+v1
"
dirty
attach
fsckp "rw"
check "rw on the command line: checked before the first mount, then mounted read-write" \
	'[ $rc = 0 ] && said "store $dev: fsck fixed errors" && [ "$(store_opts)" = rw ]'
mkstore "root=v2+v1
"
broken
attach
fsckp "rw"
check "rw and errors preen cannot fix: mounted read-only, the boot goes on" \
	'[ $rc = 0 ] && said "cannot fix" && [ "$(store_opts)" = ro ] && [ "$(state stack)" = v2+v1 ]'

mkstore "root=v2+v1
"
dirty
attach
fsckp ""
check "nothing to write this boot (confirmed, tmpfs upper): no check" \
	'[ $rc = 0 ] && ! said "store $dev: " && [ "$(state stack)" = v2+v1 ]'
mkstore "$try2"
broken
attach
prep ""
check "without --fsck (no e2fsck in the image): no check, the try counted as before" \
	'[ $rc = 0 ] && ! said "fsck" && file_in_store boot | grep -qx tries=1'
tap_done
