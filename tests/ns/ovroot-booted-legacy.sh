#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/ns/ovroot-booted.sh on a stack mounted the way kernels before 6.8
# (the Debian 12 kernel the device boots) take: mount(2) with relative
# lowerdir=0:1:2, names that lead nowhere once the init has removed its links.
# The init with the test hooks (build/tests/ovroot-init-hooked) and
# OVROOT_NO_LOWERDIR_PLUS=1 force that path on any kernel.
init=${OVROOT_INIT_HOOKED:-$PWD/build/tests/ovroot-init-hooked}
[ -x "$init" ] || { echo "not ok 1 - $init missing: make $init"; exit 1; }
OVROOT_INIT=$init OVROOT_NO_LOWERDIR_PLUS=1 exec sh "$(dirname "$0")/ovroot-booted.sh"
