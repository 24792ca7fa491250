#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Holds Esc in a QEMU guest: qmp-hold-key.py QMP_SOCKET SERIAL_LOG

Connects to QEMU's QMP socket, and once the serial log shows "Run /init"
sends an Esc key-down every 150 ms until QEMU exits (the recipe measured in
the project notes: a key-down without key-up stays held).  Prints
"qmp: sent N key events" at the end.
"""
import json
import select
import socket
import sys
import time

ESC = {"execute": "input-send-event", "arguments": {"events": [
    {"type": "key", "data": {"down": True,
                             "key": {"type": "qcode", "data": "esc"}}}]}}


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


def main():
    sock_path, log_path = sys.argv[1:3]
    s = connect(sock_path)
    f = s.makefile("rw")
    f.readline()  # greeting
    command(f, {"execute": "qmp_capabilities"})
    print("qmp: connected", flush=True)
    sent = 0
    try:
        while True:  # wait for "Run /init"; EOF means QEMU is gone
            if "Run /init" in read(log_path):
                break
            if select.select([s], [], [], 0.05)[0] and not s.recv(4096):
                raise EOFError("QEMU exited before Run /init")
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
