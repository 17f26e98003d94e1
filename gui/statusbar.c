/* statusbar.c: the status bar's parts and texts (see statusbar.h). */
#include "gui/statusbar.h"

#include <commctrl.h>

#include "gui/text.h"

void statusbar_init(StatusBar *s, HWND bar)
{
    ZeroMemory(s, sizeof *s);
    s->hwnd = bar;
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
    if (s->text[STATUS_SHARED][0] == 0) {
        int edges[1] = {-1};
        SendMessageW(s->hwnd, SB_SETPARTS, 1, (LPARAM)edges);
        show(s, STATUS_CONNECTION);
        return;
    }
    /* The connection as wide as its text, but never pushing the shared
     * part below a third of the bar; the shared part takes the rest. */
    int want = text_width(s, s->text[STATUS_CONNECTION]);
    int shared = text_width(s, s->text[STATUS_SHARED]);
    int room = rc.right - (shared < rc.right / 3 ? shared : rc.right / 3);
    int edges[2] = {want < room ? want : room, -1};
    SendMessageW(s->hwnd, SB_SETPARTS, 2, (LPARAM)edges);
    show(s, STATUS_CONNECTION);
    show(s, STATUS_SHARED);
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
