/* net.c: the client's connection to the chat server (see net.h). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "gui/net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/messages.h"
#include "win/clock.h"
#include "win/winerr.h"

/* One lookup, handed from the window to a worker thread and back. */
typedef struct Lookup {
    HWND hwnd;
    unsigned gen;
    char host[CLIENT_HOST_MAX];
    char port[8];
    struct addrinfo *result;
    int err;
} Lookup;

static unsigned long long now_ms(void)
{
    return GetTickCount64();
}

/* Something to report: at the end of the handler running now, or from a
 * posted WM_APP_NET when the window or the convo called us directly. */
static void pending(Net *n)
{
    if (n->handling == 0 && !n->posted && PostMessageW(n->hwnd, WM_APP_NET, 0, 0))
        n->posted = true;
}

static void changed(Net *n)
{
    n->state_changed = true;
    pending(n);
}

/* Reports what is pending, in the order it happened: the line the session's
 * end cut short (with its batch end), then the state, once. */
static void report(Net *n)
{
    if (n->has_unfinished) {
        n->has_unfinished = false;
        if (n->ev.line)
            n->ev.line(n->ev.ctx, n->unfinished, n->unfinished_len, LINE_UNFINISHED);
        if (n->ev.batch_end)
            n->ev.batch_end(n->ev.ctx);
    }
    if (n->state_changed) {
        n->state_changed = false;
        if (n->ev.state)
            n->ev.state(n->ev.ctx);
    }
}

/* Handlers: what they change is reported on the way out, once, including
 * what the callbacks they make cause (a send failing in a batch end). */
static void enter(Net *n)
{
    n->handling++;
}

static void leave(Net *n)
{
    if (--n->handling == 0)
        report(n);
}

