/* server.c: the chat server engine (see server.h). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "core/admit.h"
#include "core/outq.h"
#include "core/proto.h"
#include "core/room.h"
#include "core/session.h"
#include "core/utf8.h"
#include "server/log.h"
#include "shm/presence.h"
#include "shm/shm.h"
#include "win/winerr.h"

/* Why a client's thread ends its session. */
typedef enum Reason {
    R_NONE,
    R_CLOSED,   /* the peer closed the connection */
    R_RESET,    /* the connection was reset or failed */
    R_QUIT,     /* the client sent /quit */
    R_SLOW,     /* its outgoing queue overflowed: not reading */
    R_STALLED,  /* took none of its queued bytes for --stall-timeout */
    R_SHUTDOWN, /* the server is stopping */
    R_NO_HELLO, /* no hello within --hello-timeout */
    R_NAME_TAKEN, /* its name is another joined client's */
    R_FULL,     /* it said hello with the chat full */
    R_EVICTED,  /* silent, the oldest waiting: a newer connection took its place */
} Reason;

static const char *reason_text(Reason r)
{
    switch (r) {
    case R_CLOSED: return "closed by the client";
    case R_RESET: return "connection reset";
    case R_QUIT: return "quit";
    case R_SLOW: return "too far behind: more than 256 KB waiting to be sent to it";
    case R_STALLED: return "not reading: it took none of the lines waiting for it";
    case R_SHUTDOWN: return "server shutting down";
    case R_NO_HELLO: return "no hello in time";
    case R_NAME_TAKEN: return "the name is taken";
    case R_FULL: return "the chat is full";
    case R_EVICTED: return "closed to let a newer connection from its address wait instead";
    default: return "unknown";
    }
}

typedef struct Client {
    struct Server *srv;
    SOCKET sock;
    HANDLE sock_event; /* auto-reset: FD_READ, FD_WRITE or FD_CLOSE happened */
    HANDLE wake; /* auto-reset: queue grew, or `kill` was set */
    unsigned id;
    char peer[INET6_ADDRSTRLEN + 16]; /* its address, for the log */

    /* Guarded by qlock: */
    CRITICAL_SECTION qlock;
    OutQueue queue;
    Reason kill; /* set by other threads: end the session */
    size_t behind; /* R_SLOW: the bytes it would have had waiting */

    /* Written by the client's thread, under the list lock (read by
     * broadcasters under it too): */
    BOOL joined; /* in the room: counted, and receives broadcasts */
    BOOL pending; /* counted in srv->admit: no hello answered yet (the
                     list lock guards it) */
    unsigned char key[ADMIT_KEY_SIZE]; /* its address, for srv->admit */

    /* The client's thread's own: */
    Session sess;     /* the protocol (core/session.h), driven from here */
    SessionHost host; /* its callbacks into this file, ctx = this client */
    BOOL paused;     /* flow control: its queue passed half, not yet back to
                        a quarter (see backlogged) */
    BOOL can_write;  /* FD_WRITE state: false after WSAEWOULDBLOCK */
    BOOL read_ready; /* FD_READ state: true until recv says WSAEWOULDBLOCK */
    ULONGLONG stalled_since; /* bytes wait and the socket took none since
                                then (0: not stalled) */
    DWORD retry_ms;          /* stalled: the next send is tried this long
                                after the last, FD_WRITE or not (see
                                write_retry) */
} Client;

/* At most two: 127.0.0.1 and ::1 by default, or --bind's address. */
#define SERVER_LISTENERS 2

struct Server {
    ServerOptions opt;
    SOCKET listeners[SERVER_LISTENERS];
    WSAEVENT listen_events[SERVER_LISTENERS];
    int nlisteners;
    char where[160]; /* what it listens on, for the log */
    ShmPresence presence; /* "I run" (alive, owned by the main thread) and
                             "please stop" (the stop event): shm/presence.h */
    HANDLE stop;      /* presence.stop: shut down */
    HANDLE all_gone;  /* manual-reset: set once, when `threads` reaches 0 */
    ChatShm *shm;

    /* The shared state as this server knows it: the segment is its copy,
     * written by publish(). Guarded by state_lock. */
    CRITICAL_SECTION state_lock;
    int count;                      /* joined clients */
    char last[SHM_MESSAGE_SIZE];    /* the last message, cut as the segment cuts */
    size_t last_len;
    unsigned long long last_seq;    /* its place in the order of chat lines */
    bool dirty;                     /* changed since the main thread wrote it */
    bool settling;                  /* the main thread will look again soon by
                                       itself: a change need not wake it */
    HANDLE retry;                   /* auto-reset: the main thread should write it */
    /* The main thread's: */
    bool behind;                    /* the segment's lock was busy: it is behind */
    ULONGLONG behind_since;

    CRITICAL_SECTION list_lock;
    Client **clients; /* every accepted client, joined or not */
    int nclients, capacity;
    Room room;        /* who is in the chat, the order of its lines */
    Admit admit;      /* connections waiting for their hello, per address */
    LONG threads;     /* live client threads, plus one held by the main
                         thread until it stops accepting: so the count
                         reaches 0 once only, after the last accept, and
                         all_gone can never be set while a thread runs */
    bool stopping;    /* under list_lock: no more chat lines */
    unsigned next_id;
    unsigned long refused; /* the main thread's: refusals since one was let in */
};

/* --- the shared state: failures are logged, never fatal ------------------- */

/* The segment is written by the main thread alone: a change of the state
 * (state_changed, under state_lock) only marks it and wakes that thread,
 * which copies the state out under the lock and writes it into the segment
 * outside it, waiting at most SERVER_SHM_WAIT_MS for the segment's lock.
 * So no chat line waits for the segment (its mutex is two wineserver round
 * trips per message under Wine, and another process may hold it for
 * minutes), a burst of changes is one write, and nothing is lost: while the
 * lock is held elsewhere the main thread retries every SERVER_SHM_RETRY_MS
 * until the segment has the latest state. After each write it looks again
 * SERVER_SHM_SETTLE_MS later by itself (settling): changes meanwhile are
 * gathered into that one write and wake nobody, so a chat line costs the
 * sender's thread no SetEvent and the main thread no wake of its own. */
static void state_changed(Server *srv)
{
    if (!srv->dirty) {
        srv->dirty = true;
        if (!srv->settling)
            SetEvent(srv->retry);
    }
}

static void count_add(Server *srv, int delta)
{
    EnterCriticalSection(&srv->state_lock);
    srv->count += delta;
    state_changed(srv);
    LeaveCriticalSection(&srv->state_lock);
}

/* The chat line numbered seq (see say) was sent: its text becomes the last
 * message unless a later line's text already is. */
