/* test_session.c: the server's protocol engine (core/session.h) and the
 * room (core/room.h) on a fake clock and a fake host that records every
 * action: the rules test_server checks on the real server under Wine, plus
 * the edges a real process cannot reach cheaply (deadlines at the exact
 * millisecond, a hello split byte by byte, /quit split across reads, 4096
 * and 4097 bytes, held input while the host says wait). */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/room.h"
#include "core/session.h"

/* --- the fake host: a room and a transcript --------------------------------- */

typedef struct Fake {
    Room *room;
    SessionGo go;       /* what check answers */
    int checks;         /* how often it was asked */
    bool joined;
    char out[1 << 16];  /* every action, one per line: "J <line>", "S <text>|<line>",
                           "R<n> <line>" */
    size_t len;
} Fake;

static Room room;
static Fake fake;
static Session S;
static SessionHost host;

static void record(const char *tag, const char *a, size_t alen, const char *b, size_t blen)
{
    int n = snprintf(fake.out + fake.len, sizeof fake.out - fake.len, "%s%.*s%s%.*s", tag,
                     (int)alen, a, b ? "|" : "", (int)blen, b ? b : "");
    fake.len += (size_t)n;
}

static SessionGo f_check(void *ctx)
{
    Fake *f = ctx;
    f->checks++;
    return f->go;
}

static SessionJoin f_join(void *ctx, const char *name, const char *line, size_t len)
{
    Fake *f = ctx;
    switch (room_join(f->room, name)) {
    case ROOM_NAME_TAKEN:
        return SESSION_JOIN_TAKEN;
    case ROOM_FULL:
        return SESSION_JOIN_FULL;
    case ROOM_JOINED:
        break;
    }
    f->joined = true;
    record("J ", line, len, NULL, 0);
    return SESSION_JOINED;
}

static void f_say(void *ctx, const char *text, size_t tlen, const char *line, size_t len)
{
    (void)ctx;
    record("S ", text, tlen, line, len);
}

static void f_reply(void *ctx, SessionReply what, const char *line, size_t len)
{
    char tag[8];
    (void)ctx;
    snprintf(tag, sizeof tag, "R%d ", (int)what);
    record(tag, line, len, NULL, 0);
}

static void setup(void)
{
    ck_assert(room_init(&room, 8));
    memset(&fake, 0, sizeof fake);
    fake.room = &room;
    fake.go = SESSION_GO;
    host = (SessionHost){&fake, f_check, f_join, f_say, f_reply};
    session_init(&S, 1000, 30);
}

static void teardown(void)
{
    room_free(&room);
}

/* Receives bytes at `now` and runs: what session_run returned. */
static SessionEnd feed(const char *bytes, size_t n, unsigned long long now)
{
    ck_assert(!session_has_input(&S));
    memcpy(S.in, bytes, n);
    session_received(&S, n, now);
    return session_run(&S, &host, now);
}

static SessionEnd feeds(const char *bytes, unsigned long long now)
{
    return feed(bytes, strlen(bytes), now);
}

static void transcript_is(const char *want)
{
    fake.out[fake.len] = '\0';
    ck_assert_str_eq(fake.out, want);
}

static void forget(void)
{
    fake.len = 0;
}

/* --- the hello and names -------------------------------------------------------- */

START_TEST(test_session_hello_joins_and_a_message_is_said_to_everyone)
{
    ck_assert_int_eq(feeds("USERNAME:alice\nhello bob\n", 1000), SESSION_ON);
    transcript_is("J *** alice joined the chat ***\n"
                  "S hello bob|alice: hello bob\n");
    ck_assert(S.joined);
    ck_assert_str_eq(S.name, "alice");
}
END_TEST

START_TEST(test_session_a_first_message_without_the_prefix_is_anonymous)
{
    ck_assert_int_eq(feeds("hi there, no hello\nnow a message\n", 1000), SESSION_ON);
    transcript_is("J *** anonymous joined the chat ***\n"
                  "S now a message|anonymous: now a message\n");
}
END_TEST

