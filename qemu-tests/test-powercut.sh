#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real power cuts during the two writes of the promotion file: the init's
# try count at boot (ovroot-init writes tries= into boot, the old text into
# boot.bak) and `ovroot promote` in the booted system.  After every cut the
# store image is checked from the host: its journal replayed as the next
# mount would (e2fsck -E journal_only), e2fsck -fn clean, and boot and
# boot.bak each the whole old or the whole new file, never torn, empty or
# missing; a cut after the writer said it was done must find the new files.
#
# A cut is SIGKILL to QEMU.  The store disk is attached with
# cache=writethrough: QEMU tells the guest it has no volatile write cache,
# and a request it has completed is in the image file, so a kill loses what
# a power loss loses: the guest's page cache and the requests not yet
# written (one being written may be cut short at a page boundary).
#
# Fast: the machine boots once and is saved (QEMU migration to a file) at
# the store's mount, its first write request; a run from there to just
# before the promote (the guest waits for a line on ttyS1) is saved again.
# Each cut restores a saved machine with a copy of its disk: one to two
# seconds instead of a 9 s boot.  The moments: powercut.py counts the guest's write
# requests in QEMU's trace and kills as the K-th is seen, or a fraction of
# the way to the next; an uncut run of each write tells which requests are
# the write's (with the fsyncs: 11 for the init, 10 for the promote).  Also
# a cut at the line said before the write, and 0.3, 1.5 and 2.5 s after it
# said it was done.  Each cut is a "# S-NAME" line and its outcome:
#   old   boot and boot.bak as before;
#   mid   boot.bak new and boot old (between the two renames), or a temp
#         file of the write made durable: the cut fell inside the write;
#   new   boot new, boot.bak the old boot.
# Each series must see all three: the cuts fell before, in and after it.
#
# The store is mounted rw (kernel `rw`: then neither writer remounts it)
# with rootflags=noauto_da_alloc,commit=1, so that nothing but the fsyncs of
# lib/file.c makes the write durable and ordered.  Measured with both fsyncs
# removed (docs/hardening.md, "Power cuts"):
#  - default options: auto_da_alloc writes a file's data out when it is
#    renamed over another (ext4's answer to the zero-length files of 2009),
#    so the files stay whole and only the checks that the write was durable
#    when said fail; with noauto_da_alloc boot and boot.bak come out empty;
#  - a read-only store (the default) is remounted read-only after each
#    write, which syncs the whole filesystem: every cut passes;
#  - commit=1: the journal commits the rename without the data within a
#    second instead of five, so that the cuts 1.5 and 2.5 s after find it.
#
# -m 128 and init_on_free=1 (freed pages are zeros, which a saved machine
# stores as a mark) keep the saved machines at about 60 MB.
# POWERCUT_ROUNDS=R (default 3): R cuts per write request, as it is seen
# and 1/R, 2/R ... of the way to the next; `make powercut` runs 8.
# OVROOT_INIT, OVROOT_CMD: other builds of the init and the command.
#   sh qemu-tests/test-powercut.sh
. "$(dirname "$0")/lib.sh"

