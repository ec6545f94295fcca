/*
 * summary.c — checking and writing the --summary destination (see
 * summary.h).  Written with write(2) in a loop and close(2) checked, so a
 * short write, ENOSPC or EPIPE is an error and not a silent loss.
 */
#include "summary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
summary_fail(const char *path, const char *what, int errnum, char *err, size_t errlen)
{
	snprintf(err, errlen, "--summary %s: %s%s", path, what, strerror(errnum));
	return -1;
}

int
summary_check(const char *path, char *err, size_t errlen)
{
	int fd, fl;

	if (strcmp(path, "-") == 0) {
		fl = fcntl(STDOUT_FILENO, F_GETFL);
		if (fl < 0)
			return summary_fail(path, "standard output: ", errno, err, errlen);
		if ((fl & O_ACCMODE) == O_RDONLY)
			return summary_fail(path, "standard output: ", EBADF, err, errlen);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) { /* it can be created: not yet */
		close(fd);
		unlink(path);
		return 0;
	}
	if (errno != EEXIST)
		return summary_fail(path, "", errno, err, errlen);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return summary_fail(path, "", errno, err, errlen);
	close(fd);
	return 0;
}

static int
summary_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int
summary_write(const char *path, const char *text, char *err, size_t errlen)
{
	size_t n = strlen(text);
	int fd;

	if (strcmp(path, "-") == 0) {
		if (fflush(stdout) != 0 || summary_write_all(STDOUT_FILENO, text, n) < 0 ||
		    summary_write_all(STDOUT_FILENO, "\n", 1) < 0)
			return summary_fail(path, "standard output: ", errno, err, errlen);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return summary_fail(path, "", errno, err, errlen);
	if (summary_write_all(fd, text, n) < 0 || summary_write_all(fd, "\n", 1) < 0) {
		int saved = errno;
		close(fd);
		return summary_fail(path, "", saved, err, errlen);
	}
	if (close(fd) < 0)
		return summary_fail(path, "", errno, err, errlen);
	return 0;
}