START_TEST(test_session_names_are_cleaned)
{
    feeds("USERNAME:  \x01" "ca\x7frol \t\r\n", 1000);
    transcript_is("J *** carol joined the chat ***\n");
}
END_TEST

START_TEST(test_session_a_name_in_the_room_is_refused_and_ends_the_session)
{
    ck_assert_int_eq(room_join(&room, "alice"), ROOM_JOINED);
    ck_assert_int_eq(feeds("USERNAME:alice\nnever said\n", 1000), SESSION_NAME_TAKEN);
    transcript_is("R1 *** the name alice is taken: choose another ***\n");
    ck_assert(!S.joined);
    ck_assert_int_eq(room_count(&room), 1);
}
END_TEST

START_TEST(test_session_a_hello_to_a_full_chat_is_told_so_and_ends_the_session)
{
    char name[8];
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "p%d", i);
        ck_assert_int_eq(room_join(&room, name), ROOM_JOINED);
    }
    ck_assert_int_eq(feeds("USERNAME:zed\nnever said\n", 1000), SESSION_FULL);
    transcript_is("R4 *** server full ***\n");
    ck_assert(!S.joined);
}
END_TEST

START_TEST(test_session_a_hello_split_byte_by_byte_is_one_hello)
{
    const char *hello = "USERNAME:dave\n";
    for (size_t i = 0; hello[i]; i++)
        ck_assert_int_eq(feed(hello + i, 1, 1000 + i), SESSION_ON);
    transcript_is("J *** dave joined the chat ***\n");
}
END_TEST

/* --- messages ------------------------------------------------------------------- */

START_TEST(test_session_three_lines_in_one_read_crlf_and_a_split_line)
{
    feeds("USERNAME:a\nx\ny\r\nz\nhel", 1000);
    feeds("lo world\n", 1001);
    transcript_is("J *** a joined the chat ***\n"
                  "S x|a: x\nS y|a: y\nS z|a: z\nS hello world|a: hello world\n");
}
END_TEST

START_TEST(test_session_control_characters_removed_and_control_only_is_no_message)
{
    feeds("USERNAME:a\n", 1000);
    forget();
    static const char bytes[] = "p\x01q\0r\x1bs\tt\xff\n\x01\x02\x03\nafter\n";
    feed(bytes, sizeof bytes - 1, 1000);
    transcript_is("S pqrs\tt\xff|a: pqrs\tt\xff\nS after|a: after\n");
}
END_TEST

START_TEST(test_session_quit_ends_it_even_split_across_reads)
{
    feeds("USERNAME:bob\n", 1000);
    forget();
    ck_assert_int_eq(feeds("ok bye /qu", 1001), SESSION_ON);
    ck_assert_int_eq(feeds("it\nnever\n", 1002), SESSION_QUIT);
    transcript_is(""); /* the quitting message is not relayed, nor what follows */
}
END_TEST

START_TEST(test_session_4096_bytes_pass_4097_are_refused_and_it_goes_on)
{
    static char big[4098];
    feeds("USERNAME:a\n", 1000);
    forget();
    memset(big, 'm', 4096);
    big[4096] = '\n';
    /* In pieces of at most SESSION_IN_MAX, as recv() would bring them. */
    ck_assert_int_eq(feed(big, 4097, 1001), SESSION_ON);
    ck_assert_uint_eq(fake.len, 2 + 4096 + 1 + 3 + 4096 + 1);
    forget();
    memset(big, 'n', 4097);
    big[4097] = '\n';
    ck_assert_int_eq(feed(big, 4098, 1002), SESSION_ON);
    ck_assert_int_eq(feeds("short\n", 1003), SESSION_ON);
    transcript_is("R0 *** message too long (max 4096 bytes) ***\nS short|a: short\n");
}
END_TEST

START_TEST(test_session_an_oversized_first_line_is_still_the_hello)
{
    static char big[5001];
    memcpy(big, "USERNAME:", 9);
    memset(big + 9, 'z', sizeof big - 10);
    big[5000] = '\n';
    feed(big, sizeof big, 1000);
    ck_assert(S.joined);
    ck_assert_uint_eq(strlen(S.name), 32); /* cut to 32 characters */
}
END_TEST

