/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "selector/size.h"

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
