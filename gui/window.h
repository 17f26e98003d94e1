/* window.h: the chat client's main window: a client-count label and a
 * last-message pane kept current by a WM_TIMER loop over the shared state
 * (gui/shmpoll.h), the room for the chat log and the send box, a status bar,
 * the menu and the About box.
 *
 * Contract: everything runs on the UI thread that created the window; all
 * per-window state lives in one struct reached through GWLP_USERDATA, but
 * the counters, in the creator's ChatStats; the window never waits on
 * anything longer than the shared-memory lock timeout. Statistics are
 * readable from any process with WM_APP_STATS (messages.h). */
#ifndef CHAT_GUI_WINDOW_H
#define CHAT_GUI_WINDOW_H

#include <windows.h>

#include "core/client_opts.h"
#include "gui/messages.h"
#include "gui/settings.h"

/* Registers the class (once) and creates and shows the window. `opt` holds
 * the effective options (command line over settings, for this run only);
 * `settings` are the saved ones: the window opens at their placement (moved
 * on while another instance sits there) and saves the placement on close,
 * and the server and name only when the user chooses them in File >
 * Connect...; `stats` (the caller's, outliving the window) receives its
 * counters. NULL on failure. */
HWND chat_window_create(HINSTANCE inst, const ClientOptions *opt, const Settings *settings,
                        int show, ChatStats *stats);

/* The message loop's filter: accelerators and dialog-style keyboard
 * navigation (Tab, mnemonics). True when msg was handled. */
BOOL chat_window_filter(HWND hwnd, MSG *msg);

/* The chat window of process `pid` once it is created and shown, or NULL:
 * how tools and tests in other processes find it (then WM_GETTEXT and
 * WM_APP_STATS reach it). */
HWND chat_window_find(DWORD pid);

#endif
