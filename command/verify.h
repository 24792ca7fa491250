/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_VERIFY_H
#define OVROOT_COMMAND_VERIFY_H

#include <stdbool.h>

#include "command/store.h"
#include "selector/stack.h"

/*
 * Checks each layer of st against its manifest (ovroot/manifests/NAME): a
 * directory is read whole and every path that differs is printed
 * ("NAME: PATH: what"), an image by its digest; with need_manifest (ovroot
 * verify) each good layer is said too and a layer without a manifest fails,
 * else (promote) such a layer, made by hand, is passed over.  Returns how
 * many layers failed, -1 when one could not be read.
 */
int verify_stack(const struct store *s, const struct stack *st, bool need_manifest);

#endif
