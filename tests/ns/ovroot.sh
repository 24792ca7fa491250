#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ovroot command against temporary stores on a tmpfs, in a private mount
# namespace (tests/run-all --ns runs it under unshare -m): every command,
# bad input, and gc with versions still mounted or held open.  Prints TAP.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}

line() { grep -qx -- "$1" "$O/boot"; }
json() {	# a Python expression on the output as JSON, d
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$T/out"
}

. "$top/tests/tap.sh"
own_pids "$@"
need "$ovroot" command/ovroot

T=$(mktemp -d)
TAP_LOG=$T/out
mount -t tmpfs ovtest "$T" || exit 1
pids=
cleanup() {
	loops_on "$T"
	for p in $pids; do kill "$p" 2>/dev/null; done
	cd /
	umount -R -l "$T" 2>/dev/null
	rmdir "$T"
}
trap cleanup EXIT
O=$T/store/ovroot
V=$O/versions
export OVROOT_RUN=$T/run
mkdir -p "$V" "$T/run" "$T/src/v3"
for v in v0 v1 v2 v4 v5 v6; do mkdir -p "$V/$v/etc"; echo $v >"$V/$v/etc/id"; done
echo v3 >"$T/src/v3/id"
mksquashfs "$T/src/v3" "$V/v3.squashfs" -quiet -no-progress >/dev/null
cp "$V/v3.squashfs" "$V/v7.squashfs"
ln -s /etc "$V/evil"

# Runs the command with --store; output and status in $T/out and $rc.
ov() { "$ovroot" --store "$O" "$@" >"$T/out" 2>&1; rc=$?; }
# The same, with the booted file: as the running system would.
ovb() { "$ovroot" "$@" >"$T/out" 2>&1; rc=$?; }
booted() {	# STACK REASON PROMOTED
	printf 'stack=%s\nreason=%s\npromoted=%s\nstore=/dev/test\nstore_type=tmpfs\nstore_mount=%s\nstore_dir=/ovroot\nupper=tmpfs\ntries=\nkey_wait_ms=0\n' 	"$1" "$2" "$3" "$T/store" >"$T/run/booted"
}

# --- promote
ov promote v1
check "promote on an empty store writes root=" '[ $rc = 0 ] && line root=v1 && [ ! -e "$O/boot.bak" ]'
ov promote v2+v1 --tries 3 --upper persist
check "promote --tries: unconfirmed, old root is fallback" '[ $rc = 0 ] && line root=v2+v1 && line fallback=v1 && line tries=3 && line upper=persist'
check "promote keeps the old file as boot.bak" 'grep -qx root=v1 "$O/boot.bak"'
ov promote v3+v2+v1 --tries 2
check "an unconfirmed root does not become the fallback" 'line root=v3+v2+v1 && line fallback=v1'
ov promote v2+v1
check "promote without --tries clears tries" '[ $rc = 0 ] && ! grep -q tries= "$O/boot"'
check "upper= is kept" 'line upper=persist'
cp "$O/boot" "$T/before"
for bad in v9 ../x "v1/x" "v1+v1" "" "evil" "v1+"; do
	ov promote "$bad"
	check "promote '$bad' refused, nothing written" '	[ $rc != 0 ] && cmp -s "$O/boot" "$T/before" && [ "$(wc -l <"$T/out")" = 1 ] && has "^ovroot: "'
done
ov promote v1 --tries 0
check "--tries 0 refused" '[ $rc != 0 ] && cmp -s "$O/boot" "$T/before"'
ov promote v1 --upper disk
check "--upper disk refused" '[ $rc != 0 ] && cmp -s "$O/boot" "$T/before"'
"$ovroot" --store "$T/src" status >"$T/out" 2>&1; rc=$?
check "not a store: said, exit 1" '[ $rc = 1 ] && has "not an ovroot store"'
"$ovroot" status >"$T/out" 2>&1; rc=$?
check "no store, nothing booted: said" '[ $rc = 1 ] && has "use --store"'

# A delta with a real lib/ over a merged-/usr lib -> usr/lib: promoted, warned.
mkdir -p "$V/mu/usr/lib" "$V/mu/usr/bin" "$V/delta/lib/firmware" "$V/delta/bin" "$V/delta2/lib"
ln -s usr/lib "$V/mu/lib"; ln -s usr/bin "$V/mu/bin"
ov promote delta+mu
check "promote warns of a directory /lib over a symlink /lib, once per name" \
	'[ $rc = 0 ] && line root=delta+mu && has "warning: version delta has a directory /lib where mu has the symlink /lib -> usr/lib" && has "directory /bin where mu has the symlink /bin -> usr/bin" && [ "$(grep -c warning "$T/out")" = 2 ]'
