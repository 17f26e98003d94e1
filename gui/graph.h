/* graph.h: the recent past at a glance, drawn in the status bar: the
 * number of people over the last 10 minutes (a line) and the messages (bars
 * under it), from core/history.h. A standard STATIC control, owner-drawn:
 * its text is what a screen reader says of it ("3 people now, ...") and
 * WM_GETTEXT/WM_GETOBJECT are the system's own.
 *
 * Contract: the window's thread; the window forwards WM_DRAWITEM for the
 * control to graph_draw and calls graph_update after each tick; it is
 * invalidated and its text set only when what it shows changed, so an idle
 * window repaints nothing. */
#ifndef CHAT_GUI_GRAPH_H
#define CHAT_GUI_GRAPH_H

#include <windows.h>

#include "core/history.h"

typedef struct Graph {
    HWND hwnd;
    History history;
    unsigned long signature; /* of what is drawn */
    unsigned long chat_lines; /* the count the last update saw */
} Graph;

/* Creates the control as a child of `parent` (the status bar), id `id`. */
BOOL graph_init(Graph *g, HWND parent, int id, unsigned long long now_ms);

/* The past forgotten (the state now comes from another source). */
void graph_reset(Graph *g, unsigned long long now_ms);

/* The count shown now (-1 unknown) and the chat lines received so far. */
void graph_update(Graph *g, unsigned long long now_ms, int count, unsigned long chat_lines);

void graph_draw(Graph *g, const DRAWITEMSTRUCT *di, unsigned long long now_ms);

#endif
