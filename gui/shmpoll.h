/* shmpoll.h: one tick of the client's shared-state loop. Attaches when not
 * attached (at most once a second), takes a snapshot waiting at most
 * SHMPOLL_LOCK_TIMEOUT_MS for the lock, and records the outcome as a
 * ViewState (core/view.h) for the window to show.
 *
 * Contract: never blocks longer than the lock timeout; owns its ChatShm;
 * single-threaded (the UI thread). */
#ifndef CHAT_GUI_SHMPOLL_H
#define CHAT_GUI_SHMPOLL_H

#include "core/view.h"
#include "gui/messages.h"
#include "shm/presence.h"
#include "shm/shm.h"

#define SHMPOLL_LOCK_TIMEOUT_MS 5
#define SHMPOLL_ATTACH_PERIOD_MS 1000
/* How long "recovered from an abandoned lock" stays in the status after it
 * happened: one tick would be too short for anyone to read. */
#define SHMPOLL_RECOVERED_SHOW_MS 5000

typedef struct ShmPoll {
    char name[SHM_NAME_MAX];
    ChatShm *shm;
    ShmWatch server; /* whether the segment's server still runs */
    unsigned long long next_attach_ms;   /* detached: the next attach */
    unsigned long long next_alive_ms;    /* attached: the next look at the server */
    unsigned long long recovered_until_ms;
    ViewState view;
    ChatStats *stats; /* snapshots, busy, recovered, attaches: the window's */
} ShmPoll;

void shmpoll_init(ShmPoll *p, const char *name, ChatStats *stats);

/* now_ms: a monotonic clock (GetTickCount64). */
void shmpoll_tick(ShmPoll *p, unsigned long long now_ms);

void shmpoll_close(ShmPoll *p);

#endif
