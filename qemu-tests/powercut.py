#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs one QEMU machine for the power-cut test (qemu-tests/test-powercut.sh).

    powercut.py --log LOG --qmp SOCK --go SOCK --pidfile FILE
                [--restore STATE] [--send-go] [--at TEXT] [--writes K]
                (--save STATE | --kill SECONDS) [--timeout SECONDS]
                -- qemu-system-x86_64 ARG...

It adds to the QEMU command: ttyS0 to the file LOG (the console), ttyS1 to
the unix socket --go (a line from the host to the guest), QMP on --qmp,
--pidfile, and the trace event virtio_blk_handle_write on QEMU's stderr,
which it reads to count the write requests the guest submits to its disks.
With --restore the machine is loaded from STATE (a migration stream written
by --save: "-S -incoming exec:cat STATE") and started with QMP "cont" once
loaded; the disks given must then hold what they held when STATE was saved.
--send-go writes "go" to ttyS1 once the machine runs.

It waits for a console line containing TEXT (--at), then until the guest
has submitted K write requests in all (--writes, counted from the start),
and then either
  --save STATE  stops the machine, writes its state to STATE and quits, or
  --kill S      sends QEMU SIGKILL S seconds later: a power cut.  What QEMU
                has not written to the image file by then is lost, as is
                the guest's page cache; a request being written may be cut
                short at a page boundary.

