/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stddef.h>

#include "selector/policy.h"

static const char *const reason_names[] = {
	[REASON_NONE] = "none",
	[REASON_OVERRIDE] = "override",
	[REASON_PROMOTED] = "promoted",
	[REASON_KEY] = "key",
	[REASON_TRIES_EXHAUSTED] = "tries-exhausted",
	[REASON_LAYER_MISSING] = "layer-missing",
	[REASON_GOOD] = "good",
	[REASON_FILE_BAD] = "file-bad",
	[REASON_TRIES_UNWRITABLE] = "tries-unwritable",
	[REASON_MENU] = "menu",
};

const char *reason_name(enum reason r)
{
	return reason_names[r];
}

/* fallback= when given, else good=, else root without its top layer. */
struct stack policy_fallback(const struct promfile *pf)
{
	if (pf->fallback.n)
		return pf->fallback;
	if (pf->good.n)
		return pf->good;
	return stack_without_top(&pf->root);
}

static const char *first_missing(const struct policy_input *in, const struct stack *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (!in->layer_ok(in->ctx, st->layer[i]))
			return st->layer[i];
	return NULL;
}

/* Takes st when it is non-empty and every layer is usable. */
static bool try_stack(const struct policy_input *in, struct decision *d,
		      struct stack st, enum reason r)
{
	const char *missing;

	if (st.n == 0)
		return false;
	missing = first_missing(in, &st);
	if (missing) {
		if (!d->missing)
			d->missing = missing;
		return false;
	}
	d->stack = st;
	d->reason = r;
	return true;
}

/* What a rollback boots: the fallback, or else the last stack known good. */
static bool try_safe(const struct policy_input *in, struct decision *d,
		     const struct promfile *f, enum reason r)
{
	return try_stack(in, d, policy_fallback(f), r) || try_stack(in, d, f->good, r);
}

static void set_upper(const struct policy_input *in, const struct promfile *pf,
		      struct decision *d)
{
	if (in->upper_override >= 0)
		d->upper = (enum upper_mode)in->upper_override;
	else if (pf && pf->upper >= 0)
		d->upper = (enum upper_mode)pf->upper;
}

/* Without a readable file only what its backup calls safe may boot. */
static void select_from_backup(const struct policy_input *in, struct decision *d)
{
	const struct promfile *b = in->backup;

	if (!b)
		return;
	set_upper(in, b, d);
	if (try_safe(in, d, b, REASON_FILE_BAD))
		return;
	if (b->tries < 0)
		try_stack(in, d, b->root, REASON_FILE_BAD);
}

static void select_from_file(const struct policy_input *in, struct decision *d)
{
	const struct promfile *f = in->file;
	struct stack fb = policy_fallback(f);

	set_upper(in, f, d);
	if (in->key_held) {
		if (try_safe(in, d, f, REASON_KEY))
			return;
		d->note = "rollback key held, but no usable fallback: booting root";
	}
	if (f->tries == 0) {
		if (try_safe(in, d, f, REASON_TRIES_EXHAUSTED))
			return;
		d->note = "tries spent, but no usable fallback: booting root again";
	}
	/* An uncounted try could boot a bad version for ever. */
	if (f->tries > 0 && in->tries_unwritable) {
		if (try_safe(in, d, f, REASON_TRIES_UNWRITABLE))
			return;
		d->note = "this try cannot be recorded, but no usable fallback: booting root uncounted";
	}
	if (try_stack(in, d, f->root, REASON_PROMOTED)) {
		if (f->tries > 0 && !in->tries_unwritable)
			d->write_tries = f->tries - 1;
		return;
	}
	if (try_stack(in, d, fb, REASON_LAYER_MISSING))
		return;
	try_stack(in, d, f->good, REASON_GOOD);
}

/*
 * The whole selection, as a pure function of its inputs.  Order:
 * ovroot.root= > key held: fallback > tries=0 or a try that cannot be
 * recorded: fallback > root > fallback > good > nothing (fatal).  A choice whose layers are not all usable is
 * passed over.
 */
struct decision policy_select(const struct policy_input *in)
{
	struct decision d = {
		.reason = REASON_NONE,
		.upper = UPPER_TMPFS,
		.write_tries = -1,
	};

	if (in->override && try_stack(in, &d, *in->override,
				      in->override_from_menu ? REASON_MENU : REASON_OVERRIDE)) {
		set_upper(in, in->file, &d);
		return d;
	}
	if (in->override)
		d.note = in->override_from_menu ? "the stack chosen in the menu cannot boot" :
						  "ovroot.root= names a missing version: ignored";
	if (in->file)
		select_from_file(in, &d);
	else
		select_from_backup(in, &d);
	return d;
}
