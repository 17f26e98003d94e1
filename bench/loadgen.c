/* loadgen: load generator of the chat server benchmark (issue #3): N clients each
 * send M messages; prints deliveries/s, relay latency and what was lost or merged. */

/*
 * One thread, non-blocking sockets and poll() (WSAPoll on Windows), so the
 * same file builds natively on Linux and with MinGW, and 100 clients cost no
 * threads. The protocol is the original's (../shared/seed/ORIGINAL-SYSTEM.md)
 * as a compatible client speaks it: Nagle off, the hello and every message in
 * a send() of its own, no message before the client's own join line.
 *
 * Each message is `m <client> <seq> <send-time-ns>` plus '\n' (the original
 * strips CR/LF, a line-framing server needs the '\n'). Every client reads
 * everything; each delivery of a message to a receiver is checked against a
 * per-(receiver, sender) bitmap, so lost, duplicated and reordered deliveries
 * are counted exactly, and its latency is taken from the embedded time (the
 * sender and the receivers share this process's monotonic clock).
 *
 * A line that carries two or more messages (`c1: m 1 5 ...m 1 6 ...`, what
 * the original's one-recv()-one-message framing does to two sends that reach
 * it together) counts each of them as delivered AND merged: they arrived, but
 * a real chat would show them as one message. Everything is counted per
 * delivery (one message reaching one receiver), like the throughput.
 *
 * Pacing: each client keeps at most --window messages in flight (sent, not yet
 * seen come back as its own broadcast); a window of 1 is exactly the polite
 * client of the facts sheet, larger windows are the load that makes the
 * original merge. A message whose echo does not come within --ack-timeout-ms
 * stops holding the window, so a server that loses messages cannot stall us;
 * --quiet-ms after the last send (or the last byte received, whichever is
 * later) and --max-seconds per run bound the time in every case.
 */
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET sock_t;
#define BAD_SOCK INVALID_SOCKET
#define MSG_NOSIGNAL 0
#define sock_close closesocket
#define sock_poll(fds, n, ms) WSAPoll((fds), (ULONG)(n), (ms))
#define WOULD_BLOCK(e) ((e) == WSAEWOULDBLOCK)
static int sock_errno(void)
{
    return WSAGetLastError();
}
#else
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
typedef int sock_t;
#define BAD_SOCK (-1)
#define sock_close close
#define sock_poll(fds, n, ms) poll((fds), (nfds_t)(n), (ms))
#define WOULD_BLOCK(e) ((e) == EAGAIN || (e) == EWOULDBLOCK || (e) == EINTR)
static int sock_errno(void)
{
    return errno;
}
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_CAP 16384               /* a line longer than this is malformed for sure */
#define OUT_CAP 256                /* one hello or one message */
#define MAX_LIST 16                /* entries of --clients / --messages */
#define LAT_CAP (16 * 1000 * 1000) /* latency samples kept (128 MB at most) */

typedef struct {
    const char *host, *port, *label;
    int nruns;
    int clients[MAX_LIST], messages[MAX_LIST];
    int window, interval_ms, ack_timeout_ms, quiet_ms, join_timeout_ms, hold_ms;
    int max_seconds;
    FILE *results; /* --results: key=value lines for scripts, or NULL */
} Config;

typedef struct {
    sock_t fd;
    int id, joined, closed;
    int sent, acked; /* own messages sent / seen echoed */
    int64_t last_send_ns, next_send_ns;
    char out[OUT_CAP]; /* a send() that did not fit yet */
    size_t out_len, out_off;
    char in[IN_CAP]; /* the partial line received so far */
    size_t in_len;
    int *max_seq;        /* [sender]: highest seq seen, -1 none */
    unsigned char *seen; /* [sender][seq] bits */
} Client;

/* Each run's clients are named c<base + i>, base a multiple of RUN_NAMES
 * new for every run, of this process or another one on the same server
 * (run-server-bench starts one per load): a server may still hold the last
 * run's names while it lets those clients go, and refuses a name in use. */
