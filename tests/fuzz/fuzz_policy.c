// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The selection policy (selector/policy.c) fed with whatever the parsers
 * accept.  Input: byte 0 flags (bit 0 key held, bit 1 a try cannot be
 * recorded, bit 2 the override comes from the menu, bits 4-5 ovroot.upper= + 1),
 * bytes 1-8 a bitmap of usable layers (bit = hash of the name % 64), then
 * NUL-separated: the promotion file, its backup, the ovroot.root= stack.
 * A part that does not parse is missing, as at boot.
 */
#include "selector/policy.h"
#include "tests/fuzz/fuzz.h"

struct input {
	struct promfile file, backup;
	struct stack override;
	bool has_file, has_backup, has_override;
	uint64_t usable;
};

static bool layer_ok(void *ctx, const char *name)
{
	const struct input *in = ctx;
	uint32_t h = 2166136261u;

	CHECK(version_name_valid(name, strlen(name)));
	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return in->usable >> (h % 64) & 1;
}

static bool usable(struct input *in, const struct stack *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (!layer_ok(in, st->layer[i]))
			return false;
	return st->n > 0;
}

/* What a rollback would boot is there: the fallback or good=. */
static bool safe_usable(struct input *in, const struct promfile *f)
{
	struct stack fb = policy_fallback(f);

	return usable(in, &fb) || usable(in, &f->good);
}

/* Splits off the part up to the next NUL (or the end). */
static const char *part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *s = *p, *nul;

	if (!s)
		return NULL;
	nul = memchr(s, '\0', (size_t)(end - s));
	*len = nul ? (size_t)(nul - s) : (size_t)(end - s);
	*p = nul ? nul + 1 : NULL;
	return (const char *)s;
}

static void parse_input(struct input *in, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	const char *s;
	char err[256];
	size_t len;

	if ((s = part(&p, end, &len)))
		in->has_file = promfile_parse(&in->file, s, len, NULL, NULL, err, sizeof(err)) == 0;
	if ((s = part(&p, end, &len)))
		in->has_backup = promfile_parse(&in->backup, s, len, NULL, NULL, err,
						sizeof(err)) == 0;
	if ((s = part(&p, end, &len)))
		in->has_override = stack_parse(&in->override, s, len, err, sizeof(err)) == 0;
}

/* The chosen stack is a view into one of the inputs' stacks. */
static bool view_of(const struct stack *d, const struct stack *src)
{
	return src->n && d->layer >= src->layer && d->layer + d->n <= src->layer + src->n;
}

static bool view_of_file(const struct stack *d, const struct promfile *f)
{
	return view_of(d, &f->root) || view_of(d, &f->fallback) || view_of(d, &f->good);
}

static void check_decision(struct input *in, const struct policy_input *pi,
			   const struct decision *d)
{
	const struct promfile *f = pi->file;
	bool unrecordable = f && f->tries > 0 && pi->tries_unwritable;

	CHECK(d->reason >= REASON_NONE && d->reason <= REASON_MENU);
	CHECK(d->reason != REASON_MENU || pi->override_from_menu);
	CHECK(reason_name(d->reason) != NULL);
	CHECK(d->upper >= UPPER_TMPFS && d->upper <= UPPER_NONE);
	/* Nothing to boot: the upper mode is moot. */
	CHECK(d->reason == REASON_NONE || pi->upper_override < 0 ||
	      (int)d->upper == pi->upper_override);
	CHECK((d->reason == REASON_NONE) == (d->stack.n == 0));
	if (d->reason != REASON_NONE) {
		CHECK(usable(in, &d->stack));
		CHECK((pi->override && view_of(&d->stack, pi->override)) ||
		      (f && view_of_file(&d->stack, f)) ||
		      (pi->backup && view_of_file(&d->stack, pi->backup)));
	}
	if (d->missing)
		CHECK(!layer_ok(in, d->missing));
	CHECK(d->write_tries < 0 || (d->reason == REASON_PROMOTED && !pi->tries_unwritable &&
				     f->tries > 0 && d->write_tries == f->tries - 1));
	if (d->reason == REASON_PROMOTED)
		CHECK(f->tries <= 0 || pi->tries_unwritable || d->write_tries == f->tries - 1);
	CHECK(d->reason != REASON_TRIES_UNWRITABLE ||
	      (pi->tries_unwritable && !pi->key_held && f && f->tries > 0));
	CHECK(d->reason != REASON_OVERRIDE || (pi->override && !pi->override_from_menu));
	CHECK(d->reason != REASON_MENU || pi->override);
	CHECK(d->reason != REASON_FILE_BAD || (!f && pi->backup));
	CHECK(d->reason == REASON_NONE || d->reason == REASON_OVERRIDE ||
	      d->reason == REASON_MENU || d->reason == REASON_FILE_BAD || f);
	if (pi->override && usable(in, pi->override))
		CHECK(d->reason == (pi->override_from_menu ? REASON_MENU : REASON_OVERRIDE));
	else if (f && !pi->key_held && f->tries != 0 && usable(in, &f->root) &&
		 !(unrecordable && safe_usable(in, f)))
		CHECK(d->reason == REASON_PROMOTED && stack_equal(&d->stack, &f->root));
	else if (f && (pi->key_held || f->tries == 0 || unrecordable) && usable(in, &f->good))
		CHECK(d->reason == (pi->key_held ? REASON_KEY : f->tries == 0 ?
				    REASON_TRIES_EXHAUSTED : REASON_TRIES_UNWRITABLE));
	if (f && d->reason == REASON_NONE)
		CHECK(!usable(in, &f->root) && !usable(in, &f->good));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { 0 };
	struct policy_input pi = { .layer_ok = layer_ok, .ctx = &in };
	struct decision d;

	if (size < 9)
		return 0;
	promfile_init(&in.file);
	promfile_init(&in.backup);
	pi.key_held = data[0] & 1;
	pi.tries_unwritable = data[0] >> 1 & 1;
	pi.override_from_menu = data[0] >> 2 & 1;
	pi.upper_override = (data[0] >> 4 & 3) - 1;
	memcpy(&in.usable, data + 1, sizeof(in.usable));
	parse_input(&in, data + 9, size - 9);
	pi.file = in.has_file ? &in.file : NULL;
	pi.backup = in.has_backup ? &in.backup : NULL;
	pi.override = in.has_override ? &in.override : NULL;
	d = policy_select(&pi);
	check_decision(&in, &pi, &d);
	promfile_free(&in.file);
	promfile_free(&in.backup);
	if (in.has_override)
		stack_free(&in.override);
	return 0;
}
