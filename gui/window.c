/* window.c: the chat client's main window (see window.h). The window
 * procedure only dispatches; each message has a small handler. */
#include "gui/window.h"

#include <commctrl.h>
#include <commdlg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "gui/about.h"
#include "gui/appearance.h"
#include "gui/connect_dlg.h"
#include "gui/convo.h"
#include "gui/graph.h"
#include "gui/logview.h"
#include "gui/shmpoll.h"
#include "shm/presence.h"
#include "gui/text.h"
#include "resources/resource.h"
#include "win/clock.h"

#define CLASS_NAME L"Win32ChatClient"
#define TIMER_POLL 1
#define TIMER_NAME_TAKEN 2 /* the name question waits for a modal box to close */
/* The read-only, selectable, word-wrapped text panes. */

/* Layout in 96-DPI units, scaled at run time. */
enum {
    MARGIN = 8,
    GAP = 4,
    PANE_HEIGHT = 68,
    BUTTON_WIDTH = 80,
    COUNTER_WIDTH = 120,
    GRAPH_WIDTH = 90,
    PEOPLE_WIDTH = 150,
    MIN_WIDTH = 380,
    MIN_HEIGHT = 320,
};

typedef struct ChatWindow {
    HWND hwnd;
    HWND count, message_caption, message, log_caption, log, people_caption, people, input,
        counter, send, status;
    unsigned long people_changes; /* the roster's change count shown */
    unsigned long long people_filled_ms; /* when the list was last refilled */
    int people_state;             /* what the caption says: see show_people */
    StatusBar bar;   /* the status bar's texts and parts */
    ChatStats *stats; /* the creator's, handed down to shmpoll and convo */
    HFONT font;
    HFONT log_font;  /* View > Font...'s, or NULL: the chat log uses font */
    bool dark;       /* the theme resolved */
    HBRUSH back;     /* the panels' background in the dark theme */
    UINT dpi;
    HACCEL accel;
    ClientOptions opt;
    Settings settings;
    ShmPoll poll;
    ViewTexts shown; /* what the controls show now */
    Convo convo;     /* the send box, the chat log and the connection */
    Graph graph;     /* people and messages over 10 minutes, in the status bar */
    ViewState server_view; /* the state as the connection tells it */
    char checked_instance[PROTO_INSTANCE_HEX + 1]; /* asked of this machine */
    bool instance_here;    /* ...and its answer */
    unsigned target_gen;   /* counts the servers and names chosen */
    bool target_elsewhere; /* the chosen server said its state is not this
                              machine's segment */
    int graph_source;      /* where the graph's past came from */
    HWND last_focus; /* the control to give the focus back to */
    BOOL created;    /* WM_CREATE succeeded: there is something to close */
    UINT poll_ms;    /* the poll timer's period now (0: not set) */
    BOOL unseen;     /* minimized or hidden at the last look */
} ChatWindow;

/* --- DPI and fonts ------------------------------------------------------ */

typedef UINT(WINAPI *GetDpiForWindowFn)(HWND);
typedef BOOL(WINAPI *SpiForDpiFn)(UINT, UINT, PVOID, UINT, UINT);

/* Per-Monitor V2 APIs exist from Windows 10 1607 on: looked up at run time so
 * the program still starts on older systems. */
static FARPROC user32_proc(const char *name)
{
    return GetProcAddress(GetModuleHandleW(L"user32.dll"), name);
}

/* Nobody sees a minimized or hidden window: it reads the segment at most
 * once a second then, on a timer Windows may shift by half a second to
 * wake the processor once for several (SetCoalescableTimer, Windows 8 on,
 * looked up at run time). Seen again, it reads at once, so the label is
 * never stale on screen. The connection, the log and the taskbar flash do
 * not depend on this timer. */
#define POLL_UNSEEN_MS 1000
#define POLL_UNSEEN_TOLERANCE_MS 500

typedef UINT_PTR(WINAPI *SetCoalescableTimerFn)(HWND, UINT_PTR, UINT, TIMERPROC, ULONG);

static void on_timer(ChatWindow *w);

static void set_poll_timer(ChatWindow *w)
{
    bool unseen = IsIconic(w->hwnd) || !IsWindowVisible(w->hwnd);
    bool seen_again = w->unseen && !unseen;
    w->unseen = unseen;
    UINT ms = w->opt.interval_ms;
    if (unseen && ms < POLL_UNSEEN_MS)
        ms = POLL_UNSEEN_MS;
    if (seen_again)
        on_timer(w);
    if (ms == w->poll_ms)
        return;
    static SetCoalescableTimerFn coalescable;
    static bool looked;
    if (!looked) {
        coalescable =
            (SetCoalescableTimerFn)(void (*)(void))user32_proc("SetCoalescableTimer");
        looked = true;
    }
    if (unseen && coalescable)
        coalescable(w->hwnd, TIMER_POLL, ms, NULL, POLL_UNSEEN_TOLERANCE_MS);
    else
        SetTimer(w->hwnd, TIMER_POLL, ms, NULL);
    w->poll_ms = ms;
}

static UINT window_dpi(HWND hwnd)
{
    GetDpiForWindowFn get = (GetDpiForWindowFn)(void (*)(void))user32_proc("GetDpiForWindow");
    if (get) {
        UINT dpi = get(hwnd);
        if (dpi)
            return dpi;
    }
    HDC dc = GetDC(hwnd);
    UINT dpi = (UINT)GetDeviceCaps(dc, LOGPIXELSY);
    ReleaseDC(hwnd, dc);
    return dpi ? dpi : 96;
}

static int scale(const ChatWindow *w, int v)
{
    return MulDiv(v, (int)w->dpi, 96);
}

/* The system's message font at the window's DPI. */
static HFONT message_font(UINT dpi)
{
    NONCLIENTMETRICSW ncm;
    SpiForDpiFn spi = (SpiForDpiFn)(void (*)(void))user32_proc("SystemParametersInfoForDpi");

    memset(&ncm, 0, sizeof ncm);
    ncm.cbSize = sizeof ncm;
    if (spi && spi(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0, dpi)) {
        return CreateFontIndirectW(&ncm.lfMessageFont);
    }
    if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0)) {
        HDC dc = GetDC(NULL);
        int sys = GetDeviceCaps(dc, LOGPIXELSY);
        ReleaseDC(NULL, dc);
        ncm.lfMessageFont.lfHeight = MulDiv(ncm.lfMessageFont.lfHeight, (int)dpi, sys);
        return CreateFontIndirectW(&ncm.lfMessageFont);
    }
    return NULL;
}

