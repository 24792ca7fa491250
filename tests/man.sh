#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages (man/*.scd) against the code, so that they cannot rot
# silently: each page builds with scdoc; every option and command that a
# program's --help names is in that program's page; every kernel parameter
# init/cmdline.c takes is in ovroot-cmdline(7); every key of the promotion
# file selector/promfile.c reads is in ovroot-boot(5).  Needs the built
# programs (make programs) and scdoc.  TAP; mounts nothing.
#   sh tests/man.sh [BUILD_DIR]            (default: build)
tap_host=1
. "$PWD/tests/tap.sh"
b=${1:-build}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# mentions PAGE WORD: WORD stands in PAGE's source as a word of its own.
mentions() {
	grep -Eq -- "(^|[^A-Za-z0-9._-])$(printf '%s' "$2" | sed 's/[.]/\\./g')([^A-Za-z0-9_-]|$)" \
		"man/$1.scd"
}

# options: the long and short options a --help text (stdin) names.
options() { grep -Eo -- '(^|[ ,[|])--?[a-z][a-z0-9-]*' | sed 's/^[ ,[|]*//' | sort -u; }

for src in man/*.scd; do
	p=${src#man/}
	p=${p%.scd}
	check "$p builds with scdoc" 'scdoc <"$src" >"$t/$p" 2>"$t/err" && grep -q "^\.TH" "$t/$p"'
done

for prog in init/ovroot-init command/ovroot mkinitramfs/ovroot-mkinitramfs; do
	name=${prog#*/}
	page=$name.8
	if [ ! -x "$b/$prog" ]; then
		nok "$b/$prog is not built: make programs"
		continue
	fi
	check "$page exists" '[ -f "man/$page.scd" ]' || continue
	"$b/$prog" --help >"$t/help" 2>&1
	for o in $(options <"$t/help"); do
		check "$page names $o" mentions "$page" "$o"
	done
done

# The ovroot command's commands: the first word of each indented help line.
"$b/command/ovroot" --help 2>&1 | sed -n -e 's/^  pin NAME \/ \(unpin\) .*/pin\n\1/p' -e 's/^  \([a-z][a-z-]*\) .*/\1/p' |
	sort -u >"$t/cmds"
check "ovroot --help names commands" '[ "$(wc -l <"$t/cmds")" -ge 8 ]'
for c in $(cat "$t/cmds"); do
	check "ovroot.8 names the command $c" mentions ovroot.8 "$c"
done

for k in $(sed -n 's/.*is(p, "\([a-z.]*\)").*/\1/p' init/cmdline.c | sort -u); do
	check "ovroot-cmdline.7 names $k" mentions ovroot-cmdline.7 "$k"
done
for k in $(sed -n 's/.*key_is(l, "\([a-z]*\)").*/\1/p' selector/promfile.c | sort -u); do
	check "ovroot-boot.5 names the key $k=" mentions ovroot-boot.5 "$k="
done
tap_done
