/* bot.c: the soak's scripted clients: threads of the driver, each with its
 * own blocking Winsock socket, that join, chat in bursts, park for the
 * driver's quiet moments and leave in one of three ways, again and again,
 * recording every line the server sends them (see soak.h). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "soak.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"
#include "win/clock.h"

#define JOIN_WAIT_MS 10000  /* hello to own join line */
#define ECHO_WAIT_MS 10000  /* a burst to its last echo */
#define CLOSE_WAIT_MS 10000 /* "/quit" or FIN to the server's close */
#define PARK_WAIT_MS 300000 /* longest quiet moment a bot waits out */

typedef struct Bot {
    int id;
    unsigned rng;
    SOCKET s;
    SoakSession *sess; /* NULL while offline */
    int sess_index;
    unsigned nsess;
    int bursts_left;
    int outstanding; /* own messages whose echo has not come back */
    char buf[65536];
    size_t len;
} Bot;

static Bot bots[SOAK_BOTS];

SoakState soak;

/* --- shared helpers ------------------------------------------------------ */

void soak_error(const char *fmt, ...)
{
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    EnterCriticalSection(&soak.err_lock);
    if (soak.errors++ == 0)
        snprintf(soak.first_error, sizeof soak.first_error, "%s", text);
    LeaveCriticalSection(&soak.err_lock);
    fprintf(stderr, "soak: error: %s\n", text);
}

int soak_msg_new(int sender, int session)
{
    LONG g = InterlockedIncrement(&soak.nmsgs) - 1;
    if (g >= soak.capmsgs) {
        InterlockedDecrement(&soak.nmsgs);
        return -1;
    }
    SoakMsg *m = &soak.msgs[g];
    m->sender = sender;
    m->session = session;
    m->seq = ++soak.next_seq[sender]; /* only the sender's thread counts */
    m->first_rx = (LONG64)SOAK_NEVER;
    m->sent_us = win_clock_us();
    return (int)g;
}

size_t soak_msg_text(unsigned g, char *out, size_t size)
{
    const SoakMsg *m = &soak.msgs[g];
    int n = snprintf(out, size, "soak %u %d %u ", g, m->sender, m->seq);
    size_t len = n > 0 ? (size_t)n : 0;
    /* A filler whose length and letters follow from g: a line that was cut,
     * merged or mixed with another does not pass for this message. */
    size_t pad = 4 + (g * 37u) % 90;
    for (size_t i = 0; i < pad && len + 1 < size; i++)
        out[len++] = (char)('a' + (g + i) % 26);
    out[len] = '\0';
    return len;
}

static unsigned rnd(Bot *b, unsigned n)
{
    /* xorshift32: each bot its own reproducible stream. */
    b->rng ^= b->rng << 13;
    b->rng ^= b->rng >> 17;
    b->rng ^= b->rng << 5;
    return n ? b->rng % n : 0;
}

static void atomic_min(volatile LONG64 *p, unsigned long long v)
{
    LONG64 cur = *p;
    while ((unsigned long long)cur > v) {
        LONG64 prev = InterlockedCompareExchange64(p, (LONG64)v, cur);
        if (prev == cur)
            break;
        cur = prev;
    }
}

/* --- what a session received --------------------------------------------- */

static SoakSession *session_new(Bot *b)
{
    LONG i = InterlockedIncrement(&soak.nsessions) - 1;
    if (i >= soak.capsessions) {
        InterlockedDecrement(&soak.nsessions);
        soak_error("session table full (%ld)", soak.capsessions);
        return NULL;
    }
    SoakSession *s = &soak.sessions[i];
    memset(s, 0, sizeof *s);
    s->bot = b->id;
    snprintf(s->name, sizeof s->name, "b%02d_%u", b->id, ++b->nsess);
    s->joined_us = SOAK_NEVER;
    s->leave_us = SOAK_NEVER;
    s->held = -1;
    b->sess_index = (int)i;
    return s;
}

