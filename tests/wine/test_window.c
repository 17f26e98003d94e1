/* test_window.c: chat_client.exe behaving like a Windows application: the
 * keyboard (Tab order, mnemonics, F6, Esc), its settings across restarts,
 * and what it tells the user. A real client process with a real window on
 * the X display; keys are posted to the control that has the focus, so they
 * go through the client's own message loop (accelerators, IsDialogMessage)
 * exactly as typed keys do, and the focus is read back with
 * GetGUIThreadInfo. */
#include <winsock2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/check_main.h"
#include "common/guiclient.h"
#include "common/tconn.h"
#include "common/winproc.h"
#include "gui/net.h"
#include "gui/window.h"
#include "resources/resource.h"
#include "wine/acc_read.h"

static char name[128];

static void setup(void)
{
    char display[200];
    ck_assert_msg(GetEnvironmentVariableA("DISPLAY", display, sizeof display) > 0,
                  "the window suite needs an X display: run scripts/test, or set DISPLAY");
    tp_unique_name(name, sizeof name, "win");
}

static void teardown(void)
{
    gc_kill();
}

static void start_client(const char *args)
{
    char all[600];
    snprintf(all, sizeof all, "--shm-name %s --interval 50 %s", name, args);
    gc_start(name, all);
}

static void choose(const wchar_t *server, const wchar_t *user);

/* A client named `user` for the server on 127.0.0.1:port. */
static void start_client_for(const char *user, unsigned short port)
{
    char args[200];
    snprintf(args, sizeof args, "--user %s --server 127.0.0.1:%u", user, port);
    start_client(args);
}

static bool state_becomes(unsigned long want, DWORD ms)
{
    for (unsigned long long end = tp_now_ms() + ms; tp_now_ms() < end; Sleep(10))
        if (gc_stat(STAT_NET_STATE) == want)
            return true;
    return false;
}

/* The control that has the keyboard focus in the client's UI thread. */
static HWND focus(void)
{
    GUITHREADINFO gi;
    memset(&gi, 0, sizeof gi);
    gi.cbSize = sizeof gi;
    if (!GetGUIThreadInfo(GetWindowThreadProcessId(gc_win, NULL), &gi))
        return NULL;
    return gi.hwndFocus;
}

static int focus_id(void)
{
    HWND f = focus();
    return f ? GetDlgCtrlID(f) : 0;
}

/* A key as the keyboard gives it: posted to the focused control, with the
 * repeat count, scan code and (for Alt) context bits a real one carries. */
static void key(UINT vk, BOOL alt)
{
    HWND f = focus();
    UINT scan = MapVirtualKeyW(vk, MAPVK_VK_TO_VSC);
    LPARAM lp = 1 | ((LPARAM)scan << 16) | (alt ? (1L << 29) : 0);
    PostMessageW(f ? f : gc_win, alt ? WM_SYSKEYDOWN : WM_KEYDOWN, vk, lp);
    PostMessageW(f ? f : gc_win, alt ? WM_SYSKEYUP : WM_KEYUP, vk, lp | (3UL << 30));
}

/* Waits until the focus is on control `id`; asserts within 3 s. */
static void focus_becomes(int id, const char *after)
{
    for (int i = 0; i < 300; i++) {
        if (focus_id() == id)
            return;
        Sleep(10);
    }
    ck_abort_msg("after %s the focus is on control %d, not %d", after, focus_id(), id);
}

/* The client has handled everything posted to it so far: a message posted
 * now is answered after them (WM_APP_STATS, sent, would jump the queue). */
static void settle(void)
{
    for (int i = 0; i < 20; i++) {
        gc_stat(STAT_TICKS);
        Sleep(10);
    }
}

static void put_focus_on(int id)
{
    SetForegroundWindow(gc_win);
    /* Alt+L and Alt+O land on the panes, Tab moves on from there: start
     * from a known control by cycling until it has the focus. */
    for (int i = 0; i < 8 && focus_id() != id; i++) {
        key(VK_TAB, FALSE);
        Sleep(50);
    }
    focus_becomes(id, "cycling with Tab");
}

/* --- the tests ------------------------------------------------------------ */

START_TEST(test_window_tab_visits_every_control_and_comes_back)
{
    unsigned short port = tc_free_port();
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("tabber", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000)); /* Send is enabled */

    put_focus_on(IDC_INPUT);
    const int order[] = {IDC_SEND, IDC_MESSAGE, IDC_LOG, IDC_PEOPLE, IDC_INPUT};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        key(VK_TAB, FALSE);
        focus_becomes(order[i], "Tab");
    }
    /* F6 goes between the send box and the log, both ways. */
    key(VK_F6, FALSE);
    focus_becomes(IDC_LOG, "F6 in the send box");
    key(VK_F6, FALSE);
    focus_becomes(IDC_INPUT, "F6 in the log");
    gc_close();
    tp_kill(srv);
}
END_TEST

START_TEST(test_window_label_mnemonics_focus_the_control_after_them)
{
    start_client("--user mnemo --server 127.0.0.1:1");
    put_focus_on(IDC_INPUT);
    key('L', TRUE); /* "&Last message" */
    focus_becomes(IDC_MESSAGE, "Alt+L in the send box");
    key('O', TRUE); /* "Chat l&og" */
    focus_becomes(IDC_LOG, "Alt+O in the last-message pane");
    key('L', TRUE);
    focus_becomes(IDC_MESSAGE, "Alt+L in the chat log");
    gc_close();
}
END_TEST

/* Esc in a multi-line EDIT posts WM_CLOSE to its parent: it closed the whole
 * application from the log and the pane. */
START_TEST(test_window_esc_never_closes_the_window)
{
    start_client("--user esc --server 127.0.0.1:1");
    const int where[] = {IDC_MESSAGE, IDC_LOG, IDC_INPUT};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        put_focus_on(where[i]);
        key(VK_ESCAPE, FALSE);
        settle();
        ck_assert_msg(WaitForSingleObject(gc_proc, 0) == WAIT_TIMEOUT && IsWindowVisible(gc_win),
                      "Esc in control %d closed the window", where[i]);
        ck_assert_int_eq(focus_id(), where[i]);
    }
    gc_close();
}
END_TEST

/* Keys that reach a pane outside the window's loop (a scroll bar's
 * tracking loop dispatches them itself): Esc does not close the window,
 * Enter does not send the draft. */
