/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the command prints: sizes as du -h shows them, and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "command/format.h"

void json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

void json_stack(FILE *f, const struct stack *st)
{
	size_t len = stack_format(st, NULL, 0);
	char *text;

	if (!st->n || !(text = malloc(len + 1))) {
		fputs("null", f);
		return;
	}
	stack_format(st, text, len + 1);
	json_str(f, text);
	free(text);
}

int json_flag(int argc, char **argv, const char *cmd, bool *json)
{
	*json = argc == 1 && !strcmp(argv[0], "--json");
	if (argc == 0 || *json)
		return 0;
	fprintf(stderr, "ovroot: %s: unexpected '%s' (only --json)\n", cmd, argv[0]);
	return -1;
}

void size_human(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	double v = (double)bytes;
	int u = -1;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", bytes);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
}
