#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The state area checks with the tiny (klibc) init.
OVROOT_INIT=$PWD/build/init/ovroot-init-tiny exec sh "$(dirname "$0")/state.sh"