/* --- time -------------------------------------------------------------------------- */

START_TEST(test_session_an_idle_partial_line_is_a_message_at_exactly_60_ms)
{
    feeds("USERNAME:old\n", 1000);
    forget();
    feeds("one", 2000);
    ck_assert_uint_eq(session_deadline(&S, false), 2000 + SESSION_IDLE_FLUSH_MS);
    ck_assert_int_eq(session_tick(&S, &host, 2059, false), SESSION_ON);
    transcript_is("");
    ck_assert_int_eq(session_tick(&S, &host, 2060, false), SESSION_ON);
    transcript_is("S one|old: one\n");
    ck_assert_uint_eq(session_deadline(&S, false), 0);
}
END_TEST

START_TEST(test_session_a_partial_line_with_more_to_read_is_not_idle)
{
    feeds("USERNAME:old\n", 1000);
    forget();
    feeds("par", 2000);
    /* More bytes wait (on the socket, or held): no idle deadline at all, so
     * a waiting session never spins on one that has passed. */
    ck_assert_uint_eq(session_deadline(&S, true), 0);
    ck_assert_int_eq(session_tick(&S, &host, 9000, true), SESSION_ON);
    transcript_is("");
    feeds("tial\n", 9001);
    transcript_is("S partial|old: partial\n");
}
END_TEST

START_TEST(test_session_hello_timeout_at_exactly_the_deadline)
{
    ck_assert_uint_eq(session_deadline(&S, false), 1000 + 30000);
    ck_assert_int_eq(session_tick(&S, &host, 30999, false), SESSION_ON);
    ck_assert_int_eq(session_tick(&S, &host, 31000, false), SESSION_NO_HELLO);
    transcript_is("R2 *** no hello within 30 s: closing ***\n");
}
END_TEST

START_TEST(test_session_no_hello_timeout_once_joined_or_when_zero)
{
    feeds("USERNAME:a\n", 1000);
    ck_assert_uint_eq(session_deadline(&S, false), 0);
    ck_assert_int_eq(session_tick(&S, &host, 1000000, false), SESSION_ON);
    session_init(&S, 5, 0);
    ck_assert_uint_eq(session_deadline(&S, false), 0);
    ck_assert_int_eq(session_tick(&S, &host, 1000000, false), SESSION_ON);
}
END_TEST

START_TEST(test_session_the_idle_deadline_comes_before_the_hello_deadline)
{
    feeds("USERNAME:slow", 1000);
    ck_assert_uint_eq(session_deadline(&S, false), 1000 + SESSION_IDLE_FLUSH_MS);
    ck_assert_int_eq(session_tick(&S, &host, 1060, false), SESSION_ON);
    transcript_is("J *** slow joined the chat ***\n");
}
END_TEST

/* --- the host's say: wait and stop -------------------------------------------------- */

START_TEST(test_session_wait_holds_the_rest_and_run_resumes_where_it_stopped)
{
    feeds("USERNAME:a\n", 1000);
    forget();
    fake.go = SESSION_WAIT;
    ck_assert_int_eq(feeds("1\n2\n3\n", 1001), SESSION_ON);
    ck_assert(session_has_input(&S));
    transcript_is("");
    fake.go = SESSION_GO;
    ck_assert_int_eq(session_run(&S, &host, 1002), SESSION_ON);
    ck_assert(!session_has_input(&S));
    transcript_is("S 1|a: 1\nS 2|a: 2\nS 3|a: 3\n");
}
END_TEST

/* --- the per-sender rate ------------------------------------------------------------- */

