/* convo.h: the conversation half of the client window: the send box and
 * its history, the chat log, the send pacing the original server needs
 * (core/pacer.h) and the connection (gui/net.h), glued together.
 *
 * Contract: runs on the window's thread; the window creates the controls,
 * lays them out and forwards its messages (convo_handle) and commands.
 * Nothing typed is dropped silently: a message that cannot go now stays in
 * the send box or in the pacer's queue, and the status bar says why. */
#ifndef CHAT_GUI_CONVO_H
#define CHAT_GUI_CONVO_H

#include <stdbool.h>
#include <windows.h>

#include "core/compose.h"
#include "core/pacer.h"
#include "gui/net.h"
#include "gui/statusbar.h"

#define CONVO_HISTORY 50          /* messages Up/Down can recall */
#define CONVO_LOG_MAX_LINES 3000  /* scrollback; the oldest are trimmed */
#define CONVO_LOG_TRIM_LINES 500  /* trimmed at once, so trimming is rare */
#define CONVO_TIMER_PACE 103      /* a pacing wait times out */
#define CONVO_LOG_LINE_SHOW PROTO_OUT_MAX /* bytes of a line the log shows: any
                                           line our server sends, whole */

typedef struct Convo {
    HWND hwnd, log, input, send;
    StatusBar *bar;           /* the window's: this writes its connection part
                                 and its note */
    ChatStats *stats;         /* the window's */
    Net net;
    Pacer pacer;
    char history[CONVO_HISTORY][COMPOSE_MAX_BYTES + 1];
    int hist_count, hist_pos; /* hist_pos == hist_count: not recalling */
    bool name_taken;          /* the server said our name is taken: say so
                                 when it closes (retrying still goes on) */
    wchar_t *batch;           /* lines waiting to go into the log together */
    size_t batch_len, batch_cap;
} Convo;

bool convo_init(Convo *c, HWND hwnd, HWND log, HWND input, HWND send, StatusBar *bar,
                ChatStats *stats);

/* (Re)connects as user to host:port now. */
void convo_connect(Convo *c, const char *host, unsigned short port, const char *user);

/* File > Disconnect: "/quit", close, stop retrying. */
void convo_disconnect(Convo *c);

/* The window is closing: "/quit", close, free. */
void convo_close(Convo *c);

/* Enter or the Send button. */
void convo_send(Convo *c);

void convo_clear_log(Convo *c);

/* The send box's text changed: an old note about it goes. */
void convo_input_changed(Convo *c);

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
