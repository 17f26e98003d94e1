/* logview.c: the chat log window class: paints core/chatlog's model with
 * GDI and turns input into model calls (see logview.h). */
#include "gui/logview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/proto.h"
#include "gui/linkopen.h"
#include "gui/logacc.h"
#include "gui/text.h"

#define FIND_EDIT_ID 1
#define FIND_TEXT_ID 2
#define TIMER_DRAG 1      /* scrolls while a drag is above or below the view */
#define TIMER_EVENT 2     /* the accessible value-change event, coalesced */
#define DRAG_MS 50
#define EVENT_MS 250
#define MAX_SPANS 32
#define WAITING_TEXT_MAX 96

typedef struct LogView {
    HWND hwnd;
    bool plain; /* LVS_PLAIN */
    HWND find_label, find_edit, find_count; /* the find bar, when open */
    ChatLog *log;
    HFONT font;    /* the parent's (WM_SETFONT), not ours to delete */
    HFONT font_ul; /* its underlined twin, for links: ours */
    HDC mdc;       /* measures text, with font selected */
    int *dx;       /* GetTextExtentExPointW's extents */
    size_t dx_cap;
    int row_h, char_w, min_char_w;
    bool dark;
    const ThemeColors *tc; /* theme_colors(dark), or hc_colors */
    bool high_contrast;
    ThemeColors hc_colors; /* the system's colours under High Contrast */
    HDC back_dc; /* the back buffer */
    HBITMAP back_bmp, back_old;
    int back_w, back_h;
    /* Mouse. */
    bool pressed, dragged, press_link;
    uint64_t press_seq; /* the link pressed: its line and start */
    uint32_t press_from;
    POINT press_pt, drag_pt;
    ChatLogPos anchor;
    DWORD last_dbl_time; /* a click soon after a double-click: a line */
    POINT last_dbl_pt;
    int wheel_acc;
    /* Unread marker. */
    bool background, marker_armed;
    /* Find bar. */
    bool find_open;
    int bar_h, bar_cw; /* its height, its font's average character */
    WNDPROC find_edit_proc;
    /* What changed since the last paint and event. */
    bool sb_dirty, lines_added, event_due;
    RECT waiting_rc; /* the "new lines below" tab, where it was painted */
    bool caret_made;
    LogAcc *acc;
    LogViewOpener opener;
    void *opener_ctx;
    char *scratch;      /* a line being added, as shown (logview_add_line) */
    wchar_t *wide;      /* and in UTF-16 */
    size_t scratch_cap; /* units of each */
} LogView;

static LogView *view_of(HWND hwnd)
{
    return hwnd ? (LogView *)GetWindowLongPtrW(hwnd, GWLP_USERDATA) : NULL;
}

/* --- measuring ------------------------------------------------------------------ */

static bool grow_dx(LogView *v, size_t n)
{
    if (n <= v->dx_cap)
        return true;
    size_t cap = v->dx_cap ? v->dx_cap : 256;
    while (cap < n)
        cap *= 2;
    int *d = realloc(v->dx, cap * sizeof *d);
    if (d == NULL)
        return false;
    v->dx = d;
    v->dx_cap = cap;
    return true;
}

/* The model's ChatLogFit: GetTextExtentExPointW on at most the units that
 * could fit (a 64 KB line is wrapped row by row, and each row must not
 * measure the whole rest of the line). */
static size_t fit_text(void *ctx, const uint16_t *s, size_t n, int max_w, int *w)
{
    LogView *v = ctx;
    int fit = 0;
    SIZE sz;
    *w = 0;
    if (n == 0 || max_w <= 0)
        return 0;
    size_t lim = (size_t)max_w / (size_t)v->min_char_w + 16, m = n < lim ? n : lim;
    if (!grow_dx(v, m) ||
        !GetTextExtentExPointW(v->mdc, (const wchar_t *)s, (int)m, max_w, &fit, v->dx, &sz))
        return 0;
    if (fit < 0)
        fit = 0;
    if ((size_t)fit > m)
        fit = (int)m;
    /* Never half a pair: checked against the whole text, not the part
     * measured (all of it may fit and end on a high surrogate). */
    if (fit > 0 && (size_t)fit < n && IS_HIGH_SURROGATE(s[fit - 1]) &&
        IS_LOW_SURROGATE(s[fit]))
        fit--;
    *w = fit > 0 ? v->dx[fit - 1] : 0;
    return (size_t)fit;
}

static int text_width(LogView *v, HDC dc, const wchar_t *s, size_t n)
{
    SIZE sz = {0, 0};
    (void)v;
    if (n > 0)
        GetTextExtentPoint32W(dc, s, (int)n, &sz);
    return sz.cx;
}

/* --- geometry -------------------------------------------------------------------- */

static int text_area_height(LogView *v)
{
    RECT rc;
    GetClientRect(v->hwnd, &rc);
    int h = rc.bottom - (v->find_open ? v->bar_h : 0);
    return h > 0 ? h : 0;
}

static void set_geometry(LogView *v)
{
    RECT rc;
    GetClientRect(v->hwnd, &rc);
    ChatLogGeometry g;
    g.width = rc.right;
    g.height = text_area_height(v);
    g.row_h = v->row_h;
    g.gap = v->char_w;
    g.time_w = v->plain ? 0 : text_width(v, v->mdc, L"00:00:00", 8) + 2 * v->char_w;
    g.name_cap = v->plain ? 0 : 16 * v->char_w;
    /* The text keeps at least half the width whatever the font: the name
     * column gives way first, then the time column goes (a 36-point font
     * in a small window left no room for the text). */
    int room = rc.right / 2 - g.gap;
    if (g.time_w + g.name_cap > room)
        g.name_cap = room - g.time_w;
    if (!v->plain && g.name_cap < 4 * v->char_w) {
        g.time_w = 0;
        g.name_cap = room < 16 * v->char_w ? room : 16 * v->char_w;
    }
    if (g.name_cap < 0)
        g.name_cap = 0;
    chatlog_set_geometry(v->log, &g);
    v->sb_dirty = true;
}

/* The find bar speaks in the window's font, not the log's (which may be a
 * big one chosen in View > Font...): the parent's WM_GETFONT. */
static HFONT bar_font(LogView *v)
{
    HFONT f = (HFONT)SendMessageW(GetParent(v->hwnd), WM_GETFONT, 0, 0);
    return f ? f : (HFONT)GetStockObject(DEFAULT_GUI_FONT);
}

/* One row of the bar's font with air around its box. */
static int bar_height(LogView *v)
{
    TEXTMETRICW tm;
    HGDIOBJ old = SelectObject(v->mdc, bar_font(v));
    GetTextMetricsW(v->mdc, &tm);
    SelectObject(v->mdc, old);
    v->bar_cw = tm.tmAveCharWidth > 0 ? tm.tmAveCharWidth : 7;
    return tm.tmHeight + tm.tmExternalLeading + 12;
}

/* The font's metrics: rows, columns, and the underlined twin for links. */
static void take_font(LogView *v, HFONT font)
{
    TEXTMETRICW tm;
    LOGFONTW lf;
    v->font = font ? font : (HFONT)GetStockObject(DEFAULT_GUI_FONT);
    SelectObject(v->mdc, v->font);
    GetTextMetricsW(v->mdc, &tm);
    v->row_h = tm.tmHeight + tm.tmExternalLeading + 2;
    v->char_w = tm.tmAveCharWidth > 0 ? tm.tmAveCharWidth : 7;
    int narrow = text_width(v, v->mdc, L"i", 1);
    int dot = text_width(v, v->mdc, L".", 1);
    v->min_char_w = narrow < dot ? narrow : dot;
    if (v->min_char_w < 1)
        v->min_char_w = 1;
    if (v->font_ul)
        DeleteObject(v->font_ul);
    v->font_ul = NULL;
    if (GetObjectW(v->font, sizeof lf, &lf)) {
        lf.lfUnderline = TRUE;
        v->font_ul = CreateFontIndirectW(&lf);
    }
    v->bar_h = bar_height(v);
    chatlog_relayout(v->log);
    set_geometry(v);
}

