/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The boot menu, drawn in plain text on the console (40 columns, a serial
 * line at 9600 baud) and driven from any evdev keyboard and from the
 * console itself (raw mode, VT100 arrows).  What it offers and what a
 * choice writes is the selector's (selector/menu.c); this is the terminal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/fatal.h"
#include "lib/beneath.h"
#include "lib/layers.h"
#include "lib/log.h"
#include "selector/menu.h"

#define VERSIONS_MAX 64

enum action { ACT_NONE, ACT_UP, ACT_DOWN, ACT_BOOT, ACT_DEFAULT, ACT_UPPER, ACT_SHELL,
	      ACT_PICK };

struct term {
	const struct menu *m;
	size_t cur;
	int upper;
	bool has_shell, touched;
	bool console_gone;	/* stdin at its end: a pipe in a test, never the console */
	struct keywatch kbd;
	unsigned short navkeys[4];
	unsigned char esc[3];	/* a VT100 sequence being read */
	size_t nesc;
};

static const char *kind_of(void *ctx, const char *name, const char **why)
{
	const struct boot *b = ctx;
	enum layer_kind kind;
	int r = layer_find(b->dirfd, name, &kind);

	if (r == 0)
		return kind == LAYER_DIR ? "dir" : layer_fstype(kind);
	*why = r == -ENOENT ? "missing" : r == -EXDEV ? "leads out of the store" : strerror(-r);
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every version name in the store (at most VERSIONS_MAX), sorted. */
static size_t list_versions(const struct boot *b, char (*names)[VERSION_NAME_MAX + 1])
{
	int fd = beneath_subdir(b->dirfd, "versions");
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	size_t n = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) && n < VERSIONS_MAX) {
		size_t len = strcspn(e->d_name, ".");
		const char *dot = e->d_name + len;

		if ((!*dot || !strcmp(dot, ".squashfs") || !strcmp(dot, ".erofs")) &&
		    version_name_valid(e->d_name, len))
			snprintf(names[n++], VERSION_NAME_MAX + 1, "%.*s", (int)len, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	return n;
}

/* One line of at most 40 columns: a 40-column console or a serial terminal. */
static void put_line(const char *text)
{
	char line[48];
	int n = snprintf(line, sizeof(line), "%.40s\n", text);

	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		return;
}

static void draw(const struct term *t, int left_s)
{
	char st[VERSION_NAME_MAX * 2], line[128];

	put_line("ovroot boot menu");
	for (size_t i = 0; i < t->m->n; i++) {
		const struct menu_entry *e = &t->m->v[i];

		stack_format(&e->stack, st, sizeof(st));
		snprintf(line, sizeof(line), "%c%zu %-14s %s%s%s", i == t->cur ? '>' : ' ', i + 1,
			 st, e->usable ? "" : "(", e->info, e->usable ? "" : ")");
		put_line(line);
	}
	snprintf(line, sizeof(line), " u upper: %s%s", upper_mode_name(t->upper),
		 t->has_shell ? "   s shell" : "");
	put_line(line);
	put_line(" up/down 1-9, Enter: boot it once");
	put_line(" d: boot it and make it default");
	if (left_s >= 0) {
		snprintf(line, sizeof(line), " booting %zu in %d s", t->cur + 1, left_s);
		put_line(line);
	}
}

static enum action from_code(unsigned code, int *pick)
{
	if (code >= KEY_1 && code <= KEY_9) {
		*pick = (int)(code - KEY_1);
		return ACT_PICK;
	}
	switch (code) {
	case KEY_UP: return ACT_UP;
	case KEY_DOWN: return ACT_DOWN;
	case KEY_ENTER: case KEY_KPENTER: return ACT_BOOT;
	case KEY_D: return ACT_DEFAULT;
	case KEY_U: return ACT_UPPER;
	case KEY_S: return ACT_SHELL;
	default: return ACT_NONE;
	}
}

/* One byte from the console: plain keys, and ESC [ A / ESC [ B for the arrows. */
static enum action from_byte(struct term *t, unsigned char c, int *pick)
{
	if (t->nesc || c == 0x1b) {
		t->esc[t->nesc++] = c;
		if (t->nesc < 3)
			return ACT_NONE;
		t->nesc = 0;
		return t->esc[1] != '[' ? ACT_NONE : t->esc[2] == 'A' ? ACT_UP :
		       t->esc[2] == 'B' ? ACT_DOWN : ACT_NONE;
	}
	if (c >= '1' && c <= '9') {
		*pick = c - '1';
		return ACT_PICK;
	}
	switch (c) {
	case '\r': case '\n': return ACT_BOOT;
	case 'd': return ACT_DEFAULT;
	case 'u': return ACT_UPPER;
	case 's': return ACT_SHELL;
	case 'k': return ACT_UP;
	case 'j': return ACT_DOWN;
	default: return ACT_NONE;
	}
}

/* The next key from any keyboard or the console, or ACT_NONE after ms. */
static enum action next_key(struct term *t, int ms, int *pick)
{
	struct pollfd p[KEYBOARDS_MAX + 1];
	size_t n = 0;

	keys_scan(&t->kbd, "/dev/input");
	p[n++] = (struct pollfd){ .fd = t->console_gone ? -1 : STDIN_FILENO, .events = POLLIN };
	for (size_t i = 0; i < t->kbd.n; i++)
		p[n++] = (struct pollfd){ .fd = t->kbd.fd[i], .events = POLLIN };
	if (poll(p, (nfds_t)n, ms) <= 0)
		return ACT_NONE;
	for (size_t i = 1; i < n; i++) {
		struct input_event ev;

		while (p[i].revents && read(p[i].fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
			if (ev.type == EV_KEY && ev.value == 1 && from_code(ev.code, pick))
				return from_code(ev.code, pick);
	}
	if (p[0].revents & POLLIN) {
		unsigned char c;

		if (read(STDIN_FILENO, &c, 1) == 1)
			return from_byte(t, c, pick);
		t->console_gone = true;
	}
	return ACT_NONE;
}

/* Applies a key; true when the menu is done. */
static bool act(struct term *t, enum action a, int pick, bool *make_default)
{
	switch (a) {
	case ACT_UP: t->cur = menu_step(t->m, t->cur, -1); return false;
	case ACT_DOWN: t->cur = menu_step(t->m, t->cur, +1); return false;
	case ACT_PICK:
		if ((size_t)pick < t->m->n && t->m->v[pick].usable)
			t->cur = (size_t)pick;
		return false;
	case ACT_UPPER: t->upper = (t->upper + 1) % (UPPER_NONE + 1); return false;
	case ACT_SHELL: return t->has_shell;
	case ACT_DEFAULT: *make_default = true; return true;
	case ACT_BOOT: return true;
	default: return false;
	}
}

/* Runs the menu: the entry chosen, or -1 for the rescue shell. */
static long run(struct term *t, int timeout_s, bool *make_default)
{
	long long deadline = timeout_s > 0 ? now_ms() + 1000LL * timeout_s : -1;
	int shown = -2;

	for (;;) {
		int pick = 0, left = deadline < 0 || t->touched ? -1 :
				     (int)((deadline - now_ms() + 999) / 1000);
		enum action a;

		if (left != shown && (left < 0 || left % 5 == 0 || shown == -2)) {
			draw(t, left);
			shown = left;
		}
		if (left == 0)
			return (long)t->cur;
		a = next_key(t, 200, &pick);
		if (a == ACT_NONE)
			continue;
		t->touched = true;
		if (act(t, a, pick, make_default))
			return a == ACT_SHELL ? -1 : (long)t->cur;
		shown = -2;
	}
}

/* "Boot and make default": the same atomic write as ovroot promote. */
static void make_default(struct boot *b, const struct stack *st)
{
	char why[320];

	if (!b->have_file || menu_make_default(&b->file, st) < 0) {
		say_warn("menu: cannot make the choice default: no readable promotion file");
		return;
	}
	if (boot_write_file(b, why, sizeof(why)) < 0)
		say_warn("menu: cannot make the choice default (%s): booting it once", why);
	else
		say("menu: the choice is now the promoted root");
}

static void raw_console(struct termios *saved, bool *restore)
{
	struct termios raw;

	*restore = tcgetattr(STDIN_FILENO, saved) == 0;
	if (!*restore)
		return;
	raw = *saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_iflag &= ~(tcflag_t)(ICRNL);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

void boot_menu(struct boot *b)
{
	static char names[VERSIONS_MAX][VERSION_NAME_MAX + 1];
	const char *list[VERSIONS_MAX];
	struct menu_input in = { .file = b->have_file ? &b->file : NULL, .kind = kind_of,
				 .ctx = b };
	struct term t = { .upper = b->cl.upper >= 0 ? b->cl.upper :
				   b->have_file && b->file.upper >= 0 ? b->file.upper : UPPER_TMPFS,
			  .navkeys = { KEY_UP, KEY_DOWN, KEY_ENTER, KEY_1 },
			  .has_shell = access(RESCUE_SHELL, X_OK) == 0 && getpid() == 1 };
	struct termios saved;
	bool restore, dflt = false;
	struct menu m;
	long chosen;

	in.nversions = list_versions(b, names);
	for (size_t i = 0; i < in.nversions; i++)
		list[i] = names[i];
	in.versions = list;
	if (menu_build(&m, &in) < 0 || m.n == 0) {
		say("boot menu: nothing to offer: booting as without it");
		return;
	}
	t.m = &m;
	t.cur = m.first;
	keys_init(&t.kbd, t.navkeys, 4);
	raw_console(&saved, &restore);
	chosen = run(&t, b->cl.menutimeout_s, &dflt);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	keys_close(&t.kbd);
	if (chosen < 0) {
		b->menu_shell = true;
	} else if (stack_copy(&b->override, &m.v[chosen].stack) == 0) {
		b->menu_chosen = true;
		b->cl.upper = t.upper;
		if (dflt)
			make_default(b, &b->override);
	}
	menu_free(&m);
}
