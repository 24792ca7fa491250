#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot stage and verify (issue 15), in a private mount namespace: a version
# staged from a tree and from tarballs (plain, gzip, zstd, xz) is exactly its
# source, through a real overlay mount too; every bad tarball (.., absolute
# names, a symlink out and a file through it, hard links out, device nodes,
# a wrong --sha256, a truncated one), a full store and a name that is taken
# leave no version, no staging and a sentinel tree outside the store as it
# was; the process killed before each of its disk-changing steps leaves no
# version or the whole one, and the next stage or gc cleans up and says so;
# verify names the path of a flipped byte, a changed mode, a removed file,
# and promote refuses such a stack.  Prints TAP.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}
hooked=${OVROOT_HOOKED:-$top/build/tests/ovroot-hooked}

. "$top/tests/tap.sh"
own_pids "$@"
need "$ovroot" command/ovroot
need "$hooked" build/tests/ovroot-hooked

T=$(mktemp -d)
TAP_LOG=$T/out
mount -t tmpfs stagetest "$T" || exit 1
cleanup() { cd /; umount -R -l "$T" 2>/dev/null; rmdir "$T"; }
trap cleanup EXIT
touch "$T/out"
export OVROOT_RUN=$T/run
O=$T/store/ovroot
V=$O/versions
X=$T/outside
mkdir -p "$V" "$X/dir"
echo "never changed" >"$X/sentinel"
echo "nor this" >"$X/dir/f"

stage() { "$ovroot" --store "$O" stage "$@" >"$T/out" 2>&1; rc=$?; }
# A tree as a list: path, type, mode, owner, symlink target, modification
# time (seconds, but directories'), content digest, xattrs: what a version
# must show of its source.
tree() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %l\n' | sort &&
		find . ! -type d -printf '%p %Ts\n' | sort &&
		find . -type f -exec sha256sum {} + | sort &&
		python3 -c "$xattrs_py") 2>&1
}
xattrs_py='
import os
for d, ds, fs in os.walk("."):
    for n in sorted(ds + fs):
        p = os.path.join(d, n)
        for a in sorted(os.listxattr(p, follow_symlinks=False)):
            print(p, a, os.getxattr(p, a, follow_symlinks=False).hex())
for a in sorted(os.listxattr(".")):
    print(".", a, os.getxattr(".", a).hex())'
same_tree() { tree "$1" >"$T/a"; tree "$2" >"$T/b"; diff "$T/a" "$T/b" >&2; }
sentinel() { (cd "$X" && find . -printf '%p %y %m %s %n %T@\n' | sort && cat sentinel dir/f) | sha256sum; }
clean() {	# NAME: no version, no staging left behind, no manifest
	! [ -e "$V/$1" ] && ! ls -a "$V" | grep -q '^\.staging' &&
		! ls -a "$O" | grep -q '^\.trash' && ! [ -e "$O/manifests/$1" ]
}
before=$(sentinel)

# --- a source tree with what a root has
S=$T/src
mkdir -p "$S/etc/sub" "$S/bin" "$S/empty" "$S/dev"
echo host >"$S/etc/hostname"
printf 'a\nb\n' >"$S/etc/sub/two lines, a space"
head -c 300000 /dev/urandom >"$S/bin/big"
chmod 4755 "$S/bin/big"
ln -s ../etc/hostname "$S/bin/link"
ln -s /nowhere "$S/bin/dangling"
ln "$S/etc/hostname" "$S/etc/hardlink"
mkfifo "$S/fifo"
chown 12:34 "$S/etc/sub"
chmod 0700 "$S/etc/sub"
python3 -c "import os; os.setxattr('$S/etc/hostname', 'user.test', b'v\x00w'); os.setxattr('$S/etc', 'trusted.t', b'1')"
touch "$S/dev/.keep"

stage v1 --from "$S"
check "stage from a tree: a version" '[ $rc = 0 ] && has "^staged v1" && [ -d "$V/v1" ]'
check "the version is its source: types, modes, owners, content, links, xattrs" same_tree "$S" "$V/v1"
check "its manifest is in the store" 'head -n 1 "$O/manifests/v1" | grep -qx "ovroot-manifest 1" && grep -q "^/etc/hostname f 0644 0:0 5 " "$O/manifests/v1"'
check "no staging left" '! ls -a "$V" | grep -q "^\.staging"'
"$ovroot" --store "$O" list >"$T/out" 2>&1
check "list shows v1 and no manifest as a version" 'has "^ *v1 " && hasnt manifests'

