/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "init/findstore.h"

const char findstore_flavour[] = "full (libblkid)";

static int from_devno(const char *spec, char *dev, size_t devlen)
{
	unsigned maj, min;
	char end, *name;

	if (sscanf(spec, "%u:%u%c", &maj, &min, &end) != 2)
		return -EINVAL;
	name = blkid_devno_to_devname(makedev(maj, min));
	if (!name)
		return -ENOENT;
	snprintf(dev, devlen, "%s", name);
	free(name);
	return 0;
}

int findstore(const char *spec, char *dev, size_t devlen, char *err, size_t errlen)
{
	blkid_cache cache = NULL;
	char *name;

	if (!strchr(spec, '=')) {
		int r = from_devno(spec, dev, devlen);

		if (r == -EINVAL)
			snprintf(err, errlen, "root=%s is not LABEL=, UUID=, PARTUUID=, "
				 "PARTLABEL=, /dev/... or MAJOR:MINOR", spec);
		return r;
	}
	/* no cache file: in the initramfs every answer must come from the disks */
	if (blkid_get_cache(&cache, "/dev/null") < 0)
		return -ENOENT;
	name = blkid_evaluate_tag(spec, NULL, &cache);
	blkid_put_cache(cache);
	if (!name)
		return -ENOENT;
	snprintf(dev, devlen, "%s", name);
	free(name);
	return 0;
}

int findstore_fstype(const char *dev, char *type, size_t len)
{
	blkid_probe pr = blkid_new_probe_from_filename(dev);
	const char *t = NULL;
	int r = -1;

	if (!pr)
		return -1;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (blkid_do_safeprobe(pr) == 0 &&
	    blkid_probe_lookup_value(pr, "TYPE", &t, NULL) == 0) {
		snprintf(type, len, "%s", t);
		r = 0;
	}
	blkid_free_probe(pr);
	return r;
}