ov promote delta2+delta+mu
check "the warning names the lowest directory over the symlink" \
	'[ $rc = 0 ] && has "version delta has a directory /lib where mu" && [ "$(grep -c warning "$T/out")" = 2 ]'
ov promote mu
check "no warning for the merged root alone" '[ $rc = 0 ] && ! has warning'
rm -rf "$V/mu" "$V/delta" "$V/delta2"
cp "$T/before" "$O/boot"

# --- status
booted v1 tries-exhausted v3+v1
printf 'root=v3+v1\nfallback=v1\ntries=0\n' >"$O/boot"
ovb status
check "status finds the store from booted" '[ $rc = 0 ] && has "^promoted: *v3+v1"'
check "status says the rollback first" 'head -n 1 "$T/out" | grep -q "^ROLLBACK: booted v1, not the promoted v3+v1: its tries ran out"'
ovb status --json
check "status --json is JSON with rollback" 'json "d[\"booted\"][\"rollback\"] and d[\"file\"][\"tries\"] == 0"'
booted v3+v1 promoted v3+v1
ovb status
check "a promoted boot is no rollback" '[ $rc = 0 ] && hasnt ROLLBACK && has "^booted: *v3+v1 (promoted)"'
booted v1 override v3+v1
ovb status
check "an ovroot.root= override is no rollback, said as an override" \
	'[ $rc = 0 ] && hasnt ROLLBACK && head -n 1 "$T/out" | grep -q "^OVERRIDE: booted v1, chosen by ovroot.root= on the kernel command line for this boot; the promoted v3+v1 is unchanged"'
ovb status --json
check "status --json of an override: override true, rollback false" \
	'json "d[\"booted\"][\"override\"] and not d[\"booted\"][\"rollback\"] and d[\"booted\"][\"rollback_why\"] is None"'
booted v1 menu v3+v1
ovb status
check "a stack chosen in the boot menu is no rollback either" 'hasnt ROLLBACK && has "^OVERRIDE: booted v1, chosen by the boot menu"'
printf 'root=v3+v1\ngood=v1\n' >"$O/boot"
ovb status
check "status says a derived fallback" 'has "^fallback: *v1 (derived: good)"'
printf 'garbage\n' >"$O/boot"
printf 'root=v1\n' >"$O/boot.bak"
ovb status
check "status of a corrupt file names it" '[ $rc = 0 ] && has "is corrupt" && has "uses boot.bak"'
ovb promote v2
check "a corrupt file is not overwritten" '[ $rc = 1 ] && grep -qx garbage "$O/boot"'
printf 'root=v1+v\377\376\n' >"$O/boot"
ovb status --json
check "status --json of a file with invalid UTF-8 in its error is JSON" \
	'[ $rc = 0 ] && json "True" && grep -q "ufffd" "$T/out"'
printf 'garbage\n' >"$O/boot"

# --- mark-good
printf 'root=v3+v1\nfallback=v1\ntries=2\n' >"$O/boot"
booted v1 key v3+v1
ovb mark-good
check "mark-good of a fallback boot refused by design: exit 3" '[ $rc = 3 ] && has "not the promoted" && line tries=2 && ! grep -q good= "$O/boot"'
check "mark-good says its refusal once" '[ "$(wc -l <"$T/out")" = 1 ]'
booted v1 override v3+v1
ovb mark-good
check "mark-good of an override boot: exit 3, nothing written" '[ $rc = 3 ] && line tries=2 && ! grep -q good= "$O/boot"'
booted v3+v1 promoted v3+v1
ovb mark-good
check "mark-good confirms the root" '[ $rc = 0 ] && line good=v3+v1 && ! grep -q tries= "$O/boot"'
cp "$O/boot.bak" "$T/bak"
ovb mark-good
check "mark-good again writes nothing" '[ $rc = 0 ] && cmp -s "$O/boot.bak" "$T/bak"'
ov mark-good
check "mark-good with --store of the booted store works" '[ $rc = 0 ]'
rm "$T/run/booted"
ov mark-good
check "mark-good without a boot refused" '[ $rc = 1 ] && has "nothing booted"'

