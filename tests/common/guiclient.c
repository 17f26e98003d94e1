/* guiclient.c: chat_client.exe under test (see guiclient.h). */
#include "common/guiclient.h"

#include <check.h>
#include <commctrl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "common/winproc.h"
#include "gui/window.h"
#include "resources/resource.h"

#define CLIENT_EXE "..\\..\\gui\\chat_client.exe"

HANDLE gc_proc;
HWND gc_win;

void gc_start(const char *tag, const char *args)
{
    char log[200], ini[200];
    snprintf(log, sizeof log, "%s.client.log", tag);
    snprintf(ini, sizeof ini, "%s.ini", tag);
    SetEnvironmentVariableA("CHAT_CLIENT_INI", ini); /* inherited: no shared settings */
    gc_proc = tp_spawn_ex(CLIENT_EXE, args, 0, log);
    gc_win = NULL;
    for (int i = 0; i < 400 && !gc_win; i++) {
        ck_assert_msg(WaitForSingleObject(gc_proc, 0) == WAIT_TIMEOUT, "chat_client exited early");
        Sleep(25);
        gc_win = chat_window_find(GetProcessId(gc_proc));
    }
    ck_assert_msg(gc_win != NULL, "chat_client's window never appeared");
}

void gc_close(void)
{
    DWORD_PTR r;
    SendMessageTimeoutW(gc_win, WM_CLOSE, 0, 0, SMTO_ABORTIFHUNG, 5000, &r);
    ck_assert_uint_eq(tp_exit_code(gc_proc, 10000), 0);
    gc_proc = NULL;
}

void gc_kill(void)
{
    if (gc_proc)
        tp_kill(gc_proc);
    gc_proc = NULL;
}

unsigned long gc_stat(WindowStat which)
{
    DWORD_PTR r = 0;
    ck_assert_msg(SendMessageTimeoutW(gc_win, WM_APP_STATS, which, 0, SMTO_ABORTIFHUNG, 2000, &r),
                  "the window did not answer");
    return (unsigned long)r;
}

/* Every part of a status bar, joined with " | ": SB_GETTEXTW writes into
 * a buffer the system does not marshal between processes, so the buffer
 * lives in the client's memory and is read back from there. */
static bool status_parts(HWND bar, wchar_t *out, size_t cap)
{
    const SIZE_T bytes = 8192;
    wchar_t *remote = VirtualAllocEx(gc_proc, NULL, bytes, MEM_COMMIT, PAGE_READWRITE);
    DWORD_PTR parts = 0, r;
    bool ok = remote != NULL;
    out[0] = L'\0';
    if (ok)
        ok = SendMessageTimeoutW(bar, SB_GETPARTS, 0, 0, SMTO_ABORTIFHUNG, 2000, &parts) != 0;
    for (DWORD_PTR i = 0; ok && i < parts; i++) {
        wchar_t part[2048];
        SIZE_T got = 0;
        ok = SendMessageTimeoutW(bar, SB_GETTEXTW, i, (LPARAM)remote, SMTO_ABORTIFHUNG, 2000,
                                 &r) &&
             ReadProcessMemory(gc_proc, remote, part, sizeof part, &got) && got == sizeof part;
        part[2047] = L'\0';
        if (ok && part[0]) {
            if (out[0])
                wcsncat(out, L" | ", cap - wcslen(out) - 1);
            wcsncat(out, part, cap - wcslen(out) - 1);
        }
    }
    if (remote)
        VirtualFreeEx(gc_proc, remote, 0, MEM_RELEASE);
    return ok;
}

void gc_text(int id, wchar_t *out, size_t cap)
{
    DWORD_PTR r;
    if (id == IDC_STATUS) {
        ck_assert_msg(status_parts(GetDlgItem(gc_win, id), out, cap),
                      "the status bar did not answer");
        return;
    }
    /* The last-message pane is re-created when the text changes direction:
     * a control that vanished between GetDlgItem and the message is looked
     * up again; one that exists and does not answer is a hung window. */
    for (int tries = 0; tries < 5; tries++) {
        HWND ctl = GetDlgItem(gc_win, id);
        out[0] = L'\0';
        if (ctl && SendMessageTimeoutW(ctl, WM_GETTEXT, cap, (LPARAM)out, SMTO_ABORTIFHUNG, 2000,
                                       &r))
            return;
        ck_assert_msg(ctl == NULL || !IsWindow(ctl), "control %d did not answer", id);
        Sleep(10);
    }
    ck_abort_msg("control %d kept disappearing", id);
}

const char *gc_u8(const wchar_t *w)
{
    static char buf[4][8192];
    static int next;
    char *b = buf[next++ % 4];
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL);
    return b;
}

typedef struct FindTop {
    DWORD pid;
    const char *cls;
    HWND found;
} FindTop;

static BOOL CALLBACK find_top_cb(HWND h, LPARAM lp)
{
    FindTop *f = (FindTop *)lp;
    DWORD pid = 0;
    char cls[64];
    GetWindowThreadProcessId(h, &pid);
    if (pid == f->pid && IsWindowVisible(h) && GetClassNameA(h, cls, sizeof cls) &&
        strcmp(cls, f->cls) == 0) {
        f->found = h;
        return FALSE;
    }
    return TRUE;
}

HWND gc_find_window(const char *cls)
{
    FindTop f = {GetProcessId(gc_proc), cls, NULL};
    EnumWindows(find_top_cb, (LPARAM)&f);
    return f.found;
}

HWND gc_dialog(void)
{
    HWND found = NULL;
    for (int i = 0; i < 500 && !found; i++) {
        Sleep(10);
        found = gc_find_window("#32770");
    }
    ck_assert_msg(found != NULL, "no dialog appeared");
    return found;
}

void gc_title_starts(const wchar_t *want)
{
    wchar_t title[300];
    for (int i = 0; i < 300; i++) {
        GetWindowTextW(gc_win, title, 300);
        if (wcsncmp(title, want, wcslen(want)) == 0)
            return;
        Sleep(10);
    }
    ck_abort_msg("title '%s', want '%s...'", gc_u8(title), gc_u8(want));
}
