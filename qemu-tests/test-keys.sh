#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The rollback key on USB keyboards: held from power-on on a USB keyboard (no
# PS/2 one), a USB keyboard plugged in during the key window and after it,
# and a USB host with no keyboard.  The default image carries the USB host
# and HID modules (docs/mkinitramfs.md); while a USB host exists the window
# waits for what is plugged into it (docs/boot.md).
#   sh qemu-tests/test-keys.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/stores.sh"

store s1 'root=v2+v1\n'
usb="-machine pc,i8042=off -device qemu-xhci,id=xhci"

# 1. Esc held from power-on on a USB keyboard
QT_HOLD_ESC=1 QT_QEMU_ARGS="$usb -device usb-kbd,bus=xhci.0" boot usbheld s1 ""
qt_expect usbheld "ovroot: rollback key held" "usbheld: the key on the USB keyboard is seen"
qt_expect usbheld "PROBE: booted reason=key" "usbheld: reason key"
qt_expect usbheld "PROBE: file id=v1" "usbheld: the fallback v1 boots"

# 2. a USB keyboard plugged in during the window (opened by the USB host),
# Esc held on it from then on
QT_HOLD_ESC=1 QT_PLUG_KBD="Run /init|0.3" QT_QEMU_ARGS="$usb" \
	boot usbplug s1 "ovroot.keywait=3000"
grep -q "qmp: plugged a USB keyboard" "$QT_OUT/usbplug.qmp.log"
qt_tap $? "usbplug: the keyboard was plugged during the boot"
qt_expect usbplug "ovroot: rollback key held" "usbplug: the key on the new keyboard is seen"
qt_expect usbplug "PROBE: file id=v1" "usbplug: the fallback v1 boots"

# 3. plugged in after the window: too late, the root boots
QT_HOLD_ESC=1 QT_PLUG_KBD="ovroot: booting|0" QT_QEMU_ARGS="$usb" \
	boot usblate s1 "ovroot.keywait=500"
grep -q "qmp: plugged a USB keyboard" "$QT_OUT/usblate.qmp.log"
qt_tap $? "usblate: the keyboard was plugged"
qt_expect_not usblate "ovroot: rollback key held" "usblate: a keyboard after the window is not read"
qt_expect usblate "PROBE: booted reason=promoted" "usblate: the root boots"

# 4. a USB host and no keyboard: the window waits for it, then the root boots
QT_QEMU_ARGS="$usb" boot usbnone s1 "ovroot.keywait=500"
qt_expect usbnone "PROBE: booted reason=promoted" "usbnone: the root boots"
qt_expect_re usbnone "PROBE: booted key_wait_ms=[1-9]" "usbnone: the window waited for the USB host"
qt_done
