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

static void show(StatusBar *s, StatusPart part)
{
    SendMessageW(s->hwnd, SB_SETTEXTW, (WPARAM)part, (LPARAM)s->text[part]);
    SendMessageW(s->hwnd, SB_SETTIPTEXTW, (WPARAM)part, (LPARAM)s->text[part]);
}

void statusbar_layout(StatusBar *s)
{
    RECT rc;
    GetClientRect(s->hwnd, &rc);
    int with_note[3] = {rc.right / 4, rc.right / 2, -1};
    int without[2] = {rc.right * 2 / 5, -1};
    if (s->text[STATUS_NOTE][0])
        SendMessageW(s->hwnd, SB_SETPARTS, 3, (LPARAM)with_note);
    else
        SendMessageW(s->hwnd, SB_SETPARTS, 2, (LPARAM)without);
    for (int p = 0; p < (s->text[STATUS_NOTE][0] ? 3 : 2); p++)
        show(s, (StatusPart)p);
}

bool statusbar_set(StatusBar *s, StatusPart part, const char *utf8)
{
    wchar_t w[400];
    text_utf8_to_wide(utf8, w, 400);
    if (wcscmp(w, s->text[part]) == 0)
        return false;
    bool had_note = s->text[STATUS_NOTE][0] != 0;
    wcscpy(s->text[part], w);
    if (part == STATUS_NOTE && had_note != (w[0] != 0))
        statusbar_layout(s); /* a note comes or goes: two parts or three */
    else
        show(s, part);
    return true;
}
