/* statusbar.h: the window's status bar and its one owner: two texts, the
 * connection (the conversation's: "Connected to chat.example:12345 as
 * alice", "Not connected: retrying in 4 s (...)") and the shared memory
 * (the window's, shown only where it helps: empty hides it), then a small
 * graph of the recent past (gui/graph.h) before the size grip. Each part is
 * as wide as its text, the connection first; a text too long for the bar is
 * whole in the part's tooltip.
 *
 * Contract: the window's thread; texts are UTF-8; a text equal to the one
 * shown is not sent to the control again. */
#ifndef CHAT_GUI_STATUSBAR_H
#define CHAT_GUI_STATUSBAR_H

#include <stdbool.h>
#include <wchar.h>
#include <windows.h>

typedef enum StatusPart {
    STATUS_CONNECTION, /* the connection (the conversation's) */
    STATUS_SHARED,     /* the shared memory (the window's), or empty */
    STATUS_PARTS_
} StatusPart;

typedef struct StatusBar {
    HWND hwnd;
    wchar_t text[STATUS_PARTS_][400];
    HWND graph;      /* a control in the last part (gui/graph.h), or NULL */
    int graph_width; /* its width in pixels */
} StatusBar;

/* Puts `graph` (a child of the bar) in a last part `width` pixels wide;
 * the bar passes its WM_DRAWITEM on to the bar's parent. */
void statusbar_set_graph(StatusBar *s, HWND graph, int width);

void statusbar_init(StatusBar *s, HWND bar);

/* Shows utf8 in the part; true when it changed (and the control was set). */
bool statusbar_set(StatusBar *s, StatusPart part, const char *utf8);

/* The parts for the bar's width now: after a resize, a DPI or font change. */
void statusbar_layout(StatusBar *s);

#endif
