/* pacer.h: the send pacing a client of the original server needs.
 *
 * The original server takes one recv() as one message, so nothing we send
 * may share a TCP segment with anything else: the hello goes alone, the
 * first message waits until our own "*** NAME joined the chat ***" line has
 * come back (or PACER_JOIN_WAIT_MS passed), and each next message waits
 * until the echo "NAME: TEXT" of the previous one has come back (or
 * PACER_ECHO_WAIT_MS passed). Messages typed meanwhile wait in order in a
 * bounded queue and are never dropped or reordered; a message in flight when
 * the connection is lost goes back to the front of the queue (sent again on
 * the next connection: at least once, never lost).
 *
 * Contract: platform-free and clock-free (times in ms from any monotonic
 * clock); owns copies of the messages; not thread-safe. Messages are UTF-8
 * without "\n" (the caller sends TEXT "\n" in one send()). */
#ifndef CHAT_CORE_PACER_H
#define CHAT_CORE_PACER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/proto.h"

#define PACER_JOIN_WAIT_MS 1000u
#define PACER_ECHO_WAIT_MS 500u
#define PACER_MAX_PENDING 64     /* messages waiting, the one in flight included */
#define PACER_MSG_MAX 1024       /* bytes of one message, NUL excluded */

typedef enum PacerState {
    PACER_OFFLINE,  /* no session: messages only queue */
    PACER_JOINING,  /* hello sent, waiting for our join line */
    PACER_READY,    /* may send the next message */
    PACER_IN_FLIGHT /* a message was sent, waiting for its echo */
} PacerState;

typedef struct Pacer {
    PacerState state;
    char name[PROTO_NAME_BUF]; /* our name as the server will print it */
    unsigned long long wait_until; /* JOINING / IN_FLIGHT: give up waiting then */
    /* Ring of pending messages; the front one is in flight in IN_FLIGHT. */
    char msgs[PACER_MAX_PENDING][PACER_MSG_MAX + 1];
    size_t lens[PACER_MAX_PENDING];
    int head, count;
    bool quit_sent; /* a message with /quit went out in this session */
    bool front_sent; /* the oldest pending message went out at least once */
} Pacer;

/* `name` is cleaned the way the server cleans a hello (proto_parse_hello:
 * an empty name is "anonymous"), so the echoes it expects are the ones the
 * server sends. */
void pacer_init(Pacer *p, const char *name);

/* The name changed (File > Connect...): cleaned like pacer_init's. The
 * queue is kept: whether what was typed under the old name may still go is
 * the caller's decision (pacer_clear). */
void pacer_set_name(Pacer *p, const char *name);

/* `name` as the server will print it (what pacer_init and pacer_set_name
 * keep in p->name), to compare with the name in use. */
void pacer_server_name(const char *name, char out[PROTO_NAME_BUF]);

/* A session began: the hello has just been sent. */
void pacer_session_start(Pacer *p, unsigned long long now_ms);

/* The session ended (closed, reset, refused). The message in flight, if
 * any, stays at the front of the queue. */
void pacer_session_end(Pacer *p);

/* True once a message containing /quit was handed out by pacer_next in the
 * current or the last session, whether or not its echo or the timeout has
 * since taken it off the queue: the server ends a session on /quit, so a
 * close that follows is the user leaving, however late it comes. Cleared by
 * pacer_session_start. */
bool pacer_quit_sent(const Pacer *p);

/* Queues a message (len <= PACER_MSG_MAX); false when the queue is full or
 * the message too long: the caller keeps it and says why. */
bool pacer_push(Pacer *p, const char *msg, size_t len);

/* An incoming line (without "\n"): our join line or the echo of the message
 * in flight moves us on; anything else is ignored. */
void pacer_on_line(Pacer *p, const char *line, size_t len, unsigned long long now_ms);

/* What to send now: true with the message (valid until the next call) when
 * one may go; the caller must send it (TEXT "\n", one send()) right away. */
bool pacer_next(Pacer *p, unsigned long long now_ms, const char **msg, size_t *len);

/* When a wait (for the join line or an echo) times out and moves the pacer
 * on, or 0 when nothing is waiting for a time (offline or ready). */
unsigned long long pacer_deadline(const Pacer *p);

/* Messages not yet echoed: waiting, plus the one in flight. */
int pacer_pending(const Pacer *p);

/* The i-th pending message (0 = the oldest), for showing them as pending. */
const char *pacer_pending_at(const Pacer *p, int i, size_t *len);

PacerState pacer_state(const Pacer *p);

/* Offline only: forgets the oldest pending message (one that must not be
 * sent again, such as the /quit that ended the session). False when there
 * is none or a session is on. */
bool pacer_drop_front(Pacer *p);

/* True when the oldest pending message was handed out by pacer_next (in
 * this session or an earlier one) and neither its echo nor the timeout has
 * taken it off: it may have reached the server. */
bool pacer_front_sent(const Pacer *p);

/* Offline only: forgets every pending message (typed for a server or a name
 * that is no longer the one connected to: the caller has shown them to the
 * user first). False, and nothing forgotten, while a session is on. */
bool pacer_clear(Pacer *p);

#endif