static void set_last_message(Server *srv, const char *msg, size_t len, unsigned long long seq)
{
    EnterCriticalSection(&srv->state_lock);
    if (seq > srv->last_seq) {
        srv->last_seq = seq;
        srv->last_len = utf8_cut(msg, len, SHM_MESSAGE_MAX);
        memcpy(srv->last, msg, srv->last_len);
        state_changed(srv);
    }
    LeaveCriticalSection(&srv->state_lock);
}

/* What the main thread does about the segment next. */
typedef enum {
    SEG_IDLE,     /* up to date: the next change wakes it */
    SEG_SETTLING, /* written: look again in SERVER_SHM_SETTLE_MS */
    SEG_BEHIND    /* its lock is held by another process: retry */
} SegNext;

/* The main thread's write of the segment, waiting at most wait_ms for its
 * lock. Nothing changed since the last write ends the settling, under the
 * same lock as the changes look at it, so none is missed. */
static SegNext catch_up(Server *srv, DWORD wait_ms)
{
    char last[SHM_MESSAGE_SIZE], buf[512];

    EnterCriticalSection(&srv->state_lock);
    bool want = srv->dirty || srv->behind;
    srv->dirty = false;
    srv->settling = want;
    int count = srv->count;
    size_t len = srv->last_len;
    memcpy(last, srv->last, len);
    LeaveCriticalSection(&srv->state_lock);
    if (!want)
        return SEG_IDLE;

    ShmResult r = shm_publish(srv->shm, count, last, len, wait_ms);
    if (r.status == SHM_E_BUSY) {
        if (!srv->behind) {
            log_line("shared memory: its lock is held by another process; the chat goes on "
                     "and the segment catches up once the lock is free");
            srv->behind = true;
            srv->behind_since = GetTickCount64();
        }
        return SEG_BEHIND;
    }
    if (srv->behind)
        log_line("shared memory: up to date again after %llu ms",
                 (unsigned long long)(GetTickCount64() - srv->behind_since));
    srv->behind = false;
    if (r.status != SHM_OK)
        log_line("shared memory: %s", shm_strerror(r, buf, sizeof buf));
    return SEG_SETTLING;
}

/* --- queues and broadcast ------------------------------------------------- */

/* Appends a line to one client's queue and wakes its thread; a client whose
 * queue would overflow is told to go instead. Never blocks. */
static void enqueue(Client *c, const char *data, size_t len, const Client *self)
{
    EnterCriticalSection(&c->qlock);
    /* A queue that already held bytes has a wake-up pending or a writer that
     * keeps going until it is empty: only the first line needs SetEvent, a
     * wineserver round trip, on this hot path under the list lock. Nor
     * does a line from the client's own thread (`self`: its echo, a reply):
     * that thread writes its queue before it waits again, and the wake
     * would only bring it straight back out of the wait. */
    bool wake = outq_len(&c->queue) == 0 && c != self;
    if (c->kill == R_NONE && !outq_push(&c->queue, data, len)) {
        c->kill = R_SLOW;
        c->behind = outq_len(&c->queue) + len;
        wake = true;
    }
    LeaveCriticalSection(&c->qlock);
    if (wake)
        SetEvent(c->wake);
}

/* A newcomer's welcome, bigger than the queue's bound with a large room:
 * the bound grows by its size, so it never makes the newcomer look slow. */
static void enqueue_welcome(Client *c, const char *data, size_t len)
{
    EnterCriticalSection(&c->qlock);
    outq_raise_cap(&c->queue, len);
    LeaveCriticalSection(&c->qlock);
    enqueue(c, data, len, c);
}

/* Sends a line to every joined client; list lock held. Holding it for the
 * whole walk gives every client the same order of lines; it only appends to
 * memory queues, never touches a socket. */
static void broadcast_locked(Server *srv, const char *data, size_t len, const Client *self)
{
    for (int i = 0; i < srv->nclients; i++) {
        Client *c = srv->clients[i];
        if (c->joined)
            enqueue(c, data, len, self);
    }
}

static void list_remove_locked(Server *srv, Client *c)
{
    for (int i = 0; i < srv->nclients; i++) {
        if (srv->clients[i] == c) {
            srv->clients[i] = srv->clients[--srv->nclients];
            break;
        }
    }
}

/* A connection's hello was answered, or it ended first: it no longer
 * counts among those waiting for one. List lock held. */
static void no_longer_pending_locked(Server *srv, Client *c)
{
    if (c->pending) {
        admit_leave(&srv->admit, c->key);
        c->pending = FALSE;
    }
}

/* A client goes: off the list, and no longer waiting for its hello. */
static void list_remove(Server *srv, Client *c)
{
    EnterCriticalSection(&srv->list_lock);
    list_remove_locked(srv, c);
    no_longer_pending_locked(srv, c);
    LeaveCriticalSection(&srv->list_lock);
}

/* --- one client's session ------------------------------------------------- */

/* What other threads asked of this session (R_NONE: go on). */
static Reason killed(Client *c)
{
    EnterCriticalSection(&c->qlock);
    Reason r = c->kill;
    LeaveCriticalSection(&c->qlock);
    return r;
}

static BOOL backlogged(Client *c);

/* --- the engine's callbacks (core/session.h) ------------------------------- */

/* Before each message. A session told to end stops between two messages,
 * so a flood never keeps a thread past the shutdown; one whose queue is
 * half full waits (flow control, see backlogged). */
static SessionGo host_check(void *ctx)
{
    Client *c = ctx;
    if (killed(c) != R_NONE)
        return SESSION_STOP;
    return backlogged(c) ? SESSION_WAIT : SESSION_GO;
}

/* The hello: checked against the room and joined in one step under the list
 * lock, so two with one name cannot race in. */
/* A name as the log shows it: as a message's text is shown, every control,
 * invisible character, stray byte and "<" spelled out (names keep bytes
 * that are not UTF-8, for the original's ANSI clients).
 *
 * The log's lines about a connection start "#ID": a chat line goes on
 * " NAME: TEXT", every other one ": " at once, so no message passes for a
 * notice, whatever its sender's name ("bob left", "* bob left" with any
 * star look-alike). */
#define LOG_NAME_MAX (PROTO_NAME_BUF * 8)
static const char *log_name(const char *name, char out[LOG_NAME_MAX])
{
    utf8_escape_visible(name, strlen(name), out, LOG_NAME_MAX);
    return out;
}