# --- rollback
printf 'root=v3+v1\nfallback=v1\ngood=v0\ntries=1\n' >"$O/boot"
ov rollback
check "rollback: fallback becomes root, good the fallback" '[ $rc = 0 ] && line root=v1 && line fallback=v0 && line good=v0 && ! grep -q tries= "$O/boot"'
printf 'root=v2+v1\nfallback=v1\ngood=v2+v1\n' >"$O/boot"
ov rollback
check "rollback from a good root: good follows" '[ $rc = 0 ] && line root=v1 && line good=v1 && ! grep -q fallback= "$O/boot"'
printf 'root=v1\n' >"$O/boot"
ov rollback
check "rollback without a fallback refused" '[ $rc = 1 ] && line root=v1 && has "no fallback"'
printf 'root=v2+v1\ngood=v2+v1\n' >"$O/boot"
ov rollback
check "rollback to the root itself refused" '[ $rc = 1 ] && line root=v2+v1 && has "no fallback"'
printf 'root=v3+v1\nfallback=v9\n' >"$O/boot"
ov rollback
check "rollback to a missing version refused" '[ $rc = 1 ] && line root=v3+v1 && has v9'

# --- pins
ov pin v4
check "pin writes the pins file" '[ $rc = 0 ] && grep -qx v4 "$O/pins"'
ov pin v4
check "pin twice is fine" '[ $rc = 0 ] && [ "$(grep -c . "$O/pins")" = 1 ]'
ov pin v9
check "pin of a missing version refused" '[ $rc != 0 ] && ! grep -q v9 "$O/pins"'
ov pin ..
check "pin of a bad name refused" '[ $rc != 0 ]'
ov pin v5; ov unpin v5
check "unpin" '[ $rc = 0 ] && ! grep -q v5 "$O/pins"'
check "pins stay out of the promotion file" '! grep -q v4 "$O/boot"'

# --- list
printf 'root=v3+v1\nfallback=v1\ngood=v2+v1\n' >"$O/boot"
printf 'root=v0\n' >"$O/boot.bak"
mkdir -p "$O/upper/v3" "$O/work/v3" "$O/upper/v6" "$O/work/v6"
ov list
check "list shows every version" '[ $rc = 0 ] && has "^v0 .*dir" && has "^v3 .*squashfs" && hasnt evil'
check "list says what refers to each" 'has "^v1 .*root, fallback, good" && has "^v4 .*pinned" && has "^v0 .*boot.bak"'
check "list says a version has an upper layer" 'has "^v3 .*upper/v3"'
ov list --json
check "list --json is JSON" 'json "{\"v1\", \"v3\"} <= {x[\"name\"] for x in d}"'
mkdir -p "$T/bind"
mount --bind "$V/v5" "$T/bind"
ov list
check "list says a version is mounted" 'has "^v5 .*mounted at $T/bind"'

# --- gc
(cd "$V/v6/etc" && exec sleep 1000) &
pids="$pids $!"
sleep 1000 <"$V/v7.squashfs" &
pids="$pids $!"
sleep 1000 <"$V/v2/etc/id" &
pids="$pids $!"
sleep 0.2
rm "$O/boot.bak"
ov gc --dry-run
check "gc --dry-run removes nothing" '[ $rc = 0 ] && has "would remove versions/v0" && [ -d "$V/v0" ]'
ov gc
check "gc removes an unreferenced unused version" '[ $rc = 0 ] && has "removed versions/v0" && [ ! -e "$V/v0" ]'
check "gc keeps what the file names" '[ -d "$V/v1" ] && [ -e "$V/v3.squashfs" ] && has "kept versions/v1 (dir): root, fallback, good"'
check "gc keeps a pinned version" '[ -d "$V/v4" ] && has "kept versions/v4 (dir): pinned"'
check "gc keeps a mounted version, says where" '[ -d "$V/v5" ] && has "kept versions/v5 (dir): in use: mounted at $T/bind"'
check "gc keeps a version a process works in" '[ -d "$V/v6" ] && has "kept versions/v6 (dir): in use: working directory of process"'
check "gc keeps an image a process holds open" '[ -e "$V/v7.squashfs" ] && has "kept versions/v7.squashfs (squashfs): in use: process .* (sleep) has a file of it open"'
check "gc keeps the upper of a kept version" '[ -d "$O/upper/v3" ] && [ -d "$O/upper/v6" ]'
check "gc leaves no trash" '! ls -a "$O" | grep -q trash'
for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
pids=
umount "$T/bind"
printf 'root=v3+v1\n' >"$O/boot"
ov gc
check "unused again: removed" '[ $rc = 0 ] && [ ! -e "$V/v5" ] && [ ! -e "$V/v6" ] && [ ! -e "$V/v7.squashfs" ] && [ ! -e "$V/v2" ]'
check "the upper of a removed version goes with it" '[ ! -e "$O/upper/v6" ] && [ ! -e "$O/work/v6" ] && [ -d "$O/upper/v3" ]'
check "a symlink out of the store is left alone" '[ -L "$V/evil" ] && [ -d /etc ]'

