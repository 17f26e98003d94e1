/* guiclient.h: chat_client.exe started as a real process for the Win32
 * suites, and read and driven through window messages the system marshals
 * between processes (WM_GETTEXT, WM_SETTEXT, WM_COMMAND, WM_APP_STATS).
 *
 * Contract: like winproc.h, failures abort the current Check test. One
 * client at a time per test process (the suites need no more). */
#ifndef CHAT_TESTS_GUICLIENT_H
#define CHAT_TESTS_GUICLIENT_H

#include <stddef.h>
#include <windows.h>

#include "gui/messages.h"

/* The client process and its window, valid after gc_start. */
extern HANDLE gc_proc;
extern HWND gc_win;

/* Starts chat_client.exe with `args`, its settings in "<tag>.ini" and its
 * output in "<tag>.client.log" beside the test, and waits until its window
 * is shown. */
void gc_start(const char *tag, const char *args);

/* WM_CLOSE, then asserts the process exits with code 0. */
void gc_close(void);

/* Kills the client if one is running (teardown after a failed test). */
void gc_kill(void);

/* A counter of the window (WM_APP_STATS). */
unsigned long gc_stat(WindowStat which);

/* The text of child control `id` (the status bar: every part, joined with
 * " | "), looked up afresh each time: the message pane can be re-created. */
void gc_text(int id, wchar_t *out, size_t cap);

/* A visible top-level window of class `cls` of the client process, or
 * NULL (a balloon: "tooltips_class32"). */
HWND gc_find_window(const char *cls);

/* The client's dialog box (class #32770) once it is shown; asserts within
 * 5 s. */
HWND gc_dialog(void);

/* Waits up to 3 s for the window's title to start with `want` (a dialog is
 * gone a moment before the window acts on what it returned). */
void gc_title_starts(const wchar_t *want);

/* UTF-8 for failure messages: Check formats with msvcrt's printf, which has
 * no %ls under MinGW. Rotating buffers: up to four in one message. */
const char *gc_u8(const wchar_t *w);

#endif
