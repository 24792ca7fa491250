#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real boots of the Debian kernel with an image from ovroot-mkinitramfs and a
# store disk made without mounting.  Every version's /sbin/init is the probe,
# which prints what it sees and powers off.
#   sh qemu-tests/test-boot.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/stores.sh"

# 1. the promoted stack
store s1 'root=v2+v1\n'
boot promoted s1 ""
qt_expect promoted "PROBE: file id=v2" "promoted: v2 overrides v1"
qt_expect promoted "PROBE: file base=only-in-v1" "promoted: a file only in v1 shows"
qt_expect promoted "PROBE: booted reason=promoted" "promoted: reason recorded"
qt_expect promoted "PROBE: booted stack=v2+v1" "promoted: stack recorded"
qt_expect promoted "PROBE: rootfs writable" "promoted: tmpfs upper is writable"

# 2. Esc held: the fallback
QT_HOLD_ESC=1 boot key s1 ""
qt_expect key "ovroot: rollback key held" "key: the held key is seen"
qt_expect key "PROBE: booted reason=key" "key: reason key"
qt_expect key "PROBE: file id=v1" "key: the fallback v1 boots"

# 3. tries: counted, then spent
store s3 'root=v2+v1\nfallback=v1\ntries=1\n'
boot tries1 s3 ""
qt_expect tries1 "PROBE: file id=v2" "tries1: the unconfirmed v2 boots"
in_store s3 boot | grep -qx "tries=0"
qt_tap $? "tries1: the store now says tries=0"
boot tries0 s3 ""
qt_expect tries0 "PROBE: booted reason=tries-exhausted" "tries0: fell back by itself"
qt_expect tries0 "PROBE: file id=v1" "tries0: v1 boots"

# 4. missing, empty and garbage promotion files: the backup's fallback
# each with its own line (an empty file is corrupt: it has no root= line)
for kind in missing empty garbage; do
	case $kind in
	missing) text=- why="is missing" ;;
	empty) text='' why="is corrupt (is empty)" ;;
	garbage) text='\001\002 not a promotion file\n' why="is corrupt (line 1: not a key=value line)" ;;
	esac
	store "s4$kind" "$text" 'root=v2+v1\ngood=v1\n'
	boot "file-$kind" "s4$kind" ""
	qt_expect_line "file-$kind" "ovroot: promotion file /ovroot/boot $why: using its backup boot.bak" \
		"file-$kind: one clear line: $why"
	qt_expect "file-$kind" "PROBE: file id=v1" "file-$kind: good v1 boots"
done

# 5. image layers
store s5 'root=v3+v1\n'
boot squashfs s5 ""
qt_expect squashfs "PROBE: file id=v3" "squashfs: the squashfs layer is on top"
qt_expect squashfs "PROBE: file base=only-in-v1" "squashfs: v1 below it"
store s5e 'root=v4+v1\n'
boot erofs s5e ""
qt_expect erofs "PROBE: file id=v4" "erofs: the erofs layer is on top"

# 6. uppers
store s6 'root=v2+v1\nupper=persist\n'
boot persist1 s6 "probe.write=/etc/ovroot-test/kept"
qt_expect persist1 "PROBE: wrote /etc/ovroot-test/kept" "persist1: written"
boot persist2 s6 ""
qt_expect persist2 "PROBE: file kept=" "persist2: the change survived the reboot"
store s6t 'root=v2+v1\n'
boot tmpfs1 s6t "probe.write=/etc/ovroot-test/kept"
boot tmpfs2 s6t ""
qt_expect_not tmpfs2 "PROBE: file kept=" "tmpfs2: the change is forgotten"
store s6n 'root=v2+v1\nupper=none\n'
boot none s6n ""
qt_expect none "PROBE: rootfs readonly" "none: read-only root"

# 7. the store by UUID and by /dev path (LABEL above)
store s7 'root=v2+v1\n' '' 4f1d1d3c-7a41-4f5e-9a53-2b9b4a0c0d7e
qt_boot uuid "$img" "root=UUID=4f1d1d3c-7a41-4f5e-9a53-2b9b4a0c0d7e" "$QT_TMP/s7.disk"
qt_expect uuid "PROBE: file id=v2" "uuid: found by UUID"
qt_boot devpath "$img" "root=/dev/vda" "$QT_TMP/s7.disk"
qt_expect devpath "PROBE: file id=v2" "devpath: found by /dev/vda"

store_gpt s7p 'root=v2+v1\n'
qt_boot partlabel "$img" "root=PARTLABEL=ovstore" "$QT_TMP/s7p.disk"
qt_expect partlabel "PROBE: file id=v2" "partlabel: found by PARTLABEL="
qt_expect partlabel "PROBE: booted store=/dev/vda1" "partlabel: on the partition"

# 8. no store device: a clear line and the fatal policy, no panic
qt_boot nostore "$img" "root=LABEL=nothere rootdelay=2 ovroot.fatal=halt" "$QT_TMP/s7.disk"
qt_tap $? "nostore: powered off by ovroot.fatal=halt"
qt_expect nostore "did not appear within 2 s" "nostore: says what is missing"
qt_no_panic nostore

# 9. ovroot.root= and a 40-layer stack of long names
stack=
for i in $(seq -w 1 40); do
	name=layer$i-$(printf '%0*d' 56 0)
	mkdir -p "$base/ovroot/versions/$name/etc/ovroot-test"
	echo "$i" >"$base/ovroot/versions/$name/etc/ovroot-test/layer$i"
	stack=$name+$stack
done
store s9 "root=${stack}v1\n"
boot deep s9 ""
qt_expect deep "PROBE: file layer01=01" "deep: the bottom long-named layer shows"
qt_expect deep "PROBE: file layer40=40" "deep: the top long-named layer shows"
boot override s9 "ovroot.root=v2+v1"
qt_expect override "PROBE: booted reason=override" "override: ovroot.root= wins"
qt_expect override "PROBE: file id=v2" "override: v2 boots"

qt_done
