#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core boot scenarios on every architecture but the host's (i386, armhf,
# arm64), each with both init flavours, cross-built (make ARCH=...) and booted
# with that arch's Debian kernel on its QEMU machine (qt_machine in lib.sh)
# in the least memory ovroot is made for: 64 MiB on armhf and arm64, 40 MiB
# on i386 (docs/hardware.md).  Per arch and flavour: a promoted two-layer
# stack whose try is counted, Esc held (QMP), the spent try falling back by
# itself, a squashfs and an erofs layer in one stack, no store device; the
# update cycle with the cross-built ovroot command in the guest; arm64 and
# armhf booted by U-Boot from the store disk with an extlinux.conf, and
# arm64 by a boot script's bootm with the image of ovroot-mkinitramfs
# --uboot-header.  First the cross-built programs say their version under
# qemu-user.
#
# Each (arch, flavour) is a job of its own (sh test-arch.sh --one ARCH
# FLAVOUR, its own TAP); QT_JOBS of them (default 2, one per core) boot at
# once, and their TAP is renumbered into this one.
#   sh qemu-tests/test-arch.sh
#   QT_ARCHES=arm64 QT_FLAVOURS=tiny sh qemu-tests/test-arch.sh
if [ "${1:-}" = --one ]; then
	QT_ARCH=$2 flavour=$3
	. "$(dirname "$0")/lib.sh"
	case $QT_ARCH in i386) QT_MEM=${QT_MEM:-40} ;; *) QT_MEM=${QT_MEM:-64} ;; esac
	QT_TIMEOUT=${QT_TIMEOUT:-120}
	export QT_MEM QT_TIMEOUT
	if [ "$flavour" = tiny ]; then
		INIT=$QT_TOP/build-$QT_ARCH/init/ovroot-init-tiny
		ROOT="root=/dev/vda rootfstype=ext4"
	else
		INIT=$QT_TOP/build-$QT_ARCH/init/ovroot-init
	fi
	. "$(dirname "$0")/stores.sh"
	n=$QT_ARCH-$flavour

	# a promoted stack with one try, counted; Esc held; the try spent
	store s1 'root=v2+v1\nfallback=v1\ntries=1\n'
	boot "$n-promoted" s1 ""
	qt_expect "$n-promoted" "PROBE: file id=v2" "$n-promoted: v2 over v1 in $QT_MEM MiB"
	qt_expect "$n-promoted" "PROBE: file base=only-in-v1" "$n-promoted: a file only in v1 shows"
	qt_expect "$n-promoted" "PROBE: booted reason=promoted" "$n-promoted: reason recorded"
	qt_expect "$n-promoted" "PROBE: rootfs writable" "$n-promoted: tmpfs upper is writable"
	in_store s1 boot | grep -qx "tries=0"
	qt_tap $? "$n-promoted: the store now says tries=0"
	QT_HOLD_ESC=1 boot "$n-key" s1 ""
	qt_expect "$n-key" "ovroot: rollback key held" "$n-key: the held key is seen"
	qt_expect "$n-key" "PROBE: booted reason=key" "$n-key: reason key"
	qt_expect "$n-key" "PROBE: file id=v1" "$n-key: the fallback v1 boots"
	boot "$n-spent" s1 ""
	qt_expect "$n-spent" "PROBE: booted reason=tries-exhausted" "$n-spent: fell back by itself"
	qt_expect "$n-spent" "PROBE: file id=v1" "$n-spent: v1 boots"

	# image layers: erofs over squashfs over a directory
	store s2 'root=v4+v3+v1\n'
	boot "$n-images" s2 ""
	qt_expect "$n-images" "PROBE: file id=v4" "$n-images: the erofs layer is on top"
	qt_expect "$n-images" "PROBE: file base=only-in-v1" "$n-images: v1 at the bottom"
	qt_expect_re "$n-images" "^PROBE: mnt .* - squashfs " "$n-images: a squashfs layer is mounted"
	qt_expect_re "$n-images" "^PROBE: mnt .* - erofs " "$n-images: an erofs layer is mounted"

	# no store device at all
	qt_boot "$n-nostore" "$img" "root=/dev/vda rootdelay=1 ovroot.fatal=halt"
	qt_tap $? "$n-nostore: powered off by ovroot.fatal=halt"
	qt_expect "$n-nostore" "did not appear within 1 s" "$n-nostore: says what is missing"
	qt_no_panic "$n-nostore"

	# The update cycle with the cross-built ovroot command in the booted
	# system (the probe runs /etc/ovroot-test/run, a busybox script):
	# promote v3+v1 with one try, then the try boots it and mark-good
	# confirms it.  The command is dynamic: v1 gets the loader and the
	# libraries from the cross libc and the sysroot.  The tiny jobs do it
	# (the command does not care which init booted it).
	if [ "$flavour" = tiny ]; then
		sr=$QT_TOP/.cache/sysroot/$QT_ARCH
		case $QT_ARCH in
		i386) gnu=i686-linux-gnu multi=i386-linux-gnu ld=ld-linux.so.2 ;;
		armhf) gnu=arm-linux-gnueabihf multi=arm-linux-gnueabihf ld=ld-linux-armhf.so.3 ;;
		arm64) gnu=aarch64-linux-gnu multi=aarch64-linux-gnu ld=ld-linux-aarch64.so.1 ;;
		esac
		rm -rf "$QT_TMP/up"
		cp -a "$base" "$QT_TMP/up"
		v1=$QT_TMP/up/ovroot/versions/v1
		mkdir -p "$v1/bin" "$v1/usr/sbin" "$v1/lib/$multi"
		cp "$sr/bin/busybox" "$v1/bin/busybox"
		cp "$QT_TOP/build-$QT_ARCH/command/ovroot" "$v1/usr/sbin/ovroot"
		cp -L "/usr/$gnu/lib/$ld" "$v1/lib/$ld"
		cp -L "/usr/$gnu/lib/libc.so.6" "$v1/lib/$multi/"
		for l in libmount.so.1 libblkid.so.1 libselinux.so.1 libpcre2-8.so.0 libmd.so.0 \
			libzstd.so.1 liblzma.so.5 libz.so.1; do
			cp -L "$sr/usr/lib/$multi/$l" "$v1/lib/$multi/" 2>/dev/null ||
				cp -L "$sr/lib/$multi/$l" "$v1/lib/$multi/" || qt_die "no $l in $sr"
		done
		cat >"$v1/etc/ovroot-test/run" <<-'EOF'
		#!/bin/busybox sh
		case $(/bin/busybox cat /proc/cmdline) in
		*cycle=promote*) /usr/sbin/ovroot promote v3+v1 --tries 1 ;;
		*cycle=good*) /usr/sbin/ovroot mark-good ;;
		esac
		/usr/sbin/ovroot status | /bin/busybox sed 's/^/STATUS: /'
		EOF
		chmod +x "$v1/etc/ovroot-test/run"
		printf 'root=v2+v1\n' >"$QT_TMP/up/ovroot/boot"
		qt_mkdisk "$QT_TMP/up.disk" 64 ovstore "$QT_TMP/up"
		rm -rf "$QT_TMP/up"
		boot "$n-update" up "cycle=promote"
		qt_expect "$n-update" "PROBE: file id=v2" "$n-update: the command runs on v2"
		in_store up boot | grep -qx 'root=v3+v1' && in_store up boot | grep -qx 'tries=1'
		qt_tap $? "$n-update: ovroot promote wrote root=v3+v1, tries=1"
		boot "$n-good" up "cycle=good"
		qt_expect "$n-good" "PROBE: file id=v3" "$n-good: the promoted v3 boots"
		in_store up boot | grep -qx 'good=v3+v1' && ! in_store up boot | grep -q '^tries='
		qt_tap $? "$n-good: ovroot mark-good confirmed v3+v1"
		qt_expect_re "$n-good" "^STATUS: .*v3\+v1" "$n-good: ovroot status shows v3+v1"
	fi

	# arm64 and armhf through a bootloader, as boards boot: Debian's
	# U-Boot for QEMU (u-boot-qemu) scans the disk's first partition, the
	# store, for /extlinux/extlinux.conf and loads the kernel and the image
	# it names, or else for /boot/boot.scr.  Its ramdisk address is 64 MiB
	# into RAM: these boots run in 128 MiB.
	if [ "$flavour" = full ] && [ "$QT_ARCH" != i386 ]; then
		case $QT_ARCH in
		armhf) ub=/usr/lib/u-boot/qemu_arm/u-boot.bin ;;
		arm64) ub=/usr/lib/u-boot/qemu_arm64/u-boot.bin ;;
		esac
		[ -f "$ub" ] || qt_die "no $ub: install u-boot-qemu (make deps)"
		kargs="console=$QT_CONSOLE printk.time=1 panic=-1 $QT_KARGS root=PARTLABEL=ovstore"

		# ub_tree NAME: a store with v2 over v1 and the kernel in boot/
		ub_tree() {
			rm -rf "$QT_TMP/$1"
			cp -a "$base" "$QT_TMP/$1"
			printf 'root=v2+v1\n' >"$QT_TMP/$1/ovroot/boot"
			mkdir -p "$QT_TMP/$1/boot"
			cp "$(qt_kernel)" "$QT_TMP/$1/boot/vmlinuz"
		}
		# ub_disk NAME: the tree as GPT partition 1 "ovstore" of NAME.disk
		ub_disk() {
			qt_mkdisk "$QT_TMP/$1.part" 96 ovstore "$QT_TMP/$1"
			rm -rf "$QT_TMP/${1:?}"
			truncate -s 100M "$QT_TMP/$1.disk"
			printf 'label: gpt\nstart=2048, size=196608, name=ovstore\n' |
				sfdisk -q "$QT_TMP/$1.disk" >/dev/null || qt_die "sfdisk failed"
			dd if="$QT_TMP/$1.part" of="$QT_TMP/$1.disk" bs=1M seek=1 conv=notrunc status=none
			rm -f "$QT_TMP/$1.part"
		}
		# ub_boot NAME DISK: U-Boot boots DISK.disk; the store is found
		# by PARTLABEL= and v2 over v1 boots
		ub_boot() {
			QT_MEM=128 QT_QEMU_ARGS="-bios $ub" qt_boot "$1" - "" "$QT_TMP/$2.disk"
			qt_tap $? "$1: U-Boot booted it, powered off by itself"
			qt_expect "$1" "PROBE: file id=v2" "$1: v2 over v1"
			qt_expect "$1" "PROBE: booted store=/dev/vda1" "$1: the store by PARTLABEL= on the partition"
			qt_no_panic "$1"
		}

		# extlinux.conf: the raw image, its size passed by U-Boot
		ub_tree ub
		cp "$img" "$QT_TMP/ub/boot/ovroot.img"
		mkdir -p "$QT_TMP/ub/extlinux"
		cat >"$QT_TMP/ub/extlinux/extlinux.conf" <<-EOF
		default ovroot
		label ovroot
		    kernel /boot/vmlinuz
		    initrd /boot/ovroot.img
		    append $kargs
		EOF
		ub_disk ub
		ub_boot "$n-uboot" ub
		qt_expect "$n-uboot" "Found /extlinux/extlinux.conf" "$n-uboot: U-Boot found extlinux.conf on the store"

		# bootm: the kernel in a legacy uImage, the image with the header
		# of ovroot-mkinitramfs --uboot-header, from a boot script.  The
		# kernel is moved to kernel_addr_r (2 MiB aligned, 32 MiB) from
		# above it; the image stays where it was loaded.
		if [ "$QT_ARCH" = arm64 ]; then
			ub_tree ubm
			"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" \
				-m "$(qt_moddir)" --init "$INIT" --uboot-header \
				-o "$QT_TMP/ubm/boot/ovroot.uimg" 2>/dev/null ||
				qt_die "cannot build the image with --uboot-header"
			mkimage -A arm64 -O linux -T kernel -C none -a 0x40400000 \
				-e 0x40400000 -n linux -d "$QT_TMP/ubm/boot/vmlinuz" \
				"$QT_TMP/ubm/boot/uImage" >/dev/null || qt_die "mkimage failed"
			rm "$QT_TMP/ubm/boot/vmlinuz"
			cat >"$QT_TMP/ubm.cmd" <<-EOF
			load \${devtype} \${devnum}:\${distro_bootpart} 0x42600000 /boot/uImage
			load \${devtype} \${devnum}:\${distro_bootpart} 0x44600000 /boot/ovroot.uimg
			setenv bootargs $kargs
			bootm 0x42600000 0x44600000 \${fdtcontroladdr}
			EOF
			mkimage -A arm64 -O linux -T script -C none -n boot \
				-d "$QT_TMP/ubm.cmd" "$QT_TMP/ubm/boot/boot.scr" >/dev/null ||
				qt_die "mkimage failed"
			ub_disk ubm
			ub_boot "$n-uboot-bootm" ubm
			qt_expect "$n-uboot-bootm" "Found U-Boot script /boot/boot.scr" \
				"$n-uboot-bootm: U-Boot ran boot.scr from the store"
			qt_expect "$n-uboot-bootm" "Loading init Ramdisk from Legacy Image at 44600000" \
				"$n-uboot-bootm: bootm took the image with ovroot's header"
			qt_expect "$n-uboot-bootm" "Image Name:   ovroot $(qt_kver)" \
				"$n-uboot-bootm: U-Boot read the header's name"
		fi
	fi
	qt_done
	exit
