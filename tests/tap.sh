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

# tap_done: the plan; exit status 1 when a check failed.  The last command.
tap_done() { echo "1..$n"; [ "$failed" -eq 0 ]; }

# need PROGRAM MAKE-TARGET: the test cannot run without it.
need() { [ -x "$1" ] || { echo "not ok 1 - $1 missing: make $2"; echo 1..1; exit 1; }; }

# A test that mounts nothing sets tap_host=1 before sourcing this.
if [ -z "${tap_host:-}" ] && [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
	echo "not ok 1 - not in a private mount namespace: run it with unshare -m"
	echo 1..1
	exit 1
fi