static SessionJoin host_join(void *ctx, const char *name, const char *line, size_t len)
{
    char shown[LOG_NAME_MAX];
    Client *c = ctx;
    Server *srv = c->srv;

    EnterCriticalSection(&srv->list_lock);
    /* Nobody joins a server that is stopping (its kill is on its way), nor
     * as a connection another took the place of (its hello came too late). */
    bool stopping = srv->stopping || killed(c) != R_NONE;
    RoomJoin j = stopping ? ROOM_FULL : room_join(&srv->room, name);
    if (j == ROOM_JOINED) {
        /* The join line to the others; to the newcomer, in one piece, its
         * join line, who is in the chat and where the shared memory is:
         * one step under the lock, so every later join or leave line comes
         * after them and keeps the newcomer's list exact, and one push, so
         * its writer sends them together (core/roster.h takes a roster
         * only in the read that brought its join line). */
        broadcast_locked(srv, line, len, c);
        c->joined = TRUE;
        /* In the chat: no longer waiting. A refused one stays counted
         * among the waiting until its thread takes it off the list. */
        no_longer_pending_locked(srv, c);
        char shm_line[SHM_NAME_MAX + 128];
        size_t shm_n = proto_format_shm(shm_line, sizeof shm_line, srv->opt.shm_name,
                                        strtoul(srv->presence.id, NULL, 16));
        size_t cap = len + room_roster_size(&srv->room) + shm_n;
        char *welcome = malloc(cap);
        size_t n = 0;
        if (welcome) {
            memcpy(welcome, line, len);
            n = room_roster(&srv->room, welcome + len, cap - len - shm_n);
            memcpy(welcome + len + n, shm_line, shm_n);
            n += len + shm_n;
        }
        if (n)
            enqueue_welcome(c, welcome, n);
        else
            enqueue(c, line, len, c); /* out of memory: the join line alone */
        free(welcome);
    }
    LeaveCriticalSection(&srv->list_lock);
    if (stopping)
        return SESSION_JOIN_FULL;
    if (j == ROOM_FULL) {
        log_line("#%u: refused %s: the chat is full (%d)", c->id, log_name(name, shown),
                 srv->opt.max_clients);
        return SESSION_JOIN_FULL;
    }
    if (j == ROOM_NAME_TAKEN) {
        log_line("#%u: refused: the name %s is taken", c->id, log_name(name, shown));
        return SESSION_JOIN_TAKEN;
    }
    count_add(srv, +1);
    log_line("#%u: %s joined the chat", c->id, log_name(name, shown));
    return SESSION_JOINED;
}

/* A chat line to everyone, and its text as the last message. The line takes
 * its place in everyone's order under the list lock; the segment is written
 * after the lock is left (its wait must not hold up the chat), so two
 * senders may store in the other order: the number keeps the later line's
 * text, the one everyone saw last. */
static void host_say(void *ctx, const char *msg, size_t len, const char *out, size_t n)
{
    const Client *from = ctx;
    Server *srv = from->srv;

    EnterCriticalSection(&srv->list_lock);
    /* Once the server stops nobody receives a line: none becomes the last
     * message either, nor is logged. */
    bool said = !srv->stopping;
    unsigned long long seq = said ? room_next_line(&srv->room) : 0;
    if (said)
        broadcast_locked(srv, out, n, from);
    LeaveCriticalSection(&srv->list_lock);
    if (!said)
        return;
    /* The log shows what a console would obey or hide spelled out: a
     * U+2028 or a direction override in a message cannot forge a line of
     * it. */
    char shown[LOG_TEXT_MAX];
    utf8_escape_visible(msg, len, shown, sizeof shown);
    char name[LOG_NAME_MAX];
    log_line("#%u %s: %s", from->id, log_name(from->sess.name, name), shown);
    set_last_message(srv, msg, len, seq);
}

static void host_reply(void *ctx, SessionReply what, const char *line, size_t len)
{
    Client *c = ctx;
    char shown[LOG_NAME_MAX];
    if (what == REPLY_TOO_LONG)
        log_line("#%u: %s: message too long, discarded", c->id, log_name(c->sess.name, shown));
    if (what == REPLY_SLOWED)
        log_line("#%u: %s: sending too fast: its lines wait (%u a second, %u at once)", c->id,
                 log_name(c->sess.name, shown), c->srv->opt.rate, c->srv->opt.burst);
    enqueue(c, line, len, c);
}

/* Why the engine ended the session, in the server's words: what another
 * thread asked for (the stop, an overflow) first, since whatever the engine
 * saw meanwhile ended a session that was ending anyway. */
static Reason reason_of(Client *c, SessionEnd end)
{
    Reason k = end != SESSION_ON ? killed(c) : R_NONE;
    if (k != R_NONE)
        return k;
    switch (end) {
    case SESSION_ON: return R_NONE;
    case SESSION_QUIT: return R_QUIT;
    case SESSION_NAME_TAKEN: return R_NAME_TAKEN;
    case SESSION_FULL: return R_FULL;
    case SESSION_NO_HELLO: return R_NO_HELLO;
    case SESSION_CLOSED: return R_CLOSED;
    case SESSION_STOPPED: return R_SHUTDOWN; /* killed, then un-killed: never */
    }
    return R_RESET;
}

/* --- one client's session ------------------------------------------------- */

/* Received bytes not handled yet, or more waiting on the socket. */
static bool more_input(const Client *c)
{
    return c->read_ready || session_has_input(&c->sess);
}

/* Flow control: once a client's own queue is half full, none of its
 * messages is handled and nothing more is read from it until the queue has
 * drained to a quarter, so its TCP window closes and a client that sends
 * faster than it reads its echoes is slowed down rather than dropped.
 * Checked before every message, not every read: a read of tiny lines echoes
 * many times its own size. The gap between the two marks keeps a paced
 * sender from waking for every message that drains (each wake is a
 * wineserver round trip the other sessions wait behind). */
static BOOL backlogged(Client *c)
{
    EnterCriticalSection(&c->qlock);
    size_t n = outq_len(&c->queue);
    LeaveCriticalSection(&c->qlock);
    if (c->paused)
        c->paused = n > SERVER_QUEUE_CAP / 4;
    else
        c->paused = n >= SERVER_QUEUE_CAP / 2;
    return c->paused;
}

/* Handles what was received and reads what the socket has, at most
 * READ_BUDGET bytes so that this client's own queue gets sent in between.
 * Returns R_NONE to go on. */
#define READ_BUDGET (64 * 1024)
static Reason read_some(Client *c)
{
    for (size_t total = 0;;) {
        Reason r = reason_of(c, session_run(&c->sess, &c->host, GetTickCount64()));
        if (r != R_NONE || session_has_input(&c->sess) || total >= READ_BUDGET ||
            !c->read_ready)
            return r; /* ended, backlogged with bytes in hand, enough, or drained */
        int n = recv(c->sock, c->sess.in, sizeof c->sess.in, 0);
        if (n > 0) {
            total += (size_t)n;
            session_received(&c->sess, (size_t)n, GetTickCount64());
            /* A short read drained the socket: the recv() that would only
             * say WSAEWOULDBLOCK (a wineserver round trip per message) is
             * saved; recv() re-armed FD_READ, which says when there is
             * more. */
            if ((size_t)n < sizeof c->sess.in)
                c->read_ready = FALSE;
            continue;
        }
        if (n == 0)
            return reason_of(c, session_closed(&c->sess, &c->host));
        int err = WSAGetLastError();
        if (err != WSAEWOULDBLOCK)
            return R_RESET;
        c->read_ready = FALSE; /* FD_READ will say when there is more */
        return R_NONE;
    }
}

