/*
 * notify_exec.c — delivers notifications by running an external program
 * (see notify_exec.h).
 *
 * Each run is posix_spawnp() with no shell: the argument vector is PROG
 * split on spaces, standard input a pipe carrying the job's JSON, standard
 * output /dev/null, standard error a pipe of which the first bytes are kept
 * for the error message; every other descriptor is closed in the child.
 * The child gets its own process group, killed (SIGKILL) when the child
 * ends or times out, so what it started in the background does not
 * outlive the notification (a program that leaves its group, setsid(),
 * escapes this).  The group is killed before the child is reaped, while
 * its id cannot be reused.  One loop multiplexes all running children
 * with poll():
 * feeding their stdin without blocking, reading their stderr, and waking
 * when one exits (pidfd) or times out; it checks *stop at least every
 * 100 ms.
 *
 * SIGPIPE (a child that exits without reading its input) is blocked in
 * the calling thread while jobs run and any such signal consumed before
 * returning.  Children start with no signal blocked and SIGPIPE at its
 * default, whatever the calling thread blocks or the process ignores.
 * A failed run is retried at once (no back-off), at the end of the queue.
 */
#include "notify_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NE_STDERR_KEEP     200
#define NE_POLL_MAX_MS     100 /* how often *stop is checked */
#define NE_POLL_NOPIDFD_MS 10  /* how often exits are checked without pidfd */

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define NE_HAVE_CLOSEFROM 1
#endif

struct notify_exec {
	char *buf;   /* PROG, split in place */
	char **argv; /* NULL-terminated */
	int concurrency, timeout_ms, retries;
};

struct ne_child {
	pid_t pid;  /* 0: slot free */
	int pidfd;  /* -1 when pidfd_open is unavailable */
	int in_fd;  /* our end of its stdin, -1 once closed */
	int err_fd; /* our end of its stderr, -1 at EOF */
	size_t job;
	size_t written;
	int64_t deadline; /* monotonic ms; 0 = none */
	char err[NE_STDERR_KEEP];
	size_t err_len;
};

enum {
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_DONE
};

/* ---- helpers ---- */

static int64_t
ne_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static int
ne_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0); /* close-on-exec */
#else
	(void)pid;
	return -1;
#endif
}

/* Starts one run of PROG for job; 0, or -1 with the reason in err. */
static int
child_start(const struct notify_exec *ne, struct ne_child *c, size_t job,
	    const struct notify_job *j, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t mask, def;
	int in[2], ep[2], rc;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		return -1;
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ep[1], STDERR_FILENO);
#ifdef NE_HAVE_CLOSEFROM
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
#endif
	posix_spawnattr_init(&at);
	sigemptyset(&mask);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(
		&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(&pid, ne->argv[0], &fa, &at, ne->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in[0]);
	close(ep[1]);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", ne->argv[0], strerror(rc));
		close(in[1]);
		close(ep[0]);
		return -1;
	}

	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	memset(c, 0, sizeof *c);
	c->pid = pid;
	c->pidfd = ne_pidfd_open(pid);
	c->in_fd = in[1];
	c->err_fd = ep[0];
	c->job = job;
	c->deadline = ne->timeout_ms > 0 ? ne_mono_ms() + ne->timeout_ms : 0;
	if (j->json == NULL || j->len == 0)
		close_fd(&c->in_fd);
	return 0;
}