for z in tar tar.gz tar.zst tar.xz; do
	case $z in
	tar) tar -C "$S" --xattrs --xattrs-include='*' -cf "$T/s.$z" . ;;
	tar.gz) tar -C "$S" --xattrs --xattrs-include='*' -czf "$T/s.$z" . ;;
	tar.zst) tar -C "$S" --xattrs --xattrs-include='*' --zstd -cf "$T/s.$z" . ;;
	tar.xz) tar -C "$S" --xattrs --xattrs-include='*' -cJf "$T/s.$z" . ;;
	esac
	nm=t$(echo "$z" | tr -d .)
	stage "$nm" --from "$T/s.$z" --sha256 "$(sha256sum "$T/s.$z" | cut -d' ' -f1)"
	check "stage from a $z with its sha256: the version is its source" \
		'[ $rc = 0 ] && same_tree "$S" "$V/$nm" && cmp -s "$O/manifests/v1" "$O/manifests/$nm"'
done

check "a hard link of the tarball is a hard link of the version" \
	'[ "$(stat -c %i "$V/ttargz/etc/hardlink")" = "$(stat -c %i "$V/ttargz/etc/hostname")" ]'

# the version under a real overlay shows exactly its source
mkdir "$T/m" "$T/nothing"
mount -t overlay -o "lowerdir=$V/ttargz:$T/nothing" none "$T/m"
check "an overlay of the staged tarball shows exactly the source" same_tree "$S" "$T/m"
umount "$T/m"

stage v1 --from "$S"
check "staging a name that is a version is refused, the version untouched" \
	'[ $rc != 0 ] && has "already in the store" && cmp -s "$O/manifests/v1" "$O/manifests/ttar" && same_tree "$S" "$V/v1"'
stage .hidden --from "$S"
check "a name that is no version name is refused" '[ $rc != 0 ] && has "not a version name"'

for args in "--from $S --sha256 $(printf '%064d' 0)" "--from $T/s.tar --delta" \
	"--from $T/s.tar --image ext4" "--from $T/s.tar --sha256 xyz" "--from" "--from $T/nothere"; do
	# shellcheck disable=SC2086
	stage busage $args
	check "stage $(echo "$args" | sed "s|$T/||g") refused" '[ $rc != 0 ] && clean busage'
done

# --- a read-only store is made writable for the staging only
R=$T/ro
mkdir "$R"
mount -t tmpfs ro "$R"
mkdir -p "$R/ovroot/versions"
mount -o remount,ro "$R"
"$ovroot" --store "$R/ovroot" stage v1 --from "$T/s.tar" >"$T/out" 2>&1
rc=$?
check "a read-only store: staged, read-only again" \
	'[ $rc = 0 ] && [ -d "$R/ovroot/versions/v1" ] && grep " $R " /proc/self/mounts | grep -q "[ ,]ro[ ,]"'

# --- bad tarballs, made member by member
bad() {	# NAME PYTHON-LINES: a tarball $T/NAME.tar of those members
	python3 - "$T/$1.tar" "$X" <<EOF
import io, sys, tarfile
out, X = sys.argv[1], sys.argv[2]
t = tarfile.open(out, "w", format=tarfile.PAX_FORMAT)
def reg(name, data=b"evil\n"):
    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
def lnk(name, target, kind=tarfile.SYMTYPE):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = target; t.addfile(i)
def dev(name, kind, major, minor):
    i = tarfile.TarInfo(name); i.type = kind; i.devmajor = major; i.devminor = minor; t.addfile(i)
reg("ok-before")
$2
t.close()
EOF
}
bad dotdot 'reg("../../../../outside/sentinel")'
bad dotdot2 'reg("a/../../../../../outside/sentinel")'
bad absolute 'reg(X + "/sentinel")'
bad symout 'lnk("out", X); reg("out/sentinel")'
bad symrel 'lnk("out", "../../../../outside"); reg("out/dir/f")'
bad symin 'lnk("in", "ok-dir"); reg("ok-dir/x"); reg("in/sentinel")'
bad hardout 'lnk("h", "../../../../outside/sentinel", tarfile.LNKTYPE); reg("h")'
bad hardabs 'lnk("h", X + "/sentinel", tarfile.LNKTYPE)'
bad chardev 'dev("null", tarfile.CHRTYPE, 1, 3)'
bad blockdev 'dev("sda", tarfile.BLKTYPE, 8, 0)'
for b in dotdot dotdot2 absolute symout symrel symin hardout hardabs chardev blockdev; do
	stage "b$b" --from "$T/$b.tar"
	check "tarball with $b: refused, nothing staged, nothing outside written" \
		'[ $rc != 0 ] && has "refused" && has "nothing staged" && clean "b$b" && [ "$(sentinel)" = "$before" ]'
done
grep -h "ovroot: stage" "$T/out" | head -n 1 | sed 's/^/# /'

bad whiteout 'dev("wh", tarfile.CHRTYPE, 0, 0)'
stage bwh --from "$T/whiteout.tar"
check "a character device 0/0 (an overlayfs whiteout) is taken" \
	'[ $rc = 0 ] && [ "$(stat -c %t:%T%F "$V/bwh/wh")" = "0:0character special file" ]'