#define RUN_NAMES 100000

typedef struct {
    int n, m;
    int64_t base; /* the first client's number in its name */
    int64_t expected, unique, dup, merged, reordered, malformed, closed;
    int64_t *lat;
    size_t nlat;
    int64_t t0, t_last_rx;
    struct pollfd *pfd; /* poll set of the open clients, and their indexes */
    int *map;
    double tput, p50_ms, p99_ms, secs;
    const char *status;
} Run;

static int64_t now_ns(void)
{
#ifdef _WIN32
    static LARGE_INTEGER freq;
    LARGE_INTEGER c;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&c);
    return (int64_t)((double)c.QuadPart * 1e9 / (double)freq.QuadPart);
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
#endif
}

static int set_nonblocking(sock_t s)
{
#ifdef _WIN32
    u_long on = 1;
    return ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : -1;
#else
    int fl = fcntl(s, F_GETFL, 0);
    return fl < 0 || fcntl(s, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
#endif
}

/* --- sending -------------------------------------------------------------- */

/* Tries to send what is pending; a partial send stays pending. Returns -1
 * when the connection is gone. */
static int flush_out(Client *c)
{
    while (c->out_off < c->out_len) {
        int k = (int)send(c->fd, c->out + c->out_off, (int)(c->out_len - c->out_off),
                          MSG_NOSIGNAL);
        if (k < 0) {
            int err = sock_errno();
            if (WOULD_BLOCK(err))
                return 0;
            return -1;
        }
        c->out_off += (size_t)k;
    }
    c->out_len = c->out_off = 0;
    return 0;
}

/* Queues one unit and sends it at once: each unit gets a send() of its own,
 * which is what keeps the original from merging a client's own units. */
static int send_unit(Client *c, const char *text, int len)
{
    memcpy(c->out, text, (size_t)len);
    c->out_len = (size_t)len;
    c->out_off = 0;
    return flush_out(c);
}

/* --- receiving ------------------------------------------------------------ */

static int parse_int(const char **p, int64_t *v)
{
    const char *s = *p;
    int64_t x = 0;
    if (*s < '0' || *s > '9')
        return -1;
    while (*s >= '0' && *s <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return -1;
        x = x * 10 + (*s++ - '0');
    }
    *p = s;
    *v = x;
    return 0;
}

typedef struct {
    int sender, seq;
    int64_t ts;
} Rec;

/* Parses the records of one `cK: ...` text: `m K SEQ TS` repeated with no
 * separator when merged. Returns their count, or -1 if anything else is in
 * the line (a split message, foreign text). */
static int parse_records(const char *s, int n, int m, int name, Rec *out, int cap)
{
    int k = 0;
    while (*s) {
        int64_t c, q, t;
        if (s[0] != 'm' || s[1] != ' ')
            return -1;
        s += 2;
        if (parse_int(&s, &c) || *s++ != ' ' || parse_int(&s, &q) || *s++ != ' ' ||
            parse_int(&s, &t))
            return -1;
        if (c != name || c >= n || q >= m || k == cap)
            return -1;
        out[k].sender = (int)c;
        out[k].seq = (int)q;
        out[k].ts = t;
        k++;
    }
    return k;
}

static void deliver(Run *r, Client *c, const Rec *rec, int merged, int64_t now)
{
    size_t bit = (size_t)rec->sender * (size_t)r->m + (size_t)rec->seq;
    unsigned char mask = (unsigned char)(1u << (bit & 7));
    if (c->seen[bit >> 3] & mask) {
        r->dup++;
        return;
    }
    c->seen[bit >> 3] |= mask;
    r->unique++;
    if (rec->seq < c->max_seq[rec->sender])
        r->reordered++;
    else
        c->max_seq[rec->sender] = rec->seq;
    if (merged)
        r->merged++;
    if (r->nlat < LAT_CAP)
        r->lat[r->nlat++] = now - rec->ts;
    if (rec->sender == c->id && rec->seq + 1 > c->acked)
        c->acked = rec->seq + 1;
}

static void handle_line(Run *r, Client *c, char *line, int64_t now)
{
    static Rec recs[IN_CAP / 4]; /* a record takes at least 7 bytes */
    char join[64];
    char *text;
    int64_t name;
    const char *p = line;
    int k;

    if (strncmp(line, "*** ", 4) == 0) {
        /* Notices: only our own join matters; others' joins and leaves,
         * banners and the like are not messages. */
        snprintf(join, sizeof join, "*** c%lld joined the chat ***",
                 (long long)(r->base + c->id));
        if (strcmp(line, join) == 0)
            c->joined = 1;
        return;
    }
    if (*p++ != 'c' || parse_int(&p, &name) || p[0] != ':' || p[1] != ' ' ||
        name < r->base || name >= r->base + RUN_NAMES) {
        r->malformed++;
        return;
    }
    name -= r->base;
    text = line + (p - line) + 2;
    k = parse_records(text, r->n, r->m, (int)name, recs,
                      (int)(sizeof recs / sizeof recs[0]));
    if (k <= 0) {
        r->malformed++;
        return;
    }
    for (int i = 0; i < k; i++)
        deliver(r, c, &recs[i], k > 1, now);
}

/* Reads what is there and handles every complete line. Returns -1 when the
 * server closed the connection. A short read means the socket is drained:
 * stopping there saves the recv() that would only say EWOULDBLOCK, which is
 * a third of our system calls when a server sends a line per send(). */
static int read_in(Run *r, Client *c)
{
    for (;;) {
        size_t room = IN_CAP - 1 - c->in_len;
        int k = (int)recv(c->fd, c->in + c->in_len, (int)room, 0);
        int64_t now = now_ns();
        char *start, *nl;
        if (k == 0)
            return -1;
        if (k < 0) {
            int err = sock_errno();
            return WOULD_BLOCK(err) ? 0 : -1;
        }
        r->t_last_rx = now;
        c->in_len += (size_t)k;
        c->in[c->in_len] = '\0';
        start = c->in;
        while ((nl = memchr(start, '\n', c->in_len - (size_t)(start - c->in)))) {
            *nl = '\0';
            if (nl > start && nl[-1] == '\r')
                nl[-1] = '\0';
            handle_line(r, c, start, now);
            start = nl + 1;
        }
        c->in_len -= (size_t)(start - c->in);
        memmove(c->in, start, c->in_len);
        if (c->in_len == IN_CAP - 1) { /* no newline in 16 KB: not a chat line */
            r->malformed++;
            c->in_len = 0;
        }
        if ((size_t)k < room)
            return 0;
    }
}

/* Waits up to timeout_ms for traffic, then reads and flushes what is ready.
 * Closed clients are left out of the poll set rather than given an invalid
 * socket, which WSAPoll does not promise to skip. */
static void pump(Run *r, Client *cl, int timeout_ms)
{
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        if (cl[i].closed)
            continue;
        r->pfd[k].fd = cl[i].fd;
        r->pfd[k].events = POLLIN | (cl[i].out_len ? POLLOUT : 0);
        r->pfd[k].revents = 0;
        r->map[k++] = i;
    }
    if (k == 0) {
#ifdef _WIN32
        Sleep((DWORD)timeout_ms);
#else
        poll(NULL, 0, timeout_ms);
#endif
        return;
    }
    if (sock_poll(r->pfd, k, timeout_ms) <= 0)
        return;
    for (int j = 0; j < k; j++) {
        Client *c = &cl[r->map[j]];
        if (!r->pfd[j].revents)
            continue;
        if (read_in(r, c) < 0 || flush_out(c) < 0) {
            c->closed = 1;
            r->closed++;
        }
    }
}

