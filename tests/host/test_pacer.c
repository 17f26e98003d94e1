/* test_pacer.c: send pacing for the original server (core/pacer.h), on a
 * fake clock: the times are plain numbers of milliseconds. */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/pacer.h"

/* About 66 KB: static rather than on the stack; every test starts from the
 * fixture's pacer_init. */
static Pacer P;

#define JOIN_LINE "*** alice joined the chat ***"

static void setup(void)
{
    pacer_init(&P, "alice");
}

static void push(const char *msg)
{
    ck_assert(pacer_push(&P, msg, strlen(msg)));
}

static void line(const char *s, unsigned long long now)
{
    pacer_on_line(&P, s, strlen(s), now);
}

/* Helper asserts report the caller's line. */
#define EXPECT_SEND(now, want) expect_send(__LINE__, (now), (want))
#define EXPECT_NOTHING(now) expect_nothing(__LINE__, (now))

static void expect_send(int at, unsigned long long now, const char *want)
{
    const char *msg = NULL;
    size_t len = 0;
    bool sent = pacer_next(&P, now, &msg, &len);
    ck_assert_msg(sent, "line %d: nothing to send at %lu ms, want \"%s\"", at,
                  (unsigned long)now, want);
    ck_assert_msg(len == strlen(want) && memcmp(msg, want, len) == 0,
                  "line %d: sent \"%.*s\", want \"%s\"", at, (int)len, msg, want);
    ck_assert_msg(msg[len] == '\0', "line %d: not NUL-terminated", at);
    ck_assert_int_eq(pacer_state(&P), PACER_IN_FLIGHT);
}

static void expect_nothing(int at, unsigned long long now)
{
    const char *msg = NULL;
    size_t len = 0;
    bool sent = pacer_next(&P, now, &msg, &len);
    ck_assert_msg(!sent, "line %d: sent \"%.*s\" at %lu ms, want nothing", at,
                  sent ? (int)len : 0, sent ? msg : "", (unsigned long)now);
}

static void expect_pending(int n)
{
    ck_assert_int_eq(pacer_pending(&P), n);
}

START_TEST(test_pacer_sends_nothing_before_the_join_line)
{
    push("hi");
    EXPECT_NOTHING(0); /* offline: only queued */
    ck_assert_int_eq(pacer_state(&P), PACER_OFFLINE);
    pacer_session_start(&P, 100);
    ck_assert_int_eq(pacer_state(&P), PACER_JOINING);
    EXPECT_NOTHING(100);
    /* Other people's lines do not let us go. */
    line("*** bob joined the chat ***", 200);
    line("bob: hi", 300);
    line("alice: hi", 400);
    line("*** alice left the chat ***", 500);
    line("*** alicex joined the chat ***", 500);
    line("*** alice joined the chat *** ", 500);
    EXPECT_NOTHING(600);
    EXPECT_NOTHING(1099);
    ck_assert_int_eq(pacer_state(&P), PACER_JOINING);
    expect_pending(1);
}
END_TEST

START_TEST(test_pacer_join_line_releases_the_first_message)
{
    pacer_session_start(&P, 0);
    push("hi");
    line(JOIN_LINE, 40);
    ck_assert_int_eq(pacer_state(&P), PACER_READY);
    EXPECT_SEND(40, "hi");
    expect_pending(1); /* still pending until its echo */
    line("alice: hi", 60);
    expect_pending(0);
    ck_assert_int_eq(pacer_state(&P), PACER_READY);
    EXPECT_NOTHING(60);
}
END_TEST

START_TEST(test_pacer_second_message_waits_for_the_echo_of_the_first)
{
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 10);
    push("first");
    push("second");
    EXPECT_SEND(20, "first");
    EXPECT_NOTHING(21);
    EXPECT_NOTHING(300);
    line("alice: first", 350);
    EXPECT_SEND(350, "second");
}
END_TEST

