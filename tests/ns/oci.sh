#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The fleet path (docs/ovroot.md, "OCI images"): two image versions built
# with umoci, pushed to a docker-registry of the test's own on 127.0.0.1
# and pulled back into an OCI layout with skopeo, staged with `ovroot stage
# --from oci:DIR:TAG`: every layer once, OCI whiteouts made overlayfs ones,
# the overlay of an image's layers (mounted as the init mounts them) shows
# exactly the image's files (gzip, zstd and plain layers; whiteouts and an
# opaque directory); list, promote and gc of images; bad layouts refused
# with nothing staged.  Prints TAP.
set -u
top=$(pwd)
ovroot=${OVROOT_CMD:-$top/build/command/ovroot}

. "$top/tests/tap.sh"
. "$top/tests/oci-images.sh"
own_pids "$@"
need "$ovroot" command/ovroot
for p in umoci skopeo docker-registry; do
	command -v $p >/dev/null || { echo "not ok 1 - $p missing: scripts/install-deps"; echo 1..1; exit 1; }
done

T=$(mktemp -d)
TAP_LOG=$T/out
mount -t tmpfs ovtest "$T" || exit 1
cleanup() {
	oci_registry_stop
	cd /
	umount -R -l "$T" 2>/dev/null
	rmdir "$T"
}
trap cleanup EXIT
O=$T/store/ovroot
V=$O/versions
mkdir -p "$V" "$T/reg"
printf '#!/bin/sh\n' >"$T/init"

ov() { "$ovroot" --store "$O" "$@" >"$T/out" 2>&1; rc=$?; }
versions() { ls "$V" | sort; }
# layer N (1 = bottom) of the image TAG in the layout L: its version name
layer() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
lay, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
idx = json.load(open(lay + "/index.json"))
m = [d for d in idx["manifests"] if d["annotations"]["org.opencontainers.image.ref.name"] == tag][0]
man = json.load(open(lay + "/blobs/sha256/" + m["digest"][7:]))
print("sha256-" + man["layers"][n - 1]["digest"][7:64])
PY
}

check "umoci builds v1, v2, v3 (v2 and v3: v1's two layers and one more)" \
	oci_build "$T/umoci" "$T" "$T/init"

# --- through a registry: skopeo copy oci: -> docker:// -> oci:
if oci_registry_pull "$T/umoci" "$T/pulled" "$T/reg" v1 v2; then
	ok "docker-registry on 127.0.0.1:$reg_port: skopeo pushed v1 and v2 and pulled them into a layout"
	L=$T/pulled
else
	skip "the registry path: $reg_why (the images are staged from umoci's layout instead)"
	L=$T/umoci
fi
oci_registry_stop
check "the registry is stopped" '! kill -0 "$reg_pid" 2>/dev/null'
L1=$(layer "$L" v1 1) L2=$(layer "$L" v1 2) L3=$(layer "$L" v2 3)
check "v2's lower layers are v1's" '[ "$(layer "$L" v2 1)" = "$L1" ] && [ "$(layer "$L" v2 2)" = "$L2" ]'

# --- stage
ov stage img1 --from "oci:$L:v1"
check "stage img1 --from oci:DIR:v1 stages two layers" \
	'[ $rc = 0 ] && has "layer $L1: staged" && has "layer $L2: staged"'
check "its layers are versions named sha256-<57 hex digits>" \
	'[ "$(versions)" = "$(printf "%s\n" "$L1" "$L2" | sort)" ] && [ ${#L1} = 64 ]'
check "images/img1 records the stack, top layer first" \
	'[ "$(cat "$O/images/img1")" = "$L2+$L1" ]'
ov stage img2 --from "oci:$L:v2"
check "stage img2: v1's layers are shared, not staged again" \
	'[ $rc = 0 ] && has "layer $L1: already in the store, shared" &&
	 has "layer $L2: already in the store, shared" && has "layer $L3: staged"'