static void bad_line(SoakSession *s, const char *line)
{
    if (s->bad_lines++ == 0)
        snprintf(s->first_bad, sizeof s->first_bad, "%s: %.120s", s->name, line);
}

/* Appends g to what s received, and checks the order per sender: a sender's
 * sequence numbers must only grow. */
static void record_one(SoakSession *s, unsigned g)
{
    const SoakMsg *m = &soak.msgs[g];
    unsigned last = s->last_seq[m->sender];
    if (m->seq == last)
        s->dups_seen++;
    else if (m->seq < last)
        s->reordered++;
    else
        s->last_seq[m->sender] = m->seq;
    if (s->nrx == s->caprx) {
        size_t cap = s->caprx ? s->caprx * 2 : 256;
        unsigned *rx = realloc(s->rx, cap * sizeof *rx);
        if (rx == NULL) {
            soak_error("out of memory recording receipts");
            return;
        }
        s->rx = rx;
        s->caprx = cap;
    }
    s->rx[s->nrx++] = g;
}

/* Message g arrived. The self-test faults are injected here, on the
 * receiving side only, and only on a message this session owes for sure
 * (someone else had it already, and we joined before it was sent), so the
 * verifier must notice each. */
static void deliver(Bot *b, unsigned g, unsigned long long now)
{
    SoakSession *s = b->sess;
    SoakMsg *m = &soak.msgs[g];
    bool own = m->sender == b->id;

    if (own && m->session == b->sess_index)
        b->outstanding--;
    bool owed = !own && s->leave_us == SOAK_NEVER && s->joined_us <= m->sent_us &&
                (unsigned long long)m->first_rx < now;
    if (owed && soak.inject_drop > 0 && InterlockedDecrement(&soak.inject_drop) >= 0)
        return; /* as if it never came */
    atomic_min(&m->first_rx, now);
    if (s->held >= 0 && soak.msgs[s->held].sender == m->sender) {
        record_one(s, g); /* the held one goes after its successor */
        record_one(s, (unsigned)s->held);
        s->held = -1;
        return;
    }
    if (owed && s->held < 0 && soak.inject_swap > 0 &&
        InterlockedDecrement(&soak.inject_swap) >= 0) {
        s->held = (long)g;
        return;
    }
    record_one(s, g);
    if (owed && soak.inject_dup > 0 && InterlockedDecrement(&soak.inject_dup) >= 0)
        record_one(s, g);
}