# a loop-mounted image, a bind mount of a subdirectory, an overlay lower layer
cp "$V/v3.squashfs" "$V/v8.squashfs"
mkdir -p "$V/v9/usr/lib" "$V/v10" "$T/m8" "$T/m9" "$T/ov/u" "$T/ov/w" "$T/ov/m"
mount -o loop,ro "$V/v8.squashfs" "$T/m8"
mount --bind "$V/v9/usr" "$T/m9"
mount -t overlay overlay -o "lowerdir=$V/v10,upperdir=$T/ov/u,workdir=$T/ov/w" "$T/ov/m"
ov gc
check "a loop-mounted image is kept" '[ -e "$V/v8.squashfs" ] && has "kept versions/v8.squashfs (squashfs): in use: mounted at $T/m8"'
check "a bind mount of a subdirectory keeps its version" '[ -d "$V/v9" ] && has "kept versions/v9 (dir): in use: mounted at $T/m9"'
check "an overlay lower layer is kept" '[ -d "$V/v10" ] && has "kept versions/v10 (dir): in use: a layer of the overlay at $T/ov/m"'
umount "$T/m8" "$T/m9" "$T/ov/m"
ov gc
check "unmounted: removed" '[ ! -e "$V/v8.squashfs" ] && [ ! -e "$V/v9" ] && [ ! -e "$V/v10" ]'

# work/ a symlink out of the store: gc never follows it (issue 12)
mkdir -p "$T/home/alice" "$O/upper/alice"
echo mine >"$T/home/alice/file"
mv "$O/work" "$T/work.real"
ln -s ../../home "$O/work"
ov gc --dry-run
check "gc --dry-run names work/ with the upper, keeps it when work leads out" \
	'has "kept upper/alice (upper): .*work is a symlink or another mount"'
ov gc
check "gc never follows a symlinked work out of the store" \
	'[ "$(cat "$T/home/alice/file")" = mine ] && [ -d "$O/upper/alice" ]'
rm "$O/work"
ln -s /tmp "$O/work"
ov gc
check "nor an absolute one" '[ "$(cat "$T/home/alice/file")" = mine ] && [ -d "$O/upper/alice" ]'
rm "$O/work"
mv "$T/work.real" "$O/work"
ov gc
check "with work a directory again: the upper and its work go" \
	'[ ! -e "$O/upper/alice" ] && has "removed upper/alice and work/alice"'

# A loop device attached in another mount namespace where the store has another
# path: its backing_file names that path, which means nothing here (#12 item 3).
cp "$V/v3.squashfs" "$V/v11.squashfs"
mkdir -p "$T/elsewhere"
in_ns "$T/ns11" 'mount --bind "$1" "$2" && losetup -r -f --show "$2/ovroot/versions/v11.squashfs"' \
	"$T/store" "$T/elsewhere"
loop11=$(grep '^/dev/loop' "$T/ns11")
check "the other namespace's loop device names its own path" \
	'[ "$(cat "/sys/block/${loop11#/dev/}/loop/backing_file")" = "$T/elsewhere/ovroot/versions/v11.squashfs" ]'
ov gc
check "an image behind a loop device of another namespace is kept" \
	'[ -e "$V/v11.squashfs" ] && has "kept versions/v11.squashfs (squashfs): in use: attached to $loop11"'
losetup -d "$loop11"
ov gc
check "detached: removed" '[ ! -e "$V/v11.squashfs" ]'

# Mounts on and in versions, and at trash names (#12 item 5).  First what an
# interrupted gc leaves: a version moved to the trash while another namespace
# has a mount on it, and the next gc runs in that namespace.
mkdir -p "$V/v14"
in_ns "$T/ns14" 'mount -t tmpfs inner "$1" && echo mine >"$1/file"' "$V/v14"
ns14=$ns_pid
mv "$V/v14" "$O/.trash-v14"
nsenter -t "$ns14" -m "$ovroot" --store "$O" gc >"$T/out" 2>&1
check "gc in the namespace whose mount sits on a trash directory leaves its files" \
	'[ "$(cat "/proc/$ns14/root$O/.trash-v14/file")" = mine ]'
ov gc
check "gc elsewhere leaves it too: the mount on it is a use" \
	'[ "$(cat "/proc/$ns14/root$O/.trash-v14/file")" = mine ] && has "kept .trash-v14 (trash): in use: .*mount"'
