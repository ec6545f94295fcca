/*
 * procmon.c — runs a command and watches what it costs.
 *
 *   procmon [-i MS] [-o SAMPLES.csv] [-s SUMMARY.json] -- COMMAND [ARG]...
 *
 * Every MS milliseconds (500) it appends "t_s,rss_kb,hwm_kb,cpu_s,busy_s"
 * to SAMPLES.csv: seconds since start, the child's VmRSS and VmHWM, its CPU
 * seconds so far (utime+stime of /proc/PID/stat) and the whole machine's
 * busy CPU seconds (/proc/stat), so other load on the box shows.  When the
 * child exits it writes SUMMARY.json with wait4()'s user/sys time and
 * maxrss, the last VmHWM seen, wall time, and the share of the machine's
 * CPU the child did not use ("others_cpu_s").  The child keeps stdin,
 * stdout, stderr (and so a terminal); SIGINT/SIGTERM are passed on.
 * Exit status: the child's (128+N if killed by signal N).
 *
 *   procmon --calibrate
 *
 * prints how fast this machine is right now, so runs at different times
 * can be compared: "cpu_mops=… pingpong_khz=…" — a fixed integer loop
 * (millions of iterations a second, one thread) and two threads passing a
 * token through a pair of pipes (thousands of round trips a second: what
 * waking a thread costs, which ordertop's many threads do all the time).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t child_pid;

static void
forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static double
mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
status_kb(pid_t pid, long *rss, long *hwm)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	*rss = *hwm = -1;
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss = atol(line + 6);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = atol(line + 6);
	}
	fclose(f);
}

static double
proc_cpu_s(pid_t pid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');           /* comm may hold spaces */
	if (p == NULL)
		return -1;
	unsigned long long ut = 0, st = 0;
	/* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
machine_busy_s(void)
{
	FILE *f = fopen("/proc/stat", "r");
	unsigned long long v[10] = { 0 };
	if (f == NULL)
		return -1;
	int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
	               &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		return -1;
	/* user nice system idle iowait irq softirq steal: busy = all but idle, iowait */
	unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	return (double)busy / (double)sysconf(_SC_CLK_TCK);
}

static int ping[2], pong[2];

static void *
ponger(void *arg)
{
	char c;
	(void)arg;
	while (read(ping[0], &c, 1) == 1 && c != 'q')
		if (write(pong[1], &c, 1) != 1)
			break;
	return NULL;
}

static int
calibrate(void)
{
	/* 1. a fixed integer loop, 0.3 s */
	volatile uint64_t sink = 0;
	uint64_t x = 88172645463325252ULL, iters = 0;
	double t0 = mono_s(), t;
	do {
		for (int i = 0; i < 100000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		sink += x;
		iters += 100000;
	} while ((t = mono_s()) - t0 < 0.3);
	double mops = (double)iters / (t - t0) / 1e6;
	/* 2. pipe ping-pong between two threads, 0.3 s */
	pthread_t th;
	if (pipe(ping) < 0 || pipe(pong) < 0 || pthread_create(&th, NULL, ponger, NULL) != 0) {
		perror("procmon: calibrate");
		return 2;
	}
	uint64_t trips = 0;
	char c = 'x';
	t0 = mono_s();
	do {
		for (int i = 0; i < 100; i++) {
			if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
				return 2;
		}
		trips += 100;
	} while ((t = mono_s()) - t0 < 0.3);
	double khz = (double)trips / (t - t0) / 1e3;
	c = 'q';
	if (write(ping[1], &c, 1) == 1)
		pthread_join(th, NULL);
	printf("cpu_mops=%.0f pingpong_khz=%.1f\n", mops, khz);
	(void)sink;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *csv = NULL, *summary = NULL;
	if (argc == 2 && strcmp(argv[1], "--calibrate") == 0)
		return calibrate();
	int interval_ms = 500, c;
	while ((c = getopt(argc, argv, "+i:o:s:")) != -1) {
		switch (c) {
		case 'i': interval_ms = atoi(optarg); break;
		case 'o': csv = optarg; break;
		case 's': summary = optarg; break;
		default:
			fprintf(stderr, "usage: procmon [-i MS] [-o CSV] [-s JSON] -- COMMAND [ARG]...\n");
			return 2;
		}
	}
	if (optind >= argc || interval_ms < 10) {
		fprintf(stderr, "usage: procmon [-i MS] [-o CSV] [-s JSON] -- COMMAND [ARG]...\n");
		return 2;
	}
	FILE *out = csv ? fopen(csv, "w") : NULL;
	if (csv && out == NULL) {
		fprintf(stderr, "procmon: %s: %s\n", csv, strerror(errno));
		return 2;
	}
	if (out) {
		fprintf(out, "t_s,rss_kb,hwm_kb,cpu_s,busy_s\n");
		fflush(out);
	}
	double t0 = mono_s(), busy0 = machine_busy_s();
	pid_t pid = fork();
	if (pid < 0) {
		perror("procmon: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "procmon: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	long last_hwm = -1;
	double last_cpu = 0;
	int status = 0;
	struct rusage ru;
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("procmon: wait4");
			return 2;
		}
		long rss, hwm;
		status_kb(pid, &rss, &hwm);
		double cpu = proc_cpu_s(pid);
		if (hwm > 0)
			last_hwm = hwm;
		if (cpu >= 0)
			last_cpu = cpu;
		if (out && rss > 0) {
			fprintf(out, "%.3f,%ld,%ld,%.2f,%.2f\n", mono_s() - t0, rss, hwm, cpu,
			        machine_busy_s() - busy0);
			fflush(out);
		}
		struct timespec ts = { interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	double wall = mono_s() - t0, busy = machine_busy_s() - busy0;
	double user = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	double sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	if (out)
		fclose(out);
	(void)last_cpu;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (summary) {
		FILE *f = fopen(summary, "w");
		if (f) {
			fprintf(f, "{\"wall_s\": %.3f, \"user_s\": %.3f, \"sys_s\": %.3f, \"cpu_s\": %.3f, "
			        "\"maxrss_kb\": %ld, \"hwm_kb\": %ld, \"machine_busy_s\": %.2f, "
			        "\"others_cpu_s\": %.2f, \"ncpu\": %ld, \"exit\": %d}\n",
			        wall, user, sys, user + sys, ru.ru_maxrss, last_hwm, busy,
			        busy - (user + sys), sysconf(_SC_NPROCESSORS_ONLN), code);
			fclose(f);
		}
	}
	return code;
}
