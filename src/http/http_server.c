/*
 * http_server.c — the HTTP API's server (see http_server.h): the
 * libmicrohttpd daemon and its limits, the route table, the checks every
 * request passes before its handler (path, method, token, content type,
 * size), suspending a request that waits and resuming it, and cutting
 * off connections that take too long.  The routes are http_routes.c's.
 *
 * Threads: libmicrohttpd's pool (HTTP_THREADS, epoll) runs the handlers;
 * a request waiting for acknowledgements is resumed by the thread that
 * serves them (http_wait_release()); the parking lot's thread resumes
 * those whose wait ended otherwise and every 100 ms looks for slow
 * connections.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <microhttpd.h>
#include "engine.h"
#include "http.h"
#include "http_server.h"
#include "http_wait.h"
#include "log.h"

#define HTTP_THREADS         2
#define HTTP_CONNECTIONS_MAX 2048        /* more at once are refused */
#define HTTP_CONN_MEMORY     (32 * 1024) /* per connection: the header's limit */
#define HTTP_IDLE_TIMEOUT_S  10          /* libmicrohttpd: no byte for this long */
#define HTTP_REQUEST_TIME_MS 10000       /* a request must arrive within this */
#define HTTP_TOKEN_MAX       512
/* A body over HTTP_BODY_MAX is read and dropped up to this much before the
 * 413 goes out: a client that sends its body before reading the answer
 * (most do, without Expect: 100-continue) sees the 413, not a connection
 * reset.  Beyond it the 413 goes out at once and the connection closes. */
#define HTTP_DISCARD_MAX (16 * 1024 * 1024)

/* One open connection, for the slow-client check. */
struct http_conn {
	int fd;
	int64_t since_ms; /* opened, or its last request finished */
	bool busy;        /* a request of it is parked */
	struct http_conn *prev, *next;
};

struct http_server {
	struct engine *e;
	struct MHD_Daemon *d;
	struct http_wait *wait;
	char token[HTTP_TOKEN_MAX];
	size_t token_len;
	bool has_token;
	char addr[64];
	pthread_mutex_t conns_lock;
	struct http_conn *conns;
	struct http_counts counts;
};

/* ---- requests ---- */

static char *
query_dup(struct MHD_Connection *c, const char *key)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
	return v ? strdup(v) : NULL;
}

static struct http_conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* A parked request's connection is not slow: it waits for us. */
static void
conn_set_busy(struct http_server *s, struct MHD_Connection *c, bool busy)
{
	struct http_conn *hc = conn_of(c);
	if (hc == NULL)
		return;
	pthread_mutex_lock(&s->conns_lock);
	hc->busy = busy;
	if (!busy)
		hc->since_ms = mono_ms();
	pthread_mutex_unlock(&s->conns_lock);
}

/* ---- routing ---- */

static bool
route_matches_path(const struct http_route *rt, const char *path)
{
	size_t n = strlen(rt->path);
	if (!rt->has_id)
		return strcmp(path, rt->path) == 0;
	return strncmp(path, rt->path, n) == 0 && path[n] != '\0' && strchr(path + n, '/') == NULL;
}

/* The route for method and path; NULL with *allow (methods of the path,
 * "" when the path is unknown). */
static const struct http_route *
route_find(const char *method, const char *path, char *allow, size_t allowlen)
{
	allow[0] = '\0';
	for (size_t i = 0; i < http_routes_count; i++) {
		const struct http_route *rt = &http_routes[i];
		if (!route_matches_path(rt, path))
			continue;
		if (strcmp(rt->method, method) == 0)
			return rt;
		size_t used = strlen(allow);
		snprintf(allow + used, allowlen - used, "%s%s", used ? ", " : "", rt->method);
	}
	return NULL;
}

/* Constant time in the token's length: no early exit on a mismatch. */
static bool
token_ok(const struct http_server *s, const char *header)
{
	if (!s->has_token)
		return true;
	if (header == NULL || strncmp(header, "Bearer ", 7) != 0)
		return false;
	const char *t = header + 7;
	size_t n = strlen(t);
	volatile unsigned char diff = n != s->token_len;
	for (size_t i = 0; i < s->token_len; i++)
		diff |= (unsigned char)s->token[i] ^ (unsigned char)(i < n ? t[i] : 0);
	return diff == 0;
}