fi

. "$(dirname "$0")/lib.sh"
arches=${QT_ARCHES:-i386 armhf arm64}
flavours=${QT_FLAVOURS:-full tiny}

# Everything built once, before the jobs: the host's image builder and each
# arch's programs.
make -s -C "$QT_TOP" ARCH=x86_64 build/mkinitramfs/ovroot-mkinitramfs >&2 ||
	qt_die "cannot build ovroot-mkinitramfs"
for a in $arches; do
	make -s -C "$QT_TOP" ARCH="$a" all >&2 || qt_die "cannot build ARCH=$a"
done

# The cross-built programs run under qemu-user (the dynamic ovroot with the
# sysroot's libraries and the cross libc's loader).
for a in $arches; do
	case $a in
	i386) q=qemu-i386 gnu=i686-linux-gnu multi=i386-linux-gnu ;;
	armhf) q=qemu-arm gnu=arm-linux-gnueabihf multi=arm-linux-gnueabihf ;;
	arm64) q=qemu-aarch64 gnu=aarch64-linux-gnu multi=aarch64-linux-gnu ;;
	*) qt_die "unknown arch $a" ;;
	esac
	b=$QT_TOP/build-$a s=$QT_TOP/.cache/sysroot/$a
	"$q" "$b/init/ovroot-init" --version 2>&1 | grep -q "^ovroot-init .*, full (libblkid)$"
	qt_tap $? "$a: ovroot-init --version under $q"
	"$q" "$b/init/ovroot-init-tiny" --version 2>&1 | grep -q "^ovroot-init .*, tiny (sysfs)$"
	qt_tap $? "$a: ovroot-init-tiny --version under $q"
	QEMU_LD_PREFIX=/usr/$gnu LD_LIBRARY_PATH=$s/usr/lib/$multi:$s/lib/$multi \
		"$q" "$b/command/ovroot" --version 2>&1 | grep -q "^ovroot "
	qt_tap $? "$a: the dynamic ovroot command --version under $q"
