/* logview.h: the chat log window class: draws core/chatlog.h's model with
 * GDI (double-buffered, only the invalid region) and turns mouse and keys
 * into model calls. Behaves like a standard control: it takes the focus
 * and Tab/F6 pass through it, answers WM_GETTEXT/WM_GETTEXTLENGTH with the
 * log as plain text lines and WM_GETOBJECT with an accessible object
 * (gui/logacc.h), copies with Ctrl+C, finds with Ctrl+F/F3, and opens links
 * through the shell on a worker thread.
 *
 * Contract: UI thread only. The parent creates it with CreateWindowExW
 * (class LOGVIEW_CLASS, after logview_register) and feeds it lines with
 * logview_append; the control owns its model and frees it on WM_DESTROY.
 * It notifies its parent of nothing (the parent asks: EM_GETSEL,
 * logview_has_selection) and asks it only for the window's font
 * (WM_GETFONT, for the find bar). */
#ifndef CHAT_GUI_LOGVIEW_H
#define CHAT_GUI_LOGVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

#include "core/chatlog.h"
#include "core/compose.h"
#include "core/theme.h"

#define LOGVIEW_CLASS L"Win32ChatLogView"

/* Style: one message and no time or name column (the last-message pane).
 * WM_SETTEXT sets the message, WM_GETTEXT and copy give it back as it is. */
#define LVS_PLAIN 0x0001

/* Either way the window's creation text is its accessible name ("Chat
 * log", "Last message"). */

bool logview_register(HINSTANCE inst);

/* Appends a line as the client gets it: a server line (`local` false:
 * "NAME: TEXT" goes into the name and text columns, "*** ... ***" is a
 * notice) or one of the client's own ("--- ...", `local` true), as bytes
 * (UTF-8 when valid, else the ANSI code page), with the mark of `end`,
 * stamped with the local time. Lines of `me` (UTF-8) are flagged as your
 * own, lines mentioning it as mentions. */
void logview_add_line(HWND view, const char *line, size_t len, LineEnd end, bool local,
                      const char *me);

/* Appends a line (what chatlog_append takes). UTF-16 text; control
 * characters must already be shown as their pictures. Lines appended
 * between two logview_flush calls are painted once. */
void logview_append(HWND view, uint32_t time, ChatLogKind kind, unsigned flags,
                    const wchar_t *name, size_t name_len, const wchar_t *text, size_t text_len);
/* Repaints what the appends changed and updates the scroll bar: call once
 * per batch (one read from the socket). */
void logview_flush(HWND view);
void logview_clear(HWND view);

/* Scrollback (lines). */
void logview_set_max(HWND view, size_t lines);
/* The font is the parent's, set with WM_SETFONT as for any control. */
void logview_set_theme(HWND view, bool dark);

/* The window went to the background (true) or came back (false): the
 * unread marker goes above the first line appended while in the
 * background. */
void logview_set_background(HWND view, bool background);

/* Edit menu, context menu and accelerators act through these. */
void logview_copy(HWND view);
void logview_select_all(HWND view);
void logview_find(HWND view); /* opens (or focuses) the find bar */
/* F3 / Shift+F3: the next or previous hit (opens the bar when there is
 * nothing to find yet); false when there is none. */
bool logview_find_next(HWND view, bool backward);
bool logview_has_selection(HWND view);

/* The model, for the tests and the benchmark (read-only use). */
ChatLog *logview_model(HWND view);

/* Opening a link: by default through gui/linkopen.h (the shell, on a
 * worker thread; a failure is said in a box of its own). A test seam: when
 * set, opener(ctx, url) is called instead, on the UI thread, inside the
 * click's or the key's handling. The environment variable
 * CHAT_TEST_OPENER_LOG, when set as the class is registered, makes the
 * worker append the address to that file instead of opening it. */
typedef void (*LogViewOpener)(void *ctx, const char *url);
void logview_set_opener(HWND view, LogViewOpener opener, void *ctx);

#endif
