/* messages.h: the client window's private messages, all in one place
 * (WM_APP + n; nothing below WM_USER is ours to invent). */
#ifndef CHAT_GUI_MESSAGES_H
#define CHAT_GUI_MESSAGES_H

#include <windows.h>

/* wParam: a WindowStat; returns that counter. Lets a test (or any tool in
 * another process) read the window's statistics with SendMessage. */
#define WM_APP_STATS (WM_APP + 1)

typedef enum WindowStat {
    STAT_TICKS,          /* timer ticks handled */
    STAT_SNAPSHOTS,      /* snapshots taken */
    STAT_BUSY,           /* ticks whose lock wait timed out */
    STAT_RECOVERED,      /* snapshots that found an abandoned lock */
    STAT_ATTACHES,       /* attach attempts */
    STAT_SET_TEXT,       /* SetWindowText calls made by the timer loop */
    STAT_COUNT_
} WindowStat;

#endif