/* --- one run --------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double pct_ms(const int64_t *v, size_t n, double p)
{
    size_t i;
    if (!n)
        return 0;
    i = (size_t)(p * (double)(n - 1) + 0.5);
    return (double)v[i] / 1e6;
}

static int connect_all(Run *r, Client *cl, const struct addrinfo *ai)
{
    int one = 1;
    for (int i = 0; i < r->n; i++) {
        Client *c = &cl[i];
        c->fd = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
        if (c->fd == BAD_SOCK)
            return -1;
        /* Nagle off, so each send() leaves as its own segment. */
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        if (connect(c->fd, ai->ai_addr, (int)ai->ai_addrlen) != 0) {
            int err = sock_errno();
            fprintf(stderr, "loadgen: connect %d failed (error %d)\n", i, err);
            return -1;
        }
        if (set_nonblocking(c->fd) < 0)
            return -1;
    }
    return 0;
}

/* Every client sends its hello and waits for its own join line. */
static int join_all(Run *r, Client *cl, int timeout_ms)
{
    static int runs;
    char hello[64];
    int64_t deadline = now_ns() + (int64_t)timeout_ms * 1000000;
    /* The millisecond clock, and a count for runs within one. */
    r->base = ((now_ns() / 1000000) % 10000000 * 100 + ++runs % 100) * RUN_NAMES;
    for (int i = 0; i < r->n; i++) {
        int len = snprintf(hello, sizeof hello, "USERNAME:c%lld\n", (long long)(r->base + i));
        if (send_unit(&cl[i], hello, len) < 0)
            return -1;
    }
    for (;;) {
        int joined = 0;
        for (int i = 0; i < r->n; i++)
            joined += cl[i].joined;
        if (joined == r->n)
            return 0;
        if (now_ns() > deadline || r->closed) {
            fprintf(stderr, "loadgen: only %d of %d clients saw their join line\n",
                    joined, r->n);
            return -1;
        }
        pump(r, cl, 20);
    }
}

