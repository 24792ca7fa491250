#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What systemd-remount-fs does with a Debian /etc/fstab line for /
# ("UUID=... / ext4 errors=remount-ro 0 1"): `mount -o remount` of / with
# the line's options, here on a root assembled by ovroot-init --prepare.
# The ext4 option must leave the overlay as it was, writable; `ro` would not
# (docs/boot.md, "A version's /etc/fstab").  The boot with systemd itself is
# the system test's.  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc"
bootable "$s/versions/v1"
echo "UUID=0a3a6f5e-0000-4000-8000-000000000001 / ext4 errors=remount-ro 0 1" \
	>"$s/versions/v1/etc/fstab"
mkstore "root=v1
"
attach
prep ""
check "the root boots with the Debian fstab in it" '[ $rc = 0 ] && [ -f "$t/mnt/etc/fstab" ]'
opts=$(findmnt -n -o OPTIONS "$t/mnt")
# util-linux as systemd-remount-fs calls it: the options from the fstab line
mount -o remount,errors=remount-ro "$t/mnt" 2>"$t/remount.err"
rrc=$?
check "remount with errors=remount-ro succeeds on the overlay" '[ $rrc = 0 ]'
check "... and changes nothing: the same options, still writable" \
	'[ "$(findmnt -n -o OPTIONS "$t/mnt")" = "$opts" ] && echo x >"$t/mnt/written" && [ -f "$t/mnt/written" ]'
check "the fstab line names no device the init needs: the store is untouched" \
	'[ "$(findmnt -n -o OPTIONS "$t/run/store" | cut -d, -f1)" = ro ]'
mount -o remount,ro "$t/mnt"
check "whereas ro in the line would make the whole root read-only" '! touch "$t/mnt/again" 2>/dev/null'
tap_done
