/* net.h: the client's connection to the chat server, driven by window
 * messages so the UI thread never blocks: the host name is resolved on a
 * worker thread that posts WM_APP_RESOLVED; the socket is non-blocking with
 * WSAAsyncSelect posting WM_APP_SOCKET; connecting gives up after
 * NET_CONNECT_TIMEOUT_MS; a lost or refused connection is retried with
 * exponential backoff and jitter (core/backoff.h) until net_disconnect.
 *
 * Reading never starves the window: an FD_READ that finds input, painting
 * or a timer waiting puts its read off to a timer of its own.
 *
 * What arrives is split into lines (core/framer.h, at most NET_LINE_MAX
 * bytes a line: a longer one is cut and marked) and handed to the window
 * through NetEvents. What is sent is one send() per line (TEXT "\n"), with
 * Nagle off, so the original server sees one message per recv().
 *
 * Events: NetEvents are called only from the net_on_* handlers, never from
 * inside net_connect, net_disconnect or net_send_line: what those change
 * (a lost session, a line cut short by it, the state) is reported once, at
 * the end of the handler that is running, or from WM_APP_NET, which they
 * post when none is. So a callback never runs inside the call that caused
 * it, and the caller of those functions updates its own view of the state
 * itself.
 *
 * Contract: every function runs on the window's thread; the window forwards
 * WM_APP_RESOLVED, WM_APP_SOCKET, WM_APP_NET and the NET_TIMER_* timers to
 * the net_on_* functions below. */
#ifndef CHAT_GUI_NET_H
#define CHAT_GUI_NET_H

#include <winsock2.h>
#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

#include "core/backoff.h"
#include "core/client_opts.h"
#include "core/compose.h"
#include "core/conn_report.h"
#include "core/framer.h"
#include "core/pacer.h"
#include "gui/messages.h"

#define NET_CONNECT_TIMEOUT_MS 5000
#define NET_LINE_MAX (64 * 1024)
#define NET_READ_BUDGET (64 * 1024) /* bytes read per FD_READ before yielding */
#define NET_READ_BUDGET_US 8000       /* ...or this long, whichever comes first */
#define NET_TIMER_CONNECT 101 /* the connect timeout */
#define NET_TIMER_RETRY 102   /* once a second while waiting to reconnect */
#define NET_TIMER_READ 105    /* a read put off until input, painting and
                                 timers waiting before it are done */

typedef enum NetState {
    NET_OFF,        /* not connected and not trying (File > Disconnect) */
    NET_RESOLVING,  /* looking the host name up */
    NET_CONNECTING, /* TCP connect in progress */
    NET_CONNECTED,  /* hello sent */
    NET_WAITING,    /* waiting to try again (backoff) */
} NetState;

typedef struct NetEvents {
    void *ctx;
    /* A line from the server, without "\n". `end` says whether it was
     * whole, longer than NET_LINE_MAX (only its start is given), or
     * unfinished when the connection ended. */
    void (*line)(void *ctx, const char *line, size_t len, LineEnd end);
    /* The lines of one read have all been handed out (also after the
     * session ended half-way through them). */
    void (*batch_end)(void *ctx);
    /* The state (or the reason shown in the status) changed. */
    void (*state)(void *ctx);
} NetEvents;

typedef struct Net {
    HWND hwnd;
    NetEvents ev;
    NetState state;
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    char user[PROTO_NAME_BUF];

    SOCKET sock;
    unsigned resolve_gen;    /* results of older lookups are dropped */
    struct addrinfo *addrs;  /* the lookup's result (freeaddrinfo) */
    struct addrinfo *next_addr;
    Backoff backoff;
    unsigned long long retry_at_ms;
    char reason[256];        /* why the last attempt or session ended */
    char refusal[96];        /* the server refused this session: why, for
                                when it closes ("" when it did not) */

    LineFramer framer;
    char *linebuf;           /* NET_LINE_MAX + 1 bytes */
    char *unfinished;        /* a line the session's end cut short, NET_LINE_MAX
                                bytes, waiting to be reported */
    size_t unfinished_len;
    ChatStats *stats;        /* lines_in, sends, send_us: the window's */
    bool has_unfinished;
    bool state_changed;      /* to be reported */
    int handling;            /* inside a net_on_* handler */
    bool posted;             /* a WM_APP_NET is on its way */
    bool early_used;         /* net_retry_now was used since the last
                                connection */
} Net;

bool net_init(Net *n, HWND hwnd, const NetEvents *ev, ChatStats *stats);
void net_free(Net *n);

/* Connects to host:port as user, now: any wait or attempt in progress is
 * dropped and the backoff starts over. */
void net_connect(Net *n, const char *host, unsigned short port, const char *user);

/* Stops: sends "/quit\n" first when connected and send_quit is true, closes
 * the socket, and stops retrying. */
void net_disconnect(Net *n, bool send_quit);

/* One line, TEXT "\n", in one send(). False when not connected or the
 * socket refused it (then the connection is treated as lost). */
bool net_send_line(Net *n, const char *text, size_t len);

bool net_connected(const Net *n);

/* The server refused this session in its first line (the chat is full,
 * too many wait to join): the close that follows is that refusal, said in
 * these words, not a lost connection. */
void net_refused(Net *n, const char *why);

/* The connection's state for core/conn_report.h to put in words (the
 * strings point into n). */
void net_facts(const Net *n, ConnFacts *f);

/* Waiting to reconnect: try now (the server is known to be back); once
 * per outage, the backoff's pace after that. */
void net_retry_now(Net *n);

void net_on_resolved(Net *n, WPARAM wp, LPARAM lp);
void net_on_socket(Net *n, WPARAM wp, LPARAM lp);
void net_on_timer(Net *n, UINT_PTR id);
void net_on_posted(Net *n);

#endif
