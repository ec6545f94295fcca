/*
 * fuzz_config.c — libFuzzer target for the -F properties reader
 * (config_load_properties in src/config.c): any file either loads or is
 * refused with a message naming it, and frees cleanly.  The input is
 * handed over as a memfd, reached by its /proc/self/fd path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct config cfg;
	char path[64], err[1024];

	if (fd < 0) {
		log_to_stderr(false);
		fd = memfd_create("fuzz-props", 0);
		if (fd < 0)
			abort();
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	config_init(&cfg);
	err[0] = '\0';
	if (config_load_properties(&cfg, path, err, sizeof err) < 0 &&
	    strstr(err, path) == NULL)
		abort();                /* an error names the file */
	for (size_t i = 0; i < cfg.props.n; i++)
		if (cfg.props.items[i].key[0] == '\0')
			abort();
	config_free(&cfg);
	return 0;
}
