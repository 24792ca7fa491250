/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/pins.h"
#include "lib/file.h"
#include "lib/log.h"

#define PINS_MAX (1024 * 1024)

bool pins_has(const struct pins *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->name[i], name))
			return true;
	return false;
}

int pins_add(struct pins *p, const char *name)
{
	void *v;

	if (pins_has(p, name))
		return 0;
	v = realloc(p->name, (p->n + 1) * sizeof(p->name[0]));
	if (!v)
		return -1;
	p->name = v;
	snprintf(p->name[p->n++], sizeof(p->name[0]), "%s", name);
	return 0;
}

void pins_remove(struct pins *p, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name))
			memmove(p->name[j++], p->name[i], sizeof(p->name[0]));
	p->n = j;
}

/* A missing file pins nothing; a line that is no version name is said and skipped. */
int pins_load(int dirfd, struct pins *p)
{
	char *text, *line, *save = NULL;
	int r = read_small_file(dirfd, PINS_NAME, PINS_MAX, &text, NULL);

	memset(p, 0, sizeof(*p));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		say("cannot read %s: %s", PINS_NAME, strerror(-r));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!version_name_valid(line, strlen(line)))
			say("%s: '%.80s' is not a version name: ignored", PINS_NAME, line);
		else if (pins_add(p, line) < 0)
			r = -1;
	}
	free(text);
	return r;
}

int pins_save(int dirfd, const struct pins *p, char *err, size_t errlen)
{
	char *text = malloc(p->n * sizeof(p->name[0]) + 1);
	size_t len = 0;
	int r;

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		len += (size_t)sprintf(text + len, "%s\n", p->name[i]);
	r = atomic_write(dirfd, PINS_NAME, text, len, err, errlen);
	free(text);
	return r;
}

void pins_free(struct pins *p)
{
	free(p->name);
	memset(p, 0, sizeof(*p));
}
