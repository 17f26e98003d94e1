/* statusbar.h: the window's status bar and its one owner: three texts, the
 * shared state (the window's), the connection and a note (the
 * conversation's: why a message did not go, what happened to it), laid out
 * for the bar's width: a note takes half the bar while there is one,
 * otherwise the shared state and the connection share it. Every text is
 * also the part's tooltip, for when the part is too narrow to show it.
 *
 * Contract: the window's thread; texts are UTF-8; a text equal to the one
 * shown is not sent to the control again. */
#ifndef CHAT_GUI_STATUSBAR_H
#define CHAT_GUI_STATUSBAR_H

#include <stdbool.h>
#include <wchar.h>
#include <windows.h>

typedef enum StatusPart {
    STATUS_SHARED,     /* the shared state (the window's) */
    STATUS_CONNECTION, /* the connection (the conversation's) */
    STATUS_NOTE,       /* a note, shown only while there is one */
    STATUS_PARTS_
} StatusPart;

typedef struct StatusBar {
    HWND hwnd;
    wchar_t text[STATUS_PARTS_][400];
} StatusBar;

void statusbar_init(StatusBar *s, HWND bar);

/* Shows utf8 in the part; true when it changed (and the control was set). */
bool statusbar_set(StatusBar *s, StatusPart part, const char *utf8);

/* The parts for the bar's width now: after a resize, a DPI or font change. */
void statusbar_layout(StatusBar *s);

#endif
