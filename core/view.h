/* view.h: what the client window shows of the shared chat state, decided
 * without Win32: the label and status texts, whether the text is UTF-8 or
 * ANSI, and which parts changed since the last tick.
 *
 * Contract: platform-free, no allocation, no state beyond the caller's
 * ViewState; texts are UTF-8 and always NUL-terminated. Any bytes at all are
 * valid input: a count from a hostile writer is shown as what it is and never
 * used as a size. */
#ifndef CHAT_CORE_VIEW_H
#define CHAT_CORE_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/shm_layout.h"

/* A count above this is shown with a warning (no chat has that many). */
#define VIEW_COUNT_MAX 100000

/* How the shared state reached us on the last tick. */
typedef enum ViewLink {
    VIEW_WAITING,   /* no segment: the server is not running */
    VIEW_LIVE,      /* snapshot taken */
    VIEW_BUSY,      /* the lock timed out: showing the previous snapshot */
    VIEW_RECOVERED, /* the lock was abandoned by a dead process; data shown */
    VIEW_ERROR,     /* attaching failed for another reason (see `error`) */
    VIEW_SERVER,    /* from the connection: the server's roster and lines */
    VIEW_SERVER_NO_COUNT, /* from the connection; the server does not say who
                             is in the chat (the original server) */
    VIEW_SERVER_PENDING,  /* connected to a server that may be elsewhere: its
                             state not known yet */
    VIEW_ELSEWHERE,       /* not connected to a server on another machine:
                             this machine's segment is not its state */
} ViewLink;

typedef struct ViewState {
    ViewLink link;
    char error[256];      /* VIEW_ERROR: the reason, in words */
    bool have_data;       /* a snapshot exists (data below is meaningful) */
    int count;            /* connectedClients as read, however absurd */
    char message[SHM_MESSAGE_SIZE]; /* lastMessage, made safe */
} ViewState;

/* The parts of the window a tick may have to update. */
typedef struct ViewChanges {
    bool label;
    bool message;
    bool status;
} ViewChanges;

/* A fresh view: waiting, no data. */
void view_init(ViewState *v);

/* Records a tick's outcome. `snap` is the made-safe snapshot for VIEW_LIVE
 * and VIEW_RECOVERED, NULL otherwise (busy keeps the previous data; waiting
 * and error drop it). `error` is the reason for VIEW_ERROR, else NULL. */
void view_update(ViewState *v, ViewLink link, const SharedChatData *snap,
                 const char *error);

/* The state as the connection tells it (core/roster.h): `count` people, or
 * -1 when the server does not say; `last` the latest chat line's text. */
void view_from_server(ViewState *v, int count, const char *last);

/* No state to show yet: `link` VIEW_SERVER_PENDING or VIEW_ELSEWHERE. */
void view_unknown(ViewState *v, ViewLink link);

bool view_count_plausible(int count);

/* "Connected clients: N", "Connected clients: N (invalid)" or
 * "Connected clients: — (server not running)". */
void view_label(const ViewState *v, char *out, size_t size);

/* The shared-state part of the status bar, in words. */
void view_status(const ViewState *v, char *out, size_t size);

/* The message to show: lastMessage, or "" before any snapshot. */
const char *view_message(const ViewState *v);

/* Whether the message (nearly) fills the 1023 bytes of the field: 1020
 * bytes or more, since writers cut on a character (a UTF-8 character is at
 * most 4 bytes). Then it was, or may have been, cut there. */
bool view_message_cut(const ViewState *v);

/* Everything the window shows of a view, rendered once: what a tick
 * compares with what the controls show, and what it sets when they differ. */
typedef struct ViewTexts {
    char label[400];
    char status[400];
    char message[SHM_MESSAGE_SIZE];
    bool message_cut; /* it fills the whole field: the writer's text was
                         longer (or had no end), the pane marks the cut */
} ViewTexts;

void view_texts(const ViewState *v, ViewTexts *out);

/* Which of label, message and status differ. */
ViewChanges view_texts_diff(const ViewTexts *before, const ViewTexts *after);

/* Which of label, message and status differ between two views. */
ViewChanges view_diff(const ViewState *before, const ViewState *after);

#endif
