/* test_conn_report.c: the connection in words (core/conn_report.h). */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/conn_report.h"
#include "core/utf8.h"

static ConnFacts facts(ConnPhase phase, const char *reason)
{
    ConnFacts f = {phase, "chat.example", 12345, "alice", reason, 4, 0};
    return f;
}

START_TEST(test_conn_story_tells_each_event_once)
{
    ConnStory s;
    char out[400];
    ConnFacts f = facts(CONN_LOOKUP, "");

    conn_story_start(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Connecting to chat.example:12345 as alice...");
    f.phase = CONN_CONNECTING;
    ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0);

    /* Failures before the first success: told once, then the status bar. */
    f = facts(CONN_WAITING, "the server refused the connection");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Cannot connect to chat.example:12345 (the server refused the "
                          "connection): retrying in 4 s.");
    for (int i = 0; i < 3; i++) {
        f.phase = CONN_CONNECTING;
        ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0);
        f.phase = CONN_WAITING;
        ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0);
        ck_assert_str_eq(out, "");
    }
    f = facts(CONN_CONNECTED, "");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Connected to chat.example:12345 as alice.");
    ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0); /* no change */

    f = facts(CONN_WAITING, "the server closed the connection");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Connection to chat.example:12345 lost (the server closed the "
                          "connection): retrying in 4 s.");
    f.phase = CONN_CONNECTING;
    conn_story_change(&s, &f, out, sizeof out);
    f = facts(CONN_WAITING, "x");
    ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0); /* told already */
    f = facts(CONN_CONNECTED, "");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Reconnected to chat.example:12345.");
    /* A failure after a success is told again. */
    f = facts(CONN_WAITING, "");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Connection to chat.example:12345 lost: retrying in 4 s.");
    /* Going off is told by whoever ended it. */
    f = facts(CONN_OFF, "");
    ck_assert_uint_eq(conn_story_change(&s, &f, out, sizeof out), 0);
    /* A new target starts the story over. */
    f = facts(CONN_LOOKUP, "");
    conn_story_start(&s, &f, out, sizeof out);
    f = facts(CONN_CONNECTED, "");
    conn_story_change(&s, &f, out, sizeof out);
    ck_assert_str_eq(out, "Connected to chat.example:12345 as alice.");
}
END_TEST

START_TEST(test_conn_status_and_title)
{
    char out[400];
    ConnFacts f = facts(CONN_WAITING, "the server refused the connection");
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Not connected: retrying in 4 s (the server refused the connection)");
    f = facts(CONN_CONNECTED, "");
    f.pending = 2;
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Connected to chat.example:12345 as alice \xC2\xB7 2 messages waiting");
    f.pending = 1;
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Connected to chat.example:12345 as alice \xC2\xB7 1 message waiting");
    f = facts(CONN_OFF, "");
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Not connected (File > Connect... to connect)");
    f = facts(CONN_LOOKUP, "");
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Looking up chat.example...");
    f.host = "::1";
    f.phase = CONN_CONNECTING;
    conn_status(&f, out, sizeof out);
    ck_assert_str_eq(out, "Connecting to [::1]:12345...");

    f = facts(CONN_CONNECTED, "");
    conn_title(&f, out, sizeof out);
    ck_assert_str_eq(out, "Chat \xE2\x80\x94 alice @ chat.example:12345");
    f.phase = CONN_WAITING;
    conn_title(&f, out, sizeof out);
    ck_assert_str_eq(out, "Chat \xE2\x80\x94 alice @ chat.example:12345 (not connected)");
}
END_TEST

/* Small buffers: cut, terminated, never inside a character. */
START_TEST(test_conn_texts_fit_any_buffer)
{
    char out[64];
    ConnFacts f = facts(CONN_CONNECTED, "");
    f.user = "\xE7\x8E\x8B\xE7\x8E\x8B\xE7\x8E\x8B\xE7\x8E\x8B";
    f.pending = 3;
    for (size_t size = 1; size < sizeof out; size++) {
        ConnStory s;
        memset(out, 'x', sizeof out);
        conn_status(&f, out, size);
        ck_assert_uint_lt(strlen(out), size);
        conn_title(&f, out, size);
        ck_assert_uint_lt(strlen(out), size);
        size_t n = conn_story_start(&s, &f, out, size);
        ck_assert_uint_eq(n, strlen(out));
        ck_assert_uint_lt(n, size);
        ck_assert_msg(utf8_valid(out, n), "cut inside a character at size %u", (unsigned)size);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("conn_report");
    TCase *tc = tcase_create("words");
    tcase_add_test(tc, test_conn_story_tells_each_event_once);
    tcase_add_test(tc, test_conn_status_and_title);
    tcase_add_test(tc, test_conn_texts_fit_any_buffer);
    suite_add_tcase(s, tc);
    return s;
}