/* Sends from the queue until it is empty or the socket is full. The bytes
 * are copied out under the lock and sent outside it. */
static Reason write_some(Client *c)
{
    char buf[16384];

    while (c->can_write) {
        EnterCriticalSection(&c->qlock);
        size_t n = outq_peek(&c->queue, buf, sizeof buf);
        LeaveCriticalSection(&c->qlock);
        if (n == 0) {
            c->stalled_since = 0;
            return R_NONE;
        }
        int sent = send(c->sock, buf, (int)n, 0);
        if (sent == SOCKET_ERROR) {
            int err = WSAGetLastError();
            if (err != WSAEWOULDBLOCK)
                return R_RESET;
            c->can_write = FALSE; /* FD_WRITE will say when there is room */
            if (c->stalled_since == 0)
                c->stalled_since = GetTickCount64();
            c->retry_ms = c->retry_ms ? min(c->retry_ms * 2, SERVER_WRITE_RETRY_MAX_MS)
                                      : SERVER_WRITE_RETRY_MIN_MS;
            return R_NONE;
        }
        c->stalled_since = 0; /* it took something */
        c->retry_ms = 0;
        EnterCriticalSection(&c->qlock);
        outq_consume(&c->queue, (size_t)sent);
        LeaveCriticalSection(&c->qlock);
    }
    return R_NONE;
}

/* A wait of `ms` shortened to the next try of a blocked send. FD_WRITE is
 * not relied on alone: under Wine a non-blocking send() that only partly
 * fits reports it all sent and writes the rest in the background, and the
 * POLLOUT that finishes that write is not reported as FD_WRITE, so the
 * wake this thread waits for rests on how those two meet. So while bytes
 * wait for a full socket, send() is tried again after 50 ms, then 100, ...
 * at most every second: a client that takes nothing costs a wake a second
 * (one that takes a little now and then, a few), a lost FD_WRITE at most
 * that much delay. */
static DWORD write_retry(Client *c, DWORD ms)
{
    if (c->can_write || c->retry_ms == 0)
        return ms;
    return min(ms, c->retry_ms);
}

/* After the session: send what is queued (the shutdown line) for a short
 * while at most, then close. A server that starts stopping meanwhile cuts
 * the budget to SERVER_STOP_DRAIN_MS from then. */
static void drain_and_close(Client *c, DWORD budget_ms)
{
    ULONGLONG end = GetTickCount64() + budget_ms;
    HANDLE waits[2] = {c->sock_event, c->srv->stop};
    DWORD nwaits = 2;

    for (;;) {
        if (write_some(c) != R_NONE)
            break; /* the peer is gone: nothing more can reach it */
        EnterCriticalSection(&c->qlock);
        size_t left = outq_len(&c->queue);
        LeaveCriticalSection(&c->qlock);
        ULONGLONG now = GetTickCount64();
        if (left == 0 || now >= end)
            break;
        DWORD w = WaitForMultipleObjects(nwaits, waits, FALSE, write_retry(c, (DWORD)(end - now)));
        if (w == WAIT_OBJECT_0 + 1) { /* the stop event stays set: once */
            nwaits = 1;
            if (end > now + SERVER_STOP_DRAIN_MS)
                end = now + SERVER_STOP_DRAIN_MS;
        } else if (w == WAIT_OBJECT_0) {
            WSANETWORKEVENTS ne;
            /* FD_CLOSE alone is no reason to stop: a peer that shut down
             * only its sending side still reads (a send to one that is gone
             * fails, and the budget ends the rest). A reset is. */
            if (WSAEnumNetworkEvents(c->sock, c->sock_event, &ne) != 0 ||
                ((ne.lNetworkEvents & FD_CLOSE) && ne.iErrorCode[FD_CLOSE_BIT]))
                break;
            if (ne.lNetworkEvents & FD_WRITE)
                c->can_write = TRUE;
        } else if (w == WAIT_TIMEOUT) {
            c->can_write = TRUE; /* the next try (write_retry) */
        } else {
            break;
        }
    }
    shutdown(c->sock, SD_SEND);
    closesocket(c->sock);
}

/* When a client that takes none of what waits for it is dropped (0:
 * never). */
static ULONGLONG stall_deadline(const Client *c)
{
    unsigned s = c->srv->opt.stall_timeout_s;
    return s && c->stalled_since ? c->stalled_since + s * 1000ULL : 0;
}

/* The earlier of two deadlines, 0 meaning none. */
static ULONGLONG earlier(ULONGLONG a, ULONGLONG b)
{
    return a == 0 ? b : b == 0 || a < b ? a : b;
}

/* How long the session may wait: not at all while there is more to read
 * (unless the sender is past its rate: then until the engine lets it go),
 * and never past the engine's next deadline or the stall timeout. With
 * bytes held or waiting on the socket while this client's queue is too
 * full to read them, a partial line is not idle (session_deadline): the
 * session waits for the queue to drain (FD_WRITE), so a client that sends
 * without reading costs nothing. */
static DWORD wait_timeout(Client *c)
{
    bool more = more_input(c), held = backlogged(c);
    if (more && !held && !session_rate_waiting(&c->sess))
        return 0;
    /* Held by flow control, the rate's deadline is no reason to wake: the
     * queue draining is (FD_WRITE), or the loop would spin past it. */
    ULONGLONG engine = more && held && session_rate_waiting(&c->sess)
                           ? 0
                           : session_deadline(&c->sess, more);
    ULONGLONG until = earlier(engine, stall_deadline(c));
    ULONGLONG now = GetTickCount64();
    DWORD ms = until == 0 ? INFINITE : until <= now ? 0 : (DWORD)(until - now);
    return write_retry(c, ms);
}