sum=$(sha256sum "$T/s.tar.gz" | cut -d' ' -f1)
wrong=$(echo "$sum" | tr 0123456789abcdef 123456789abcdef0)
stage bsha --from "$T/s.tar.gz" --sha256 "$wrong"
check "a wrong --sha256: refused before unpacking" \
	'[ $rc != 0 ] && has "nothing unpacked" && clean bsha'
cat "$T/s.tar.gz" | "$ovroot" --store "$O" stage bpipe --from - --sha256 "$wrong" >"$T/out" 2>&1
rc=$?
check "a pipe with a wrong --sha256: refused as read, nothing staged" \
	'[ $rc != 0 ] && has "not $wrong: refused, nothing staged" && clean bpipe'
cat "$T/s.tar.gz" | "$ovroot" --store "$O" stage tpipe --from - \
	--sha256 "$(echo "$sum" | tr a-f A-F)" >"$T/out" 2>&1
rc=$?
check "a pipe with its --sha256: staged, the source" '[ $rc = 0 ] && same_tree "$S" "$V/tpipe"'
head -c 200000 "$T/s.tar" >"$T/trunc.tar"
stage btrunc --from "$T/trunc.tar"
check "a truncated tarball: refused, nothing staged" \
	'[ $rc != 0 ] && has "nothing staged" && clean btrunc'
head -c 100000 "$T/s.tar.zst" >"$T/trunc.tar.zst"
stage btruncz --from "$T/trunc.tar.zst"
check "a truncated compressed tarball: refused, nothing staged" \
	'[ $rc != 0 ] && clean btruncz'
echo "not a tarball" >"$T/junk"
stage bjunk --from "$T/junk"
check "a file that is no tarball: refused" '[ $rc != 0 ] && clean bjunk'

# --- a full store
F=$T/full
mkdir "$F"
mount -t tmpfs -o size=200k full "$F"
mkdir -p "$F/ovroot/versions"
"$ovroot" --store "$F/ovroot" stage big --from "$T/s.tar.gz" >"$T/out" 2>&1
rc=$?
check "a full store mid-stage: refused, said, nothing left" \
	'[ $rc != 0 ] && has "No space left" && [ -z "$(ls -A "$F/ovroot/versions")" ] && ! ls -a "$F/ovroot" | grep -q "^\.trash"'
mkdir "$T/small" && echo small >"$T/small/f"
"$ovroot" --store "$F/ovroot" stage small --from "$T/small" >"$T/out" 2>&1
rc=$?
check "the same store takes what fits afterwards" '[ $rc = 0 ] && [ -f "$F/ovroot/versions/small/f" ]'

# --- killed before each disk-changing step: no version, or the whole one
step=1 stops=0 torn=0 rc=99
while [ "$rc" = 99 ] && [ "$step" -lt 400 ]; do
	OVROOT_FAULT_AT=$step "$hooked" --store "$O" stage pc --from "$T/s.tar.gz" >"$T/out" 2>&1
	rc=$?
	if [ -e "$V/pc" ] && ! { [ "$rc" != 99 ] || "$ovroot" --store "$O" verify pc >/dev/null 2>&1; }; then
		torn=$((torn + 1))
		echo "# killed before step $step: a version pc that is not whole"
	fi
	if [ "$rc" = 99 ] && [ -e "$V/pc" ]; then
		"$ovroot" --store "$O" verify pc >/dev/null 2>&1 || torn=$((torn + 1))
		rm -rf "$V/pc" "$O/manifests/pc"	# a whole one: start again
	fi
	[ "$rc" = 99 ] && stops=$((stops + 1))
	step=$((step + 1))
done
check "stage killed (_exit) before each of its $stops steps, then completed" \
	'[ "$rc" = 0 ] && [ "$stops" -ge 15 ] && same_tree "$S" "$V/pc"'
check "after every kill: no version pc, or the whole one" '[ "$torn" = 0 ]'

OVROOT_FAULT_AT=10 "$hooked" --store "$O" stage pd --from "$T/s.tar.gz" >/dev/null 2>&1
check "a staging cut short leaves .staging-pd, no version" '[ -d "$V/.staging-pd" ] && ! [ -e "$V/pd" ]'
printf 'root=v1\n' >"$O/boot"
"$ovroot" --store "$O" gc --dry-run >"$T/out" 2>&1
check "gc --dry-run names it" 'has "^would remove versions/.staging-pd (left by an interrupted staging" && [ -d "$V/.staging-pd" ]'
(cd "$V/.staging-pd" && exec sleep 100) &
user=$!
sleep 0.3
"$ovroot" --store "$O" gc >"$T/out" 2>&1
check "gc keeps a staging directory a process is in" \
	'has "^kept versions/.staging-pd (left by an interrupted staging): in use: .*working directory" && [ -d "$V/.staging-pd" ]'
