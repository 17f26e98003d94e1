/* statusbar.c: the status bar's parts and texts (see statusbar.h). */
#include "gui/statusbar.h"

#include <commctrl.h>

#include "gui/text.h"

/* An owner-drawn control in the bar reports to the bar: passed on to the
 * window, which draws it. */
static LRESULT CALLBACK bar_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id,
                                 DWORD_PTR data)
{
    (void)data;
    if (msg == WM_DRAWITEM)
        return SendMessageW(GetParent(hwnd), msg, wp, lp);
    if (msg == WM_NCDESTROY)
        RemoveWindowSubclass(hwnd, bar_proc, id);
    return DefSubclassProc(hwnd, msg, wp, lp);
}

void statusbar_init(StatusBar *s, HWND bar)
{
    ZeroMemory(s, sizeof *s);
    s->hwnd = bar;
    SetWindowSubclass(bar, bar_proc, 1, 0);
    statusbar_layout(s);
}

void statusbar_set_graph(StatusBar *s, HWND graph, int width)
{
    s->graph = graph;
    s->graph_width = width;
    statusbar_layout(s);
}

/* The width a part needs for its text in the bar's font, borders and a
 * little air included. */
static int text_width(const StatusBar *s, const wchar_t *text)
{
    SIZE sz = {0, 0};
    HDC dc = GetDC(s->hwnd);
    HGDIOBJ old = SelectObject(dc, (HFONT)SendMessageW(s->hwnd, WM_GETFONT, 0, 0));
    GetTextExtentPoint32W(dc, text, (int)wcslen(text), &sz);
    SelectObject(dc, old);
    ReleaseDC(s->hwnd, dc);
    int borders[3] = {0, 0, 0};
    SendMessageW(s->hwnd, SB_GETBORDERS, 0, (LPARAM)borders);
    return sz.cx + 2 * borders[2] + 4 * GetSystemMetrics(SM_CXEDGE) + 8;
}

static void show(StatusBar *s, StatusPart part)
{
    SendMessageW(s->hwnd, SB_SETTEXTW, (WPARAM)part, (LPARAM)s->text[part]);
    SendMessageW(s->hwnd, SB_SETTIPTEXTW, (WPARAM)part, (LPARAM)s->text[part]);
}

void statusbar_layout(StatusBar *s)
{
    RECT rc;
    GetClientRect(s->hwnd, &rc);
    int gw = s->graph ? s->graph_width + GetSystemMetrics(SM_CXVSCROLL) : 0; /* and the grip */
    int width = rc.right - gw;
    int edges[3], parts = 0;
    if (s->text[STATUS_SHARED][0] == 0) {
        edges[parts++] = gw ? width : -1;
    } else {
        /* The connection as wide as its text, but never pushing the shared
         * part below a third of the bar; the shared part takes the rest. */
        int want = text_width(s, s->text[STATUS_CONNECTION]);
        int shared = text_width(s, s->text[STATUS_SHARED]);
        int room = width - (shared < width / 3 ? shared : width / 3);
        edges[parts++] = want < room ? want : room;
        edges[parts++] = gw ? width : -1;
    }
    if (gw)
        edges[parts++] = -1;
    SendMessageW(s->hwnd, SB_SETPARTS, (WPARAM)parts, (LPARAM)edges);
    show(s, STATUS_CONNECTION);
    if (s->text[STATUS_SHARED][0])
        show(s, STATUS_SHARED);
    if (s->graph) {
        RECT part;
        SendMessageW(s->hwnd, SB_SETTEXTW, (WPARAM)(parts - 1), (LPARAM)L"");
        SendMessageW(s->hwnd, SB_GETRECT, (WPARAM)(parts - 1), (LPARAM)&part);
        MoveWindow(s->graph, part.left + 2, part.top + 2, s->graph_width,
                   part.bottom - part.top - 4, TRUE);
    }
}

bool statusbar_set(StatusBar *s, StatusPart part, const char *utf8)
{
    wchar_t w[400];
    text_utf8_to_wide(utf8, w, 400);
    if (wcscmp(w, s->text[part]) == 0)
        return false;
    wcscpy(s->text[part], w);
    statusbar_layout(s); /* the widths follow the texts */
    return true;
}
