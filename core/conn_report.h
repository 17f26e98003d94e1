/* conn_report.h: what the client tells the user about its connection, in
 * words, decided without Win32: the status bar's text, the window title,
 * and the notices the chat log records (connecting, connected, lost and
 * why, reconnected), each said once.
 *
 * Contract: platform-free, no allocation; texts are UTF-8, NUL-terminated
 * and never overflow `out` (size > 0). A ConnStory is the log's memory of
 * one connection target: started anew when the user picks a server or
 * name, fed every change of phase. */
#ifndef CHAT_CORE_CONN_REPORT_H
#define CHAT_CORE_CONN_REPORT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ConnPhase {
    CONN_OFF,        /* not connected and not trying */
    CONN_LOOKUP,     /* looking the host name up */
    CONN_CONNECTING, /* TCP connect in progress */
    CONN_CONNECTED,  /* in the chat */
    CONN_WAITING,    /* waiting to try again */
} ConnPhase;

typedef struct ConnFacts {
    ConnPhase phase;
    const char *host;
    unsigned port;
    const char *user;
    const char *reason; /* why the last attempt or session ended, or "" */
    unsigned retry_in_s; /* CONN_WAITING: seconds until the next attempt */
    int pending;         /* messages typed and not yet echoed */
} ConnFacts;

typedef struct ConnStory {
    ConnPhase last;
    bool ever_connected; /* to this target since conn_story_start */
    bool failure_told;   /* a failure was told since the last success */
} ConnStory;

/* A new target: "Connecting to HOST:PORT as NAME..." into out. */
size_t conn_story_start(ConnStory *s, const ConnFacts *f, char *out, size_t size);

/* f->phase is the phase now: the notice the log should record for the
 * change, or 0 (out "") when there is nothing new to tell:
 * "Connected to HOST:PORT as NAME." the first time, "Reconnected to
 * HOST:PORT." after a loss, "Connection to HOST:PORT lost (REASON):
 * retrying in N s." when a session ends, "Cannot connect to HOST:PORT
 * (REASON): retrying in N s." for the first failed attempt after a start or
 * a success (later ones only change the status bar). Going off is told by
 * whoever ended it (the user, /quit, a taken name): nothing here. */
size_t conn_story_change(ConnStory *s, const ConnFacts *f, char *out, size_t size);

/* The status bar: "Connected to HOST:PORT as NAME", "Not connected:
 * retrying in 4 s (REASON)", "Connecting to HOST:PORT...", "Looking up
 * HOST...", "Not connected (File > Connect... to connect)"; with
 * " · N messages waiting" while some are. */
void conn_status(const ConnFacts *f, char *out, size_t size);

/* The window title: "Chat — NAME @ HOST:PORT", with " (not connected)"
 * unless connected. */
void conn_title(const ConnFacts *f, char *out, size_t size);

#endif