kill $user
wait $user 2>/dev/null
"$ovroot" --store "$O" gc >"$T/out" 2>&1
check "gc removes it once nothing uses it, and says so" 'has "^removed versions/.staging-pd (left by an interrupted staging" && ! [ -e "$V/.staging-pd" ]'
check "gc removes the manifests of the versions it removed" '! [ -e "$O/manifests/ttar" ] && [ -e "$O/manifests/v1" ]'
OVROOT_FAULT_AT=10 "$hooked" --store "$O" stage pe --from "$T/s.tar.gz" >/dev/null 2>&1
stage pe --from "$T/s.tar.gz"
check "the next stage removes a leftover and says so" \
	'[ $rc = 0 ] && has "^removed versions/.staging-pe (left by an interrupted staging)" && same_tree "$S" "$V/pe"'
OVROOT_FAULT_AT=1 "$ovroot" --store "$O" stage pf --from "$T/s.tar.gz" >"$T/out" 2>&1
rc=$?
check "the shipped command ignores OVROOT_FAULT_AT" '[ $rc = 0 ] && [ -d "$V/pf" ]'

# --- verify
"$ovroot" --store "$O" verify pe+v1 >"$T/out" 2>&1
rc=$?
check "verify: a staged stack is as its manifests say" '[ $rc = 0 ] && has "^pe: ok" && has "^v1: ok"'
python3 -c "
f = open('$V/pe/bin/big', 'r+b'); f.seek(1234); b = f.read(1); f.seek(1234); f.write(bytes([b[0] ^ 1]))"
chmod 0600 "$V/pe/etc/sub/two lines, a space"
rm "$V/pe/etc/hostname"
"$ovroot" --store "$O" verify pe >"$T/out" 2>&1
rc=$?
check "verify: a flipped byte is named" '[ $rc != 0 ] && has "^pe: /bin/big: content differs"'
check "verify: a changed mode is named" 'has "^pe: /etc/sub/two lines, a space: mode 0600, not 0644"'
check "verify: a removed file is named" 'has "^pe: /etc/hostname: missing"'
check "verify: nothing else is named" '[ "$(grep -c "^pe: /" "$T/out")" = 3 ]'
mkdir "$V/byhand"
"$ovroot" --store "$O" verify byhand >"$T/out" 2>&1
rc=$?
check "verify: a version without a manifest cannot be verified" '[ $rc != 0 ] && has "no manifest"'

# --- promote verifies
cp "$O/boot" "$T/bootbefore"
"$ovroot" --store "$O" promote pe+v1 --tries 2 >"$T/out" 2>&1
rc=$?
check "promote refuses a stack that fails verification, writes nothing" \
	'[ $rc != 0 ] && has "differs from its manifest: refused" && cmp -s "$O/boot" "$T/bootbefore"'
"$ovroot" --store "$O" promote pe+v1 --no-verify >"$T/out" 2>&1
rc=$?
check "promote --no-verify promotes it" '[ $rc = 0 ] && grep -qx root=pe+v1 "$O/boot"'
"$ovroot" --store "$O" promote pf+byhand --tries 2 >"$T/out" 2>&1
rc=$?
check "promote passes a version made by hand (no manifest) over" '[ $rc = 0 ] && grep -qx root=pf+byhand "$O/boot"'

# --- an image builder's cycle (docs/ovroot.md): empty store, stage, promote, disk image
I=$T/img
mkdir -p "$I/ovroot/versions"
"$ovroot" --store "$I/ovroot" stage v1 --from "$T/s.tar.zst" >"$T/out" 2>&1 &&
	"$ovroot" --store "$I/ovroot" promote v1 >>"$T/out" 2>&1
rc=$?
check "image builder: an empty store, stage v1, promote v1" \
	'[ $rc = 0 ] && grep -qx root=v1 "$I/ovroot/boot" && same_tree "$S" "$I/ovroot/versions/v1"'
truncate -s 64M "$T/store.img"
mkdir "$T/imgmnt"
if mkfs.ext4 -q -L mystore -d "$I" "$T/store.img" >"$T/out" 2>&1 &&
   mount -o loop "$T/store.img" "$T/imgmnt"; then
	"$ovroot" --store "$T/imgmnt/ovroot" verify v1 >"$T/out" 2>&1
	rc=$?
	check "image builder: the disk image made by mkfs.ext4 -d holds v1 as its manifest says" \
		'[ $rc = 0 ] && same_tree "$S" "$T/imgmnt/ovroot/versions/v1"'
	umount "$T/imgmnt"
else
	check "image builder: mkfs.ext4 -d made and mounted the disk image" false
fi

check "the sentinel tree outside the store never changed" '[ "$(sentinel)" = "$before" ]'
tap_done
