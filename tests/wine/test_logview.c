/* test_logview.c: the chat view (gui/logview.c) as a real window on the X
 * display, driven in this process: what it answers to WM_GETTEXT, copy
 * through the clipboard, the find bar, a link click reaching the opener
 * (the test seam: no browser), the forged-line case laid out through the
 * model of this very window, the accessible object, the scrollback bound,
 * and text that crashed the EDIT control it replaced. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "common/check_main.h"
#include "gui/logview.h"
#include "wine/acc_read.h"

static HWND top, view;
static HFONT font;
static char opened[4][256];
static int opened_n;

static void record_open(void *ctx, const char *url)
{
    (void)ctx;
    if (opened_n < 4)
        snprintf(opened[opened_n], sizeof opened[0], "%s", url);
    opened_n++;
}

static void pump(void)
{
    MSG m;
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
}

static void setup(void)
{
    char display[200];
    ck_assert_msg(GetEnvironmentVariableA("DISPLAY", display, sizeof display) > 0,
                  "the view suite needs an X display: run scripts/test, or set DISPLAY");
    HINSTANCE inst = GetModuleHandleW(NULL);
    ck_assert(logview_register(inst));
    top = CreateWindowExW(0, L"STATIC", L"logview test", WS_OVERLAPPEDWINDOW | WS_VISIBLE, 0, 0,
                          640, 400, NULL, NULL, inst, NULL);
    ck_assert(top != NULL);
    view = CreateWindowExW(WS_EX_CLIENTEDGE, LOGVIEW_CLASS, L"Chat log",
                           WS_CHILD | WS_VISIBLE | WS_VSCROLL | WS_TABSTOP, 0, 0, 600, 300, top,
                           (HMENU)(INT_PTR)5, inst, NULL);
    ck_assert(view != NULL);
    NONCLIENTMETRICSW ncm;
    memset(&ncm, 0, sizeof ncm);
    ncm.cbSize = sizeof ncm;
    SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0);
    font = CreateFontIndirectW(&ncm.lfMessageFont);
    SendMessageW(view, WM_SETFONT, (WPARAM)font, TRUE);
    logview_set_opener(view, record_open, NULL);
    opened_n = 0;
    pump();
}

static void teardown(void)
{
    DestroyWindow(top);
    DeleteObject(font);
    pump();
}

static void add(uint32_t t, ChatLogKind kind, unsigned flags, const wchar_t *name,
                const wchar_t *text)
{
    logview_append(view, t, kind, flags, name, name ? wcslen(name) : 0, text, wcslen(text));
}

static wchar_t *all_text(void)
{
    int n = (int)SendMessageW(view, WM_GETTEXTLENGTH, 0, 0);
    wchar_t *buf = calloc((size_t)n + 1, sizeof *buf);
    ck_assert(buf != NULL);
    int got = (int)SendMessageW(view, WM_GETTEXT, (WPARAM)n + 1, (LPARAM)buf);
    ck_assert_int_eq(got, n);
    return buf;
}

static void clipboard_text(wchar_t *out, size_t cap)
{
    out[0] = L'\0';
    ck_assert(OpenClipboard(NULL));
    HANDLE h = GetClipboardData(CF_UNICODETEXT);
    const wchar_t *p = h ? GlobalLock(h) : NULL;
    if (p) {
        wcsncpy(out, p, cap - 1);
        out[cap - 1] = L'\0';
        GlobalUnlock(h);
    }
    CloseClipboard();
}

static char *u8(const wchar_t *w)
{
    static char buf[4096];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, sizeof buf, NULL, NULL);
    return buf;
}

START_TEST(test_logview_answers_wm_gettext_with_plain_lines)
{
    add(3600 + 2 * 60 + 3, CHATLOG_CHAT, 0, L"alice", L"hello there");
    add(86399, CHATLOG_NOTICE, 0, NULL, L"*** bob joined the chat ***");
    logview_flush(view);
    wchar_t *t = all_text();
    ck_assert_msg(wcscmp(t, L"[01:02:03] alice: hello there\r\n"
                            L"[23:59:59] *** bob joined the chat ***\r\n") == 0,
                  "log: '%s'", u8(t));
    free(t);
    /* A short buffer gets the start, terminated, as an EDIT gives it. */
    wchar_t small[8];
    ck_assert_int_eq((int)SendMessageW(view, WM_GETTEXT, 8, (LPARAM)small), 7);
    ck_assert(wcscmp(small, L"[01:02:") == 0);
}
END_TEST