check "the store holds each layer once: three versions for two images" \
	'[ "$(versions)" = "$(printf "%s\n" "$L1" "$L2" "$L3" | sort)" ]'
check "images/img2 records its three layers" '[ "$(cat "$O/images/img2")" = "$L3+$L2+$L1" ]'
check "the deleted file is an overlayfs whiteout (character device 0/0) in the top layer" \
	'[ -c "$V/$L3/etc/ovroot-test/doomed" ] &&
	 [ "$(stat -c %t:%T "$V/$L3/etc/ovroot-test/doomed")" = 0:0 ]'
ov stage img2 --from "oci:$L:v2"
check "staging a name that is already an image is refused" \
	'[ $rc = 1 ] && has "img2 is already an image"'
ov stage "$L1" --from "oci:$L:v1"
check "staging a name that is already a version is refused" \
	'[ $rc = 1 ] && has "is already a version"'
mkdir -p "$T/tree/etc"
ov stage img2 --from "$T/tree"
check "staging a tree under an image's name is refused" \
	'[ $rc = 1 ] && has "img2 is the name of an OCI image" && [ ! -e "$V/img2" ]'

ov list
check "list names the images a layer is part of" \
	'grep -q "^$L1 .*images img[12], img[12]" "$T/out" && grep -q "^$L3 .*images img2\$" "$T/out"'
ov list --json
check "list --json: images of each layer" \
	'python3 -c "import json, sys; d = {e[\"name\"]: sorted(e[\"images\"]) for e in json.load(open(sys.argv[1]))}; sys.exit(d[sys.argv[2]] != [\"img1\", \"img2\"] or d[sys.argv[3]] != [\"img2\"])" "$T/out" "$L1" "$L3"'

# --- the overlay, mounted as the init mounts it: the image's files exactly
tree() {	# DIR: every path, its type, mode and content's digest
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m\n' | sort &&
		find . -type f -exec sha256sum {} + | sort -k2)
}
for i in 1 2; do
	mkdir -p "$T/m$i"
	case $i in 1) low=$V/$L2:$V/$L1 ;; 2) low=$V/$L3:$V/$L2:$V/$L1 ;; esac
	mount -t overlay -o "ro,lowerdir=$low" "ovroot-img$i" "$T/m$i"
	tree "$T/m$i" >"$T/got$i"
	tree "$T/v$i/rootfs" >"$T/want$i"
	diff "$T/want$i" "$T/got$i" >"$T/out"
	check "the overlay of img$i's layers is exactly the image's tree (umoci unpack)" '[ ! -s "$T/out" ]'
done
check "img2's overlay: id=v2, doomed absent; img1's: id=v1, doomed present" \
	'[ "$(cat "$T/m2/etc/ovroot-test/id")" = v2 ] && [ ! -e "$T/m2/etc/ovroot-test/doomed" ] &&
	 [ "$(cat "$T/m1/etc/ovroot-test/id")" = v1 ] && [ -f "$T/m1/etc/ovroot-test/doomed" ]'
umount "$T/m1" "$T/m2"

# --- promote and gc
ov promote img1
check "promote img1 writes its layers as root=" \
	'[ $rc = 0 ] && grep -qx "root=$L2+$L1" "$O/boot" && has "promoted img1 ($L2+$L1)"'
ov promote img2 --tries 3
check "promote img2 --tries 3: root= its layers, img1's the fallback" \
	'[ $rc = 0 ] && grep -qx "root=$L3+$L2+$L1" "$O/boot" && grep -qx "fallback=$L2+$L1" "$O/boot"'
ov stage img3 --from "oci:$T/umoci:v3"
L4=$(layer "$T/umoci" v3 3)
check "stage img3 straight from umoci's layout: one layer new" \
	'[ $rc = 0 ] && has "layer $L4: staged" && [ -d "$V/$L4" ]'