done

# The jobs, QT_JOBS at a time; their TAP renumbered into ours.
jobs=
for a in $arches; do
	for f in $flavours; do
		jobs="$jobs $a-$f"
	done
done
retap() {	# FILE RC
	while IFS= read -r line; do
		case $line in
		"ok "*) qt_tap 0 "$(echo "$line" | sed 's/^ok [0-9]* - //')" ;;
		"not ok "*) qt_tap 1 "$(echo "$line" | sed 's/^not ok [0-9]* - //')" ;;
		1..*) ;;
		*) echo "$line" ;;
		esac
	done <"$1"
	# a job that stopped without a failed test (a bail-out) still fails
	if [ "$2" -ne 0 ] && ! grep -q '^not ok ' "$1"; then
		qt_tap 1 "${1##*/}: the job exited with status $2"
	fi
}
# shellcheck disable=SC2086
set -- $jobs
while [ $# -gt 0 ]; do
	batch=
	while [ $# -gt 0 ] && [ "$(echo $batch | wc -w)" -lt "${QT_JOBS:-2}" ]; do
		sh "$0" --one "${1%-*}" "${1##*-}" >"$QT_TMP/$1.tap" 2>&1 &
		echo "$!" >"$QT_TMP/$1.pid"
		QT_PIDS="$QT_PIDS $!" batch="$batch $1"
		shift
	done
	for j in $batch; do
		wait "$(cat "$QT_TMP/$j.pid")"
		echo "$?" >"$QT_TMP/$j.rc"
	done
	QT_PIDS=
	for j in $batch; do
		echo "# $j"
		retap "$QT_TMP/$j.tap" "$(cat "$QT_TMP/$j.rc")"
	done
done
qt_done