START_TEST(test_logview_copies_the_selection_through_the_clipboard)
{
    add(10, CHATLOG_CHAT, 0, L"alice", L"first line");
    add(11, CHATLOG_CHAT, CHATLOG_OWN, L"me", L"second line");
    add(12, CHATLOG_CHAT, 0, L"carol", L"third");
    logview_flush(view);
    ChatLog *log = logview_model(view);
    uint64_t first = chatlog_first_seq(log);
    /* From "line" of the first (after the name: 5 units) to "second" of
     * the second. */
    ChatLogPos a = {first, 5 + 6}, b = {first + 1, 2 + 6};
    chatlog_select(log, a, b);
    ck_assert(OpenClipboard(NULL) && EmptyClipboard() && CloseClipboard());
    SendMessageW(view, WM_COPY, 0, 0);
    wchar_t got[256];
    clipboard_text(got, 256);
    ck_assert_msg(wcscmp(got, L"line\r\n[00:00:11] me: second") == 0, "clipboard: '%s'",
                  u8(got));
    /* Select All (the Edit menu's EM_SETSEL 0, -1) and copy: every line. */
    SendMessageW(view, EM_SETSEL, 0, -1);
    DWORD from = 9, to = 0;
    SendMessageW(view, EM_GETSEL, (WPARAM)&from, (LPARAM)&to);
    ck_assert(to > from);
    logview_copy(view);
    clipboard_text(got, 256);
    ck_assert_msg(wcscmp(got, L"[00:00:10] alice: first line\r\n[00:00:11] me: second line\r\n"
                              L"[00:00:12] carol: third") == 0,
                  "clipboard: '%s'", u8(got));
}
END_TEST

START_TEST(test_logview_finds_case_insensitively_and_f3_moves_on)
{
    add(1, CHATLOG_CHAT, 0, L"alice", L"the Needle is here");
    add(2, CHATLOG_CHAT, 0, L"bob", L"no match");
    add(3, CHATLOG_CHAT, 0, L"carol", L"another NEEDLE");
    logview_flush(view);
    logview_find(view);
    pump();
    HWND edit = GetDlgItem(view, 1), count = GetDlgItem(view, 2);
    ck_assert(edit != NULL && count != NULL && IsWindowVisible(edit));
    ck_assert(GetFocus() == edit);
    SetWindowTextW(edit, L"needle");
    pump();
    wchar_t text[64];
    GetWindowTextW(count, text, 64);
    ck_assert_msg(wcscmp(text, L"2 matches") == 0, "count: '%s'", u8(text));
    ChatLog *log = logview_model(view);
    ChatLogPos a, b;
    ck_assert(chatlog_selection(log, &a, &b));
    uint64_t first = chatlog_first_seq(log);
    ck_assert_uint_eq(a.seq, first); /* the first hit, selected */
    ck_assert(logview_find_next(view, false));
    ck_assert(chatlog_selection(log, &a, &b));
    ck_assert_uint_eq(a.seq, first + 2);
    ck_assert(logview_find_next(view, false)); /* wraps around */
    ck_assert(chatlog_selection(log, &a, &b));
    ck_assert_uint_eq(a.seq, first);
    ck_assert(logview_find_next(view, true)); /* Shift+F3: back, wrapping */
    ck_assert(chatlog_selection(log, &a, &b));
    ck_assert_uint_eq(a.seq, first + 2);
    /* Esc in the bar closes it and gives the focus back to the log. */
    SendMessageW(edit, WM_KEYDOWN, VK_ESCAPE, 0);
    pump();
    ck_assert(!IsWindowVisible(edit));
    ck_assert(GetFocus() == view);
    ck_assert_uint_eq(chatlog_find_count(log), 0);
}
END_TEST

typedef struct RowAt {
    uint64_t seq;
    uint32_t row;
    int y;
} RowAt;

static bool find_row(void *ctx, uint64_t seq, uint32_t row, int y)
{
    RowAt *r = ctx;
    if (seq == r->seq && row == r->row) {
        r->y = y;
        return false;
    }
    return true;
}

static int row_y(uint64_t seq, uint32_t row)
{
    RowAt r = {seq, row, -1};
    RECT rc;
    GetClientRect(view, &rc);
    chatlog_visit_rows(logview_model(view), 0, rc.bottom, find_row, &r);
    return r.y;
}

/* A client point on the link of line seq's first row, found through the
 * model's own hit-testing. */
