# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU test harness, sourced by qemu-tests/test-*.sh (run from any directory
# with sh).  It builds disks, boots the test kernel under TCG with a hard
# timeout and checks the serial log, printing TAP.  See qemu-tests/README.md.
#
# Environment (all optional):
#   QT_TIMEOUT=60   seconds before a boot is killed and counted as failed
#   QT_MEM=256      guest memory in MiB
#   QT_HOLD_ESC=1   hold Esc from "Run /init" until QEMU exits (via QMP)
#   QT_PLUG_KBD="TEXT|DELAY"  with QT_HOLD_ESC: DELAY s after TEXT is in the
#                   serial log, plug a USB keyboard (on -device qemu-xhci,id=xhci)
#                   and only then hold Esc
#   QT_REBOOT=1     no -no-reboot, no panic=-1: a reset or a panic reboots the
#                   guest in the same run, until it powers off or times out
#   QT_QEMU_ARGS    extra QEMU arguments (split on blanks)
#   QT_HOLD_KEY=m   with QT_HOLD_ESC: the key to hold instead of Esc (a QEMU qcode)
#   QT_PRESS="TEXT|KEY..."  with QT_HOLD_ESC: once TEXT is in the serial log,
#                   stop holding and press each KEY once (qcodes: down ret)
#   QT_SERIAL_SOCKET=PATH  ttyS0 is also a unix socket at PATH to type into
#   QT_OUT          log directory (default build/qemu/logs)
#   QT_KEEP=1       keep $QT_TMP (disks made by the test) after the run
#   QT_ARCH         x86_64 (default), i386, armhf or arm64: the guest's
#                   kernel, QEMU machine, console and programs (qt_machine)
# A test must not set its own EXIT trap: the harness's kills QEMU.

QT_TOP=${QT_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
QT_OUT=${QT_OUT:-$QT_TOP/build/qemu/logs}
QT_N=0
QT_FAILED=0
QT_PIDS=
QT_PIDF=

# qt_die MSG: stops the test (on stderr: works inside $(...) as well, where
# only the subshell ends, so callers there add "|| exit 1").
qt_die()
{
	echo "Bail out! $*" >&2
	exit 1
}

# qt_machine: for $QT_ARCH, QT_QEMU (QEMU and its machine), QT_CONSOLE, QT_B
# (the build directory of the guest programs), QT_KLINK (the kernel) and
# QT_KARGS (more kernel arguments).  "virt" has no PS/2 keyboard: a virtio one
# (virtio_input) takes Esc there.  The crypto self-tests take 2 to 6 s of a
# TCG boot on the other arches (isapnp's probe 2 s more on i386): skipped.
qt_machine()
{
	QT_KARGS="cryptomgr.notests"
	[ "${QT_ARCH:-x86_64}" != i386 ] || QT_KARGS="$QT_KARGS noisapnp"
	case ${QT_ARCH:-x86_64} in
	x86_64) QT_QEMU=qemu-system-x86_64 QT_CONSOLE=ttyS0 QT_B=build QT_KLINK=current QT_KARGS= ;;
	i386) QT_QEMU="qemu-system-i386 -M pc" QT_CONSOLE=ttyS0 ;;
	armhf) QT_QEMU="qemu-system-arm -M virt,highmem=off -cpu cortex-a15 -device virtio-keyboard-pci"
	       QT_CONSOLE=ttyAMA0 ;;
	arm64) QT_QEMU="qemu-system-aarch64 -M virt -cpu cortex-a57 -device virtio-keyboard-pci"
	       QT_CONSOLE=ttyAMA0 ;;
	*) qt_die "QT_ARCH=$QT_ARCH: x86_64, i386, armhf or arm64" ;;
	esac
	[ "${QT_ARCH:-x86_64}" = x86_64 ] || QT_B=build-$QT_ARCH QT_KLINK=current-$QT_ARCH
}
qt_machine
[ -e "$QT_TOP/.cache/kernel/$QT_KLINK/vmlinuz" ] ||
	qt_die "no test kernel in $QT_TOP/.cache/kernel/$QT_KLINK: run make deps"
mkdir -p "$QT_OUT" || qt_die "cannot make $QT_OUT"
QT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ovroot-qt.XXXXXX") || qt_die "no temp dir"

