# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the OCI tests (tests/ns/oci.sh, qemu-tests/test-oci.sh): small
# images built with umoci, and a registry of their own on 127.0.0.1 to push
# them through with skopeo.  Needs umoci, skopeo, docker-registry
# (scripts/install-deps).

# oci_build LAYOUT WORK INIT: the OCI layout LAYOUT with the tags
#   v1: two layers, a root (INIT as /sbin/init, etc/ovroot-test/base) and
#       etc/ovroot-test/id=v1 with etc/ovroot-test/doomed;
#   v2: v1's two layers and a third: id=v2, doomed deleted (a whiteout);
#   v3: v1's two layers and a third: id=v3.
# WORK/v1 ... WORK/v3 are `umoci unpack`s of each: what the image holds.
oci_build() {
	_l=$1 _w=$2
	umoci init --layout "$_l" && umoci new --image "$_l:v1" || return 1
	umoci unpack --image "$_l:v1" "$_w/b" >/dev/null || return 1
	_r=$_w/b/rootfs
	mkdir -p "$_r/dev" "$_r/proc" "$_r/sys" "$_r/run" "$_r/tmp" "$_r/sbin" "$_r/etc/ovroot-test"
	cp "$3" "$_r/sbin/init" && echo base >"$_r/etc/ovroot-test/base" || return 1
	umoci repack --image "$_l:v1" "$_w/b" && rm -rf "$_w/b" || return 1
	_layer() {	# TAG: v1 and one layer made by oci_change TAG
		umoci unpack --image "$_l:v1" "$_w/b" >/dev/null || return 1
		oci_change "$1" "$_w/b/rootfs" && umoci repack --image "$_l:$1" "$_w/b" &&
			rm -rf "$_w/b"
	}
	_layer v1 && _layer v2 && _layer v3 || return 1
	for _t in v1 v2 v3; do
		umoci unpack --image "$_l:$_t" "$_w/$_t" >/dev/null || return 1
	done
}

oci_change() {	# TAG ROOTFS
	echo "$1" >"$2/etc/ovroot-test/id"
	case $1 in
	v1) echo doomed >"$2/etc/ovroot-test/doomed" ;;
	v2) rm "$2/etc/ovroot-test/doomed" ;;
	esac
}

# oci_registry_pull SRC DST TMP TAG...: starts docker-registry on a free port
# of 127.0.0.1 (config and storage under TMP, its pid in $reg_pid), pushes
# SRC's TAGs to it and pulls them into the layout DST, all with skopeo.
# 0, or 1 with why in $reg_why.  oci_registry_stop stops it.
reg_pid=
oci_registry_pull() {
	_src=$1 _dst=$2 _t=$3
	shift 3
	printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$_t/policy.json"
	for _try in 1 2 3; do
		oci_registry_start "$_t" && break
	done
	[ -n "$reg_pid" ] || return 1
	for _tag; do
		skopeo --policy "$_t/policy.json" copy -q --dest-tls-verify=false \
			"oci:$_src:$_tag" "docker://127.0.0.1:$reg_port/ovroot/test:$_tag" \
			>"$_t/skopeo.log" 2>&1 || { reg_why="skopeo push: $(tail -1 "$_t/skopeo.log")"; return 1; }
		skopeo --policy "$_t/policy.json" copy -q --src-tls-verify=false \
			"docker://127.0.0.1:$reg_port/ovroot/test:$_tag" "oci:$_dst:$_tag" \
			>"$_t/skopeo.log" 2>&1 || { reg_why="skopeo pull: $(tail -1 "$_t/skopeo.log")"; return 1; }
	done
}

oci_registry_start() {	# TMP
	reg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$1/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $1/registry
http:
  addr: 127.0.0.1:$reg_port
EOF
	docker-registry serve "$1/registry.yml" >"$1/registry.log" 2>&1 &
	reg_pid=$!
	for _ in $(seq 50); do
		python3 -c 'import sys, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/v2/" % sys.argv[1], timeout=1)' \
			"$reg_port" 2>/dev/null && return 0
		kill -0 "$reg_pid" 2>/dev/null || break
		sleep 0.2
	done
	reg_why="docker-registry did not answer on 127.0.0.1:$reg_port: $(tail -1 "$1/registry.log")"
	oci_registry_stop
	return 1
}

oci_registry_stop() {
	[ -n "$reg_pid" ] || return 0
	kill "$reg_pid" 2>/dev/null
	wait "$reg_pid" 2>/dev/null
	reg_pid=
}
