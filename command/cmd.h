/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_CMD_H
#define OVROOT_CMD_H

#include <stdbool.h>

#include "command/store.h"

/*
 * mark-good's refusal by design: the running stack is not the promoted root
 * (a fallback or override boot), so nothing is confirmed.  A unit lists it
 * in SuccessExitStatus=: such a boot is no failure of the system.
 */
#define EXIT_NOT_PROMOTED 3

/* The commands of `ovroot`: argv holds what follows the command's name. */
int cmd_status(struct store *s, int argc, char **argv);
int cmd_list(struct store *s, int argc, char **argv);
int cmd_pin(struct store *s, int argc, char **argv);
int cmd_unpin(struct store *s, int argc, char **argv);
int cmd_promote(struct store *s, int argc, char **argv);
int cmd_rollback(struct store *s, int argc, char **argv);
int cmd_mark_good(struct store *s, int argc, char **argv);
int cmd_gc(struct store *s, int argc, char **argv);
int cmd_stage(struct store *s, int argc, char **argv);
int cmd_verify(struct store *s, int argc, char **argv);
int cmd_squash(struct store *s, int argc, char **argv);

/* "--json" or nothing; -1 said when something else is given. */
int json_flag(int argc, char **argv, const char *cmd, bool *json);

#endif
