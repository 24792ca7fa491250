#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot stage on a base, squash, images and OCI layers (issue 15), in a
# private mount namespace, each proved with a real overlay mount: a full
# version over a base shares the base's unchanged files (hard links) and is
# its source; a delta layer over a one- and a two-layer stack shows exactly
# its source (changed, new, deleted files, a directory replaced by a file
# and the other way, a directory emptied, a mode changed); squash folds a
# stack into one version equal to its view; --image packs squashfs and
# erofs that mount as the source and verify by digest; an OCI layer's
# whiteouts become overlayfs ones.  Prints TAP.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}

. "$top/tests/tap.sh"
need "$ovroot" command/ovroot

T=$(mktemp -d)
TAP_LOG=$T/out
mount -t tmpfs stagelayers "$T" || exit 1
cleanup() { cd /; loops_on "$T"; umount -R -l "$T" 2>/dev/null; rmdir "$T"; }
trap cleanup EXIT
touch "$T/out"
export OVROOT_RUN=$T/run
O=$T/store/ovroot
V=$O/versions
mkdir -p "$V" "$T/m" "$T/nothing"

run() { "$ovroot" --store "$O" "$@" >"$T/out" 2>&1; rc=$?; }
xattrs_py='
import errno, os
def names(p):
    try:
        return os.listxattr(p, follow_symlinks=False)
    except OSError as e:	# squashfs and erofs under overlayfs: none
        if e.errno != errno.EOPNOTSUPP:
            raise
        return []
for d, ds, fs in os.walk("."):
    for n in sorted(ds + fs):
        p = os.path.join(d, n)
        for a in sorted(names(p)):
            print(p, a, os.getxattr(p, a, follow_symlinks=False).hex())'
tree() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort && python3 -c "$xattrs_py") 2>&1
}
same_tree() { tree "$1" >"$T/a"; tree "$2" >"$T/b"; diff "$T/a" "$T/b" >&2; }
# shows DIR LAYER...: an overlay of the layers (top first) shows exactly DIR
shows() {
	_want=$1
	shift
	_l=
	for _v; do _l="$_l${_l:+:}$V/$_v"; done
	mount -t overlay -o "lowerdir=$_l:$T/nothing" none "$T/m" || return 1
	same_tree "$_want" "$T/m"
	_r=$?
	umount "$T/m"
	return $_r
}

# --- v1, the base
A=$T/sa
mkdir -p "$A/etc/d1" "$A/etc/d2" "$A/usr/lib" "$A/keep" "$A/gone/deep"
for i in 1 2 3; do
	echo "$i" >"$A/etc/f$i"
	echo "x$i" >"$A/etc/d1/g$i"
	echo "y$i" >"$A/etc/d2/h$i"
done
echo lib >"$A/usr/lib/libc"
head -c 100000 /dev/urandom >"$A/usr/lib/big"
echo deep >"$A/gone/deep/f"
ln -s usr/lib "$A/lib"
python3 -c "import os; os.setxattr('$A/usr/lib/libc', 'user.k', b'1')"
run stage v1 --from "$A"
check "the base v1 staged" '[ $rc = 0 ] && shows "$A" v1'

# --- the source of v2: changed, new, deleted, replaced, emptied
B=$T/sb
cp -a "$A" "$B"
echo changed >"$B/etc/f2"
rm "$B/etc/f3"
rm "$B/etc/d1/"*
echo new >"$B/etc/d1/new"
rm -r "$B/etc/d2"
echo "now a file" >"$B/etc/d2"
chmod 0700 "$B/keep"
rm "$B/lib"
mkdir "$B/lib"
echo z >"$B/lib/z"
rm -r "$B/gone"
mkdir "$B/empty-now"
python3 -c "import os; os.setxattr('$B/usr/lib/big', 'user.new', b'2')"