START_TEST(test_window_keys_sent_straight_to_the_panes_do_nothing)
{
    unsigned short port = tc_free_port();
    wchar_t text[100];
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("panes", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    HWND input = GetDlgItem(gc_win, IDC_INPUT);
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"a private draft");
    const int panes[] = {IDC_LOG, IDC_MESSAGE};
    for (size_t i = 0; i < 2; i++) {
        put_focus_on(panes[i]);
        HWND pane = GetDlgItem(gc_win, panes[i]);
        /* In dialog mode, as the window's loop leaves it. */
        MSG m = {pane, WM_KEYDOWN, VK_ESCAPE, 0, 0, {0, 0}};
        SendMessageW(pane, WM_GETDLGCODE, VK_ESCAPE, (LPARAM)&m);
        DWORD_PTR r;
        SendMessageTimeoutW(pane, WM_KEYDOWN, VK_ESCAPE, 1, SMTO_ABORTIFHUNG, 2000, &r);
        SendMessageTimeoutW(pane, WM_CHAR, 0x1B, 1, SMTO_ABORTIFHUNG, 2000, &r);
        SendMessageTimeoutW(pane, WM_KEYDOWN, VK_RETURN, 1, SMTO_ABORTIFHUNG, 2000, &r);
        SendMessageTimeoutW(pane, WM_CHAR, L'\r', 1, SMTO_ABORTIFHUNG, 2000, &r);
        settle();
        ck_assert_msg(WaitForSingleObject(gc_proc, 0) == WAIT_TIMEOUT && IsWindowVisible(gc_win),
                      "a key to pane %d closed the window", panes[i]);
    }
    /* Enter in a pane, through the window's loop too. */
    put_focus_on(IDC_LOG);
    key(VK_RETURN, FALSE);
    settle();
    gc_text(IDC_INPUT, text, 100);
    ck_assert_msg(wcscmp(text, L"a private draft") == 0, "the box holds '%s'", gc_u8(text));
    ck_assert_uint_eq(gc_stat(STAT_SENDS), 0);
    gc_close();
    tp_kill(srv);
}
END_TEST

/* Esc in the send box clears the draft; nothing else it does. */
START_TEST(test_window_esc_clears_the_draft)
{
    wchar_t text[100];
    start_client("--user drafter --server 127.0.0.1:1");
    put_focus_on(IDC_INPUT);
    SendMessageW(GetDlgItem(gc_win, IDC_INPUT), WM_SETTEXT, 0, (LPARAM)L"half a thought");
    key(VK_ESCAPE, FALSE);
    for (int i = 0; i < 300; i++) {
        gc_text(IDC_INPUT, text, 100);
        if (text[0] == 0)
            break;
        Sleep(10);
    }
    ck_assert_msg(text[0] == 0, "the send box still holds '%s'", gc_u8(text));
    ck_assert_msg(IsWindowVisible(gc_win), "the window closed");
    gc_close();
}
END_TEST

/* --- what the window says ------------------------------------------------ */

/* Waits until the log holds `part`; asserts within 5 s. */
static void log_has(const wchar_t *part)
{
    static wchar_t log[16384];
    for (unsigned long long end = tp_now_ms() + 5000; tp_now_ms() < end; Sleep(10)) {
        gc_text(IDC_LOG, log, 16384);
        if (wcsstr(log, part))
            return;
    }
    ck_abort_msg("the log has no '%s': %s", gc_u8(part), gc_u8(log));
}

/* Nobody sees a minimized window: it reads the segment at most once a
 * second. Restored, it reads at once, whatever its interval. */
START_TEST(test_window_a_minimized_window_ticks_once_a_second_and_at_once_when_restored)
{
    start_client("--user mini --server 127.0.0.1:1"); /* --interval 50 */
    ShowWindow(gc_win, SW_MINIMIZE);
    for (int i = 0; i < 100 && !IsIconic(gc_win); i++)
        Sleep(20);
    Sleep(1200); /* the last fast tick is long gone */
    unsigned long t0 = gc_stat(STAT_TICKS);
    Sleep(3000);
    unsigned long ticks = gc_stat(STAT_TICKS) - t0;
    ck_assert_msg(ticks <= 4, "%lu ticks in 3 s minimized (at 50 ms: 60)", ticks);
    ShowWindow(gc_win, SW_RESTORE);
    Sleep(500);
    ticks = gc_stat(STAT_TICKS) - t0;
    ck_assert_msg(ticks >= 5, "only %lu ticks 0.5 s after the restore", ticks);
    gc_close();

    /* At the longest interval: the restore's tick is at once, not up to
     * 5 s later. */
    start_client("--user mini --server 127.0.0.1:1 --interval 5000");
    ShowWindow(gc_win, SW_MINIMIZE);
    for (int i = 0; i < 100 && !IsIconic(gc_win); i++)
        Sleep(20);
    Sleep(200);
    t0 = gc_stat(STAT_TICKS);
    ShowWindow(gc_win, SW_RESTORE);
    unsigned long long end = tp_now_ms() + 1000;
    while (gc_stat(STAT_TICKS) == t0 && tp_now_ms() < end)
        Sleep(10);
    ck_assert_msg(gc_stat(STAT_TICKS) > t0, "no tick within 1 s of the restore");
    gc_close();
}
END_TEST

/* The window reaches a server over IPv6: "[::1]:PORT" in --server, and
 * "localhost", a name that may resolve to ::1 and 127.0.0.1 (each address
 * is tried in turn). */
START_TEST(test_window_connects_to_the_server_over_ipv6)
{
    wchar_t status[600], want[100];
    char args[200];
    unsigned short port = tc_free_port();
    HANDLE srv = tc_server(port, name, NULL);
    snprintf(args, sizeof args, "--user six --server [::1]:%u", port);
    start_client(args);
    ck_assert(state_becomes(NET_CONNECTED, 10000));
    TConn *four = tc_join(port, "four");
    tc_sends(four, "hello six\n");
    log_has(L"hello six");
    swprintf(want, 100, L"Connected to [::1]:%u as six", port);
    gc_text(IDC_STATUS, status, 600);
    ck_assert_msg(wcsstr(status, want) != NULL, "status: %s", gc_u8(status));
    gc_close();
    tc_close(four);

    snprintf(args, sizeof args, "--user host --server localhost:%u", port);
    start_client(args);
    ck_assert(state_becomes(NET_CONNECTED, 10000));
    gc_close();

    /* The server's log: the window came over IPv6. */
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s.log", name);
    tp_kill(srv);
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char log[65536];
    size_t n = fread(log, 1, sizeof log - 1, f);
    log[n] = '\0';
    fclose(f);
    ck_assert_msg(strstr(log, "connected from [::1]:") != NULL, "log: %s", log);
    ck_assert(strstr(log, "six joined the chat") != NULL);
    ck_assert(strstr(log, "host joined the chat") != NULL);
}
END_TEST

static void title_has(const wchar_t *part, bool want)
{
    wchar_t title[300];
    for (int i = 0; i < 300; i++) {
        GetWindowTextW(gc_win, title, 300);
        if ((wcsstr(title, part) != NULL) == want)
            return;
        Sleep(10);
    }
    ck_abort_msg("title '%s' %s '%s'", gc_u8(title), want ? "lacks" : "has", gc_u8(part));
}

/* The seconds of "retrying in N s" in the status bar, or -1. */
static int retry_seconds(void)
{
    wchar_t status[1000];
    gc_text(IDC_STATUS, status, 1000);
    const wchar_t *at = wcsstr(status, L"retrying in ");
    return at ? _wtoi(at + 12) : -1;
}

/* Connecting, connected, lost and why, reconnected (at once when the
 * server on this machine comes back), disconnected by you: each in the
 * log; the title says when the window is not connected. */
