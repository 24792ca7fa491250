# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the namespace tests: TAP lines, the checks, and the guard that
# keeps them out of the host's mount namespace.  A test sets TAP_LOG to the
# file whose tail a failed check shows (and that has/hasnt read by default).

n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }

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

bootable() {	# DIR...: a root the init will switch into (/sbin/init, /dev /proc /sys /run)
	for r; do
		mkdir -p "$r/dev" "$r/proc" "$r/sys" "$r/run" "$r/sbin"
		printf '#!/bin/sh\n' >"$r/sbin/init"
		chmod 755 "$r/sbin/init"
	done
}

# need PROGRAM MAKE-TARGET: the test cannot run without it.
need() { [ -x "$1" ] || { echo "not ok 1 - $1 missing: make $2"; exit 1; }; }

# own_pids "$@" (right after sourcing this): the rest of the test runs in a
# PID namespace of its own with its own /proc, so that the ovroot command
# sees the test's processes and the mount namespaces they are in, never
# another job's on the same machine (whose overlays and mounts would count
# as uses); and whatever process the test leaves behind dies with it.
own_pids() {
	[ -n "${TAP_OWN_PIDS:-}" ] && return 0
	TAP_OWN_PIDS=1 exec unshare -p -f --mount-proc sh "$0" "$@"
}

# A test that mounts nothing sets tap_host=1 before sourcing this.  In its
# own PID namespace PID 1 is the test: the check was made before.
if [ -z "${tap_host:-}" ] && [ -z "${TAP_OWN_PIDS:-}" ] &&
   [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
	echo "not ok 1 - not in a private mount namespace: run it with unshare -m"
	exit 1
fi