static Reason session(Client *c)
{
    HANDLE waits[2] = {c->sock_event, c->wake};

    for (;;) {
        DWORD w = WaitForMultipleObjects(2, waits, FALSE, wait_timeout(c));
        Reason r = killed(c);

        if (r != R_NONE)
            return r;
        if (w == WAIT_FAILED)
            return R_RESET;

        if (w == WAIT_OBJECT_0) {
            /* Something happened on the socket; which of FD_READ, FD_WRITE
             * and FD_CLOSE is not asked (WSAEnumNetworkEvents is three
             * wineserver round trips under Wine, as many as the recv and
             * the send of a message together): recv() says what there is
             * (data, the end, a reset, or WSAEWOULDBLOCK), and a send to a
             * socket still full says WSAEWOULDBLOCK again. No event goes
             * missing: Winsock records an event and signals again once the
             * call that re-enables it (recv, a blocked send) was made, and
             * a graceful FD_CLOSE only once the data before it was read. */
            c->read_ready = TRUE;
            c->can_write = TRUE;
        } else if (w == WAIT_TIMEOUT && c->retry_ms) {
            c->can_write = TRUE; /* a blocked send's next try (write_retry) */
        }
        if (more_input(c) && !backlogged(c) && (r = read_some(c)) != R_NONE)
            return r;
        r = reason_of(c, session_tick(&c->sess, &c->host, GetTickCount64(), more_input(c)));
        if (r != R_NONE)
            return r;
        if ((r = write_some(c)) != R_NONE)
            return r;
        ULONGLONG stall = stall_deadline(c);
        if (stall && GetTickCount64() >= stall)
            return R_STALLED;
    }
}

static void thread_gone(Server *srv)
{
    if (InterlockedDecrement(&srv->threads) == 0)
        SetEvent(srv->all_gone);
}

static void client_free(Client *c)
{
    CloseHandle(c->sock_event);
    CloseHandle(c->wake);
    DeleteCriticalSection(&c->qlock);
    outq_free(&c->queue);
    free(c);
}

static DWORD WINAPI client_thread(void *arg)
{
    char shown[LOG_NAME_MAX];
    Client *c = arg;
    Server *srv = c->srv;
    Reason why = session(c);
    char out[PROTO_OUT_MAX];

    /* Counted out, off the list and the others told (not while the whole
     * server is stopping) before the socket closes, so whoever sees it close
     * sees the count without it. Leaving the list and the "left" line are
     * one step under the list lock: a newcomer with the same name is refused
     * before it, or joins after it, and never hears a "left" after its own
     * "joined". */
    bool not_reading = why == R_SLOW || why == R_STALLED;
    if (c->joined) {
        size_t n = not_reading ? proto_format_left_not_reading(out, sizeof out, c->sess.name)
                               : proto_format_left(out, sizeof out, c->sess.name);
        count_add(srv, -1);
        EnterCriticalSection(&srv->list_lock);
        list_remove_locked(srv, c);
        room_leave(&srv->room, c->sess.name);
        if (why != R_SHUTDOWN)
            broadcast_locked(srv, out, n, c);
        LeaveCriticalSection(&srv->list_lock);
    } else {
        list_remove(srv, c);
    }
    /* How far behind a client dropped for not reading was. */
    char behind[120] = "";
    if (not_reading) {
        EnterCriticalSection(&c->qlock);
        size_t waiting = why == R_SLOW ? c->behind : outq_len(&c->queue);
        LeaveCriticalSection(&c->qlock);
        int n = snprintf(behind, sizeof behind, " (%zu bytes waiting for it", waiting);
        ULONGLONG since = c->stalled_since ? GetTickCount64() - c->stalled_since : 0;
        /* A reader that keeps taking lines, only slower than the chat comes,
         * was not stalled: no "none taken" for a blocked moment. */
        if (c->stalled_since && (why == R_STALLED || since >= 1000)) {
            n += snprintf(behind + n, sizeof behind - (size_t)n, ", none taken for %llu.%llu s",
                          since / 1000, since % 1000 / 100);
        }
        snprintf(behind + n, sizeof behind - (size_t)n, ")");
    }
    /* What is still queued for a client that leaves in good order (/quit, or
     * it closed its sending side and still reads) gets 2 s to go out, 300 ms
     * when the whole server stops; a reset or overflowing client gets
     * nothing more. Only this client's thread waits. */
    DWORD budget = why == R_RESET || not_reading ? 0
                   : why == R_SHUTDOWN              ? SERVER_STOP_DRAIN_MS
                                                    : 2000;
    drain_and_close(c, budget);
    if (c->joined)
        log_line("#%u: %s left: %s%s", c->id, log_name(c->sess.name, shown), reason_text(why),
                 behind);
    else if (why != R_EVICTED) /* counted where it was evicted */
        log_line("#%u: disconnected before saying hello: %s", c->id, reason_text(why));
    client_free(c);
    thread_gone(srv);
    return 0;
}

/* --- accepting ------------------------------------------------------------ */

static void refuse(SOCKET s, const char *line, size_t len)
{
    /* The socket is non-blocking (inherited from the listener); the line is
     * tiny and goes straight into the socket buffer. */
    send(s, line, (int)len, 0);
    shutdown(s, SD_SEND);
    closesocket(s);
}

static void refuse_full(SOCKET s)
{
    refuse(s, PROTO_LINE_FULL, sizeof PROTO_LINE_FULL - 1);
}

/* A peer's address as text ("127.0.0.1:5000", "[::1]:5000") and as the key
 * srv->admit counts it by (an IPv4-mapped IPv6 address as its IPv4 one, an
 * IPv6 address by its /64). */
static void peer_of(const struct sockaddr_storage *a, char *text, size_t size,
                    unsigned char key[ADMIT_KEY_SIZE])
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
        memcpy(key, &a6->sin6_addr, ADMIT_KEY_SIZE);
        /* One host holds a whole /64 (IPv4 mapped into IPv6 is itself):
         * counted by it, or it could take a fresh key per connection. */
        if (!IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr))
            memset(key + 8, 0, ADMIT_KEY_SIZE - 8);
        inet_ntop(AF_INET6, (void *)&a6->sin6_addr, ip, sizeof ip);
        snprintf(text, size, "[%s]:%u", ip, ntohs(a6->sin6_port));
    } else {
        const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
        admit_key_ipv4(key, (const unsigned char *)&a4->sin_addr);
        inet_ntop(AF_INET, (void *)&a4->sin_addr, ip, sizeof ip);
        snprintf(text, size, "%s:%u", ip, ntohs(a4->sin_port));
    }
}

/* Past an address's share of connections waiting for their hello (or the
 * total, key NULL), the oldest of them (of all) goes, told why, so that a
 * newer one may wait: whoever holds silent connections cannot keep a real
 * client out, whose hello comes within milliseconds of its connect. Its
 * place is given back here, at once. List lock held; the victim's address
 * into `peer` (its own thread logs nothing more of it). False when none
 * waits. */