/* --- the caret and the scroll bar ------------------------------------------------------ */

typedef struct CaretFind {
    LogView *v;
    ChatLogPos caret;
    POINT pt;
    bool found;
} CaretFind;

static bool caret_visit(void *ctx, uint64_t seq, uint32_t row, int y)
{
    CaretFind *f = ctx;
    uint32_t from, to;
    if (seq != f->caret.seq || !chatlog_row_span(f->v->log, seq, row, &from, &to))
        return true;
    uint32_t rows = chatlog_rows(f->v->log, seq);
    bool last = row + 1 >= rows;
    if (f->caret.off < from || f->caret.off > to || (f->caret.off == to && !last))
        return true;
    const ChatLogLine *line = chatlog_line(f->v->log, seq);
    int x = chatlog_text_x(f->v->log);
    if (line && f->caret.off > from) {
        x += text_width(f->v, f->v->mdc, (const wchar_t *)line->text + from,
                        f->caret.off - from);
    }
    f->pt.x = x;
    f->pt.y = y;
    f->found = true;
    return false;
}

/* The system caret follows the model's (magnifiers and screen readers
 * track it); hidden while it is out of view. */
static void place_caret(LogView *v)
{
    if (!v->caret_made)
        return;
    CaretFind f = {v, chatlog_caret(v->log), {-100, -100}, false};
    chatlog_visit_rows(v->log, 0, text_area_height(v), caret_visit, &f);
    SetCaretPos(f.found ? f.pt.x : -100, f.found ? f.pt.y : -100);
}

/* Entering the log puts the caret where the reader is: at the end of the
 * last line in view, unless it is in view already or something is
 * selected (Page Up from a caret left at line 1 jumped to the top of the
 * scrollback). */
static void caret_into_view(LogView *v)
{
    ChatLogPos c = chatlog_caret(v->log), a, b;
    uint64_t first = 0, last = 0;
    chatlog_lines_in_view(v->log, &first, &last);
    if (last == 0 || chatlog_selection(v->log, &a, &b) || (c.seq >= first && c.seq <= last))
        return;
    const ChatLogLine *line = chatlog_line(v->log, last);
    ChatLogPos end = {last, line ? line->len : 0};
    chatlog_select(v->log, end, end);
}

static void update_scrollbar(LogView *v)
{
    SCROLLINFO si = {sizeof si, SIF_ALL | SIF_DISABLENOSCROLL, 0, 0, 0, 0, 0};
    size_t count = chatlog_count(v->log);
    uint64_t first = 0, last = 0;
    chatlog_lines_in_view(v->log, &first, &last);
    size_t in_view = first && last >= first ? (size_t)(last - first + 1) : 1;
    si.nMax = count > 0 ? (int)(count - 1) : 0;
    si.nPage = (UINT)in_view;
    si.nPos = (int)chatlog_top_index(v->log);
    SetScrollInfo(v->hwnd, SB_VERT, &si, TRUE);
    v->sb_dirty = false;
}

/* Something the model shows changed: paint, then the scroll bar and the
 * caret follow. */
static void changed(LogView *v)
{
    v->sb_dirty = true;
    InvalidateRect(v->hwnd, NULL, FALSE);
    place_caret(v);
}

/* --- painting ---------------------------------------------------------------------- */

typedef struct PaintCtx {
    LogView *v;
    HDC dc;
    int width, text_x, name_w, time_w;
    uint64_t marker;
} PaintCtx;

