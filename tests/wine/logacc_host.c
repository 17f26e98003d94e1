/* logacc_host.c: the second process of the logacc suite: a window whose
 * accessible object is gui/logacc.c's, read by the suite from outside, as a
 * screen reader reads the chat log.
 *
 *   logacc_host NAME   a top-level window of class "ChatLogAccHost" titled
 *                      NAME (its value: the title, so WM_SETTEXT changes
 *                      it); sets "NAMEReady"; after the window is destroyed
 *                      (WM_CLOSE) it keeps answering COM calls until
 *                      "NAMEDone" is set (30 s at most), then exits.
 *
 * Exit codes: 0 done, 2 bad usage, 3 a Win32 call failed, 4 the value
 * callback ran after logacc_detach. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <objbase.h>

#include "gui/logacc.h"

typedef struct Host {
    LogAcc *acc;
    HWND hwnd;
    bool detached;
    int calls_after_detach;
} Host;

/* The value: the window's title, read on the UI thread. */
static wchar_t *host_value(void *ctx)
{
    Host *h = ctx;
    if (h->detached) {
        h->calls_after_detach++;
        return NULL;
    }
    int n = GetWindowTextLengthW(h->hwnd);
    wchar_t *s = malloc(((size_t)n + 1) * sizeof *s);
    if (s)
        GetWindowTextW(h->hwnd, s, n + 1);
    return s;
}

static LRESULT CALLBACK host_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    Host *h = (Host *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    switch (msg) {
    case WM_NCCREATE:
        h = ((CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)h);
        h->hwnd = hwnd;
        h->acc = logacc_new(hwnd, L"Chat log", host_value, h);
        if (!h->acc)
            return FALSE;
        break;
    case WM_GETOBJECT: {
        LRESULT r = h ? logacc_get_object(h->acc, wp, lp) : 0;
        if (r)
            return r;
        break;
    }
    case WM_DESTROY:
        logacc_detach(h->acc);
        h->acc = NULL;
        h->detached = true;
        PostQuitMessage(0);
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static HANDLE open_event(const char *name, const char *suffix)
{
    char ev[300];
    snprintf(ev, sizeof ev, "%s%s", name, suffix);
    return OpenEventA(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, ev);
}

static int fail(const char *what)
{
    fprintf(stderr, "logacc_host: %s failed: %lu\n", what, GetLastError());
    return 3;
}

int main(int argc, char **argv)
{
    static Host host;
    wchar_t title[300];

    if (argc != 2 || strlen(argv[1]) > 200)
        return 2;
    /* The UI thread is a single-threaded apartment, as the client's is:
     * the calls from outside arrive through its message loop. */
    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)))
        return fail("CoInitializeEx");
    MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, title, 300);

    WNDCLASSW wc;
    ZeroMemory(&wc, sizeof wc);
    wc.lpfnWndProc = host_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszClassName = L"ChatLogAccHost";
    if (!RegisterClassW(&wc))
        return fail("RegisterClass");
    HWND hwnd =
        CreateWindowExW(0, wc.lpszClassName, title, WS_OVERLAPPEDWINDOW | WS_VISIBLE,
                        200, 150, 320, 240, NULL, NULL, wc.hInstance, &host);
    if (!hwnd)
        return fail("CreateWindowEx");

    HANDLE ready = open_event(argv[1], "Ready");
    HANDLE done = open_event(argv[1], "Done");
    if (!ready || !done)
        return fail("OpenEvent");
    SetEvent(ready);
    CloseHandle(ready);

    MSG m;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    /* The window is gone; a reader may still hold the object. */
    ULONGLONG end = GetTickCount64() + 30000;
    while (GetTickCount64() < end) {
        DWORD r = MsgWaitForMultipleObjects(1, &done, FALSE, 100, QS_ALLINPUT);
        if (r == WAIT_OBJECT_0)
            break;
        while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE))
            DispatchMessageW(&m);
    }
    CloseHandle(done);
    CoUninitialize();
    return host.calls_after_detach ? 4 : 0;
}