static bool
content_type_ok(const struct http_route *rt, const char *type)
{
	if (type == NULL)
		return false;
	size_t n = strcspn(type, ";");
	while (n > 0 && type[n - 1] == ' ')
		n--;
	for (int i = 0; rt->content_types[i]; i++)
		if (strlen(rt->content_types[i]) == n &&
		    strncasecmp(type, rt->content_types[i], n) == 0)
			return true;
	return false;
}

/* The checks before the body: 0 to go on, or -1 with the reply set. */
static int
request_check(struct http_server *s, struct http_request *r, struct MHD_Connection *c)
{
	char methods[128];

	r->route = route_find(r->method, r->path, methods, sizeof methods);
	if (r->route == NULL && methods[0] == '\0') {
		http_reply_error(r, 404, NULL, 0, "no such resource: %s", r->path);
		return -1;
	}
	if (r->route == NULL) {
		http_reply_error(r, 405, NULL, 0, "%s %s is not allowed (allowed: %s)", r->method,
				 r->path, methods);
		r->reply.allow = strdup(methods);
		return -1;
	}
	if (r->route->has_id)
		snprintf(r->id, sizeof r->id, "%s", r->path + strlen(r->route->path));
	if (r->route->mutating) {
		if (!token_ok(s,
			      MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							  MHD_HTTP_HEADER_AUTHORIZATION))) {
			http_reply_error(r, 401, "Authorization", 0,
					 "%s needs 'Authorization: Bearer TOKEN'", r->path);
			return -1;
		}
		if (engine_config(s->e)->read_only) {
			char why[256];
			config_read_only_text(r->method, why, sizeof why);
			http_reply_error(r, 403, NULL, 0, "%s %s", why, r->path);
			return -1;
		}
		const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							       MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!content_type_ok(r->route, type)) {
			http_reply_error(
				r, 415, "Content-Type", 0, "expected Content-Type %s%s, got '%s'",
				r->route->content_types[0],
				r->route->content_types[1] ? " or application/x-ndjson" : "",
				type ? type : "");
			return -1;
		}
		snprintf(r->content_type, sizeof r->content_type, "%.*s", (int)strcspn(type, "; "),
			 type);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long len = cl ? strtoull(cl, NULL, 10) : 0;
		if (len > HTTP_BODY_MAX) {
			http_reply_error(r, 413, NULL, 0, "the body is larger than %d bytes",
					 HTTP_BODY_MAX);
			/* Expect: 100-continue holds the body back for our
			 * answer: it goes out now, as it does for a body too
			 * large to drop. */
			r->discarding = len <= HTTP_DISCARD_MAX &&
				MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_EXPECT) == NULL;
			return -1;
		}
	}
	return 0;
}

/* ---- replies ---- */

static enum MHD_Result
queue_reply(struct http_server *s, struct http_request *r, struct MHD_Connection *c)
{
	struct http_reply *rep = &r->reply;
	char num[32];

	if (rep->status == 0)
		http_reply_error(r, 500, NULL, 0, "no reply");
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(rep->len, rep->body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return MHD_NO;
	rep->body = NULL; /* the response's now */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				rep->content_type ? rep->content_type : "application/json");
	if (rep->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, rep->location);
	if (rep->retry_after > 0) {
		snprintf(num, sizeof num, "%d", rep->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
	}
	if (rep->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep->allow);
	if (rep->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)rep->status, resp);
	MHD_destroy_response(resp);
	r->replied = true;
	http_counts_add(&s->counts, r->method, rep->status);
	struct stats *st = engine_stats(s->e);
	atomic_fetch_add_explicit(&st->http_requests, 1, memory_order_relaxed);
	if (rep->status >= 400)
		atomic_fetch_add_explicit(&st->http_errors, 1, memory_order_relaxed);
	return rc;
}

/* ---- the access handler ---- */

static struct http_request *
request_new(struct http_server *s, struct MHD_Connection *c, const char *url, const char *method)
{
	struct http_request *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->counts = &s->counts;
	r->engine = s->e;
	r->wait = s->wait;
	http_wait_ref(s->wait);
	r->conn = c;
	r->method = method; /* libmicrohttpd's, lives as long */
	atomic_init(&r->refs, 1);
	snprintf(r->path, sizeof r->path, "%s", url);
	r->query_wait = query_dup(c, "wait");
	r->query_status = query_dup(c, "status");
	r->query_limit = query_dup(c, "limit");
	return r;
}

