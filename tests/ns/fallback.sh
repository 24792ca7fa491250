#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Never brick: whatever fails after the policy has chosen falls back, through
# ovroot-init --prepare (like prepare.sh): a persistent upper the store cannot
# hold, a root that cannot be switched into, odd files where the promotion
# file and its temp files go, the ovroot command's lock held.  Rows of the
# bad-input matrix in docs/hardening.md.  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc" "$s/versions/noinit/etc" \
	"$s/versions/nodirs/sbin"
echo v1 >"$s/versions/v1/etc/id"
echo v2 >"$s/versions/v2/etc/id"
bootable "$s/versions/v1" "$s/versions/noinit"
rm "$s/versions/noinit/sbin/init"
printf '#!/bin/sh\n' >"$s/versions/nodirs/sbin/init"
chmod 755 "$s/versions/nodirs/sbin/init"
persist="root=v2+v1
fallback=v1
upper=persist
"

# --- 1. a persistent upper the store cannot hold: same stack, tmpfs upper
mkstore "$persist"
attach -r
prep ""
check "persist on a read-only store: the same stack boots on a tmpfs upper" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && [ "$(state upper)" = tmpfs ] && said "with a tmpfs upper"'
check "persist on a read-only store: booted says why" 'state notes | grep -q "upper persist failed"'
check "persist on a read-only store: the root is an overlay, writable in RAM" \
	'[ "$(findmnt -n -o FSTYPE "$t/mnt")" = overlay ] && echo x >"$t/mnt/new"'

mkdir -p "$s/upper/v2"
echo kept >"$s/upper/v2/mine"
mkstore "$persist"
rm -rf "$s/upper"
attach -r
prep ""
check "upper/v2 on a read-only store: tmpfs upper, upper/v2 untouched" \
	'[ $rc = 0 ] && [ "$(state upper)" = tmpfs ] && [ ! -e "$t/mnt/mine" ] && [ "$(file_in_store upper/v2/mine)" = kept ]'

mkdir -p "$s/upper"
echo "a file" >"$s/upper/v2"
mkstore "$persist"
rm -rf "$s/upper"
attach
prep ""
check "upper/v2 is a file: tmpfs upper, the file untouched" \
	'[ $rc = 0 ] && [ "$(state upper)" = tmpfs ] && [ "$(file_in_store upper/v2)" = "a file" ]'

mkstore "$persist"
attach
prep ""
check "persist that works: still persist" \
	'[ $rc = 0 ] && [ "$(state upper)" = persist ] && [ -z "$(state notes)" ]'

# --- 2. a root that cannot be switched into is passed over in the choice loop
mkstore "root=noinit
fallback=v1
"
attach
prep ""
check "no /sbin/init: passed over, the fallback boots, booted says why" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && said "version noinit passed over" && state notes | grep -q "noinit passed over: .*no executable init"'
mkstore "root=nodirs
good=v1
"
attach
prep ""
check "no /dev /proc /sys /run: passed over, good= boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && state notes | grep -q "lacks the directories /dev /proc /sys /run"'
mkstore "root=v1
"
attach
prep "init=/sbin/nope"
check "init= names a program the root lacks: nothing else to boot, exit 1, said" \
	'[ $rc = 1 ] && said "no executable init" && said "no bootable stack"'

# --- 3. an init that exists but cannot start: named, passed over before the switch
# A merged-/usr root whose /sbin/init is dynamic (/bin/true) and a delta layer
# with a real lib/ directory, shadowing lib -> usr/lib and with it the loader.
ld=$(readelf -l /bin/true | sed -n 's/.*interpreter: \(.*\)]$/\1/p')
m=$s/versions/merged
bootable "$m"
cp /bin/true "$m/sbin/init"
mkdir -p "$m/usr/lib" "$m/usr/lib64" "$(dirname "$m/usr$ld")"
ln -s usr/lib "$m/lib"; ln -s usr/lib64 "$m/lib64"
echo loader >"$m/usr/lib/ld-real.so"
ln -s /lib/ld-real.so "$m/usr$ld"
mkdir -p "$s/versions/shadow/lib/modules"
mkstore "root=shadow+merged
fallback=merged
"
attach
prep ""
check "ELF init whose loader a delta shadowed: passed over, named, the fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = merged ] && said "shadow+merged\|version shadow passed over" && said "/sbin/init: needs the ELF interpreter $ld, missing there"'
check "the merged root itself is bootable: the loader found through two symlinks" \
	'! said "merged passed over"'
