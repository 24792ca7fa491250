/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "selector/upper_mode.h"

static const char *const upper_names[] = {
	[UPPER_TMPFS] = "tmpfs",
	[UPPER_PERSIST] = "persist",
	[UPPER_NONE] = "none",
};

int upper_mode_parse(const char *s, size_t len)
{
	for (int i = 0; i < (int)(sizeof(upper_names) / sizeof(upper_names[0])); i++)
		if (strlen(upper_names[i]) == len && memcmp(s, upper_names[i], len) == 0)
			return i;
	return -1;
}

const char *upper_mode_name(int mode)
{
	if (mode < 0 || mode > UPPER_NONE)
		return "unset";
	return upper_names[mode];
}
