/* messages.h: the client window's private messages, all in one place
 * (WM_APP + n; nothing below WM_USER is ours to invent). */
#ifndef CHAT_GUI_MESSAGES_H
#define CHAT_GUI_MESSAGES_H

#include <windows.h>

/* wParam: a WindowStat; returns that counter. Lets a test (or any tool in
 * another process) read the window's statistics with SendMessage. */
#define WM_APP_STATS (WM_APP + 1)

/* The name lookup finished: wParam the lookup's generation, lParam the
 * lookup (gui/net.c owns and frees it). */
#define WM_APP_RESOLVED (WM_APP + 2)

/* WSAAsyncSelect's socket events: wParam the socket, lParam the event and
 * error. */
#define WM_APP_SOCKET (WM_APP + 3)

/* gui/net.c has something to report that happened inside a call the
 * window or the convo made (a send that failed, a disconnect): it reports
 * it here, never from inside that call. */
#define WM_APP_NET (WM_APP + 4)

/* The server refused our name (someone in the chat has it): the convo has
 * stopped retrying; the window asks for another. */
#define WM_APP_NAME_TAKEN (WM_APP + 5)

typedef enum WindowStat {
    STAT_TICKS,          /* timer ticks handled */
    STAT_SNAPSHOTS,      /* snapshots taken */
    STAT_BUSY,           /* ticks whose lock wait timed out */
    STAT_RECOVERED,      /* snapshots that found an abandoned lock */
    STAT_ATTACHES,       /* attach attempts */
    STAT_SET_TEXT,       /* SetWindowText calls made by the timer loop */
    STAT_NET_STATE,      /* the connection's NetState (gui/net.h), now */
    STAT_NET_ATTEMPT,    /* the reconnect attempt being waited for, now */
    STAT_LINES_IN,       /* lines received from the server */
    STAT_SENDS,          /* messages sent to the server */
    STAT_PENDING,        /* messages typed and not yet echoed, now */
    STAT_LOG_LINES,      /* lines in the chat log, now */
    STAT_SEND_US,        /* when the last message was given to send() */
    STAT_LINE_US,        /* when the last line was added to the log */
    STAT_MESSAGE_US,     /* when the last-message pane last changed; both in
                            microseconds of QueryPerformanceCounter, which is
                            one clock for every process of the machine, so a
                            benchmark measures the window, not its polling */
    STAT_EARLY_RETRIES,  /* reconnects started at once because the local
                            server's segment came back */
    STAT_DARK,           /* 1 while the dark theme is on, now */
    STAT_COUNT_
} WindowStat;

/* The window's counters, in one struct: its owner creates the window with
 * it (gui/main.c keeps it past the window for --stats) and the window hands
 * it down to the parts that count (shmpoll, convo, net). */
typedef struct ChatStats {
    unsigned long ticks, snapshots, busy, recovered, attaches, set_text;
    unsigned long lines_in, sends, early_retries;
    unsigned long long send_us, line_us, message_us; /* win_clock_us() */
} ChatStats;

#endif