static bool evict_oldest_locked(Server *srv, const unsigned char *key, char *peer)
{
    Client *oldest = NULL;
    for (int i = 0; i < srv->nclients; i++) {
        Client *c = srv->clients[i];
        if (c->pending && (key == NULL || memcmp(c->key, key, ADMIT_KEY_SIZE) == 0) &&
            (oldest == NULL || c->id < oldest->id))
            oldest = c;
    }
    if (oldest == NULL)
        return false;
    no_longer_pending_locked(srv, oldest);
    strcpy(peer, oldest->peer);
    EnterCriticalSection(&oldest->qlock);
    if (oldest->kill == R_NONE) {
        outq_push(&oldest->queue, PROTO_LINE_BUSY, sizeof PROTO_LINE_BUSY - 1);
        oldest->kill = R_EVICTED;
    }
    LeaveCriticalSection(&oldest->qlock);
    SetEvent(oldest->wake);
    return true;
}

static void accept_one(Server *srv, SOCKET listener)
{
    struct sockaddr_storage addr;
    int alen = sizeof addr;
    SOCKET s = accept(listener, (struct sockaddr *)&addr, &alen);
    char peer[INET6_ADDRSTRLEN + 16];
    unsigned char key[ADMIT_KEY_SIZE];

    if (s == INVALID_SOCKET) {
        /* Out of sockets or memory: FD_ACCEPT is signalled again at once
         * while connections wait, so give the system a moment rather than
         * spin on it (said once a second at most). A connection reset
         * before it was accepted (WSAENOTCONN under Wine) is that peer's
         * business alone: never a pause for everyone else. */
        int err = WSAGetLastError();
        if (err == WSAEMFILE || err == WSAENOBUFS) {
            static ULONGLONG said;
            char buf[300];
            if (GetTickCount64() - said >= 1000) {
                said = GetTickCount64();
                log_line("cannot accept a connection: %s",
                         win_strerror((DWORD)err, buf, sizeof buf));
            }
            Sleep(100);
        }
        return;
    }
    peer_of(&addr, peer, sizeof peer, key);

    /* Whoever is not in the chat yet counts apart from --max-clients: a
     * share per address and a bound in all (core/admit.h). Held from here
     * to its hello's answer, or its end. */
    EnterCriticalSection(&srv->list_lock);
    /* A session that ended stays on the list while its last lines go out
     * (up to 2 s): neither joined nor waiting, it still takes a place. */
    bool full = room_count(&srv->room) >= srv->opt.max_clients ||
                srv->nclients >= srv->capacity;
    AdmitResult admitted = full ? ADMIT_OK : admit_enter(&srv->admit, key);
    char evicted[sizeof ((Client *)0)->peer] = "";
    if (!full && admitted != ADMIT_OK &&
        evict_oldest_locked(srv, admitted == ADMIT_ADDRESS_FULL ? key : NULL, evicted))
        admitted = admit_enter(&srv->admit, key);
    LeaveCriticalSection(&srv->list_lock);
    if (full || admitted != ADMIT_OK || evicted[0]) {
        /* The first of a run is logged, the rest counted: a reconnecting
         * flood cannot flood the log either. */
        if (srv->refused++ == 0)
            log_line("refused %s: %s (until one is let in, more are counted, not logged)",
                     evicted[0] ? evicted : peer,
                     full ? "the chat is full"
                     : evicted[0]
                         ? "the oldest connection waiting to say hello from its address (or "
                           "of all, past 1,000), closed to let a newer one wait"
                         : "too many connections are waiting to say hello");
        if (full) {
            refuse_full(s);
            return;
        }
        if (admitted != ADMIT_OK) {
            refuse(s, PROTO_LINE_BUSY, sizeof PROTO_LINE_BUSY - 1);
            return;
        }
    } else {
        if (srv->refused > 1)
            log_line("refused %lu more connection%s meanwhile", srv->refused - 1,
                     srv->refused == 2 ? "" : "s");
        srv->refused = 0;
    }

    Client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        EnterCriticalSection(&srv->list_lock);
        admit_leave(&srv->admit, key);
        LeaveCriticalSection(&srv->list_lock);
        refuse_full(s);
        return;
    }
    c->srv = srv;
    c->sock = s;
    c->id = ++srv->next_id;
    c->pending = TRUE;
    memcpy(c->key, key, sizeof c->key);
    strcpy(c->peer, peer);
    c->sock_event = CreateEventA(NULL, FALSE, FALSE, NULL);
    c->wake = CreateEventA(NULL, FALSE, FALSE, NULL);
    InitializeCriticalSection(&c->qlock);
    outq_init(&c->queue, SERVER_QUEUE_CAP);
    session_init(&c->sess, GetTickCount64(), srv->opt.hello_timeout_s);
    session_set_rate(&c->sess, srv->opt.rate, srv->opt.burst, GetTickCount64());
    c->host = (SessionHost){c, host_check, host_join, host_say, host_reply};
    c->can_write = TRUE;

    BOOL one = TRUE;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    /* A fixed, modest kernel send buffer: the bounded queue, not an
     * autotuned multi-megabyte socket buffer, is what a slow reader fills. */
    int sndbuf = 64 * 1024;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&sndbuf, sizeof sndbuf);
    if (c->sock_event == NULL || c->wake == NULL ||
        WSAEventSelect(s, c->sock_event, FD_READ | FD_WRITE | FD_CLOSE) != 0) {
        log_line("refused %s: out of resources", peer);
        closesocket(s);
        list_remove(srv, c); /* gives its place among the waiting back */
        client_free(c);
        return;
    }

    EnterCriticalSection(&srv->list_lock);
    srv->clients[srv->nclients++] = c;
    LeaveCriticalSection(&srv->list_lock);
    InterlockedIncrement(&srv->threads); /* from 1 up: the main thread's own */
    log_line("#%u: connected from %s", c->id, peer);

    /* A small stack: thousands of clients must fit in the address space. */
    HANDLE t = CreateThread(NULL, 128 * 1024, client_thread, c,
                            STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (t == NULL) {
        DWORD err = GetLastError();
        char buf[300];
        log_line("#%u: dropped: cannot start a thread: %s", c->id,
                 win_strerror(err, buf, sizeof buf));
        list_remove(srv, c);
        closesocket(s);
        client_free(c);
        thread_gone(srv);
        return;
    }
    CloseHandle(t);
}

/* --- life cycle ----------------------------------------------------------- */

static void server_free(Server *srv)
{
    for (int i = 0; i < srv->nlisteners; i++) {
        if (srv->listeners[i] != INVALID_SOCKET)
            closesocket(srv->listeners[i]);
        if (srv->listen_events[i] != WSA_INVALID_EVENT)
            WSACloseEvent(srv->listen_events[i]);
    }
    shm_close(srv->shm);
    presence_release(&srv->presence); /* clients see the server is gone */
    if (srv->all_gone)
        CloseHandle(srv->all_gone);
    if (srv->retry)
        CloseHandle(srv->retry);
    DeleteCriticalSection(&srv->list_lock);
    DeleteCriticalSection(&srv->state_lock);
    free(srv->clients);
    room_free(&srv->room);
    admit_free(&srv->admit);
    free(srv);
    WSACleanup();
}