static int
append_body(struct http_request *r, const char *data, size_t n)
{
	if (r->len + n > HTTP_BODY_MAX) {
		r->body_too_large = true;
		return -1;
	}
	char *b = realloc(r->body, r->len + n + 1);
	if (b == NULL)
		return -1;
	memcpy(b + r->len, data, n);
	r->len += n;
	b[r->len] = '\0';
	r->body = b;
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_request *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = request_new(s, c, url, method);
		if (r == NULL)
			return MHD_NO;
		*con_cls = r;
		if (request_check(s, r, c) < 0)
			return r->discarding ? MHD_YES : queue_reply(s, r, c);
		if (r->route->mutating)
			return MHD_YES; /* the body comes next */
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->replied)
			return MHD_YES; /* an early reply: the rest is dropped */
		if (r->discarding) {
			r->discarded += n;
			if (r->discarded <= HTTP_DISCARD_MAX)
				return MHD_YES;
			r->discarding = false;
			return queue_reply(s, r, c);
		}
		if (append_body(r, upload_data, n) < 0) {
			if (!r->body_too_large) {
				http_reply_error(r, 500, NULL, 0, "out of memory");
				return queue_reply(s, r, c);
			}
			http_reply_error(r, 413, NULL, 0, "the body is larger than %d bytes",
					 HTTP_BODY_MAX);
			r->discarding = true;
			r->discarded = r->len + n;
		}
		return MHD_YES;
	}
	if (r->discarding) { /* the whole body dropped: now the 413 */
		r->discarding = false;
		return queue_reply(s, r, c);
	}
	if (r->replied)
		return MHD_YES;
	if (r->resumed) {
		r->resumed = false;
		conn_set_busy(s, c, false);
		r->resume(r, r->timed_out);
		return queue_reply(s, r, c);
	}
	if (r->route->handle(r) == HTTP_PARKED) {
		conn_set_busy(s, c, true);
		r->parked = true;
		MHD_suspend_connection(c);
		http_wait_park(s->wait, r);
		return MHD_YES;
	}
	return queue_reply(s, r, c);
}

/* The parking lot hands a request back: its connection runs again, and
 * on_request() finds it resumed. */
static void
resume_request(void *arg, struct http_request *r)
{
	(void)arg;
	r->resumed = true;
	MHD_resume_connection(r->conn);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_request *r = *con_cls;

	(void)toe;
	conn_set_busy(s, c, false);
	if (r != NULL)
		http_request_unref(r);
	*con_cls = NULL;
}

/* ---- connections: the slow-client check ---- */

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct http_conn *hc = calloc(1, sizeof *hc);
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (hc == NULL || ci == NULL) {
			free(hc);
			return;
		}
		hc->fd = ci->connect_fd;
		hc->since_ms = mono_ms();
		pthread_mutex_lock(&s->conns_lock);
		hc->next = s->conns;
		if (s->conns)
			s->conns->prev = hc;
		s->conns = hc;
		pthread_mutex_unlock(&s->conns_lock);
		*socket_context = hc;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context != NULL) {
		struct http_conn *hc = *socket_context;
		pthread_mutex_lock(&s->conns_lock);
		if (hc->prev)
			hc->prev->next = hc->next;
		else
			s->conns = hc->next;
		if (hc->next)
			hc->next->prev = hc->prev;
		pthread_mutex_unlock(&s->conns_lock);
		free(hc);
		*socket_context = NULL;
	}
}

/* A connection that has not finished a request for HTTP_REQUEST_TIME_MS
 * (and waits for nothing of ours) is cut off: a client sending a byte a
 * second keeps libmicrohttpd's idle timeout from ever firing.  shutdown(),
 * not close(): the socket stays libmicrohttpd's, which sees it end. */
static void
cut_slow_clients(void *arg)
{
	struct http_server *s = arg;
	int64_t now = mono_ms();

	pthread_mutex_lock(&s->conns_lock);
	for (struct http_conn *hc = s->conns; hc; hc = hc->next)
		if (!hc->busy && hc->fd >= 0 && now - hc->since_ms > HTTP_REQUEST_TIME_MS) {
			shutdown(hc->fd, SHUT_RDWR);
			hc->fd = -1;
		}
	pthread_mutex_unlock(&s->conns_lock);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("http", "%s", msg);
}

