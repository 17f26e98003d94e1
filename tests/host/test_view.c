/* test_view.c: the client's platform-free view logic (core/view.h) and its
 * command line (core/client_opts.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/client_opts.h"
#include "core/utf8.h"
#include "core/view.h"

static SharedChatData snap(int count, const char *msg)
{
    SharedChatData d;
    memset(&d, 0, sizeof d);
    d.connectedClients = count;
    snprintf(d.lastMessage, sizeof d.lastMessage, "%s", msg);
    return d;
}

START_TEST(test_view_waiting_says_server_not_running)
{
    ViewState v;
    char s[300];
    view_init(&v);
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: \xE2\x80\x94 (server not running)");
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "Shared memory: no chat server on this machine");
    ck_assert_str_eq(view_message(&v), "");
}
END_TEST

START_TEST(test_view_live_label_and_message)
{
    ViewState v;
    char s[300];
    SharedChatData d = snap(3, "hello");
    view_init(&v);
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: 3");
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "Shared memory: live");
    ck_assert_str_eq(view_message(&v), "hello");
}
END_TEST

START_TEST(test_view_busy_keeps_the_last_copy)
{
    ViewState v;
    char s[300];
    SharedChatData d = snap(2, "kept");
    view_init(&v);
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_update(&v, VIEW_BUSY, NULL, NULL);
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: 2");
    ck_assert_str_eq(view_message(&v), "kept");
    view_status(&v, s, sizeof s);
    ck_assert(strstr(s, "busy") != NULL);
}
END_TEST

START_TEST(test_view_recovered_and_error_say_so_in_words)
{
    ViewState v;
    char s[300];
    SharedChatData d = snap(1, "x");
    view_init(&v);
    view_update(&v, VIEW_RECOVERED, &d, NULL);
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "Shared memory: recovered from an abandoned lock");
    view_update(&v, VIEW_ERROR, NULL, "access denied");
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "Shared memory: error: access denied");
    view_label(&v, s, sizeof s);
    ck_assert(strstr(s, "unavailable") != NULL);
}
END_TEST

static const int bad_counts[] = {-1, -5, INT_MIN, VIEW_COUNT_MAX + 1, INT_MAX};

START_TEST(test_view_absurd_counts_are_shown_with_a_warning)
{
    ViewState v;
    char s[300], want[100];
    SharedChatData d = snap(bad_counts[_i], "m");
    view_init(&v);
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_label(&v, s, sizeof s);
    snprintf(want, sizeof want, "Connected clients: %d (invalid)", bad_counts[_i]);
    ck_assert_str_eq(s, want);
    view_status(&v, s, sizeof s);
    ck_assert(strstr(s, "warning") != NULL);
}
END_TEST

START_TEST(test_view_utf8_or_ansi)
{
    ck_assert(utf8_valid("plain", 5));
    ck_assert(utf8_valid("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", 10));
    ck_assert(!utf8_valid("caf\xE9", 4));       /* cp1252 café */
    ck_assert(!utf8_valid("\xC7\xE1\xD3", 3)); /* cp1256 Arabic */
}
END_TEST

START_TEST(test_view_diff_reports_only_what_changed)
{
    ViewState a, b;
    SharedChatData d1 = snap(1, "one"), d2 = snap(1, "two"), d3 = snap(2, "two");
    view_init(&a);
    view_update(&a, VIEW_LIVE, &d1, NULL);
    b = a;
    ViewChanges c = view_diff(&a, &b);
    ck_assert(!c.label && !c.message && !c.status); /* nothing: no repaint */
    view_update(&b, VIEW_LIVE, &d2, NULL);
    c = view_diff(&a, &b);
    ck_assert(!c.label && c.message && !c.status);
    a = b;
    view_update(&b, VIEW_LIVE, &d3, NULL);
    c = view_diff(&a, &b);
    ck_assert(c.label && !c.message && !c.status);
    a = b;
    view_update(&b, VIEW_BUSY, NULL, NULL);
    c = view_diff(&a, &b);
    ck_assert(!c.label && !c.message && c.status);
}
END_TEST