qt_cleanup()
{
	# QEMU by its pidfile (only while a boot runs), then timeout, helper.
	[ -n "$QT_PIDF" ] && [ -s "$QT_PIDF" ] && kill "$(cat "$QT_PIDF")" 2>/dev/null
	for p in $QT_PIDS; do
		kill "$p" 2>/dev/null
	done
	QT_PIDS='' QT_PIDF=''
	[ -n "${QT_KEEP:-}" ] || rm -rf "$QT_TMP"
}
trap qt_cleanup EXIT
trap 'qt_cleanup; trap - EXIT; exit 130' INT TERM HUP

qt_kdir() { qt_machine; echo "$QT_TOP/.cache/kernel/$QT_KLINK"; }

qt_kernel() { echo "$(qt_kdir)/vmlinuz"; }
qt_kver() { set -- "$(qt_kdir)"/lib/modules/*; echo "${1##*/}"; }
qt_moddir() { echo "$(qt_kdir)/lib/modules/$(qt_kver)"; }

# qt_guest NAME: path of build/qemu/NAME (probe, floor), built if needed
# (build-$QT_ARCH/qemu/NAME for another arch).
qt_guest()
{
	qt_machine
	make -s -C "$QT_TOP" ARCH="${QT_ARCH:-x86_64}" "$QT_B/qemu/$1" >&2 ||
		qt_die "cannot build $1"
	echo "$QT_TOP/$QT_B/qemu/$1"
}

# qt_mkdisk OUT SIZE_MB LABEL SRC_DIR [UUID]: ext4 image of SRC_DIR, no mount.
qt_mkdisk()
{
	rm -f "$1"
	if ! truncate -s "$2M" "$1" ||
	   ! mkfs.ext4 -q -F -L "$3" ${5:+-U "$5"} -E root_owner=0:0 -d "$4" "$1"
	then
		qt_die "mkfs.ext4 $1 failed"
	fi
}

# qt_serial LOG: the serial port ttyS0, logged to LOG; with QT_SERIAL_SOCKET
# also a socket a test can type into (a person on a serial line).
qt_serial()
{
	if [ -n "${QT_SERIAL_SOCKET:-}" ]; then
		echo "-chardev socket,id=ser0,path=$QT_SERIAL_SOCKET,server=on,wait=off,logfile=$1"
		echo "-serial chardev:ser0"
	else
		echo "-serial file:$1"
	fi
}