START_TEST(test_window_connection_events_reach_the_log_and_the_title)
{
    unsigned short port = tc_free_port();
    wchar_t want[200];
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("nora", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    swprintf(want, 200, L"--- Connecting to 127.0.0.1:%u as nora...", port);
    log_has(want);
    swprintf(want, 200, L"--- Connected to 127.0.0.1:%u as nora.", port);
    log_has(want);
    log_has(L"*** nora joined the chat ***");
    {
        static wchar_t log[16384];
        gc_text(IDC_LOG, log, 16384);
        ck_assert_msg(wcsstr(log, want) < wcsstr(log, L"*** nora joined"),
                      "joined before connected: %s", gc_u8(log));
    }
    title_has(L"(not connected)", false);

    tp_kill(srv); /* the server dies */
    ck_assert(state_becomes(NET_WAITING, 5000));
    swprintf(want, 200, L"--- Connection to 127.0.0.1:%u lost", port);
    log_has(want);
    title_has(L"(not connected)", true);

    /* Wait for a long backoff, then bring the server back: the window
     * sees its segment come to life and reconnects at once. */
    unsigned long long give_up = tp_now_ms() + 30000;
    while (retry_seconds() < 3 && tp_now_ms() < give_up)
        Sleep(50);
    ck_assert_int_ge(retry_seconds(), 3);
    unsigned long early = gc_stat(STAT_EARLY_RETRIES);
    srv = tc_server(port, name, NULL);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    ck_assert_uint_gt(gc_stat(STAT_EARLY_RETRIES), early);
    swprintf(want, 200, L"--- Reconnected to 127.0.0.1:%u.", port);
    log_has(want);
    title_has(L"(not connected)", false);

    PostMessageW(gc_win, WM_COMMAND, IDM_DISCONNECT, 0);
    ck_assert(state_becomes(NET_OFF, 5000));
    swprintf(want, 200, L"--- Disconnected from 127.0.0.1:%u", port);
    log_has(want);
    title_has(L"(not connected)", true);
    gc_close();
    tp_kill(srv);
}
END_TEST

typedef struct Slammer {
    SOCKET listener;
    int accepted;
} Slammer;

/* A server that accepts every connection and closes it at once. */
static DWORD WINAPI slam_thread(void *arg)
{
    Slammer *sl = arg;
    for (;;) {
        SOCKET c = accept(sl->listener, NULL, NULL);
        if (c == INVALID_SOCKET)
            return 0;
        sl->accepted++;
        closesocket(c);
    }
}

/* Accepted and closed at once, again and again: a failed attempt, told
 * once, never "Connected". */
START_TEST(test_window_a_server_that_closes_at_once_is_a_failure_told_once)
{
    static wchar_t log[16384];
    unsigned short port = tc_free_port();
    Slammer sl = {tc_listen(port), 0};
    HANDLE t = CreateThread(NULL, 0, slam_thread, &sl, 0, NULL);
    start_client_for("slam", port);
    for (unsigned long long end = tp_now_ms() + 15000; sl.accepted < 3 && tp_now_ms() < end;)
        Sleep(50);
    ck_assert_int_ge(sl.accepted, 3);
    Sleep(300);
    gc_text(IDC_LOG, log, 16384);
    const wchar_t *told = wcsstr(log, L"--- Cannot connect to");
    ck_assert_msg(told && wcsstr(told, L"(the server closed the connection)"), "log: %s",
                  gc_u8(log));
    ck_assert_msg(wcsstr(told + 1, L"--- Cannot connect") == NULL, "told twice: %s", gc_u8(log));
    ck_assert_msg(wcsstr(log, L"--- Connected") == NULL && wcsstr(log, L"lost") == NULL,
                  "log: %s", gc_u8(log));
    gc_close();
    closesocket(sl.listener);
    WaitForSingleObject(t, 5000);
    CloseHandle(t);
}
END_TEST

/* The status bar in plain words, the whole reason at the default width,
 * the shared memory's part only where it helps. */
START_TEST(test_window_status_bar_says_it_plainly)
{
    unsigned short port = tc_free_port();
    wchar_t status[1000], want[200];
    start_client_for("sam", port); /* nothing listens there */
    for (int i = 0; i < 500 && retry_seconds() < 0; i++)
        Sleep(10);
    gc_text(IDC_STATUS, status, 1000);
    ck_assert_msg(wcsstr(status, L"Not connected: retrying in ") == status &&
                      wcsstr(status, L"s (the server refused the connection)") != NULL,
                  "status '%s'", gc_u8(status));
    ck_assert_msg(wcsstr(status, L"Reconnecting") == NULL, "status '%s'", gc_u8(status));
    /* No server on this machine: the label says so; the bar does not
     * repeat it. */
    ck_assert_msg(wcsstr(status, L"Shared memory") == NULL, "status '%s'", gc_u8(status));
    gc_close();

    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("sam", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    swprintf(want, 200, L"Connected to 127.0.0.1:%u as sam | Shared memory: live", port);
    for (int i = 0; i < 300; i++) { /* where the state comes from */
        gc_text(IDC_STATUS, status, 1000);
        if (wcscmp(status, want) == 0)
            break;
        Sleep(10);
    }
    ck_assert_msg(wcscmp(status, want) == 0, "status '%s'", gc_u8(status));
    gc_close();
    tp_kill(srv);
}
END_TEST

static HWND shown_tip(void)
{
    return gc_find_window("tooltips_class32");
}

/* A problem with what was typed is a balloon at the send box, which keeps
 * the text; typing makes it go. */
START_TEST(test_window_input_problems_are_a_balloon_at_the_send_box)
{
    wchar_t text[100];
    start_client("--user bal --server 127.0.0.1:1");
    HWND input = GetDlgItem(gc_win, IDC_INPUT);
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"are you there?");
    ck_assert_ptr_null(shown_tip());
    PostMessageW(gc_win, WM_COMMAND, IDOK, 0); /* Enter */
    HWND tip = NULL;
    for (int i = 0; i < 300 && !tip; i++, Sleep(10))
        tip = shown_tip();
    ck_assert_msg(tip != NULL, "no balloon");
    gc_text(IDC_INPUT, text, 100);
    ck_assert_msg(wcscmp(text, L"are you there?") == 0, "the box holds '%s'", gc_u8(text));
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"are you there");
    for (int i = 0; i < 300 && shown_tip(); i++)
        Sleep(10);
    ck_assert_msg(shown_tip() == NULL, "the balloon stayed after an edit");
    gc_close();
}
END_TEST

/* Near the limit the send box says how many bytes are left. */
START_TEST(test_window_counter_shows_bytes_left_near_the_limit)
{
    static wchar_t text[1100];
    wchar_t counter[100];
    start_client("--user cnt --server 127.0.0.1:1");
    HWND input = GetDlgItem(gc_win, IDC_INPUT);
    HWND c = GetDlgItem(gc_win, IDC_COUNTER);
    ck_assert_ptr_nonnull(c);
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"short");
    ck_assert(!IsWindowVisible(c));
    for (int i = 0; i < 950; i++)
        text[i] = L'a';
    text[950] = 0;
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)text);
    ck_assert(IsWindowVisible(c));
    gc_text(IDC_COUNTER, counter, 100);
    ck_assert_msg(wcscmp(counter, L"50 bytes left") == 0, "'%s'", gc_u8(counter));
    text[950] = 0x00E9; /* 2 bytes in UTF-8 */
    for (int i = 951; i < 1000; i++)
        text[i] = L'a';
    text[1000] = 0;
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)text);
    gc_text(IDC_COUNTER, counter, 100);
    ck_assert_msg(wcscmp(counter, L"1 byte too long") == 0, "'%s'", gc_u8(counter));
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"");
    ck_assert(!IsWindowVisible(c));
    gc_close();
}
END_TEST

