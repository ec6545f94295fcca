/*
 * thread_priority.c — lowers the priority of every thread of the process
 * but the caller's (see thread_priority.h).  Raising a nice value needs no
 * privilege.
 */
#include "thread_priority.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int
thread_priority_lower_others(int delta)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int changed = 0;

	if (d == NULL)
		return -1;
	int want = thread_priority_nice() + delta;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		if (end == de->d_name || *end != '\0' || tid == self)
			continue;
		errno = 0;
		int nice_now = getpriority(PRIO_PROCESS, (id_t)tid);
		if ((nice_now == -1 && errno != 0) || nice_now >= want)
			continue; /* gone meanwhile, or low enough */
		if (setpriority(PRIO_PROCESS, (id_t)tid, want) == 0)
			changed++;
	}
	closedir(d);
	return changed;
}

int
thread_priority_nice(void)
{
	errno = 0;
	int n = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	return n == -1 && errno != 0 ? 0 : n;
}

void
thread_priority_at_least(int nice_value)
{
	if (thread_priority_nice() < nice_value)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_value);
}