static bool point_on_link(uint64_t seq, POINT *pt)
{
    ChatLog *log = logview_model(view);
    RECT rc;
    GetClientRect(view, &rc);
    int y = row_y(seq, 0);
    if (y < 0)
        return false;
    for (int x = chatlog_text_x(log); x < rc.right; x += 2) {
        ChatLogPos pos;
        uint32_t from, to;
        if (chatlog_hit(log, x, y + 2, &pos) == CHATLOG_HIT_TEXT && pos.seq == seq &&
            chatlog_link_at(log, pos, &from, &to)) {
            pt->x = x + 4;
            pt->y = y + 2;
            return true;
        }
    }
    return false;
}

static void click(POINT pt)
{
    SendMessageW(view, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(pt.x, pt.y));
    SendMessageW(view, WM_LBUTTONUP, 0, MAKELPARAM(pt.x, pt.y));
    pump();
}

START_TEST(test_logview_a_link_click_reaches_the_opener_and_nothing_else_does)
{
    add(1, CHATLOG_CHAT, 0, L"alice", L"see https://example.org/a?b=1 now");
    add(2, CHATLOG_CHAT, 0, L"bob", L"and www.example.com.");
    add(3, CHATLOG_CHAT, 0, L"eve", L"file:///c:/windows/system32/calc.exe javascript:alert(1)");
    logview_flush(view);
    UpdateWindow(view);
    ChatLog *log = logview_model(view);
    uint64_t first = chatlog_first_seq(log);
    POINT pt;
    ck_assert(point_on_link(first, &pt));
    click(pt);
    ck_assert_int_eq(opened_n, 1);
    ck_assert_str_eq(opened[0], "https://example.org/a?b=1");
    ck_assert(point_on_link(first + 1, &pt));
    click(pt);
    ck_assert_int_eq(opened_n, 2);
    ck_assert_str_eq(opened[1], "http://www.example.com"); /* the full stop is not part of it */
    /* Nothing on eve's line is a link: clicks anywhere on it open nothing. */
    ck_assert(!point_on_link(first + 2, &pt));
    RECT rc;
    GetClientRect(view, &rc);
    int y = row_y(first + 2, 0);
    ck_assert(y >= 0);
    for (int x = 0; x < rc.right; x += 5) {
        POINT p = {x, y + 2};
        click(p);
    }
    ck_assert_int_eq(opened_n, 2);
    /* The keyboard: the caret in a link and Enter open it. */
    ChatLogPos in_link = {first, 5 + 6};
    chatlog_select(log, in_link, in_link);
    SetFocus(view);
    SendMessageW(view, WM_KEYDOWN, VK_RETURN, 0);
    pump();
    ck_assert_int_eq(opened_n, 3);
    ck_assert_str_eq(opened[2], "https://example.org/a?b=1");
}
END_TEST