static COLORREF rgb(uint32_t c)
{
    return RGB((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
}

static void fill(HDC dc, const RECT *r, uint32_t color)
{
    SetBkColor(dc, rgb(color));
    ExtTextOutW(dc, 0, 0, ETO_OPAQUE, r, NULL, 0, NULL);
}

static uint32_t line_back(const ThemeColors *tc, const ChatLogLine *line)
{
    if (line->flags & CHATLOG_MENTION)
        return tc->mention_back;
    if (line->flags & CHATLOG_OWN)
        return tc->own_back;
    return tc->back;
}

static uint32_t line_text(const ThemeColors *tc, const ChatLogLine *line)
{
    switch (line->kind) {
    case CHATLOG_NOTICE: return tc->dim;
    case CHATLOG_LOCAL: return tc->local;
    default: return tc->text;
    }
}

/* The time and the name, on a line's first row. */
static void draw_columns(PaintCtx *p, const ChatLogLine *line, int y, uint32_t back)
{
    LogView *v = p->v;
    wchar_t stamp[16];
    unsigned t = line->time % 86400u;
    int n = swprintf(stamp, 16, L"%02u:%02u:%02u", t / 3600, t / 60 % 60, t % 60);
    RECT r = {v->char_w / 2, y, p->time_w, y + v->row_h};
    SetBkColor(p->dc, rgb(back));
    SetTextColor(p->dc, rgb(v->tc->dim));
    if (r.right > r.left) /* no time column when a big font needs the room */
        ExtTextOutW(p->dc, r.left, y + 1, ETO_CLIPPED, &r, stamp, (UINT)(n > 0 ? n : 0), NULL);
    if (line->name_len == 0 || p->name_w <= 0)
        return;
    /* A search hit or a selection in the name shades the whole name (it
     * is drawn in one piece, cut with an ellipsis when too wide). */
    ChatLogSpan spans[MAX_SPANS];
    size_t k = chatlog_spans(v->log, line->seq, 0, line->name_len, spans, MAX_SPANS);
    unsigned any = 0;
    for (size_t i = 0; i < k; i++)
        any |= spans[i].style;
    uint32_t fg = v->high_contrast ? v->tc->text
                                   : theme_name_color(line->text, line->name_len, v->dark),
             bg = back;
    if (any & (CHATLOG_SPAN_SELECTED | CHATLOG_SPAN_CURRENT | CHATLOG_SPAN_MATCH)) {
        bg = (any & CHATLOG_SPAN_SELECTED)  ? v->tc->sel_back
             : (any & CHATLOG_SPAN_CURRENT) ? v->tc->current_back
                                            : v->tc->match_back;
        fg = (any & CHATLOG_SPAN_SELECTED) ? v->tc->sel_text : v->tc->text;
    }
    /* Right-aligned in its column; a name wider than the column is cut
     * with an ellipsis (copy gives it whole). */
    RECT nr = {p->time_w, y + 1, p->time_w + p->name_w, y + v->row_h};
    if (bg != back) {
        RECT shade = {p->time_w, y, p->time_w + p->name_w, y + v->row_h};
        fill(p->dc, &shade, bg);
    }
    SetTextColor(p->dc, rgb(fg));
    SetBkMode(p->dc, TRANSPARENT);
    DrawTextW(p->dc, (const wchar_t *)line->text, line->name_len, &nr,
              DT_RIGHT | DT_SINGLELINE | DT_NOPREFIX | DT_END_ELLIPSIS);
    SetBkMode(p->dc, OPAQUE);
}

/* One run of a row in one style; returns its width. */
static int draw_run(PaintCtx *p, const ChatLogLine *line, const ChatLogSpan *sp, int x, int y,
                    const RECT *clip, uint32_t back)
{
    LogView *v = p->v;
    const ThemeColors *tc = v->tc;
    const wchar_t *s = (const wchar_t *)line->text + sp->from;
    size_t n = sp->to - sp->from;
    uint32_t fg = line_text(tc, line), bg = back;
    bool opaque = false;
    if (sp->style & CHATLOG_SPAN_LINK)
        fg = tc->link;
    if (sp->style & CHATLOG_SPAN_MATCH) {
        bg = tc->match_back;
        fg = tc->text;
        opaque = true;
    }
    if (sp->style & CHATLOG_SPAN_CURRENT) {
        bg = tc->current_back;
        fg = tc->text;
        opaque = true;
    }
    if (sp->style & CHATLOG_SPAN_SELECTED) {
        bg = tc->sel_back;
        fg = tc->sel_text;
        opaque = true;
    }
    HGDIOBJ old = NULL;
    if ((sp->style & CHATLOG_SPAN_LINK) && v->font_ul)
        old = SelectObject(p->dc, v->font_ul);
    int w = text_width(v, p->dc, s, n);
    if (opaque) {
        RECT r = {x, y, x + w, y + v->row_h};
        IntersectRect(&r, &r, clip);
        fill(p->dc, &r, bg);
    }
    /* Clipped to the column, not to the run's measured width: a direction
     * override inside the run moves glyphs, and the last one was cut. */
    SetTextColor(p->dc, rgb(fg));
    SetBkMode(p->dc, TRANSPARENT);
    ExtTextOutW(p->dc, x, y + 1, ETO_CLIPPED, clip, s, (UINT)n, NULL);
    SetBkMode(p->dc, OPAQUE);
    if (old)
        SelectObject(p->dc, old);
    return w;
}

static bool paint_row(void *ctx, uint64_t seq, uint32_t row, int y)
{
    PaintCtx *p = ctx;
    LogView *v = p->v;
    const ChatLogLine *line = chatlog_line(v->log, seq);
    uint32_t from, to;
    if (line == NULL || !chatlog_row_span(v->log, seq, row, &from, &to))
        return true;
    uint32_t back = line_back(v->tc, line);
    RECT r = {0, y, p->width, y + v->row_h};
    fill(p->dc, &r, back);
    if (row == 0 && !v->plain)
        draw_columns(p, line, y, back);
    /* The message's rows live in the text column and are clipped to it:
     * no text, whatever it holds, reaches the time or name column. */
    RECT clip = {p->text_x, y, p->width, y + v->row_h};
    ChatLogSpan spans[MAX_SPANS];
    if (line->flags & CHATLOG_RTL) {
        /* A right-to-left row is drawn whole, so GDI orders and shapes it
         * (styles by run would cut the bidi runs apart), and aligned by GDI
         * at the right margin (its shaped width is not the unshaped one we
         * could measure); a selection or a search hit in it shades the
         * row. */
        size_t k = chatlog_spans(v->log, seq, from, to, spans, MAX_SPANS);
        unsigned any = 0;
        for (size_t i = 0; i < k; i++)
            any |= spans[i].style;
        uint32_t bg = (any & CHATLOG_SPAN_SELECTED)  ? v->tc->sel_back
                      : (any & CHATLOG_SPAN_CURRENT) ? v->tc->current_back
                      : (any & CHATLOG_SPAN_MATCH)   ? v->tc->match_back
                                                     : back;
        const wchar_t *s = (const wchar_t *)line->text + from;
        SetTextColor(p->dc, rgb((any & CHATLOG_SPAN_SELECTED) ? v->tc->sel_text
                                : bg != back                  ? v->tc->text
                                                              : line_text(v->tc, line)));
        if (bg != back)
            fill(p->dc, &clip, bg);
        SetBkMode(p->dc, TRANSPARENT);
        UINT align = SetTextAlign(p->dc, TA_RIGHT | TA_TOP | TA_RTLREADING);
        ExtTextOutW(p->dc, p->width - v->char_w, y + 1, ETO_CLIPPED | ETO_RTLREADING, &clip, s,
                    to - from, NULL);
        SetTextAlign(p->dc, align);
        SetBkMode(p->dc, OPAQUE);
    } else {
        int x = p->text_x;
        uint32_t at = from;
        while (at < to && x < p->width) {
            size_t k = chatlog_spans(v->log, seq, at, to, spans, MAX_SPANS);
            if (k == 0)
                break;
            for (size_t i = 0; i < k; i++)
                x += draw_run(p, line, &spans[i], x, y, &clip, back);
            if (spans[k - 1].to <= at)
                break;
            at = spans[k - 1].to;
        }
    }
    if (p->marker == seq && row == 0) {
        RECT m = {0, y, p->width, y + 2};
        fill(p->dc, &m, v->tc->marker);
    }
    return true;
}

/* "N new lines below": shown while the view does not follow. */
static void paint_waiting(LogView *v, HDC dc, int width, int height)
{
    SetRectEmpty(&v->waiting_rc);
    uint64_t first = 0, last = 0;
    chatlog_lines_in_view(v->log, &first, &last);
    uint64_t below = last ? chatlog_last_seq(v->log) - last : 0;
    size_t n = chatlog_waiting(v->log);
    if (n > below)
        n = (size_t)below; /* new, and still below the view */
    if (n == 0 || chatlog_following(v->log))
        return;
    wchar_t text[WAITING_TEXT_MAX];
    int len = swprintf(text, WAITING_TEXT_MAX, L"\x25BC %lu new line%ls below (Ctrl+End)",
                       (unsigned long)n, n == 1 ? L"" : L"s");
    /* A tab at the bottom right, over as little of the last row as can
     * be; a click on it goes down to them. */
    int w = text_width(v, dc, text, (size_t)(len > 0 ? len : 0)) + 2 * v->char_w;
    RECT r = {width - w - v->char_w, height - v->row_h - 2, width - v->char_w, height};
    if (r.left < 0)
        r.left = 0;
    fill(dc, &r, v->tc->marker);
    SetTextColor(dc, rgb(v->tc->back));
    SetBkColor(dc, rgb(v->tc->marker));
    DrawTextW(dc, text, len, &r, DT_CENTER | DT_SINGLELINE | DT_VCENTER | DT_NOPREFIX);
    v->waiting_rc = r;
}

static bool ensure_back_buffer(LogView *v, HDC dc, int w, int h)
{
    if (v->back_dc && v->back_w >= w && v->back_h >= h)
        return true;
    if (v->back_dc) {
        SelectObject(v->back_dc, v->back_old);
        DeleteObject(v->back_bmp);
        DeleteDC(v->back_dc);
        v->back_dc = NULL;
    }
    v->back_dc = CreateCompatibleDC(dc);
    v->back_bmp = v->back_dc ? CreateCompatibleBitmap(dc, w, h) : NULL;
    if (v->back_bmp == NULL) {
        if (v->back_dc)
            DeleteDC(v->back_dc);
        v->back_dc = NULL;
        return false;
    }
    v->back_old = SelectObject(v->back_dc, v->back_bmp);
    v->back_w = w;
    v->back_h = h;
    return true;
}

/* Paints what rect covers of the view into dc: double-buffered, only the
 * rows in it. WM_PAINT and WM_PRINTCLIENT both come here. */
static void paint_into(LogView *v, HDC dc, const RECT *rect)
{
    RECT rc;
    GetClientRect(v->hwnd, &rc);
    int height = text_area_height(v);
    RECT upd = *rect;
    if (upd.bottom > height)
        upd.bottom = height;
    if (upd.right > upd.left && upd.bottom > upd.top) {
        bool buffered = ensure_back_buffer(v, dc, rc.right, height);
        HDC bdc = buffered ? v->back_dc : dc;
        /* The font goes back out of the DC after painting: a font selected
         * into a DC cannot be deleted, and the window deletes its fonts on
         * a DPI or font change. */
        HGDIOBJ old_font = SelectObject(bdc, v->font);
        SetBkMode(bdc, OPAQUE);
        fill(bdc, &upd, v->tc->back);
        PaintCtx p = {v, bdc, rc.right, chatlog_text_x(v->log), chatlog_name_w(v->log), 0,
                      chatlog_marker(v->log)};
        p.time_w = chatlog_text_x(v->log) - p.name_w - v->char_w;
        if (p.time_w < 0)
            p.time_w = 0;
        chatlog_visit_rows(v->log, upd.top, upd.bottom, paint_row, &p);
        paint_waiting(v, bdc, rc.right, height);
        SelectObject(bdc, old_font);
        if (buffered)
            BitBlt(dc, upd.left, upd.top, upd.right - upd.left, upd.bottom - upd.top, bdc,
                   upd.left, upd.top, SRCCOPY);
    }
    /* The find bar's strip, behind its controls. */
    if (v->find_open && rect->bottom > height) {
        RECT bar = {0, height, rc.right, rc.bottom};
        FillRect(dc, &bar, GetSysColorBrush(COLOR_BTNFACE));
    }
}

static void on_paint(LogView *v)
{
    PAINTSTRUCT ps;
    HDC dc = BeginPaint(v->hwnd, &ps);
    paint_into(v, dc, &ps.rcPaint);
    EndPaint(v->hwnd, &ps);
    if (v->sb_dirty)
        update_scrollbar(v);
}

/* --- links ------------------------------------------------------------------------- */

/* Opens the link s[from, to) of a line (gui/linkopen.h): only http:// and
 * https:// addresses (u16_link_url makes www. one), never anything else;
 * one that cannot be opened beeps. */
static void open_link(LogView *v, const ChatLogLine *line, uint32_t from, uint32_t to)
{
    char url[U16_LINK_MAX + 16];
    size_t n = u16_link_url(line->text + from, to - from, url, sizeof url);
    if (n > 0 && v->opener &&
        (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)) {
        v->opener(v->opener_ctx, url);
        return;
    }
    if (n == 0 || !linkopen_open(url))
        MessageBeep(MB_ICONWARNING);
}

static void copy_text(LogView *v, const wchar_t *s, size_t n)
{
    HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, (n + 1) * sizeof(wchar_t));
    if (mem == NULL)
        return;
    wchar_t *p = GlobalLock(mem);
    memcpy(p, s, n * sizeof(wchar_t));
    p[n] = L'\0';
    GlobalUnlock(mem);
    if (OpenClipboard(v->hwnd)) {
        EmptyClipboard();
        if (SetClipboardData(CF_UNICODETEXT, mem))
            mem = NULL;
        CloseClipboard();
    }
    if (mem)
        GlobalFree(mem);
}

/* --- public calls ---------------------------------------------------------------------- */

/* The pane's one message (LVS_PLAIN): its text as it came, or NULL. */
static const ChatLogLine *plain_line(LogView *v, uint32_t *len)
{
    const ChatLogLine *line = chatlog_line(v->log, chatlog_last_seq(v->log));
    *len = line ? line->len - line->name_len : 0;
    return line;
}

void logview_copy(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    ChatLogPos from, to;
    if (v == NULL || !chatlog_selection(v->log, &from, &to))
        return;
    if (v->plain) { /* the selected part of the message, nothing added */
        uint32_t len;
        const ChatLogLine *line = plain_line(v, &len);
        if (line && from.seq == line->seq && to.seq == line->seq && to.off <= line->len)
            copy_text(v, (const wchar_t *)line->text + from.off, to.off - from.off);
        return;
    }
    size_t n = chatlog_format(v->log, from, to, NULL, 0);
    uint16_t *buf = malloc((n + 1) * sizeof *buf);
    if (buf == NULL)
        return;
    chatlog_format(v->log, from, to, buf, n + 1);
    copy_text(v, (const wchar_t *)buf, n);
    free(buf);
}

void logview_select_all(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    if (v) {
        chatlog_select_all(v->log);
        changed(v);
    }
}

bool logview_has_selection(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    ChatLogPos a, b;
    return v && chatlog_selection(v->log, &a, &b);
}

ChatLog *logview_model(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    return v ? v->log : NULL;
}

void logview_set_opener(HWND hwnd, LogViewOpener opener, void *ctx)
{
    LogView *v = view_of(hwnd);
    if (v) {
        v->opener = opener;
        v->opener_ctx = ctx;
    }
}

void logview_append(HWND hwnd, uint32_t time, ChatLogKind kind, unsigned flags,
                    const wchar_t *name, size_t name_len, const wchar_t *text, size_t text_len)
{
    LogView *v = view_of(hwnd);
    if (v == NULL)
        return;
    uint64_t seq = chatlog_append(v->log, time, kind, flags, (const uint16_t *)name, name_len,
                                  (const uint16_t *)text, text_len);
    if (seq == 0)
        return;
    if (v->background && v->marker_armed) {
        chatlog_set_marker(v->log, seq);
        v->marker_armed = false;
    }
    v->lines_added = true;
}

static void find_update_count(LogView *v);

/* Room for a line of len bytes as shown: a name's invisible characters
 * are spelled out (2 bytes of a C1 control become 8, one blank ANSI byte
 * "<0xNN>" 6, a space at a name's ends 8: COMPOSE_GROWTH at most), and the
 * end mark. */
static bool scratch_for(LogView *v, size_t len)
{
    size_t cap = len * COMPOSE_GROWTH + 128;
    if (v->scratch_cap >= cap)
        return true;
    char *nb = realloc(v->scratch, cap);
    if (nb)
        v->scratch = nb;
    wchar_t *nw = nb ? realloc(v->wide, cap * sizeof *nw) : NULL;
    if (nw == NULL)
        return false;
    v->wide = nw;
    v->scratch_cap = cap;
    return true;
}

void logview_add_line(HWND hwnd, const char *line, size_t len, LineEnd end, bool local,
                      const char *me)
{
    LogView *v = view_of(hwnd);
    SYSTEMTIME t;
    size_t name_len = 0;
    if (v == NULL || !scratch_for(v, len))
        return;
    size_t cap = v->scratch_cap;
    size_t n = compose_log_parts(v->scratch, cap, line, len, end, local, &name_len);
    ChatLogKind kind = local ? CHATLOG_LOCAL
                       : compose_line_kind(line, len) == LINE_NOTICE ? CHATLOG_NOTICE
                                                                     : CHATLOG_CHAT;
    /* Decoded part by part: UTF-8 when valid, else the ANSI code page. */
    size_t wn_name = text_bytes_to_wide(v->scratch, name_len, v->wide, cap);
    size_t wn_text = text_bytes_to_wide(v->scratch + name_len, n - name_len, v->wide + wn_name,
                                        cap - wn_name);
    text_show_controls(v->wide, wn_name + wn_text);
    unsigned flags = 0;
    wchar_t me16[PROTO_NAME_BUF];
    size_t me_len = me ? text_utf8_to_wide(me, me16, PROTO_NAME_BUF) : 0;
    if (kind == CHATLOG_CHAT && me && compose_is_from(line, len, me))
        flags |= CHATLOG_OWN;
    else if (kind == CHATLOG_CHAT && me_len > 0 &&
             u16_mentions((const uint16_t *)(v->wide + wn_name), wn_text,
                          (const uint16_t *)me16, me_len))
        flags |= CHATLOG_MENTION;
    GetLocalTime(&t);
    logview_append(hwnd, (uint32_t)(t.wHour * 3600 + t.wMinute * 60 + t.wSecond), kind, flags,
                   v->wide, wn_name, v->wide + wn_name, wn_text);
}

void logview_flush(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    if (v == NULL || !v->lines_added)
        return;
    v->lines_added = false;
    changed(v);
    if (v->find_open)
        find_update_count(v); /* hits came and went with the lines */
    /* Screen readers hear of new lines, at most four times a second. */
    if (!v->event_due) {
        v->event_due = true;
        SetTimer(hwnd, TIMER_EVENT, EVENT_MS, NULL);
    }
}

void logview_clear(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    if (v) {
        chatlog_clear(v->log);
        changed(v);
    }
}

void logview_set_max(HWND hwnd, size_t lines)
{
    LogView *v = view_of(hwnd);
    if (v) {
        chatlog_set_max(v->log, lines);
        changed(v);
    }
}

static uint32_t sys_color(int index)
{
    COLORREF c = GetSysColor(index);
    return ((uint32_t)GetRValue(c) << 16) | ((uint32_t)GetGValue(c) << 8) | GetBValue(c);
}

/* The colours: the theme's, or with High Contrast on, the system's own
 * (what a user who needs it chose: no tints, no name colours). */
static void pick_colors(LogView *v)
{
    HIGHCONTRASTW hc;
    memset(&hc, 0, sizeof hc);
    hc.cbSize = sizeof hc;
    v->high_contrast = SystemParametersInfoW(SPI_GETHIGHCONTRAST, sizeof hc, &hc, 0) &&
                       (hc.dwFlags & HCF_HIGHCONTRASTON);
    if (!v->high_contrast) {
        v->tc = theme_colors(v->dark);
        return;
    }
    ThemeColors *c = &v->hc_colors;
    c->back = c->own_back = c->mention_back = sys_color(COLOR_WINDOW);
    c->text = c->dim = c->local = c->marker = sys_color(COLOR_WINDOWTEXT);
    c->sel_back = c->current_back = c->match_back = sys_color(COLOR_HIGHLIGHT);
    c->sel_text = sys_color(COLOR_HIGHLIGHTTEXT);
    c->link = sys_color(COLOR_HOTLIGHT);
    v->tc = c;
}

void logview_set_theme(HWND hwnd, bool dark)
{
    LogView *v = view_of(hwnd);
    if (v) {
        v->dark = dark;
        pick_colors(v);
        InvalidateRect(hwnd, NULL, TRUE);
    }
}

void logview_set_background(HWND hwnd, bool background)
{
    LogView *v = view_of(hwnd);
    if (v == NULL || v->background == background)
        return;
    v->background = background;
    /* Leaving: the next line to arrive is where the unread part begins.
     * Coming back leaves the marker where it is, so you can see what you
     * missed; it moves the next time you leave. */
    if (background)
        v->marker_armed = true;
}

/* --- the find bar ---------------------------------------------------------------------- */

static void find_update_count(LogView *v)
{
    wchar_t text[64];
    size_t n = chatlog_find_count(v->log);
    if (GetWindowTextLengthW(v->find_edit) == 0)
        text[0] = L'\0';
    else if (n == 0)
        swprintf(text, 64, L"No matches");
    else
        swprintf(text, 64, L"%lu match%ls", (unsigned long)n, n == 1 ? L"" : L"es");
    SetWindowTextW(v->find_count, text);
}

static void find_layout(LogView *v)
{
    if (!v->find_open)
        return;
    RECT rc;
    GetClientRect(v->hwnd, &rc);
    int y = rc.bottom - v->bar_h + 4, h = v->bar_h - 8;
    int c = v->bar_cw, lw = 6 * c, ew = 24 * c, cw = 22 * c;
    MoveWindow(v->find_label, c, y + 2, lw, h, TRUE);
    MoveWindow(v->find_edit, c + lw, y, ew, h, TRUE);
    MoveWindow(v->find_count, 2 * c + lw + ew, y + 2, cw, h, TRUE);
}

static void find_search(LogView *v)
{
    wchar_t needle[256];
    int n = GetWindowTextW(v->find_edit, needle, 256);
    chatlog_find_set(v->log, (const uint16_t *)needle, n > 0 ? (size_t)n : 0);
    if (n > 0)
        chatlog_find_next(v->log, false);
    find_update_count(v);
    changed(v);
}

static void find_close(LogView *v)
{
    if (!v->find_open)
        return;
    v->find_open = false;
    chatlog_find_set(v->log, NULL, 0);
    ShowWindow(v->find_label, SW_HIDE);
    ShowWindow(v->find_edit, SW_HIDE);
    ShowWindow(v->find_count, SW_HIDE);
    set_geometry(v);
    changed(v);
    SetFocus(v->hwnd);
}

static LRESULT CALLBACK find_edit_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    LogView *v = view_of(GetParent(hwnd));
    if (v == NULL)
        return DefWindowProcW(hwnd, msg, wp, lp);
    switch (msg) {
    case WM_GETDLGCODE: {
        /* Esc and Enter are the find bar's own: the dialog manager must
         * not turn them into Cancel or Send. */
        const MSG *m = (const MSG *)lp;
        LRESULT code = CallWindowProcW(v->find_edit_proc, hwnd, msg, wp, lp);
        if (m && m->message == WM_KEYDOWN && (m->wParam == VK_ESCAPE || m->wParam == VK_RETURN))
            code |= DLGC_WANTMESSAGE;
        return code;
    }
    case WM_KEYDOWN:
        if (wp == VK_ESCAPE) {
            find_close(v);
            return 0;
        }
        if (wp == VK_RETURN) {
            chatlog_find_next(v->log, GetKeyState(VK_SHIFT) < 0);
            changed(v);
            return 0;
        }
        break;
    case WM_CHAR:
        if (wp == 0x1B || wp == L'\r' || wp == L'\n')
            return 0;
        break;
    default:
        break;
    }
    return CallWindowProcW(v->find_edit_proc, hwnd, msg, wp, lp);
}