static void apply_font(ChatWindow *w)
{
    HFONT old = w->font;
    HFONT old_log = w->log_font;
    HWND kids[] = {w->count,  w->message_caption, w->message, w->log_caption,
                   w->people_caption,  w->people,  w->input,
                   w->counter, w->send,           w->status};

    w->font = message_font(w->dpi);
    for (size_t i = 0; i < sizeof kids / sizeof kids[0]; i++)
        SendMessageW(kids[i], WM_SETFONT, (WPARAM)w->font, FALSE);
    /* The chat log: the font chosen in View > Font..., at this DPI. */
    w->log_font = appearance_log_font(&w->settings, w->dpi);
    SendMessageW(w->log, WM_SETFONT, (WPARAM)(w->log_font ? w->log_font : w->font), TRUE);
    if (old)
        DeleteObject(old);
    if (old_log)
        DeleteObject(old_log);
}

/* Height of one line of text in the current font, plus a little air. */
static int line_height(ChatWindow *w)
{
    TEXTMETRICW tm;
    HDC dc = GetDC(w->hwnd);
    HGDIOBJ old = SelectObject(dc, w->font);
    GetTextMetricsW(dc, &tm);
    SelectObject(dc, old);
    ReleaseDC(w->hwnd, dc);
    return tm.tmHeight + scale(w, 2);
}

