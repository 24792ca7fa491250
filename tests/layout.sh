#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The house rules of README.md "Source layout", checked on the tree and the
# build: includes run one way only; the selector makes no system call and no
# stdio I/O; shipped programs hold no test hook.  Prints TAP.
#   tests/layout.sh [BUILD-DIR]      (default build)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
B=${1:-build}
tap_host=1
. "$top/tests/tap.sh"

# What each room may include besides itself.
allowed() {
	case $1 in
	lib|mkinitramfs) echo "" ;;
	selector) echo "" ;;
	overlay) echo "selector lib" ;;
	init) echo "overlay selector lib" ;;
	command) echo "selector lib" ;;
	esac
}

bad=$(mktemp)
trap 'rm -f "$bad"' EXIT
for room in lib selector overlay init command mkinitramfs; do
	ok_rooms="$room $(allowed "$room")"
	grep -H -o '^#include "[a-z]*/' "$room"/*.[ch] | while IFS=: read -r file inc; do
		to=${inc#\#include \"}
		to=${to%/}
		case " $ok_rooms " in *" $to "*) ;; *) echo "$file includes $to/" ;; esac
	done
done >"$bad"
TAP_LOG=$bad
check "includes run one way: lib <- selector <- overlay <- init, selector <- command" \
	'! [ -s "$bad" ]'

# Everything a selector object may call: memory, strings, formatting into
# memory, and the selector's own functions.  No open/read/write/ioctl/mount,
# no FILE.
pure="free malloc calloc realloc memchr memcmp memcpy memmove memset snprintf vsnprintf
strchr strrchr strcmp strncmp strcspn strspn strlen strnlen strstr strerror strtol strtoll
strtoul strtoull __stack_chk_fail"
objs=
for src in selector/*.c; do
	o=$B/${src%.c}.o
	[ -f "$o" ] && objs="$objs $o"
done
own=$(nm --defined-only $objs 2>/dev/null | awk '$2 ~ /^[TDBR]$/ {print $3}')
nm -u $objs 2>/dev/null | awk 'NF == 2 {print $2}' | sort -u | while read -r sym; do
	case " $(echo $pure $own) " in *" $sym "*) ;; *) echo "selector calls $sym" ;; esac
done >"$bad"
check "every selector source has its object ($(echo $objs | wc -w))" \
	'[ "$(echo $objs | wc -w)" = "$(ls selector/*.c | wc -l)" ]'
check "the selector makes no system call and no stdio I/O (nm -u)" '! [ -s "$bad" ]'

hooks='OVROOT_FAULT_AT\|OVROOT_NO_OPENAT2\|OVROOT_NO_LOWERDIR_PLUS'
for p in "$B"/init/ovroot-init "$B"/init/ovroot-init-tiny "$B"/command/ovroot "$B"/mkinitramfs/ovroot-mkinitramfs \
	"$B"/bin/ovroot-init "$B"/bin/ovroot; do
	[ -f "$p" ] || continue
	check "shipped $p holds no test hook" '! grep -aq "$hooks" "$p"'
done
for p in "$B"/tests/ovroot-hooked "$B"/tests/ovroot-init-hooked; do
	check "the test build $p holds them" 'grep -aq "$hooks" "$p"'
done

tap_done