ov gc
check "gc: img3, staged but not promoted, goes with its own layer; shared ones stay" \
	'[ $rc = 0 ] && [ ! -e "$O/images/img3" ] && [ ! -e "$V/$L4" ] &&
	 [ "$(versions)" = "$(printf "%s\n" "$L1" "$L2" "$L3" | sort)" ]'
check "gc keeps the records of the images root and fallback use" \
	'[ -f "$O/images/img1" ] && [ -f "$O/images/img2" ] && has "kept images/img2 (image)"'

# --- the same image with its layers as plain tar and tar+zstd: the same tree
rm -rf "$T/z" && cp -a "$L" "$T/z"
python3 - "$T/z" <<'PY' || echo "# recompressing failed"
import gzip, hashlib, json, subprocess, sys
lay = sys.argv[1]
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(lay + "/blobs/sha256/" + h, "wb").write(data)
    return "sha256:" + h, len(data)
idx = json.load(open(lay + "/index.json"))
for d in idx["manifests"]:
    if d["annotations"]["org.opencontainers.image.ref.name"] != "v2":
        continue
    man = json.load(open(lay + "/blobs/sha256/" + d["digest"][7:]))
    for i, l in enumerate(man["layers"]):
        tar = gzip.decompress(open(lay + "/blobs/sha256/" + l["digest"][7:], "rb").read())
        if i % 2:
            data, l["mediaType"] = tar, "application/vnd.oci.image.layer.v1.tar"
        else:
            data = subprocess.run(["zstd", "-q", "-c"], input=tar, stdout=subprocess.PIPE, check=True).stdout
            l["mediaType"] = "application/vnd.oci.image.layer.v1.tar+zstd"
        l["digest"], l["size"] = put(data)
    d["digest"], d["size"] = put(json.dumps(man).encode())
json.dump(idx, open(lay + "/index.json", "w"))
PY
O=$T/z-store/ovroot V=$O/versions
mkdir -p "$V"
ov stage z --from "oci:$T/z:v2"
check "an image with zstd and plain tar layers: staged, three new layers" \
	'[ $rc = 0 ] && [ "$(grep -c ": staged$" "$T/out")" = 3 ] && [ "$(cat "$O/images/z")" != "$L3+$L2+$L1" ]'
mkdir -p "$T/mz"
mount -t overlay -o "ro,lowerdir=$(sed "s|^|$V/|; s|+|:$V/|g" "$O/images/z")" ovroot-z "$T/mz"
tree "$T/mz" >"$T/gotz"
diff "$T/want2" "$T/gotz" >"$T/out"
check "its overlay is exactly v2's tree" '[ ! -s "$T/out" ]'
umount "$T/mz"

# --- an opaque directory: v2 and a layer whose etc/ovroot-test holds
# .wh..wh..opq and id=v4 (umoci writes no such layer: made by hand)
python3 - "$T/z" <<'PY' || echo "# adding the opaque layer failed"
import hashlib, io, json, sys, tarfile
lay = sys.argv[1]
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(lay + "/blobs/sha256/" + h, "wb").write(data)
    return "sha256:" + h, len(data)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as t:
    for name, data in (("etc/ovroot-test/.wh..wh..opq", b""), ("etc/ovroot-test/id", b"v4\n")):
        i = tarfile.TarInfo(name)
        i.size, i.mode = len(data), 0o644
        t.addfile(i, io.BytesIO(data))
