/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_STAGECHECK_H
#define OVROOT_COMMAND_STAGECHECK_H

#include "command/manifest.h"

/*
 * What was staged (got, read back from the disk) against what it must be
 * (want, from the source): each path that differs said, "nothing staged";
 * 0 when they are the same, else -1.
 */
int stage_check(const char *name, const struct manifest *want, const struct manifest *got);

#endif
