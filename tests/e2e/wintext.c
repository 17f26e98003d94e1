/* wintext.exe USER WHAT: prints what the chat window of USER shows, read
 * from outside the way a screen reader or a test would (WM_GETTEXT, and the
 * window's WM_APP_STATS counters). WHAT: count, message, log, status, title,
 * or a statistic number (gui/messages.h). Exit 1 when there is no such
 * window; "netstate" is STAT_NET_STATE (3 connected, 4 waiting to reconnect).
 * For the end-to-end script, which drives the windows with xdotool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "gui/messages.h"
#include "resources/resource.h"

static wchar_t want_user[200];
static HWND found;

static BOOL CALLBACK find_cb(HWND hwnd, LPARAM lp)
{
    wchar_t cls[64], title[400];
    (void)lp;
    if (GetClassNameW(hwnd, cls, 64) && wcscmp(cls, L"Win32ChatClient") == 0 &&
        GetWindowTextW(hwnd, title, 400) && wcsstr(title, want_user)) {
        found = hwnd;
        return FALSE;
    }
    return TRUE;
}

static void print_wide(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = malloc((size_t)n);
    WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
}

int main(int argc, char **argv)
{
    static wchar_t text[1 << 20];
    DWORD_PTR r = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: wintext USER count|message|log|status|title|STAT\n");
        return 2;
    }
    swprintf(want_user, 200, L"\x2014 %hs @", argv[1]);
    EnumWindows(find_cb, 0);
    if (!found)
        return 1;
    const char *what = argv[2];
    int id = strcmp(what, "count") == 0     ? IDC_COUNT
             : strcmp(what, "message") == 0 ? IDC_MESSAGE
             : strcmp(what, "log") == 0     ? IDC_LOG
             : strcmp(what, "status") == 0  ? IDC_STATUS
                                            : 0;
    if (strcmp(what, "title") == 0) {
        GetWindowTextW(found, text, 1 << 20);
    } else if (id) {
        SendMessageTimeoutW(GetDlgItem(found, id), WM_GETTEXT, 1 << 20, (LPARAM)text,
                            SMTO_ABORTIFHUNG, 2000, &r);
    } else {
        WPARAM stat = strcmp(what, "netstate") == 0 ? STAT_NET_STATE : (WPARAM)atoi(what);
        SendMessageTimeoutW(found, WM_APP_STATS, stat, 0, SMTO_ABORTIFHUNG, 2000, &r);
        printf("%llu\n", (unsigned long long)r);
        return 0;
    }
    print_wide(text);
    return 0;
}