/* Prints why a named object was refused and gives the exit code. */
static int refuse_shm(const char *shm_name, const char *what, ShmResult r)
{
    char buf[512];

    fprintf(stderr, "chat_server: %s '%s': %s\n", what, shm_name,
            shm_strerror(r, buf, sizeof buf));
    bool refused = r.status == SHM_E_FOREIGN || r.status == SHM_E_ACCESS ||
                   r.status == SHM_E_TOO_SMALL;
    return refused ? SERVER_EXIT_SHM : SERVER_EXIT_FAILURE;
}

/* Listens on `addr` (numeric, IPv4 or IPv6) at `port`. 0 when it does;
 * otherwise the Winsock error, the socket closed. `::` serves IPv4 too
 * where the system allows (dual-stack). */
static int listen_on(Server *srv, const char *addr, unsigned short port)
{
    struct addrinfo hints, *ai = NULL;
    char portstr[8];
    int err;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    snprintf(portstr, sizeof portstr, "%u", port);
    if ((err = getaddrinfo(addr, portstr, &hints, &ai)) != 0)
        return err;
    SOCKET s = socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = WSA_INVALID_EVENT;
    if (s == INVALID_SOCKET)
        goto fail;
    /* Exclusive: a second server on the same port must fail, not share it. */
    BOOL one = TRUE;
    setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof one);
    if (ai->ai_family == AF_INET6) {
        /* Any spelling of the unspecified address (::, ::0, 0:0:...) */
        DWORD v6only =
            !IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&v6only, sizeof v6only);
    }
    if (bind(s, ai->ai_addr, (int)ai->ai_addrlen) != 0 || listen(s, SOMAXCONN) != 0 ||
        (ev = WSACreateEvent()) == WSA_INVALID_EVENT || WSAEventSelect(s, ev, FD_ACCEPT) != 0)
        goto fail;
    freeaddrinfo(ai);
    srv->listeners[srv->nlisteners] = s;
    srv->listen_events[srv->nlisteners] = ev;
    srv->nlisteners++;
    size_t used = strlen(srv->where);
    snprintf(srv->where + used, sizeof srv->where - used, "%s%s%s%s:%u", used ? " and " : "",
             strchr(addr, ':') ? "[" : "", addr, strchr(addr, ':') ? "]" : "", port);
    return 0;

fail:
    err = WSAGetLastError();
    if (ev != WSA_INVALID_EVENT)
        WSACloseEvent(ev);
    if (s != INVALID_SOCKET)
        closesocket(s);
    freeaddrinfo(ai);
    return err ? err : WSAEINVAL;
}

/* Why the port cannot be ours: another program holds it. */
static bool port_taken(int err)
{
    return err == WSAEADDRINUSE || err == WSAEACCES;
}

Server *server_open(const ServerOptions *opt, int *exit_code)
{
    WSADATA wsa;
    char buf[512];
    Server *srv;
    ShmResult r;
    int err;
    const char *failed_on = opt->bind;

    *exit_code = SERVER_EXIT_FAILURE;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "chat_server: cannot start Winsock\n");
        return NULL;
    }
    /* Every joined client and every one waiting for its hello. */
    size_t most = (size_t)opt->max_clients + SERVER_PENDING_MAX;
    srv = calloc(1, sizeof *srv);
    if (srv == NULL || (srv->clients = calloc(most, sizeof(Client *))) == NULL ||
        !room_init(&srv->room, opt->max_clients) ||
        !admit_init(&srv->admit, opt->per_address, SERVER_PENDING_MAX)) {
        fprintf(stderr, "chat_server: out of memory\n");
        if (srv) {
            free(srv->clients);
            room_free(&srv->room);
        }
        free(srv);
        WSACleanup();
        return NULL;
    }
    srv->opt = *opt;
    srv->capacity = (int)most;
    InitializeCriticalSection(&srv->list_lock);
    InitializeCriticalSection(&srv->state_lock);
    srv->last_len = sizeof SHM_INITIAL_MESSAGE - 1;
    memcpy(srv->last, SHM_INITIAL_MESSAGE, srv->last_len);
    srv->threads = 1; /* the main thread's, dropped by shut_down */
    srv->all_gone = CreateEventA(NULL, TRUE, FALSE, NULL);
    srv->retry = CreateEventA(NULL, FALSE, FALSE, NULL);
    if (srv->all_gone == NULL || srv->retry == NULL) {
        fprintf(stderr, "chat_server: cannot create events: %s\n",
                win_strerror(GetLastError(), buf, sizeof buf));
        goto fail;
    }

    /* First: whether another chat server owns the name (re-initialising its
     * segment would wipe its count and message), and the stop event. */
    r = presence_claim(opt->shm_name, &srv->presence);
    if (r.status == SHM_E_RUNNING) {
        fprintf(stderr,
                "chat_server: another chat server is already running with shared memory '%s', "
                "or is still stopping (stop it with chat_server --stop, or choose another "
                "--shm-name)\n",
                opt->shm_name);
        *exit_code = SERVER_EXIT_RUNNING;
        goto fail;
    }
    if (SHM_FAILED(r)) {
        *exit_code = refuse_shm(opt->shm_name, "stop event or alive mutex of", r);
        goto fail;
    }
    srv->stop = srv->presence.stop;

    r = shm_create(opt->shm_name, &srv->shm);
    if (SHM_FAILED(r)) {
        *exit_code = refuse_shm(opt->shm_name, "shared memory", r);
        goto fail;
    }
    /* Taking the count back at the end waits no longer than a stop may take,
     * even while another process holds the lock. */
    shm_set_write_timeout(srv->shm, SERVER_STOP_DRAIN_MS / 2);

    if (opt->bind[0]) {
        err = listen_on(srv, opt->bind, opt->port);
    } else {
        /* Both loopbacks: IPv4 must work; IPv6 may be missing from the
         * system (then IPv4 alone), but ::1's port held by another program
         * is a failure, or IPv6 clients would reach that one. */
        failed_on = "127.0.0.1";
        err = listen_on(srv, failed_on, opt->port);
        if (err == 0) {
            failed_on = "::1";
            err = listen_on(srv, failed_on, opt->port);
            if (err != 0 && !port_taken(err)) {
                fprintf(stderr, "chat_server: IPv6 is not available (%s): listening on "
                                "127.0.0.1 only\n",
                        win_strerror((DWORD)err, buf, sizeof buf));
                err = 0;
            }
        }
    }
    if (err != 0) {
        bool not_ours = err == WSAEADDRNOTAVAIL || err == WSAEINVAL;
        *exit_code = port_taken(err) ? SERVER_EXIT_PORT
                     : not_ours      ? SERVER_EXIT_USAGE
                                     : SERVER_EXIT_FAILURE;
        fprintf(stderr, "chat_server: cannot listen on %s%s%s:%u: %s\n",
                strchr(failed_on, ':') ? "[" : "", failed_on, strchr(failed_on, ':') ? "]" : "",
                opt->port,
                not_ours ? "not an address of this machine that can be listened on (a "
                           "link-local IPv6 address needs a zone, which --bind does not take; "
                           "an IPv4 address is written as such, not mapped into IPv6)"
                         : win_strerror((DWORD)err, buf, sizeof buf));
        goto fail;
    }
    *exit_code = SERVER_EXIT_OK;
    return srv;