void logview_find(HWND hwnd)
{
    LogView *v = view_of(hwnd);
    if (v == NULL)
        return;
    if (!v->find_edit) {
        HINSTANCE inst = (HINSTANCE)GetWindowLongPtrW(hwnd, GWLP_HINSTANCE);
        v->find_label = CreateWindowExW(0, L"STATIC", L"&Find:", WS_CHILD | SS_LEFT, 0, 0, 0,
                                        0, hwnd, NULL, inst, NULL);
        v->find_edit = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"",
                                       WS_CHILD | WS_TABSTOP | ES_AUTOHSCROLL, 0, 0, 0, 0, hwnd,
                                       (HMENU)(INT_PTR)FIND_EDIT_ID, inst, NULL);
        v->find_count = CreateWindowExW(0, L"STATIC", L"", WS_CHILD | SS_LEFT, 0, 0, 0, 0, hwnd,
                                        (HMENU)(INT_PTR)FIND_TEXT_ID, inst, NULL);
        if (!v->find_label || !v->find_edit || !v->find_count)
            return;
        SendMessageW(v->find_edit, EM_SETLIMITTEXT, 255, 0);
        v->find_edit_proc =
            (WNDPROC)SetWindowLongPtrW(v->find_edit, GWLP_WNDPROC, (LONG_PTR)find_edit_proc);
    }
    HWND kids[] = {v->find_label, v->find_edit, v->find_count};
    for (int i = 0; i < 3; i++)
        SendMessageW(kids[i], WM_SETFONT, (WPARAM)bar_font(v), FALSE);
    if (!v->find_open) {
        v->find_open = true;
        set_geometry(v);
        find_layout(v);
        for (int i = 0; i < 3; i++)
            ShowWindow(kids[i], SW_SHOWNA);
        /* What was selected is what to find, as in most editors. */
        ChatLogPos a, b;
        if (chatlog_selection(v->log, &a, &b) && a.seq == b.seq && b.off - a.off < 200) {
            const ChatLogLine *line = chatlog_line(v->log, a.seq);
            wchar_t word[201];
            if (line && b.off <= line->len) {
                memcpy(word, line->text + a.off, (b.off - a.off) * sizeof(wchar_t));
                word[b.off - a.off] = L'\0';
                SetWindowTextW(v->find_edit, word);
            }
        }
        changed(v);
    }
    SetFocus(v->find_edit);
    SendMessageW(v->find_edit, EM_SETSEL, 0, -1);
    find_search(v);
}