bool net_init(Net *n, HWND hwnd, const NetEvents *ev, ChatStats *stats)
{
    WSADATA wsa;
    memset(n, 0, sizeof *n);
    n->hwnd = hwnd;
    n->stats = stats;
    n->ev = *ev;
    n->sock = INVALID_SOCKET;
    n->state = NET_OFF;
    backoff_init(&n->backoff, (uint32_t)(GetTickCount() ^ GetCurrentProcessId()));
    n->linebuf = malloc(NET_LINE_MAX + 1);
    n->unfinished = malloc(NET_LINE_MAX + 1);
    if (n->linebuf == NULL || n->unfinished == NULL || WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return false;
    framer_init(&n->framer, n->linebuf, NET_LINE_MAX);
    return true;
}

static void close_socket(Net *n)
{
    if (n->sock != INVALID_SOCKET) {
        closesocket(n->sock); /* also cancels WSAAsyncSelect */
        n->sock = INVALID_SOCKET;
    }
    KillTimer(n->hwnd, NET_TIMER_CONNECT);
    KillTimer(n->hwnd, NET_TIMER_READ);
    framer_init(&n->framer, n->linebuf, NET_LINE_MAX);
}

static void drop_addrs(Net *n)
{
    if (n->addrs)
        freeaddrinfo(n->addrs);
    n->addrs = n->next_addr = NULL;
}

/* The common failures in plain words; the others as "WHAT: the system's
 * words". */
static void set_reason_err(Net *n, const char *what, unsigned long err)
{
    char words[300];
    const char *plain = NULL;
    switch (err) {
    case WSAECONNREFUSED: plain = "the server refused the connection"; break;
    case WSAETIMEDOUT: plain = "the server did not answer"; break;
    case WSAECONNRESET: plain = "the connection was reset"; break;
    case WSAECONNABORTED: plain = "the connection was broken"; break;
    case WSAENETUNREACH:
    case WSAEHOSTUNREACH: plain = "the network cannot reach the server"; break;
    case WSAENETDOWN: plain = "the network is down"; break;
    case WSAHOST_NOT_FOUND:
    case WSANO_DATA: plain = "no server has that name"; break;
    case WSATRY_AGAIN: plain = "the name lookup failed for now"; break;
    default: break;
    }
    if (plain)
        snprintf(n->reason, sizeof n->reason, "%s", plain);
    else
        snprintf(n->reason, sizeof n->reason, "%s: %s", what,
                 win_strerror(err, words, sizeof words));
}

/* The attempt or the session failed: wait, then try again. */
static void schedule_retry(Net *n)
{
    close_socket(n);
    drop_addrs(n);
    unsigned delay = backoff_next_ms(&n->backoff);
    n->retry_at_ms = now_ms() + delay;
    n->state = NET_WAITING;
    SetTimer(n->hwnd, NET_TIMER_RETRY, 1000, NULL);
    changed(n);
}

static DWORD WINAPI resolve_thread(void *arg)
{
    Lookup *l = arg;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    l->err = getaddrinfo(l->host, l->port, &hints, &l->result);
    /* The window may be gone by now: then the result is ours to free. */
    if (!PostMessageW(l->hwnd, WM_APP_RESOLVED, l->gen, (LPARAM)l)) {
        if (l->result)
            freeaddrinfo(l->result);
        free(l);
    }
    return 0;
}

static void start_attempt(Net *n)
{
    n->refusal[0] = '\0';
    KillTimer(n->hwnd, NET_TIMER_RETRY);
    close_socket(n);
    drop_addrs(n);
    Lookup *l = calloc(1, sizeof *l);
    if (l == NULL) {
        snprintf(n->reason, sizeof n->reason, "out of memory");
        schedule_retry(n);
        return;
    }
    l->hwnd = n->hwnd;
    l->gen = ++n->resolve_gen;
    snprintf(l->host, sizeof l->host, "%s", n->host);
    snprintf(l->port, sizeof l->port, "%u", n->port);
    n->state = NET_RESOLVING;
    HANDLE t = CreateThread(NULL, 0, resolve_thread, l, 0, NULL);
    if (t == NULL) {
        set_reason_err(n, "cannot start the name lookup", GetLastError());
        free(l);
        schedule_retry(n);
        return;
    }
    CloseHandle(t);
    changed(n);
}

/* Starts a non-blocking connect to the next address of the lookup. */
static void try_next_addr(Net *n)
{
    for (; n->next_addr; n->next_addr = n->next_addr->ai_next) {
        struct addrinfo *a = n->next_addr;
        SOCKET s = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (s == INVALID_SOCKET) {
            set_reason_err(n, "cannot create a socket",
                           (unsigned long)WSAGetLastError());
            continue;
        }
        BOOL one = TRUE;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        if (WSAAsyncSelect(s, n->hwnd, WM_APP_SOCKET,
                           FD_CONNECT | FD_READ | FD_CLOSE) != 0 ||
            (connect(s, a->ai_addr, (int)a->ai_addrlen) != 0 &&
             WSAGetLastError() != WSAEWOULDBLOCK)) {
            set_reason_err(n, "cannot connect", (unsigned long)WSAGetLastError());
            closesocket(s);
            continue;
        }
        n->sock = s;
        n->state = NET_CONNECTING;
        SetTimer(n->hwnd, NET_TIMER_CONNECT, NET_CONNECT_TIMEOUT_MS, NULL);
        changed(n);
        return;
    }
    schedule_retry(n);
}

void net_connect(Net *n, const char *host, unsigned short port, const char *user)
{
    snprintf(n->host, sizeof n->host, "%s", host);
    n->port = port;
    snprintf(n->user, sizeof n->user, "%s", user);
    n->reason[0] = '\0';
    n->early_used = false;
    backoff_reset(&n->backoff);
    start_attempt(n);
}

void net_disconnect(Net *n, bool send_quit)
{
    if (send_quit && n->state == NET_CONNECTED)
        send(n->sock, PROTO_QUIT "\n", sizeof PROTO_QUIT, 0);
    if (n->state == NET_CONNECTED)
        backoff_disconnected(&n->backoff, now_ms());
    KillTimer(n->hwnd, NET_TIMER_RETRY);
    close_socket(n);
    drop_addrs(n);
    n->resolve_gen++; /* a lookup still running is dropped when it returns */
    n->state = NET_OFF;
    n->reason[0] = '\0';
    changed(n);
}

void net_free(Net *n)
{
    net_disconnect(n, false);
    free(n->linebuf);
    free(n->unfinished);
    n->linebuf = n->unfinished = NULL;
    n->has_unfinished = n->state_changed = false; /* nobody left to tell */
    WSACleanup();
}

bool net_connected(const Net *n)
{
    return n->state == NET_CONNECTED;
}

void net_refused(Net *n, const char *why)
{
    snprintf(n->refusal, sizeof n->refusal, "%s", why);
}

/* The session is over (closed, reset, a send failed): wait and retry. */
static void lost(Net *n, const char *why, unsigned long err)
{
    if (n->refusal[0]) {
        why = n->refusal;
        err = 0;
    }
    /* A line the server had begun (it was killed mid-message, say) is shown
     * marked, not dropped, and never glued to the next session's first. */
    const char *line;
    size_t len;
    if (framer_flush(&n->framer, &line, &len)) {
        memcpy(n->unfinished, line, len);
        n->unfinished_len = len;
        n->has_unfinished = true;
    }
    if (err)
        set_reason_err(n, why, err);
    else
        snprintf(n->reason, sizeof n->reason, "%s", why);
    n->refusal[0] = '\0';
    backoff_disconnected(&n->backoff, now_ms());
    schedule_retry(n);
}

bool net_send_line(Net *n, const char *text, size_t len)
{
    char buf[PACER_MSG_MAX + 2];
    if (n->state != NET_CONNECTED || len + 1 > sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\n';
    /* One send() of the whole line: a small line on a connected socket goes
     * into the socket buffer at once, so it never straddles two segments
     * from our side. A short or failed send means the session is unusable. */
    n->stats->send_us = win_clock_us();
    int sent = send(n->sock, buf, (int)len + 1, 0);
    if (sent != (int)len + 1) {
        lost(n, "sending failed",
             sent == SOCKET_ERROR ? (unsigned long)WSAGetLastError() : 0);
        return false;
    }
    n->stats->sends++;
    return true;
}

static void on_connected(Net *n)
{
    char hello[sizeof PROTO_HELLO_PREFIX + PROTO_NAME_BUF + 1];
    KillTimer(n->hwnd, NET_TIMER_CONNECT);
    drop_addrs(n);
    n->state = NET_CONNECTED;
    n->reason[0] = '\0';
    n->early_used = false;
    backoff_connected(&n->backoff, now_ms());
    /* The hello alone in its own send(), as the original server expects. */
    int len = snprintf(hello, sizeof hello, "%s%s\n", PROTO_HELLO_PREFIX, n->user);
    if (send(n->sock, hello, len, 0) != len) {
        lost(n, "sending the hello failed", (unsigned long)WSAGetLastError());
        return;
    }
    changed(n);
}

/* One line for the window; false when handling it ended the session (a
 * send failed), so reading stops at once. */
static bool on_frame(void *ctx, FrameEvent ev, char *line, size_t len)
{
    Net *n = ctx;
    SOCKET s = n->sock;
    n->stats->lines_in++;
    if (n->ev.line)
        n->ev.line(n->ev.ctx, line, len,
                   ev == FRAME_TOO_LONG ? LINE_TOO_LONG : LINE_WHOLE);
    return n->sock == s;
}

static void read_lines(Net *n, bool drain)
{
    /* A budget of time as well as bytes: 64 KB of tiny lines is 13,000 of
     * them, and one read of them kept the window from answering for a
     * second (the hostile review). Read 16 KB at a time: 4 KB reads cost a
     * third of a flood's throughput in recv() calls. */
    char buf[16384];
    SOCKET s = n->sock;
    unsigned long long until = win_clock_us() + NET_READ_BUDGET_US;

    for (size_t total = 0; drain || (total < NET_READ_BUDGET && win_clock_us() < until);) {
        int got = recv(s, buf, sizeof buf, 0);
        if (got <= 0) {
            int err = got == 0 ? 0 : WSAGetLastError();
            if (got == 0)
                lost(n, "the server closed the connection", 0);
            else if (err != WSAEWOULDBLOCK)
                lost(n, "the connection failed", (unsigned long)err);
            return;
        }
        total += (size_t)got;
        if (!framer_feed_all(&n->framer, buf, (size_t)got, on_frame, n))
            return;
    }
}

/* Reads what is there and hands out complete lines: at most NET_READ_BUDGET
 * bytes unless draining after FD_CLOSE, so a server that floods us cannot
 * keep the UI thread from its other messages (Winsock posts FD_READ again
 * while data remains). */
static void read_available(Net *n, bool drain)
{
    read_lines(n, drain);
    if (n->ev.batch_end)
        n->ev.batch_end(n->ev.ctx);
}

static void on_socket(Net *n, WPARAM wp, LPARAM lp)
{
    if ((SOCKET)wp != n->sock || n->sock == INVALID_SOCKET)
        return; /* an event of a socket we have closed since */
    int event = WSAGETSELECTEVENT(lp), err = WSAGETSELECTERROR(lp);

    switch (event) {
    case FD_CONNECT:
        KillTimer(n->hwnd, NET_TIMER_CONNECT);
        if (err) {
            set_reason_err(n, "cannot connect", (unsigned long)err);
            closesocket(n->sock);
            n->sock = INVALID_SOCKET;
            n->next_addr = n->next_addr ? n->next_addr->ai_next : NULL;
            try_next_addr(n);
        } else {
            on_connected(n);
        }
        break;
    case FD_READ:
        /* Posted messages come before input, painting and timers: a server
         * sending without pause would keep the window from all three (it
         * froze for 40 s in a trial). With input or a timer waiting, the
         * next read waits for a timer, which comes after them; not calling
         * recv() meanwhile stops Winsock posting FD_READ. A paint waiting
         * is done here and now: the chat view paints a screen in about a
         * millisecond, and a 10 ms wait per read held a flood to a tenth of
         * what the view can show (bench/run-log-bench). */
        if (HIWORD(GetQueueStatus(QS_INPUT | QS_TIMER)) != 0) {
            SetTimer(n->hwnd, NET_TIMER_READ, USER_TIMER_MINIMUM, NULL);
            break;
        }
        if (HIWORD(GetQueueStatus(QS_PAINT)) != 0)
            RedrawWindow(n->hwnd, NULL, NULL, RDW_UPDATENOW | RDW_ALLCHILDREN);
        read_available(n, false);
        break;
    case FD_CLOSE:
        if (err) {
            lost(n, "the connection was lost", (unsigned long)err);
        } else {
            read_available(n, true); /* what the server said last, then the end */
            if (n->sock != INVALID_SOCKET && n->state == NET_CONNECTED)
                lost(n, "the server closed the connection", 0);
        }
        break;
    default:
        break;
    }
}

void net_on_socket(Net *n, WPARAM wp, LPARAM lp)
{
    enter(n);
    on_socket(n, wp, lp);
    leave(n);
}

static void on_resolved(Net *n, WPARAM wp, LPARAM lp)
{
    Lookup *l = (Lookup *)lp;
    if ((unsigned)wp != n->resolve_gen || n->state != NET_RESOLVING) {
        if (l->result) /* an older lookup, or we stopped meanwhile */
            freeaddrinfo(l->result);
        free(l);
        return;
    }
    if (l->err != 0) {
        set_reason_err(n, "cannot find the server's address", (unsigned long)l->err);
        free(l);
        schedule_retry(n);
        return;
    }
    n->addrs = n->next_addr = l->result;
    free(l);
    try_next_addr(n);
}

void net_on_resolved(Net *n, WPARAM wp, LPARAM lp)
{
    enter(n);
    on_resolved(n, wp, lp);
    leave(n);
}

static void on_timer(Net *n, UINT_PTR id)
{
    if (id == NET_TIMER_CONNECT && n->state == NET_CONNECTING) {
        KillTimer(n->hwnd, NET_TIMER_CONNECT);
        closesocket(n->sock);
        n->sock = INVALID_SOCKET;
        snprintf(n->reason, sizeof n->reason, "no answer within %d s",
                 NET_CONNECT_TIMEOUT_MS / 1000);
        n->next_addr = n->next_addr ? n->next_addr->ai_next : NULL;
        try_next_addr(n);
    } else if (id == NET_TIMER_READ) {
        KillTimer(n->hwnd, NET_TIMER_READ);
        if (n->state == NET_CONNECTED && n->sock != INVALID_SOCKET)
            read_available(n, false); /* recv() again: Winsock posts FD_READ again */
    } else if (id == NET_TIMER_RETRY && n->state == NET_WAITING) {
        if (now_ms() >= n->retry_at_ms)
            start_attempt(n);
        else
            changed(n); /* the countdown in the status bar */
    }
}

void net_on_timer(Net *n, UINT_PTR id)
{
    enter(n);
    on_timer(n, id);
    leave(n);
}

void net_on_posted(Net *n)
{
    n->posted = false;
    enter(n);
    leave(n);
}

void net_facts(const Net *n, ConnFacts *f)
{
    static const ConnPhase phase[] = {
        [NET_OFF] = CONN_OFF,
        [NET_RESOLVING] = CONN_LOOKUP,
        [NET_CONNECTING] = CONN_CONNECTING,
        [NET_CONNECTED] = CONN_CONNECTED,
        [NET_WAITING] = CONN_WAITING,
    };
    unsigned long long now = now_ms();
    memset(f, 0, sizeof *f);
    f->phase = phase[n->state];
    f->host = n->host;
    f->port = n->port;
    f->user = n->user;
    f->reason = n->reason;
    if (n->state == NET_WAITING && n->retry_at_ms > now)
        f->retry_in_s = (unsigned)((n->retry_at_ms - now + 999) / 1000);
}

void net_retry_now(Net *n)
{
    /* Once per outage: a local server in a crash loop must not get a
     * connection per restart, only the backoff's pace. */
    if (n->state == NET_WAITING && !n->early_used) {
        n->early_used = true;
        start_attempt(n); /* the backoff keeps counting */
    }
}
