#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The state area (docs/state.md) through ovroot-init --prepare, as
# prepare.sh: made on first boot, kept across a promotion and a rollback,
# per epoch, never bound through a symlink, read-only on a read-only
# store.  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

v=$s/versions
mkdir -p "$v/v1/etc/ssh" "$v/v1/home/skel" "$v/v1/var/lib/systemd" "$v/v1/var/log" \
	"$v/v2/etc" "$v/v4/etc/ovroot"
bootable "$v/v1"
printf 'uninitialized\n' >"$v/v1/etc/machine-id"
echo skel >"$v/v1/home/skel/profile"
echo v1-key >"$v/v1/etc/ssh/ssh_host_ed25519_key"
echo v1-config >"$v/v1/etc/ssh/sshd_config"
echo v2 >"$v/v2/etc/id"
cp -a "$v/v1" "$v/v3" && rm -rf "$v/v3/home" && ln -s / "$v/v3/home"
cp -a "$v/v1" "$v/v5" && rm -rf "$v/v5/home" && ln -s . "$v/v5/home"
printf 'epoch=1\ndefault\n' >"$v/v4/etc/ovroot/state.conf"
printf '# the defaults\ndefault\n' >"$s/state.conf"
st=$t/run/store/ovroot/state

setboot() {	# the promotion file's text, written into the store as it is
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	mount "$dev" "$t/peek" && printf "$1" >"$t/peek/ovroot/boot" && umount "$t/peek"
}
bound() { grep -q " $t/mnt/$1 " /proc/self/mountinfo; }
binds() { grep -c " $t/mnt[ /]" /proc/self/mountinfo; }
roots() { awk '$5 == "/"' /proc/self/mountinfo | wc -l; }

mkstore "root=v1
"
attach
prep ""
id=$(cat "$t/mnt/etc/machine-id" 2>/dev/null)
check "first boot: boots, says what it bound" '[ $rc = 0 ] && said "state area: 4 path(s) bound from /ovroot/state/epoch-0"'
check "first boot: booted records the state area" '[ "$(state state)" = "epoch-0, 4 path(s) bound" ]'
OVROOT_RUN=$t/run ${OVROOT_CMD:-$PWD/build/command/ovroot} status >"$t/status" 2>&1
check "ovroot status shows the state area" 'grep -q "^state: *epoch-0, 4 path(s) bound" "$t/status"'
check "first boot: a machine-id is made for the device, 32 hex, the same in the root and the store" \
	'echo "$id" | grep -qx "[0-9a-f]\{32\}" && [ "$(cat $st/machine-id)" = "$id" ]'
check "first boot: /etc/machine-id is copied in, not bound (systemd's machine-id-commit)" '! bound etc/machine-id'
check "first boot: /home is the state's, made from the version's" \
	'bound home && [ "$(cat $t/mnt/home/skel/profile)" = skel ] && [ "$(cat $st/epoch-0/home/skel/profile)" = skel ]'
check "first boot: the version's ssh host key is kept in the state and bound, sshd_config is not" \
	'bound etc/ssh/ssh_host_ed25519_key && ! bound etc/ssh/sshd_config && [ "$(cat $st/epoch-0/etc/ssh/ssh_host_ed25519_key)" = v1-key ]'
check "first boot: random-seed made empty and bound, /var/log/journal made" \
	'bound var/lib/systemd/random-seed && [ -f $st/epoch-0/var/lib/systemd/random-seed ] && bound var/log/journal'
check "a file written to /home lands in the store" \
	'echo mine >"$t/mnt/home/user-file" && [ "$(cat $st/epoch-0/home/user-file)" = mine ]'
echo newer-key >"$t/mnt/etc/ssh/ssh_host_ed25519_key"

setboot "root=v2+v1\n"
prep ""
check "after a promotion: the same machine-id, the /home file, the written key" \
	'[ "$(state stack)" = v2+v1 ] && [ "$(cat $t/mnt/etc/machine-id)" = "$id" ] && [ "$(cat $t/mnt/home/user-file)" = mine ] && [ "$(cat $t/mnt/etc/ssh/ssh_host_ed25519_key)" = newer-key ]'
setboot "root=v1\n"
prep ""
check "after a rollback: the same machine-id and /home file" \
	'[ "$(state stack)" = v1 ] && [ "$(cat $t/mnt/etc/machine-id)" = "$id" ] && [ "$(cat $t/mnt/home/user-file)" = mine ]'
prep "ovroot.upper=persist"
check "with a persistent upper: the same" \
	'[ "$(state upper)" = persist ] && [ "$(cat $t/mnt/etc/machine-id)" = "$id" ] && [ "$(cat $t/mnt/home/user-file)" = mine ]'
prep "ovroot.upper=none"
check "a read-only root: machine-id bound instead, /home bound" \
	'[ "$(state upper)" = none ] && bound etc/machine-id && [ "$(cat $t/mnt/etc/machine-id)" = "$id" ] && [ "$(cat $t/mnt/home/user-file)" = mine ]'

