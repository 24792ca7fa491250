/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "command/format.h"
#include "command/refs.h"
#include "command/store_mount.h"
#include "selector/policy.h"
#include "selector/promfile.h"

#define TEXT_MAX (STACK_LAYERS_MAX * (VERSION_NAME_MAX + 1))

/*
 * A stack someone chose for this boot (ovroot.root=, the boot menu) is no
 * rollback: the promoted root was not fled from, only not asked for.
 */
static const char *chosen_by(const struct booted *b)
{
	if (!strcmp(b->reason, "override"))
		return "ovroot.root= on the kernel command line";
	if (!strcmp(b->reason, "menu"))
		return "the boot menu";
	return NULL;
}

/* Why the boot fell back from the promoted stack; NULL when it did not. */
static const char *rollback_why(const struct booted *b)
{
	static const struct { const char *reason, *why; } t[] = {
		{ "key", "the rollback key was held at boot" },
		{ "tries-exhausted", "its tries ran out before it was marked good" },
		{ "layer-missing", "a layer of it was missing at boot" },
		{ "file-bad", "the promotion file was missing or corrupt: its backup chose" },
		{ "good", "neither it nor the fallback could boot" },
	};

	if (!strcmp(b->reason, "promoted") || chosen_by(b) ||
	    (b->promoted.n && stack_equal(&b->stack, &b->promoted)))
		return NULL;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(b->reason, t[i].reason))
			return t[i].why;
	return "the init chose another stack";
}

static const char *fallback_origin(const struct promfile *pf)
{
	if (pf->fallback.n)
		return "";
	return pf->good.n ? " (derived: good)" : " (derived: root without its top layer)";
}

static char *fmt(const struct stack *st, char *buf)
{
	if (!st->n)
		return strcpy(buf, "-");
	stack_format(st, buf, TEXT_MAX);
	return buf;
}

static void text_booted(const struct booted *b, const struct promfile *file)
{
	static char a[TEXT_MAX], p[TEXT_MAX];
	const char *why = rollback_why(b);

	if (why)
		printf("ROLLBACK: booted %s, not the promoted %s: %s\n", fmt(&b->stack, a),
		       fmt(&b->promoted, p), why);
	else if (chosen_by(b) && !(b->promoted.n && stack_equal(&b->stack, &b->promoted)))
		printf("OVERRIDE: booted %s, chosen by %s for this boot; the promoted %s "
		       "is unchanged\n", fmt(&b->stack, a), chosen_by(b), fmt(&b->promoted, p));
	if (file && b->promoted.n && !stack_equal(&b->promoted, &file->root))
		printf("changed since boot: the next boot uses %s\n", fmt(&file->root, p));
	printf("booted:    %s (%s), upper %s%s%s\n", fmt(&b->stack, a), b->reason, b->upper,
	       b->upper_path[0] ? " " : "", b->upper_path);
	if (b->state[0])
		printf("state:     %s (docs/state.md)\n", b->state);
}

static void text_file(const struct store *s, const struct refs *r)
{
	static char a[TEXT_MAX];
	const struct promfile *f = &r->file;
	struct stack fb;

	if (!r->have_file) {
		printf("promotion file %s/%s %s: the next boot uses %s\n", s->dir,
		       PROMFILE_NAME, r->file_why,
		       r->have_backup ? "boot.bak" : "nothing (no usable boot.bak)");
		if (!r->have_backup)
			return;
		f = &r->backup;
	}
	fb = policy_fallback(f);
	printf("promoted:  %s\n", fmt(&f->root, a));
	printf("fallback:  %s%s\n", fmt(&fb, a), fallback_origin(f));
	printf("good:      %s\n", fmt(&f->good, a));
	if (f->tries < 0)
		printf("tries:     confirmed\n");
	else
		printf("tries:     %d boot%s left to confirm it%s\n", f->tries,
		       f->tries == 1 ? "" : "s", f->tries ? "" : ": the next boot falls back");
	printf("upper:     %s\n", upper_mode_name(f->upper < 0 ? UPPER_TMPFS : f->upper));
}

