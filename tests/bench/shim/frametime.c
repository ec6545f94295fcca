/*
 * frametime.c — LD_PRELOAD shim that times the dashboard's frames from
 * inside the process, without changing ordertop.  Built by
 * tests/bench/run.sh (cc -shared -fPIC), not by the Makefile.
 *
 * ui_loop.c's loop is: poll() on the keyboard and the event queue, read
 * keys, drain events, ..., draw dirty windows, doupdate().  The shim wraps
 * poll() and doupdate() and, on the thread that calls doupdate() (the UI
 * thread) and only for poll() calls made from the ordertop executable
 * itself (not ncurses' own poll()s), records:
 *   frame_ms     poll() returned -> next poll() called, for the loop turns
 *                that ended in a doupdate(): the time to produce a frame,
 *                event draining included;
 *   doupdate_ms  the doupdate() call alone (terminal output);
 *   interval_ms  doupdate() to doupdate();
 *   input_ms     poll() returned with stdin readable -> the end of the
 *                next doupdate(): key press to screen, inside the process;
 *   turns        loop turns (poll() calls) and how many a second: each is a
 *                wake-up of the UI thread.
 * At exit it writes JSON to $FRAMETIME_OUT (nothing if unset).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define CAP (1 << 20)

struct series { uint32_t *v; size_t n; };

static struct series s_frame, s_doupdate, s_interval, s_input;
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_doupdate)(void);
static uintptr_t exe_lo, exe_hi;
static pid_t ui_tid;
static __thread pid_t my_tid;
static int64_t turn_start, last_update, input_at;
static int drew;
static uint64_t turns;
static int64_t first_turn, last_turn;

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void add(struct series *s, int64_t us)
{
	if (s->v == NULL)
		s->v = malloc(CAP * sizeof *s->v);
	if (s->v && s->n < CAP)
		s->v[s->n++] = (uint32_t)(us < 0 ? 0 : us > UINT32_MAX ? UINT32_MAX : us);
}

static int exe_range(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			exe_lo = info->dlpi_addr + ph->p_vaddr;
			exe_hi = exe_lo + ph->p_memsz;
		}
	}
	return 1;                      /* the first object is the executable */
}

static pid_t tid(void)
{
	if (my_tid == 0)
		my_tid = (pid_t)syscall(SYS_gettid);
	return my_tid;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (real_poll == NULL)
		real_poll = (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");
	uintptr_t from = (uintptr_t)__builtin_return_address(0);
	if (ui_tid == 0 || tid() != ui_tid || from < exe_lo || from >= exe_hi)
		return real_poll(fds, n, timeout);
	int64_t t = now_us();
	turns++;
	if (first_turn == 0)
		first_turn = t;
	last_turn = t;
	if (turn_start && drew)
		add(&s_frame, t - turn_start);
	drew = 0;
	int rc = real_poll(fds, n, timeout);
	turn_start = now_us();
	if (rc > 0 && n > 0 && fds[0].fd == 0 && (fds[0].revents & POLLIN) && input_at == 0)
		input_at = turn_start;
	return rc;
}

int doupdate(void)
{
	if (real_doupdate == NULL) {
		real_doupdate = (int (*)(void))dlsym(RTLD_NEXT, "doupdate");
		dl_iterate_phdr(exe_range, NULL);
	}
	if (ui_tid == 0)
		ui_tid = tid();
	int64_t t0 = now_us();
	int rc = real_doupdate();
	int64_t t1 = now_us();
	if (tid() == ui_tid) {
		add(&s_doupdate, t1 - t0);
		if (last_update)
			add(&s_interval, t1 - last_update);
		last_update = t1;
		if (input_at) {
			add(&s_input, t1 - input_at);
			input_at = 0;
		}
		drew = 1;
	}
	return rc;
}

static int cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void print(FILE *f, const char *name, struct series *s, int last)
{
	double p50 = 0, p95 = 0, p99 = 0, max = 0;
	if (s->n > 0) {
		qsort(s->v, s->n, sizeof *s->v, cmp);
		p50 = s->v[(s->n - 1) * 50 / 100] / 1000.0;
		p95 = s->v[(s->n - 1) * 95 / 100] / 1000.0;
		p99 = s->v[(s->n - 1) * 99 / 100] / 1000.0;
		max = s->v[s->n - 1] / 1000.0;
	}
	fprintf(f, "  \"%s\": {\"count\": %zu, \"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f, "
	        "\"max\": %.2f}%s\n", name, s->n, p50, p95, p99, max, last ? "" : ",");
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("FRAMETIME_OUT");
	if (path == NULL || ui_tid == 0)
		return;
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return;
	fprintf(f, "{\n");
	print(f, "frame_ms", &s_frame, 0);
	print(f, "doupdate_ms", &s_doupdate, 0);
	print(f, "interval_ms", &s_interval, 0);
	print(f, "input_ms", &s_input, 0);
	double secs = last_turn > first_turn ? (double)(last_turn - first_turn) / 1e6 : 0;
	fprintf(f, "  \"turns\": %llu,\n  \"turns_per_s\": %.1f\n}\n", (unsigned long long)turns,
	        secs > 0 ? (double)turns / secs : 0.0);
	fclose(f);
}
