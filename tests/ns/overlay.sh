#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Layer assembly in a private mount namespace (tests/run-all --ns runs it as
# `unshare -m --propagation private sh tests/ns/overlay.sh`): a fake store on
# a tmpfs with directory, squashfs and erofs layers, assembled by
# build/tests/ns-overlay.  Prints TAP.
set -u
top=$(pwd)
drv=${OVROOT_NS_OVERLAY:-$top/build/tests/ns-overlay}
. "$top/tests/tap.sh"
need "$drv" build/tests/ns-overlay

T=$(mktemp -d)
mount -t tmpfs ovtest "$T" || exit 1
cleanup() { cd /; umount -R "$T" 2>/dev/null; rmdir "$T"; }
trap cleanup EXIT
O=$T/store/ovroot
V=$O/versions
mkdir -p "$V" "$T/src" "$T/outside"

# v1: a directory; v2: squashfs over it, deleting "gone"; v3: erofs on top.
mkdir -p "$V/v1/dir" "$T/src/v2" "$T/src/v3" "$V/v1b"
echo v1 >"$V/v1/a"; echo v1 >"$V/v1/b"; echo v1 >"$V/v1/gone"
echo v1 >"$V/v1/only1"; echo v1 >"$V/v1/dir/x"
echo v1b >"$V/v1b/a"; echo v1b >"$V/v1b/only1b"
echo v2 >"$T/src/v2/a"; mknod "$T/src/v2/gone" c 0 0
echo v3 >"$T/src/v3/b"; echo v3 >"$T/src/v3/c"
mksquashfs "$T/src/v2" "$V/v2.squashfs" -quiet -noappend >/dev/null || exit 1
mkfs.erofs --quiet "$V/v3.erofs" "$T/src/v3" >/dev/null || exit 1
cp "$V/v2.squashfs" "$T/outside/out.squashfs"
head -c 65536 /dev/urandom >"$V/bad.erofs"
ln -s /etc "$V/evil"
ln -s ../../../../../../../../etc "$V/evilrel"
ln -s "$T/outside/out.squashfs" "$V/evilimg.squashfs"
ln -s v1 "$V/alias"
echo file >"$V/afile"

# find
for c in v1:dir v2:squashfs v3:erofs nope:ENOENT evil:EXDEV evilrel:EXDEV \
	 evilimg:EXDEV afile:ENOTDIR alias:dir; do
	name=${c%%:*} want=${c#*:}
	check "layer_find $name is $want" is "$("$drv" find "$O" "$name")" "$want"
done
for c in v1:dir v2:squashfs evil:EXDEV evilrel:EXDEV evilimg:EXDEV alias:EXDEV; do
	name=${c%%:*} want=${c#*:}
	check "layer_find $name is $want without openat2" \
		is "$(OVROOT_NO_OPENAT2=1 "$drv" find "$O" "$name")" "$want"
done

# Each assembly gets its own state tmpfs (like /run) and target.
k=0
wrap=
assemble() {
	k=$((k + 1))
	st=$T/state$k mnt=$T/mnt$k out=$T/out$k
	mkdir -p "$st" "$mnt"
	mount -t tmpfs state "$st"
	# shellcheck disable=SC2086 # $wrap: a command and its options, or nothing
	$wrap "$drv" assemble "$O" "$st" "$mnt" "$@" >"$out" 2>&1
}
teardown() { umount "$mnt" 2>/dev/null; umount -R "$st"; }
# traced ARGS...: assemble, its fsconfig and mount calls in $T/trace (no
# LeakSanitizer in a sanitized build: it cannot run under ptrace).
traced() {
	wrap="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	wrap="$wrap strace -f -qq -s 65536 -e trace=fsconfig,mount -o $T/trace"
	assemble "$@"
	wrap=
}
asks_index_off='fsconfig\(.*"index", "off".*= 0$|mount\(.*"overlay", .*[",]index=off[",].*= 0$'
ovl_default() { cat /sys/module/overlay/parameters/index 2>/dev/null || echo unknown; }
# ovl_index DIR: on|off, the index of the overlay mounted at DIR (/proc/mounts
# shows index= only when it differs from the module's default), or none.
ovl_index() {
	o=$(awk -v m="$1" '$2 == m && $3 == "overlay" { print $4 }' /proc/mounts | tail -n 1)
	case ,$o, in
	,,) echo none ;;
	*,index=on,*) echo on ;;
	*,index=off,*) echo off ;;
	*) case $(ovl_default) in Y) echo on ;; N) echo off ;; *) echo unknown ;; esac ;;
	esac
}
# refused OPTIONS: an overlay mount with OPTIONS at $im fails with ESTALE.
refused() {
	if mount -t overlay -o "$1" idx "$im" >"$T/idx/err" 2>&1; then
		umount "$im"
		return 1
	fi
	grep -q "Stale file handle" "$T/idx/err"
}
content() { cat "$mnt/$1" 2>/dev/null || echo absent; }
visible() {
	is "$(content a)" "$1" && is "$(content b)" "$2" &&
	is "$(content gone)" absent && is "$(content only1)" v1
}

