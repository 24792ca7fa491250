#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The boot menu through ovroot-init --prepare, driven from its console
# (standard input, as a serial console would be: VT100 arrows, digits,
# Enter): strip two layers and boot once, boot and make default, the
# timeout, greyed entries, and no menu without being asked.
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc" "$s/versions/v3/etc"
for v in v1 v2 v3; do echo $v >"$s/versions/$v/etc/id"; done
bootable "$s/versions/v1"
three="root=v3+v2+v1
tries=2
"
menu() {	# KEYS EXTRA-PARAMETERS: the menu driven from standard input
	umount -R -l "$t/mnt" "$t/run" 2>/dev/null
	mount -t tmpfs tmpfs "$t/run"
	printf "$1" | timeout 60 $init --prepare "$t/mnt" --run "$t/run" \
		--cmdline "root=$dev ovroot.key=none rootdelay=1 ovroot.menu $2" >"$t/out" 2>&1
	rc=$?
}

mkstore "$three"
attach
menu '\033[B\033[B\r' ""
check "down, down, Enter: the stack with two layers stripped boots, reason menu" \
	'[ $rc = 0 ] && [ "$(state stack)" = v1 ] && [ "$(state reason)" = menu ]'
check "the menu lists the promoted stack, then each stripped one, numbered" \
	'said "^>1 v3+v2+v1" && said "^ 2 v2+v1 " && said "^ 3 v1 "'
check "a menu boot spends no try" 'file_in_store boot | grep -qx tries=2'

mkstore "$three"
attach
menu '2d' ""
check "2 then d: boots v2+v1 and makes it the promoted root" \
	'[ $rc = 0 ] && [ "$(state stack)" = v2+v1 ] && said "now the promoted root" && file_in_store boot | grep -qx root=v2+v1 && ! file_in_store boot | grep -q tries='

mkstore "$three"
attach
menu '' "ovroot.menutimeout=1"
check "no key: the timeout boots the highlighted entry" \
	'[ $rc = 0 ] && [ "$(state stack)" = v3+v2+v1 ] && [ "$(state reason)" = menu ] && said "booting 1 in 1 s"'

mkstore "root=v9+v2+v1
"
attach
menu '\r' ""
check "a missing layer: greyed with the reason, the first usable entry boots" \
	'[ $rc = 0 ] && said "v9+v2+v1 *(v9 missing)" && [ "$(state stack)" = v2+v1 ]'

mkstore "$three"
attach
prep ""
check "without ovroot.menu or the menu key: no menu" '[ $rc = 0 ] && ! said "ovroot boot menu"'
tap_done
