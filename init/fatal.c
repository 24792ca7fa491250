/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/fatal.h"
#include "lib/log.h"
#include "lib/sys.h"

static void rescue_shell(const char *whose)
{
	pid_t pid, w;

	say_warn("starting %s %s; leave it to reboot", whose, RESCUE_SHELL);
	pid = fork();
	if (pid == 0) {
		setsid();
		execl(RESCUE_SHELL, "sh", (char *)NULL);
		say_warn("cannot run %s", RESCUE_SHELL);
		_exit(127);
	}
	/* PID 1 reaps every child, not only the shell */
	while (pid > 0 && ((w = wait(NULL)) != pid) && !(w < 0 && errno == ECHILD))
		;
}

static void __attribute__((noreturn)) end_boot(enum fatal_action action)
{
	sync();
	if (action == FATAL_HALT) {
		say_warn("powering off");
		sys_reboot(true);
	} else {
		say_warn("rebooting in %d s", REBOOT_PAUSE_S);
		sleep(REBOOT_PAUSE_S);
		sys_reboot(false);
	}
	for (;;)
		pause();
}

void fatal_act(enum fatal_action action)
{
	if (action == FATAL_DEFAULT)
		action = access(RESCUE_SHELL, X_OK) == 0 ? FATAL_SHELL : FATAL_REBOOT;
	if (action == FATAL_SHELL && access(RESCUE_SHELL, X_OK) != 0) {
		say_warn("the image has no rescue shell: rebooting instead");
		action = FATAL_REBOOT;
	}
	if (action == FATAL_SHELL)
		rescue_shell("the rescue shell");
	end_boot(action);
}

void fatal_act_switched(enum fatal_action action)
{
	if (action == FATAL_DEFAULT)
		action = FATAL_REBOOT;
	if (action == FATAL_SHELL && access(RESCUE_SHELL, X_OK) != 0) {
		say_warn("the root has no %s: rebooting instead", RESCUE_SHELL);
		action = FATAL_REBOOT;
	}
	if (action == FATAL_SHELL)
		rescue_shell("the root's own shell (ovroot.fatal=shell; the initramfs is gone)");
	end_boot(action);
}