/* A theme colour (0xRRGGBB) as GDI takes it. */
static COLORREF colorref(uint32_t c)
{
    return RGB((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
}

/* The theme: the chat log's colours, and in the dark theme the panels'
 * and the title bar's too (the light theme keeps Windows' own). */
static void apply_theme(ChatWindow *w)
{
    w->dark = appearance_is_dark(w->settings.theme);
    logview_set_theme(w->log, w->dark);
    logview_set_theme(w->message, w->dark);
    if (w->back)
        DeleteObject(w->back);
    w->back = w->dark ? CreateSolidBrush(colorref(theme_colors(true)->back)) : NULL;
    appearance_title_bar(w->hwnd, w->dark);
    RedrawWindow(w->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_ALLCHILDREN | RDW_FRAME);
}

/* --- layout --------------------------------------------------------------- */

static void layout(ChatWindow *w)
{
    RECT rc, sb;
    GetClientRect(w->hwnd, &rc);
    SendMessageW(w->status, WM_SIZE, 0, 0);
    GetWindowRect(w->status, &sb);

    int m = scale(w, MARGIN), gap = scale(w, GAP), lh = line_height(w);
    int width = rc.right - 2 * m;
    int input_h = lh + scale(w, 8);
    int bottom = rc.bottom - (sb.bottom - sb.top) - m;
    int y = m;

    if (w->bar.hwnd)
        statusbar_layout(&w->bar);

    HDWP dw = BeginDeferWindowPos(11);
    dw = DeferWindowPos(dw, w->count, NULL, m, y, width, lh, SWP_NOZORDER);
    y += lh + 2 * gap;
    dw = DeferWindowPos(dw, w->message_caption, NULL, m, y, width, lh, SWP_NOZORDER);
    y += lh + gap;
    dw = DeferWindowPos(dw, w->message, NULL, m, y, width, scale(w, PANE_HEIGHT), SWP_NOZORDER);
    y += scale(w, PANE_HEIGHT) + 2 * gap;
    /* The people beside the log, when shown. */
    int pw = w->settings.people_hidden ? 0 : scale(w, PEOPLE_WIDTH);
    int log_w = pw ? width - pw - gap : width;
    dw = DeferWindowPos(dw, w->log_caption, NULL, m, y, log_w, lh, SWP_NOZORDER);
    dw = DeferWindowPos(dw, w->people_caption, NULL, m + width - pw, y, pw, lh, SWP_NOZORDER);
    y += lh + gap;
    int input_y = bottom - input_h;
    int log_h = input_y - gap - y;
    dw = DeferWindowPos(dw, w->log, NULL, m, y, log_w, log_h > 0 ? log_h : 0, SWP_NOZORDER);
    dw = DeferWindowPos(dw, w->people, NULL, m + width - pw, y, pw, log_h > 0 ? log_h : 0,
                        SWP_NOZORDER);
    int bw = scale(w, BUTTON_WIDTH);
    int cw = IsWindowVisible(w->counter) ? scale(w, COUNTER_WIDTH) + gap : 0;
    dw = DeferWindowPos(dw, w->input, NULL, m, input_y, width - bw - gap - cw, input_h,
                        SWP_NOZORDER);
    dw = DeferWindowPos(dw, w->counter, NULL, m + width - bw - cw, input_y + (input_h - lh) / 2,
                        cw > gap ? cw - gap : 0, lh, SWP_NOZORDER);
    dw = DeferWindowPos(dw, w->send, NULL, m + width - bw, input_y, bw, input_h, SWP_NOZORDER);
    EndDeferWindowPos(dw);
    /* A moved button is not always repainted where it lands (under Wine it
     * stayed blank until the mouse passed over it): all of them, now. */
    RedrawWindow(w->hwnd, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_ALLCHILDREN | RDW_FRAME);
}

/* --- showing the shared state ------------------------------------------------ */

static void set_text_utf8(ChatWindow *w, HWND ctl, const char *utf8)
{
    wchar_t wide[SHM_MESSAGE_SIZE + 64];
    text_utf8_to_wide(utf8, wide, sizeof wide / sizeof wide[0]);
    SetWindowTextW(ctl, wide);
    w->stats->set_text++;
}

static HWND child(ChatWindow *w, const wchar_t *cls, const wchar_t *text, DWORD style,
                  DWORD ex, int id)
{
    return CreateWindowExW(ex, cls, text, WS_CHILD | WS_VISIBLE | style, 0, 0, 0, 0, w->hwnd,
                           (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
}

/* --- keyboard ----------------------------------------------------------------- */

/* The window is not a dialog, so the dialog manager's WM_NEXTDLGCTL (a
 * label's mnemonic, and on Windows Tab too) is answered here, as a dialog
 * answers it: lParam true, wParam is the control; otherwise the next
 * (wParam 0) or previous tab stop after the focus. */
static void on_next_control(ChatWindow *w, WPARAM wp, LPARAM lp)
{
    HWND to;
    if (LOWORD(lp))
        to = (HWND)wp;
    else
        to = GetNextDlgTabItem(w->hwnd, GetFocus(), wp != 0);
    if (to == NULL || !IsChild(w->hwnd, to) || !IsWindowEnabled(to) || !IsWindowVisible(to))
        return;
    if (SendMessageW(to, WM_GETDLGCODE, 0, 0) & DLGC_HASSETSEL)
        SendMessageW(to, EM_SETSEL, 0, -1); /* as a dialog does: the text selected */
    SetFocus(to);
}

/* Esc in the send box clears the draft (Ctrl+Z brings it back). */
static void clear_draft(ChatWindow *w)
{
    if (GetWindowTextLengthW(w->input) > 0) {
        SendMessageW(w->input, EM_SETSEL, 0, -1);
        SendMessageW(w->input, EM_REPLACESEL, TRUE, (LPARAM)L"");
    }
}

/* Put after a message that fills the whole field (what a screen reader
 * reads too): the text went on past 1023 bytes, or the writer left no end. */
#define CUT_MARK L" [\x2026 may be cut: the shared field holds 1023 bytes]"

static void show_message(ChatWindow *w, const char *bytes, bool cut)
{
    wchar_t wide[SHM_MESSAGE_SIZE + 1 + sizeof CUT_MARK / sizeof(wchar_t)];
    size_t n = text_bytes_to_wide(bytes, strlen(bytes), wide, SHM_MESSAGE_SIZE + 1);
    text_show_controls(wide, n); /* a hostile writer's line breaks and escapes */
    if (cut)
        wcscpy(wide + n, CUT_MARK);
    /* The pane lays a right-to-left message out from the right edge. */
    SetWindowTextW(w->message, wide);
    w->stats->message_us = win_clock_us();
    w->stats->set_text++;
}

/* Updates only the controls whose text changed: a tick that finds the same
 * state as the last one touches no control at all. */
static void show_view(ChatWindow *w, const ViewState *view, BOOL force)
{
    ViewTexts now;
    view_texts(view, &now);
    ViewChanges c = view_texts_diff(&w->shown, &now);

    if (force || c.label)
        set_text_utf8(w, w->count, now.label);
    if (force || c.message)
        show_message(w, now.message, now.message_cut);
    /* Where the state comes from, in the status bar; nothing while there is
     * no server at all (the label says so). */
    if (statusbar_set(&w->bar, STATUS_SHARED, view->link == VIEW_WAITING ? "" : now.status))
        w->stats->set_text++;
    w->shown = now;
}

/* Whether this machine's segment is the state of the server the window is
 * connected to: the server said where its shared memory is and which
 * instance it is, and that instance's object exists here (asked once per
 * instance: a wineserver round trip is not for every tick). A server that
 * says nothing (the original) is taken to be the segment's when it is on
 * this machine's loopback address and the segment is alive. */
static bool segment_is_servers(ChatWindow *w)
{
    const Roster *r = &w->convo.roster;
    if (!r->have_shm)
        return client_host_is_loopback(w->opt.host) && w->poll.view.link != VIEW_WAITING &&
               w->poll.view.link != VIEW_ERROR;
    if (strcmp(r->instance, w->checked_instance) != 0) {
        snprintf(w->checked_instance, sizeof w->checked_instance, "%s", r->instance);
        w->instance_here = strcmp(r->shm_name, w->opt.shm_name) == 0 &&
                           presence_is_instance(r->shm_name, r->instance);
    }
    w->target_elsewhere = !w->instance_here;
    return w->instance_here;
}

/* What the label, pane and status describe: never another server's state.
 * This machine's segment when it is the connected server's
 * (segment_is_servers), or, not connected, when nothing says the chosen
 * server's state is elsewhere (disconnected, or a loopback server not
 * reachable yet); the connection's account once the server's welcome
 * came; while it is on its way, or while not connected to a server
 * elsewhere, nothing ("asking the server", "not connected"). */
static const ViewState *current_view(ChatWindow *w)
{
    const Roster *r = &w->convo.roster;
    NetState st = convo_net_state(&w->convo);
    if (st != NET_CONNECTED) {
        /* The server chosen said its state is not this machine's segment:
         * not shown as its state while it cannot be reached either. */
        if (st == NET_OFF ? !w->target_elsewhere
                          : client_host_is_loopback(w->opt.host) && !w->target_elsewhere)
            return &w->poll.view;
        view_unknown(&w->server_view, VIEW_ELSEWHERE);
    } else if (r->phase != ROSTER_LIVE &&
               GetTickCount64() - w->convo.session_started_ms < 2000) {
        view_unknown(&w->server_view, VIEW_SERVER_PENDING);
    } else if (segment_is_servers(w)) {
        return &w->poll.view;
    } else {
        view_from_server(&w->server_view, roster_count(r), r->last);
    }
    return &w->server_view;
}

/* --- people ----------------------------------------------------------------- */

#define OWN_MARK L" (you)"

static int compare_names(const void *a, const void *b)
{
    int c = CompareStringW(LOCALE_USER_DEFAULT, NORM_IGNORECASE, *(const wchar_t *const *)a, -1,
                           *(const wchar_t *const *)b, -1);
    return c - CSTR_EQUAL;
}

/* The list of who is in the chat, from the connection (core/roster.h). A
 * server that sends no roster gives the people seen joining since: the
 * caption says so. Refilled when the roster changed, at most once a second
 * (a chat of thousands with people coming and going must not keep the UI
 * thread filling lists), sorted here and appended in one go (a sorted list
 * box inserting one by one is quadratic), the selection and the scroll
 * position kept. */
static void show_people(ChatWindow *w)
{
    const Roster *r = &w->convo.roster;
    bool on = convo_net_state(&w->convo) == NET_CONNECTED;
    int state = !on ? 0 : roster_count(r) >= 0 ? 1 : 2;
    unsigned long changes = on ? r->changes : (unsigned long)-1;
    unsigned long long now = GetTickCount64();
    if (changes == w->people_changes && state == w->people_state)
        return;
    if (on && state == w->people_state && now - w->people_filled_ms < 1000)
        return; /* again on a later tick */
    w->people_changes = changes;
    w->people_state = state;
    w->people_filled_ms = now;

    wchar_t selected[PROTO_NAME_BUF + 16] = L"";
    int sel = (int)SendMessageW(w->people, LB_GETCURSEL, 0, 0);
    if (sel >= 0 && SendMessageW(w->people, LB_GETTEXTLEN, sel, 0) < PROTO_NAME_BUF + 16)
        SendMessageW(w->people, LB_GETTEXT, sel, (LPARAM)selected);
    int top = (int)SendMessageW(w->people, LB_GETTOPINDEX, 0, 0);

    int n = on ? r->count : 0;
    wchar_t (*names)[PROTO_NAME_BUF + 8] = n ? malloc((size_t)n * sizeof *names) : NULL;
    wchar_t **order = n ? malloc((size_t)n * sizeof *order) : NULL;
    if (n && (!names || !order))
        n = 0;
    for (int i = 0; i < n; i++) {
        size_t len = text_utf8_to_wide(r->names[i], names[i], PROTO_NAME_BUF);
        text_show_controls(names[i], len); /* as the log shows them */
        if (strcmp(r->names[i], r->own) == 0)
            wcscpy(names[i] + len, OWN_MARK);
        order[i] = names[i];
    }
    qsort(order, (size_t)n, sizeof *order, compare_names);
    SendMessageW(w->people, WM_SETREDRAW, FALSE, 0);
    SendMessageW(w->people, LB_RESETCONTENT, 0, 0);
    SendMessageW(w->people, LB_INITSTORAGE, (WPARAM)n, (LPARAM)n * 16);
    for (int i = 0; i < n; i++)
        SendMessageW(w->people, LB_ADDSTRING, 0, (LPARAM)order[i]);
    free(order);
    free(names);
    if (selected[0]) {
        int at = (int)SendMessageW(w->people, LB_FINDSTRINGEXACT, (WPARAM)-1, (LPARAM)selected);
        if (at >= 0)
            SendMessageW(w->people, LB_SETCURSEL, at, 0);
    }
    SendMessageW(w->people, LB_SETTOPINDEX, top, 0);
    SendMessageW(w->people, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(w->people, NULL, TRUE);
    wchar_t caption[80];
    if (state == 1)
        swprintf(caption, 80, L"&People (%d)", r->count);
    else if (state == 2)
        swprintf(caption, 80, L"&People seen joining (%d)", r->count);
    else
        wcscpy(caption, L"&People");
    SetWindowTextW(w->people_caption, caption);
}

/* View > People: the column shown or not (kept in the settings). */
static void show_people_column(ChatWindow *w)
{
    int show = w->settings.people_hidden ? SW_HIDE : SW_SHOWNA;
    ShowWindow(w->people_caption, show);
    ShowWindow(w->people, show);
}

/* Enter or a double-click on a name: it goes into the send box, at the
 * caret, and the focus with it. */
static void people_pick(ChatWindow *w)
{
    int i = (int)SendMessageW(w->people, LB_GETCURSEL, 0, 0);
    wchar_t name[PROTO_NAME_BUF + 32];
    if (i < 0 || SendMessageW(w->people, LB_GETTEXTLEN, i, 0) >= PROTO_NAME_BUF + 16)
        return;
    SendMessageW(w->people, LB_GETTEXT, i, (LPARAM)name);
    size_t n = wcslen(name), mark = wcslen(OWN_MARK);
    if (n > mark && wcscmp(name + n - mark, OWN_MARK) == 0)
        name[n - mark] = 0;
    wcscat(name, L" ");
    SendMessageW(w->input, EM_REPLACESEL, TRUE, (LPARAM)name);
    SetFocus(w->input);
}

static void show_current(ChatWindow *w, BOOL force)
{
    const ViewState *v = current_view(w);
    show_view(w, v, force);
    /* The graph's past is one server's: it starts over when the state
     * comes from elsewhere (the segment, the connection) or from another
     * server. */
    int source = (v == &w->poll.view ? 1 : 2) + 2 * (int)(w->target_gen & 0xFFFF);
    if (source != w->graph_source) {
        w->graph_source = source;
        graph_reset(&w->graph, GetTickCount64());
    }
    bool counted = v->have_data && v->link != VIEW_SERVER_NO_COUNT &&
                   view_count_plausible(v->count);
    graph_update(&w->graph, GetTickCount64(), counted ? v->count : -1, w->convo.chat_lines);
    show_people(w);
}

static void on_timer(ChatWindow *w)
{
    ViewLink was = w->poll.view.link;
    w->stats->ticks++;
    shmpoll_tick(&w->poll, GetTickCount64());
    show_current(w, FALSE);
    /* The server on this machine came (back) to life: a window waiting to
     * reconnect to it tries now instead of waiting out its backoff. */
    if (was == VIEW_WAITING && w->poll.view.link == VIEW_LIVE &&
        convo_net_state(&w->convo) == NET_WAITING && client_host_is_loopback(w->opt.host)) {
        w->stats->early_retries++;
        convo_retry_now(&w->convo);
    }
}

/* --- creation ------------------------------------------------------------- */

static void set_title(ChatWindow *w)
{
    char title[600];
    wchar_t wide[600], now[600];
    ConnFacts f;
    net_facts(&w->convo.net, &f);
    f.user = w->opt.user;
    f.host = w->opt.host;
    f.port = w->opt.port;
    conn_title(&f, title, sizeof title);
    text_utf8_to_wide(title, wide, 600);
    GetWindowTextW(w->hwnd, now, 600);
    if (wcscmp(now, wide) != 0)
        SetWindowTextW(w->hwnd, wide);
}

/* The conversation's connection changed: the title and the shared part of
 * the status bar follow. */
static void on_convo_changed(void *ctx)
{
    ChatWindow *w = ctx;
    set_title(w);
    show_current(w, FALSE);
}

static BOOL on_create(ChatWindow *w)
{

    w->dpi = window_dpi(w->hwnd);
    /* Creation order is the Tab order; a caption's mnemonic focuses the
     * control after it. */
    w->count = child(w, L"STATIC", L"", SS_LEFT | SS_NOPREFIX, 0, IDC_COUNT);
    w->message_caption = child(w, L"STATIC", L"&Last message", SS_LEFT, 0, IDC_MESSAGE_CAPTION);
    /* The pane is a chat view of one message (LVS_PLAIN): an EDIT control
     * here died with the whole client on one line "˜" under Wine 8 (its
     * Uniscribe path); the view draws with plain GDI. */
    w->message = child(w, LOGVIEW_CLASS, L"Last message", WS_TABSTOP | WS_VSCROLL | LVS_PLAIN,
                       WS_EX_CLIENTEDGE, IDC_MESSAGE);
    w->log_caption = child(w, L"STATIC", L"Chat l&og", SS_LEFT, 0, IDC_LOG_CAPTION);
    /* The chat view: custom-drawn (gui/logview.h). Not a control parent:
     * Tab stops on the log itself; its find bar is reached with Ctrl+F and
     * left with Esc. */
    w->log = child(w, LOGVIEW_CLASS, L"Chat log", WS_TABSTOP | WS_VSCROLL, WS_EX_CLIENTEDGE,
                   IDC_LOG);
    w->people_caption = child(w, L"STATIC", L"&People", SS_LEFT, 0, IDC_PEOPLE_CAPTION);
    w->people = child(w, L"LISTBOX", L"",
                      WS_TABSTOP | WS_VSCROLL | LBS_NOTIFY | LBS_NOINTEGRALHEIGHT |
                          LBS_HASSTRINGS,
                      WS_EX_CLIENTEDGE, IDC_PEOPLE);
    show_people_column(w);
    w->input = child(w, L"EDIT", L"", WS_TABSTOP | ES_AUTOHSCROLL, WS_EX_CLIENTEDGE, IDC_INPUT);
    w->counter = child(w, L"STATIC", L"", SS_RIGHT | SS_NOPREFIX, 0, IDC_COUNTER);
    ShowWindow(w->counter, SW_HIDE);
    w->send = child(w, L"BUTTON", L"&Send", WS_TABSTOP | BS_DEFPUSHBUTTON | WS_DISABLED, 0,
                    IDC_SEND);
    w->status = child(w, STATUSCLASSNAMEW, L"", SBARS_SIZEGRIP | SBARS_TOOLTIPS, 0, IDC_STATUS);
    if (!w->count || !w->message || !w->log || !w->people || !w->input || !w->counter ||
        !w->send || !w->status)
        return FALSE;

    apply_font(w);
    logview_set_max(w->log, w->settings.scrollback);
    apply_theme(w);
    statusbar_init(&w->bar, w->status);
    if (!graph_init(&w->graph, w->status, IDC_GRAPH, GetTickCount64()))
        return FALSE;
    statusbar_set_graph(&w->bar, w->graph.hwnd, scale(w, GRAPH_WIDTH));
    layout(w);

    ConvoControls ctl = {w->hwnd, w->log, w->input, w->send, w->counter};
    ConvoEvents ev = {w, on_convo_changed};
    if (!convo_init(&w->convo, &ctl, &ev, &w->bar, w->stats))
        return FALSE;
    shmpoll_init(&w->poll, w->opt.shm_name, w->stats);
    /* Said once, at the start, not lost without a word at the close. */
    char why[1200], text[1400]; /* room for a path of MAX_PATH CJK characters */
    if (!settings_writable(why, sizeof why)) {
        snprintf(text, sizeof text, "Your settings cannot be saved (%s): what you change "
                 "lasts until you close the window.", why);
        convo_notice(&w->convo, text);
    }
    convo_connect(&w->convo, w->opt.host, w->opt.port, w->opt.user);
    set_title(w);
    ViewState blank;
    view_init(&blank);
    view_texts(&blank, &w->shown);
    /* Show the state at once, then on every tick. */
    shmpoll_tick(&w->poll, GetTickCount64());
    show_current(w, TRUE);
    set_poll_timer(w);
    w->created = TRUE;
    return TRUE;
}

/* The placement to save: the restored size in 96-DPI units. */
static void save_placement(ChatWindow *w)
{
    WINDOWPLACEMENT wp;
    wp.length = sizeof wp;
    if (!GetWindowPlacement(w->hwnd, &wp))
        return;
    const RECT *r = &wp.rcNormalPosition;
    SettingsPlacement *p = &w->settings.placement;
    p->x = r->left;
    p->y = r->top;
    p->width96 = MulDiv(r->right - r->left, 96, (int)w->dpi);
    p->height96 = MulDiv(r->bottom - r->top, 96, (int)w->dpi);
    p->maximized = wp.showCmd == SW_SHOWMAXIMIZED ||
                   (wp.showCmd == SW_SHOWMINIMIZED && (wp.flags & WPF_RESTORETOMAXIMIZED));
    w->settings.have_placement = true;
    settings_save_placement(&w->settings);
}

/* Logoff or shutdown: Windows ends the process soon after WM_ENDSESSION
 * returns, without WM_DESTROY. What a close does that matters outside the
 * process happens now, quickly: the server hears /quit and the settings are
 * saved. Nothing is freed or destroyed (a modal box may be open, and its
 * caller still uses the window), so the window stays whole until the end,
 * merely offline. */
static void on_session_end(ChatWindow *w)
{
    if (!w->created)
        return;
    convo_disconnect(&w->convo);
    save_placement(w);
}

static void on_destroy(ChatWindow *w)
{
    if (!w->created) { /* a failed WM_CREATE: nothing was opened, nothing saved */
        if (w->font)
            DeleteObject(w->font);
        return;
    }
    KillTimer(w->hwnd, TIMER_POLL);
    KillTimer(w->hwnd, TIMER_NAME_TAKEN);
    convo_close(&w->convo); /* "/quit" and close, if still connected */
    shmpoll_close(&w->poll);
    save_placement(w);
    if (w->font)
        DeleteObject(w->font);
    if (w->log_font)
        DeleteObject(w->log_font);
    if (w->back)
        DeleteObject(w->back);
    PostQuitMessage(0);
}

static void on_dpi_changed(ChatWindow *w, UINT dpi, const RECT *suggested)
{
    w->dpi = dpi;
    apply_font(w);
    w->bar.graph_width = scale(w, GRAPH_WIDTH);
    SetWindowPos(w->hwnd, NULL, suggested->left, suggested->top,
                 suggested->right - suggested->left, suggested->bottom - suggested->top,
                 SWP_NOZORDER | SWP_NOACTIVATE);
    layout(w);
}

/* File > Connect... (or the question after a taken name): a new server or
 * name, kept in the settings and connected to now. */
static void ask_and_connect(ChatWindow *w, const char *user, const char *prompt)
{
    ConnectTarget t;
    snprintf(t.host, sizeof t.host, "%s", w->opt.host);
    t.port = w->opt.port;
    snprintf(t.user, sizeof t.user, "%s", user);
    if (!connect_dialog(w->hwnd, &t, prompt))
        return;
    snprintf(w->opt.host, sizeof w->opt.host, "%s", t.host);
    w->opt.port = t.port;
    snprintf(w->opt.user, sizeof w->opt.user, "%s", t.user);
    snprintf(w->settings.host, sizeof w->settings.host, "%s", t.host);
    w->settings.port = t.port;
    snprintf(w->settings.user, sizeof w->settings.user, "%s", t.user);
    settings_save_connection(&w->settings); /* chosen by the user: kept now */
    w->target_gen++;
    w->target_elsewhere = false;
    convo_connect(&w->convo, t.host, t.port, t.user);
    set_title(w);
}

/* The server refused the name: offer the next free-looking one. Not on
 * top of another modal box (a question open there would be answered for
 * a session that no longer exists): then once the window is enabled
 * again. */
static void on_name_taken(ChatWindow *w)
{
    char next[PROTO_NAME_BUF], prompt[PROTO_NAME_BUF + 120];
    KillTimer(w->hwnd, TIMER_NAME_TAKEN);
    if (!IsWindowEnabled(w->hwnd)) {
        SetTimer(w->hwnd, TIMER_NAME_TAKEN, 250, NULL);
        return;
    }
    if (convo_net_state(&w->convo) != NET_OFF)
        return; /* connected or connecting again meanwhile: nothing to ask */
    connect_form_next_name(w->convo.pacer.name, next);
    snprintf(prompt, sizeof prompt,
             "Someone in the chat is already called \xE2\x80\x9C%s\xE2\x80\x9D. Choose another "
             "name:", w->convo.pacer.name);
    ask_and_connect(w, next, prompt);
}

/* File > Save Log As...: the chat log as a UTF-8 text file. */
static void on_save_log(ChatWindow *w)
{
    wchar_t path[MAX_PATH] = L"", text[MAX_PATH + 300], words[256];
    SYSTEMTIME t;
    GetLocalTime(&t);
    swprintf(path, MAX_PATH, L"chat-log-%04u-%02u-%02u.txt", t.wYear, t.wMonth, t.wDay);
    OPENFILENAMEW ofn;
    memset(&ofn, 0, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = w->hwnd;
    ofn.lpstrFilter = L"Text files (*.txt)\0*.txt\0All files (*.*)\0*.*\0";
    ofn.lpstrFile = path;
    ofn.nMaxFile = MAX_PATH;
    ofn.lpstrDefExt = L"txt";
    ofn.lpstrTitle = L"Save Log As";
    ofn.Flags = OFN_EXPLORER | OFN_OVERWRITEPROMPT | OFN_PATHMUSTEXIST | OFN_NOCHANGEDIR |
                OFN_HIDEREADONLY;
    if (!GetSaveFileNameW(&ofn))
        return;
    DWORD err = convo_save_log(&w->convo, path);
    if (err == ERROR_SUCCESS)
        return;
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err, 0,
                        words, 256, NULL))
        swprintf(words, 256, L"error %lu", err);
    swprintf(text, MAX_PATH + 300, L"The log could not be saved to %ls:\n%ls", path, words);
    MessageBoxW(w->hwnd, text, L"Save Log As", MB_ICONERROR | MB_OK);
}

/* The focused control, when it is one of our text controls (Edit > Copy
 * and Select All act on it), else the chat log. */
static HWND edit_target(ChatWindow *w)
{
    HWND f = GetFocus();
    if (f && GetParent(f) == w->log)
        return f; /* the log's find bar */
    return f == w->input || f == w->log || f == w->message ? f : w->log;
}

static BOOL has_selection(HWND edit)
{
    DWORD from = 0, to = 0;
    SendMessageW(edit, EM_GETSEL, (WPARAM)&from, (LPARAM)&to);
    return to > from;
}

static void on_command(ChatWindow *w, int id, int code)
{
    if (id == IDC_INPUT) {
        if (code == EN_CHANGE && convo_input_changed(&w->convo))
            layout(w); /* the send box makes room for the counter */
        return;
    }
    switch (id) {
    case IDCANCEL: /* Esc elsewhere, through IsDialogMessage: nothing to cancel */
        break;
    case IDOK: /* Enter, through IsDialogMessage and the default button */
    case IDC_SEND:
        convo_send(&w->convo);
        break;
    case IDM_CONNECT:
        ask_and_connect(w, w->opt.user, NULL);
        break;
    case IDM_DISCONNECT:
        convo_disconnect(&w->convo);
        set_title(w);
        break;
    case IDM_EXIT:
        PostMessageW(w->hwnd, WM_CLOSE, 0, 0);
        break;
    case IDM_ABOUT:
        about_show(w->hwnd);
        break;
    case IDM_CLEAR_LOG:
        convo_clear_log(&w->convo);
        break;
    case IDM_SAVE_LOG:
        on_save_log(w);
        break;
    case IDM_COPY:
        SendMessageW(edit_target(w), WM_COPY, 0, 0);
        break;
    case IDM_PEOPLE:
        w->settings.people_hidden = !w->settings.people_hidden;
        if (w->settings.people_hidden && GetFocus() == w->people)
            SetFocus(w->input); /* the focus never stays on a hidden control */
        show_people_column(w);
        layout(w);
        break;
    case IDC_PEOPLE:
        if (code == LBN_DBLCLK)
            people_pick(w);
        break;
    case IDM_SELECT_ALL:
        SendMessageW(edit_target(w), EM_SETSEL, 0, -1);
        break;
    case IDM_FIND:
        logview_find(w->log);
        break;
    case IDM_THEME_SYSTEM:
    case IDM_THEME_LIGHT:
    case IDM_THEME_DARK:
        w->settings.theme = id == IDM_THEME_DARK    ? THEME_DARK
                            : id == IDM_THEME_LIGHT ? THEME_LIGHT
                                                    : THEME_SYSTEM;
        apply_theme(w);
        break;
    case IDM_FONT:
        if (appearance_choose_font(w->hwnd, &w->settings, w->log_font ? w->log_font : w->font,
                                   w->dpi))
            apply_font(w);
        break;
    case IDM_FONT_DEFAULT:
        w->settings.font_face[0] = L'\0';
        apply_font(w);
        break;
    case IDM_FIND_NEXT:
    case IDM_FIND_PREV:
        logview_find_next(w->log, id == IDM_FIND_PREV);
        break;
    default:
        break;
    }
}

/* The dark theme's colours for the labels, the people list and the send
 * box (the views draw their own); 0: the system's, as any window. */
static LRESULT on_ctlcolor(ChatWindow *w, HDC dc, HWND ctl)
{
    if (!w->dark || !w->back || ctl == w->status)
        return (LRESULT)0;
    const ThemeColors *tc = theme_colors(true);
    SetTextColor(dc, colorref(tc->text));
    SetBkColor(dc, colorref(tc->back));
    return (LRESULT)w->back;
}

/* The counters, and the network's state read live. */
static unsigned long long window_stat(ChatWindow *w, WindowStat which)
{
    const ChatStats *s = w->stats;
    switch (which) {
    case STAT_TICKS: return s->ticks;
    case STAT_SNAPSHOTS: return s->snapshots;
    case STAT_BUSY: return s->busy;
    case STAT_RECOVERED: return s->recovered;
    case STAT_ATTACHES: return s->attaches;
    case STAT_SET_TEXT: return s->set_text;
    case STAT_NET_STATE: return (unsigned long)convo_net_state(&w->convo);
    case STAT_NET_ATTEMPT: return convo_attempt(&w->convo);
    case STAT_LINES_IN: return s->lines_in;
    case STAT_SENDS: return s->sends;
    case STAT_PENDING: return (unsigned long)convo_pending(&w->convo);
    case STAT_LOG_LINES: return chatlog_count(logview_model(w->log));
    case STAT_SEND_US: return s->send_us;
    case STAT_LINE_US: return s->line_us;
    case STAT_MESSAGE_US: return s->message_us;
    case STAT_EARLY_RETRIES: return s->early_retries;
    case STAT_DARK: return w->dark;
    default: return 0;
    }
}

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    ChatWindow *w = (ChatWindow *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);

    if (msg == WM_NCCREATE) {
        /* The state struct comes with CreateWindowEx: stored before any other
         * message needs it. */
        w = ((CREATESTRUCTW *)lp)->lpCreateParams;
        w->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)w);
    }
    if (w == NULL)
        return DefWindowProcW(hwnd, msg, wp, lp);
    if (w->convo.hwnd && convo_handle(&w->convo, msg, wp, lp))
        return 0;

    switch (msg) {
    case WM_CREATE:
        return on_create(w) ? 0 : -1;
    case WM_SIZE:
        if (wp != SIZE_MINIMIZED)
            layout(w);
        if (w->created)
            set_poll_timer(w);
        return 0;
    case WM_WINDOWPOSCHANGED:
        /* Shown or hidden, by ShowWindow or SetWindowPos (WM_SHOWWINDOW
         * misses the latter): the timer follows. Sizes still come as
         * WM_SIZE from DefWindowProc. */
        if (w->created &&
            (((const WINDOWPOS *)lp)->flags & (SWP_SHOWWINDOW | SWP_HIDEWINDOW)))
            set_poll_timer(w);
        break;
    case WM_TIMER:
        if (wp == TIMER_POLL)
            on_timer(w);
        else if (wp == TIMER_NAME_TAKEN)
            on_name_taken(w);
        return 0;
    case WM_COMMAND:
        on_command(w, LOWORD(wp), HIWORD(wp));
        return 0;
    case WM_DRAWITEM:
        if (wp == IDC_GRAPH) {
            graph_draw(&w->graph, (const DRAWITEMSTRUCT *)lp, GetTickCount64());
            return TRUE;
        }
        break;
    case WM_CTLCOLORSTATIC:
    case WM_CTLCOLOREDIT:
    case WM_CTLCOLORLISTBOX: {
        LRESULT r = on_ctlcolor(w, (HDC)wp, (HWND)lp);
        if (r)
            return r;
        break;
    }
    case WM_ERASEBKGND:
        if (w->dark && w->back) {
            RECT rc;
            GetClientRect(hwnd, &rc);
            FillRect((HDC)wp, &rc, w->back);
            return 1;
        }
        break;
    case WM_SYSCOLORCHANGE: /* to the views, which draw with the colours */
        SendMessageW(w->log, WM_SYSCOLORCHANGE, wp, lp);
        SendMessageW(w->message, WM_SYSCOLORCHANGE, wp, lp);
        break;
    case WM_GETFONT: /* the window's font: the log's find bar speaks in it */
        return (LRESULT)w->font;
    case WM_GETMINMAXINFO: {
        MINMAXINFO *mm = (MINMAXINFO *)lp;
        mm->ptMinTrackSize.x = scale(w, MIN_WIDTH);
        mm->ptMinTrackSize.y = scale(w, MIN_HEIGHT);
        return 0;
    }
    case WM_DPICHANGED:
        on_dpi_changed(w, HIWORD(wp), (const RECT *)lp);
        return 0;
    case WM_SETTINGCHANGE:
        if (wp == SPI_SETNONCLIENTMETRICS) {
            apply_font(w);
            layout(w);
        }
        /* The views follow High Contrast (sent to top-level windows only). */
        SendMessageW(w->log, WM_SETTINGCHANGE, wp, lp);
        SendMessageW(w->message, WM_SETTINGCHANGE, wp, lp);
        /* Windows' light/dark choice changed: System follows it. */
        if (lp && wcscmp((const wchar_t *)lp, L"ImmersiveColorSet") == 0 &&
            w->settings.theme == THEME_SYSTEM)
            apply_theme(w);
        break;
    case WM_ACTIVATE:
        /* Like a dialog: the focus comes back to the control that had it. */
        /* In the background, the log marks where the unread lines begin. */
        logview_set_background(w->log, LOWORD(wp) == WA_INACTIVE);
        if (LOWORD(wp) == WA_INACTIVE) {
            w->last_focus = GetFocus();
            balloon_hide(&w->convo.balloon); /* not over other applications */
        }
        break;
    case WM_SETFOCUS:
        SetFocus(w->last_focus && IsChild(hwnd, w->last_focus) ? w->last_focus : w->input);
        return 0;
    case WM_NEXTDLGCTL:
        on_next_control(w, wp, lp);
        return 0;
    case DM_GETDEFID: /* Enter means Send */
        return MAKELRESULT(IDC_SEND, DC_HASDEFID);
    case WM_APP_STATS:
        return (LRESULT)window_stat(w, (WindowStat)wp);
    case WM_APP_NAME_TAKEN:
        on_name_taken(w);
        return 0;
    case WM_INITMENUPOPUP:
        /* Items say what can be done now when the menu opens (accelerators
         * send this too, so Ctrl+D follows the same rule). */
        EnableMenuItem(GetMenu(hwnd), IDM_DISCONNECT,
                       convo_can_disconnect(&w->convo) ? MF_ENABLED : MF_GRAYED);
        CheckMenuItem(GetMenu(hwnd), IDM_PEOPLE,
                      w->settings.people_hidden ? MF_UNCHECKED : MF_CHECKED);
        CheckMenuRadioItem(GetMenu(hwnd), IDM_THEME_SYSTEM, IDM_THEME_DARK,
                           w->settings.theme == THEME_DARK    ? IDM_THEME_DARK
                           : w->settings.theme == THEME_LIGHT ? IDM_THEME_LIGHT
                                                              : IDM_THEME_SYSTEM,
                           MF_BYCOMMAND);
        EnableMenuItem(GetMenu(hwnd), IDM_COPY,
                       has_selection(edit_target(w)) ? MF_ENABLED : MF_GRAYED);
        return 0;
    case WM_ENDSESSION:
        if (wp)
            on_session_end(w);
        return 0;
    case WM_DESTROY:
        on_destroy(w);
        return 0;
    case WM_NCDESTROY:
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        HeapFree(GetProcessHeap(), 0, w);
        return 0;
    default:
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* True when another chat window (of any process) sits at x, y. */
static BOOL other_window_at(HWND self, int x, int y)
{
    HWND other = NULL;
    while ((other = FindWindowExW(NULL, other, CLASS_NAME, NULL)) != NULL) {
        WINDOWPLACEMENT wp;
        wp.length = sizeof wp;
        if (other != self && IsWindowVisible(other) && GetWindowPlacement(other, &wp) &&
            wp.rcNormalPosition.left == x && wp.rcNormalPosition.top == y)
            return TRUE;
    }
    return FALSE;
}

/* Where the window opens: the saved placement at this display's DPI, moved
 * down and right (as Windows cascades) while another instance sits there;
 * the first time, where Windows puts it, at a size that suits the DPI. */
static void place(ChatWindow *w, const Settings *settings, int show)
{
    int step = GetSystemMetrics(SM_CYCAPTION) + GetSystemMetrics(SM_CYSIZEFRAME);
    if (!settings->have_placement) {
        SetWindowPos(w->hwnd, NULL, 0, 0, scale(w, 560), scale(w, 480),
                     SWP_NOMOVE | SWP_NOZORDER);
        ShowWindow(w->hwnd, show);
        return;
    }
    const SettingsPlacement *p = &settings->placement;
    WINDOWPLACEMENT wp;
    memset(&wp, 0, sizeof wp);
    wp.length = sizeof wp;
    int x = p->x, y = p->y;
    for (int i = 0; i < 16 && other_window_at(w->hwnd, x, y); i++) {
        x += step;
        y += step;
    }
    /* Never larger than the work area it opens on (restoring a maximized
     * window must give back a window that fits). */
    int width = scale(w, p->width96), height = scale(w, p->height96);
    MONITORINFO mi;
    POINT at = {x, y};
    mi.cbSize = sizeof mi;
    if (GetMonitorInfoW(MonitorFromPoint(at, MONITOR_DEFAULTTONEAREST), &mi)) {
        int aw = mi.rcWork.right - mi.rcWork.left, ah = mi.rcWork.bottom - mi.rcWork.top;
        width = width < aw ? width : aw;
        height = height < ah ? height : ah;
    }
    wp.rcNormalPosition.left = x;
    wp.rcNormalPosition.top = y;
    wp.rcNormalPosition.right = x + width;
    wp.rcNormalPosition.bottom = y + height;
    wp.showCmd = p->maximized ? SW_SHOWMAXIMIZED : SW_SHOWNORMAL;
    if (show != SW_SHOWDEFAULT && show != SW_SHOWNORMAL)
        wp.showCmd = (UINT)show;
    SetWindowPlacement(w->hwnd, &wp); /* keeps the window on a monitor */
}

HWND chat_window_create(HINSTANCE inst, const ClientOptions *opt, const Settings *settings,
                        int show, ChatStats *stats)
{
    static ATOM cls;
    if (!logview_register(inst))
        return NULL;
    if (!cls) {
        WNDCLASSEXW wc;
        memset(&wc, 0, sizeof wc);
        wc.cbSize = sizeof wc;
        wc.lpfnWndProc = wndproc;
        wc.hInstance = inst;
        wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
        wc.hIconSm = LoadImageW(inst, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                                GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON),
                                LR_SHARED);
        wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
        wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
        wc.lpszMenuName = MAKEINTRESOURCEW(IDR_MENU);
        wc.lpszClassName = CLASS_NAME;
        cls = RegisterClassExW(&wc);
        if (!cls)
            return NULL;
    }

    ChatWindow *w = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *w);
    if (w == NULL)
        return NULL;
    w->opt = *opt;
    w->settings = *settings;
    w->stats = stats;
    w->accel = LoadAcceleratorsW(inst, MAKEINTRESOURCEW(IDR_ACCEL));

    HWND hwnd = CreateWindowExW(WS_EX_CONTROLPARENT, CLASS_NAME, L"Chat",
                                WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN, CW_USEDEFAULT,
                                CW_USEDEFAULT, 560, 480, NULL, NULL, inst, w);
    if (hwnd == NULL)
        return NULL; /* WM_NCDESTROY freed w if it got that far */
    place(w, settings, show);
    UpdateWindow(hwnd);
    return hwnd;
}

typedef struct FindWindowCtx {
    DWORD pid;
    HWND found;
} FindWindowCtx;

static BOOL CALLBACK find_cb(HWND hwnd, LPARAM lp)
{
    FindWindowCtx *f = (FindWindowCtx *)lp;
    DWORD pid = 0;
    wchar_t cls[64];
    GetWindowThreadProcessId(hwnd, &pid);
    /* Visible: created, initialised and shown, not half-way through
     * CreateWindowEx. */
    if (pid == f->pid && GetClassNameW(hwnd, cls, 64) && wcscmp(cls, CLASS_NAME) == 0 &&
        IsWindowVisible(hwnd)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

HWND chat_window_find(DWORD pid)
{
    FindWindowCtx f = {pid, NULL};
    EnumWindows(find_cb, (LPARAM)&f);
    return f.found;
}

BOOL chat_window_filter(HWND hwnd, MSG *msg)
{
    ChatWindow *w = (ChatWindow *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (w && w->accel && TranslateAcceleratorW(hwnd, w->accel, msg))
        return TRUE;
    /* Enter on a name in the people list puts it into the send box (the
     * dialog manager would press Send). */
    if (w && msg->message == WM_KEYDOWN && msg->wParam == VK_RETURN && msg->hwnd == w->people) {
        people_pick(w);
        return TRUE;
    }
    /* Esc in the send box: the draft goes (the key's own target, whatever
     * the focus says by the time it is handled). */
    if (w && msg->message == WM_KEYDOWN && msg->wParam == VK_ESCAPE && msg->hwnd == w->input) {
        clear_draft(w);
        return TRUE;
    }
    /* F6 (and Shift+F6) moves between the send box and the chat log, as
     * between the panes of a window; from anywhere else, to the send box. */
    if (w && msg->message == WM_KEYDOWN && msg->wParam == VK_F6 &&
        (msg->hwnd == hwnd || IsChild(hwnd, msg->hwnd))) {
        SetFocus(GetFocus() == w->input ? w->log : w->input);
        return TRUE;
    }
    return IsDialogMessageW(hwnd, msg);
}