START_TEST(test_pacer_someone_elses_identical_text_is_not_our_echo)
{
    /* "bob: hi" when we are alice, and near misses of our own echo. */
    static const char *const not_ours[] = {
        "bob: hi",    "alice: hi ", "alice: h",      "alice:hi", " alice: hi",
        "alice:  hi", "Alice: hi",  "alice: second", JOIN_LINE,  "",
    };
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    push("hi");
    push("second");
    EXPECT_SEND(0, "hi");
    for (size_t i = 0; i < sizeof not_ours / sizeof not_ours[0]; i++) {
        line(not_ours[i], 100);
        ck_assert_msg(pacer_state(&P) == PACER_IN_FLIGHT, "\"%s\" taken as our echo",
                      not_ours[i]);
        EXPECT_NOTHING(100);
    }
    expect_pending(2);
    line("alice: hi", 200);
    EXPECT_SEND(200, "second");
}
END_TEST

START_TEST(test_pacer_join_wait_times_out_after_1_s)
{
    /* A server that never says we joined still gets our messages. */
    push("hi");
    pacer_session_start(&P, 5000);
    ck_assert_uint_eq(pacer_deadline(&P), 5000 + PACER_JOIN_WAIT_MS);
    EXPECT_NOTHING(5999);
    EXPECT_SEND(6000, "hi");
}
END_TEST

START_TEST(test_pacer_echo_wait_times_out_after_500_ms)
{
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    push("lost echo");
    push("next");
    EXPECT_SEND(100, "lost echo");
    ck_assert_uint_eq(pacer_deadline(&P), 100 + PACER_ECHO_WAIT_MS);
    EXPECT_NOTHING(599);
    expect_pending(2);
    EXPECT_SEND(600, "next");
    expect_pending(1); /* the timed-out one is given up on */
    /* Its late echo does not count as the echo of "next". */
    line("alice: lost echo", 650);
    EXPECT_NOTHING(650);
    line("alice: next", 700);
    expect_pending(0);
}
END_TEST

START_TEST(test_pacer_three_quick_messages_go_one_at_a_time_in_order)
{
    pacer_session_start(&P, 0);
    push("one");
    push("two");
    push("three");
    expect_pending(3);
    ck_assert_str_eq(pacer_pending_at(&P, 0, NULL), "one");
    ck_assert_str_eq(pacer_pending_at(&P, 2, NULL), "three");
    EXPECT_NOTHING(1);
    line(JOIN_LINE, 5);
    EXPECT_SEND(5, "one");
    EXPECT_NOTHING(6);
    line("alice: one", 30);
    expect_pending(2);
    EXPECT_SEND(30, "two");
    EXPECT_NOTHING(31);
    line("bob: three", 40);
    line("alice: two", 50);
    EXPECT_SEND(50, "three");
    line("alice: three", 70);
    expect_pending(0);
    EXPECT_NOTHING(10000);
}
END_TEST

START_TEST(test_pacer_push_refuses_when_full)
{
    char msg[16];
    for (int i = 0; i < PACER_MAX_PENDING; i++) {
        snprintf(msg, sizeof msg, "m%d", i);
        push(msg);
    }
    expect_pending(PACER_MAX_PENDING);
    ck_assert(!pacer_push(&P, "one more", 8));
    expect_pending(PACER_MAX_PENDING);
    ck_assert_str_eq(pacer_pending_at(&P, 0, NULL), "m0");
    ck_assert_str_eq(pacer_pending_at(&P, PACER_MAX_PENDING - 1, NULL), "m63");
    /* Room again once one is echoed. */
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    EXPECT_SEND(0, "m0");
    ck_assert(!pacer_push(&P, "one more", 8)); /* m0 is still pending */
    line("alice: m0", 10);
    ck_assert(pacer_push(&P, "one more", 8));
    ck_assert_str_eq(pacer_pending_at(&P, PACER_MAX_PENDING - 1, NULL), "one more");
}
END_TEST