/* Up recalls what was sent, Down comes back to the unsent draft. */
START_TEST(test_window_up_and_down_keep_the_draft)
{
    unsigned short port = tc_free_port();
    wchar_t text[100];
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("hist", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    HWND input = GetDlgItem(gc_win, IDC_INPUT);
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"sent one");
    PostMessageW(gc_win, WM_COMMAND, IDOK, 0);
    for (int i = 0; i < 300; i++, Sleep(10)) {
        gc_text(IDC_INPUT, text, 100);
        if (text[0] == 0)
            break;
    }
    ck_assert_msg(text[0] == 0, "not sent: '%s'", gc_u8(text));
    SendMessageW(input, WM_SETTEXT, 0, (LPARAM)L"half a draft");
    put_focus_on(IDC_INPUT);
    key(VK_UP, FALSE);
    settle();
    gc_text(IDC_INPUT, text, 100);
    ck_assert_msg(wcscmp(text, L"sent one") == 0, "Up gave '%s'", gc_u8(text));
    key(VK_DOWN, FALSE);
    settle();
    gc_text(IDC_INPUT, text, 100);
    ck_assert_msg(wcscmp(text, L"half a draft") == 0, "Down gave '%s'", gc_u8(text));
    gc_close();
    tp_kill(srv);
}
END_TEST

/* File > Save Log As...: the standard dialog, and the log as UTF-8. */
START_TEST(test_window_save_log_as_writes_utf8)
{
    char rel[200], path[MAX_PATH], text[4096];
    wchar_t wpath[MAX_PATH];
    snprintf(rel, sizeof rel, "%s.saved.txt", name);
    ck_assert(GetFullPathNameA(rel, MAX_PATH, path, NULL) > 0);
    MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, MAX_PATH);
    DeleteFileA(path);
    start_client("--user Zo\xEB --server 127.0.0.1:1"); /* an ANSI command line */
    log_has(L"--- Connecting to 127.0.0.1:1 as Zo\x00EB...");

    PostMessageW(gc_win, WM_COMMAND, IDM_SAVE_LOG, 0);
    HWND dlg = gc_dialog();
    /* The file name box: a combo box (cmb13) in the Explorer-style dialog,
     * an edit box (edt1) in others. */
    ck_assert(SetDlgItemTextW(dlg, 0x47c, wpath) || SetDlgItemTextW(dlg, 0x480, wpath));
    PostMessageW(dlg, WM_COMMAND, IDOK, 0);
    FILE *f = NULL;
    for (int i = 0; i < 500 && f == NULL; i++, Sleep(10))
        f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "no file at %s", path);
    Sleep(200); /* written in one go; let it finish */
    size_t got = fread(text, 1, sizeof text - 1, f);
    text[got] = '\0';
    fclose(f);
    ck_assert_msg(strstr(text, "--- Connecting to 127.0.0.1:1 as Zo\xC3\xAB...\r\n"),
                  "saved: %s", text);
    gc_close();
    DeleteFileA(path);
}
END_TEST

/* Edit > Select All and Copy put the chat log on the clipboard. */
START_TEST(test_window_edit_menu_copies_the_log)
{
    start_client("--user copier --server 127.0.0.1:1");
    log_has(L"--- Connecting to 127.0.0.1:1 as copier...");
    put_focus_on(IDC_LOG);
    ck_assert(OpenClipboard(NULL) && EmptyClipboard() && CloseClipboard());
    PostMessageW(gc_win, WM_COMMAND, IDM_SELECT_ALL, 0);
    PostMessageW(gc_win, WM_COMMAND, IDM_COPY, 0);
    wchar_t got[4096] = L"";
    for (int i = 0; i < 300 && !got[0]; i++, Sleep(10)) {
        if (!OpenClipboard(NULL))
            continue;
        HANDLE h = GetClipboardData(CF_UNICODETEXT);
        const wchar_t *p = h ? GlobalLock(h) : NULL;
        if (p) {
            wcsncpy(got, p, 4095);
            got[4095] = 0;
            GlobalUnlock(h);
        }
        CloseClipboard();
    }
    ck_assert_msg(wcsstr(got, L"--- Connecting to 127.0.0.1:1 as copier...") != NULL,
                  "clipboard: '%s'", gc_u8(got));
    gc_close();
}
END_TEST

/* A screen reader reads the chat log from another process: MSAA role
 * "text", its name, and the lines in view as its value. */
START_TEST(test_window_the_chat_log_reads_to_a_screen_reader)
{
    start_client("--user reader --server 127.0.0.1:1");
    log_has(L"--- Connecting to 127.0.0.1:1 as reader...");
    long role = 0, state = 0;
    wchar_t nm[64];
    wchar_t *value = NULL;
    ck_assert(acc_read(GetDlgItem(gc_win, IDC_LOG), &role, nm, 64, &value, &state));
    ck_assert_int_eq(role, 42); /* ROLE_SYSTEM_TEXT */
    ck_assert_msg(wcscmp(nm, L"Chat log") == 0, "name: '%s'", gc_u8(nm));
    ck_assert(value != NULL);
    ck_assert_msg(wcsstr(value, L"--- Connecting to 127.0.0.1:1 as reader...") != NULL,
                  "value: '%s'", gc_u8(value));
    free(value);
    gc_close();
}
END_TEST

/* Edit > Find... finds a link in the log, Esc goes back to the log, and
 * Enter there opens the link the caret is in (through the test seam: the
 * address is written to a file, no browser starts). */
START_TEST(test_window_find_reaches_a_link_and_enter_opens_it)
{
    char seam[MAX_PATH + 200], dir[MAX_PATH], got[512] = "";
    GetTempPathA(MAX_PATH, dir);
    snprintf(seam, sizeof seam, "%s%s-opened.txt", dir, name);
    DeleteFileA(seam);
    SetEnvironmentVariableA("CHAT_TEST_OPENER_LOG", seam);
    unsigned short port = tc_free_port();
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("finder", port);
    SetEnvironmentVariableA("CHAT_TEST_OPENER_LOG", NULL);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    TConn *bot = tc_join(port, "bot");
    tc_sends(bot, "see https://example.org/found?x=1 please\n");
    log_has(L"bot: see https://example.org/found?x=1 please");
    put_focus_on(IDC_LOG);
    HWND log = GetDlgItem(gc_win, IDC_LOG);
    PostMessageW(gc_win, WM_COMMAND, IDM_FIND, 0);
    HWND edit = NULL;
    for (int i = 0; i < 300 && !(edit && focus() == edit); i++, Sleep(10))
        edit = GetDlgItem(log, 1);
    ck_assert_msg(edit && focus() == edit, "the find bar did not take the focus");
    SendMessageW(edit, WM_SETTEXT, 0, (LPARAM)L"EXAMPLE.org/found");
    wchar_t count[64] = L"";
    for (int i = 0; i < 300 && wcscmp(count, L"1 match") != 0; i++, Sleep(10))
        GetWindowTextW(GetDlgItem(log, 2), count, 64);
    ck_assert_msg(wcscmp(count, L"1 match") == 0, "the bar says '%s'", gc_u8(count));
    key(VK_ESCAPE, FALSE);
    focus_becomes(IDC_LOG, "Esc in the find bar");
    ck_assert(!IsWindowVisible(edit));
    key(VK_RETURN, FALSE);
    for (int i = 0; i < 500 && !strstr(got, "\n"); i++, Sleep(10)) {
        FILE *f = fopen(seam, "rb");
        if (f) {
            size_t n = fread(got, 1, sizeof got - 1, f);
            got[n] = '\0';
            fclose(f);
        }
    }
    ck_assert_msg(strcmp(got, "https://example.org/found?x=1\n") == 0, "opened: '%s'", got);
    ck_assert_uint_eq(gc_stat(STAT_SENDS), 0); /* Enter in the log sent nothing */
    tc_close(bot);
    gc_close();
    tp_kill(srv);
    DeleteFileA(seam);
}
END_TEST

