/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the command prints: sizes as du -h shows them, and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "command/format.h"

/* The length of the valid UTF-8 sequence at s, 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (s[0] < 0x80)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* A JSON string; bytes that are not UTF-8 (a corrupt file's text) become U+FFFD. */
void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
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