bool logview_find_next(HWND hwnd, bool backward)
{
    LogView *v = view_of(hwnd);
    if (v == NULL)
        return false;
    if (!v->find_open || GetWindowTextLengthW(v->find_edit) == 0) {
        logview_find(hwnd);
        return false;
    }
    bool found = chatlog_find_next(v->log, backward);
    changed(v);
    return found;
}

/* --- input --------------------------------------------------------------------------- */

static void scroll_rows(LogView *v, long rows)
{
    if (rows == 0)
        return;
    chatlog_scroll_rows(v->log, rows);
    changed(v);
}

static void on_vscroll(LogView *v, int code)
{
    SCROLLINFO si = {sizeof si, SIF_ALL, 0, 0, 0, 0, 0};
    GetScrollInfo(v->hwnd, SB_VERT, &si);
    int page = chatlog_page_rows(v->log);
    switch (code) {
    case SB_LINEUP: scroll_rows(v, -1); break;
    case SB_LINEDOWN: scroll_rows(v, 1); break;
    case SB_PAGEUP: scroll_rows(v, -(page > 1 ? page - 1 : 1)); break;
    case SB_PAGEDOWN: scroll_rows(v, page > 1 ? page - 1 : 1); break;
    case SB_TOP:
        chatlog_scroll_home(v->log);
        changed(v);
        break;
    case SB_BOTTOM:
        chatlog_scroll_end(v->log);
        changed(v);
        break;
    case SB_THUMBTRACK:
    case SB_THUMBPOSITION:
        if (si.nTrackPos + (int)si.nPage > si.nMax)
            chatlog_scroll_end(v->log); /* the thumb at the bottom follows again */
        else
            chatlog_scroll_to_index(v->log, (size_t)(si.nTrackPos < 0 ? 0 : si.nTrackPos));
        changed(v);
        break;
    default:
        break;
    }
}