run stage v2 --from "$B" --base v1
check "--base: a full version that is its source" '[ $rc = 0 ] && shows "$B" v2 && same_tree "$B" "$V/v2"'
check "--base: unchanged files are hard links to the base's" \
	'[ -f "$V/v2/etc/f1" ] && [ "$(stat -c %i "$V/v2/etc/f1")" = "$(stat -c %i "$V/v1/etc/f1")" ] &&
	 [ "$(stat -c %i "$V/v2/usr/lib/libc")" = "$(stat -c %i "$V/v1/usr/lib/libc")" ]'
check "--base: a changed file, or one whose xattrs changed, is its own copy" \
	'[ "$(stat -c %h "$V/v2/etc/f2")" = 1 ] && [ "$(stat -c %h "$V/v2/usr/lib/big")" = 1 ] && [ "$(stat -c %h "$V/v1/usr/lib/big")" = 1 ]'

run stage v3 --from "$B" --base v1 --delta
check "--delta: a layer" '[ $rc = 0 ] && has "a layer over v1"'
check "--delta: v3+v1 under overlayfs shows exactly the source" 'shows "$B" v3 v1'
check "--delta: the layer holds only what differs" \
	'! [ -e "$V/v3/etc/f1" ] && ! [ -e "$V/v3/usr/lib/libc" ] && [ -f "$V/v3/etc/f2" ]'
check "--delta: a deleted file is a whiteout (c 0/0)" \
	'[ "$(stat -c %F:%t:%T "$V/v3/etc/f3")" = "character special file:0:0" ] &&
	 [ "$(stat -c %F:%t:%T "$V/v3/gone")" = "character special file:0:0" ]'
check "--delta: a directory whose files all went is opaque" \
	'python3 -c "import os,sys; sys.exit(os.getxattr(\"$V/v3/etc/d1\", \"trusted.overlay.opaque\") != b\"y\")"'
run verify v3+v1
check "verify of the delta stack" '[ $rc = 0 ] && has "^v3: ok" && has "^v1: ok"'

# a delta over a stack that has whiteouts of its own
C=$T/sc
cp -a "$B" "$C"
rm "$C/etc/f1"
echo back >"$C/etc/f3"
mkdir -p "$C/etc/d1/sub"
echo s >"$C/etc/d1/sub/s"
rm -r "$C/usr"
run stage v4 --from "$C" --base v3+v1 --delta
check "--delta over a two-layer stack: v4+v3+v1 shows exactly the source" \
	'[ $rc = 0 ] && shows "$C" v4 v3 v1'
check "--delta: a path a lower layer's whiteout hid comes back" '[ -f "$V/v4/etc/f3" ]'

run stage v5 --from "$C" --base v3+v1 --delta --image squashfs
check "--delta --image squashfs: NAME.squashfs" '[ $rc = 0 ] && [ -f "$V/v5.squashfs" ] && ! [ -e "$V/v5" ]'
mkdir "$T/sq"
mount -o loop,ro "$V/v5.squashfs" "$T/sq"
mount -t overlay -o "lowerdir=$T/sq:$V/v3:$V/v1" none "$T/m"
check "the squashfs layer over v3+v1 shows exactly the source" 'same_tree "$C" "$T/m"'
umount "$T/m" "$T/sq"

run stage v6 --from "$B" --image erofs
check "--image erofs: NAME.erofs" '[ $rc = 0 ] && [ -f "$V/v6.erofs" ]'
if mount -t erofs -o loop,ro "$V/v6.erofs" "$T/sq" 2>/dev/null; then
	check "the erofs image is the source" 'same_tree "$B" "$T/sq"'
	umount "$T/sq"
else
	skip "erofs cannot be mounted here"
fi
run verify v6+v5
check "verify: images by their digest" '[ $rc = 0 ] && has "^v6: ok" && has "^v5: ok"'
printf 'X' | dd of="$V/v6.erofs" bs=1 seek=2000 conv=notrunc 2>/dev/null
run verify v6
check "verify: a byte changed in an image is found" '[ $rc != 0 ] && has "^v6: the erofs image differs"'
rm "$V/v6.erofs"