fail:
    server_free(srv);
    return NULL;
}

void server_request_stop(Server *srv)
{
    SetEvent(srv->stop);
}

static void shut_down(Server *srv)
{
    for (int i = 0; i < srv->nlisteners; i++) {
        closesocket(srv->listeners[i]);
        srv->listeners[i] = INVALID_SOCKET;
    }

    EnterCriticalSection(&srv->list_lock);
    srv->stopping = true;
    int n = srv->nclients;
    for (int i = 0; i < n; i++) {
        Client *c = srv->clients[i];
        EnterCriticalSection(&c->qlock);
        outq_push(&c->queue, PROTO_LINE_SHUTDOWN, sizeof PROTO_LINE_SHUTDOWN - 1);
        c->kill = R_SHUTDOWN;
        LeaveCriticalSection(&c->qlock);
        SetEvent(c->wake);
    }
    LeaveCriticalSection(&srv->list_lock);
    thread_gone(srv); /* accepting no more: the main thread's count goes */
    log_line("shutting down: %d client(s) to close", n);

    /* Client threads stop between two messages and drain for at most
     * SERVER_STOP_DRAIN_MS; wait a little longer. */
    if (WaitForSingleObject(srv->all_gone, SERVER_STOP_WAIT_MS) != WAIT_OBJECT_0) {
        log_line("shutting down: some clients did not close in time");
        catch_up(srv, 0); /* what changed in the last settle, not waiting for
                             the segment's lock */
    } else /* the segment ends with the last state (tried for as long as a
            client may drain), then the count this server added goes */
        for (ULONGLONG end = GetTickCount64() + SERVER_STOP_DRAIN_MS;
             catch_up(srv, SERVER_SHM_WAIT_MS) == SEG_BEHIND && GetTickCount64() < end;)
            ;
}

int server_run(Server *srv)
{
    /* The stop first, then the listeners, then the segment's event: the
     * wait names the first handle signalled, and chat keeps the segment's
     * event signalled, so it must never come before a newcomer. */
    HANDLE waits[2 + SERVER_LISTENERS] = {srv->stop};
    DWORD nwaits = 1;
    char limits[120] = "unlimited";

    for (int i = 0; i < srv->nlisteners; i++)
        waits[nwaits++] = srv->listen_events[i];
    waits[nwaits++] = srv->retry;
    if (srv->opt.rate && srv->opt.burst)
        snprintf(limits, sizeof limits, "%u at once, %u a second", srv->opt.burst,
                 srv->opt.rate);
    log_line("chat server listening on %s, shared memory '%s', at most %d client%s, "
             "%d waiting to say hello per address, lines per client: %s",
             srv->where, srv->opt.shm_name, srv->opt.max_clients,
             srv->opt.max_clients == 1 ? "" : "s", srv->opt.per_address, limits);
    SegNext seg = SEG_IDLE;
    ULONGLONG next_look = 0; /* settling or behind: when to look at the segment */
    for (;;) {
        ULONGLONG now = GetTickCount64();
        DWORD timeout = seg == SEG_IDLE ? INFINITE : next_look > now ? (DWORD)(next_look - now) : 0;
        DWORD w = WaitForMultipleObjects(nwaits, waits, FALSE, timeout);
        if (w == WAIT_OBJECT_0 || w == WAIT_FAILED)
            break;
        /* A listener woke it: one accept per listener, so a flood on one
         * cannot keep the other's newcomers waiting. */
        bool listener = w >= WAIT_OBJECT_0 + 1 && w < WAIT_OBJECT_0 + 1 + (DWORD)srv->nlisteners;
        for (int i = 0; listener && i < srv->nlisteners; i++) {
            WSANETWORKEVENTS ne;
            if (WSAEnumNetworkEvents(srv->listeners[i], srv->listen_events[i], &ne) == 0 &&
                (ne.lNetworkEvents & FD_ACCEPT))
                accept_one(srv, srv->listeners[i]);
        }
        /* The segment, every turn it is due (a connection flood must not
         * keep it stale either; unchanged, this is one look under
         * state_lock): at once when it changed after a quiet spell, then
         * once a settle; while another process holds its lock, every
         * SERVER_SHM_RETRY_MS and without waiting for it (a wait would hold
         * the accepts up). */
        now = GetTickCount64();
        if (seg == SEG_IDLE || now >= next_look) {
            seg = catch_up(srv, seg == SEG_BEHIND ? 0 : SERVER_SHM_WAIT_MS);
            next_look = now + (seg == SEG_BEHIND ? SERVER_SHM_RETRY_MS : SERVER_SHM_SETTLE_MS);
        }
    }
    shut_down(srv);
    return 0;
}

/* EnterCriticalSection that gives up after ms. */
static bool enter_within(CRITICAL_SECTION *cs, DWORD ms)
{
    for (ULONGLONG end = GetTickCount64() + ms;; Sleep(1)) {
        if (TryEnterCriticalSection(cs))
            return true;
        if (GetTickCount64() >= end)
            return false;
    }
}

void server_close(Server *srv)
{
    if (WaitForSingleObject(srv->all_gone, 0) == WAIT_OBJECT_0) {
        server_free(srv);
        log_line("stopped");
        log_close();
        return;
    }
    /* A client thread is still running past the deadline: stuck in a call
     * that does not return (none of ours waits without a bound, but a
     * console nobody reads can block a write). It holds pointers into srv,
     * so nothing is freed, and the process exits next, the thread with it.
     * Meanwhile the locks it would need to touch the client list or the
     * shared state are taken for good (each within a bound: the stuck
     * thread may hold one), the count this server added is taken back if
     * the state could be locked, the clients are told the server is gone,
     * and the log ends with "stopped" if it can be written. */
    enter_within(&srv->list_lock, SERVER_SHM_WAIT_MS);
    if (enter_within(&srv->state_lock, SERVER_SHM_WAIT_MS))
        shm_close(srv->shm);
    presence_gone(&srv->presence);
    log_close_with("stopped", SERVER_SHM_WAIT_MS);
}