/* ---- start / stop ---- */

static int
load_token(struct http_server *s, const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		snprintf(err, errlen, "--http-token-file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH))) {
		fclose(f);
		snprintf(err, errlen,
			 "--http-token-file %s: readable or writable by other users; "
			 "chmod 600 %s",
			 path, path);
		return -1;
	}
	char line[HTTP_TOKEN_MAX + 2];
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	size_t n = strlen(line);
	if (n == 0 || n >= HTTP_TOKEN_MAX) {
		snprintf(err, errlen,
			 "--http-token-file %s: the first line must hold the token "
			 "(1 to %d bytes)",
			 path, HTTP_TOKEN_MAX - 1);
		return -1;
	}
	memcpy(s->token, line, n + 1);
	s->token_len = n;
	s->has_token = true;
	explicit_bzero(line, sizeof line);
	return 0;
}

/* cfg->http as a socket address: "PORT", "ADDR:PORT" or "[V6]:PORT". */
static int
resolve(const char *spec, struct sockaddr_storage *ss, socklen_t *sslen, bool *loopback, char *err,
	size_t errlen)
{
	char host[256] = "127.0.0.1";
	const char *colon = strrchr(spec, ':');
	const char *port = colon ? colon + 1 : spec;

	if (colon) {
		const char *h = spec;
		size_t n = (size_t)(colon - spec);
		if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
			h++;
			n -= 2;
		}
		snprintf(host, sizeof host, "%.*s", (int)n, h);
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV },
			*ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "--http %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sslen = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		*loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/* Room for HTTP_CONNECTIONS_MAX connections beside the pipeline's own
 * sockets: a soft limit of 1,024 open files would make a burst of
 * connections fail accept() instead of meeting the connection limit. */
static void
raise_open_files_limit(void)
{
	struct rlimit rl;
	rlim_t want = HTTP_CONNECTIONS_MAX + 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_debug("http", "cannot raise the open files limit: %s", strerror(errno));
	}
}

struct http_server *
http_server_start(struct engine *e, char *err, size_t errlen)
{
	const struct config *cfg = engine_config(e);
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool loopback;

	if (resolve(cfg->http, &ss, &sslen, &loopback, err, errlen) < 0)
		return NULL;
	struct http_server *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->e = e;
	pthread_mutex_init(&s->conns_lock, NULL);
	if (cfg->http_token_file && load_token(s, cfg->http_token_file, err, errlen) < 0)
		goto fail;
	if (!loopback && !s->has_token) {
		snprintf(err, errlen,
			 "--http %s: not a loopback address, and POST /orders and "
			 "PATCH /rules would take anyone's orders: give --http-token-file FILE",
			 cfg->http);
		goto fail;
	}
	if (engine_open_intake(e, err, errlen) < 0)
		goto fail;
	raise_open_files_limit();
	s->wait = http_wait_new(resume_request, cut_slow_clients, s);
	if (s->wait == NULL) {
		snprintf(err, errlen, "cannot start the HTTP API's thread");
		goto fail;
	}
	/* TURBO: no shutdown() of the listening socket, no extra checks. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_THREADS, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)HTTP_CONNECTIONS_MAX, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)HTTP_CONN_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)HTTP_IDLE_TIMEOUT_S, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen,
			 "--http %s: cannot listen (the address in use, or not "
			 "this host's?)",
			 cfg->http);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET6_ADDRSTRLEN] = "?";
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
	snprintf(s->addr, sizeof s->addr, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", host,
		 di ? di->port : 0);
	stats_set_http_addr(engine_stats(e), s->addr);
	log_info("http", "HTTP API on http://%s/%s", s->addr,
		 s->has_token ? " (POST and PATCH need the token)" : "");
	return s;
fail:
	http_server_stop(s);
	return NULL;
}

void
http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	http_wait_stop(s->wait); /* answers what waits */
	if (s->d)
		MHD_stop_daemon(s->d);
	http_wait_unref(s->wait);
	pthread_mutex_destroy(&s->conns_lock);
	explicit_bzero(s->token, sizeof s->token);
	free(s);
}