Times are host seconds since the machine started running (since "cont" for
a restored one).  LOG.times gets each console line and each write request
("W n sector N count M") with the time it was seen, LOG.qemu QEMU's output;
stdout gets one line "powercut: ...".  Exit status 0, or 1 when what was
awaited did not come within --timeout seconds (default 60) or QEMU failed.
"""
import argparse
import ctypes
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

WRITE = re.compile(rb"virtio_blk_handle_write .*sector (\d+) nsectors (\d+)")


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Qmp:
    def __init__(self, path, deadline):
        self.sock = connect(path, deadline)
        self.f = self.sock.makefile("rw")
        self.f.readline()  # greeting
        self.run("qmp_capabilities")

    def run(self, cmd, **args):
        """Sends a command and returns its "return", skipping events."""
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise EOFError("QMP closed during " + cmd)
            reply = json.loads(line)
            if "error" in reply:
                raise RuntimeError("%s: %s" % (cmd, reply["error"]))
            if "return" in reply:
                return reply["return"]


class Machine:
    """QEMU, its console lines and its write requests, each with a time."""

    def __init__(self, cmd, log):
        self.log = log
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.events = []        # (time, text), console lines and writes
        self.writes = 0
        self.wrote = threading.Condition(self.lock)
        self.pos = 0
        self.part = b""
        self.err = open(log + ".qemu", "wb")
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.err, stderr=subprocess.PIPE,
                                     preexec_fn=no_orphan)
        self.reader = threading.Thread(target=self.read_trace, daemon=True)
        self.reader.start()

    def now(self):
        return time.monotonic() - self.t0

    def restart_clock(self):
        with self.lock:
            self.t0 = time.monotonic()
            self.events = []
            self.writes = 0

    def read_trace(self):
        for raw in self.qemu.stderr:
            m = WRITE.search(raw)
            with self.lock:
                if m:
                    self.writes += 1
                    self.events.append((self.now(), "W %d sector %s count %s" % (
                        self.writes, m.group(1).decode(), m.group(2).decode())))
                    self.wrote.notify_all()
                else:
                    self.err.write(raw)

    def console(self):
        """Reads what the console file got since the last call."""
        try:
            with open(self.log, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return
        self.pos += len(data)
        *done, self.part = (self.part + data).split(b"\n")
        with self.lock:
            for raw in done:
                line = raw.decode(errors="replace").rstrip("\r")
                self.events.append((self.now(), line))

    def wait_line(self, text, deadline):
        while True:
            self.console()
            with self.lock:
                for t, line in self.events:
                    if not line.startswith("W ") and text in line:
                        return t
            self.check(deadline, "no console line with %r" % text)
            time.sleep(0.001)

    def wait_writes(self, k, deadline):
        while True:
            with self.lock:
                if self.writes < k:
                    self.wrote.wait(0.005)
                if self.writes >= k:
                    return self.now()
            self.check(deadline, "only %d of %d writes" % (self.writes, k))

    def check(self, deadline, what):
        if self.qemu.poll() is not None:
            raise EOFError("QEMU exited (status %d): %s" % (self.qemu.returncode, what))
        if time.monotonic() > deadline:
            raise TimeoutError(what)

    def kill(self):
        if self.qemu.poll() is None:
            self.qemu.kill()
        self.qemu.wait()

    def finish(self):
        self.reader.join(5)  # QEMU is gone: the trace's last lines
        self.console()
        with self.lock, open(self.log + ".times", "w") as f:
            for t, text in sorted(self.events, key=lambda e: e[0]):
                f.write("%.4f %s\n" % (t, text))
        self.err.close()


def no_orphan():
    # QEMU dies with this helper, whatever kills it.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--qmp", required=True)
    ap.add_argument("--go", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--restore")
    ap.add_argument("--send-go", action="store_true")
    ap.add_argument("--at")
    ap.add_argument("--writes", type=int, default=0)
    act = ap.add_mutually_exclusive_group(required=True)
    act.add_argument("--save")
    act.add_argument("--kill", type=float)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("qemu", nargs="+")
    a = ap.parse_args()

    for p in (a.log, a.qmp, a.go, a.pidfile):
        if os.path.exists(p):
            os.unlink(p)
    cmd = a.qemu + ["-serial", "file:" + a.log,
                    "-serial", "unix:%s,server=on,wait=off" % a.go,
                    "-qmp", "unix:%s,server=on,wait=off" % a.qmp,
                    "-pidfile", a.pidfile, "-trace", "virtio_blk_handle_write"]
    if a.restore:
        cmd += ["-S", "-incoming", "exec:cat " + shlex.quote(a.restore)]
    deadline = time.monotonic() + a.timeout
    m = Machine(cmd, a.log)
    what = []
    try:
        qmp = Qmp(a.qmp, deadline)
        if a.restore:
            while qmp.run("query-status")["status"] == "inmigrate":
                m.check(deadline, "the state did not load")
                time.sleep(0.005)
            what.append("loaded in %.2f s" % m.now())
            qmp.run("cont")
            m.restart_clock()
        if a.send_go:
            connect(a.go, deadline).sendall(b"go\n")
        if a.at:
            what.append("%r at %.3f s" % (a.at, m.wait_line(a.at, deadline)))
        if a.writes:
            what.append("write %d at %.4f s" % (a.writes, m.wait_writes(a.writes, deadline)))
        if a.kill is not None:
            if a.kill > 0:
                time.sleep(a.kill)
            m.qemu.kill()
            what.append("killed at %.4f s after %d writes" % (m.now(), m.writes))
            m.qemu.wait()
        else:
            qmp.run("stop")
            qmp.run("migrate", uri="exec:cat > " + shlex.quote(a.save))
            while True:
                st = qmp.run("query-migrate").get("status")
                if st == "completed":
                    break
                if st in ("failed", "cancelled"):
                    raise RuntimeError("migration " + str(st))
                m.check(deadline, "migration not done")
                time.sleep(0.01)
            what.append("saved at %.3f s after %d writes" % (m.now(), m.writes))
            qmp.run("quit")
            m.qemu.wait(timeout=10)
    except (OSError, EOFError, RuntimeError, TimeoutError, ValueError,
            subprocess.TimeoutExpired) as e:
        m.kill()
        m.finish()
        print("powercut: " + "; ".join(what + [str(e)]), flush=True)
        sys.exit(1)
    m.finish()
    print("powercut: " + "; ".join(what), flush=True)


if __name__ == "__main__":
    main()