/* Writes as much of the job's input as the pipe takes. */
static void
child_feed(struct ne_child *c, const struct notify_job *j)
{
	while (c->in_fd >= 0 && c->written < j->len) {
		ssize_t w = write(c->in_fd, j->json + c->written, j->len - c->written);

		if (w > 0) {
			c->written += (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else if (w < 0 && errno == EAGAIN) {
			return;
		} else {
			close_fd(&c->in_fd); /* EPIPE: it stopped reading */
			return;
		}
	}
	if (c->written >= j->len)
		close_fd(&c->in_fd); /* EOF for the child */
}

/* Reads what its stderr holds, keeping the first bytes. */
static void
child_drain_stderr(struct ne_child *c)
{
	char tmp[4096];

	while (c->err_fd >= 0) {
		ssize_t r = read(c->err_fd, tmp, sizeof tmp);

		if (r > 0) {
			size_t room = sizeof c->err - c->err_len;
			size_t k = (size_t)r < room ? (size_t)r : room;

			memcpy(c->err + c->err_len, tmp, k);
			c->err_len += k;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && errno == EAGAIN) {
			return;
		} else {
			close_fd(&c->err_fd); /* EOF or error */
		}
	}
}

/* "exit 3: first line of stderr", or "" for success. */
static void
describe_exit(const struct ne_child *c, int status, char *err, size_t errlen)
{
	size_t n, i, k = 0;
	char line[NE_STDERR_KEEP];

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		err[0] = '\0';
		return;
	}
	if (WIFEXITED(status))
		n = (size_t)snprintf(err, errlen, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		n = (size_t)snprintf(err, errlen, "killed by signal %d", WTERMSIG(status));
	else
		n = (size_t)snprintf(err, errlen, "ended with status %d", status);

	/* The first non-empty line of stderr, printable ASCII only. */
	for (i = 0; i < c->err_len; i++) {
		unsigned char ch = (unsigned char)c->err[i];

		if (ch == '\n' || ch == '\r') {
			if (k > 0)
				break;
			continue;
		}
		line[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (k > 0 && n + 3 < errlen) { /* ": " + at least 1 + NUL */
		if (k > errlen - n - 3)
			k = errlen - n - 3;
		memcpy(err + n, ": ", 2);
		memcpy(err + n + 2, line, k);
		err[n + 2 + k] = '\0';
	}
}

static void
child_close(struct ne_child *c)
{
	close_fd(&c->in_fd);
	close_fd(&c->err_fd);
	close_fd(&c->pidfd);
	c->pid = 0;
}

static void
child_kill(struct ne_child *c)
{
	int status;

	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Checks whether the child ended or ran out of time.  Returns true when
 * the run is over, with err "" on success or the reason.
 */
static bool
child_check(const struct notify_exec *ne, struct ne_child *c, int64_t now, char *err, size_t errlen)
{
	siginfo_t info;
	int status, r;

	/* Ended?  Looked at without reaping, so the group id stays ours
	 * while what the child left in it is killed. */
	memset(&info, 0, sizeof info);
	do
		r = waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT);
	while (r < 0 && errno == EINTR);
	if (r == 0 && info.si_pid == c->pid) {
		kill(-c->pid, SIGKILL);
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
			;
		child_drain_stderr(c);
		describe_exit(c, status, err, errlen);
		return true;
	}
	if (r < 0) {
		snprintf(err, errlen, "waitpid: %s", strerror(errno));
		return true;
	}
	if (c->deadline != 0 && now >= c->deadline) {
		child_kill(c);
		snprintf(err, errlen, "timed out after %d ms", ne->timeout_ms);
		return true;
	}
	return false;
}

/* ---- API ---- */

/* Whether path is a regular file we may execute; errno says why not. */
static bool
ne_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return false;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
		return false;
	}
	return access(path, X_OK) == 0;
}

int
notify_exec_check(const char *prog, char *err, size_t errlen)
{
	char name[1024], path[4096];
	size_t n;

	while (prog != NULL && *prog == ' ')
		prog++;
	n = prog != NULL ? strcspn(prog, " ") : 0;
	if (n == 0) {
		snprintf(err, errlen, "--notify-exec: no program given");
		return -1;
	}
	if (n >= sizeof name) {
		snprintf(err, errlen, "--notify-exec: program name too long");
		return -1;
	}
	memcpy(name, prog, n);
	name[n] = '\0';
	if (strchr(name, '/') != NULL) {
		if (ne_executable(name))
			return 0;
		snprintf(err, errlen, "--notify-exec %s: %s", name, strerror(errno));
		return -1;
	}
	/* As execvp looks: PATH, or the system's default path; an empty
	 * entry is the current directory. */
	const char *dirs = getenv("PATH");
	char defpath[256];
	if (dirs == NULL) {
		if (confstr(_CS_PATH, defpath, sizeof defpath) == 0)
			snprintf(defpath, sizeof defpath, "/bin:/usr/bin");
		dirs = defpath;
	}
	int why = ENOENT;
	for (const char *d = dirs;; d++) {
		size_t dl = strcspn(d, ":");
		snprintf(path, sizeof path, "%.*s%s%s", (int)dl, d, dl ? "/" : "", name);
		if (ne_executable(path))
			return 0;
		if (errno == EACCES)
			why = EACCES;
		d += dl;
		if (*d == '\0')
			break;
	}
	if (why == EACCES)
		snprintf(err, errlen, "--notify-exec %s: found in PATH but not executable", name);
	else
		snprintf(err, errlen, "--notify-exec %s: not found in PATH", name);
	return -1;
}

struct notify_exec *
notify_exec_new(const char *prog, int concurrency, int timeout_ms, int retries)
{
	struct notify_exec *ne;
	char *tok, *save = NULL;
	size_t n = 0;

	if (prog == NULL)
		return NULL;
	ne = calloc(1, sizeof *ne);
	if (ne == NULL)
		return NULL;
	ne->buf = strdup(prog);
	/* At most strlen/2 + 1 words. */
	ne->argv = calloc(strlen(prog) / 2 + 2, sizeof *ne->argv);
	if (ne->buf == NULL || ne->argv == NULL) {
		notify_exec_free(ne);
		return NULL;
	}
	for (tok = strtok_r(ne->buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save))
		ne->argv[n++] = tok;
	if (n == 0) {
		notify_exec_free(ne);
		return NULL;
	}
	ne->concurrency = concurrency > 0 ? concurrency : 1;
	ne->timeout_ms = timeout_ms > 0 ? timeout_ms : 0;
	ne->retries = retries > 0 ? retries : 0;
	return ne;
}

void
notify_exec_free(struct notify_exec *ne)
{
	if (ne == NULL)
		return;
	free(ne->argv);
	free(ne->buf);
	free(ne);
}

size_t
notify_exec_run(struct notify_exec *ne, struct notify_job *jobs, size_t n, const atomic_bool *stop)
{
	size_t conc = (size_t)ne->concurrency, running = 0, done = 0, ok = 0;
	size_t qhead = 0, qlen = 0, i;
	struct ne_child *kids = NULL;
	struct pollfd *pfd = NULL;
	unsigned char *state = NULL;
	size_t *queue = NULL;
	sigset_t pipe_set, old_mask, pending;
	bool pipe_was_pending;

	if (n == 0)
		return 0;
	if (conc > n)
		conc = n;
	for (i = 0; i < n; i++) {
		jobs[i].ok = false;
		jobs[i].attempts = 0;
		jobs[i].error[0] = '\0';
	}
	kids = calloc(conc, sizeof *kids);
	pfd = calloc(conc * 3, sizeof *pfd);
	state = calloc(n, 1);
	queue = calloc(n, sizeof *queue);
	if (kids == NULL || pfd == NULL || state == NULL || queue == NULL) {
		for (i = 0; i < n; i++)
			snprintf(jobs[i].error, sizeof jobs[i].error, "out of memory");
		free(kids);
		free(pfd);
		free(state);
		free(queue);
		return 0;
	}
	for (i = 0; i < n; i++)
		queue[qlen++] = i;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	sigpending(&pending);
	pipe_was_pending = sigismember(&pending, SIGPIPE);

	while (done < n) {
		int64_t now;
		int timeout = NE_POLL_MAX_MS;
		nfds_t np = 0;

		if (stop != NULL && atomic_load(stop))
			break;

		/* Start runs while there is room. */
		while (running < conc && qlen > 0) {
			size_t j = queue[qhead];
			struct notify_job *job = &jobs[j];
			struct ne_child *c = NULL;

			qhead = (qhead + 1) % n;
			qlen--;
			for (i = 0; i < conc && c == NULL; i++)
				if (kids[i].pid == 0)
					c = &kids[i];
			job->attempts++;
			if (child_start(ne, c, j, job, job->error, sizeof job->error) == 0) {
				state[j] = JOB_RUNNING;
				running++;
				child_feed(c, job);
			} else if (job->attempts <= ne->retries) {
				queue[(qhead + qlen++) % n] = j;
			} else {
				state[j] = JOB_DONE;
				done++;
			}
		}
		if (running == 0)
			continue;

		/* Wait for input room, stderr output, an exit or a deadline. */
		now = ne_mono_ms();
		for (i = 0; i < conc; i++) {
			struct ne_child *c = &kids[i];

			if (c->pid == 0)
				continue;
			if (c->pidfd >= 0)
				pfd[np++] = (struct pollfd){ c->pidfd, POLLIN, 0 };
			else if (timeout > NE_POLL_NOPIDFD_MS)
				timeout = NE_POLL_NOPIDFD_MS;
			if (c->in_fd >= 0)
				pfd[np++] = (struct pollfd){ c->in_fd, POLLOUT, 0 };
			if (c->err_fd >= 0)
				pfd[np++] = (struct pollfd){ c->err_fd, POLLIN, 0 };
			if (c->deadline != 0) {
				int64_t left = c->deadline - now;

				if (left < 0)
					left = 0;
				if (left < timeout)
					timeout = (int)left;
			}
		}
		if (poll(pfd, np, timeout) < 0 && errno != EINTR)
			break;

		now = ne_mono_ms();
		for (i = 0; i < conc; i++) {
			struct ne_child *c = &kids[i];
			struct notify_job *job;
			char err[sizeof jobs[0].error];

			if (c->pid == 0)
				continue;
			job = &jobs[c->job];
			child_feed(c, job);
			child_drain_stderr(c);
			if (!child_check(ne, c, now, err, sizeof err))
				continue;
			running--;
			if (err[0] == '\0') {
				job->ok = true;
				job->error[0] = '\0';
				state[c->job] = JOB_DONE;
				done++;
			} else {
				memcpy(job->error, err, sizeof job->error);
				if (job->attempts <= ne->retries) {
					state[c->job] = JOB_QUEUED;
					queue[(qhead + qlen++) % n] = c->job;
				} else {
					state[c->job] = JOB_DONE;
					done++;
				}
			}
			child_close(c);
		}
	}

	/* Stopped (or poll failed): end what runs, fail what is left. */
	for (i = 0; i < conc; i++) {
		if (kids[i].pid != 0) {
			child_kill(&kids[i]);
			child_close(&kids[i]);
		}
	}
	for (i = 0; i < n; i++) {
		if (state[i] != JOB_DONE) {
			jobs[i].ok = false;
			snprintf(jobs[i].error, sizeof jobs[i].error, "stopped");
		}
		if (jobs[i].ok)
			ok++;
	}

	if (!pipe_was_pending) {
		struct timespec zero = { 0, 0 };

		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);

	free(kids);
	free(pfd);
	free(state);
	free(queue);
	return ok;
}
