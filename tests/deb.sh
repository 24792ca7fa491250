#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package: `make deb` builds it (debian/, dpkg-buildpackage in a
# copy of the tree under build/deb/), and its file list (dpkg-deb -c) holds
# every program, both inits, the man pages and the hooks; it leaves nothing
# in the checkout's parent.  lintian finds no error.  A machine without
# dpkg-buildpackage skips it (counted).  TAP; mounts nothing.
#   sh tests/deb.sh
tap_host=1
. "$PWD/tests/tap.sh"
if ! command -v dpkg-buildpackage >/dev/null; then
	skip "dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)"
	tap_done
	exit
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
TAP_LOG=$t/log
ver=$(sed -n 's/^VERSION := //p' Makefile)
parent=$(ls -a .. | sort)
status=$(git status --porcelain 2>&1)

check "make deb builds the package" 'make -s deb >"$TAP_LOG" 2>&1'
deb=$(tail -n 1 "$TAP_LOG")
check "make deb prints the .deb under build/deb/" \
	'case $deb in "$PWD"/build/deb/ovroot_*.deb) [ -f "$deb" ] ;; *) false ;; esac'
check "the package's version is the Makefile's ($ver)" \
	'is "$(dpkg-deb -f "$deb" Version 2>&1)" "$ver"'
check "nothing was left in the checkout's parent" 'is "$(ls -a .. | sort)" "$parent"'
check "the checkout's git status is unchanged" 'is "$(git status --porcelain 2>&1)" "$status"'
check "no copy of the tree is left in build/deb/" '! ls -d build/deb/ovroot-*/ 2>/dev/null'

dpkg-deb -c "$deb" >"$t/long" 2>&1
awk '{ print substr($1, 1, 1) $NF }' "$t/long" >"$t/list"
TAP_LOG=$t/list
for f in -./usr/sbin/ovroot -./usr/sbin/ovroot-mkinitramfs \
	-./usr/lib/ovroot/ovroot-init -./usr/lib/ovroot/ovroot-init-tiny \
	-./usr/share/man/man8/ovroot.8.gz -./usr/share/man/man8/ovroot-init.8.gz \
	-./usr/share/man/man8/ovroot-mkinitramfs.8.gz -./usr/share/man/man5/ovroot-boot.5.gz \
	-./usr/share/man/man7/ovroot-cmdline.7.gz \
	-./etc/kernel/postinst.d/ovroot -./etc/kernel/postrm.d/ovroot -./etc/ovroot/mkinitramfs.conf \
	-./usr/share/initramfs-tools/hooks/ovroot \
	-./usr/share/initramfs-tools/scripts/local-bottom/ovroot \
	-./usr/lib/dracut/modules.d/90ovroot/module-setup.sh \
	-./usr/lib/dracut/modules.d/90ovroot/ovroot-mount.sh \
	-./usr/lib/systemd/system/ovroot-mark-good.service; do
	check "the package holds ${f#-.}" grep -qx -- "$f" "$t/list"
done
check "nothing under /usr/local" '! grep -q "/usr/local" "$t/list"'
# executable PATH...: each is mode 0755 in the package.
executable() {
	for p; do
		grep -q "^-rwxr-xr-x .* \.$p\$" "$t/long" || { echo "# $p: not 0755"; return 1; }
	done
}
check "the inits and the hooks are executable" executable /usr/lib/ovroot/ovroot-init \
	/usr/lib/ovroot/ovroot-init-tiny /etc/kernel/postinst.d/ovroot /etc/kernel/postrm.d/ovroot \
	/usr/share/initramfs-tools/hooks/ovroot /usr/share/initramfs-tools/scripts/local-bottom/ovroot \
	/usr/lib/dracut/modules.d/90ovroot/module-setup.sh \
	/usr/lib/dracut/modules.d/90ovroot/ovroot-mount.sh
dpkg-deb -e "$deb" "$t/control"
mkdir "$t/x"
dpkg-deb -x "$deb" "$t/x"
check "the mark-good unit is not enabled by the package" \
	'! grep -qs "enable\|start" "$t/control/postinst"'
check "the unit runs the packaged command" \
	'grep -qx "ExecStart=/usr/sbin/ovroot mark-good" "$t/x/usr/lib/systemd/system/ovroot-mark-good.service"'
check "the files in /etc are conffiles" \
	'grep -qx /etc/kernel/postinst.d/ovroot "$t/control/conffiles" &&
	 grep -qx /etc/ovroot/mkinitramfs.conf "$t/control/conffiles"'

check "the packaged ovroot-mkinitramfs takes its init from /usr/lib/ovroot" \
	'"$t/x/usr/sbin/ovroot-mkinitramfs" --help | grep -q "else /usr/lib/ovroot)"'
if command -v lintian >/dev/null; then
	TAP_LOG=$t/lintian
	check "lintian finds no error" \
		'lintian "$deb" >"$TAP_LOG" 2>&1; ! grep -q "^E:" "$TAP_LOG"'
else
	skip "lintian is missing"
fi
tap_done
