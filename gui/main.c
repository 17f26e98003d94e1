/* main.c: chat_client.exe: the command line, the settings, the window and
 * the message loop. */
#include <windows.h>
#include <commctrl.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_version.h"
#include "core/client_opts.h"
#include "gui/settings.h"
#include "gui/text.h"
#include "gui/window.h"

/* A GUI program has no console of its own: text goes to the standard
 * handle when there is one (a console we attach to, a pipe, a file) and to a
 * message box otherwise, so a double-click still shows it. */
static void report(const char *utf8, BOOL error)
{
    DWORD which = error ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE;
    HANDLE h = GetStdHandle(which);
    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        if (AttachConsole(ATTACH_PARENT_PROCESS))
            h = GetStdHandle(which);
    }
    if (h != NULL && h != INVALID_HANDLE_VALUE) {
        DWORD mode, n;
        wchar_t wide[2048];
        size_t len = text_utf8_to_wide(utf8, wide, 2048);
        if (GetConsoleMode(h, &mode))
            WriteConsoleW(h, wide, (DWORD)len, &n, NULL);
        else
            WriteFile(h, utf8, (DWORD)strlen(utf8), &n, NULL);
        return;
    }
    wchar_t wide[2048];
    text_utf8_to_wide(utf8, wide, 2048);
    MessageBoxW(NULL, wide, L"Chat", error ? MB_ICONERROR | MB_OK : MB_ICONINFORMATION | MB_OK);
}

/* The UTF-16 command line as UTF-8 argv (our options parser is
 * platform-free). The C runtime has split it already for wWinMain (__wargv):
 * no SHELL32 needed. The strings live in one heap block. */
static char **utf8_argv(int *argc)
{
    wchar_t **wargv = __wargv;
    *argc = __argc;
    if (wargv == NULL)
        return NULL;
    size_t each = 1024;
    char **argv = HeapAlloc(GetProcessHeap(), 0, (size_t)(*argc + 1) * (sizeof *argv + each));
    if (argv == NULL)
        return NULL;
    char *text = (char *)(argv + *argc + 1);
    for (int i = 0; i < *argc; i++) {
        argv[i] = text + (size_t)i * each;
        text_wide_to_utf8(wargv[i], argv[i], each);
    }
    argv[*argc] = NULL;
    return argv;
}

/* The user name when none is given or saved: the Windows one, from the
 * environment (GetUserName lives in ADVAPI32, not one of our libraries). */
static void default_user(char out[PROTO_NAME_BUF])
{
    wchar_t w[256];
    DWORD n = GetEnvironmentVariableW(L"USERNAME", w, 256);
    char tmp[PROTO_NAME_MAX_CHARS * 8] = "";
    if (n > 0 && n < 256)
        text_wide_to_utf8(w, tmp, sizeof tmp);
    proto_name_or_anonymous(tmp, strlen(tmp), out);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
    ClientOptions opt;
    Settings settings;
    char err[300], text[1200];
    int argc;
    (void)prev;
    (void)cmdline;

    char **argv = utf8_argv(&argc);
    if (argv == NULL)
        return 1;
    switch (client_opts_parse(argc, argv, &opt, err, sizeof err)) {
    case CLIENT_OPTS_HELP:
        report(client_opts_usage, FALSE);
        return 0;
    case CLIENT_OPTS_VERSION:
        report("chat_client " CHAT_VERSION "\n", FALSE);
        return 0;
    case CLIENT_OPTS_ERROR:
        snprintf(text, sizeof text, "chat_client: %s\n", err);
        report(text, TRUE);
        return 2;
    case CLIENT_OPTS_RUN:
        break;
    }

    /* Options override the saved settings for this run only: what gets
     * saved is what the user chooses in File > Connect... */
    settings_load(&settings);
    if (!opt.server_given) {
        snprintf(opt.host, sizeof opt.host, "%s", settings.host);
        opt.port = settings.port;
    }
    if (!opt.user_given) {
        if (settings.user[0])
            snprintf(opt.user, sizeof opt.user, "%s", settings.user);
        else
            default_user(opt.user);
    }

    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_BAR_CLASSES | ICC_STANDARD_CLASSES};
    InitCommonControlsEx(&icc);
    /* The UI thread is a COM apartment: the chat log's accessible object
     * (gui/logacc.h) is marshalled to screen readers from here. */
    HRESULT com = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);

    static ChatStats stats; /* outlives the window, for --stats */
    HWND hwnd = chat_window_create(inst, &opt, &settings, show, &stats);
    if (hwnd == NULL) {
        snprintf(text, sizeof text, "chat_client: cannot create the window (error %lu)\n",
                 GetLastError());
        report(text, TRUE);
        return 1;
    }

    MSG msg;
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        if (chat_window_filter(hwnd, &msg))
            continue;
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }

    if (opt.stats) {
        snprintf(text, sizeof text,
                 "ticks=%lu snapshots=%lu busy=%lu recovered=%lu attaches=%lu set_text=%lu "
                 "lines_in=%lu sends=%lu\n",
                 stats.ticks, stats.snapshots, stats.busy, stats.recovered, stats.attaches,
                 stats.set_text, stats.lines_in, stats.sends);
        report(text, FALSE);
    }
    if (SUCCEEDED(com))
        CoUninitialize();
    return (int)msg.wParam;
}
