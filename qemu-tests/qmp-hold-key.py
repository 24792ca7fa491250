#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Holds Esc in a QEMU guest: qmp-hold-key.py QMP_SOCKET SERIAL_LOG [TEXT DELAY]
                           qmp-hold-key.py QMP_SOCKET SERIAL_LOG press TEXT KEY...

Connects to QEMU's QMP socket, and once the serial log shows "Run /init"
sends an Esc key-down every 150 ms until QEMU exits (the recipe measured in
the project notes: a key-down without key-up stays held).  Prints
"qmp: sent N key events" at the end.

With TEXT and DELAY: waits for TEXT in the serial log, then DELAY seconds,
then plugs a USB keyboard (device_add usb-kbd on the qemu-xhci with id
xhci) and only then starts holding Esc, so that no keyboard there before
sees the key: a keyboard that appears during the boot.

With "press": holds QT_HOLD_KEY's key (default esc) until TEXT is in the
serial log, then presses and releases each KEY (QEMU qcodes: down, ret)
once: driving ovroot's boot menu.
"""
import os
import json
import select
import socket
import sys
import time

def key_event(name, down):
    return {"execute": "input-send-event", "arguments": {"events": [
        {"type": "key", "data": {"down": down,
                                 "key": {"type": "qcode", "data": name}}}]}}


ESC = key_event(os.environ.get("QT_HOLD_KEY", "esc"), True)


def connect(path, seconds=10):
    end = time.monotonic() + seconds
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def command(f, cmd):
    """Sends cmd and returns its reply, skipping QMP events."""
    f.write(json.dumps(cmd) + "\n")
    f.flush()
    while True:
        line = f.readline()
        if not line:
            raise EOFError("QMP closed")
        reply = json.loads(line)
        if "event" not in reply:
            return reply


def wait_for(s, log_path, text):
    """Waits for text in the serial log; EOF on QMP means QEMU is gone."""
    while text not in read(log_path):
        if select.select([s], [], [], 0.05)[0] and not s.recv(4096):
            raise EOFError("QEMU exited before " + text)


def plug(f):
    reply = command(f, {"execute": "device_add", "arguments": {
        "driver": "usb-kbd", "id": "kbd", "bus": "xhci.0"}})
    print("qmp: plugged a USB keyboard:", reply, flush=True)


def press(s, f, log_path, text, keys):
    """Holds the key until text shows, then presses each of keys once."""
    while text not in read(log_path):
        command(f, ESC)
        time.sleep(0.15)
    time.sleep(0.5)
    for name in keys:
        command(f, key_event(name, True))
        time.sleep(0.1)
        command(f, key_event(name, False))
        time.sleep(0.3)
    print("qmp: pressed", " ".join(keys), flush=True)


def main():
    sock_path, log_path = sys.argv[1:3]
    s = connect(sock_path)
    f = s.makefile("rw")
    f.readline()  # greeting
    command(f, {"execute": "qmp_capabilities"})
    print("qmp: connected", flush=True)
    sent = 0
    try:
        wait_for(s, log_path, "Run /init")
        if len(sys.argv) > 4 and sys.argv[3] == "press":
            press(s, f, log_path, sys.argv[4], sys.argv[5:])
            return
        if len(sys.argv) > 4:
            wait_for(s, log_path, sys.argv[3])
            time.sleep(float(sys.argv[4]))
            plug(f)
        while True:
            reply = command(f, ESC)
            if "error" in reply:
                print("qmp: error", reply["error"], flush=True)
            else:
                sent += 1
            time.sleep(0.15)
    except (EOFError, OSError, ValueError) as e:
        print("qmp: stopped:", e)
    print("qmp: sent %d key events" % sent)


if __name__ == "__main__":
    main()
