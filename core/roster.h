/* roster.h: what the connection tells a client of the chat, without the
 * shared memory: who is in it (the roster our server sends a newcomer,
 * then every join and leave line), the last chat line's text, and where
 * the server keeps its shared memory (so a window on its machine can tell
 * that segment is this server's).
 *
 * Fed every line of a session in order. Roster lines count only right
 * after our own join line (a line like them later is someone's text: a
 * chat line starts "NAME: " and never changes anything here); with a server
 * that sends none (the original), the list holds the people seen joining
 * since and says it is partial.
 *
 * Contract: platform-free; grows its table with realloc up to
 * ROSTER_MAX_NAMES (more, and the list is not exact: the count is unknown);
 * not thread-safe. Names are a multiset: several may
 * be "anonymous". */
#ifndef CHAT_CORE_ROSTER_H
#define CHAT_CORE_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/proto.h"
#include "core/shm_layout.h"

#define ROSTER_MAX_NAMES 10000

typedef enum RosterPhase {
    ROSTER_WAIT_JOIN, /* session started: our join line not seen yet */
    ROSTER_AFTER_JOIN,/* our join line seen: a roster may come next */
    ROSTER_READING,   /* between a roster's first and last line */
    ROSTER_AFTER_LIST,/* the roster is whole: the shared-memory line may come */
    ROSTER_LIVE,      /* joins and leaves keep it */
} RosterPhase;

typedef struct Roster {
    char (*names)[PROTO_NAME_BUF];
    int count, cap;
    RosterPhase phase;
    int expect;       /* names the roster's first line announced */
    bool complete;    /* the server sent a whole roster: the count is exact */
    char own[PROTO_NAME_BUF];
    bool have_last;
    char last[SHM_MESSAGE_SIZE]; /* the latest chat line's text, cut as the
                                    segment would hold it */
    bool have_shm;    /* the server said where its shared memory is */
    char shm_name[SHM_NAME_MAX];
    char instance[PROTO_INSTANCE_HEX + 1];
    unsigned long changes; /* bumped on every change of the list */
} Roster;

void roster_init(Roster *r);
void roster_free(Roster *r);

/* A new session as `own`: the list empties; the last message stays (it is
 * still the last one seen). */
void roster_session(Roster *r, const char *own);

/* One whole line from the server, without its "\n". True when it was one
 * of the welcome lines (a roster line, the shared-memory line) taken in:
 * a client that shows the people apart need not show it again. */
bool roster_line(Roster *r, const char *line, size_t len);

/* The end of one read from the server: a roster that did not come in the
 * same read as our join line is not the server's (ours sends them in one
 * piece; a user of the original server could time a look-alike). */
void roster_batch_end(Roster *r);

/* The number of people, or -1 when the server does not say (no roster). */
int roster_count(const Roster *r);

#endif