START_TEST(test_view_unterminated_snapshot_is_bounded)
{
    ViewState v;
    SharedChatData d;
    memset(&d, 'z', sizeof d);
    view_init(&v);
    view_update(&v, VIEW_LIVE, &d, NULL);
    ck_assert_uint_eq(strlen(view_message(&v)), 1023);
    /* It fills the field: the texts say it was cut; one byte less is not. */
    ViewTexts t, u;
    view_texts(&v, &t);
    ck_assert(t.message_cut);
    ck_assert(view_message_cut(&v));
    d.lastMessage[1019] = '\0'; /* 1019 bytes: short of any cut */
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_texts(&v, &u);
    ck_assert(!u.message_cut);
    ck_assert(view_texts_diff(&t, &u).message);
    /* The same bytes, cut or not, are a change to show. */
    memcpy(u.message, t.message, sizeof t.message);
    ck_assert(view_texts_diff(&t, &u).message);
    /* A long Cyrillic message is cut on a character, 1022 bytes: marked. */
    char cyr[1200];
    for (int i = 0; i < 600; i++)
        memcpy(cyr + 2 * i, "\xD0\xB6", 2);
    memset(&d, 0, sizeof d);
    ck_assert_uint_eq(shm_layout_set_message(&d, cyr, sizeof cyr), 1022);
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_texts(&v, &u);
    ck_assert(u.message_cut);
    /* Short of that, not. */
    memset(&d, 0, sizeof d);
    shm_layout_set_message(&d, cyr, 1018);
    view_update(&v, VIEW_LIVE, &d, NULL);
    view_texts(&v, &u);
    ck_assert(!u.message_cut);
}
END_TEST

START_TEST(test_view_long_error_is_cut_on_a_character_boundary)
{
    /* Found by fuzz_utf8 (fuzz/regress/fuzz_utf8/): a reason longer than
     * ViewState.error (a localized FormatMessage text can be) was cut at
     * byte 255, inside a two-byte character, and the status bar text was
     * no longer UTF-8. */
    char error[401], s[400];
    ViewState v;
    for (int i = 0; i < 200; i++)
        memcpy(error + 2 * i, "\xC3\xA9", 2);
    error[400] = '\0';
    view_init(&v);
    view_update(&v, VIEW_ERROR, NULL, error);
    ck_assert_uint_eq(strlen(v.error), 254); /* 127 whole characters */
    view_status(&v, s, sizeof s);
    ck_assert(utf8_valid(s, strlen(s)));
    ck_assert_uint_eq(strlen(s), strlen("Shared memory: error: ") + 254);
}
END_TEST

/* --- client options -------------------------------------------------------- */

static ClientOptsResult cparse(ClientOptions *o, char *err, const char *a1, const char *a2)
{
    char *argv[4] = {"chat_client", (char *)a1, (char *)a2, NULL};
    return client_opts_parse(1 + (a1 != NULL) + (a2 != NULL), argv, o, err, 200);
}

START_TEST(test_client_opts_defaults_and_values)
{
    ClientOptions o;
    char err[200];
    ck_assert_int_eq(cparse(&o, err, NULL, NULL), CLIENT_OPTS_RUN);
    ck_assert_str_eq(o.host, "127.0.0.1");
    ck_assert_uint_eq(o.port, 12345);
    ck_assert_uint_eq(o.interval_ms, 100);
    ck_assert(!o.server_given && !o.user_given);
    ck_assert_int_eq(cparse(&o, err, "--server", "chat.example:2000"), CLIENT_OPTS_RUN);
    ck_assert_str_eq(o.host, "chat.example");
    ck_assert_uint_eq(o.port, 2000);
    ck_assert(o.server_given);
    ck_assert_int_eq(cparse(&o, err, "--server=[::1]:99", NULL), CLIENT_OPTS_RUN);
    ck_assert_str_eq(o.host, "::1");
    ck_assert_uint_eq(o.port, 99);
    ck_assert_int_eq(cparse(&o, err, "--server", "host"), CLIENT_OPTS_RUN);
    ck_assert_uint_eq(o.port, 12345);
    ck_assert_int_eq(cparse(&o, err, "--user", "  \xC3\xA9lodie "), CLIENT_OPTS_RUN);
    ck_assert_str_eq(o.user, "\xC3\xA9lodie");
    ck_assert_int_eq(cparse(&o, err, "--interval", "10"), CLIENT_OPTS_RUN);
    ck_assert_uint_eq(o.interval_ms, 10);
    ck_assert_int_eq(cparse(&o, err, "--stats", NULL), CLIENT_OPTS_RUN);
    ck_assert(o.stats);
    ck_assert_int_eq(cparse(&o, err, "--help", NULL), CLIENT_OPTS_HELP);
    ck_assert_int_eq(cparse(&o, err, "--version", NULL), CLIENT_OPTS_VERSION);
}
END_TEST