/* Sends what the window and the pace allow now; returns the time of the next
 * moment a send may become possible without any input (ns). */
static int64_t send_some(const Config *cfg, Run *r, Client *c, int64_t now, int *busy)
{
    char msg[OUT_CAP];
    int64_t wake = now + 50 * 1000000LL;
    int64_t ack_to = (int64_t)cfg->ack_timeout_ms * 1000000;
    if (c->closed)
        return wake;
    if (c->out_len && flush_out(c) < 0) {
        c->closed = 1;
        r->closed++;
        return wake;
    }
    while (!c->out_len && c->sent < r->m) {
        int len;
        if (c->sent - c->acked >= cfg->window) {
            if (now - c->last_send_ns < ack_to) {
                if (c->last_send_ns + ack_to < wake)
                    wake = c->last_send_ns + ack_to;
                break;
            }
            c->acked = c->sent - cfg->window + 1; /* give up on the oldest */
        }
        if (now < c->next_send_ns) {
            if (c->next_send_ns < wake)
                wake = c->next_send_ns;
            break;
        }
        len =
            snprintf(msg, sizeof msg, "m %d %d %lld\n", c->id, c->sent, (long long)now);
        if (send_unit(c, msg, len) < 0) {
            c->closed = 1;
            r->closed++;
            break;
        }
        c->sent++;
        c->last_send_ns = now;
        c->next_send_ns = now + (int64_t)cfg->interval_ms * 1000000;
        now = now_ns();
    }
    if (c->sent < r->m || c->out_len)
        *busy = 1;
    return wake;
}

static void run_messages(const Config *cfg, Run *r, Client *cl)
{
    int64_t t_sent = 0;
    int64_t quiet = (int64_t)cfg->quiet_ms * 1000000;
    int64_t cap = (int64_t)cfg->max_seconds * 1000000000;

    r->t0 = r->t_last_rx = now_ns();
    r->status = "ok";
    for (;;) {
        int64_t now = now_ns(), wake = now + 50 * 1000000LL, last;
        int busy = 0, ms;
        for (int i = 0; i < r->n; i++) {
            int64_t w = send_some(cfg, r, &cl[i], now, &busy);
            if (w < wake)
                wake = w;
        }
        now = now_ns();
        if (!busy && !t_sent)
            t_sent = now;
        if (!busy) {
            if (r->unique == r->expected)
                break;
            last = r->t_last_rx > t_sent ? r->t_last_rx : t_sent;
            if (now - last > quiet) {
                r->status = "quiet";
                break;
            }
            if (wake > last + quiet)
                wake = last + quiet;
        }
        if (now - r->t0 > cap) {
            r->status = "deadline";
            break;
        }
        ms = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
        pump(r, cl, ms);
    }
}