START_TEST(test_session_past_the_burst_lines_wait_for_the_rate_in_order_told_once)
{
    session_set_rate(&S, 10, 3, 1000);
    feeds("USERNAME:a\n", 1000); /* the hello is not counted */
    forget();
    ck_assert_int_eq(feeds("1\n2\n3\n4\n5\n", 1000), SESSION_ON);
    transcript_is("S 1|a: 1\nS 2|a: 2\nS 3|a: 3\n"
                  "R3 *** you are sending too fast (over 3 lines at once or 10 a second): "
                  "your lines are delayed, not lost ***\n");
    ck_assert(session_has_input(&S));
    ck_assert(session_rate_waiting(&S));
    ck_assert_uint_eq(session_deadline(&S, true), 1100);
    forget();
    ck_assert_int_eq(session_run(&S, &host, 1099), SESSION_ON);
    transcript_is("");
    ck_assert_uint_eq(session_deadline(&S, true), 1100);
    ck_assert_int_eq(session_run(&S, &host, 1100), SESSION_ON);
    transcript_is("S 4|a: 4\n"); /* no second notice */
    ck_assert_uint_eq(session_deadline(&S, true), 1200);
    ck_assert_int_eq(session_run(&S, &host, 1200), SESSION_ON);
    transcript_is("S 4|a: 4\nS 5|a: 5\n");
    ck_assert(!session_has_input(&S));
}
END_TEST

START_TEST(test_session_the_notice_comes_again_only_after_the_burst_is_back)
{
    session_set_rate(&S, 10, 2, 1000);
    feeds("USERNAME:a\n1\n2\n3\n", 1000);
    ck_assert(strstr(fake.out, "R3 ") != NULL);
    session_run(&S, &host, 1100); /* 3 goes */
    forget();
    /* Within the rate again, but not long enough for the whole burst. */
    feeds("4\n5\n", 1250);
    transcript_is("S 4|a: 4\n");
    session_run(&S, &host, 1350);
    forget();
    /* Quiet for 200 ms at 10/s: both lines of the burst back. */
    feeds("6\n7\n8\n", 1550);
    ck_assert(strncmp(fake.out, "S 6|a: 6\nS 7|a: 7\nR3 ", 21) == 0);
}
END_TEST

START_TEST(test_session_an_idle_partial_line_waits_for_the_rate_too)
{
    session_set_rate(&S, 10, 1, 1000);
    feeds("USERNAME:a\nx\ny", 1000);
    ck_assert(strstr(fake.out, "R3 ") != NULL); /* x went, "y" is held */
    ck_assert(strstr(fake.out, "S y") == NULL);
    ck_assert_uint_eq(session_deadline(&S, true), 1100);
    forget();
    ck_assert_int_eq(session_tick(&S, &host, 1060, true), SESSION_ON);
    transcript_is(""); /* not idle while held */
    ck_assert_int_eq(session_run(&S, &host, 1100), SESSION_ON);
    ck_assert(!session_has_input(&S));
    transcript_is(""); /* a partial line: not a message yet */
    ck_assert_uint_eq(session_deadline(&S, false), 1000 + SESSION_IDLE_FLUSH_MS);
    ck_assert_int_eq(session_tick(&S, &host, 1100, false), SESSION_ON);
    transcript_is("S y|a: y\n");
}
END_TEST

START_TEST(test_session_too_long_lines_count_against_the_rate)
{
    static char big[PROTO_LINE_MAX + 10];
    session_set_rate(&S, 1, 1, 1000);
    feeds("USERNAME:a\n", 1000);
    forget();
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\n';
    /* SESSION_IN_MAX bytes at a time, as the server reads. */
    ck_assert_int_eq(feed(big, SESSION_IN_MAX < sizeof big ? SESSION_IN_MAX : sizeof big, 1000),
                     SESSION_ON);
    ck_assert_int_eq(session_run(&S, &host, 1000), SESSION_ON);
    ck_assert(strncmp(fake.out, "R0 ", 3) == 0);
    ck_assert(strstr(fake.out, "R3 ") == NULL); /* one line so far, within the burst */
}
END_TEST

START_TEST(test_session_stop_ends_it_between_two_messages)
{
    feeds("USERNAME:a\n", 1000);
    forget();
    fake.go = SESSION_STOP;
    ck_assert_int_eq(feeds("1\n2\n", 1001), SESSION_STOPPED);
    transcript_is("");
    ck_assert_int_eq(fake.checks, 2); /* once per message, the hello's included */
}
END_TEST

/* --- the end ------------------------------------------------------------------------ */