/* High-resolution wheels send fractions of WHEEL_DELTA: they add up. */
static void on_wheel(LogView *v, int delta)
{
    UINT lines = 3;
    SystemParametersInfoW(SPI_GETWHEELSCROLLLINES, 0, &lines, 0);
    if (lines == WHEEL_PAGESCROLL)
        lines = (UINT)chatlog_page_rows(v->log);
    v->wheel_acc += delta;
    long rows = (long)v->wheel_acc * (long)lines / WHEEL_DELTA;
    if (rows != 0) {
        v->wheel_acc -= (int)(rows * WHEEL_DELTA / (long)lines);
        scroll_rows(v, -rows);
    }
}

/* The link at pos. None on a right-to-left line: it is drawn in one piece
 * in GDI's order, not underlined, and the model's mirrored hit-test would
 * put a click on one link onto another. */
static bool link_at(LogView *v, ChatLogPos pos, uint32_t *from, uint32_t *to)
{
    const ChatLogLine *line = chatlog_line(v->log, pos.seq);
    if (line == NULL || (line->flags & CHATLOG_RTL))
        return false;
    return chatlog_link_at(v->log, pos, from, to);
}

static bool link_under(LogView *v, int x, int y, ChatLogPos *pos, uint32_t *from, uint32_t *to)
{
    if (chatlog_hit(v->log, x, y, pos) != CHATLOG_HIT_TEXT)
        return false;
    return link_at(v, *pos, from, to);
}

static void on_button_down(LogView *v, int x, int y, bool dbl)
{
    ChatLogPos pos;
    SetFocus(v->hwnd);
    POINT at = {x, y};
    if (PtInRect(&v->waiting_rc, at)) { /* the "new lines below" tab */
        chatlog_scroll_end(v->log);
        changed(v);
        return;
    }
    ChatLogWhere where = chatlog_hit(v->log, x, y, &pos);
    DWORD now = GetTickCount();
    POINT pt = {x, y};
    if (dbl) {
        chatlog_select_word(v->log, pos);
        v->last_dbl_time = now;
        v->last_dbl_pt = pt;
        v->pressed = false;
        changed(v);
        return;
    }
    /* A click just after a double-click, at the same place: the line. */
    if (v->last_dbl_time && now - v->last_dbl_time <= GetDoubleClickTime() &&
        abs(x - v->last_dbl_pt.x) <= GetSystemMetrics(SM_CXDOUBLECLK) &&
        abs(y - v->last_dbl_pt.y) <= GetSystemMetrics(SM_CYDOUBLECLK)) {
        v->last_dbl_time = 0;
        chatlog_select_line(v->log, pos);
        v->pressed = false;
        changed(v);
        return;
    }
    v->last_dbl_time = 0;
    /* The link pressed, by line and start: only that one opens on release
     * (lines arriving meanwhile move another under the mouse). */
    uint32_t lf = 0, lt;
    v->press_link = where == CHATLOG_HIT_TEXT && link_at(v, pos, &lf, &lt);
    v->press_seq = pos.seq;
    v->press_from = lf;
    if (GetKeyState(VK_SHIFT) < 0) {
        ChatLogPos a, b;
        ChatLogPos anchor = chatlog_selection(v->log, &a, &b) ? v->anchor : chatlog_caret(v->log);
        v->anchor = anchor;
        chatlog_select(v->log, anchor, pos);
    } else {
        v->anchor = pos;
        chatlog_select(v->log, pos, pos);
    }
    v->pressed = true;
    v->dragged = false;
    v->press_pt = pt;
    SetCapture(v->hwnd);
    changed(v);
}

static void drag_to(LogView *v, int x, int y)
{
    ChatLogPos pos;
    chatlog_hit(v->log, x, y, &pos);
    chatlog_select(v->log, v->anchor, pos);
    changed(v);
}

static void on_mouse_move(LogView *v, int x, int y)
{
    if (!v->pressed)
        return;
    if (!v->dragged && abs(x - v->press_pt.x) < GetSystemMetrics(SM_CXDRAG) &&
        abs(y - v->press_pt.y) < GetSystemMetrics(SM_CYDRAG))
        return;
    v->dragged = true;
    v->drag_pt.x = x;
    v->drag_pt.y = y;
    drag_to(v, x, y);
    int h = text_area_height(v);
    if (y < 0 || y >= h)
        SetTimer(v->hwnd, TIMER_DRAG, DRAG_MS, NULL);
    else
        KillTimer(v->hwnd, TIMER_DRAG);
}

static void on_button_up(LogView *v, int x, int y)
{
    if (!v->pressed)
        return;
    v->pressed = false;
    KillTimer(v->hwnd, TIMER_DRAG);
    ReleaseCapture();
    ChatLogPos pos;
    uint32_t from, to;
    /* A click (no drag) on a link opens it. */
    if (!v->dragged && v->press_link && link_under(v, x, y, &pos, &from, &to) &&
        pos.seq == v->press_seq && from == v->press_from) {
        const ChatLogLine *line = chatlog_line(v->log, pos.seq);
        if (line)
            open_link(v, line, from, to);
    }
}

static void on_set_cursor(LogView *v)
{
    POINT pt;
    ChatLogPos pos;
    uint32_t from, to;
    GetCursorPos(&pt);
    ScreenToClient(v->hwnd, &pt);
    LPCWSTR cur = (LPCWSTR)IDC_ARROW;
    if (pt.y < text_area_height(v)) {
        if (link_under(v, pt.x, pt.y, &pos, &from, &to))
            cur = (LPCWSTR)IDC_HAND;
        else if (pt.x >= chatlog_text_x(v->log))
            cur = (LPCWSTR)IDC_IBEAM;
    }
    SetCursor(LoadCursorW(NULL, cur));
}