static void finish(Run *r)
{
    int64_t span = r->t_last_rx - r->t0;
    r->secs = (double)span / 1e9;
    /* Throughput counts intact deliveries only: a message glued to another in
     * one line (the original's merging) is broken for its reader. */
    r->tput = span > 0 ? (double)(r->unique - r->merged) / r->secs : 0;
    qsort(r->lat, r->nlat, sizeof r->lat[0], cmp_i64);
    r->p50_ms = pct_ms(r->lat, r->nlat, 0.50);
    r->p99_ms = pct_ms(r->lat, r->nlat, 0.99);
}

static int run_one(const Config *cfg, const struct addrinfo *ai, Run *r)
{
    size_t n = (size_t)r->n, m = (size_t)r->m;
    size_t seen_bytes = (n * m + 7) / 8;
    Client *cl = calloc(n, sizeof *cl);
    int rc = -1;

    r->expected = (int64_t)(n * n * m);
    r->lat =
        malloc(sizeof *r->lat *
               ((size_t)r->expected < LAT_CAP ? (size_t)r->expected + 1 : LAT_CAP));
    r->pfd = calloc(n, sizeof *r->pfd);
    r->map = calloc(n, sizeof *r->map);
    r->status = "failed";
    if (!cl || !r->pfd || !r->map || !r->lat)
        goto out;
    for (size_t i = 0; i < n; i++) {
        cl[i].fd = BAD_SOCK;
        cl[i].id = (int)i;
        cl[i].max_seq = malloc(n * sizeof *cl[i].max_seq);
        cl[i].seen = calloc(seen_bytes, 1);
        if (!cl[i].max_seq || !cl[i].seen)
            goto out;
        for (size_t j = 0; j < n; j++)
            cl[i].max_seq[j] = -1;
    }
    if (connect_all(r, cl, ai) < 0) {
        r->status = "connect";
        goto out;
    }
    /* A server under Wine starts a thread per client and tells everyone of
     * each join: 1,000 clients take it some 20 s. */
    int join_ms = cfg->join_timeout_ms > r->n * 60 ? cfg->join_timeout_ms : r->n * 60;
    if (join_all(r, cl, join_ms) < 0) {
        r->status = "join";
        goto out;
    }
    if (cfg->hold_ms) {
        /* Everyone joined and quiet: a footprint can be sampled now. */
        fprintf(stderr, "loadgen: %d clients joined; holding %d ms\n", r->n, cfg->hold_ms);
        for (int64_t end = now_ns() + (int64_t)cfg->hold_ms * 1000000; now_ns() < end;)
            pump(r, cl, 100);
    }
    run_messages(cfg, r, cl);
    finish(r);
    rc = 0;
out:
    for (size_t i = 0; cl && i < n; i++) {
        if (cl[i].fd != BAD_SOCK)
            sock_close(cl[i].fd);
        free(cl[i].max_seq);
        free(cl[i].seen);
    }
    free(cl);
    free(r->pfd);
    free(r->map);
    free(r->lat);
    r->lat = NULL;
    return rc;
}

/* --- output and options ----------------------------------------------------- */

static void print_header(void)
{
    printf("%-10s %7s %5s %6s %12s %8s %8s %10s %8s %6s %8s %6s %5s %7s %s\n", "server",
           "clients", "msgs", "window", "deliveries/s", "p50 ms", "p99 ms", "expected",
           "lost", "dup", "merged", "reord", "bad", "secs", "end");
}

