/* test_framer.c: bounded line splitting (core/framer.h). */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/framer.h"

/* Feeds a whole buffer and records every event as "L:<line>" or
 * "T:<first bytes>", joined by "|". */
static void feed_all(LineFramer *f, const char *data, size_t len, char *log, size_t size)
{
    while (len > 0) {
        FrameEvent ev;
        const char *line;
        size_t n;
        size_t used = framer_feed(f, data, len, &ev, &line, &n);
        ck_assert_uint_gt(used, 0);
        ck_assert_uint_le(used, len);
        data += used;
        len -= used;
        if (ev != FRAME_NONE) {
            size_t at = strlen(log);
            snprintf(log + at, size - at, "%s%c:%.*s", at ? "|" : "",
                     ev == FRAME_LINE ? 'L' : 'T', (int)n, line);
        }
    }
}

static const struct {
    const char *in;
    const char *want;
} cases[] = {
    {"hello\n", "L:hello"},
    {"a\nb\nc\n", "L:a|L:b|L:c"},       /* three in one recv: three lines */
    {"a\r\nb\r\n", "L:a|L:b"},          /* CR before LF dropped */
    {"a\rb\n", "L:a\rb"},               /* a lone CR stays (the caller cleans) */
    {"\n\n", "L:|L:"},                  /* empty lines are lines */
    {"partial", ""},                    /* held, no event */
    {"12345678\n", "L:12345678"},       /* exactly cap (8) */
    {"12345678\r\n", "L:12345678"},     /* exactly cap with CRLF */
    {"123456789\nok\n", "T:12345678|L:ok"}, /* too long: reported, session goes on */
    {"12345678\rx\nok\n", "T:12345678|L:ok"},
    {"123456789012345678901234567890\nok\n", "T:12345678|L:ok"},
};

START_TEST(test_framer_table)
{
    char buf[9], log[512] = "";
    LineFramer f;
    framer_init(&f, buf, 8);
    feed_all(&f, cases[_i].in, strlen(cases[_i].in), log, sizeof log);
    ck_assert_str_eq(log, cases[_i].want);
}
END_TEST

START_TEST(test_framer_same_result_byte_by_byte)
{
    /* However TCP splits the stream, the lines are the same. */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char buf[9], log[512] = "";
        LineFramer f;
        framer_init(&f, buf, 8);
        for (const char *p = cases[c].in; *p; p++)
            feed_all(&f, p, 1, log, sizeof log);
        ck_assert_msg(strcmp(log, cases[c].want) == 0, "case %u: %s", (unsigned)c, log);
    }
}
END_TEST

START_TEST(test_framer_flush_ends_an_unterminated_message)
{
    char buf[9], log[512] = "";
    const char *line;
    size_t n;
    LineFramer f;
    framer_init(&f, buf, 8);

    ck_assert(!framer_pending(&f));
    ck_assert(!framer_flush(&f, &line, &n));
    feed_all(&f, "hi", 2, log, sizeof log);
    ck_assert(framer_pending(&f));
    ck_assert(framer_flush(&f, &line, &n));
    ck_assert_uint_eq(n, 2);
    ck_assert(memcmp(line, "hi", 2) == 0);
    ck_assert(!framer_pending(&f));
    /* A CR left at the end of a flushed message is dropped too. */
    feed_all(&f, "yo\r", 3, log, sizeof log);
    ck_assert(framer_flush(&f, &line, &n));
    ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_framer_flush_ends_discarding)
{
    /* A legacy client's oversized message has no newline: the idle flush is
     * its end, and the next message must not be swallowed. */
    char buf[9], log[512] = "";
    const char *line;
    size_t n;
    LineFramer f;
    framer_init(&f, buf, 8);
    feed_all(&f, "0123456789abc", 13, log, sizeof log);
    ck_assert_str_eq(log, "T:01234567");
    ck_assert(framer_pending(&f));
    feed_all(&f, "more", 4, log, sizeof log); /* still the same message */
    ck_assert(!framer_flush(&f, &line, &n));  /* nothing to hand out... */
    ck_assert(!framer_pending(&f));           /* ...but the discarding ended */
    feed_all(&f, "next\n", 5, log, sizeof log);
    ck_assert_str_eq(log, "T:01234567|L:next");
}
END_TEST

START_TEST(test_framer_4096_byte_bound)
{
    static char buf[4097], in[5000];
    LineFramer f;
    FrameEvent ev;
    const char *line;
    size_t n;

    framer_init(&f, buf, 4096);
    memset(in, 'x', 4096);
    in[4096] = '\n';
    ck_assert_uint_eq(framer_feed(&f, in, 4097, &ev, &line, &n), 4097);
    ck_assert_int_eq(ev, FRAME_LINE);
    ck_assert_uint_eq(n, 4096);
    memset(in, 'y', 4097);
    in[4097] = '\n';
    ck_assert_uint_eq(framer_feed(&f, in, 4098, &ev, &line, &n), 4098);
    ck_assert_int_eq(ev, FRAME_TOO_LONG);
    ck_assert_uint_eq(n, 4096);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("framer");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_framer_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_framer_same_result_byte_by_byte);
    tcase_add_test(tc, test_framer_flush_ends_an_unterminated_message);
    tcase_add_test(tc, test_framer_flush_ends_discarding);
    tcase_add_test(tc, test_framer_4096_byte_bound);
    suite_add_tcase(s, tc);
    return s;
}