for method in "fsconfig lowerdir+" "mount(2) relative lowerdir"; do
	if [ "$method" = "fsconfig lowerdir+" ]; then
		unset OVROOT_NO_LOWERDIR_PLUS
	else
		export OVROOT_NO_LOWERDIR_PLUS=1
	fi
	assemble tmpfs v2 v1
	check "[$method] v2+v1 tmpfs upper mounts" has "method=$method" "$out"
	check "[$method] v2 overrides v1, whiteout hides gone" visible v2 v1
	check "[$method] tmpfs upper is writable" \
		sh -c "echo new >'$mnt/new' && [ -f '$st/upper/upper/new' ]"
	check "[$method] the write stays out of the store" \
		sh -c "[ ! -e '$V/v1/new' ] && ! ls '$O/upper' 2>/dev/null | grep -q ."
	check "[$method] the image layer is mounted at STATE/layers/v2" \
		mountpoint -q "$st/layers/v2"
	check "[$method] no lower links left in STATE" is "$(ls "$st")" "layers
upper"
	teardown

	assemble none v2 v1
	check "[$method] v2+v1 without upper mounts" has "upper=$" "$out"
	check "[$method] v2+v1 without upper: contents" visible v2 v1
	check "[$method] v2+v1 without upper is read-only" \
		sh -c "! touch '$mnt/new' 2>/dev/null"
	teardown

	assemble tmpfs v3 v2 v1
	check "[$method] erofs over squashfs over dir mounts" has "fstype=overlay" "$out"
	check "[$method] erofs v3 overrides b and adds c" \
		sh -c "[ \"\$(cat '$mnt/b')\" = v3 ] && [ \"\$(cat '$mnt/c')\" = v3 ] && [ \"\$(cat '$mnt/a')\" = v2 ]"
	check "[$method] modules asked for" sh -c \
		"grep -q 'module: overlay' '$out' && grep -q 'module: loop' '$out' &&
		 grep -q 'module: squashfs' '$out' && grep -q 'module: erofs' '$out'"
	teardown
done
unset OVROOT_NO_LOWERDIR_PLUS

assemble none v1
check "one layer without upper is a read-only bind mount" \
	has "method=read-only bind mount" "$out"
check "the bind mount shows the layer, read-only" \
	sh -c "[ \"\$(cat '$mnt/a')\" = v1 ] && ! touch '$mnt/new' 2>/dev/null"
teardown

# Persistent upper: kept across assemblies, also over a changed stack.
assemble persist v2 v1
check "persistent upper mounts" has "upper=$O/upper/v2" "$out"
check "a write lands in ovroot/upper/v2" \
	sh -c "echo kept >'$mnt/keep' && [ -f '$O/upper/v2/keep' ]"
teardown
assemble persist v2 v1
check "the write is still there on the next assembly" is "$(content keep)" kept
teardown
assemble persist v2 v1b
check "persistent upper over a changed lower stack mounts (index=off)" \
	has "fstype=overlay" "$out"
check "changed stack: the write is kept, the new lower shows" \
	sh -c "[ \"\$(cat '$mnt/keep')\" = kept ] && [ -f '$mnt/only1b' ] && [ ! -e '$mnt/only1' ]"
teardown
# The hazard index=off avoids: with index=on overlayfs records the lower root
# in the upper and then refuses another stack under it (ESTALE).
up=$T/idx/upper wk=$T/idx/work im=$T/idx/mnt
mkdir -p "$up" "$wk" "$im"
mount -t overlay -o "lowerdir=$V/v1,upperdir=$up,workdir=$wk,index=on" idx "$im" \
	>"$T/idx/err" 2>&1
TAP_LOG=$T/idx/err
check "index=on mounts a new upper over v1, with the index on" is "$(ovl_index "$im")" on
umount "$im" 2>/dev/null
check "index=on then refuses that upper over a changed stack (ESTALE)" \
	refused "lowerdir=$V/v1b,upperdir=$up,workdir=$wk,index=on"