/* One table row on stdout and, with --results, the same figures as one
 * key=value line, so a script never parses the table. A failed run has only
 * its label, sizes and end. */
static void print_run(const Config *cfg, const Run *r, int ok)
{
    int64_t lost = r->expected - r->unique;
    if (!ok) {
        printf("%-10s %7d %5d %6d  run failed: %s\n", cfg->label, r->n, r->m,
               cfg->window, r->status);
        if (cfg->results)
            fprintf(cfg->results, "label=%s n=%d m=%d window=%d end=%s\n", cfg->label,
                    r->n, r->m, cfg->window, r->status);
    } else {
        printf("%-10s %7d %5d %6d %12.0f %8.2f %8.2f %10lld %8lld %6lld %8lld %6lld "
               "%5lld %7.2f %s",
               cfg->label, r->n, r->m, cfg->window, r->tput, r->p50_ms, r->p99_ms,
               (long long)r->expected, (long long)lost, (long long)r->dup,
               (long long)r->merged, (long long)r->reordered, (long long)r->malformed,
               r->secs, r->status);
        if (r->closed)
            printf(" (the server closed %lld connections)", (long long)r->closed);
        printf("\n");
        if (cfg->results)
            fprintf(cfg->results,
                    "label=%s n=%d m=%d window=%d tput=%.0f p50=%.2f p99=%.2f "
                    "expected=%lld lost=%lld dup=%lld merged=%lld reord=%lld bad=%lld "
                    "closed=%lld secs=%.2f end=%s\n",
                    cfg->label, r->n, r->m, cfg->window, r->tput, r->p50_ms, r->p99_ms,
                    (long long)r->expected, (long long)lost, (long long)r->dup,
                    (long long)r->merged, (long long)r->reordered,
                    (long long)r->malformed, (long long)r->closed, r->secs, r->status);
    }
    fflush(stdout);
    if (cfg->results)
        fflush(cfg->results);
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: loadgen --port P [options]\n"
        "       loadgen --free-port      print a free 127.0.0.1 TCP port and exit\n"
        "  --host H             server address (default 127.0.0.1)\n"
        "  --clients LIST       client counts, one run each (default 1,10,100)\n"
        "  --messages LIST      messages per client, per run or one for all\n"
        "                       (default 200,200,50)\n"
        "  --window W           messages in flight per client (default 8;\n"
        "                       1 = wait for each echo, as the facts sheet asks)\n"
        "  --interval-ms T      least time between two sends of a client (default 0)\n"
        "  --ack-timeout-ms T   stop waiting for an echo after T (default 2000)\n"
        "  --quiet-ms T         end a run T after the last send/receive (default "
        "3000)\n"
        "  --join-timeout-ms T  time for all join lines (default 15000)\n"
        "  --hold-ms T          once all have joined, wait T ms before the messages\n"
        "                       (a quiet moment to sample the server's footprint)\n"
        "  --max-seconds S      hard limit of one run's message phase (default 60)\n"
        "  --label NAME         name in the server column (default server)\n"
        "  --results FILE       also append each run as a key=value line to FILE\n"
        "Counts are per delivery (one message reaching one receiver); a merged\n"
        "message arrived glued to another in one line: it is not lost, but it is\n"
        "broken, so deliveries/s counts intact deliveries only.\n");
}

static int parse_list(const char *s, int *out)
{
    int k = 0;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 1000000 || k == MAX_LIST)
            return -1;
        out[k++] = (int)v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return k;
}

static int parse_pos(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 0 || v > 100000000)
        return -1;
    *out = (int)v;
    return 0;
}

static int free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    sock_t s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s == BAD_SOCK || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
        fprintf(stderr, "loadgen: no free port\n");
        return 1;
    }
    printf("%u\n", ntohs(sa.sin_port));
    sock_close(s);
    return 0;
}

