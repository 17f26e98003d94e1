/* convo.h: the conversation half of the client window: the send box and
 * its history, the chat log, the send pacing the original server needs
 * (core/pacer.h) and the connection (gui/net.h), glued together.
 *
 * It tells the user what happens: connection events as notices in the log
 * ("--- Connected to ...", core/conn_report.h), the connection in the status
 * bar, a problem with what was typed in a balloon at the send box, and the
 * bytes left near the limit beside it.
 *
 * Contract: runs on the window's thread; the window creates the controls,
 * lays them out and forwards its messages (convo_handle) and commands.
 * Nothing typed is dropped silently: a message that cannot go now stays in
 * the send box or in the pacer's queue, and the user is told why. The
 * window hears of changes through ConvoEvents, called only from the
 * convo's own message handlers, never inside a convo_* call it made. */
#ifndef CHAT_GUI_CONVO_H
#define CHAT_GUI_CONVO_H

#include <stdbool.h>
#include <windows.h>

#include "core/compose.h"
#include "core/pacer.h"
#include "core/conn_report.h"
#include "core/roster.h"
#include "gui/balloon.h"
#include "gui/net.h"
#include "gui/statusbar.h"

#define CONVO_HISTORY 50          /* messages Up/Down can recall */
#define CONVO_INPUT_LIMIT 4000    /* characters the send box takes: well past
                                     1000 bytes, so a too-long message is
                                     refused, not cut */
#define CONVO_TIMER_PACE 103      /* a pacing wait times out */
#define CONVO_TIMER_ACCEPT 106    /* a session not closed this long is accepted */
#define CONVO_ACCEPT_MS 1000

/* The controls the window made for the conversation. */
typedef struct ConvoControls {
    HWND hwnd, log, input, send;
    HWND counter; /* "12 bytes left": hidden until near the limit */
} ConvoControls;

typedef struct ConvoEvents {
    void *ctx;
    void (*changed)(void *ctx); /* the connection's state changed */
} ConvoEvents;

typedef struct Convo {
    HWND hwnd, log, input, send, counter;
    ConvoEvents ev;
    Balloon balloon;          /* problems with what was typed */
    Roster roster;            /* who is in the chat, as the server tells it */
    unsigned long chat_lines; /* chat lines received, ever */
    unsigned long long session_started_ms; /* the present session's start */
    ConnStory story;          /* what the log was told of the connection */
    char draft[CONVO_INPUT_LIMIT * 3 + 1]; /* typed, kept while Up/Down recall */
    StatusBar *bar;           /* the window's: this writes its connection part
                                 and its note */
    ChatStats *stats;         /* the window's */
    Net net;
    Pacer pacer;
    char history[CONVO_HISTORY][COMPOSE_MAX_BYTES + 1];
    int hist_count, hist_pos; /* hist_pos == hist_count: not recalling */
    bool name_taken;          /* the server refused our name (its first
                                 line): stop when it closes and ask */
    bool was_in_chat;         /* a session under this name and server was
                                 accepted (its first line no refusal) */
    bool ghost_told;          /* "the server still counts you" was said */
    bool accepted;            /* this session: the server took us in */
    bool flash_due;           /* someone spoke in this read: flash at its end */
    unsigned session_lines;   /* lines of this session so far */
    char last_refusal[64];    /* why the last session was refused in its
                                 first line (full, busy), told once; ""
                                 once a session is let in */
    unsigned session_gen;     /* counts sessions and targets: a question
                                 asked in a modal box is void once it moved */
} Convo;

bool convo_init(Convo *c, const ConvoControls *ctl, const ConvoEvents *events,
                StatusBar *bar, ChatStats *stats);

/* (Re)connects as user to host:port now. */
void convo_connect(Convo *c, const char *host, unsigned short port, const char *user);

/* File > Disconnect: "/quit", close, stop retrying. */
void convo_disconnect(Convo *c);

/* Waiting to reconnect: try now (the local server's segment came back). */
void convo_retry_now(Convo *c);

/* The window is closing: "/quit", close, free. */
void convo_close(Convo *c);

/* Enter or the Send button. */
void convo_send(Convo *c);

void convo_clear_log(Convo *c);

/* One of the window's own notices in the log ("--- text"), at once. */
void convo_notice(Convo *c, const char *text);

/* Writes the chat log, as shown, to path as UTF-8 text (CRLF lines);
 * ERROR_SUCCESS, or the Windows error (nothing is left half-written). */
DWORD convo_save_log(Convo *c, const wchar_t *path);

/* The send box's text changed: a balloon about it goes, the counter
 * follows; true when the counter appeared or went (lay out again). */
bool convo_input_changed(Convo *c);

/* What the window shows of the conversation without reaching into it: the
 * connection's state and reconnect attempt, the messages not yet echoed,
 * and whether there is a connection or an attempt to stop. */
NetState convo_net_state(const Convo *c);
unsigned convo_attempt(const Convo *c);
int convo_pending(const Convo *c);
bool convo_can_disconnect(const Convo *c);

/* WM_APP_RESOLVED, WM_APP_SOCKET, WM_APP_NET and this module's timers; true
 * when the message was one of them. */
bool convo_handle(Convo *c, UINT msg, WPARAM wp, LPARAM lp);

#endif