START_TEST(test_pacer_push_refuses_a_message_too_long)
{
    static char big[PACER_MSG_MAX + 2];
    memset(big, 'x', sizeof big);
    ck_assert(!pacer_push(&P, big, PACER_MSG_MAX + 1));
    expect_pending(0);
    ck_assert(pacer_push(&P, big, PACER_MSG_MAX));
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    const char *msg;
    size_t len;
    ck_assert(pacer_next(&P, 0, &msg, &len));
    ck_assert_uint_eq(len, PACER_MSG_MAX);
    ck_assert_uint_eq(strlen(msg), PACER_MSG_MAX);
}
END_TEST

START_TEST(test_pacer_message_in_flight_is_sent_first_next_session)
{
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    push("a");
    push("b");
    EXPECT_SEND(10, "a");
    pacer_session_end(&P); /* lost before its echo */
    ck_assert_int_eq(pacer_state(&P), PACER_OFFLINE);
    ck_assert_uint_eq(pacer_deadline(&P), 0);
    expect_pending(2);
    ck_assert_str_eq(pacer_pending_at(&P, 0, NULL), "a");
    EXPECT_NOTHING(2000); /* offline: no timeout sends or drops it */
    expect_pending(2);
    push("c");
    pacer_session_start(&P, 3000);
    EXPECT_NOTHING(3000);
    line(JOIN_LINE, 3010);
    EXPECT_SEND(3010, "a");
    line("alice: a", 3020);
    EXPECT_SEND(3020, "b");
    line("alice: b", 3030);
    EXPECT_SEND(3030, "c");
}
END_TEST

START_TEST(test_pacer_deadline_values)
{
    ck_assert_uint_eq(pacer_deadline(&P), 0); /* offline */
    pacer_session_start(&P, 1000);
    ck_assert_uint_eq(pacer_deadline(&P), 2000);
    line(JOIN_LINE, 1200);
    ck_assert_uint_eq(pacer_deadline(&P), 0); /* ready: no timer needed */
    push("x");
    EXPECT_SEND(1300, "x");
    ck_assert_uint_eq(pacer_deadline(&P), 1800);
    line("alice: x", 1400);
    ck_assert_uint_eq(pacer_deadline(&P), 0);
    push("y");
    EXPECT_SEND(1500, "y");
    ck_assert_uint_eq(pacer_deadline(&P), 2000);
    EXPECT_NOTHING(2000); /* the echo timed out; nothing else waits */
    ck_assert_int_eq(pacer_state(&P), PACER_READY);
    ck_assert_uint_eq(pacer_deadline(&P), 0);
    pacer_session_end(&P);
    ck_assert_uint_eq(pacer_deadline(&P), 0);
}
END_TEST

START_TEST(test_pacer_our_echo_while_joining_does_not_pop)
{
    /* After a reconnect, a line that looks like the echo of the message we
     * will resend must not take it off the queue before it is sent. */
    push("a");
    pacer_session_start(&P, 0);
    line("alice: a", 10);
    expect_pending(1);
    line(JOIN_LINE, 20);
    EXPECT_SEND(20, "a");
}
END_TEST

/* The name is matched as the server prints it (proto_parse_hello). */
static const struct {
    const char *given, *join;
} names[] = {
    {"alice", JOIN_LINE},
    {"  alice\t", JOIN_LINE},
    {"al\x01ice", JOIN_LINE},
    {"", "*** anonymous joined the chat ***"},
    {" \t ", "*** anonymous joined the chat ***"},
    {"0123456789012345678901234567890123456789",
     "*** 01234567890123456789012345678901 joined the chat ***"},
};

START_TEST(test_pacer_name_is_cleaned_as_the_server_does)
{
    pacer_init(&P, names[_i].given);
    push("hi");
    pacer_session_start(&P, 0);
    line(names[_i].join, 10);
    ck_assert_int_eq(pacer_state(&P), PACER_READY);
}
END_TEST

