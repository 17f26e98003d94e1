/* test_net.c: chat_client.exe's networking against a server played by this
 * test on a free loopback port, which sees every recv() boundary. The
 * client is a real process with a real window, driven through messages. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/check_main.h"
#include "common/guiclient.h"
#include "common/tconn.h"
#include "common/winproc.h"
#include "core/pacer.h"
#include "gui/net.h"
#include "gui/window.h"
#include "resources/resource.h"

static char name[128];
static unsigned short port;
static SOCKET listener = INVALID_SOCKET;

/* --- the server side, played by the test ----------------------------------- */

static void listen_on(unsigned short p)
{
    listener = tc_listen(p);
}

static SOCKET accept_client(DWORD ms)
{
    ck_assert_msg(tc_readable(listener, ms), "the client did not connect within %lu ms", ms);
    SOCKET s = accept(listener, NULL, NULL);
    ck_assert(s != INVALID_SOCKET);
    return s;
}

/* One recv() exactly as it came: its boundary is what the original server
 * would take as one message. Returns its length, 0 on timeout. */
static int recv_one(SOCKET s, char *buf, int cap, DWORD ms)
{
    if (!tc_readable(s, ms))
        return 0;
    int n = recv(s, buf, cap - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    return n > 0 ? n : 0;
}

static void send_str(SOCKET s, const char *line)
{
    ck_assert(send(s, line, (int)strlen(line), 0) == (int)strlen(line));
}

/* --- the client window ------------------------------------------------------ */

static void start_client(const char *user)
{
    char args[600];
    snprintf(args, sizeof args, "--shm-name %s --user %s --server 127.0.0.1:%u", name, user,
             port);
    gc_start(name, args);
}

/* Types a message into the send box and presses Send, through messages. */
static void type_and_send(const wchar_t *text)
{
    DWORD_PTR r;
    HWND input = GetDlgItem(gc_win, IDC_INPUT);
    ck_assert(SendMessageTimeoutW(input, WM_SETTEXT, 0, (LPARAM)text, SMTO_ABORTIFHUNG, 2000, &r));
    ck_assert(SendMessageTimeoutW(gc_win, WM_COMMAND, MAKEWPARAM(IDC_SEND, BN_CLICKED),
                                  (LPARAM)GetDlgItem(gc_win, IDC_SEND), SMTO_ABORTIFHUNG, 2000, &r));
}

/* Polls a statistic until it reaches `want` (>=) or ms pass. */
static bool stat_reaches(WindowStat which, unsigned long want, DWORD ms)
{
    unsigned long long end = tp_now_ms() + ms;
    while (gc_stat(which) < want) {
        if (tp_now_ms() > end)
            return false;
        Sleep(10);
    }
    return true;
}

/* Polls a statistic until it equals `want` or ms pass. */
static bool stat_is(WindowStat which, unsigned long want, DWORD ms)
{
    unsigned long long end = tp_now_ms() + ms;
    while (gc_stat(which) != want) {
        if (tp_now_ms() > end)
            return false;
        Sleep(10);
    }
    return true;
}

static bool state_is(int want, DWORD ms)
{
    return stat_is(STAT_NET_STATE, (unsigned long)want, ms);
}

enum { ST_OFF, ST_RESOLVING, ST_CONNECTING, ST_CONNECTED, ST_WAITING }; /* NetState */

/* Accepts the client and checks its hello came alone in one recv(). */
static SOCKET accept_hello(const char *user)
{
    char buf[4096], want[100];
    SOCKET s = accept_client(10000);
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    snprintf(want, sizeof want, "USERNAME:%s\n", user);
    ck_assert_str_eq(buf, want);
    return s;
}

/* A client named user, connected to this test's server and joined. */
static SOCKET joined_client(const char *user)
{
    char join[100];
    listen_on(port);
    start_client(user);
    SOCKET s = accept_hello(user);
    snprintf(join, sizeof join, "*** %s joined the chat ***\n", user);
    send_str(s, join);
    ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));
    return s;
}

/* "bye /quit" in the send box and a click on Send, posted: the click opens
 * a modal confirmation, which the test answers. */
static void click_send_quit(void)
{
    DWORD_PTR r;
    ck_assert(SendMessageTimeoutW(GetDlgItem(gc_win, IDC_INPUT), WM_SETTEXT, 0,
                                  (LPARAM)L"bye /quit", SMTO_ABORTIFHUNG, 2000, &r));
    PostMessageW(gc_win, WM_COMMAND, MAKEWPARAM(IDC_SEND, BN_CLICKED),
                 (LPARAM)GetDlgItem(gc_win, IDC_SEND));
}

static void setup(void)
{
    char display[200];
    ck_assert_msg(GetEnvironmentVariableA("DISPLAY", display, sizeof display) > 0,
                  "the network suite needs an X display: run scripts/test, or set DISPLAY");
    tp_unique_name(name, sizeof name, "net");
    port = tc_free_port();
    listener = INVALID_SOCKET;
}

static void teardown(void)
{
    gc_kill();
    if (listener != INVALID_SOCKET)
        closesocket(listener);
}

/* --- the tests -------------------------------------------------------------- */

START_TEST(test_net_hello_is_one_send_and_first_message_waits_for_the_join_line)
{
    char buf[4096];
    listen_on(port);
    start_client("alice");
    SOCKET s = accept_hello("alice");
    ck_assert(state_is(ST_CONNECTED, 5000));

    /* Typed before the join line came back: it must wait for it. */
    type_and_send(L"first");
    ck_assert_int_eq(recv_one(s, buf, sizeof buf, 300), 0);
    send_str(s, "*** alice joined the chat ***\n");
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "first\n"); /* alone in its recv() */
    closesocket(s);
}
END_TEST