kill "$ns14"; wait "$ns14" 2>/dev/null
mkdir -p "$V/v12/mnt" "$V/v13" "$T/outside/home" "$O/.trash-vm" "$O/.trash-vb"
echo mine >"$T/outside/home/file"
in_ns "$T/ns12" 'mount -t tmpfs inner "$1/mnt" && echo mine >"$1/mnt/file"' "$V/v12"
ns12=$ns_pid
in_ns "$T/ns13" 'mount -t tmpfs inner "$1" && echo mine >"$1/file"' "$V/v13"
ns13=$ns_pid
mount -t tmpfs other "$O/.trash-vm"
echo mine >"$O/.trash-vm/file"
mount --bind "$T/outside/home" "$O/.trash-vb"
ov gc
check "a version with a mount inside it in another namespace is kept" \
	'[ -d "$V/v12" ] && has "kept versions/v12 (dir): in use: .*mount"'
check "... and the mount in it keeps its files" '[ "$(cat "/proc/$ns12/root$V/v12/mnt/file")" = mine ]'
check "a version another namespace mounted on is kept" \
	'[ -d "$V/v13" ] && has "kept versions/v13 (dir): in use: .*mount"'
check "... and the mount on it keeps its files" '[ "$(cat "/proc/$ns13/root$V/v13/file")" = mine ]'
check "emptying the trash never deletes into a filesystem mounted at a trash name" \
	'[ "$(cat "$O/.trash-vm/file")" = mine ]'
check "nor into a bind mount at a trash name (outside the store)" \
	'[ "$(cat "$T/outside/home/file")" = mine ]'
for p in $ns12 $ns13; do kill "$p"; wait "$p" 2>/dev/null; done
umount "$O/.trash-vm" "$O/.trash-vb"
ov gc
check "unmounted: the versions and the trash go" \
	'[ ! -e "$V/v12" ] && [ ! -e "$V/v13" ] && ! ls -a "$O" | grep -q trash'
check "... and what was outside the store stays" '[ "$(cat "$T/outside/home/file")" = mine ]'

# An ovroot directory that is the root of its filesystem: mountinfo's roots
# then start at /versions.
F=$T/fsroot
mkdir -p "$F" "$T/mva" && mount -t tmpfs fsroot "$F" &&
	mkdir -p "$F/versions/va/d" "$F/versions/vb/mnt" "$F/versions/vc" && printf 'root=vc\n' >"$F/boot"
mount --bind "$F/versions/va/d" "$T/mva"
in_ns "$T/nsfs" 'mount -t tmpfs inner "$1"' "$F/versions/vb/mnt"
"$ovroot" --store "$F" gc >"$T/out" 2>&1
check "a store at the root of its filesystem: a bind mount of a version counts" \
	'[ -d "$F/versions/va" ] && has "kept versions/va (dir): in use: mounted at $T/mva"'
check "... and so does a mount inside a version" \
	'[ -d "$F/versions/vb" ] && has "kept versions/vb (dir): in use: tmpfs (inner) mounted inside it"'
kill "$ns_pid"
umount "$T/mva"

printf 'garbage\n' >"$O/boot"
ov gc
check "gc with a corrupt file removes nothing" '[ $rc = 1 ] && has "nothing removed" && [ -d "$V/v4" ]'

# --- names, staging, --store (issue 12)
printf 'root=v1\n' >"$O/boot"
mkdir -p "$V/-v8" "$V/.staging-v9/etc" "$V/v9.staging"
ov promote v1+-v8
check "a name starting with - is refused by promote" '[ $rc != 0 ] && has "bad version name" && line root=v1'
ov pin -v8
check "and by pin: one rule for names" '[ $rc != 0 ] && has "not a version name" && ! grep -qx -- -v8 "$O/pins" 2>/dev/null'
ov list
check "list shows no staging directory" '[ $rc = 0 ] && ! has "staging-v9" && ! has "^-v8"'
ov gc
check "gc removes a staging directory nothing uses, and says so (issue 15)" \
	'! [ -e "$V/.staging-v9" ] && has "^removed versions/.staging-v9 (left by an interrupted staging"'
long=$(printf 'n%.0s' $(seq 1 64))
mkdir -p "$V/$long"
ov list
check "list: a 64-character name keeps the columns" \
	'[ "$(awk "NR > 1 && \$1 == \"$long\" { print index(\$0, \"dir\") }" "$T/out")" = "$(awk "NR == 1 { print index(\$0, \"KIND\") }" "$T/out")" ]'
"$ovroot" --store "$T/store" list >"$T/out" 2>&1
rc=$?
check "--store given the directory holding ovroot/ is taken" '[ $rc = 0 ] && has "^v1 "'
"$ovroot" --store "$T" list >"$T/out" 2>&1
rc=$?
check "--store elsewhere: not a store, said" '[ $rc = 1 ] && has "is not an ovroot store"'
tap_done
