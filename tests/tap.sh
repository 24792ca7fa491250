# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the namespace tests: TAP lines, the checks, and the guard that
# keeps them out of the host's mount namespace.  A test sets TAP_LOG to the
# file whose tail a failed check shows (and that has/hasnt read by default),
# and ends with tap_done, which prints the plan (tests/run-all checks it).

n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }

# skip WHY: a check that cannot run here; counted as a skip, never a pass.
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

nok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -z "${TAP_LOG:-}" ] || [ ! -f "$TAP_LOG" ] || sed 's/^/#   /' "$TAP_LOG" | tail -n 15
}

# check DESC 'SHELL TEST' (evaluated) or check DESC COMMAND ARG...
check()
{
	d=$1
	shift
	if [ $# -eq 1 ]; then
		eval "$1"
	else
		"$@"
	fi && ok "$d" || nok "$d"
}

is() { [ "$1" = "$2" ] || { echo "# got '$1', want '$2'" >&2; return 1; }; }

# has PATTERN [FILE]: FILE defaults to $TAP_LOG
has() { grep -q -- "$1" "${2:-$TAP_LOG}"; }
hasnt() { ! grep -q -- "$1" "${2:-$TAP_LOG}"; }

# The init checks that a #! init's interpreter is there: /bin/sh, a stand-in.
bootable() {	# DIR...: a root the init will switch into (/sbin/init, /dev /proc /sys /run)
	for r; do
		mkdir -p "$r/dev" "$r/proc" "$r/sys" "$r/run" "$r/sbin" "$r/bin"
		printf '#!/bin/sh\n' >"$r/sbin/init"
		: >"$r/bin/sh"
		chmod 755 "$r/sbin/init" "$r/bin/sh"
	done
}

# tap_done: the plan; exit status 1 when a check failed.  The last command.
tap_done() { echo "1..$n"; [ "$failed" -eq 0 ]; }

# need PROGRAM MAKE-TARGET: the test cannot run without it.
need() { [ -x "$1" ] || { echo "not ok 1 - $1 missing: make $2"; echo 1..1; exit 1; }; }

# own_pids "$@" (right after sourcing this): the rest of the test runs in a
# PID namespace of its own with its own /proc, so that the ovroot command
# sees the test's processes and the mount namespaces they are in, never
# another job's on the same machine (whose overlays and mounts would count
# as uses); and whatever process the test leaves behind dies with it.
own_pids() {
	[ -n "${TAP_OWN_PIDS:-}" ] && return 0
	TAP_OWN_PIDS=1 exec unshare -p -f --kill-child=TERM --mount-proc sh "$0" "$@"
}

# in_ns OUT 'SCRIPT' [ARG...]: SCRIPT (sh -c, ARGs as $1...) in a mount
# namespace of its own, a process kept in it (its pid in $ns_pid, added to
# $pids); returns once SCRIPT has run (output in OUT; a program it execs
# says "ready" itself), 1 when it failed or did not within 5 s.
in_ns() {
	_out=$1 _script=$2
	shift 2
	unshare -m --propagation private sh -c "$_script"' && echo ready && exec sleep 1000' - "$@" \
		>"$_out" 2>&1 &
	ns_pid=$!
	pids="${pids:-} $ns_pid"
	for _ in $(seq 50); do
		grep -q '^ready$' "$_out" && return 0
		kill -0 "$ns_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "# in_ns: '$_script' did not get ready: $(cat "$_out")"
	return 1
}

# loops_on DIR: detaches every loop device whose backing file lies on the
# filesystem mounted at DIR (by device number, whatever path the namespace
# that attached it used); run before DIR is unmounted.
loops_on() {
	_dev=$(mountpoint -d "$1" 2>/dev/null) || return 0
	losetup -n -l -O NAME,BACK-MAJ:MIN 2>/dev/null | while read -r _l _d; do
		[ "$_d" = "$_dev" ] && losetup -d "$_l"
	done
	return 0
}

# A test that mounts nothing sets tap_host=1 before sourcing this.  In its
# own PID namespace PID 1 is the test: the check was made before.
if [ -z "${tap_host:-}" ] && [ -z "${TAP_OWN_PIDS:-}" ] &&
   [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
	echo "not ok 1 - not in a private mount namespace: run it with unshare -m"
	echo 1..1
	exit 1
fi