static const struct {
    const char *a1, *a2, *says;
} cbad[] = {
    {"--interval", "9", "--interval"},
    {"--interval", "5001", "--interval"},
    {"--interval", "fast", "--interval"},
    {"--server", "host:0", "port"},
    {"--server", "host:x", "port"},
    {"--server", ":80", "host name"},
    {"--server", "a b", "space"},
    {"--server", "::1", "IPv6"},
    {"--server", "[::1", "]"},
    {"--server", "[[]", "'[' or ']'"}, /* fuzz_args: would not read back */
    {"--server", "a[b:80", "'[' or ']'"},
    {"--user", " \x01 ", "--user"},
    {"--user", NULL, "needs a value"},
    {"--shm-name", "", "--shm-name"},
    {"--bogus", NULL, "unknown option '--bogus'"},
};

START_TEST(test_client_opts_errors_say_which_and_why)
{
    ClientOptions o;
    char err[200];
    ck_assert_int_eq(cparse(&o, err, cbad[_i].a1, cbad[_i].a2), CLIENT_OPTS_ERROR);
    ck_assert_msg(strstr(err, cbad[_i].says) != NULL, "case %d: %s", _i, err);
}
END_TEST

START_TEST(test_client_format_server_brackets_ipv6)
{
    char out[64];
    client_format_server(out, sizeof out, "127.0.0.1", 12345);
    ck_assert_str_eq(out, "127.0.0.1:12345");
    client_format_server(out, sizeof out, "::1", 80);
    ck_assert_str_eq(out, "[::1]:80");
    client_format_server(out, 8, "chat.example", 1);
    ck_assert_str_eq(out, "chat.ex"); /* cut, never overflowed */
}
END_TEST

/* The state as the connection tells it: a count, or none from a server
 * that does not say; the text cut like the segment's. */
START_TEST(test_view_from_the_server)
{
    ViewState v;
    char s[400];
    static char big[3000];
    view_init(&v);
    view_from_server(&v, 3, "hello");
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: 3");
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "From the server: live");
    ck_assert_str_eq(view_message(&v), "hello");
    view_from_server(&v, -1, "");
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: \xE2\x80\x94 (the server does not say)");
    view_status(&v, s, sizeof s);
    ck_assert_str_eq(s, "From the server (people unknown)");
    view_unknown(&v, VIEW_SERVER_PENDING);
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: \xE2\x80\x94 (asking the server)");
    ck_assert_str_eq(view_message(&v), "");
    view_unknown(&v, VIEW_ELSEWHERE);
    view_label(&v, s, sizeof s);
    ck_assert_str_eq(s, "Connected clients: \xE2\x80\x94 (not connected)");
    memset(big, 'x', sizeof big - 1);
    view_from_server(&v, 1, big);
    ck_assert_uint_eq(strlen(view_message(&v)), SHM_MESSAGE_SIZE - 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("view");
    TCase *opts = tcase_create("options");
    tcase_add_test(tc, test_view_waiting_says_server_not_running);
    tcase_add_test(tc, test_view_live_label_and_message);
    tcase_add_test(tc, test_view_busy_keeps_the_last_copy);
    tcase_add_test(tc, test_view_from_the_server);
    tcase_add_test(tc, test_view_recovered_and_error_say_so_in_words);
    tcase_add_loop_test(tc, test_view_absurd_counts_are_shown_with_a_warning, 0,
                        sizeof bad_counts / sizeof bad_counts[0]);
    tcase_add_test(tc, test_view_utf8_or_ansi);
    tcase_add_test(tc, test_view_diff_reports_only_what_changed);
    tcase_add_test(tc, test_view_unterminated_snapshot_is_bounded);
    tcase_add_test(tc, test_view_long_error_is_cut_on_a_character_boundary);
    tcase_add_test(opts, test_client_opts_defaults_and_values);
    tcase_add_test(opts, test_client_format_server_brackets_ipv6);
    tcase_add_loop_test(opts, test_client_opts_errors_say_which_and_why, 0,
                        sizeof cbad / sizeof cbad[0]);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, opts);
    return s;
}