static bool on_key(LogView *v, WPARAM key, bool repeat)
{
    bool shift = GetKeyState(VK_SHIFT) < 0, ctrl = GetKeyState(VK_CONTROL) < 0;
    ChatLogMove how;
    switch (key) {
    case VK_LEFT: how = ctrl ? CHATLOG_WORD_LEFT : CHATLOG_LEFT; break;
    case VK_RIGHT: how = ctrl ? CHATLOG_WORD_RIGHT : CHATLOG_RIGHT; break;
    case VK_UP:
        if (ctrl) {
            scroll_rows(v, -1);
            return true;
        }
        how = CHATLOG_UP;
        break;
    case VK_DOWN:
        if (ctrl) {
            scroll_rows(v, 1);
            return true;
        }
        how = CHATLOG_DOWN;
        break;
    case VK_PRIOR: how = CHATLOG_PAGE_UP; break;
    case VK_NEXT: how = CHATLOG_PAGE_DOWN; break;
    case VK_HOME: how = ctrl ? CHATLOG_DOC_START : CHATLOG_ROW_START; break;
    case VK_END: how = ctrl ? CHATLOG_DOC_END : CHATLOG_ROW_END; break;
    case VK_RETURN: {
        /* Enter on a link the caret is in opens it, once: a held key's
         * repeats open nothing more. */
        ChatLogPos c = chatlog_caret(v->log);
        uint32_t from, to;
        const ChatLogLine *line = chatlog_line(v->log, c.seq);
        if (!repeat && line && link_at(v, c, &from, &to))
            open_link(v, line, from, to);
        return true;
    }
    case VK_ESCAPE:
        find_close(v);
        return true;
    default:
        return false;
    }
    chatlog_move(v->log, how, shift);
    if (how == CHATLOG_DOC_END && !shift)
        chatlog_scroll_end(v->log);
    changed(v);
    return true;
}

enum { CMD_COPY = 1, CMD_COPY_LINK, CMD_SELECT_ALL, CMD_FIND, CMD_CLEAR };

static void on_context_menu(LogView *v, int sx, int sy)
{
    POINT pt = {sx, sy};
    ChatLogPos pos;
    uint32_t lf = 0, lt = 0;
    bool link = false;
    if (sx == -1 && sy == -1) { /* the keyboard's menu key: at the caret */
        GetCaretPos(&pt);
        pt.y += v->row_h;
        ClientToScreen(v->hwnd, &pt);
        ChatLogPos c = chatlog_caret(v->log);
        link = link_at(v, c, &lf, &lt);
        pos = c;
    } else {
        POINT cp = pt;
        ScreenToClient(v->hwnd, &cp);
        link = link_under(v, cp.x, cp.y, &pos, &lf, &lt);
    }
    HMENU m = CreatePopupMenu();
    if (m == NULL)
        return;
    AppendMenuW(m, logview_has_selection(v->hwnd) ? MF_STRING : MF_STRING | MF_GRAYED, CMD_COPY,
                L"&Copy\tCtrl+C");
    AppendMenuW(m, link ? MF_STRING : MF_STRING | MF_GRAYED, CMD_COPY_LINK, L"Copy &link");
    AppendMenuW(m, MF_STRING, CMD_SELECT_ALL, L"Select &all\tCtrl+A");
    if (!v->plain) { /* the pane holds one message: nothing to find or clear */
        AppendMenuW(m, MF_SEPARATOR, 0, NULL);
        AppendMenuW(m, MF_STRING, CMD_FIND, L"&Find...\tCtrl+F");
        AppendMenuW(m, MF_SEPARATOR, 0, NULL);
        AppendMenuW(m, MF_STRING, CMD_CLEAR, L"C&lear log\tCtrl+L");
    }
    int cmd = TrackPopupMenu(m, TPM_RETURNCMD | TPM_RIGHTBUTTON, pt.x, pt.y, 0, v->hwnd, NULL);
    DestroyMenu(m);
    switch (cmd) {
    case CMD_COPY: logview_copy(v->hwnd); break;
    case CMD_COPY_LINK: {
        const ChatLogLine *line = chatlog_line(v->log, pos.seq);
        char url[U16_LINK_MAX + 16];
        wchar_t wide[U16_LINK_MAX + 16];
        size_t n = line ? u16_link_url(line->text + lf, lt - lf, url, sizeof url) : 0;
        if (n > 0) {
            int k = MultiByteToWideChar(CP_UTF8, 0, url, (int)n, wide, U16_LINK_MAX + 16);
            copy_text(v, wide, k > 0 ? (size_t)k : 0);
        }
        break;
    }
    case CMD_SELECT_ALL: logview_select_all(v->hwnd); break;
    case CMD_FIND: logview_find(v->hwnd); break;
    case CMD_CLEAR: logview_clear(v->hwnd); break;
    default: break;
    }
}

/* --- the window procedure --------------------------------------------------------------- */

static wchar_t *acc_value(void *ctx)
{
    LogView *v = ctx;
    if (v->plain) {
        uint32_t len;
        const ChatLogLine *line = plain_line(v, &len);
        wchar_t *text = malloc(((size_t)len + 1) * sizeof *text);
        if (text) {
            if (line)
                memcpy(text, line->text + line->name_len, len * sizeof *text);
            text[len] = L'\0';
        }
        return text;
    }
    size_t n = chatlog_format_view(v->log, NULL, 0);
    uint16_t *buf = malloc((n + 1) * sizeof *buf);
    if (buf)
        chatlog_format_view(v->log, buf, n + 1);
    return (wchar_t *)buf;
}

static LogView *on_create(HWND hwnd, const CREATESTRUCTW *cs)
{
    LogView *v = calloc(1, sizeof *v);
    if (v == NULL)
        return NULL;
    v->hwnd = hwnd;
    v->plain = (cs->style & LVS_PLAIN) != 0;
    v->mdc = CreateCompatibleDC(NULL);
    v->min_char_w = 1;
    v->log = v->mdc ? chatlog_new(v->plain ? CHATLOG_MIN_LINES : CHATLOG_DEFAULT_LINES,
                                  fit_text, v)
                    : NULL;
    v->acc = logacc_new(hwnd, cs->lpszName && !IS_INTRESOURCE(cs->lpszName) ? cs->lpszName : L"",
                        acc_value, v);
    if (v->log == NULL || v->acc == NULL) {
        if (v->acc)
            logacc_detach(v->acc);
        chatlog_free(v->log);
        if (v->mdc)
            DeleteDC(v->mdc);
        free(v);
        return NULL;
    }
    pick_colors(v);
    SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)v);
    take_font(v, NULL);
    return v;
}

static void on_destroy(LogView *v)
{
    SetWindowLongPtrW(v->hwnd, GWLP_USERDATA, 0);
    logacc_detach(v->acc);
    if (v->find_edit && v->find_edit_proc)
        SetWindowLongPtrW(v->find_edit, GWLP_WNDPROC, (LONG_PTR)v->find_edit_proc);
    if (v->back_dc) {
        SelectObject(v->back_dc, v->back_old);
        DeleteObject(v->back_bmp);
        DeleteDC(v->back_dc);
    }
    if (v->font_ul)
        DeleteObject(v->font_ul);
    DeleteDC(v->mdc);
    chatlog_free(v->log);
    free(v->dx);
    free(v->scratch);
    free(v->wide);
    free(v);
}

/* WM_GETTEXT: the whole log as plain text lines, like the EDIT it replaced. */
static LRESULT get_text(LogView *v, WPARAM cap, LPARAM out)
{
    if (cap == 0 || out == 0)
        return 0;
    if (v->plain) {
        uint32_t len;
        const ChatLogLine *line = plain_line(v, &len);
        size_t n = len < cap - 1 ? len : cap - 1;
        if (line)
            memcpy((wchar_t *)out, line->text + line->name_len, n * sizeof(wchar_t));
        ((wchar_t *)out)[n] = L'\0';
        return (LRESULT)n;
    }
    size_t n = chatlog_format_all(v->log, (uint16_t *)out, (size_t)cap);
    return (LRESULT)(n < (size_t)cap ? n : (size_t)cap - 1);
}