static bool ends_with(const char *s, size_t n, const char *tail)
{
    size_t t = strlen(tail);
    return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* One line from the server, without its "\n". */
static void on_line(Bot *b, char *line, size_t n, unsigned long long now)
{
    SoakSession *s = b->sess;
    char want[200];

    line[n] = '\0';
    if (n >= 4 && memcmp(line, "*** ", 4) == 0) {
        snprintf(want, sizeof want, "*** %s joined the chat ***", s->name);
        if (strcmp(line, want) == 0) {
            if (s->joined_us != SOAK_NEVER)
                bad_line(s, line);
            s->joined_us = now;
        } else if (s->joined_us != SOAK_NEVER && !s->welcomed &&
                   (strncmp(line, PROTO_ROSTER_HEAD, sizeof PROTO_ROSTER_HEAD - 1) == 0 ||
                    strncmp(line, PROTO_ROSTER_MORE, sizeof PROTO_ROSTER_MORE - 1) == 0)) {
            /* The roster that follows our join line (core/proto.h). */
        } else if (s->joined_us != SOAK_NEVER && !s->welcomed &&
                   strncmp(line, PROTO_SHM_HEAD, sizeof PROTO_SHM_HEAD - 1) == 0) {
            s->welcomed = true; /* the welcome's last line */
        } else if (!ends_with(line, n, " joined the chat ***") &&
                   !ends_with(line, n, " left the chat ***")) {
            bad_line(s, line); /* "server full", "too long", "shutting down"... */
        }
        return;
    }
    char *colon = strstr(line, ": ");
    unsigned g;
    if (colon == NULL || sscanf(colon + 2, "soak %u", &g) != 1 ||
        g >= (unsigned)soak.nmsgs) {
        bad_line(s, line);
        return;
    }
    *colon = '\0';
    soak_msg_text(g, want, sizeof want);
    const SoakMsg *m = &soak.msgs[g];
    char name[SOAK_NAME_MAX];
    if (m->sender < SOAK_BOTS)
        snprintf(name, sizeof name, "%s", soak.sessions[m->session].name);
    else
        snprintf(name, sizeof name, "gui%d", m->sender - SOAK_BOTS);
    if (strcmp(colon + 2, want) != 0 || strcmp(line, name) != 0) {
        *colon = ':';
        bad_line(s, line);
        return;
    }
    deliver(b, g, now);
}

/* Reads what arrives within timeout_ms and handles every complete line.
 * False when the connection ended (closed or failed). */
static bool pump(Bot *b, DWORD timeout_ms)
{
    fd_set r;
    struct timeval tv = {(long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000};
    FD_ZERO(&r);
    FD_SET(b->s, &r);
    int ready = select(0, &r, NULL, NULL, &tv);
    if (ready == 0)
        return true;
    if (ready < 0)
        return false;
    int got = recv(b->s, b->buf + b->len, (int)(sizeof b->buf - 1 - b->len), 0);
    if (got <= 0)
        return false;
    unsigned long long now = win_clock_us();
    b->len += (size_t)got;
    size_t start = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->buf[i] == '\n') {
            on_line(b, b->buf + start, i - start, now);
            start = i + 1;
        }
    }
    memmove(b->buf, b->buf + start, b->len - start);
    b->len -= start;
    if (b->len == sizeof b->buf - 1) {
        b->buf[b->len] = '\0';
        bad_line(b->sess, b->buf); /* 64 KB without a newline */
        b->len = 0;
    }
    return true;
}

/* --- a session's life ---------------------------------------------------- */