typedef struct Texts {
    wchar_t all[2000];
} Texts;

static BOOL CALLBACK collect_text(HWND h, LPARAM lp)
{
    Texts *t = (Texts *)lp;
    wchar_t one[300];
    if (GetWindowTextW(h, one, 300)) {
        wcsncat(t->all, one, 2000 - wcslen(t->all) - 2);
        wcscat(t->all, L"\n");
    }
    return TRUE;
}

/* The About box names the copyright and the license, and opens centred on
 * the window, not on the screen. */
START_TEST(test_window_about_names_the_license_and_centres_on_the_window)
{
    start_client("--user about --server 127.0.0.1:1");
    SetWindowPos(gc_win, NULL, 30, 40, 0, 0, SWP_NOSIZE | SWP_NOZORDER);
    PostMessageW(gc_win, WM_COMMAND, IDM_ABOUT, 0);
    HWND dlg = gc_dialog();
    Texts t;
    t.all[0] = 0;
    EnumChildWindows(dlg, collect_text, (LPARAM)&t);
    ck_assert_msg(wcsstr(t.all, L"Copyright \x00A9 2026") && wcsstr(t.all, L"MIT License"),
                  "about: %s", gc_u8(t.all));
    ck_assert_msg(wcsstr(t.all, L"shared memory") == NULL, "about: %s", gc_u8(t.all));
    RECT w, d;
    GetWindowRect(gc_win, &w);
    GetWindowRect(dlg, &d);
    int dx = (w.left + w.right) / 2 - (d.left + d.right) / 2;
    int dy = (w.top + w.bottom) / 2 - (d.top + d.bottom) / 2;
    ck_assert_msg(abs(dx) <= 2 && abs(dy) <= 2, "the box is %d,%d off the window's centre", dx,
                  dy);
    PostMessageW(dlg, WM_COMMAND, IDOK, 0);
    for (int i = 0; i < 300 && IsWindow(dlg); i++)
        Sleep(10);
    gc_close();
}
END_TEST

/* --- the state of the server the window is connected to ------------------ */

/* Waits until control id shows `want`; the milliseconds it took, or
 * asserts after 5 s. */
static unsigned long long shows_within(int id, const wchar_t *want)
{
    wchar_t got[2048];
    unsigned long long t0 = tp_now_ms();
    for (;;) {
        gc_text(id, got, 2048);
        if (wcscmp(got, want) == 0)
            return tp_now_ms() - t0;
        ck_assert_msg(tp_now_ms() - t0 < 5000, "control %d shows '%s', want '%s'", id,
                      gc_u8(got), gc_u8(want));
        Sleep(2);
    }
}

static int people_count(void)
{
    DWORD_PTR r = 0;
    SendMessageTimeoutW(GetDlgItem(gc_win, IDC_PEOPLE), LB_GETCOUNT, 0, 0, SMTO_ABORTIFHUNG,
                        2000, &r);
    return (int)r;
}

/* The people list reaches n entries (it is refilled at most once a
 * second); asserts within 3 s. */
static void people_become(int n)
{
    for (int i = 0; i < 300 && people_count() != n; i++)
        Sleep(10);
    ck_assert_int_eq(people_count(), n);
}

static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

/* Joins and leaves on the server until the label follows each within 5 s;
 * prints the delay from a join to the label's change, p50/p99. */
static void measure_joins(unsigned short port, const char *where, int base)
{
    enum { N = 20 };
    unsigned long long ms[N];
    wchar_t want[64];
    for (int i = 0; i < N; i++) {
        char who[32];
        snprintf(who, sizeof who, "joiner%d", i);
        unsigned long long t0 = tp_now_ms();
        TConn *t = tc_join(port, who);
        swprintf(want, 64, L"Connected clients: %d", base + 1);
        unsigned long long took = shows_within(IDC_COUNT, want);
        (void)took;
        ms[i] = tp_now_ms() - t0;
        tc_sends(t, "/quit\n");
        tc_closed(t, 2000);
        tc_close(t);
        swprintf(want, 64, L"Connected clients: %d", base);
        shows_within(IDC_COUNT, want);
    }
    qsort(ms, N, sizeof ms[0], cmp_ull);
    fprintf(stderr, "status delay %s: join to label p50 %llu ms, p99 %llu ms (%d joins)\n", where,
            ms[N / 2], ms[N - 1], N);
}

/* A window connected to a server whose shared memory it cannot see (as on
 * another machine: here, another segment name) shows that server's count,
 * last message and people, and follows joins and leaves. */
START_TEST(test_window_state_of_a_server_on_another_machine)
{
    unsigned short port = tc_free_port();
    char other[160];
    wchar_t status[600];
    snprintf(other, sizeof other, "%s-elsewhere", name);
    HANDLE srv = tc_server(port, other, NULL);
    start_client_for("far", port); /* --shm-name is this test's name: no segment there */
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    shows_within(IDC_COUNT, L"Connected clients: 1");
    gc_text(IDC_STATUS, status, 600);
    ck_assert_msg(wcsstr(status, L"From the server: live") != NULL, "status '%s'", gc_u8(status));
    TConn *bob = tc_join(port, "bob, the builder");
    shows_within(IDC_COUNT, L"Connected clients: 2");
    people_become(2);
    tc_sends(bob, "can we fix it?\n");
    shows_within(IDC_MESSAGE, L"can we fix it?");
    /* The graph in the status bar says what it draws (a screen reader
     * reads its text). */
    HWND graph = GetDlgItem(GetDlgItem(gc_win, IDC_STATUS), IDC_GRAPH);
    ck_assert_ptr_nonnull(graph);
    wchar_t said[200] = L"";
    for (int i = 0; i < 300 && !wcsstr(said, L"; 1 message in the last minute"); i++, Sleep(10))
        SendMessageTimeoutW(graph, WM_GETTEXT, 200, (LPARAM)said, SMTO_ABORTIFHUNG, 2000, NULL);
    ck_assert_msg(wcsstr(said, L"2 people now") && wcsstr(said, L"; 1 message in the last minute"),
                  "graph says '%s'", gc_u8(said));
    tc_sends(bob, "/quit\n");
    tc_closed(bob, 2000);
    tc_close(bob);
    shows_within(IDC_COUNT, L"Connected clients: 1");
    people_become(1);
    measure_joins(port, "from the server", 1);
    gc_close();
    tp_kill(srv);
}
END_TEST

/* On the server's own machine the count comes from the segment, and the
 * people list (the roster) agrees with it. */
