#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Types into ovroot's boot menu on a serial line: serial-menu.py SOCKET

SOCKET is QEMU's ttyS0 as a unix socket (QT_SERIAL_SOCKET in lib.sh).
Reads what the guest says and, once the menu shows, types ESC [ B twice
and Enter, as a person on a serial console would.  Prints what it typed.
"""
import sys
import time
from importlib import import_module

sys.path.insert(0, __file__.rsplit("/", 1)[0])
connect = import_module("qmp-hold-key").connect


def main():
    s = connect(sys.argv[1], 30)
    seen = b""
    while b"ovroot boot menu" not in seen:
        data = s.recv(4096)
        if not data:
            print("serial: the guest ended before the menu")
            return
        seen += data
    time.sleep(0.5)
    for key in (b"\x1b[B", b"\x1b[B", b"\r"):
        s.sendall(key)
        time.sleep(0.3)
    print("serial: typed down, down, enter", flush=True)
    while s.recv(4096):
        pass


if __name__ == "__main__":
    main()