# --- squash
run squash v4+v3+v1 --as s1
check "squash: one version" '[ $rc = 0 ] && has "^squashed v4+v3+v1 into s1"'
check "squash: it is what the stack showed" 'same_tree "$C" "$V/s1" && shows "$C" s1'
check "squash: its files are hard links to the layers'" \
	'[ -f "$V/s1/etc/f2" ] && [ "$(stat -c %i "$V/s1/etc/f2")" = "$(stat -c %i "$V/v3/etc/f2")" ] &&
	 [ "$(stat -c %i "$V/s1/etc/f3")" = "$(stat -c %i "$V/v4/etc/f3")" ]'
check "squash: no whiteout, no opaque mark left" \
	'[ -d "$V/s1/etc/d1" ] && [ -z "$(find "$V/s1" -type c)" ] && ! python3 -c "import os; os.getxattr(\"$V/s1/etc/d1\", \"trusted.overlay.opaque\")" 2>/dev/null'
run verify s1
check "squash: it has a manifest and verifies" '[ $rc = 0 ]'
run squash v4+v3+v1 --as s1
check "squash: a name that is a version is refused" '[ $rc != 0 ] && has "already in the store"'
run squash v5+v3+v1 --as s2
check "squash of a stack with an image layer: refused, nothing made" \
	'[ $rc != 0 ] && has "nothing made" && ! [ -e "$V/s2" ] && ! ls -a "$V" | grep -q "^\.staging"'

# --- an OCI layer: whiteouts converted
python3 - "$T/oci.tar" <<'EOF'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w")
def add(name, kind=tarfile.REGTYPE, data=b""):
    i = tarfile.TarInfo(name); i.type = kind
    if kind == tarfile.DIRTYPE: i.mode = 0o755
    i.size = len(data); t.addfile(i, io.BytesIO(data) if data else None)
add("etc", tarfile.DIRTYPE)
add("etc/.wh.f1")
add("etc/d1", tarfile.DIRTYPE)
add("etc/d1/.wh..wh..opq")
add("etc/d1/only", data=b"only\n")
add("usr/lib/.wh.big")
add("added", data=b"added\n")
t.close()
EOF
cat "$T/oci.tar" | "$ovroot" --store "$O" stage o0 --from - --oci-layer \
	--sha256 "$(printf '%064d' 0)" >"$T/out" 2>&1
rc=$?
check "an OCI layer on a pipe with a wrong --sha256: nothing staged" '[ $rc != 0 ] && ! [ -e "$V/o0" ]'
run stage o1 --from "$T/oci.tar" --oci-layer --sha256 "$(sha256sum "$T/oci.tar" | cut -d' ' -f1)"
check "an OCI layer is staged" '[ $rc = 0 ]'
check "OCI .wh.NAME became a whiteout" '[ "$(stat -c %F:%t:%T "$V/o1/etc/f1")" = "character special file:0:0" ] && ! [ -e "$V/o1/etc/.wh.f1" ]'
check "OCI .wh..wh..opq made its directory opaque" \
	'python3 -c "import os,sys; sys.exit(os.getxattr(\"$V/o1/etc/d1\", \"trusted.overlay.opaque\") != b\"y\")" && ! [ -e "$V/o1/etc/d1/.wh..wh..opq" ]'
mount -t overlay -o "lowerdir=$V/o1:$V/v1:$T/nothing" none "$T/m"
check "o1+v1 shows the layer over v1: deleted gone, opaque dir holds only its own" \
	'! [ -e "$T/m/etc/f1" ] && ! [ -e "$T/m/usr/lib/big" ] && [ "$(ls "$T/m/etc/d1")" = only ] && [ -f "$T/m/added" ] && [ -f "$T/m/etc/f2" ]'
umount "$T/m"
python3 - "$T/ocibad.tar" <<'EOF'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w")
i = tarfile.TarInfo("a/.wh..wh.plnk"); t.addfile(i, io.BytesIO(b""))
t.close()
EOF
run stage o2 --from "$T/ocibad.tar" --oci-layer
check "an OCI whiteout OCI does not know is refused" '[ $rc != 0 ] && has "refused" && ! [ -e "$V/o2" ]'

tap_done
