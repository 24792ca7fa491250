#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A bad update no one is watching comes back by itself (init/guard.c): each
# scenario is one QEMU run with reboots allowed (QT_REBOOT=1), cut into its
# boots by qt_split_boots.
#   hang:  v2 hangs; tries=2, watchdog=5, an emulated i6300esb: the watchdog
#          resets the machine twice, then v1 boots (tries-exhausted)
#   panic: v3 makes the kernel panic (its init exits); tries=2, no panic= on
#          the command line, ovroot.panic=1: the panic timeout the init set
#          reboots it twice, then v1 boots
# The unconfirmed boots say that the guard is set; the fallback's does not.
# Each run has QT_TIMEOUT=180: the 60 s of one boot for each of its three
# (about 50 s and 40 s on an idle host; up to 77 s beside other QEMU suites).
. "$(dirname "$0")/lib.sh"

img=$QT_TMP/ovroot.img
probe=$(qt_guest probe) || exit 1
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "$QT_TOP/build/init/ovroot-init" --module i6300esb -o "$img" ||
	qt_die "cannot build the image"

# v1: a good whole root; v2 and v3: directories over it whose probe hangs or exits.
src=$QT_TMP/store
v1=$src/ovroot/versions/v1
mkdir -p "$v1/sbin" "$v1/etc/ovroot-test"
for d in dev proc sys run tmp; do mkdir -p "$v1/$d"; done
cp "$probe" "$v1/sbin/init"
echo v1 >"$v1/etc/ovroot-test/id"
for v in v2:hang v3:exit; do
	mkdir -p "$src/ovroot/versions/${v%:*}/etc/ovroot-test"
	echo "${v%:*}" >"$src/ovroot/versions/${v%:*}/etc/ovroot-test/id"
	echo "${v#*:}" >"$src/ovroot/versions/${v%:*}/etc/ovroot-test/end"
done
store() {	# NAME BOOT-TEXT: $QT_TMP/NAME.disk
	printf '%b' "$2" >"$src/ovroot/boot"
	qt_mkdisk "$QT_TMP/$1.disk" 32 ovstore "$src"
}
in_store() { debugfs -R "cat /ovroot/boot" "$QT_TMP/$1.disk" 2>/dev/null; }

# The boots of one run: 1 and 2 spend the tries, 3 is the fallback.
tried() {	# NAME N ID TRIES-LEFT
	qt_expect "$1.$2" "PROBE: file id=$3" "$1.$2: $3 boots (try $2)"
	qt_expect "$1.$2" "PROBE: booted tries=$4" "$1.$2: booted says tries=$4"
}
fell_back() {	# NAME
	qt_expect "$1.3" "PROBE: booted reason=tries-exhausted" \
		"$1.3: booted says reason=tries-exhausted"
	qt_expect "$1.3" "PROBE: file id=v1" "$1.3: the fallback v1 runs"
	qt_expect "$1.3" "reboot: Power down" "$1.3: the fallback powered off"
	qt_expect_not "$1.3" "watchdog armed" "$1.3: confirmed: no watchdog armed"
	qt_expect_not "$1.3" "a kernel panic reboots after" \
		"$1.3: confirmed: the panic timeout left alone"
	qt_expect_not "$1.3" "PROBE: booted watchdog=" "$1.3: booted has no watchdog="
	qt_expect_not "$1.3" "PROBE: booted panic=" "$1.3: booted has no panic="
	qt_no_panic "$1.3"
	in_store "$1" | grep -qx 'tries=0'
	qt_tap $? "$1: the store keeps tries=0"
}

# hang: the watchdog, armed by the init and left running, resets the machine.
store hang 'root=v2+v1\nfallback=v1\ntries=2\nwatchdog=5\n'
QT_REBOOT=1 QT_TIMEOUT=180 QT_QEMU_ARGS="-device i6300esb -watchdog-action reset" \
	qt_boot hang "$img" "root=LABEL=ovstore ovroot.keywait=0" "$QT_TMP/hang.disk"
qt_tap $? "hang: two hung tries reset by the watchdog, then the fallback powered off"
[ "$(qt_split_boots hang)" = 3 ]
qt_tap $? "hang: three boots in the run"
for n in 1 2; do
	tried hang $n v2 $((2 - n))
	qt_expect hang.$n "ovroot: unconfirmed: watchdog armed for 5 s" \
		"hang.$n: the init armed the watchdog for 5 s"
	qt_expect hang.$n "watchdog0: watchdog did not stop!" \
		"hang.$n: the kernel left it running when the init closed it"
	qt_expect hang.$n "PROBE: booted watchdog=5" "hang.$n: booted says watchdog=5"
	qt_expect hang.$n "ovroot: unconfirmed: a kernel panic reboots after 10 s" \
		"hang.$n: the init set the panic timeout too (default 10 s)"
	qt_expect hang.$n "PROBE: hanging" "hang.$n: v2 hangs"
	qt_no_panic hang.$n
done
fell_back hang

# panic: no panic= on the command line, so the kernel's timeout is 0 and the
# init sets ovroot.panic=1; no watchdog (none in the file, no device).
store panic 'root=v3+v1\nfallback=v1\ntries=2\n'
QT_REBOOT=1 QT_TIMEOUT=180 qt_boot panic "$img" \
	"root=LABEL=ovstore ovroot.keywait=0 ovroot.panic=1" "$QT_TMP/panic.disk"
qt_tap $? "panic: two tries rebooted by the panic timeout, then the fallback powered off"
[ "$(qt_split_boots panic)" = 3 ]
qt_tap $? "panic: three boots in the run"
for n in 1 2; do
	tried panic $n v3 $((2 - n))
	qt_expect panic.$n "ovroot: unconfirmed: a kernel panic reboots after 1 s" \
		"panic.$n: the panic timeout is ovroot.panic=1"
	qt_expect panic.$n "PROBE: booted panic=1" "panic.$n: booted says panic=1"
	qt_expect panic.$n "Kernel panic - not syncing: Attempted to kill init" \
		"panic.$n: v3's init exits, the kernel panics"
	qt_expect panic.$n "Rebooting in 1 seconds" "panic.$n: the kernel reboots after 1 s"
	qt_expect_not panic.$n "watchdog armed" "panic.$n: no watchdog asked for, none armed"
done
fell_back panic

qt_done
