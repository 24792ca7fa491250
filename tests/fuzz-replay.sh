#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replays the fuzz corpus (tests/fuzz/corpus/TARGET/*) through each fuzz
# target built with gcc, ASan and UBSan and a plain replay main
# (build-san/fuzz/replay-TARGET, made by `make san`): no fuzzing, every
# input once, so that a crash once found stays fixed.  Prints TAP, one line
# per target.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bin=${OVROOT_SAN_BUILD:-build-san}/fuzz
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
n=0
for src in tests/fuzz/fuzz_*.c; do
	t=${src#tests/fuzz/fuzz_}
	t=${t%.c}
	n=$((n + 1))
	if [ ! -x "$bin/replay-$t" ]; then
		echo "not ok $n - $t: $bin/replay-$t missing: make san"
	elif [ ! -d "tests/fuzz/corpus/$t" ]; then
		echo "not ok $n - $t: no corpus in tests/fuzz/corpus/$t"
	elif "$bin/replay-$t" "tests/fuzz/corpus/$t" >"$out" 2>&1; then
		echo "ok $n - fuzz corpus $t: $(tail -n 1 "$out")"
	else
		echo "not ok $n - fuzz corpus $t"
		tail -n 30 "$out" | sed 's/^/#   /'
	fi
done
echo "1..$n"