static void text_status(const struct store *s, const struct refs *r)
{
	struct store_where w;

	if (r->booted)
		text_booted(r->booted, r->have_file ? &r->file : NULL);
	text_file(s, r);
	store_where(s, &w);
	printf("store:     %s%s%s%s on %s, %s (%s)\n", w.device[0] ? w.device : "?",
	       w.type[0] ? " (" : "", w.type, w.type[0] ? ")" : "",
	       w.mount[0] ? w.mount : "?", s->dir, w.read_only ? "read-only" : "read-write");
}

static void json_booted(const struct booted *b)
{
	const char *why = rollback_why(b);

	fputs("\"booted\":{\"stack\":", stdout);
	json_stack(stdout, &b->stack);
	fputs(",\"reason\":", stdout);
	json_str(stdout, b->reason);
	fputs(",\"promoted\":", stdout);
	json_stack(stdout, &b->promoted);
	printf(",\"override\":%s", chosen_by(b) ? "true" : "false");
	printf(",\"rollback\":%s,\"rollback_why\":", why ? "true" : "false");
	if (why)
		json_str(stdout, why);
	else
		fputs("null", stdout);
	fputs(",\"upper\":", stdout);
	json_str(stdout, b->upper);
	fputs(",\"state\":", stdout);
	if (b->state[0])
		json_str(stdout, b->state);
	else
		fputs("null", stdout);
	fputs(",\"tries\":", stdout);
	fputs(b->tries[0] && strspn(b->tries, "0123456789") == strlen(b->tries) ?
	      b->tries : "null", stdout);
	fputs("},", stdout);
}

static void json_file(const char *key, const struct promfile *f, const char *why)
{
	struct stack fb;

	printf("\"%s\":{\"ok\":%s", key, why ? "false" : "true");
	if (why) {
		fputs(",\"error\":", stdout);
		json_str(stdout, why);
		fputs("},", stdout);
		return;
	}
	fb = policy_fallback(f);
	fputs(",\"root\":", stdout);
	json_stack(stdout, &f->root);
	fputs(",\"fallback\":", stdout);
	json_stack(stdout, &fb);
	printf(",\"fallback_derived\":%s,\"good\":", f->fallback.n ? "false" : "true");
	json_stack(stdout, &f->good);
	if (f->tries < 0)
		fputs(",\"tries\":null", stdout);
	else
		printf(",\"tries\":%d", f->tries);
	printf(",\"upper\":\"%s\"},", upper_mode_name(f->upper < 0 ? UPPER_TMPFS : f->upper));
}

static void json_status(const struct store *s, const struct refs *r)
{
	struct store_where w;

	putchar('{');
	if (r->booted)
		json_booted(r->booted);
	else
		fputs("\"booted\":null,", stdout);
	json_file("file", &r->file, r->have_file ? NULL : r->file_why);
	json_file("backup", &r->backup, r->have_backup ? NULL : r->backup_why);
	store_where(s, &w);
	fputs("\"store\":{\"dir\":", stdout);
	json_str(stdout, s->dir);
	fputs(",\"device\":", stdout);
	json_str(stdout, w.device);
	fputs(",\"type\":", stdout);
	json_str(stdout, w.type);
	fputs(",\"mount\":", stdout);
	json_str(stdout, w.mount);
	printf(",\"read_only\":%s}}\n", w.read_only ? "true" : "false");
}

int cmd_status(struct store *s, int argc, char **argv)
{
	struct refs r;
	bool json;

	if (json_flag(argc, argv, "status", &json) < 0)
		return 2;
	refs_load(&r, s);
	if (json)
		json_status(s, &r);
	else
		text_status(s, &r);
	refs_free(&r);
	return 0;
}