mkdir -p "$s/versions/garbage/sbin" "$s/versions/script/sbin"
bootable "$s/versions/garbage" "$s/versions/script"
echo "not a program" >"$s/versions/garbage/sbin/init"
printf '#!/bin/bash -e\n' >"$s/versions/script/sbin/init"
chmod 755 "$s/versions/garbage/sbin/init" "$s/versions/script/sbin/init"
mkstore "root=garbage
fallback=script
good=v1
"
attach
prep ""
check "an init neither ELF nor #!, a script whose interpreter is missing: both named, good= boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && said "/sbin/init: is not a program (neither ELF nor #!)" && said "/sbin/init: needs the #! interpreter /bin/bash, missing there"'

# --- 4. odd files where the promotion file and its backup go
tries2="root=v2+v1
fallback=v1
tries=2
"
mkstore "$tries2"
attach
mount "$dev" "$t/peek" && { rm "$t/peek/ovroot/boot.bak" 2>/dev/null; mkfifo "$t/peek/ovroot/boot.bak"
	mkfifo "$t/peek/ovroot/.boot.tmp" "$t/peek/ovroot/.boot.bak.tmp"; umount "$t/peek"; }
prep ""
check "a FIFO at boot.bak: no hang, not written, the fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && said "boot.bak is not a regular file: not replaced"'
check "a FIFO at boot.bak: boot is unchanged" 'file_in_store boot | grep -qx tries=2'

mkstore "$tries2" "root=v1
"
attach
mount "$dev" "$t/peek" && { rm "$t/peek/ovroot/boot"; mkfifo "$t/peek/ovroot/boot"; umount "$t/peek"; }
prep ""
check "a FIFO at boot: no hang, read as not a file, the backup boots" \
	'[ $rc = 0 ] && [ "$(state reason)" = file-bad ] && said "boot is not a regular file"'

# --- 5. the ovroot command's store lock
mkstore "$tries2"
attach
mount -o ro "$dev" "$t/peek"
flock --no-fork "$t/peek/ovroot" sleep 8 &
holder=$!
sleep 0.3
prep ""
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
umount "$t/peek"
check "the store lock held past the bound: not counted, the fallback boots" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && said "the store stayed locked" && file_in_store boot | grep -qx tries=2'
mkstore "$tries2"
attach
mount -o ro "$dev" "$t/peek"
flock --no-fork "$t/peek/ovroot" sleep 1 &
holder=$!
sleep 0.3
prep ""
wait "$holder" 2>/dev/null
umount "$t/peek"
check "the store lock released in time: the try is counted after it" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && [ "$(state tries)" = 1 ] && file_in_store boot | grep -qx tries=1'
# --- a try being spent comes back by itself: panic timeout, watchdog (under
# a stand-in root: the real ones are QEMU's, qemu-tests/test-guard.sh)
g=$t/guard
mkdir -p "$g/proc/sys/kernel" "$g/dev"
echo 0 >"$g/proc/sys/kernel/panic"
echo "not a watchdog" >"$g/dev/watchdog0"
mkstore "root=v2+v1
tries=2
watchdog=30
"
attach
prep "" "--guard-root $g"
check "spending a try: the panic timeout is set when it was 0, booted says so" \
	'[ $rc = 0 ] && [ "$(cat "$g/proc/sys/kernel/panic")" = 10 ] && [ "$(state panic)" = 10 ] && said "a kernel panic reboots after 10 s"'
check "spending a try with watchdog=30: what is not a watchdog is refused, said" \
	'said "dev/watchdog0 is not a watchdog" && [ -z "$(state watchdog)" ]'
echo 0 >"$g/proc/sys/kernel/panic"
rm "$g/dev/watchdog0"
mkstore "root=v2+v1
tries=2
"
attach
prep "ovroot.panic=25 ovroot.watchdog=40" "--guard-root $g"
check "ovroot.panic= and ovroot.watchdog= are taken; no watchdog device: said" \
	'[ "$(cat "$g/proc/sys/kernel/panic")" = 25 ] && said "no watchdog (.*dev/watchdog0"'
echo 7 >"$g/proc/sys/kernel/panic"
mkstore "root=v2+v1
tries=2
"
attach
prep "" "--guard-root $g"
check "a panic timeout the kernel already has is kept" \
	'[ "$(cat "$g/proc/sys/kernel/panic")" = 7 ] && [ -z "$(state panic)" ]'
echo 0 >"$g/proc/sys/kernel/panic"
mkstore "root=v2+v1
watchdog=30
"
attach
prep "" "--guard-root $g"
check "a confirmed root: neither panic timeout nor watchdog" \
	'[ "$(cat "$g/proc/sys/kernel/panic")" = 0 ] && ! said "watchdog" && [ -z "$(state panic)" ]'
mkstore "root=v2+v1
tries=2
"
attach
prep ""
check "--prepare without --guard-root touches neither" \
	'[ "$(cat "$g/proc/sys/kernel/panic")" = 0 ] && [ -z "$(state panic)" ]'
tap_done
