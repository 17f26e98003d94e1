/* edit_log.h: THE BASELINE, kept for comparison only: the chat log as it was
 * before the custom-drawn view (gui/logview.h) replaced it, a read-only
 * multi-line EDIT control fed in batches. bench/log_bench.c measures the
 * view against it; the client no longer uses it.
 *
 * It reproduces, unchanged in behaviour, gui/convo.c's log_add and log_flush
 * and gui/window.c's pane as of commit bdef6d5 (`git show bdef6d5:gui/convo.c`):
 * lines batched per socket read into one EM_REPLACESEL with WM_SETREDRAW off
 * and on, the oldest lines trimmed 500 at a time past 3,000, the view kept at
 * the bottom (or where the user scrolled it) and the selection put back, a
 * line shown up to 4,227 bytes. Left out: the pane's subclass (it only gives
 * Tab, Esc and Enter back to the window, no cost per line) and the stats
 * stamp.
 *
 * Contract: UI thread only; the EditLog owns its batch buffer, the parent
 * window owns the EDIT control (destroyed with it). */
#ifndef CHAT_BENCH_EDIT_LOG_H
#define CHAT_BENCH_EDIT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

#include "core/compose.h"

/* gui/convo.h of bdef6d5: CONVO_LOG_MAX_LINES, CONVO_LOG_TRIM_LINES and
 * CONVO_LOG_LINE_SHOW (= PROTO_OUT_MAX, 4,227 bytes). */
#define EDIT_LOG_MAX_LINES 3000
#define EDIT_LOG_TRIM_LINES 500
#define EDIT_LOG_LINE_SHOW 4227

/* gui/window.c of bdef6d5: the read-only, selectable, word-wrapped panes. */
#define EDIT_LOG_PANE_STYLE                                                            \
    (WS_TABSTOP | WS_VSCROLL | ES_MULTILINE | ES_READONLY | ES_AUTOVSCROLL)

typedef struct EditLog {
    HWND edit;
    wchar_t *batch; /* lines waiting for the next flush, CRLF-separated */
    size_t batch_len, batch_cap;
    bool trim; /* false only for the memory figure: keep every line */
} EditLog;

/* Creates the EDIT as the old window did (child of parent, PANE_STYLE,
 * WS_EX_CLIENTEDGE, EM_SETLIMITTEXT 0). NULL when CreateWindowExW failed. */
HWND edit_log_create(EditLog *e, HWND parent, int id);

/* Formats one server line into the batch: "[HH:MM:SS] " + line (+ the mark
 * of `end`), cut at EDIT_LOG_LINE_SHOW bytes, control characters shown. */
void edit_log_add(EditLog *e, const char *line, size_t len, LineEnd end);

/* Puts the batch into the EDIT: one call per batch (one socket read). */
void edit_log_flush(EditLog *e);

/* Frees the batch (not the control). */
void edit_log_free(EditLog *e);

#endif
