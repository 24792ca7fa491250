#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The same --prepare checks with the tiny (klibc) init: both flavours must
# behave alike but for how they find the store.
OVROOT_INIT=$PWD/build/init/ovroot-init-tiny exec sh "$(dirname "$0")/prepare.sh"