static LRESULT CALLBACK view_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    LogView *v = view_of(hwnd);
    if (msg == WM_CREATE)
        return on_create(hwnd, (const CREATESTRUCTW *)lp) ? 0 : -1;
    if (v == NULL)
        return DefWindowProcW(hwnd, msg, wp, lp);
    switch (msg) {
    case WM_DESTROY:
        on_destroy(v);
        return 0;
    case WM_SIZE:
        set_geometry(v);
        find_layout(v);
        changed(v);
        return 0;
    case WM_SETFONT:
        take_font(v, (HFONT)wp);
        if (v->find_edit) {
            HWND kids[] = {v->find_label, v->find_edit, v->find_count};
            for (int i = 0; i < 3; i++)
                SendMessageW(kids[i], WM_SETFONT, (WPARAM)bar_font(v), FALSE);
            find_layout(v);
        }
        if (v->caret_made) {
            DestroyCaret();
            CreateCaret(hwnd, NULL, 1, v->row_h);
            ShowCaret(hwnd);
        }
        if (LOWORD(lp))
            InvalidateRect(hwnd, NULL, TRUE);
        changed(v);
        return 0;
    case WM_GETFONT:
        return (LRESULT)v->font;
    case WM_ERASEBKGND:
        return 1; /* on_paint covers every pixel */
    case WM_PAINT:
        on_paint(v);
        return 0;
    case WM_PRINTCLIENT: { /* a print of the window (magnifiers, AnimateWindow) */
        RECT rc;
        GetClientRect(hwnd, &rc);
        paint_into(v, (HDC)wp, &rc);
        return 0;
    }
    case WM_GETTEXT:
        return get_text(v, wp, lp);
    case WM_GETTEXTLENGTH: {
        uint32_t len;
        if (v->plain && plain_line(v, &len))
            return (LRESULT)len;
        return v->plain ? 0 : (LRESULT)chatlog_format_all(v->log, NULL, 0);
    }
    case WM_SETTEXT:
        /* The pane: the text is its message. The log: the EDIT's way of
         * clearing, "" clears; other text is not ours to take (the log is
         * lines from the server). */
        if (v->plain) {
            const wchar_t *t = lp ? (const wchar_t *)lp : L"";
            chatlog_clear(v->log);
            if (t[0])
                logview_append(hwnd, 0, CHATLOG_CHAT, 0, NULL, 0, t, wcslen(t));
            v->lines_added = true;
            chatlog_scroll_home(v->log);
            logview_flush(hwnd);
        } else if (lp && ((const wchar_t *)lp)[0] == L'\0') {
            logview_clear(hwnd);
        }
        return TRUE;
    case WM_GETOBJECT: {
        /* A failed LresultFromObject is an HRESULT: the system's proxy
         * then answers, which at least has the text (WM_GETTEXT). */
        LRESULT r = logacc_get_object(v->acc, wp, lp);
        return r > 0 ? r : DefWindowProcW(hwnd, msg, wp, lp);
    }
    case WM_COPY:
        logview_copy(hwnd);
        return 0;
    case EM_SETSEL: /* Edit > Select All sends (0, -1) */
        if (wp == 0 && lp == -1)
            logview_select_all(hwnd);
        else {
            chatlog_select_none(v->log);
            changed(v);
        }
        return 0;
    case EM_GETSEL: { /* whether something is selected: (0, 1) or (0, 0) */
        DWORD to = logview_has_selection(hwnd) ? 1 : 0;
        if (wp)
            *(DWORD *)wp = 0;
        if (lp)
            *(DWORD *)lp = to;
        return MAKELRESULT(0, to);
    }
    case WM_GETDLGCODE: {
        /* Arrows and Page keys are the view's; Enter too (a link), and Esc
         * while the find bar is open. Tab and F6 stay the dialog's. */
        LRESULT code = DLGC_WANTARROWS;
        const MSG *m = (const MSG *)lp;
        if (m && m->message == WM_KEYDOWN &&
            (m->wParam == VK_RETURN || (m->wParam == VK_ESCAPE && v->find_open)))
            code |= DLGC_WANTMESSAGE;
        return code;
    }
    case WM_KEYDOWN:
        if (on_key(v, wp, (lp & 0x40000000) != 0))
            return 0;
        break;
    case WM_CHAR:
        return 0; /* read-only: Enter and Esc make no beep either */
    case WM_SETFOCUS:
        caret_into_view(v);
        CreateCaret(hwnd, NULL, 1, v->row_h);
        v->caret_made = true;
        place_caret(v);
        ShowCaret(hwnd);
        InvalidateRect(hwnd, NULL, FALSE);
        NotifyWinEvent(EVENT_OBJECT_FOCUS, hwnd, OBJID_CLIENT, CHILDID_SELF);
        return 0;
    case WM_KILLFOCUS:
        if (v->caret_made) {
            DestroyCaret();
            v->caret_made = false;
        }
        return 0;
    case WM_LBUTTONDOWN:
        on_button_down(v, (short)LOWORD(lp), (short)HIWORD(lp), false);
        return 0;
    case WM_LBUTTONDBLCLK:
        on_button_down(v, (short)LOWORD(lp), (short)HIWORD(lp), true);
        return 0;
    case WM_MOUSEMOVE:
        on_mouse_move(v, (short)LOWORD(lp), (short)HIWORD(lp));
        return 0;
    case WM_LBUTTONUP:
        on_button_up(v, (short)LOWORD(lp), (short)HIWORD(lp));
        return 0;
    case WM_CAPTURECHANGED:
        v->pressed = false;
        KillTimer(hwnd, TIMER_DRAG);
        return 0;
    case WM_SETCURSOR:
        if (LOWORD(lp) == HTCLIENT) {
            on_set_cursor(v);
            return TRUE;
        }
        break;
    case WM_MOUSEWHEEL:
        on_wheel(v, GET_WHEEL_DELTA_WPARAM(wp));
        return 0;
    case WM_VSCROLL:
        on_vscroll(v, LOWORD(wp));
        return 0;
    case WM_CONTEXTMENU:
        on_context_menu(v, (short)LOWORD(lp), (short)HIWORD(lp));
        return 0;
    case WM_TIMER:
        if (wp == TIMER_DRAG && !v->pressed) {
            KillTimer(hwnd, TIMER_DRAG);
        } else if (wp == TIMER_DRAG) {
            int h = text_area_height(v);
            scroll_rows(v, v->drag_pt.y < 0 ? -1 : v->drag_pt.y >= h ? 1 : 0);
            drag_to(v, v->drag_pt.x, v->drag_pt.y);
        } else if (wp == TIMER_EVENT) {
            KillTimer(hwnd, TIMER_EVENT);
            v->event_due = false;
            NotifyWinEvent(EVENT_OBJECT_VALUECHANGE, hwnd, OBJID_CLIENT, CHILDID_SELF);
        }
        return 0;
    case WM_COMMAND:
        if (LOWORD(wp) == FIND_EDIT_ID && HIWORD(wp) == EN_CHANGE) {
            find_search(v);
            return 0;
        }
        break;
    case WM_SETTINGCHANGE:
    case WM_SYSCOLORCHANGE:
        /* High Contrast turned on or off, or its colours changed. */
        pick_colors(v);
        InvalidateRect(hwnd, NULL, FALSE);
        break;
    case WM_CTLCOLORSTATIC:
        SetBkColor((HDC)wp, GetSysColor(COLOR_BTNFACE));
        return (LRESULT)GetSysColorBrush(COLOR_BTNFACE);
    default:
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

bool logview_register(HINSTANCE inst)
{
    WNDCLASSEXW wc;
    linkopen_init();
    if (GetClassInfoExW(inst, LOGVIEW_CLASS, &wc))
        return true;
    memset(&wc, 0, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.style = CS_DBLCLKS;
    wc.lpfnWndProc = view_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_IBEAM);
    wc.lpszClassName = LOGVIEW_CLASS;
    return RegisterClassExW(&wc) != 0;
}