rounds=${POWERCUT_ROUNDS:-3}
init=${OVROOT_INIT:-$QT_TOP/build/init/ovroot-init}
cmd=${OVROOT_CMD:-$QT_TOP/build/command/ovroot}
helper=$QT_TOP/qemu-tests/powercut.py
# The interpreter itself: a wrapper (pyenv's shim) costs half a second a cut.
python=$(python3 -c 'import sys; print(sys.executable)') || qt_die "no python3"
logs=$QT_OUT/powercut
img=$QT_TMP/ovroot.img
src=$QT_TMP/store
ref=$QT_TMP/ref
v1=$src/ovroot/versions/v1
append="root=LABEL=ovstore rw rootflags=noauto_da_alloc,commit=1 ovroot.keywait=0 init_on_free=1"
start=$(date +%s)
mkdir -p "$logs" || qt_die "cannot make $logs"
rm -f "$logs"/*

"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "$init" -o "$img" || qt_die "cannot build the image"

# The texts before and after each write, made by the command itself on the
# host: I the init's try count (3 -> 2), P the promote of v3+v1.
mkdir -p "$ref/ovroot/versions/v1" "$ref/ovroot/versions/v2" "$ref/ovroot/versions/v3"
printf 'root=v1\n' >"$ref/ovroot/boot"
"$cmd" --store "$ref/ovroot" promote v2+v1 --tries 3 >/dev/null || qt_die "promote on the host failed"
cp "$ref/ovroot/boot" "$ref/I-old-boot"
cp "$ref/ovroot/boot.bak" "$ref/I-old-bak"
sed 's/^tries=3$/tries=2/' "$ref/I-old-boot" >"$ref/I-new-boot"
cp "$ref/I-new-boot" "$ref/P-old-boot"
cp "$ref/I-old-boot" "$ref/P-old-bak"
cp "$ref/P-old-boot" "$ref/ovroot/boot"
"$cmd" --store "$ref/ovroot" promote v3+v1 --tries 5 >/dev/null || qt_die "promote on the host failed"
cp "$ref/ovroot/boot" "$ref/P-new-boot"
if ! grep -qx 'tries=2' "$ref/I-new-boot" || ! grep -qx 'root=v3+v1' "$ref/P-new-boot"; then
	qt_die "unexpected promotion files from the host"
fi

# v1: busybox, the command with its libraries, and an init that waits for
# the host, promotes, and then idles without syncing until it is cut.
mkdir -p "$v1/sbin" "$v1/bin" "$v1/usr/sbin" "$src/ovroot/versions/v2" "$src/ovroot/versions/v3"
for d in dev proc sys run tmp; do mkdir -p "$v1/$d"; done
cp /bin/busybox "$v1/bin/busybox" || qt_die "no /bin/busybox (busybox-static)"
cp "$cmd" "$v1/usr/sbin/ovroot"
for lib in $(ldd "$cmd" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
	mkdir -p "$v1${lib%/*}" && cp -L "$lib" "$v1$lib"
done
cat >"$v1/sbin/init" <<'SH'
#!/bin/busybox sh
# ttyS1 is opened before "CUT: up": a line the host sends after it is kept.
exec 3</dev/ttyS1
echo "CUT: up"
read -r go <&3
echo "CUT: promoting"
/usr/sbin/ovroot promote v3+v1 --tries 5
echo "CUT: done, exit status $?"
exec /bin/busybox sleep 1000000
SH
chmod +x "$v1/sbin/init"
cp "$ref/I-old-boot" "$src/ovroot/boot"
cp "$ref/I-old-bak" "$src/ovroot/boot.bak"
qt_mkdisk "$QT_TMP/store.disk" 32 ovstore "$src"

# machine NAME DISK OPTION...: powercut.py with the store DISK; its line in
# $QT_TMP/said and as a comment.
machine()
{
	name=$1 disk=$2
	shift 2
	# shellcheck disable=SC2086
	"$python" "$helper" --log "$logs/$name.log" --qmp "$QT_TMP/qmp" --go "$QT_TMP/go" \
		--pidfile "$QT_TMP/qemu.pid" "$@" -- qemu-system-x86_64 -accel tcg \
		-m 128 -nodefaults -display none -no-reboot \
		-kernel "$(qt_kernel)" -initrd "$img" \
		-append "console=ttyS0 printk.time=1 panic=-1 no_timer_check $append" \
		-drive "file=$disk,if=virtio,format=raw,cache=writethrough" \
		${QT_QEMU_ARGS:-} </dev/null >"$QT_TMP/said" 2>&1 &
	QT_PIDS=$! QT_PIDF=$QT_TMP/qemu.pid
	wait "$QT_PIDS"
	mrc=$?
	QT_PIDS='' QT_PIDF=''
	echo "# $name: $(cat "$QT_TMP/said")"
	return $mrc
}

# state DISK SERIES: old, mid or new, or "bad: WHY".  The journal is
# replayed first (as the next mount does), then e2fsck -fn must be clean.
# mid: boot.bak is new and boot old (between the two renames), or a temp
# file of the write was made durable.
state()
{
	e2fsck -E journal_only -p "$1" >"$QT_TMP/fsck" 2>&1
	[ $? -le 1 ] || { echo "bad: journal replay failed: $(tail -n 1 "$QT_TMP/fsck")"; return; }
	e2fsck -fn "$1" >"$QT_TMP/fsck" 2>&1 ||
		{ echo "bad: e2fsck -fn: $(grep -v '^Pass\|^e2fsck' "$QT_TMP/fsck" | head -n 2 | tr '\n' ' ')"; return; }
	rm -f "$QT_TMP/boot" "$QT_TMP/bak"
	debugfs -R "dump /ovroot/boot $QT_TMP/boot" "$1" >/dev/null 2>&1
	debugfs -R "dump /ovroot/boot.bak $QT_TMP/bak" "$1" >/dev/null 2>&1
	tmp=$(debugfs -R "ls -p /ovroot" "$1" 2>/dev/null | grep -c '/\.boot.*\.tmp/')
	o=$ref/$2-old-boot
	if cmp -s "$QT_TMP/boot" "$o" && cmp -s "$QT_TMP/bak" "$ref/$2-old-bak"; then
		[ "$tmp" -eq 0 ] && echo old || echo "mid (a temp file)"
	elif cmp -s "$QT_TMP/boot" "$o" && cmp -s "$QT_TMP/bak" "$o"; then
		echo "mid (boot.bak new)"
	elif cmp -s "$QT_TMP/boot" "$ref/$2-new-boot" && cmp -s "$QT_TMP/bak" "$o"; then
		echo new
	else
		echo "bad: boot $(what "$QT_TMP/boot"), boot.bak $(what "$QT_TMP/bak")"
	fi
}
what()
{
	if [ ! -e "$1" ]; then echo missing
	elif [ ! -s "$1" ]; then echo empty
	else echo "$(wc -c <"$1") bytes \"$(tr '\n' ' ' <"$1")\""
	fi
}

# cut SERIES NAME OPTION...: one power cut from the series' saved machine,
# its outcome counted.  A cut after the writer said it was done (NAME
# after-*) must find the new files: the write was durable when it said so.
cut()
{
	s=$1 n=$2
	shift 2
	cp --sparse=always "$QT_TMP/$s.disk" "$QT_TMP/cut.disk"
	if ! machine "$s-$n" "$QT_TMP/cut.disk" --restore "$QT_TMP/$s.state" --timeout 30 "$@"; then
		errors=$((errors + 1))
		return
	fi
	st=$(state "$QT_TMP/cut.disk" "$s")
	case $n-$st in
	after-*-old*|after-*-mid*) st="bad: lost, though the writer said it was done ($st)" ;;
	esac
	cuts=$((cuts + 1))
	echo "#   -> $st"
	case $st in
	old) old=$((old + 1)) ;; mid*) mid=$((mid + 1)) ;; new) new=$((new + 1)) ;;
	*) bad=$((bad + 1)); cp "$QT_TMP/cut.disk" "$logs/$s-$n.disk" ;;
	esac
}

# requests LOG FROM TO: "K GAP" for each write request between the console
# lines FROM and TO of an uncut run (.times), GAP the seconds to the next.
requests()
{
	awk -v from="$2" -v to="$3" '
		$2 == "W" { if (on) { k[++n] = $3; t[n] = $1 }; next }
		index($0, to) { if (on) end = $1; on = 0 }
		index($0, from) { on = 1 }
		END { for (i = 1; i <= n; i++)
			printf "%d %.4f\n", k[i], (i < n ? t[i + 1] : end) - t[i] }' "$1.times"
}

# series S FROM TO GO: the cuts of one series; FROM and TO the console lines
# around the write, GO "--send-go" for the promote.
series()
{
	s=$1 from=$2 to=$3 go=${4:-}
	cuts=0 old=0 mid=0 new=0 bad=0 errors=0
	t0=$(date +%s)
	# shellcheck disable=SC2086
	cut "$s" at-start $go --at "$from" --kill 0
	requests "$logs/$s-calibrate.log" "$from" "$to" >"$QT_TMP/requests"
	while read -r k gap; do
		r=0
		while [ "$r" -lt "$rounds" ]; do
			d=$(awk -v g="$gap" -v r="$r" -v n="$rounds" 'BEGIN { printf "%.4f", g * r / n }')
			# shellcheck disable=SC2086
			cut "$s" "w$k-$r" $go --writes "$k" --kill "$d"
			r=$((r + 1))
		done
	done <"$QT_TMP/requests"
	for d in 0.3 1.5 2.5; do
		# shellcheck disable=SC2086
		cut "$s" "after-$d" $go --at "$to" --kill "$d"
	done
	echo "# $s: $cuts cuts in $(($(date +%s) - t0)) s, $(wc -l <"$QT_TMP/requests")" \
		"write requests: old $old, mid $mid, new $new, bad $bad"
	qt_tap "$errors" "$s: every cut ran (QEMU restored, killed at its moment)"
	qt_tap "$bad" "$s: after each of $cuts cuts boot and boot.bak are whole, old or new, e2fsck clean"
	[ "$old" -ge 1 ] && [ "$mid" -ge 1 ] && [ "$new" -ge 1 ]
	qt_tap $? "$s: the cuts fell before, during and after the write (old $old, mid $mid, new $new)"
}

# The first boot, saved at the store's mount (its first write request: the
# superblock), before the init reads the promotion file.
cp --sparse=always "$QT_TMP/store.disk" "$QT_TMP/I.disk"
machine first "$QT_TMP/I.disk" --writes 1 --save "$QT_TMP/I.state"
qt_tap $? "first boot: saved at the store's mount"
! grep -q 'ovroot: booting' "$logs/first.log" && grep -q '^powercut: .* after 1 writes' "$QT_TMP/said"
qt_tap $? "first boot: saved before the init wrote anything"

# Uncut from there to the promote, saved: the init's write, measured.
cp --sparse=always "$QT_TMP/I.disk" "$QT_TMP/P.disk"
machine I-calibrate "$QT_TMP/P.disk" --restore "$QT_TMP/I.state" --at "CUT: up" \
	--save "$QT_TMP/P.state" || qt_die "the uncut boot did not reach the promote"
n=$(requests "$logs/I-calibrate.log" "ovroot: booting" "ovroot: unconfirmed" | wc -l)
[ "$n" -ge 1 ]
qt_tap $? "I: the try count reached the disk before the init said it was done ($n write requests)"
cp --sparse=always "$QT_TMP/P.disk" "$QT_TMP/check.disk"
[ "$(state "$QT_TMP/check.disk" I)" = new ]
qt_tap $? "I: uncut, boot says tries=2 and boot.bak has the old file"

# Uncut promote, killed 0.3 s after it said it was done: the promote's write, measured.
cp --sparse=always "$QT_TMP/P.disk" "$QT_TMP/check.disk"
machine P-calibrate "$QT_TMP/check.disk" --restore "$QT_TMP/P.state" --send-go \
	--at "CUT: done" --kill 0.3 || qt_die "the uncut promote did not end"
grep -q 'CUT: done, exit status 0' "$logs/P-calibrate.log"
qt_tap $? "P: the promote in the guest succeeded"
n=$(requests "$logs/P-calibrate.log" "CUT: promoting" "CUT: done" | wc -l)
[ "$n" -ge 1 ]
qt_tap $? "P: the promote reached the disk before it said it was done ($n write requests)"
[ "$(state "$QT_TMP/check.disk" P)" = new ]
qt_tap $? "P: uncut, boot says root=v3+v1 tries=5 and boot.bak has the old file"

series I "ovroot: booting" "ovroot: unconfirmed"
total=$cuts all_mid=$mid
series P "CUT: promoting" "CUT: done" --send-go
total=$((total + cuts)) all_mid=$((all_mid + mid))
echo "# $total power cuts, $all_mid of them left a write half done; $(($(date +%s) - start)) s in all"
qt_done