before=$(roots)
setboot "root=v3\n"
prep ""
check "/home a symlink to /: not bound, said, boots" \
	'[ $rc = 0 ] && said "/home not bound (in the root: it is or leads through a symlink)" && [ "$(roots)" = "$before" ] && ! bound home'
setboot "root=v5\n"
prep ""
check "/home a symlink to . (inside the root): not bound either" \
	'[ $rc = 0 ] && said "/home not bound (in the root: it is or leads through a symlink)" && [ "$(binds)" = 4 ]'

setboot "root=v4+v1\n"
prep ""
check "a version with epoch=1: its own state, made from the version, not epoch 0's data" \
	'said "bound from /ovroot/state/epoch-1" && bound home && ! [ -e $t/mnt/home/user-file ] && [ "$(cat $t/mnt/home/skel/profile)" = skel ]'
check "epoch 1: the same machine-id (it belongs to the device)" '[ "$(cat $t/mnt/etc/machine-id)" = "$id" ]'
echo epoch1 >"$t/mnt/home/epoch1-file"
setboot "root=v1\n"
prep ""
check "rollback to epoch 0: its data, none of epoch 1's" \
	'[ "$(cat $t/mnt/home/user-file)" = mine ] && ! [ -e $t/mnt/home/epoch1-file ]'

umount -R -l "$t/mnt" "$t/run"
mount "$dev" "$t/peek" && mv "$t/peek/ovroot/state" "$t/peek/ovroot/state.real" &&
	ln -s /tmp "$t/peek/ovroot/state" && umount "$t/peek"
prep ""
check "ovroot/state a symlink out of the store: refused, nothing bound, boots" \
	'[ $rc = 0 ] && said "/ovroot/state refused: a symlink" && [ "$(binds)" = 1 ]'
umount -R -l "$t/mnt" "$t/run"
mount "$dev" "$t/peek" && rm "$t/peek/ovroot/state" && mv "$t/peek/ovroot/state.real" "$t/peek/ovroot/state" &&
	cp "$t/peek/ovroot/state.conf" "$t/state.conf" && printf 'default\nhome/\n' >"$t/peek/ovroot/state.conf" &&
	umount "$t/peek"
prep ""
check "a bad state.conf: said with its line, nothing bound, boots" \
	'[ $rc = 0 ] && said "state.conf line 2: is neither a path" && [ "$(binds)" = 1 ]'
umount -R -l "$t/mnt" "$t/run"
mount "$dev" "$t/peek" && cp "$t/state.conf" "$t/peek/ovroot/state.conf" && umount "$t/peek"

losetup -d "$dev"
attach -r
prep ""
check "a read-only store: boots, said in one line, the state bound read-only" \
	'[ $rc = 0 ] && [ "$(grep -c "state area: the store is read-only" $t/out)" = 1 ] && [ "$(cat $t/mnt/home/user-file)" = mine ] && ! touch "$t/mnt/home/x" 2>/dev/null'
check "a read-only store: the same machine-id" '[ "$(cat $t/mnt/etc/machine-id)" = "$id" ]'

mkstore "root=v1
"
attach -r
prep ""
check "a read-only store with no state yet: boots, nothing made, the version's files" \
	'[ $rc = 0 ] && said "the store is read-only" && ! bound home && [ "$(cat $t/mnt/etc/machine-id)" = uninitialized ]'

# The store's fsck check (--fsck) before the state area first writes to it.
e2fsck=/sbin/e2fsck.static
store_opts() { findmnt -n -o OPTIONS "$t/run/store" | cut -d, -f1; }
# a directory's inode cleared: preen cannot fix it
broken() { debugfs -w -R "clri ovroot/junk" "$t/disk" >/dev/null 2>&1
	debugfs -w -R "ssv state 0" "$t/disk" >/dev/null 2>&1; }
mkdir -p "$s/junk/deeper"
if [ -x "$e2fsck" ]; then
	mkstore "root=v1
"
	attach
	prep "" "--fsck $e2fsck"
	check "fsck: the store's state area has the store checked first, then written" \
		'[ $rc = 0 ] && said "store $dev: checked, clean" && [ "$(store_opts)" = rw ] && said "state area: 4 path(s) bound from /ovroot/state/epoch-0$"'
	mkstore "root=v1
"
	broken
	attach
	prep "" "--fsck $e2fsck"
	check "fsck: errors it cannot fix: the store stays read-only, the state area too, boots" \
		'[ $rc = 0 ] && said "cannot fix" && said "state area: the store is read-only (kept read-only after fsck)" && [ "$(store_opts)" = ro ]'
	rm "$s/state.conf"
	mkstore "root=v4+v1
"
	attach
	prep "" "--fsck $e2fsck"
	check "fsck: only the version has a state.conf: not checked while in use, read-only, said" \
		'[ $rc = 0 ] && said "state area: the store is read-only (not checked by fsck yet" && [ "$(store_opts)" = ro ]'
else
	skip "fsck: $e2fsck missing (apt-get install e2fsck-static)"
	skip "fsck: $e2fsck missing"
	skip "fsck: $e2fsck missing"
fi

tap_done
