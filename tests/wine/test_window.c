/* test_window.c: chat_client.exe behaving like a Windows application: the
 * keyboard (Tab order, mnemonics, F6, Esc), its settings across restarts,
 * and what it tells the user. A real client process with a real window on
 * the X display; keys are posted to the control that has the focus, so they
 * go through the client's own message loop (accelerators, IsDialogMessage)
 * exactly as typed keys do, and the focus is read back with
 * GetGUIThreadInfo. */
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
    char args[200];
    snprintf(args, sizeof args, "--user tabber --server 127.0.0.1:%u", port);
    start_client(args);
    for (int i = 0; i < 300 && gc_stat(STAT_NET_STATE) != NET_CONNECTED; i++)
        Sleep(10);
    ck_assert_uint_eq(gc_stat(STAT_NET_STATE), NET_CONNECTED); /* Send is enabled */

    put_focus_on(IDC_INPUT);
    const int order[] = {IDC_SEND, IDC_MESSAGE, IDC_LOG, IDC_INPUT};
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

Suite *make_suite(void)
{
    Suite *s = suite_create("window");
    tc_startup();
    TCase *tc = tcase_create("keyboard");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_window_tab_visits_every_control_and_comes_back);
    tcase_add_test(tc, test_window_label_mnemonics_focus_the_control_after_them);
    tcase_add_test(tc, test_window_esc_never_closes_the_window);
    tcase_add_test(tc, test_window_esc_clears_the_draft);
    suite_add_tcase(s, tc);
    return s;
}