idx = json.load(open(lay + "/index.json"))
d = [d for d in idx["manifests"] if d["annotations"]["org.opencontainers.image.ref.name"] == "v2"][0]
man = json.load(open(lay + "/blobs/sha256/" + d["digest"][7:]))
digest, size = put(buf.getvalue())
man["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest, "size": size})
digest, size = put(json.dumps(man).encode())
idx["manifests"].append({"mediaType": d["mediaType"], "digest": digest, "size": size,
                         "annotations": {"org.opencontainers.image.ref.name": "v4"}})
json.dump(idx, open(lay + "/index.json", "w"))
PY
ov stage opq --from "oci:$T/z:v4"
check "an image whose top layer makes etc/ovroot-test opaque: one layer new" \
	'[ $rc = 0 ] && [ "$(grep -c ": staged$" "$T/out")" = 1 ]'
mount -t overlay -o "ro,lowerdir=$(sed "s|^|$V/|; s|+|:$V/|g" "$O/images/opq")" ovroot-opq "$T/mz"
check "its overlay shows etc/ovroot-test with id=v4 alone: the layers below are hidden" \
	'[ "$(ls "$T/mz/etc/ovroot-test")" = id ] && [ "$(cat "$T/mz/etc/ovroot-test/id")" = v4 ] &&
	 [ -f "$T/mz/sbin/init" ]'
umount "$T/mz"

# --- bad layouts: a clear error, nothing staged (a store of their own)
O=$T/bad/ovroot V=$O/versions
mkdir -p "$V"
bad() {	# DESC WHAT-THE-ERROR-SAYS SOURCE [OPTION...]
	desc=$1 what=$2
	shift 2
	rm -rf "$O" && mkdir -p "$V"
	ov stage bad --from "$@"
	check "$desc: refused, nothing staged" \
		'[ $rc = 1 ] && has "$what" && has "nothing staged" && [ -z "$(ls "$V")" ] && [ ! -e "$O/images" ]'
}
fresh() { rm -rf "$T/b" && cp -a "$L" "$T/b"; }
blob() { echo "$T/b/blobs/sha256/$(echo "$1" | cut -c8-)"*; }	# the blob of a layer name

fresh
f=$(blob "$L3")
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); b = f.read(1); f.seek(0); f.write(bytes([b[0] ^ 1]))' $f
bad "a layer blob whose content is not its digest" "corrupt or tampered" "oci:$T/b:v2"
fresh
rm $(blob "$L1")
bad "a missing layer blob" "missing" "oci:$T/b:v2"
fresh
bad "a tag the index does not have" "no image tagged 'v9'" "oci:$T/b:v9"
fresh
f=$(blob "$L3")
mv $f "$T/outside" && ln -s ../../../outside $f
bad "a layer blob that is a symlink out of the layout (content right)" "leads out of the layout" \
	"oci:$T/b:v2"
fresh
python3 - "$T/b" <<'PY'
import hashlib, json, sys
lay = sys.argv[1]
idx = json.load(open(lay + "/index.json"))
for d in idx["manifests"]:
    man = json.load(open(lay + "/blobs/sha256/" + d["digest"][7:]))
    man["layers"][-1]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+xz"
    text = json.dumps(man).encode()
    h = hashlib.sha256(text).hexdigest()
    open(lay + "/blobs/sha256/" + h, "wb").write(text)
    d["digest"], d["size"] = "sha256:" + h, len(text)
json.dump(idx, open(lay + "/index.json", "w"))
PY
bad "a layer of a media type ovroot does not know" "is not one ovroot knows" "oci:$T/b:v2"
bad "a layout directory that is not there" "nowhere: No such file" "oci:$T/nowhere"
manifest() { python3 -c 'import json, sys; print([d for d in json.load(open(sys.argv[1] + "/index.json"))["manifests"] if d["annotations"]["org.opencontainers.image.ref.name"] == sys.argv[2]][0]["digest"][7:])' "$@"; }
fresh
bad "--sha256 another image's manifest digest" "not $(manifest "$L" v2)" \
	"oci:$T/b:v1" --sha256 "$(manifest "$L" v2)"
ov stage good --from "oci:$T/b:v1" --sha256 "$(manifest "$L" v1)"
check "--sha256 the image's manifest digest: staged" '[ $rc = 0 ] && [ -f "$O/images/good" ]'

tap_done
