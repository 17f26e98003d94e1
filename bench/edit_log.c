/* edit_log.c: THE BASELINE, kept for comparison only: the EDIT-based chat
 * log of commit bdef6d5 (see edit_log.h). The bodies of edit_log_add and
 * edit_log_flush are that commit's log_add and log_flush from gui/convo.c,
 * with Convo replaced by EditLog; change them only to follow a change of
 * the helpers they call, never to make the baseline faster or slower. */
#include "bench/edit_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "gui/text.h"

HWND edit_log_create(EditLog *e, HWND parent, int id)
{
    memset(e, 0, sizeof *e);
    e->trim = true;
    e->edit = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"",
                              WS_CHILD | WS_VISIBLE | EDIT_LOG_PANE_STYLE, 0, 0, 0, 0,
                              parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    if (e->edit)
        SendMessageW(e->edit, EM_SETLIMITTEXT, 0, 0); /* as much as memory allows */
    return e->edit;
}

void edit_log_free(EditLog *e)
{
    free(e->batch);
    e->batch = NULL;
    e->batch_len = e->batch_cap = 0;
}

/* Formats a line into the batch waiting to go into the log: the EDIT control
 * is touched once per batch of lines (one read from the socket), not once
 * per line, since each change costs milliseconds under Wine. */
void edit_log_add(EditLog *e, const char *line, size_t len, LineEnd end)
{
    SYSTEMTIME t;
    /* An EDIT control wraps one long unbroken line slowly (a 64 KB line froze
     * the window for 15 s under Wine): show its start, say what is left. */
    size_t show =
        len > EDIT_LOG_LINE_SHOW ? utf8_cut(line, len, EDIT_LOG_LINE_SHOW) : len;
    size_t cap = show * COMPOSE_GROWTH + 128; /* a name's invisible characters are spelled out:
                                    2 bytes (C1) become 8 at most */
    char *utf8 = malloc(cap);
    if (utf8 == NULL || e->batch_len + cap + 1 > e->batch_cap) {
        size_t want = (e->batch_cap ? e->batch_cap * 2 : 8192) + cap + 1;
        wchar_t *nb = utf8 ? realloc(e->batch, want * sizeof *nb) : NULL;
        if (nb == NULL) {
            free(utf8);
            return;
        }
        e->batch = nb;
        e->batch_cap = want;
    }
    GetLocalTime(&t);
    size_t n =
        compose_log_line(utf8, cap - 2, t.wHour, t.wMinute, t.wSecond, line, show, end);
    if (show < len)
        n += (size_t)snprintf(utf8 + n, cap - 2 - n, " [%lu more bytes not shown]",
                              (unsigned long)(len - show));
    /* Decoded line by line: UTF-8 when valid, else the ANSI code page. */
    wchar_t *at = e->batch + e->batch_len;
    size_t wn = text_bytes_to_wide(utf8, n, at, cap - 2);
    text_show_controls(at, wn);
    at[wn++] = L'\r';
    at[wn++] = L'\n';
    at[wn] = L'\0';
    e->batch_len += wn;
    free(utf8);
}

/* Puts the batch into the log: appended at the end, the oldest lines trimmed
 * past EDIT_LOG_MAX_LINES, and the view kept where the user has it. */
void edit_log_flush(EditLog *e)
{
    if (e->batch_len == 0)
        return;
    /* Stay at the bottom only if the user was there: someone reading
     * scrollback must not be yanked down by every new line. */
    SCROLLINFO si = {sizeof si, SIF_ALL, 0, 0, 0, 0, 0};
    GetScrollInfo(e->edit, SB_VERT, &si);
    BOOL at_bottom = si.nMax == 0 || si.nPos + (int)si.nPage >= si.nMax;
    int first = (int)SendMessageW(e->edit, EM_GETFIRSTVISIBLELINE, 0, 0);
    /* Appending moves the selection: what the user selected is put back
     * (Edit > Copy works on a busy chat). */
    DWORD sel_from = 0, sel_to = 0;
    SendMessageW(e->edit, EM_GETSEL, (WPARAM)&sel_from, (LPARAM)&sel_to);

    SendMessageW(e->edit, WM_SETREDRAW, FALSE, 0);
    int end = GetWindowTextLengthW(e->edit);
    SendMessageW(e->edit, EM_SETSEL, end, end);
    SendMessageW(e->edit, EM_REPLACESEL, FALSE, (LPARAM)e->batch);
    e->batch_len = 0;
    int removed = 0, removed_chars = 0;
    int lines = (int)SendMessageW(e->edit, EM_GETLINECOUNT, 0, 0);
    /* The one change from bdef6d5: the memory figure turns the trim off so
     * that the EDIT holds as many lines as the view. */
    if (e->trim && lines > EDIT_LOG_MAX_LINES) {
        /* Trim in steps of EDIT_LOG_TRIM_LINES, so trimming stays rare. */
        int drop = (lines - EDIT_LOG_MAX_LINES + EDIT_LOG_TRIM_LINES - 1) /
                   EDIT_LOG_TRIM_LINES * EDIT_LOG_TRIM_LINES;
        int cut_at = (int)SendMessageW(e->edit, EM_LINEINDEX, drop, 0);
        SendMessageW(e->edit, EM_SETSEL, 0, cut_at);
        SendMessageW(e->edit, EM_REPLACESEL, FALSE, (LPARAM)L"");
        removed = drop;
        removed_chars = cut_at;
    }
    if (at_bottom) {
        end = GetWindowTextLengthW(e->edit);
        SendMessageW(e->edit, EM_SETSEL, end, end);
        SendMessageW(e->edit, EM_SCROLLCARET, 0, 0);
    } else {
        int now_first = (int)SendMessageW(e->edit, EM_GETFIRSTVISIBLELINE, 0, 0);
        int want = first - removed < 0 ? 0 : first - removed;
        SendMessageW(e->edit, EM_LINESCROLL, 0, want - now_first);
    }
    if (sel_to > sel_from && (int)sel_from >= removed_chars)
        SendMessageW(e->edit, EM_SETSEL, sel_from - (DWORD)removed_chars,
                     sel_to - (DWORD)removed_chars);
    SendMessageW(e->edit, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(e->edit, NULL, FALSE);
}