START_TEST(test_net_first_message_goes_after_1s_without_a_join_line)
{
    char buf[4096];
    listen_on(port);
    start_client("quiet");
    SOCKET s = accept_hello("quiet");
    ck_assert(state_is(ST_CONNECTED, 5000));
    unsigned long long t0 = tp_now_ms();
    type_and_send(L"anyway");
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "anyway\n");
    /* Not before the 1 s wait (less a margin for the clock's granularity). */
    ck_assert_uint_ge(tp_now_ms() - t0, 900);
    closesocket(s);
}
END_TEST

START_TEST(test_net_three_quick_messages_are_three_recvs_each_after_an_echo)
{
    char buf[4096];
    listen_on(port);
    start_client("bob");
    SOCKET s = accept_hello("bob");
    send_str(s, "*** bob joined the chat ***\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));

    type_and_send(L"one");
    type_and_send(L"two");
    type_and_send(L"three");
    const char *want[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s\n", want[i]);
        ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
        ck_assert_str_eq(buf, line); /* one message, one recv(): never merged */
        /* Nothing more until we echo this one (well within the 500 ms). */
        ck_assert_int_eq(recv_one(s, buf, sizeof buf, 200), 0);
        snprintf(line, sizeof line, "bob: %s\n", want[i]);
        send_str(s, line);
    }
    ck_assert(stat_reaches(STAT_SENDS, 3, 2000));
    unsigned long long end = tp_now_ms() + 2000;
    while (gc_stat(STAT_PENDING) != 0 && tp_now_ms() < end)
        Sleep(10); /* the last echo is on its way */
    ck_assert_uint_eq(gc_stat(STAT_PENDING), 0);
    closesocket(s);
}
END_TEST

START_TEST(test_net_reconnects_with_backoff_after_the_server_closes)
{
    listen_on(port);
    start_client("carol");
    SOCKET s = accept_hello("carol");
    closesocket(s); /* the server goes away */
    ck_assert(state_is(ST_WAITING, 5000));
    ck_assert_uint_eq(gc_stat(STAT_NET_ATTEMPT), 1);
    /* It comes back by itself (first retry after at most 1 s). */
    s = accept_hello("carol");
    ck_assert(state_is(ST_CONNECTED, 5000));
    closesocket(s);
}
END_TEST

/* A server that passes anything on (the original keeps NUL, control bytes
 * and broken UTF-8): every line reaches the log, the ones after it too. */
static void send_bytes(SOCKET s, const char *data, int len)
{
    ck_assert_int_eq(send(s, data, len, 0), len);
}

START_TEST(test_net_nul_control_and_broken_utf8_from_the_server_lose_no_line)
{
    static wchar_t log[8192];
    listen_on(port);
    start_client("ida");
    SOCKET s = accept_hello("ida");
    send_str(s, "*** ida joined the chat ***\n");
    send_bytes(s, "bob: a\0b\n", 9);
    send_bytes(s, "bob: \x1b[2J\x07\x08\r\n", 13);
    send_bytes(s, "bob: caf\xE9 \xC3\x28 \xFF\n", 17);
    send_str(s, "bob: still here\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 5, 5000));
    gc_text(IDC_LOG, log, 8192);
    ck_assert_msg(wcsstr(log, L"bob: still here") != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(log, L"bob: a\x2400" L"b\r\n") != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(log, L"bob: \x241B[2J\x2407\x2408\r\n") != NULL, "log: %s",
                  gc_u8(log));
    ck_assert_msg(wcsstr(log, L"bob: caf") != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(IsWindow(gc_win), "the window is gone");
    closesocket(s);
}
END_TEST

/* One chat line "˜" (U+02DC, or the byte 0x98 read as ANSI) killed every
 * client under Wine 8 while the log was an EDIT control (its Uniscribe
 * path); the chat view shows it, and the window lives on. */
START_TEST(test_net_a_small_tilde_line_kills_no_client)
{
    static wchar_t log[8192];
    DWORD_PTR r;
    listen_on(port);
    start_client("jo");
    SOCKET s = accept_hello("jo");
    send_str(s, "*** jo joined the chat ***\n");
    send_str(s, "bob: \xCB\x9C\n");
    send_str(s, "bob: \x98\n");
    send_str(s, "bob: a\xCB\x9C\xCC\x83 \xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 4, 5000));
    /* Painted now, and again after a resize re-wraps it. */
    RedrawWindow(gc_win, NULL, NULL, RDW_INVALIDATE | RDW_ALLCHILDREN | RDW_UPDATENOW);
    SetWindowPos(gc_win, NULL, 0, 0, 500, 420, SWP_NOMOVE | SWP_NOZORDER | SWP_NOACTIVATE);
    RedrawWindow(gc_win, NULL, NULL, RDW_INVALIDATE | RDW_ALLCHILDREN | RDW_UPDATENOW);
    Sleep(300);
    send_str(s, "bob: still here\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 5, 5000));
    ck_assert_msg(IsWindow(gc_win) && SendMessageTimeoutW(gc_win, WM_NULL, 0, 0,
                                                          SMTO_ABORTIFHUNG, 2000, &r),
                  "the window is gone or hung");
    gc_text(IDC_LOG, log, 8192);
    ck_assert_msg(wcsstr(log, L"bob: \x02DC\r\n") != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(log, L"bob: still here") != NULL, "log: %s", gc_u8(log));
    closesocket(s);
}
END_TEST

/* The server dies in the middle of a line: what came is shown, marked as
 * unfinished, and the next session's first line stands on its own. */
START_TEST(test_net_a_line_cut_by_the_server_dying_is_shown_marked_not_glued)
{
    static wchar_t log[8192];
    listen_on(port);
    start_client("hal");
    SOCKET s = accept_hello("hal");
    send_str(s, "*** hal joined the chat ***\n");
    send_str(s, "bob: half a li");
    ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));
    closesocket(s); /* killed mid-message */
    s = accept_hello("hal");
    send_str(s, "*** hal joined the chat ***\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 2, 5000));
    gc_text(IDC_LOG, log, 8192);
    ck_assert_msg(wcsstr(log, L"bob: half a li [unfinished: the connection ended]\r\n[") !=
                      NULL,
                  "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(log, L"li***") == NULL && wcsstr(log, L"li*** hal") == NULL,
                  "glued: %s", gc_u8(log));
    closesocket(s);
}
END_TEST

/* The server says our name is taken and closes: the taken line is in the
 * log once, the window stops retrying the same name and asks for another,
 * offering the name with a number; the one chosen joins. */
START_TEST(test_net_a_taken_name_is_said_once_and_another_asked_for)
{
    static wchar_t log[8192];
    wchar_t offered[100];
    listen_on(port);
    start_client("jan");
    SOCKET s = accept_hello("jan");
    send_str(s, "*** the name jan is taken: choose another ***\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));
    closesocket(s);
    HWND dlg = gc_dialog();
    ck_assert(state_is(ST_OFF, 5000));
    ck_assert_msg(!tc_readable(listener, 1500), "the window retried the taken name");
    GetDlgItemTextW(dlg, IDC_CONNECT_USER, offered, 100);
    ck_assert_msg(wcscmp(offered, L"jan2") == 0, "offered '%s'", gc_u8(offered));
    PostMessageW(dlg, WM_COMMAND, IDOK, 0);
    s = accept_hello("jan2");
    send_str(s, "*** jan2 joined the chat ***\n");
    ck_assert(state_is(ST_CONNECTED, 5000));
    ck_assert(stat_reaches(STAT_LINES_IN, 2, 5000));
    gc_text(IDC_LOG, log, 8192);
    const wchar_t *taken = wcsstr(log, L"*** the name jan is taken: choose another ***");
    ck_assert_msg(taken != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(taken + 20, L"is taken") == NULL, "said twice: %s", gc_u8(log));
    closesocket(s);
}
END_TEST

/* How often `part` occurs in the log. */
static int log_count(const wchar_t *part)
{
    static wchar_t log[16384];
    int n = 0;
    gc_text(IDC_LOG, log, 16384);
    for (const wchar_t *p = log; (p = wcsstr(p, part)) != NULL; p += wcslen(part))
        n++;
    return n;
}

/* A server that refuses the session in its first line (the chat is full,
 * too many wait to join) refused it: no "Connected", the refusal and the
 * failure said once however often the retry is refused, in plain words. */
START_TEST(test_net_a_full_chat_is_a_refusal_told_once)
{
    static wchar_t status[600];
    listen_on(port);
    start_client("late");
    for (int i = 0; i < 3; i++) {
        SOCKET s = accept_hello("late");
        send_str(s, "*** server full ***\n");
        ck_assert(stat_reaches(STAT_LINES_IN, (unsigned long)i + 1, 5000));
        closesocket(s);
        ck_assert(state_is(ST_WAITING, 5000));
    }
    gc_text(IDC_STATUS, status, 600);
    ck_assert_msg(wcsstr(status, L"the chat is full") != NULL, "status: %s", gc_u8(status));
    SOCKET s = accept_hello("late");
    send_str(s, "*** late joined the chat ***\n");
    ck_assert(state_is(ST_CONNECTED, 5000));
    ck_assert(stat_reaches(STAT_LINES_IN, 4, 5000));
    ck_assert_int_eq(log_count(L"*** server full ***"), 1);
    ck_assert_int_eq(log_count(L"the chat is full"), 1);
    ck_assert_int_eq(log_count(L"--- Connected"), 1); /* the last one only */
    closesocket(s);
}
END_TEST

/* A line like the refusal later in a session is someone's text (the
 * original server passes newlines on): no question, reconnecting goes on. */
START_TEST(test_net_a_forged_taken_line_mid_session_is_only_text)
{
    listen_on(port);
    start_client("kim");
    SOCKET s = accept_hello("kim");
    send_str(s, "*** kim joined the chat ***\n");
    send_str(s, "bob: hi\n*** the name kim is taken: choose another ***\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 3, 5000));
    closesocket(s); /* a server restart */
    s = accept_hello("kim"); /* it came back, with the same name */
    ck_assert(state_is(ST_CONNECTED, 5000));
    closesocket(s);
}
END_TEST

/* Refused under a name this window was in the chat with: most likely its
 * own earlier session, which the server has not seen die yet. Retrying
 * goes on (said once), no question. */
START_TEST(test_net_a_taken_name_after_being_in_the_chat_is_retried)
{
    static wchar_t log[8192];
    listen_on(port);
    start_client("lou");
    SOCKET s = accept_hello("lou");
    send_str(s, "*** lou joined the chat ***\n");
    ck_assert(state_is(ST_CONNECTED, 5000));
    closesocket(s); /* the network dropped */
    for (int i = 0; i < 2; i++) {
        s = accept_hello("lou");
        send_str(s, "*** the name lou is taken: choose another ***\n");
        Sleep(200);
        closesocket(s);
    }
    s = accept_hello("lou"); /* the server let the old session go */
    send_str(s, "*** lou joined the chat ***\n");
    ck_assert(state_is(ST_CONNECTED, 5000));
    gc_text(IDC_LOG, log, 8192);
    const wchar_t *said = wcsstr(log, L"still counts you");
    ck_assert_msg(said != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcsstr(said + 1, L"still counts you") == NULL, "said twice: %s", gc_u8(log));
    closesocket(s);
}
END_TEST

START_TEST(test_net_refused_connection_backs_off_and_keeps_the_typed_text)
{
    wchar_t text[64];
    start_client("dave"); /* nobody listens on the port */
    ck_assert(state_is(ST_WAITING, 10000));
    ck_assert(stat_reaches(STAT_NET_ATTEMPT, 2, 10000)); /* retried, again */
    /* While disconnected, Send keeps the message in the box. */
    type_and_send(L"kept");
    gc_text(IDC_INPUT, text, 64);
    ck_assert_msg(wcscmp(text, L"kept") == 0, "send box: '%s'", gc_u8(text));
    ck_assert(!IsWindowEnabled(GetDlgItem(gc_win, IDC_SEND)));
    /* The server appears: the client connects on its next attempt. */
    listen_on(port);
    SOCKET s = accept_hello("dave");
    ck_assert(state_is(ST_CONNECTED, 5000));
    ck_assert(IsWindowEnabled(GetDlgItem(gc_win, IDC_SEND)));
    closesocket(s);
}
END_TEST

START_TEST(test_net_a_70kb_line_is_cut_and_marked_shown_whole_and_the_next_arrives)
{
    static char big[70 * 1024 + 2];
    static wchar_t log[140 * 1024];
    listen_on(port);
    start_client("erin");
    SOCKET s = accept_hello("erin");
    memset(big, 'x', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = '\0';
    send_str(s, big);
    send_str(s, "zed: after the big one\n");
    unsigned long long t0 = tp_now_ms();
    ck_assert(stat_reaches(STAT_LINES_IN, 2, 10000));
    fprintf(stderr, "a 70 KB line took %llu ms to show\n", tp_now_ms() - t0);
    gc_text(IDC_LOG, log, sizeof log / sizeof log[0]);
    ck_assert(wcsstr(log, L"[cut: longer than 64 KB]") != NULL);
    ck_assert(wcsstr(log, L"zed: after the big one") != NULL);
    /* The chat view shows all the 64 KB the network layer kept, wrapped;
     * the EDIT control showed 4,227 bytes of it. */
    size_t xs = 0;
    for (const wchar_t *p = log; *p; p++)
        xs += *p == L'x';
    ck_assert_uint_ge(xs, 65536 - 64);
    closesocket(s);
}
END_TEST

typedef struct Flood {
    SOCKET s;
    int lines;
    bool tiny; /* "a: b" lines: the most lines per byte */
} Flood;

static DWORD WINAPI flood_thread(void *arg)
{
    Flood *f = arg;
    char line[64];
    for (int i = 0; i < f->lines; i++) {
        int n = f->tiny ? snprintf(line, sizeof line, "a: b\n")
                        : snprintf(line, sizeof line, "zed: flood line %06d\n", i);
        if (send(f->s, line, n, 0) != n)
            break;
    }
    return 0;
}

START_TEST(test_net_window_answers_while_the_server_floods_it)
{
    listen_on(port);
    start_client("ivy");
    SOCKET s = accept_hello("ivy");
    ck_assert(state_is(ST_CONNECTED, 5000));
    /* About 2.8 MB of lines, as fast as TCP goes: more than the 100,000
     * lines the log keeps. */
    Flood f = {s, 110000, _i == 1};
    HANDLE t = CreateThread(NULL, 0, flood_thread, &f, 0, NULL);
    unsigned long long slowest = 0, tick_at = tp_now_ms(), tick_gap = 0;
    unsigned long ticks = gc_stat(STAT_TICKS);
    int asked = 0;
    while (WaitForSingleObject(t, 0) == WAIT_TIMEOUT || gc_stat(STAT_LINES_IN) < 110000) {
        DWORD_PTR r;
        unsigned long long t0 = tp_now_ms();
        /* Timers (like input and painting) come after posted messages: a
         * window that only reads the flood never gets to them. */
        unsigned long now_ticks = gc_stat(STAT_TICKS);
        if (now_ticks != ticks) {
            ticks = now_ticks;
            tick_at = t0;
        }
        tick_gap = t0 - tick_at > tick_gap ? t0 - tick_at : tick_gap;
        ck_assert_msg(SendMessageTimeoutW(gc_win, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 2000, &r),
                      "the window did not answer for 2 s during the flood");
        unsigned long long took = tp_now_ms() - t0;
        slowest = took > slowest ? took : slowest;
        asked++;
        ck_assert_msg(asked < 100000, "the flood never ended");
        Sleep(20);
    }
    CloseHandle(t);
    fprintf(stderr, "flood%s: %d pings, slowest answer %llu ms, longest without a tick %llu ms\n",
            f.tiny ? " of tiny lines" : "", asked, slowest, tick_gap);
    ck_assert_msg(tick_gap < 2000, "no timer, input or painting for %lu ms",
                  (unsigned long)tick_gap);
    ck_assert_uint_eq(gc_stat(STAT_LINES_IN), 110000);
    /* The scrollback is bounded: the newest 100,000 lines, every one shown. */
    ck_assert_uint_eq(gc_stat(STAT_LOG_LINES), 100000);
    if (f.tiny) {
        closesocket(s);
        return;
    }
    HWND log = GetDlgItem(gc_win, IDC_LOG);
    int len = (int)SendMessageW(log, WM_GETTEXTLENGTH, 0, 0);
    wchar_t *all = malloc(((size_t)len + 1) * sizeof *all);
    ck_assert(all != NULL);
    SendMessageW(log, WM_GETTEXT, (WPARAM)len + 1, (LPARAM)all);
    ck_assert(wcsstr(all, L"zed: flood line 109999\r\n") != NULL);
    ck_assert(wcsstr(all, L"zed: flood line 009999\r\n") == NULL); /* dropped, oldest first */
    ck_assert(wcsstr(all, L"zed: flood line 010000\r\n") != NULL);
    free(all);
    closesocket(s);
}
END_TEST

START_TEST(test_net_unicode_round_trip)
{
    char buf[4096];
    static wchar_t log[8192];
    const wchar_t *arabic = L"\x0645\x0631\x062D\x0628\x0627 h\x00E9llo";
    const char *utf8 = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 h\xC3\xA9llo";
    listen_on(port);
    start_client("fay");
    SOCKET s = accept_hello("fay");
    send_str(s, "*** fay joined the chat ***\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));
    type_and_send(arabic);
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    char want[200];
    snprintf(want, sizeof want, "%s\n", utf8);
    ck_assert_str_eq(buf, want); /* UTF-8 on the wire */
    snprintf(want, sizeof want, "fay: %s\n", utf8);
    send_str(s, want);
    ck_assert(stat_reaches(STAT_LINES_IN, 2, 5000));
    gc_text(IDC_LOG, log, 8192);
    ck_assert_msg(wcsstr(log, arabic) != NULL, "log: %s", gc_u8(log));
    closesocket(s);
}
END_TEST

/* A server that does not clean names (the original) sends a name with a
 * right-to-left override and a zero width space: the log spells them out,
 * the message text is shown as sent. */
START_TEST(test_net_invisible_characters_in_names_are_shown_escaped)
{
    static wchar_t log[8192];
    listen_on(port);
    start_client("gus");
    SOCKET s = accept_hello("gus");
    send_str(s, "*** gus joined the chat ***\n");
    send_str(s, "*** \xE2\x80\x8B" "gus joined the chat ***\n");
    send_str(s, "ali\xE2\x80\xAE" "ec: hello\n");
    ck_assert(stat_reaches(STAT_LINES_IN, 3, 5000));
    gc_text(IDC_LOG, log, 8192);
    ck_assert_msg(wcsstr(log, L"*** <U+200B>gus joined the chat ***") != NULL, "log: %s",
                  gc_u8(log));
    ck_assert_msg(wcsstr(log, L"ali<U+202E>ec: hello") != NULL, "log: %s", gc_u8(log));
    ck_assert_msg(wcschr(log, 0x202E) == NULL && wcschr(log, 0x200B) == NULL, "log: %s",
                  gc_u8(log));
    closesocket(s);
}
END_TEST

/* The client's dialog or message box (a visible #32770 of its process)
 * other than `not`, within ms. */
typedef struct FindDialog {
    DWORD pid;
    HWND not, found;
} FindDialog;

static BOOL CALLBACK find_dialog(HWND hwnd, LPARAM lp)
{
    FindDialog *f = (FindDialog *)lp;
    DWORD pid = 0;
    wchar_t cls[16];
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && hwnd != f->not && GetClassNameW(hwnd, cls, 16) &&
        wcscmp(cls, L"#32770") == 0 && IsWindowVisible(hwnd)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

static HWND client_dialog(DWORD ms)
{
    FindDialog f = {GetProcessId(gc_proc), NULL, NULL};
    for (unsigned long long end = tp_now_ms() + ms; !f.found && tp_now_ms() < end;) {
        EnumWindows(find_dialog, (LPARAM)&f);
        if (!f.found)
            Sleep(10);
    }
    ck_assert_msg(f.found != NULL, "no dialog within %lu ms", ms);
    return f.found;
}

static void close_dialog(HWND dlg, int id)
{
    PostMessageW(dlg, WM_COMMAND, id, 0);
    for (int i = 0; i < 500 && IsWindow(dlg); i++)
        Sleep(10);
    ck_assert_msg(!IsWindow(dlg), "the dialog did not close");
}

static void set_dlg_text(HWND dlg, int id, const wchar_t *text)
{
    DWORD_PTR r;
    ck_assert(SendMessageTimeoutW(GetDlgItem(dlg, id), WM_SETTEXT, 0, (LPARAM)text,
                                  SMTO_ABORTIFHUNG, 2000, &r));
}

/* File > Connect... to 127.0.0.1:p as user, through the real dialog. */
static void connect_through_dialog(unsigned short p, const wchar_t *user)
{
    wchar_t w[16];
    PostMessageW(gc_win, WM_COMMAND, IDM_CONNECT, 0);
    HWND dlg = client_dialog(5000);
    swprintf(w, 16, L"%u", p);
    set_dlg_text(dlg, IDC_CONNECT_HOST, L"127.0.0.1");
    set_dlg_text(dlg, IDC_CONNECT_PORT, w);
    set_dlg_text(dlg, IDC_CONNECT_USER, user);
    close_dialog(dlg, IDOK);
}


/* Five messages queued for a server that never echoes, the server gone,
 * then File > Connect... to another server under another name: none of
 * them reaches it, and the log shows each one as not sent. */
START_TEST(test_net_queued_messages_never_follow_to_another_server_or_name)
{
    char buf[4096];
    static wchar_t log[65536];
    wchar_t msg[64];
    SOCKET a = joined_client("carol");
    for (int i = 1; i <= 5; i++) {
        swprintf(msg, 64, L"private note %d for server A", i);
        type_and_send(msg);
    }
    ck_assert_int_gt(recv_one(a, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "private note 1 for server A\n");
    closesocket(a); /* server A dies, before any echo */
    closesocket(listener);
    listener = INVALID_SOCKET;
    ck_assert(state_is(ST_WAITING, 5000));
    ck_assert_uint_ge(gc_stat(STAT_PENDING), 4); /* the first one may have been given up on */

    unsigned short port_b = tc_free_port();
    listen_on(port_b);
    connect_through_dialog(port_b, L"dave");
    SOCKET b = accept_hello("dave");
    send_str(b, "*** dave joined the chat ***\n");
    ck_assert_msg(recv_one(b, buf, sizeof buf, 1500) == 0, "server B got '%s'", buf);
    ck_assert_uint_eq(gc_stat(STAT_PENDING), 0);
    /* Nothing was dropped silently: each is in the log, marked. */
    gc_text(IDC_LOG, log, 65536);
    for (int i = 2; i <= 5; i++) {
        swprintf(msg, 64, L"): private note %d for server A", i);
        const wchar_t *at = wcsstr(log, msg);
        ck_assert_msg(at != NULL, "note %d not in the log: %s", i, gc_u8(log));
        const wchar_t *bol = at;
        while (bol > log && bol[-1] != L'\n')
            bol--;
        ck_assert_msg(wcsstr(bol, L"--- not sent (typed for 127.0.0.1:") == bol + 11,
                      "note %d is not marked: %s", i, gc_u8(bol));
    }
    /* Note 1 went out to A and its echo never came: if it is still listed,
     * it may have arrived, and the log must not say it was not sent. */
    const wchar_t *first = wcsstr(log, L"): private note 1 for server A");
    if (first != NULL) {
        const wchar_t *bol = first;
        while (bol > log && bol[-1] != L'\n')
            bol--;
        ck_assert_msg(wcsstr(bol, L"--- perhaps not delivered (sent to 127.0.0.1:") == bol + 11,
                      "note 1 is not marked as perhaps delivered: %s", gc_u8(bol));
    }
    /* And what is typed now goes to B. */
    type_and_send(L"hello B");
    ck_assert_int_gt(recv_one(b, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "hello B\n");
    closesocket(b);
}
END_TEST

/* The connection drops while the /quit confirmation is open; Yes then
 * queues nothing: the text stays in the box, and the next session (on the
 * same server here) is not ended by it. */
START_TEST(test_net_a_quit_confirmed_after_the_connection_dropped_stays_in_the_box)
{
    char buf[4096];
    wchar_t input[64];
    SOCKET s = joined_client("hal");
    click_send_quit();
    HWND box = client_dialog(5000);
    closesocket(s); /* lost while the box is open */
    ck_assert(state_is(ST_WAITING, 5000));
    close_dialog(box, IDYES);
    ck_assert_uint_eq(gc_stat(STAT_PENDING), 0);
    gc_text(IDC_INPUT, input, 64);
    ck_assert_msg(wcscmp(input, L"bye /quit") == 0, "the box holds '%s'", gc_u8(input));

    SOCKET s2 = accept_hello("hal"); /* it reconnects by itself */
    send_str(s2, "*** hal joined the chat ***\n");
    ck_assert_msg(recv_one(s2, buf, sizeof buf, 1500) == 0, "the new session got '%s'", buf);
    ck_assert(state_is(ST_CONNECTED, 1000));
    closesocket(s2);
}
END_TEST

/* A confirmed /quit, whose server closes at once or 0.8 s later (a slow
 * link or a busy server, after the echo wait gave up on it): leaving either
 * way, never a reconnection. */
START_TEST(test_net_a_confirmed_quit_leaves_and_does_not_come_back)
{
    static const DWORD close_after_ms[] = {0, 800};
    char buf[4096];
    SOCKET s = joined_client("hal");
    click_send_quit();
    close_dialog(client_dialog(5000), IDYES);
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "bye /quit\n");
    if (close_after_ms[_i] > PACER_ECHO_WAIT_MS) {
        ck_assert(stat_is(STAT_PENDING, 0, 3000)); /* the echo wait gave up on it */
        Sleep(close_after_ms[_i] - PACER_ECHO_WAIT_MS);
    }
    closesocket(s); /* what the server does on /quit */

    ck_assert(state_is(ST_OFF, 5000));
    ck_assert_msg(!tc_readable(listener, 2500), "the client came back after /quit");
    ck_assert_uint_eq(gc_stat(STAT_PENDING), 0);
}
END_TEST

/* Logoff or shutdown: the server hears /quit and the settings are saved,
 * though Windows sends no WM_DESTROY then. */
START_TEST(test_net_the_end_of_the_windows_session_says_quit_and_saves)
{
    char buf[4096], ini[200], text[4096] = "";
    DWORD_PTR r = 0;
    snprintf(ini, sizeof ini, "%s.ini", name);
    DeleteFileA(ini);
    listen_on(port);
    start_client("eve");
    SOCKET s = accept_hello("eve");
    ck_assert(state_is(ST_CONNECTED, 5000));
    ck_assert(GetFileAttributesA(ini) == INVALID_FILE_ATTRIBUTES);

    ck_assert(SendMessageTimeoutW(gc_win, WM_QUERYENDSESSION, 0, ENDSESSION_LOGOFF,
                                  SMTO_ABORTIFHUNG, 5000, &r));
    ck_assert_msg(r == TRUE, "the window refused the end of the session");
    ck_assert(SendMessageTimeoutW(gc_win, WM_ENDSESSION, TRUE, ENDSESSION_LOGOFF,
                                  SMTO_ABORTIFHUNG, 5000, &r));
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "/quit\n");
    FILE *f = fopen(ini, "rb");
    ck_assert_msg(f != NULL, "the settings were not saved");
    size_t got = fread(text, 1, sizeof text - 2, f);
    text[got] = text[got + 1] = '\0';
    fclose(f);
    /* The placement (UTF-16): the name came from the command line, which
     * is not saved. */
    ck_assert_msg(wcsstr((const wchar_t *)(text + 2), L"Size96=") != NULL, "%s", text);
    ck_assert_msg(!tc_readable(listener, 1500), "the client came back after the session ended");
    closesocket(s);
}
END_TEST

START_TEST(test_net_closing_the_window_says_quit)
{
    char buf[4096];
    listen_on(port);
    start_client("gus");
    SOCKET s = accept_hello("gus");
    ck_assert(state_is(ST_CONNECTED, 5000));
    DWORD_PTR r;
    SendMessageTimeoutW(gc_win, WM_CLOSE, 0, 0, SMTO_ABORTIFHUNG, 5000, &r);
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "/quit\n");
    ck_assert_uint_eq(tp_exit_code(gc_proc, 10000), 0);
    gc_proc = NULL;
    closesocket(s);
}
END_TEST

/* A confirmed /quit that went out (the server slow to close it) or waits
 * for the join line, then File > Disconnect, then File > Connect... to the
 * same server and name: the user left, so the /quit is gone; the new
 * session is not ended by it. */
START_TEST(test_net_a_quit_does_not_survive_disconnect_into_the_next_session)
{
    char buf[4096];
    DWORD_PTR r;
    listen_on(port);
    start_client("hal");
    SOCKET s = accept_hello("hal");
    ck_assert(state_is(ST_CONNECTED, 5000));
    if (_i == 0) { /* joined: the /quit goes out */
        send_str(s, "*** hal joined the chat ***\n");
        ck_assert(stat_reaches(STAT_LINES_IN, 1, 5000));
    }
    click_send_quit();
    close_dialog(client_dialog(5000), IDYES);
    if (_i == 0) {
        ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
        ck_assert_str_eq(buf, "bye /quit\n");
    } else {
        ck_assert_uint_eq(gc_stat(STAT_PENDING), 1); /* waiting for the join line */
    }
    ck_assert(SendMessageTimeoutW(gc_win, WM_COMMAND, IDM_DISCONNECT, 0, SMTO_ABORTIFHUNG,
                                  2000, &r));
    ck_assert(state_is(ST_OFF, 3000));
    ck_assert(stat_is(STAT_PENDING, 0, 1000));
    closesocket(s);

    connect_through_dialog(port, L"hal");
    SOCKET s2 = accept_hello("hal");
    send_str(s2, "*** hal joined the chat ***\n");
    ck_assert_msg(recv_one(s2, buf, sizeof buf, 1500) == 0, "the new session got '%s'", buf);
    ck_assert(state_is(ST_CONNECTED, 1000));
    closesocket(s2);
}
END_TEST

/* --- gui/net.c itself, in this process ------------------------------------- */

/* What the connection reported, and whether any report ran inside a call
 * made into it (net_send_line here), which must never happen. */
typedef struct Seen {
    Net net;
    char lines[8][32];
    LineEnd ends[8];
    int nlines, states, batch_ends;
    bool in_call, send_in_batch, send_failed;
    int reentered;
} Seen;
static Seen seen;

static void seen_line(void *ctx, const char *line, size_t len, LineEnd end)
{
    (void)ctx;
    seen.reentered += seen.in_call;
    if (seen.nlines < 8) {
        snprintf(seen.lines[seen.nlines], sizeof seen.lines[0], "%.*s", (int)len, line);
        seen.ends[seen.nlines] = end;
    }
    seen.nlines++;
}

/* Like the window's: the end of a batch sends what the lines released. */
static void seen_batch_end(void *ctx)
{
    (void)ctx;
    seen.reentered += seen.in_call;
    seen.batch_ends++;
    if (seen.send_in_batch && seen.nlines >= 3) {
        seen.send_in_batch = false;
        seen.in_call = true;
        seen.send_failed = !net_send_line(&seen.net, "hi", 2);
        seen.in_call = false;
    }
}

static void seen_state(void *ctx)
{
    (void)ctx;
    seen.reentered += seen.in_call;
    seen.states++;
}

static LRESULT CALLBACK seen_wndproc(HWND h, UINT m, WPARAM wp, LPARAM lp)
{
    switch (m) {
    case WM_APP_SOCKET:
        net_on_socket(&seen.net, wp, lp);
        return 0;
    case WM_APP_RESOLVED:
        net_on_resolved(&seen.net, wp, lp);
        return 0;
    case WM_APP_NET:
        net_on_posted(&seen.net);
        return 0;
    case WM_TIMER:
        if (wp == NET_TIMER_CONNECT || wp == NET_TIMER_RETRY) {
            net_on_timer(&seen.net, wp);
            return 0;
        }
        break;
    default:
        break;
    }
    return DefWindowProcW(h, m, wp, lp);
}

/* Runs this thread's messages for ms, or until the state is `until`. */
static void run_messages(DWORD ms, int until)
{
    for (unsigned long long end = tp_now_ms() + ms; tp_now_ms() < end;) {
        MSG msg;
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        if (until >= 0 && (int)seen.net.state == until)
            return;
        Sleep(1);
    }
}

/* The server sends three lines and half a fourth; the window's batch end
 * sends a message and that send fails (the socket can no longer send):
 * every line is reported, the half one marked, nothing is reported from
 * inside the failing call, and the lost session is reported once. */
START_TEST(test_net_a_send_failing_inside_a_batch_loses_no_line_and_reports_once)
{
    char buf[256];
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = seen_wndproc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"NetUnderTest";
    RegisterClassW(&wc);
    HWND hwnd = CreateWindowW(L"NetUnderTest", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                              wc.hInstance, NULL);
    ck_assert_ptr_nonnull(hwnd);
    memset(&seen, 0, sizeof seen);
    NetEvents ev = {&seen, seen_line, seen_batch_end, seen_state};
    static ChatStats stats;
    ck_assert(net_init(&seen.net, hwnd, &ev, &stats));

    listen_on(port);
    net_connect(&seen.net, "127.0.0.1", port, "ann");
    ck_assert_int_eq(seen.states, 0); /* nothing from inside net_connect */
    run_messages(10000, ST_CONNECTED);
    ck_assert_int_eq(seen.net.state, ST_CONNECTED);
    SOCKET s = accept_client(5000);
    ck_assert_int_gt(recv_one(s, buf, sizeof buf, 5000), 0);
    ck_assert_str_eq(buf, "USERNAME:ann\n");
    run_messages(100, -1);
    int states = seen.states;

    shutdown(seen.net.sock, SD_SEND); /* it can read, but no send succeeds */
    seen.send_in_batch = true;
    send_str(s, "one\ntwo\nthree\npart");
    run_messages(5000, ST_WAITING);
    run_messages(300, -1); /* anything reported twice would come now */

    ck_assert(seen.send_failed);
    ck_assert_int_eq(seen.reentered, 0);
    ck_assert_int_eq(seen.nlines, 4);
    const char *want[] = {"one", "two", "three", "part"};
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(seen.lines[i], want[i]);
    ck_assert_int_eq(seen.ends[3], LINE_UNFINISHED);
    ck_assert_int_eq(seen.net.state, ST_WAITING);
    ck_assert_int_eq(seen.states - states, 1);

    net_free(&seen.net);
    DestroyWindow(hwnd);
    closesocket(s);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("net");
    TCase *tc = tcase_create("client");
    tc_startup();
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_net_hello_is_one_send_and_first_message_waits_for_the_join_line);
    tcase_add_test(tc, test_net_first_message_goes_after_1s_without_a_join_line);
    tcase_add_test(tc, test_net_three_quick_messages_are_three_recvs_each_after_an_echo);
    tcase_add_test(tc, test_net_reconnects_with_backoff_after_the_server_closes);
    tcase_add_test(tc, test_net_a_taken_name_is_said_once_and_another_asked_for);
    tcase_add_test(tc, test_net_a_full_chat_is_a_refusal_told_once);
    tcase_add_test(tc, test_net_a_forged_taken_line_mid_session_is_only_text);
    tcase_add_test(tc, test_net_a_taken_name_after_being_in_the_chat_is_retried);
    tcase_add_test(tc, test_net_a_line_cut_by_the_server_dying_is_shown_marked_not_glued);
    tcase_add_test(tc, test_net_refused_connection_backs_off_and_keeps_the_typed_text);
    tcase_add_test(tc, test_net_a_70kb_line_is_cut_and_marked_shown_whole_and_the_next_arrives);
    tcase_add_loop_test(tc, test_net_window_answers_while_the_server_floods_it, 0, 2);
    tcase_add_test(tc, test_net_unicode_round_trip);
    tcase_add_test(tc, test_net_invisible_characters_in_names_are_shown_escaped);
    tcase_add_test(tc, test_net_nul_control_and_broken_utf8_from_the_server_lose_no_line);
    tcase_add_test(tc, test_net_a_small_tilde_line_kills_no_client);
    tcase_add_loop_test(tc, test_net_a_confirmed_quit_leaves_and_does_not_come_back, 0, 2);
    tcase_add_test(tc, test_net_closing_the_window_says_quit);
    tcase_add_test(tc, test_net_queued_messages_never_follow_to_another_server_or_name);
    tcase_add_test(tc, test_net_a_quit_confirmed_after_the_connection_dropped_stays_in_the_box);
    tcase_add_test(tc, test_net_the_end_of_the_windows_session_says_quit_and_saves);
    tcase_add_test(tc, test_net_a_send_failing_inside_a_batch_loses_no_line_and_reports_once);
    tcase_add_loop_test(tc, test_net_a_quit_does_not_survive_disconnect_into_the_next_session, 0,
                        2);
    suite_add_tcase(s, tc);
    return s;
}