# qt_boot NAME INITRD APPEND [DISK...]: boots, serial log in $QT_OUT/NAME.log.
# A DISK may carry more -drive options: "x.img,readonly=on".  Returns 0 only
# when the guest powered itself off ("reboot: Power down") in time.  With
# QT_REBOOT=1 a guest that resets or panics boots again in the same run (one
# log; qt_split_boots cuts it), within the same QT_TIMEOUT for all its boots.
# INITRD "-": no -kernel, -initrd, -append; a bootloader (QT_QEMU_ARGS="-bios
# ...") loads them from the disk.
qt_boot()
{
	name=$1 initrd=$2 append=$3
	noreboot=-no-reboot panicarg=panic=-1
	[ -z "${QT_REBOOT:-}" ] || noreboot='' panicarg=''
	log=$QT_OUT/$name.log
	pidf=$QT_TMP/$name.pid
	sock=$QT_TMP/$name.qmp
	shift 3
	for d; do
		set -- "$@" -drive "file=$d,if=virtio,format=raw"
		shift
	done
	rm -f "$log" "$pidf" "$sock" "$QT_OUT/$name.qmp.log"
	t0=$(date +%s.%N)
	qt_machine
	k=1 && [ "$initrd" != - ] || k=
	# shellcheck disable=SC2086
	timeout -k 5 "${QT_TIMEOUT:-60}" $QT_QEMU -accel tcg \
		-m "${QT_MEM:-256}" -nodefaults -display none $noreboot \
		$(qt_serial "$log") -pidfile "$pidf" \
		-qmp "unix:$sock,server=on,wait=off" \
		${k:+-kernel "$(qt_kernel)" -initrd "$initrd"} \
		${k:+-append "console=$QT_CONSOLE printk.time=1${panicarg:+ $panicarg} no_timer_check${QT_KARGS:+ $QT_KARGS} $append"} \
		"$@" ${QT_QEMU_ARGS:-} </dev/null >"$QT_OUT/$name.qemu" 2>&1 &
	qpid=$!
	QT_PIDS="$qpid" QT_PIDF=$pidf
	hpid=
	if [ -n "${QT_HOLD_ESC:-}" ]; then
		timeout "$((${QT_TIMEOUT:-60} + 10))" python3 \
			"$QT_TOP/qemu-tests/qmp-hold-key.py" "$sock" "$log" \
			${QT_PLUG_KBD:+"${QT_PLUG_KBD%|*}" "${QT_PLUG_KBD#*|}"} \
			${QT_PRESS:+press "${QT_PRESS%%|*}" ${QT_PRESS#*|}} \
			>"$QT_OUT/$name.qmp.log" 2>&1 &
		hpid=$!
		QT_PIDS="$qpid $hpid"
	fi
	wait "$qpid"
	rc=$?
	[ -z "$hpid" ] || wait "$hpid"
	QT_PIDS='' QT_PIDF=''
	# The serial log has CRLF line ends; keep plain lines.
	[ -f "$log" ] && tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	boots=
	[ -z "${QT_REBOOT:-}" ] || boots=", $(qt_split_boots "$name") boots"
	secs=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "# $name: timed out after ${QT_TIMEOUT:-60} s$boots, killed"
		return 1
	elif [ "$rc" -ne 0 ]; then
		echo "# $name: qemu exit status $rc: $(tail -n 3 "$QT_OUT/$name.qemu")"
		return 1
	fi
	echo "# $name: $secs s on the host$boots$(qt_boot_time "$name")"
	grep -q 'reboot: Power down' "$log" ||
		{ echo "# $name: the guest did not power off"; return 1; }
}

# qt_split_boots NAME: cuts NAME.log into NAME.1.log, NAME.2.log, ... at each
# kernel banner ("Linux version"), so that qt_expect NAME.2 ... looks at the
# second boot of a QT_REBOOT run; prints how many boots there were.
qt_split_boots()
{
	rm -f "$QT_OUT/$1".[0-9]*.log
	[ -s "$QT_OUT/$1.log" ] || { echo 0; return; }
	awk -v out="$QT_OUT/$1" '
	     /Linux version [0-9]/ { if (seen++) { close(f); n++ } }
	     { f = out "." n ".log"; print > f }
	     END { print n }' n=1 "$QT_OUT/$1.log"
}

# qt_boot_time NAME: ", init at A s, probe at B s (+C s)" from the log.
qt_boot_time()
{
	awk '/Run \/init as init process/ { gsub(/[][]/, " "); i = $1 }
	     /\] probe: started/ { gsub(/[][]/, " "); p = $1 }
	     END { if (i != "") printf ", init at %.2f s", i
		   if (i != "" && p != "")
			printf ", probe at %.2f s (+%.2f s)", p, p - i }' \
		"$QT_OUT/$1.log"
}

# qt_tap RC DESC: "ok N - DESC" when RC is 0, else "not ok N - DESC".
qt_tap()
{
	QT_N=$((QT_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $QT_N - $2"
		return 0
	fi
	echo "not ok $QT_N - $2"
	QT_FAILED=$((QT_FAILED + 1))
	return 1
}

qt_tail()
{
	echo "# last lines of $QT_OUT/$1.log:"
	tail -n 30 "$QT_OUT/$1.log" 2>/dev/null | sed 's/^/#   /'
}

# qt_expect NAME STRING DESC: the log of NAME has a line containing STRING
# (a fixed string, so "root=v3+v2" means what it says).  qt_expect_line
# wants a line that is exactly STRING; qt_expect_re takes an extended
# regular expression; qt_expect_not wants no line containing STRING.
qt_expect()
{
	grep -qF -e "$2" "$QT_OUT/$1.log" 2>/dev/null
	qt_tap $? "$3" || qt_tail "$1"
}

qt_expect_line()
{
	grep -qxF -e "$2" "$QT_OUT/$1.log" 2>/dev/null
	qt_tap $? "$3" || { echo "# wanted the line: $2"; qt_tail "$1"; }
}

qt_expect_re()
{
	grep -qE -e "$2" "$QT_OUT/$1.log" 2>/dev/null
	qt_tap $? "$3" || qt_tail "$1"
}

qt_expect_not()
{
	[ -f "$QT_OUT/$1.log" ] && ! grep -qF -e "$2" "$QT_OUT/$1.log"
	qt_tap $? "$3" || qt_tail "$1"
}

qt_no_panic()
{
	qt_expect_not "$1" "Kernel panic" "$1: no kernel panic"
}

# qt_done: prints the plan; exit status 1 when a test failed.
qt_done()
{
	echo "1..$QT_N"
	[ "$QT_FAILED" -eq 0 ]
}