START_TEST(test_session_closed_makes_the_unterminated_last_message_a_message)
{
    feeds("USERNAME:old\nbye", 1000);
    ck_assert_int_eq(session_closed(&S, &host), SESSION_CLOSED);
    transcript_is("J *** old joined the chat ***\nS bye|old: bye\n");
    session_init(&S, 2000, 30);
    forget();
    feeds("USERNAME:q\nso long /quit", 2000);
    ck_assert_int_eq(session_closed(&S, &host), SESSION_QUIT);
    transcript_is("J *** q joined the chat ***\n");
}
END_TEST

/* --- the room ---------------------------------------------------------------------- */

START_TEST(test_room_names_once_anonymous_many_and_free_again_after_leaving)
{
    Room r;
    ck_assert(room_init(&r, 3));
    ck_assert_int_eq(room_join(&r, "alice"), ROOM_JOINED);
    ck_assert_int_eq(room_join(&r, "alice"), ROOM_NAME_TAKEN);
    ck_assert_int_eq(room_join(&r, "anonymous"), ROOM_JOINED);
    ck_assert_int_eq(room_join(&r, "anonymous"), ROOM_JOINED);
    ck_assert_int_eq(room_join(&r, "bob"), ROOM_FULL);
    ck_assert_int_eq(room_count(&r), 3);
    ck_assert(room_leave(&r, "anonymous"));
    ck_assert(room_has(&r, "anonymous")); /* the other one */
    ck_assert(room_leave(&r, "alice"));
    ck_assert(!room_leave(&r, "alice"));
    ck_assert_int_eq(room_join(&r, "alice"), ROOM_JOINED);
    ck_assert_uint_eq(room_next_line(&r), 1);
    ck_assert_uint_eq(room_next_line(&r), 2);
    room_free(&r);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("engine");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_session_hello_joins_and_a_message_is_said_to_everyone);
    tcase_add_test(tc, test_session_a_first_message_without_the_prefix_is_anonymous);
    tcase_add_test(tc, test_session_names_are_cleaned);
    tcase_add_test(tc, test_session_a_name_in_the_room_is_refused_and_ends_the_session);
    tcase_add_test(tc, test_session_a_hello_to_a_full_chat_is_told_so_and_ends_the_session);
    tcase_add_test(tc, test_session_a_hello_split_byte_by_byte_is_one_hello);
    tcase_add_test(tc, test_session_three_lines_in_one_read_crlf_and_a_split_line);
    tcase_add_test(tc, test_session_control_characters_removed_and_control_only_is_no_message);
    tcase_add_test(tc, test_session_quit_ends_it_even_split_across_reads);
    tcase_add_test(tc, test_session_4096_bytes_pass_4097_are_refused_and_it_goes_on);
    tcase_add_test(tc, test_session_an_oversized_first_line_is_still_the_hello);
    tcase_add_test(tc, test_session_an_idle_partial_line_is_a_message_at_exactly_60_ms);
    tcase_add_test(tc, test_session_a_partial_line_with_more_to_read_is_not_idle);
    tcase_add_test(tc, test_session_hello_timeout_at_exactly_the_deadline);
    tcase_add_test(tc, test_session_no_hello_timeout_once_joined_or_when_zero);
    tcase_add_test(tc, test_session_the_idle_deadline_comes_before_the_hello_deadline);
    tcase_add_test(tc, test_session_wait_holds_the_rest_and_run_resumes_where_it_stopped);
    tcase_add_test(tc, test_session_past_the_burst_lines_wait_for_the_rate_in_order_told_once);
    tcase_add_test(tc, test_session_the_notice_comes_again_only_after_the_burst_is_back);
    tcase_add_test(tc, test_session_an_idle_partial_line_waits_for_the_rate_too);
    tcase_add_test(tc, test_session_too_long_lines_count_against_the_rate);
    tcase_add_test(tc, test_session_stop_ends_it_between_two_messages);
    tcase_add_test(tc, test_session_closed_makes_the_unterminated_last_message_a_message);
    tcase_add_test(tc, test_room_names_once_anonymous_many_and_free_again_after_leaving);
    suite_add_tcase(s, tc);
    return s;
}