static void close_session(Bot *b, SoakLeave how)
{
    SoakSession *s = b->sess;
    if (s->held >= 0) { /* the self-test's held message never got a successor */
        record_one(s, (unsigned)s->held);
        s->held = -1;
        InterlockedIncrement(&soak.inject_swap);
    }
    if (how == LEAVE_RESET) {
        struct linger lg = {1, 0};
        setsockopt(b->s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
    }
    closesocket(b->s);
    b->s = INVALID_SOCKET;
    s->how = how;
    if (s->leave_us == SOAK_NEVER)
        s->leave_us = win_clock_us();
    b->sess = NULL;
    b->len = 0;
    InterlockedDecrement(&soak.connected);
    InterlockedIncrement(&soak.leaves[how]);
}

/* The connection failed under a session: an error, and the end of it. */
static void lost(Bot *b, const char *what)
{
    soak_error("%s: %s (connection lost, Winsock error %d)", b->sess->name, what,
               WSAGetLastError());
    close_session(b, LEAVE_LOST);
}

static bool join(Bot *b)
{
    struct sockaddr_in a;
    char hello[80];

    SoakSession *s = session_new(b);
    if (s == NULL)
        return false;
    b->s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(soak.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (b->s == INVALID_SOCKET || connect(b->s, (struct sockaddr *)&a, sizeof a) != 0) {
        soak_error("%s: connect failed: %d", s->name, WSAGetLastError());
        if (b->s != INVALID_SOCKET)
            closesocket(b->s);
        b->s = INVALID_SOCKET;
        s->leave_us = win_clock_us(); /* joined_us stays SOAK_NEVER: owes nothing */
        s->how = LEAVE_LOST;
        return false;
    }
    BOOL one = TRUE;
    setsockopt(b->s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    b->sess = s;
    b->outstanding = 0;
    InterlockedIncrement(&soak.connected);
    int n = snprintf(hello, sizeof hello, "USERNAME:%s\n", s->name);
    if (send(b->s, hello, n, 0) != n) {
        lost(b, "hello");
        return false;
    }
    ULONGLONG end = GetTickCount64() + JOIN_WAIT_MS;
    while (s->joined_us == SOAK_NEVER) {
        ULONGLONG now = GetTickCount64();
        if (now >= end) {
            soak_error("%s: own join line did not come within %d ms", s->name,
                       JOIN_WAIT_MS);
            close_session(b, LEAVE_LOST);
            return false;
        }
        if (!pump(b, (DWORD)(end - now))) {
            lost(b, "waiting for the join line");
            return false;
        }
    }
    InterlockedIncrement(&soak.joins);
    return true;
}

/* Waits until every own message has come back. */
static bool await_echoes(Bot *b)
{
    ULONGLONG end = GetTickCount64() + ECHO_WAIT_MS;
    while (b->outstanding > 0) {
        ULONGLONG now = GetTickCount64();
        if (now >= end) {
            soak_error("%s: %d echo(es) missing after %d ms", b->sess->name,
                       b->outstanding, ECHO_WAIT_MS);
            close_session(b, LEAVE_LOST);
            return false;
        }
        if (!pump(b, (DWORD)(end - now))) {
            lost(b, "waiting for echoes");
            return false;
        }
    }
    return true;
}

/* k messages, in one send() (the server must split them) or one send()
 * each, then their echoes. Returns the index of the last one, -1 on
 * failure (the session is closed then, or the table is full). */
static int burst(Bot *b, int k)
{
    char out[4 * 200];
    size_t n = 0;
    bool together = k > 1 && rnd(b, 2);
    int g = -1;

    /* Claimed entries must all be sent: check for room first (the margin
     * covers the other bots claiming meanwhile). */
    if (soak.nmsgs + k + 3 * SOAK_SENDERS > soak.capmsgs) {
        soak_error("%s: the message table is full (%ld)", b->sess->name, soak.capmsgs);
        return -1;
    }
    for (int i = 0; i < k; i++) {
        g = soak_msg_new(b->id, b->sess_index);
        if (g < 0)
            return -1;
        n += soak_msg_text((unsigned)g, out + n, sizeof out - n - 1);
        out[n++] = '\n';
        b->outstanding++;
        if (!together || i == k - 1) {
            if (send(b->s, out, (int)n, 0) != (int)n) {
                lost(b, "send");
                return -1;
            }
            n = 0;
        }
    }
    InterlockedAdd(&soak.sent_by_bots, k);
    if (k > 1 && together)
        InterlockedIncrement(&soak.bursts_multi);
    return await_echoes(b) ? g : -1;
}

static void read_to_close(Bot *b)
{
    ULONGLONG end = GetTickCount64() + CLOSE_WAIT_MS;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        if (now >= end) {
            soak_error("%s: the server did not close within %d ms of leaving",
                       b->sess->name, CLOSE_WAIT_MS);
            return;
        }
        if (!pump(b, (DWORD)(end - now)))
            return; /* closed: everything it sent has been read */
    }
}

static void leave(Bot *b)
{
    unsigned r = rnd(b, 100);
    SoakSession *s = b->sess;

    if (r < 25) {
        /* Abortive close: first a last message whose echo bounds what this
         * session still owes (see soak.h), then an RST. */
        int g = burst(b, 1);
        if (g >= 0) {
            s->leave_us = soak.msgs[g].sent_us;
            close_session(b, LEAVE_RESET);
            return;
        }
        if (b->sess == NULL)
            return;
        r = 99; /* the table is full: leave gracefully instead */
    }
    s->leave_us = win_clock_us();
    if (r < 65) {
        if (send(b->s, "/quit\n", 6, 0) != 6) {
            lost(b, "/quit");
            return;
        }
        read_to_close(b);
        close_session(b, LEAVE_QUIT);
    } else {
        shutdown(b->s, SD_SEND);
        read_to_close(b);
        close_session(b, LEAVE_FIN);
    }
}

/* Sleeps (offline) or reads (online) for ms, ending early for a quiet
 * moment or the end of the run. */
static void idle(Bot *b, unsigned ms)
{
    ULONGLONG end = GetTickCount64() + ms;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        if (now >= end || soak.quiet || soak.stopping)
            return;
        DWORD slice = (DWORD)(end - now < 100 ? end - now : 100);
        if (b->sess == NULL)
            Sleep(slice);
        else if (!pump(b, slice)) {
            lost(b, "idle");
            return;
        }
    }
}

/* A quiet moment: connected, nothing in flight, until the driver resumes. */
static void park(Bot *b)
{
    while (b->sess == NULL && soak.quiet && !soak.stopping)
        if (!join(b))
            Sleep(500);
    if (b->sess == NULL)
        return;
    b->bursts_left = b->bursts_left ? b->bursts_left : 1 + (int)rnd(b, 10);
    InterlockedIncrement(&soak.parked);
    if (WaitForSingleObject(soak.resume, PARK_WAIT_MS) != WAIT_OBJECT_0)
        soak_error("bot %d: parked for more than %d s", b->id, PARK_WAIT_MS / 1000);
    InterlockedDecrement(&soak.parked);
}

static DWORD WINAPI bot_main(void *arg)
{
    Bot *b = arg;

    idle(b, rnd(b, 3000)); /* not all at once */
    while (!soak.stopping) {
        if (soak.quiet) {
            park(b);
            continue;
        }
        if (b->sess == NULL) {
            if (join(b))
                b->bursts_left = (int)rnd(b, 11); /* 0: join and leave at once */
            else
                idle(b, 1000);
            continue;
        }
        if (b->bursts_left == 0) {
            leave(b);
            idle(b, 100 + rnd(b, 2900));
            continue;
        }
        /* About 14 messages a second from the 50 bots in all: every queue
         * and window stays busy, and the soak keeps to about half of a
         * shared 2-core machine (each window's log costs CPU per line). */
        idle(b, 1000 + rnd(b, 7000));
        if (soak.quiet || soak.stopping || b->sess == NULL)
            continue;
        unsigned r = rnd(b, 10);
        if (burst(b, r < 7 ? 1 : r < 9 ? 2 : 3) < 0 && b->sess != NULL)
            b->bursts_left = 1; /* the table is full: leave next */
        b->bursts_left--;
    }
    if (b->sess != NULL)
        leave(b);
    return 0;
}

/* --- the driver's side --------------------------------------------------- */

bool soak_bots_start(HANDLE threads[SOAK_BOTS], unsigned seed)
{
    for (int i = 0; i < SOAK_BOTS; i++) {
        Bot *b = &bots[i];
        b->id = i;
        b->rng = seed * 2654435761u + (unsigned)i * 40503u + 1u;
        if (b->rng == 0)
            b->rng = 1;
        b->s = INVALID_SOCKET;
        threads[i] = CreateThread(NULL, 256 * 1024, bot_main, b,
                                  STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (threads[i] == NULL) {
            soak_error("cannot start bot thread %d: %lu", i, GetLastError());
            return false;
        }
    }
    return true;
}

bool soak_quiet_begin(DWORD timeout_ms)
{
    ResetEvent(soak.resume);
    InterlockedExchange(&soak.quiet, 1);
    ULONGLONG end = GetTickCount64() + timeout_ms;
    while (soak.parked < SOAK_BOTS) {
        if (GetTickCount64() >= end)
            return false;
        Sleep(20);
    }
    return true;
}

void soak_quiet_end(void)
{
    InterlockedExchange(&soak.quiet, 0);
    SetEvent(soak.resume);
    ULONGLONG end = GetTickCount64() + 10000;
    while (soak.parked > 0 && GetTickCount64() < end)
        Sleep(10);
}
