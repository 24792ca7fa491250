#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The boot menu in real boots: opened by the menu key held through QMP and
# driven with the arrow keys, then the same driven only through a serial
# console; a boot with no key shows no menu.  The stack with two layers
# stripped must boot, reason menu.
#   sh qemu-tests/test-menu.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/stores.sh"

# v4 (erofs) over v2 over v1: stripping two layers leaves v1.
store s1 'root=v4+v2+v1\ntries=2\n'
drive="$QT_TOP/qemu-tests/serial-menu.py"

# 1. the menu key held, then Down, Down, Enter on the keyboard
QT_HOLD_ESC=1 QT_HOLD_KEY=m QT_PRESS="boot menu|down down ret" boot keys s1 "ovroot.keywait=5000"
qt_expect keys "ovroot boot menu" "keys: the menu key opens the menu"
qt_expect keys "PROBE: booted reason=menu" "keys: reason menu"
qt_expect keys "PROBE: booted stack=v1" "keys: two layers stripped: v1 boots"

# 2. only through the serial console, opened by ovroot.menu
sock=$QT_TMP/serial.con
timeout 120 python3 "$drive" "$sock" >"$QT_OUT/serial.menu.log" 2>&1 &
QT_SERIAL_SOCKET=$sock boot serial s1 "ovroot.menu"
wait
grep -q "typed down, down, enter" "$QT_OUT/serial.menu.log"
qt_tap $? "serial: the keys were typed on the serial line"
qt_expect serial "PROBE: booted reason=menu" "serial: reason menu"
qt_expect serial "PROBE: booted stack=v1" "serial: down, down, Enter on the line: v1 boots"

# 3. no key: no menu, and no more waiting than before
boot nokey s1 ""
qt_expect_not nokey "ovroot boot menu" "nokey: no menu without the key"
qt_expect nokey "PROBE: booted reason=promoted" "nokey: the promoted stack boots"
qt_done
