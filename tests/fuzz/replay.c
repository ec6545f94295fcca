/*
 * replay.c — runs a fuzz target's LLVMFuzzerTestOneInput over its seed
 * corpus (tests/fuzz/corpus/NAME) and the inputs that once broke it
 * (tests/fuzz/regress/NAME), built with the ordinary compiler as
 * $(BUILD)/tests/unit/test_fuzz_NAME so `make test` replays them.  A
 * crash or abort() fails the program; each input passed prints a TAP
 * "ok" line.  Run from the source tree's top.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_dir(const char *dir)
{
	char path[1024];
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
		if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
			printf("not ok - %s: cannot read\n", path);
			exit(1);
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
		printf("ok - %s\n", path);
		n++;
	}
	closedir(d);
	return n;
}

int
main(void)
{
	int n = replay_dir("tests/fuzz/corpus/" FUZZ_NAME) +
	        replay_dir("tests/fuzz/regress/" FUZZ_NAME);

	if (n == 0) {
		printf("not ok - no inputs for %s (run from the source tree's top)\n", FUZZ_NAME);
		return 1;
	}
	return 0;
}