TAP_LOG=
mkdir -p "$O/upper" "$O/work"
mv "$up" "$O/upper/v3"
mv "$wk" "$O/work/v3"
assemble persist v3 v1b
check "assembly mounts that very upper over a changed stack" has "fstype=overlay" "$out"
case $(ovl_default) in
Y) check "overlay mounted with index=off" is "$(ovl_index "$mnt")" off ;;
*) skip "overlay's index defaults to $(ovl_default) here: /proc/mounts cannot show index=off" ;;
esac
teardown
# Whatever the kernel's default, the assembly must ask for index=off.
for method in "fsconfig lowerdir+" "mount(2) relative lowerdir"; do
	if ! command -v strace >/dev/null; then
		skip "[$method] no strace: what the assembly asks of overlayfs is not seen"
		continue
	fi
	[ "$method" = "fsconfig lowerdir+" ] || export OVROOT_NO_LOWERDIR_PLUS=1
	traced persist v3 v1b
	check "[$method] the assembly asks overlayfs for index=off" \
		sh -c "grep -q 'method=$method' '$out' && grep -Eq '$asks_index_off' '$T/trace'"
	teardown
done
unset OVROOT_NO_LOWERDIR_PLUS

# 40 layers with 64-character names: absolute lowerdir paths would not fit
# the one page mount(2) takes.
pre=$(printf '%062d' 0 | tr 0 x)
names=
i=0
while [ $i -lt 40 ]; do
	nm=$pre$(printf '%02d' $i)
	mkdir "$V/$nm"
	echo "$nm" >"$V/$nm/who"
	echo $i >"$V/$nm/f$i"
	names="$nm $names"
	i=$((i + 1))
done
len=0
for nm in $names; do len=$((len + ${#V} + 1 + ${#nm} + 1)); done
check "40 absolute layer paths need $len > 4096 bytes" [ "$len" -gt 4096 ]
for method in "fsconfig lowerdir+" "mount(2) relative lowerdir"; do
	[ "$method" = "fsconfig lowerdir+" ] || export OVROOT_NO_LOWERDIR_PLUS=1
	# shellcheck disable=SC2086
	assemble tmpfs $names
	check "[$method] 40 layers of 64-character names mount" has "method=$method" "$out"
	check "[$method] the top of 40 wins, the bottom shows" \
		sh -c "[ \"\$(cat '$mnt/who')\" = '${pre}39' ] && [ -f '$mnt/f0' ] && [ -f '$mnt/f39' ]"
	teardown
done
unset OVROOT_NO_LOWERDIR_PLUS

# overlayfs stacks at most 500 lower layers.
names=
i=0
while [ $i -lt 501 ]; do
	mkdir "$V/l$i"
	names="l$i $names"
	i=$((i + 1))
done
echo bottom >"$V/l0/bottom"
for method in "fsconfig lowerdir+" "mount(2) relative lowerdir"; do
	[ "$method" = "fsconfig lowerdir+" ] || export OVROOT_NO_LOWERDIR_PLUS=1
	# shellcheck disable=SC2086
	assemble none ${names#l500 }
	check "[$method] 500 layers mount" \
		sh -c "grep -q 'method=$method' '$out' && [ -f '$mnt/bottom' ]"
	teardown
done
unset OVROOT_NO_LOWERDIR_PLUS
# shellcheck disable=SC2086
assemble tmpfs $names
check "501 layers: a clear error" has "error: stack of 501 layers: overlayfs takes at most 500" "$out"
check "501 layers: nothing mounted" sh -c "! mountpoint -q '$mnt' && [ -z \"\$(ls '$st')\" ]"
teardown

# Refusals and undo.
assemble tmpfs v2 evil
check "a version linking to /etc is refused" has "error: layer evil: leads out of the store.*Invalid cross-device link" "$out"
check "refused before mounting anything" \
	sh -c "! mountpoint -q '$mnt' && ! mountpoint -q '$st/layers/v2' 2>/dev/null"
teardown
assemble tmpfs evilimg v1
check "an image linking out of the store is refused" has "error: layer evilimg: leads out" "$out"
teardown
assemble tmpfs v2 bad v1
check "a broken erofs image fails with the layer named" has "error: layer bad: mount erofs /dev/loop" "$out"
check "the failure undid the squashfs mount and the tmpfs upper" \
	sh -c "! mountpoint -q '$st/layers/v2' && ! mountpoint -q '$st/upper' 2>/dev/null && ! mountpoint -q '$mnt'"
teardown
assemble tmpfs v2 nope
check "a missing version is named" has "error: layer nope: not in $O/versions: No such file" "$out"
teardown

# Autoclear: no loop device is left on the store's images.
left() {
	for f in v2.squashfs v3.erofs bad.erofs; do losetup -j "$V/$f"; done
}
i=0
while [ -n "$(left)" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
check "no loop device left attached to the images" is "$(left)" ""

tap_done