static int parse_args(int argc, char **argv, Config *cfg, int *want_port)
{
    int nm = 0, mlist[MAX_LIST];
    static const int def_n[] = {1, 10, 100}, def_m[] = {200, 200, 50};

    *cfg = (Config){.host = "127.0.0.1",
                    .label = "server",
                    .nruns = 3,
                    .window = 8,
                    .ack_timeout_ms = 2000,
                    .quiet_ms = 3000,
                    .join_timeout_ms = 15000,
                    .max_seconds = 60};
    memcpy(cfg->clients, def_n, sizeof def_n);
    memcpy(cfg->messages, def_m, sizeof def_m);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--free-port") == 0) {
            *want_port = 1;
            continue;
        } else if (!v) {
            bad = 1;
        } else if (strcmp(a, "--host") == 0) {
            cfg->host = v;
        } else if (strcmp(a, "--port") == 0) {
            cfg->port = v;
        } else if (strcmp(a, "--label") == 0) {
            cfg->label = v;
        } else if (strcmp(a, "--results") == 0) {
            bad = !(cfg->results = fopen(v, "a"));
        } else if (strcmp(a, "--clients") == 0) {
            bad = (cfg->nruns = parse_list(v, cfg->clients)) < 0;
        } else if (strcmp(a, "--messages") == 0) {
            bad = (nm = parse_list(v, mlist)) < 0;
        } else if (strcmp(a, "--window") == 0) {
            bad = parse_pos(v, &cfg->window) || cfg->window < 1;
        } else if (strcmp(a, "--interval-ms") == 0) {
            bad = parse_pos(v, &cfg->interval_ms);
        } else if (strcmp(a, "--ack-timeout-ms") == 0) {
            bad = parse_pos(v, &cfg->ack_timeout_ms);
        } else if (strcmp(a, "--quiet-ms") == 0) {
            bad = parse_pos(v, &cfg->quiet_ms);
        } else if (strcmp(a, "--join-timeout-ms") == 0) {
            bad = parse_pos(v, &cfg->join_timeout_ms);
        } else if (strcmp(a, "--hold-ms") == 0) {
            bad = parse_pos(v, &cfg->hold_ms);
        } else if (strcmp(a, "--max-seconds") == 0) {
            bad = parse_pos(v, &cfg->max_seconds);
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "loadgen: bad option or value: %s\n", a);
            return -1;
        }
        i++;
    }
    if (nm) {
        /* One count for all runs, or one per run. */
        if (nm != 1 && nm != cfg->nruns) {
            fprintf(stderr, "loadgen: --messages needs 1 or %d values\n", cfg->nruns);
            return -1;
        }
        for (int i = 0; i < cfg->nruns; i++)
            cfg->messages[i] = mlist[nm == 1 ? 0 : i];
    } else if (cfg->nruns != 3) {
        for (int i = 0; i < cfg->nruns; i++)
            cfg->messages[i] = cfg->clients[i] >= 100 ? 50 : 200;
    }
    if (!*want_port && !cfg->port) {
        usage(stderr);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    Config cfg;
    struct addrinfo hints, *ai = NULL;
    int want_port = 0, failed = 0;

#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
#else
    signal(SIGPIPE, SIG_IGN); /* a dead server must show as an error, not kill us */
#endif
    if (parse_args(argc, argv, &cfg, &want_port) < 0)
        return 2;
    if (want_port)
        return free_port();
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(cfg.host, cfg.port, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "loadgen: cannot resolve %s:%s\n", cfg.host, cfg.port);
        return 2;
    }
    print_header();
    for (int i = 0; i < cfg.nruns; i++) {
        Run r;
        int ok;
        memset(&r, 0, sizeof r);
        r.n = cfg.clients[i];
        r.m = cfg.messages[i];
        ok = run_one(&cfg, ai, &r) == 0;
        failed |= !ok;
        print_run(&cfg, &r, ok);
    }
    freeaddrinfo(ai);
    if (cfg.results)
        fclose(cfg.results);
    return failed;
}