START_TEST(test_window_state_on_the_servers_machine_comes_from_the_segment)
{
    unsigned short port = tc_free_port();
    wchar_t status[600];
    HANDLE srv = tc_server(port, name, NULL);
    start_client_for("near", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    TConn *bob = tc_join(port, "bob");
    shows_within(IDC_COUNT, L"Connected clients: 2");
    for (int i = 0; i < 300 && people_count() != 2; i++)
        Sleep(10);
    ck_assert_int_eq(people_count(), 2);
    gc_text(IDC_STATUS, status, 600);
    ck_assert_msg(wcsstr(status, L"Shared memory: live") != NULL, "status '%s'", gc_u8(status));
    tc_close(bob);
    shows_within(IDC_COUNT, L"Connected clients: 1");
    measure_joins(port, "from the segment", 1);
    gc_close();
    tp_kill(srv);
}
END_TEST

/* Server A runs on this machine on the window's segment; the window is
 * connected to server B: it shows B's state, never A's. */
START_TEST(test_window_never_shows_another_servers_segment)
{
    unsigned short pa = tc_free_port(), pb = tc_free_port();
    char other[160];
    wchar_t label[200], msg[200];
    HANDLE a = tc_server(pa, name, NULL); /* the window's --shm-name */
    snprintf(other, sizeof other, "%s-b", name);
    HANDLE b = tc_server(pb, other, NULL);
    TConn *on_a = tc_join(pa, "only-on-a");
    tc_sends(on_a, "said on A\n");
    TConn *b1 = tc_join(pb, "b1");
    TConn *b2 = tc_join(pb, "b2");
    tc_sends(b1, "said on B\n");
    start_client_for("ab", pb);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    shows_within(IDC_COUNT, L"Connected clients: 3"); /* B: b1, b2 and us */
    for (unsigned long long end = tp_now_ms() + 2000; tp_now_ms() < end; Sleep(20)) {
        gc_text(IDC_COUNT, label, 200);
        gc_text(IDC_MESSAGE, msg, 200);
        ck_assert_msg(wcscmp(label, L"Connected clients: 3") == 0, "label '%s'", gc_u8(label));
        ck_assert_msg(wcsstr(msg, L"said on A") == NULL, "pane '%s'", gc_u8(msg));
    }
    tc_sends(b2, "again on B\n");
    shows_within(IDC_MESSAGE, L"again on B");
    gc_close();
    tc_close(on_a);
    tc_close(b1);
    tc_close(b2);
    tp_kill(a);
    tp_kill(b);
}
END_TEST

/* Not connected to a server on another machine: this machine's segment
 * (another server's) is not shown as its state. */
START_TEST(test_window_a_server_elsewhere_not_connected_shows_no_local_state)
{
    unsigned short port = tc_free_port();
    wchar_t label[200];
    HANDLE a = tc_server(port, name, NULL); /* on the window's segment */
    start_client("--user away --server 192.0.2.1:5"); /* TEST-NET: never answers */
    for (unsigned long long end = tp_now_ms() + 2000; tp_now_ms() < end; Sleep(20)) {
        gc_text(IDC_COUNT, label, 200);
        ck_assert_msg(wcscmp(label, L"Connected clients: \x2014 (not connected)") == 0 ||
                          wcscmp(label, L"") == 0,
                      "label '%s'", gc_u8(label));
    }
    gc_close();
    tp_kill(a);
}
END_TEST

/* Moving from server A (this machine's segment) to server B (elsewhere):
 * B's pane never shows A's last line, and once B stops, A's state is not
 * shown as B's. */
START_TEST(test_window_moving_to_another_server_leaves_the_old_ones_state_behind)
{
    unsigned short pa = tc_free_port(), pb = tc_free_port();
    char other[160], where[64];
    wchar_t wwhere[64], label[200], msg[200];
    HANDLE a = tc_server(pa, name, NULL);
    snprintf(other, sizeof other, "%s-b", name);
    HANDLE b = tc_server(pb, other, NULL);
    start_client_for("mover", pa);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    TConn *on_a = tc_join(pa, "on-a");
    tc_sends(on_a, "A-secret\n");
    shows_within(IDC_MESSAGE, L"A-secret");
    snprintf(where, sizeof where, "127.0.0.1:%u", pb);
    MultiByteToWideChar(CP_UTF8, 0, where, -1, wwhere, 64);
    choose(wwhere, NULL);
    shows_within(IDC_COUNT, L"Connected clients: 1"); /* B: us */
    for (unsigned long long end = tp_now_ms() + 1000; tp_now_ms() < end; Sleep(20)) {
        gc_text(IDC_MESSAGE, msg, 200);
        ck_assert_msg(wcsstr(msg, L"A-secret") == NULL, "B's pane shows '%s'", gc_u8(msg));
    }
    tp_kill(b); /* B gone: waiting to reconnect to a loopback address */
    ck_assert(state_becomes(NET_WAITING, 5000));
    for (unsigned long long end = tp_now_ms() + 1500; tp_now_ms() < end; Sleep(20)) {
        gc_text(IDC_COUNT, label, 200);
        ck_assert_msg(wcscmp(label, L"Connected clients: \x2014 (not connected)") == 0,
                      "label '%s'", gc_u8(label));
    }
    gc_close();
    tc_close(on_a);
    tp_kill(a);
}
END_TEST

typedef struct Original {
    SOCKET listener;
} Original;

/* The original server's stand-in, on "another machine": no roster, no
 * shared-memory line; a join line for us and a chat line. */
static DWORD WINAPI original_thread(void *arg)
{
    Original *o = arg;
    SOCKET c = accept(o->listener, NULL, NULL);
    if (c == INVALID_SOCKET)
        return 0;
    char buf[512];
    recv(c, buf, sizeof buf, 0); /* the hello */
    const char *lines = "*** orig joined the chat ***\nzed: from the original\n"
                        "*** amy joined the chat ***\n";
    send(c, lines, (int)strlen(lines), 0);
    recv(c, buf, sizeof buf, 0); /* until the window closes */
    closesocket(c);
    return 0;
}

START_TEST(test_window_an_original_server_elsewhere_leaves_the_count_unknown)
{
    unsigned short port = tc_free_port();
    wchar_t caption[100];
    Original o = {tc_listen(port)};
    HANDLE t = CreateThread(NULL, 0, original_thread, &o, 0, NULL);
    start_client_for("orig", port);
    ck_assert(state_becomes(NET_CONNECTED, 5000));
    shows_within(IDC_COUNT, L"Connected clients: \x2014 (the server does not say)");
    shows_within(IDC_MESSAGE, L"from the original");
    for (int i = 0; i < 300 && people_count() != 2; i++)
        Sleep(10);
    ck_assert_int_eq(people_count(), 2); /* orig and amy, seen joining */
    gc_text(IDC_PEOPLE_CAPTION, caption, 100);
    ck_assert_msg(wcsstr(caption, L"seen joining") != NULL, "caption '%s'", gc_u8(caption));
    gc_close();
    closesocket(o.listener);
    WaitForSingleObject(t, 5000);
    CloseHandle(t);
}
END_TEST

/* --- settings ----------------------------------------------------------- */

static void ini_path(char *out, size_t cap)
{
    char rel[200];
    snprintf(rel, sizeof rel, "%s.ini", name);
    ck_assert(GetFullPathNameA(rel, (DWORD)cap, out, NULL) > 0);
}

/* File > Connect..., the server and name typed in (NULL: left as they
 * are), Connect pressed: what a user does. */
static void choose(const wchar_t *server, const wchar_t *user)
{
    PostMessageW(gc_win, WM_COMMAND, IDM_CONNECT, 0);
    HWND dlg = gc_dialog();
    if (server)
        ck_assert(SetDlgItemTextW(dlg, IDC_CONNECT_HOST, server));
    if (user)
        ck_assert(SetDlgItemTextW(dlg, IDC_CONNECT_USER, user));
    PostMessageW(dlg, WM_COMMAND, IDOK, 0);
    for (int i = 0; i < 300 && IsWindow(dlg); i++)
        Sleep(10);
    ck_assert_msg(!IsWindow(dlg), "the dialog did not close");
}

START_TEST(test_window_any_name_round_trips_through_the_settings)
{
    /* Arabic, CJK, an emoji (a surrogate pair) and a Latin letter outside
     * ASCII: the ANSI file turned them into '?'. */
    const wchar_t *user = L"\x0632\x064A\x062F \x738B\x5C0F\x660E \xD83D\xDE00 Zo\x00EB";
    wchar_t want[100];
    start_client("--server example.invalid:4242");
    choose(NULL, user);
    swprintf(want, 100, L"Chat \x2014 %ls @ example.invalid:4242", user);
    gc_title_starts(want);
    gc_close();
    start_client(" ");
    gc_title_starts(want);
    gc_close();
}
END_TEST

/* "host:port" in the server box is a host and a port, not an IPv6
 * address, and is what gets saved. */
START_TEST(test_window_server_box_takes_host_colon_port)
{
    char ini[MAX_PATH], got[100];
    ini_path(ini, sizeof ini);
    start_client("--user hp --server example.invalid:1");
    /* The port box follows a port written in the server box. */
    PostMessageW(gc_win, WM_COMMAND, IDM_CONNECT, 0);
    HWND dlg = gc_dialog();
    ck_assert(SetDlgItemTextW(dlg, IDC_CONNECT_HOST, L"localhost:9999"));
    ck_assert_uint_eq(GetDlgItemInt(dlg, IDC_CONNECT_PORT, NULL, FALSE), 9999);
    ck_assert(!IsWindowEnabled(GetDlgItem(dlg, IDC_CONNECT_PORT)));
    ck_assert(SetDlgItemTextW(dlg, IDC_CONNECT_HOST, L"localhost"));
    ck_assert(IsWindowEnabled(GetDlgItem(dlg, IDC_CONNECT_PORT)));
    PostMessageW(dlg, WM_COMMAND, IDCANCEL, 0);
    for (int i = 0; i < 300 && IsWindow(dlg); i++)
        Sleep(10);
    choose(L"localhost:23456", NULL);
    gc_title_starts(L"Chat \x2014 hp @ localhost:23456");
    gc_close();
    GetPrivateProfileStringA("Connection", "Server", "", got, sizeof got, ini);
    ck_assert_str_eq(got, "localhost:23456");
}
END_TEST

/* A file an older version wrote in the ANSI code page is read, and turned
 * into UTF-16 on the next save without losing what it held. */
START_TEST(test_window_an_ansi_settings_file_is_converted)
{
    char ini[MAX_PATH];
    ini_path(ini, sizeof ini);
    FILE *f = fopen(ini, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("[Connection]\r\nServer=example.invalid:77\r\nUser=Zo\xEB\r\n", f);
    fclose(f);
    start_client(" ");
    gc_title_starts(L"Chat \x2014 Zo\x00EB @ example.invalid:77");
    gc_close(); /* saves the placement: the file becomes UTF-16 */
    f = fopen(ini, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char bom[2] = {0, 0};
    ck_assert_uint_eq(fread(bom, 1, 2, f), 2);
    fclose(f);
    ck_assert_msg(bom[0] == 0xFF && bom[1] == 0xFE, "no UTF-16 mark: %02x %02x", bom[0], bom[1]);
    start_client(" ");
    gc_title_starts(L"Chat \x2014 Zo\x00EB @ example.invalid:77");
    gc_close();
}
END_TEST

static void set_apps_light(DWORD light)
{
    HKEY k;
    ck_assert(RegCreateKeyExW(HKEY_CURRENT_USER,
                              L"Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                              0, NULL, 0, KEY_SET_VALUE, NULL, &k, NULL) == ERROR_SUCCESS);
    if (light == 2)
        RegDeleteValueW(k, L"AppsUseLightTheme");
    else
        ck_assert(RegSetValueExW(k, L"AppsUseLightTheme", 0, REG_DWORD, (const BYTE *)&light,
                                 sizeof light) == ERROR_SUCCESS);
    RegCloseKey(k);
}

static bool dark_becomes(unsigned long want)
{
    for (int i = 0; i < 300; i++, Sleep(10))
        if (gc_stat(STAT_DARK) == want)
            return true;
    return false;
}

/* View > Theme: System follows Windows' light/dark setting and changes with
 * it; a theme chosen in the menu is kept and wins over Windows'. */
START_TEST(test_window_the_theme_follows_windows_and_the_menu)
{
    DWORD_PTR r;
    set_apps_light(1);
    start_client("--server example.invalid:1");
    ck_assert_uint_eq(gc_stat(STAT_DARK), 0);
    set_apps_light(0); /* Windows turns dark and says so */
    SendMessageTimeoutW(gc_win, WM_SETTINGCHANGE, 0, (LPARAM)L"ImmersiveColorSet",
                        SMTO_ABORTIFHUNG, 2000, &r);
    ck_assert_msg(dark_becomes(1), "System did not follow Windows to dark");
    PostMessageW(gc_win, WM_COMMAND, IDM_THEME_LIGHT, 0);
    ck_assert_msg(dark_becomes(0), "View > Theme > Light did not take");
    gc_close(); /* saves it */
    start_client("--server example.invalid:1");
    ck_assert_msg(dark_becomes(0), "Light was not kept (Windows says dark)");
    PostMessageW(gc_win, WM_COMMAND, IDM_THEME_DARK, 0);
    ck_assert(dark_becomes(1));
    gc_close();
    set_apps_light(1);
    start_client("--server example.invalid:1");
    ck_assert_msg(dark_becomes(1), "Dark was not kept (Windows says light)");
    gc_close();
    set_apps_light(2);
}
END_TEST

/* A hostile settings file: the window opens, and what it saves back is
 * sane (nonsense is never written back as if it were a choice). */
START_TEST(test_window_nonsense_view_settings_are_not_kept)
{
    char ini[MAX_PATH];
    wchar_t wini[MAX_PATH], got[64];
    ini_path(ini, sizeof ini);
    MultiByteToWideChar(CP_ACP, 0, ini, -1, wini, MAX_PATH);
    char face[260];
    memset(face, 'F', 250);
    face[250] = '\0';
    ck_assert(WritePrivateProfileStringA("Window", "FontFace", face, ini));
    ck_assert(WritePrivateProfileStringA("Window", "FontSize10", "99999999999", ini));
    ck_assert(WritePrivateProfileStringA("Window", "Scrollback", "-5", ini));
    ck_assert(WritePrivateProfileStringA("Window", "Theme", "garbage", ini));
    start_client("--server example.invalid:1");
    ck_assert_uint_eq(gc_stat(STAT_DARK), 0);
    gc_close();
    GetPrivateProfileStringW(L"Window", L"Scrollback", L"", got, 64, wini);
    ck_assert_msg(wcscmp(got, L"100000") == 0, "Scrollback=%s", gc_u8(got));
    GetPrivateProfileStringW(L"Window", L"FontSize10", L"", got, 64, wini);
    ck_assert_msg(wcscmp(got, L"0") == 0, "FontSize10=%s", gc_u8(got));
    GetPrivateProfileStringW(L"Window", L"FontFace", L"?", got, 64, wini);
    ck_assert_msg(got[0] == L'\0', "FontFace=%s", gc_u8(got));
    GetPrivateProfileStringW(L"Window", L"Theme", L"", got, 64, wini);
    ck_assert_msg(wcscmp(got, L"System") == 0, "Theme=%s", gc_u8(got));
}
END_TEST

/* A command line is for its run: it never becomes the saved default. */
START_TEST(test_window_options_are_not_saved)
{
    start_client("--user passing --server example.invalid:1");
    gc_close();
    start_client(" ");
    wchar_t title[300];
    GetWindowTextW(gc_win, title, 300);
    ck_assert_msg(wcsstr(title, L"passing") == NULL && wcsstr(title, L"example.invalid") == NULL,
                  "the options were saved: '%s'", gc_u8(title));
    gc_close();
}
END_TEST

/* The size is saved in 96-DPI units and scaled to the DPI it opens at. */
START_TEST(test_window_size_is_saved_independent_of_dpi)
{
    char ini[MAX_PATH];
    ini_path(ini, sizeof ini);
    ck_assert(WritePrivateProfileStringA("Window", "Position", "40,30", ini));
    ck_assert(WritePrivateProfileStringA("Window", "Size96", "500,400", ini));
    start_client("--server example.invalid:1");
    typedef UINT(WINAPI * DpiFn)(HWND);
    DpiFn dpi_of = (DpiFn)(void (*)(void))GetProcAddress(GetModuleHandleA("user32.dll"),
                                                          "GetDpiForWindow");
    UINT dpi = dpi_of ? dpi_of(gc_win) : 96;
    RECT r;
    GetWindowRect(gc_win, &r);
    ck_assert_int_eq(r.right - r.left, MulDiv(500, (int)dpi, 96));
    ck_assert_int_eq(r.bottom - r.top, MulDiv(400, (int)dpi, 96));
    SetWindowPos(gc_win, NULL, 0, 0, MulDiv(600, (int)dpi, 96), MulDiv(450, (int)dpi, 96),
                 SWP_NOMOVE | SWP_NOZORDER);
    gc_close();
    char got[100];
    GetPrivateProfileStringA("Window", "Size96", "", got, sizeof got, ini);
    ck_assert_str_eq(got, "600,450");
}
END_TEST

typedef struct Second {
    HANDLE proc;
    HWND win;
} Second;

/* A second instance beside gc_*'s, with the same settings file. */
static Second start_second(const char *args)
{
    char all[600], log[200];
    Second s;
    snprintf(all, sizeof all, "--shm-name %s --interval 50 %s", name, args);
    snprintf(log, sizeof log, "%s.second.log", name);
    s.proc = tp_spawn_ex("..\\..\\gui\\chat_client.exe", all, 0, log);
    s.win = NULL;
    for (int i = 0; i < 400 && !s.win; i++) {
        Sleep(25);
        s.win = chat_window_find(GetProcessId(s.proc));
    }
    ck_assert_msg(s.win != NULL, "the second window never appeared");
    return s;
}

/* Two instances: the second opens beside the first, not on top of it, and
 * closing it does not overwrite the name the first one chose. */
START_TEST(test_window_a_second_instance_opens_offset_and_keeps_the_first_ones_choice)
{
    char ini[MAX_PATH];
    ini_path(ini, sizeof ini);
    ck_assert(WritePrivateProfileStringA("Connection", "Server", "example.invalid:5", ini));
    ck_assert(WritePrivateProfileStringA("Window", "Position", "50,40", ini));
    ck_assert(WritePrivateProfileStringA("Window", "Size96", "500,400", ini));
    start_client(" ");
    Second two = start_second(" ");
    RECT a, b;
    GetWindowRect(gc_win, &a);
    GetWindowRect(two.win, &b);
    ck_assert_msg(a.left != b.left || a.top != b.top, "both windows at %ld,%ld", a.left, a.top);

    choose(NULL, L"first-choice");
    gc_close();
    DWORD_PTR r;
    SendMessageTimeoutW(two.win, WM_CLOSE, 0, 0, SMTO_ABORTIFHUNG, 5000, &r);
    ck_assert_uint_eq(tp_exit_code(two.proc, 10000), 0);
    char got[100];
    GetPrivateProfileStringA("Connection", "User", "", got, sizeof got, ini);
    ck_assert_str_eq(got, "first-choice");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("window");
    tc_startup();
    TCase *tc = tcase_create("keyboard");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_window_tab_visits_every_control_and_comes_back);
    tcase_add_test(tc, test_window_connects_to_the_server_over_ipv6);
    tcase_add_test(tc, test_window_a_minimized_window_ticks_once_a_second_and_at_once_when_restored);
    tcase_add_test(tc, test_window_label_mnemonics_focus_the_control_after_them);
    tcase_add_test(tc, test_window_esc_never_closes_the_window);
    tcase_add_test(tc, test_window_esc_clears_the_draft);
    tcase_add_test(tc, test_window_keys_sent_straight_to_the_panes_do_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("telling");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_window_connection_events_reach_the_log_and_the_title);
    tcase_add_test(tc, test_window_status_bar_says_it_plainly);
    tcase_add_test(tc, test_window_a_server_that_closes_at_once_is_a_failure_told_once);
    tcase_add_test(tc, test_window_input_problems_are_a_balloon_at_the_send_box);
    tcase_add_test(tc, test_window_counter_shows_bytes_left_near_the_limit);
    tcase_add_test(tc, test_window_up_and_down_keep_the_draft);
    tcase_add_test(tc, test_window_save_log_as_writes_utf8);
    tcase_add_test(tc, test_window_edit_menu_copies_the_log);
    tcase_add_test(tc, test_window_the_chat_log_reads_to_a_screen_reader);
    tcase_add_test(tc, test_window_find_reaches_a_link_and_enter_opens_it);
    tcase_add_test(tc, test_window_about_names_the_license_and_centres_on_the_window);
    suite_add_tcase(s, tc);

    tc = tcase_create("status");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, test_window_state_of_a_server_on_another_machine);
    tcase_add_test(tc, test_window_state_on_the_servers_machine_comes_from_the_segment);
    tcase_add_test(tc, test_window_never_shows_another_servers_segment);
    tcase_add_test(tc, test_window_an_original_server_elsewhere_leaves_the_count_unknown);
    tcase_add_test(tc, test_window_a_server_elsewhere_not_connected_shows_no_local_state);
    tcase_add_test(tc, test_window_moving_to_another_server_leaves_the_old_ones_state_behind);
    suite_add_tcase(s, tc);

    tc = tcase_create("settings");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_window_any_name_round_trips_through_the_settings);
    tcase_add_test(tc, test_window_an_ansi_settings_file_is_converted);
    tcase_add_test(tc, test_window_the_theme_follows_windows_and_the_menu);
    tcase_add_test(tc, test_window_nonsense_view_settings_are_not_kept);
    tcase_add_test(tc, test_window_server_box_takes_host_colon_port);
    tcase_add_test(tc, test_window_options_are_not_saved);
    tcase_add_test(tc, test_window_size_is_saved_independent_of_dpi);
    tcase_add_test(tc, test_window_a_second_instance_opens_offset_and_keeps_the_first_ones_choice);
    suite_add_tcase(s, tc);
    return s;
}