START_TEST(test_pacer_set_name_keeps_the_queue)
{
    /* The pacer keeps the queue (the message in flight included) across a
     * change of name, and it goes out under the new one: the window clears
     * it first when the audience changed (pacer_clear), so that what was
     * typed for one name or server never goes to another. */
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    push("a");
    push("b");
    EXPECT_SEND(0, "a");
    pacer_session_end(&P);
    pacer_set_name(&P, " bob ");
    ck_assert_str_eq(P.name, "bob");
    expect_pending(2);
    pacer_session_start(&P, 100);
    line(JOIN_LINE, 110); /* the old name's join is not ours any more */
    EXPECT_NOTHING(110);
    line("*** bob joined the chat ***", 120);
    EXPECT_SEND(120, "a");
    line("alice: a", 130);
    EXPECT_NOTHING(130);
    line("bob: a", 140);
    EXPECT_SEND(140, "b");
}
END_TEST

START_TEST(test_pacer_ring_wraps_in_order)
{
    /* Many more messages than slots, a few queued at a time. */
    char msg[16], echo[32];
    int sent = 0, pushed = 0;
    unsigned long long now = 0;
    pacer_session_start(&P, now);
    line(JOIN_LINE, now);
    while (sent < 500) {
        while (pushed < 500 && pacer_pending(&P) < 5) {
            snprintf(msg, sizeof msg, "n%d", pushed++);
            push(msg);
        }
        snprintf(msg, sizeof msg, "n%d", sent);
        EXPECT_SEND(now, msg);
        snprintf(echo, sizeof echo, "alice: %s", msg);
        line(echo, ++now);
        sent++;
    }
    expect_pending(0);
}
END_TEST