START_TEST(test_logview_a_forged_line_stays_in_the_text_column)
{
    /* The hostile trial's case: spaces push "[12:00:00] alice: hi" to where
     * an EDIT control wrapped it to the left margin. */
    wchar_t text[400];
    int n = 0;
    for (; n < 300; n++)
        text[n] = L' ';
    wcscpy(text + n, L"[12:00:00] alice: you are fired");
    add(1, CHATLOG_CHAT, 0, L"mallory", text);
    logview_flush(view);
    UpdateWindow(view);
    ChatLog *log = logview_model(view);
    uint64_t seq = chatlog_first_seq(log);
    uint32_t rows = chatlog_rows(log, seq), from, to, forged_row = UINT32_MAX;
    ck_assert_uint_gt(rows, 1);
    const ChatLogLine *line = chatlog_line(log, seq);
    uint32_t at = line->name_len + 300; /* where the forged stamp starts */
    for (uint32_t r = 0; r < rows; r++) {
        ck_assert(chatlog_row_span(log, seq, r, &from, &to));
        if (at >= from && at < to)
            forged_row = r;
    }
    ck_assert_msg(forged_row >= 1 && forged_row < rows, "the forged text is on row %u of %u",
                  forged_row, rows);
    /* On the screen: that row's left margin and name column are the time
     * and name columns (nothing of the message), and its text starts at
     * the text column. */
    int y = row_y(seq, forged_row);
    ck_assert(y >= 0);
    ChatLogPos pos;
    ck_assert_int_eq(chatlog_hit(log, 1, y + 2, &pos), CHATLOG_HIT_TIME);
    ck_assert_int_eq(chatlog_hit(log, chatlog_text_x(log) - 2, y + 2, &pos), CHATLOG_HIT_NAME);
    ck_assert_int_gt(chatlog_text_x(log), chatlog_name_w(log));
    ck_assert(chatlog_row_span(log, seq, forged_row, &from, &to));
    ck_assert_int_eq(chatlog_hit(log, chatlog_text_x(log), y + 2, &pos), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(pos.off, from);
}
END_TEST

START_TEST(test_logview_is_read_by_a_screen_reader)
{
    add(1, CHATLOG_CHAT, 0, L"alice", L"can you hear me");
    logview_flush(view);
    long role = 0, state = 0;
    wchar_t nm[64];
    wchar_t *value = NULL;
    ck_assert(acc_read(view, &role, nm, 64, &value, &state));
    ck_assert_int_eq(role, 42); /* ROLE_SYSTEM_TEXT */
    ck_assert(wcscmp(nm, L"Chat log") == 0);
    ck_assert(value != NULL);
    ck_assert_msg(wcsstr(value, L"[00:00:01] alice: can you hear me") != NULL, "value: '%s'",
                  u8(value));
    free(value);
}
END_TEST

START_TEST(test_logview_keeps_the_newest_lines_of_its_scrollback)
{
    logview_set_max(view, 1000);
    wchar_t text[32];
    for (int i = 0; i < 1500; i++) {
        swprintf(text, 32, L"line %d", i);
        add(0, CHATLOG_CHAT, 0, L"bot", text);
        if (i % 100 == 99)
            logview_flush(view);
    }
    logview_flush(view);
    ChatLog *log = logview_model(view);
    ck_assert_uint_eq(chatlog_count(log), 1000);
    wchar_t *t = all_text();
    ck_assert(wcsncmp(t, L"[00:00:00] bot: line 500\r\n", 26) == 0);
    ck_assert(wcsstr(t, L"bot: line 1499\r\n") != NULL);
    ck_assert(wcsstr(t, L"bot: line 499\r\n") == NULL);
    free(t);
    ck_assert(chatlog_following(log)); /* at the bottom all along */
}
END_TEST

START_TEST(test_logview_paints_text_that_crashed_the_edit_control)
{
    /* U+02DC (and 0x98 read as ANSI) killed every client through the
     * comctl32 EDIT's Uniscribe path under Wine 8; the view draws with
     * plain GDI. Arabic, combining marks, emoji and a 64 KB line too. */
    static wchar_t big[65536 + 1];
    for (int i = 0; i < 65536; i++)
        big[i] = L'x';
    add(1, CHATLOG_CHAT, 0, L"bob", L"\x02DC");
    add(2, CHATLOG_CHAT, 0, L"bob", L"a\x02DC\x0303\x0303 \x0645\x0631\x062D\x0628\x0627 \xD83D\xDE00");
    add(3, CHATLOG_CHAT, 0, L"bob", L"\x0645\x0631\x062D\x0628\x0627 \x0628\x0627\x0644\x0639\x0627\x0644\x0645 hello");
    logview_flush(view);
    UpdateWindow(view);
    add(3, CHATLOG_CHAT, 0, L"bob", big);
    logview_flush(view);
    ChatLog *log = logview_model(view);
    chatlog_scroll_home(log);
    InvalidateRect(view, NULL, FALSE);
    UpdateWindow(view);
    chatlog_scroll_end(log);
    InvalidateRect(view, NULL, FALSE);
    UpdateWindow(view);
    pump();
    ck_assert(IsWindow(view));
    ck_assert_uint_eq(chatlog_count(log), 4);
    /* The 64 KB line is there whole, wrapped. */
    const ChatLogLine *line = chatlog_line(log, chatlog_last_seq(log));
    ck_assert_uint_eq(line->len - line->name_len, 65536);
    ck_assert_uint_gt(chatlog_rows(log, line->seq), 50);
}
END_TEST

START_TEST(test_logview_the_unread_marker_waits_where_the_unread_lines_begin)
{
    ChatLog *log = logview_model(view);
    add(1, CHATLOG_CHAT, 0, L"alice", L"read while here");
    logview_flush(view);
    ck_assert_uint_eq(chatlog_marker(log), 0);
    logview_set_background(view, true); /* the window went to the background */
    add(2, CHATLOG_CHAT, 0, L"bob", L"first unread");
    add(3, CHATLOG_CHAT, 0, L"bob", L"second unread");
    logview_flush(view);
    uint64_t first_unread = chatlog_first_seq(log) + 1;
    ck_assert_uint_eq(chatlog_marker(log), first_unread);
    /* Back: the marker stays (you see what you missed), the view did not
     * move, and lines now are read as they come. */
    ChatLogTop before = chatlog_top(log);
    logview_set_background(view, false);
    add(4, CHATLOG_CHAT, 0, L"bob", L"read at once");
    logview_flush(view);
    ck_assert_uint_eq(chatlog_marker(log), first_unread);
    ck_assert_uint_eq(chatlog_top(log).seq, before.seq);
    /* Away again: it moves to the next unread line. */
    logview_set_background(view, true);
    add(5, CHATLOG_CHAT, 0, L"bob", L"unread again");
    logview_flush(view);
    ck_assert_uint_eq(chatlog_marker(log), chatlog_last_seq(log));
}
END_TEST

/* Tab or F6 into the log puts the caret where the reader is, so Page Up
 * goes up a page from there, not from line 1. */
START_TEST(test_logview_entering_the_log_puts_the_caret_in_view)
{
    wchar_t text[32];
    for (int i = 0; i < 300; i++) {
        swprintf(text, 32, L"line %d", i);
        add(0, CHATLOG_CHAT, 0, L"bot", text);
    }
    logview_flush(view);
    UpdateWindow(view);
    ChatLog *log = logview_model(view);
    SetFocus(NULL);
    SetFocus(view);
    pump();
    uint64_t first = 0, last = 0;
    chatlog_lines_in_view(log, &first, &last);
    ChatLogPos c = chatlog_caret(log);
    ck_assert_msg(c.seq >= first && c.seq <= last, "caret on line %llu, view %llu..%llu",
                  (unsigned long long)c.seq, (unsigned long long)first,
                  (unsigned long long)last);
    SendMessageW(view, WM_KEYDOWN, VK_PRIOR, 0);
    pump();
    ck_assert_uint_gt(chatlog_top_index(log), 200); /* a page up from the end */
}
END_TEST

/* The hostile review's cases: a release opens only the link that was
 * pressed, a right-to-left line has no clickable links (drawn in GDI's
 * order, it would send a click on one link to another), Enter held down
 * opens once, and an upper-case scheme opens. */
START_TEST(test_logview_a_click_opens_only_the_link_pressed)
{
    for (int i = 0; i < 30; i++) {
        wchar_t text[64];
        swprintf(text, 64, L"http://example.org/%02d", i);
        add(0, CHATLOG_CHAT, 0, L"bot", text);
    }
    logview_flush(view);
    UpdateWindow(view);
    ChatLog *log = logview_model(view);
    uint64_t last = chatlog_last_seq(log);
    POINT pt;
    ck_assert(point_on_link(last, &pt));
    /* Pressed on the last line's link; lines arrive and scroll another
     * link under the mouse; the release opens nothing. */
    SendMessageW(view, WM_LBUTTONDOWN, MK_LBUTTON, MAKELPARAM(pt.x, pt.y));
    for (int i = 0; i < 5; i++)
        add(0, CHATLOG_CHAT, 0, L"evil", L"http://evil.example/x");
    logview_flush(view);
    UpdateWindow(view);
    SendMessageW(view, WM_LBUTTONUP, 0, MAKELPARAM(pt.x, pt.y));
    pump();
    ck_assert_int_eq(opened_n, 0);
    /* Right-to-left: nothing there is a link to the mouse or the keyboard. */
    add(0, CHATLOG_CHAT, 0, L"bob",
        L"\x0628 http://good.example/aa http://evil.example/bb");
    logview_flush(view);
    UpdateWindow(view);
    /* (the model finds links in the text; the view's click does not
     * open them on this line) */
    ck_assert(point_on_link(chatlog_last_seq(log), &pt));
    click(pt);
    ck_assert_int_eq(opened_n, 0);
    ChatLogPos in = {chatlog_last_seq(log), 3 + 5};
    chatlog_select(log, in, in);
    SetFocus(view);
    SendMessageW(view, WM_KEYDOWN, VK_RETURN, 0);
    pump();
    ck_assert_int_eq(opened_n, 0);
    /* Enter held down: the first press opens, the repeats do not. */
    add(0, CHATLOG_CHAT, 0, L"bob", L"HTTPS://EXAMPLE.ORG/Up");
    logview_flush(view);
    ChatLogPos up = {chatlog_last_seq(log), 3 + 2};
    chatlog_select(log, up, up);
    SendMessageW(view, WM_KEYDOWN, VK_RETURN, 1);
    for (int i = 0; i < 5; i++)
        SendMessageW(view, WM_KEYDOWN, VK_RETURN, 1 | 0x40000000);
    pump();
    ck_assert_int_eq(opened_n, 1);
    ck_assert_str_eq(opened[0], "https://EXAMPLE.ORG/Up");
}
END_TEST

/* One line of 64 KB of link candidates ("(http://" over and over) was
 * looked through once per candidate: a paint took 41 s and each mouse
 * move 1.3 s. Painted, hovered and clicked here; the suite's timeout is
 * the bound. */
START_TEST(test_logview_a_line_of_link_candidates_paints_at_once)
{
    static wchar_t big[65536 + 1];
    for (int i = 0; i < 65536; i++)
        big[i] = L"(http://"[i % 8];
    add(1, CHATLOG_CHAT, 0, L"mallory", big);
    logview_flush(view);
    ChatLog *log = logview_model(view);
    chatlog_scroll_home(log);
    for (int i = 0; i < 5; i++) {
        InvalidateRect(view, NULL, FALSE);
        UpdateWindow(view);
        SendMessageW(view, WM_MOUSEMOVE, 0, MAKELPARAM(200 + i, 40));
        SendMessageW(view, WM_SETCURSOR, (WPARAM)view, MAKELPARAM(HTCLIENT, WM_MOUSEMOVE));
        chatlog_scroll_rows(log, 3);
    }
    POINT pt;
    ck_assert(!point_on_link(chatlog_last_seq(log), &pt));
    ck_assert_int_eq(opened_n, 0);
}
END_TEST

/* The colour of the view's background, printed (WM_PRINTCLIENT) into a
 * bitmap of our own. */
static COLORREF printed_background(void)
{
    RECT rc;
    GetClientRect(view, &rc);
    HDC screen = GetDC(NULL);
    HDC dc = CreateCompatibleDC(screen);
    HBITMAP bmp = CreateCompatibleBitmap(screen, rc.right, rc.bottom);
    HGDIOBJ old = SelectObject(dc, bmp);
    SendMessageW(view, WM_PRINTCLIENT, (WPARAM)dc, PRF_CLIENT);
    COLORREF c = GetPixel(dc, rc.right - 3, rc.bottom - 3);
    SelectObject(dc, old);
    DeleteObject(bmp);
    DeleteDC(dc);
    ReleaseDC(NULL, screen);
    return c;
}

static COLORREF colorref(uint32_t rgb)
{
    return RGB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
}

/* The theme reaches the pixels, and WM_PRINTCLIENT prints them (High
 * Contrast cannot be turned on here: Wine 8's SPI_GETHIGHCONTRAST is a
 * stub that always says off). */
START_TEST(test_logview_prints_in_the_theme_colours)
{
    add(1, CHATLOG_CHAT, 0, L"alice", L"a line");
    logview_flush(view);
    logview_set_theme(view, true);
    ck_assert_uint_eq(printed_background(), colorref(theme_colors(true)->back));
    logview_set_theme(view, false);
    ck_assert_uint_eq(printed_background(), colorref(theme_colors(false)->back));
    ck_assert(theme_colors(true)->back != theme_colors(false)->back);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("logview");
    TCase *tc = tcase_create("view");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_logview_answers_wm_gettext_with_plain_lines);
    tcase_add_test(tc, test_logview_copies_the_selection_through_the_clipboard);
    tcase_add_test(tc, test_logview_finds_case_insensitively_and_f3_moves_on);
    tcase_add_test(tc, test_logview_a_link_click_reaches_the_opener_and_nothing_else_does);
    tcase_add_test(tc, test_logview_a_forged_line_stays_in_the_text_column);
    tcase_add_test(tc, test_logview_is_read_by_a_screen_reader);
    tcase_add_test(tc, test_logview_keeps_the_newest_lines_of_its_scrollback);
    tcase_add_test(tc, test_logview_paints_text_that_crashed_the_edit_control);
    tcase_add_test(tc, test_logview_the_unread_marker_waits_where_the_unread_lines_begin);
    tcase_add_test(tc, test_logview_entering_the_log_puts_the_caret_in_view);
    tcase_add_test(tc, test_logview_a_click_opens_only_the_link_pressed);
    tcase_add_test(tc, test_logview_a_line_of_link_candidates_paints_at_once);
    tcase_add_test(tc, test_logview_prints_in_the_theme_colours);
    suite_add_tcase(s, tc);
    return s;
}
