/* balloon.c: a balloon tip at a control (see balloon.h). */
#include "gui/balloon.h"

#include <commctrl.h>
#include <string.h>

#include "gui/text.h"

void balloon_init(Balloon *b, HWND owner)
{
    memset(b, 0, sizeof *b);
    b->owner = owner;
}

static TTTOOLINFOW tool(Balloon *b, wchar_t *text)
{
    TTTOOLINFOW ti;
    memset(&ti, 0, sizeof ti);
    ti.cbSize = sizeof ti;
    ti.uFlags = TTF_TRACK | TTF_ABSOLUTE;
    ti.hwnd = b->owner;
    ti.uId = 1;
    ti.lpszText = text;
    return ti;
}

void balloon_show(Balloon *b, HWND at, const char *title, const char *text)
{
    wchar_t wtitle[100], wtext[400];
    text_utf8_to_wide(title, wtitle, 100);
    text_utf8_to_wide(text, wtext, 400);
    if (b->tip == NULL) {
        b->tip = CreateWindowExW(0, TOOLTIPS_CLASSW, NULL,
                                 WS_POPUP | TTS_NOPREFIX | TTS_BALLOON | TTS_ALWAYSTIP,
                                 CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT,
                                 b->owner, NULL, GetModuleHandleW(NULL), NULL);
        if (b->tip == NULL)
            return;
        TTTOOLINFOW ti = tool(b, wtext);
        SendMessageW(b->tip, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    }
    balloon_hide(b);
    TTTOOLINFOW ti = tool(b, wtext);
    SendMessageW(b->tip, TTM_UPDATETIPTEXTW, 0, (LPARAM)&ti);
    SendMessageW(b->tip, TTM_SETTITLEW, TTI_WARNING, (LPARAM)wtitle);
    RECT r;
    GetWindowRect(at, &r);
    SendMessageW(b->tip, TTM_SETMAXTIPWIDTH, 0, (r.right - r.left) > 200 ? r.right - r.left : 200);
    /* The stem at the text's start, a little inside the box's top edge. */
    SendMessageW(b->tip, TTM_TRACKPOSITION, 0,
                 MAKELPARAM(r.left + (r.bottom - r.top), r.top + (r.bottom - r.top) / 3));
    SendMessageW(b->tip, TTM_TRACKACTIVATE, TRUE, (LPARAM)&ti);
    b->shown = true;
    SetTimer(b->owner, BALLOON_TIMER, BALLOON_SHOW_MS, NULL);
}

void balloon_hide(Balloon *b)
{
    if (!b->shown || !IsWindow(b->tip))
        return;
    TTTOOLINFOW ti = tool(b, NULL);
    SendMessageW(b->tip, TTM_TRACKACTIVATE, FALSE, (LPARAM)&ti);
    KillTimer(b->owner, BALLOON_TIMER);
    b->shown = false;
}

void balloon_on_timer(Balloon *b)
{
    balloon_hide(b);
}

void balloon_free(Balloon *b)
{
    balloon_hide(b);
    /* An owned popup: the system may have destroyed it with its owner. */
    if (b->tip && IsWindow(b->tip))
        DestroyWindow(b->tip);
    b->tip = NULL;
    KillTimer(b->owner, BALLOON_TIMER);
}