START_TEST(test_pacer_pending_at_out_of_range_is_null)
{
    size_t len = 99;
    push("a");
    ck_assert_ptr_null(pacer_pending_at(&P, 1, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(pacer_pending_at(&P, -1, &len));
    ck_assert_ptr_nonnull(pacer_pending_at(&P, 0, &len));
    ck_assert_uint_eq(len, 1);
}
END_TEST

START_TEST(test_pacer_drop_front_forgets_the_message_that_ended_the_session)
{
    Pacer p;
    const char *msg;
    size_t len;
    pacer_init(&p, "alice");
    pacer_push(&p, "bye /quit", 9);
    pacer_push(&p, "later", 5);
    pacer_session_start(&p, 0);
    ck_assert(!pacer_drop_front(&p)); /* not while a session is on */
    pacer_on_line(&p, "*** alice joined the chat ***", 29, 10);
    ck_assert(pacer_next(&p, 10, &msg, &len));
    pacer_session_end(&p);
    ck_assert(pacer_drop_front(&p));
    ck_assert_int_eq(pacer_pending(&p), 1);
    pacer_session_start(&p, 100);
    pacer_on_line(&p, "*** alice joined the chat ***", 29, 110);
    ck_assert(pacer_next(&p, 110, &msg, &len));
    ck_assert(len == 5 && memcmp(msg, "later", 5) == 0);
    pacer_session_end(&p);
    ck_assert(pacer_drop_front(&p));
    ck_assert(!pacer_drop_front(&p)); /* empty */
}
END_TEST

/* A /quit that was sent stays remembered after its echo wait took it off
 * the queue: a server that closes 0.8 s later is still the user leaving. */
START_TEST(test_pacer_a_sent_quit_is_remembered_past_the_echo_wait)
{
    push("bye /quit");
    pacer_session_start(&P, 0);
    ck_assert(!pacer_quit_sent(&P));
    line(JOIN_LINE, 10);
    EXPECT_SEND(10, "bye /quit");
    ck_assert(pacer_quit_sent(&P));
    EXPECT_NOTHING(10 + PACER_ECHO_WAIT_MS); /* given up on: popped */
    expect_pending(0);
    ck_assert(pacer_quit_sent(&P));
    pacer_session_end(&P); /* the close, 800 ms after the /quit */
    ck_assert(pacer_quit_sent(&P));
    pacer_session_start(&P, 2000); /* a new session, of the user's choosing */
    ck_assert(!pacer_quit_sent(&P));
}
END_TEST

START_TEST(test_pacer_other_messages_are_not_a_quit)
{
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    push("quit");
    push("/ quit");
    EXPECT_SEND(0, "quit");
    line("alice: quit", 5);
    EXPECT_SEND(5, "/ quit");
    ck_assert(!pacer_quit_sent(&P));
    push("x/QUIT"); /* proto_is_quit is case-sensitive, as the original is */
    line("alice: / quit", 6);
    EXPECT_SEND(6, "x/QUIT");
    ck_assert_int_eq(pacer_quit_sent(&P), 0);
}
END_TEST

START_TEST(test_pacer_clear_forgets_everything_but_only_offline)
{
    const char *msg;
    size_t len;
    push("a");
    push("b");
    push("c");
    pacer_session_start(&P, 0);
    line(JOIN_LINE, 0);
    EXPECT_SEND(0, "a");
    ck_assert(!pacer_clear(&P)); /* not while a session is on */
    expect_pending(3);
    pacer_session_end(&P);
    ck_assert(pacer_front_sent(&P)); /* "a" went out: it may have arrived */
    ck_assert(pacer_clear(&P));
    expect_pending(0);
    ck_assert(!pacer_front_sent(&P));
    ck_assert_ptr_null(pacer_pending_at(&P, 0, &len));
    /* Nothing of it goes out in the next session; new messages do. */
    pacer_session_start(&P, 100);
    line(JOIN_LINE, 100);
    ck_assert(!pacer_next(&P, 100, &msg, &len));
    push("d");
    ck_assert(!pacer_front_sent(&P));
    EXPECT_SEND(100, "d");
    ck_assert(pacer_front_sent(&P));
    line("alice: d", 101);
    ck_assert(!pacer_front_sent(&P)); /* echoed: off the queue */
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("pacer");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_pacer_sends_nothing_before_the_join_line);
    tcase_add_test(tc, test_pacer_join_line_releases_the_first_message);
    tcase_add_test(tc, test_pacer_second_message_waits_for_the_echo_of_the_first);
    tcase_add_test(tc, test_pacer_someone_elses_identical_text_is_not_our_echo);
    tcase_add_test(tc, test_pacer_join_wait_times_out_after_1_s);
    tcase_add_test(tc, test_pacer_echo_wait_times_out_after_500_ms);
    tcase_add_test(tc, test_pacer_three_quick_messages_go_one_at_a_time_in_order);
    tcase_add_test(tc, test_pacer_push_refuses_when_full);
    tcase_add_test(tc, test_pacer_push_refuses_a_message_too_long);
    tcase_add_test(tc, test_pacer_message_in_flight_is_sent_first_next_session);
    tcase_add_test(tc, test_pacer_deadline_values);
    tcase_add_test(tc, test_pacer_our_echo_while_joining_does_not_pop);
    tcase_add_loop_test(tc, test_pacer_name_is_cleaned_as_the_server_does, 0,
                        sizeof names / sizeof names[0]);
    tcase_add_test(tc, test_pacer_set_name_keeps_the_queue);
    tcase_add_test(tc, test_pacer_ring_wraps_in_order);
    tcase_add_test(tc, test_pacer_pending_at_out_of_range_is_null);
    tcase_add_test(tc, test_pacer_drop_front_forgets_the_message_that_ended_the_session);
    tcase_add_test(tc, test_pacer_a_sent_quit_is_remembered_past_the_echo_wait);
    tcase_add_test(tc, test_pacer_other_messages_are_not_a_quit);
    tcase_add_test(tc, test_pacer_clear_forgets_everything_but_only_offline);
    suite_add_tcase(s, tc);
    return s;
}
