/* graph.c: people and messages over 10 minutes (see graph.h). */
#include "gui/graph.h"

#include <string.h>

#include "gui/text.h"

BOOL graph_init(Graph *g, HWND parent, int id, unsigned long long now_ms)
{
    memset(g, 0, sizeof *g);
    history_init(&g->history, now_ms);
    g->hwnd = CreateWindowExW(0, L"STATIC", L"", WS_CHILD | WS_VISIBLE | SS_OWNERDRAW, 0, 0, 0, 0,
                              parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    return g->hwnd != NULL;
}

void graph_reset(Graph *g, unsigned long long now_ms)
{
    history_init(&g->history, now_ms);
    g->signature = 0; /* drawn again at the next update */
}

void graph_update(Graph *g, unsigned long long now_ms, int count, unsigned long chat_lines)
{
    history_count(&g->history, now_ms, count);
    if (chat_lines != g->chat_lines) {
        history_messages(&g->history, now_ms, (unsigned)(chat_lines - g->chat_lines));
        g->chat_lines = chat_lines;
    }
    unsigned long sig = history_signature(&g->history, now_ms);
    if (sig == g->signature)
        return;
    g->signature = sig;
    char text[200];
    wchar_t wide[200], shown[200];
    history_text(&g->history, now_ms, text, sizeof text);
    text_utf8_to_wide(text, wide, 200);
    GetWindowTextW(g->hwnd, shown, 200);
    if (wcscmp(shown, wide) != 0)
        SetWindowTextW(g->hwnd, wide);
    InvalidateRect(g->hwnd, NULL, FALSE);
}

void graph_draw(Graph *g, const DRAWITEMSTRUCT *di, unsigned long long now_ms)
{
    RECT r = di->rcItem;
    HDC dc = di->hDC;
    FillRect(dc, &r, GetSysColorBrush(COLOR_BTNFACE));
    InflateRect(&r, -2, -2);
    int w = r.right - r.left, h = r.bottom - r.top;
    if (w <= 0 || h <= 0)
        return;
    int top = 1;
    unsigned most = 1;
    for (int i = 0; i < HISTORY_BUCKETS; i++) {
        HistoryBucket b = history_bucket(&g->history, now_ms, i);
        if (b.have && b.high > top)
            top = b.high;
        if (b.messages > most)
            most = b.messages;
    }
    /* The ten minutes' extent: a baseline, so the graph reads as one even
     * before it has much to show. */
    RECT base = {r.left, r.bottom - 1, r.right, r.bottom};
    FillRect(dc, &base, GetSysColorBrush(COLOR_3DSHADOW));
    /* Messages: thin bars from the bottom, in the disabled-text colour. */
    HBRUSH bars = GetSysColorBrush(COLOR_GRAYTEXT);
    for (int i = 0; i < HISTORY_BUCKETS; i++) {
        HistoryBucket b = history_bucket(&g->history, now_ms, i);
        if (!b.messages)
            continue;
        RECT bar = {r.left + i * w / HISTORY_BUCKETS,
                    r.bottom - (int)((unsigned long long)b.messages * (unsigned)h / most),
                    r.left + (i + 1) * w / HISTORY_BUCKETS, r.bottom};
        if (bar.right > bar.left + 1)
            bar.right--;
        FillRect(dc, &bar, bars);
    }
    /* People: a line through each bucket's range, in the highlight colour. */
    HPEN pen = CreatePen(PS_SOLID, 1, GetSysColor(COLOR_HIGHLIGHT));
    HGDIOBJ old = SelectObject(dc, pen);
    BOOL drawing = FALSE;
    for (int i = 0; i < HISTORY_BUCKETS; i++) {
        HistoryBucket b = history_bucket(&g->history, now_ms, i);
        if (!b.have) {
            drawing = FALSE;
            continue;
        }
        int x0 = r.left + i * w / HISTORY_BUCKETS, x1 = r.left + (i + 1) * w / HISTORY_BUCKETS;
        int yh = r.bottom - 1 - MulDiv(b.high, h - 1, top);
        int yl = r.bottom - 1 - MulDiv(b.low, h - 1, top);
        if (drawing)
            LineTo(dc, x0, yh);
        else
            MoveToEx(dc, x0, yh, NULL);
        if (yl != yh) {
            LineTo(dc, x0, yl);
            MoveToEx(dc, x0, yh, NULL);
        }
        LineTo(dc, x1, yh);
        drawing = TRUE;
    }
    SelectObject(dc, old);
    DeleteObject(pen);
}
