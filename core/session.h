/* session.h: one chat client's session on the server, as a platform-free
 * engine: the protocol rules of the original server (the hello, a name in
 * use, /quit, text cleaning, too-long lines, legacy messages without "\n",
 * the hello timeout), fed the bytes the client sent and the time, answering
 * with actions through the SessionHost the server implements.
 *
 * The engine never calls a socket, a thread or a clock, and every line the
 * server sends a client is formatted here (core/proto.h). The chat-wide
 * rules live with the host: its `join` consults the room (core/room.h).
 *
 * Flow: the host recv()s into s->in while session_has_input is false, then
 * calls session_received and session_run, which handles the bytes message
 * by message for as long as the host's `check` and the sender's rate let it
 * (a host whose queue for this client is full says SESSION_WAIT; a joined
 * client past its rate, core/rate.h, waits until session_deadline: either
 * way the rest stays held, unread, and session_run picks it up where it
 * stopped: lines are delayed, never dropped or reordered). session_tick handles time (an
 * idle partial line becomes a message; the hello timeout), session_deadline
 * says when it next has something to do, session_closed handles the peer's
 * end. A callback never calls back into the engine.
 *
 * Contract: times are milliseconds of any monotonic clock; not thread-safe
 * (one session, one thread); no allocation. */
#ifndef CHAT_CORE_SESSION_H
#define CHAT_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/framer.h"
#include "core/proto.h"
#include "core/rate.h"

/* An unterminated partial line idle this long is a complete message (clients
 * of the original server send one message per send() and no "\n"). Longer
 * than Linux's 40 ms delayed ACK, so a line a Nagle-bound sender wrote in two
 * pieces is not taken for two messages; well under the 100 ms or more
 * between a person's messages. */
#define SESSION_IDLE_FLUSH_MS 60

/* Bytes held at once: what one recv() may bring. */
#define SESSION_IN_MAX 8192

typedef enum SessionEnd {
    SESSION_ON = 0,     /* the session goes on */
    SESSION_QUIT,       /* the client sent a message with /quit */
    SESSION_NAME_TAKEN, /* its hello named a client in the chat */
    SESSION_FULL,       /* its hello came with the chat full (--max-clients) */
    SESSION_NO_HELLO,   /* no hello within the hello timeout */
    SESSION_CLOSED,     /* the peer closed, its last message handled */
    SESSION_STOPPED,    /* the host's `check` said stop (the host knows why) */
} SessionEnd;

/* What the host's `check` answers before each message. */
typedef enum SessionGo {
    SESSION_GO,   /* handle it */
    SESSION_WAIT, /* not now: hold the rest until session_run is called again */
    SESSION_STOP, /* end the session now, between two messages */
} SessionGo;

/* What the host's `join` answers. */
typedef enum SessionJoin {
    SESSION_JOINED,
    SESSION_JOIN_TAKEN, /* the name is another joined client's */
    SESSION_JOIN_FULL,  /* the chat holds as many as it may */
} SessionJoin;

/* Lines for this client alone, by what they answer. */
typedef enum SessionReply {
    REPLY_TOO_LONG,   /* a line over PROTO_LINE_MAX: discarded, the session goes on */
    REPLY_NAME_TAKEN, /* the hello's name is in use: the session ends */
    REPLY_NO_HELLO,   /* the hello timeout passed: the session ends */
    REPLY_SLOWED,     /* past its rate: its lines wait (once per episode) */
    REPLY_FULL,       /* the chat is full: the session ends */
} SessionReply;

typedef struct SessionHost {
    void *ctx;
    SessionGo (*check)(void *ctx);
    /* The hello: join the chat as `name` unless the room says it is taken
     * or full. `joined_line` is what everyone hears when it succeeds. */
    SessionJoin (*join)(void *ctx, const char *name, const char *joined_line, size_t len);
    /* A chat message from this joined client: `line` ("NAME: TEXT\n") goes
     * to everyone, `text` (cleaned, never empty) is the last message. */
    void (*say)(void *ctx, const char *text, size_t text_len, const char *line, size_t len);
    void (*reply)(void *ctx, SessionReply what, const char *line, size_t len);
} SessionHost;

typedef struct Session {
    char name[PROTO_NAME_BUF]; /* "" until the hello */
    bool joined;
    unsigned long long last_rx_ms;
    unsigned long long hello_deadline_ms; /* 0: none */
    unsigned hello_timeout_s;
    RateLimit rate;
    bool rate_wait; /* held back by the rate until rate_deadline */
    bool slow_told; /* REPLY_SLOWED sent; again once the burst is back */
    LineFramer framer;
    char line[PROTO_LINE_MAX + 1];
    char in[SESSION_IN_MAX]; /* the host recv()s here */
    size_t in_off, in_len;   /* in[in_off..in_len) not handled yet */
} Session;

/* A new connection at now_ms; hello_timeout_s 0 waits for the hello for
 * ever. No rate until session_set_rate. */
void session_init(Session *s, unsigned long long now_ms, unsigned hello_timeout_s);

/* Once joined, at most `burst` lines at once and `rate` lines a second
 * (either 0: unlimited). The hello is never counted. */
void session_set_rate(Session *s, unsigned rate, unsigned burst, unsigned long long now_ms);

/* n bytes were received into s->in at now_ms (only while session_has_input
 * is false; n <= SESSION_IN_MAX). */
void session_received(Session *s, size_t n, unsigned long long now_ms);

/* Received bytes not handled yet (the host's check said wait). */
bool session_has_input(const Session *s);

/* Handles held bytes message by message while the host's check says go and
 * the rate allows, at now_ms. SESSION_ON when it goes on (with or without
 * bytes still held). */
SessionEnd session_run(Session *s, const SessionHost *h, unsigned long long now_ms);

/* Bytes are held because the sender is past its rate: nothing to do until
 * session_deadline (a host must not call session_run in a loop meanwhile). */
bool session_rate_waiting(const Session *s);

/* Time passed. `more` is true while bytes are held or wait on the socket:
 * then a partial line is not idle, only waiting for them. The host's check
 * is asked before an idle partial line becomes a message: stop ends the
 * session, wait does not hold it back (nothing else would end the wait). */
SessionEnd session_tick(Session *s, const SessionHost *h, unsigned long long now_ms, bool more);

/* When session_tick or session_run next has something to do (an idle
 * partial line, the hello timeout, the rate letting held bytes go), or 0 for
 * never (until more bytes come). */
unsigned long long session_deadline(const Session *s, bool more);

/* The peer closed its sending side (every byte before it handled): a
 * legacy client's last message, sent without "\n" right before it closed,
 * is still a message (unless the host's check says stop). SESSION_CLOSED,
 * or how that message ended it. */
SessionEnd session_closed(Session *s, const SessionHost *h);

#endif
