/* test_compose.c: checks on a typed message and the chat log's lines
 * (core/compose.h). */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/compose.h"
#include "core/utf8.h"

/* Explicit lengths, so NUL can sit inside a message. */
#define T(s) s, sizeof s - 1
static const struct {
    const char *text;
    size_t len;
    ComposeCheck want;
} checks[] = {
    {T("hi"), COMPOSE_OK},
    {T("  hi\t"), COMPOSE_OK},
    {T("a\tb"), COMPOSE_OK}, /* TAB is text */
    {T("caf\xC3\xA9 \xD9\x85\xD8\xB1"), COMPOSE_OK},
    {T("\xC2\xA0"), COMPOSE_OK}, /* only ASCII blanks count */
    {T("/qui"), COMPOSE_OK},
    {T("/QUIT"), COMPOSE_OK}, /* the server's test is exact */
    {T(""), COMPOSE_EMPTY},
    {T(" "), COMPOSE_EMPTY},
    {T(" \t  \t"), COMPOSE_EMPTY},
    {T("a\rb"), COMPOSE_CONTROL},
    {T("a\nb"), COMPOSE_CONTROL},
    {T("a\0b"), COMPOSE_CONTROL},
    {T("\x1F"), COMPOSE_CONTROL},
    {T("del\x7F"), COMPOSE_CONTROL},
    {T(" \x01 "), COMPOSE_CONTROL}, /* not blank: a control */
    {T("/quit"), COMPOSE_QUIT},
    {T("bye /quit now"), COMPOSE_QUIT},
    {T("x/quitx"), COMPOSE_QUIT},      /* anywhere, as the server decides */
    {T("\x01/quit"), COMPOSE_CONTROL}, /* control is checked first */
};
#undef T

START_TEST(test_compose_check_table)
{
    ComposeCheck got = compose_check(checks[_i].text, checks[_i].len);
    ck_assert_msg(got == checks[_i].want, "case %d: got %d, want %d", _i, (int)got,
                  (int)checks[_i].want);
}
END_TEST

START_TEST(test_compose_check_refuses_more_than_1000_bytes)
{
    static char text[COMPOSE_MAX_BYTES + 100];
    memset(text, 'x', sizeof text);
    ck_assert_int_eq(compose_check(text, COMPOSE_MAX_BYTES), COMPOSE_OK);
    ck_assert_int_eq(compose_check(text, COMPOSE_MAX_BYTES + 1), COMPOSE_TOO_LONG);
    ck_assert_int_eq(compose_check(text, sizeof text), COMPOSE_TOO_LONG);
}
END_TEST

START_TEST(test_compose_check_order_empty_long_control_quit)
{
    static char text[COMPOSE_MAX_BYTES + 1];
    memset(text, ' ', sizeof text);
    ck_assert_int_eq(compose_check(text, sizeof text), COMPOSE_EMPTY);
    memcpy(text, "/quit\x01", 6);
    ck_assert_int_eq(compose_check(text, sizeof text), COMPOSE_TOO_LONG);
    ck_assert_int_eq(compose_check(text, COMPOSE_MAX_BYTES), COMPOSE_CONTROL);
    text[5] = ' ';
    ck_assert_int_eq(compose_check(text, COMPOSE_MAX_BYTES), COMPOSE_QUIT);
}
END_TEST

START_TEST(test_compose_explain_says_why_in_a_sentence)
{
    char s[200];
    compose_explain(COMPOSE_EMPTY, 0, s, sizeof s);
    ck_assert_str_eq(s, "Empty messages are not sent.");
    compose_explain(COMPOSE_TOO_LONG, 1234, s, sizeof s);
    ck_assert_str_eq(s, "The message is 1234 bytes; the most is 1000 (it must fit the "
                        "shared last-message field).");
    compose_explain(COMPOSE_CONTROL, 3, s, sizeof s);
    ck_assert_str_eq(s, "The message contains a control character.");
    compose_explain(COMPOSE_QUIT, 5, s, sizeof s);
    ck_assert_str_eq(s, "The message contains /quit, which ends the session on the "
                        "server.");
    strcpy(s, "stale");
    compose_explain(COMPOSE_OK, 2, s, sizeof s);
    ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_compose_explain_never_overflows)
{
    char s[16];
    memset(s, 'Z', sizeof s);
    compose_explain(COMPOSE_TOO_LONG, 99999, s, 10);
    ck_assert_str_eq(s, "The messa");
    ck_assert_int_eq(s[10], 'Z');
    compose_explain(COMPOSE_QUIT, 5, s, 0); /* writes nothing */
    ck_assert_str_eq(s, "The messa");
}
END_TEST

static const struct {
    const char *line;
    LineKind want;
} kinds[] = {
    {"*** alice joined the chat ***", LINE_NOTICE},
    {"*** alice left the chat ***", LINE_NOTICE},
    {"*** server full ***", LINE_NOTICE},
    {"*** message too long (max 4096 bytes) ***", LINE_NOTICE},
    {"alice: hi", LINE_CHAT},
    {"alice: *** hi ***", LINE_CHAT},
    {"*** alice: hi", LINE_CHAT},
    {"alice: hi ***", LINE_CHAT},
    {"***hi***", LINE_CHAT},
    {"*** ***", LINE_CHAT},
    {"***", LINE_CHAT},
    {"", LINE_CHAT},
};

START_TEST(test_compose_line_kind_table)
{
    ck_assert_msg(compose_line_kind(kinds[_i].line, strlen(kinds[_i].line)) ==
                      kinds[_i].want,
                  "\"%s\"", kinds[_i].line);
}
END_TEST

START_TEST(test_compose_log_line_stamps_the_line)
{
    char out[100];
    size_t n = compose_log_line(out, sizeof out, 9, 5, 7, "alice: hi", 9, LINE_WHOLE);
    ck_assert_str_eq(out, "[09:05:07] alice: hi");
    ck_assert_uint_eq(n, strlen(out));
    n = compose_log_line(out, sizeof out, 23, 59, 59, "bob: long", 9, LINE_TOO_LONG);
    ck_assert_str_eq(out, "[23:59:59] bob: long [cut: longer than 64 KB]");
    ck_assert_uint_eq(n, strlen(out));
    n = compose_log_line(out, sizeof out, 23, 59, 59, "bob: hal", 8, LINE_UNFINISHED);
    ck_assert_str_eq(out, "[23:59:59] bob: hal [unfinished: the connection ended]");
    ck_assert_uint_eq(n, strlen(out));
}
END_TEST

START_TEST(test_compose_log_line_keeps_bytes_after_a_nul)
{
    /* The original server passes NUL on; the length tells the caller. */
    char out[64];
    size_t n = compose_log_line(out, sizeof out, 1, 2, 3, "a\0b", 3, LINE_WHOLE);
    ck_assert_uint_eq(n, 14);
    ck_assert(memcmp(out, "[01:02:03] a\0b", 15) == 0);
}
END_TEST

START_TEST(test_compose_log_parts_splits_name_and_text)
{
    char out[128];
    size_t name = 99;
    size_t n = compose_log_parts(out, sizeof out, "alice: hi: there", 16, LINE_WHOLE, false, &name);
    ck_assert_uint_eq(name, 5);
    ck_assert_uint_eq(n, 14);
    ck_assert_str_eq(out, "alicehi: there");
    /* A notice and a line without ": " are text alone, escapes and all. */
    n = compose_log_parts(out, sizeof out, "*** b\xe2\x80\xae joined ***", 19, LINE_WHOLE, false, &name);
    ck_assert_uint_eq(name, 0);
    ck_assert_str_eq(out, "*** b<U+202E> joined ***");
    ck_assert_uint_eq(n, strlen(out));
    n = compose_log_parts(out, sizeof out, "no colon here", 13, LINE_TOO_LONG, false, &name);
    ck_assert_uint_eq(name, 0);
    ck_assert_str_eq(out, "no colon here [cut: longer than 64 KB]");
    /* The escaped name of a chat line, then its text unescaped. */
    n = compose_log_parts(out, sizeof out, "e\xe2\x80\x8bve: \xe2\x80\x8bx", 12, LINE_WHOLE, false,
                          &name);
    ck_assert_uint_eq(name, 11);
    ck_assert_uint_eq(n, 15);
    ck_assert(memcmp(out, "e<U+200B>ve\xe2\x80\x8bx", n) == 0);
    /* The client's own line is text whole: its ": " ends no name. */
    static const char ours[] = "--- Connection to h:1 lost (the server closed it): retrying in 1 s.";
    n = compose_log_parts(out, sizeof out, ours, sizeof ours - 1, LINE_WHOLE, true, &name);
    ck_assert_uint_eq(name, 0);
    ck_assert_str_eq(out, ours);
    ck_assert_uint_eq(compose_log_parts(out, 8, ours, sizeof ours - 1, LINE_WHOLE, true, &name), 7);
    ck_assert_str_eq(out, "--- Con");
    /* Whose line it is. */
    ck_assert(compose_is_from("alice: hi", 9, "alice"));
    ck_assert(!compose_is_from("alice:hi", 8, "alice"));
    ck_assert(!compose_is_from("alicex: hi", 10, "alice"));
    ck_assert(!compose_is_from("alice: ", 6, "alice"));
    ck_assert(!compose_is_from("bob: hi", 7, ""));
    /* A buffer too small for the stamp gives nothing, not garbage. */
    n = compose_log_parts(out, 8, "alice: hi", 9, LINE_WHOLE, false, &name);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(name, 0);
}
END_TEST

START_TEST(test_compose_log_line_never_overflows_any_size)
{
    /* Every buffer size: NUL-terminated, nothing written past size, the
     * stamp first, the line cut (on a character boundary) before the mark. */
    static const char line[] =
        "alice: \xC3\xA9\xC3\xA9\xC3\xA9 text that goes on and on";
    const char *mark = " [cut: longer than 64 KB]";
    char full[200], out[200];
    size_t full_len = compose_log_line(full, sizeof full, 12, 34, 56, line,
                                       sizeof line - 1, LINE_TOO_LONG);

    for (size_t size = 1; size <= full_len + 1; size++) {
        size_t n;
        memset(out, 'Z', sizeof out);
        n = compose_log_line(out, size, 12, 34, 56, line, sizeof line - 1,
                             LINE_TOO_LONG);
        ck_assert_msg(n < size && out[n] == '\0' && strlen(out) == n,
                      "size %lu: length %lu", (unsigned long)size, (unsigned long)n);
        ck_assert_msg(out[size] == 'Z', "size %lu: wrote past the end",
                      (unsigned long)size);
        ck_assert(memcmp(out, "[12:34:56] ", n < 11 ? n : 11) == 0);
        if (n > 11) {
            /* Whatever fits of the mark is kept; the line gives way first. */
            size_t keep = n - 11 > strlen(mark) ? n - 11 - strlen(mark) : 0;
            ck_assert(memcmp(out + 11, line, keep) == 0);
            ck_assert(utf8_valid(out + 11, keep));
            ck_assert(memcmp(out + 11 + keep, mark, n - 11 - keep) == 0);
        }
    }
    ck_assert_uint_eq(compose_log_line(out, 0, 1, 2, 3, "x", 1, LINE_WHOLE), 0);
}
END_TEST

/* compose_log_line at 01:02:03 of a whole line given as a string. */
static void log_line_of(char *out, size_t size, const char *line, LineEnd end)
{
    compose_log_line(out, size, 1, 2, 3, line, strlen(line), end);
}

START_TEST(test_compose_log_line_shows_invisible_characters_in_names)
{
    char out[200];

    /* "ali<RLO>ec" would show as "alice": the override is spelled out. */
    compose_log_line(out, sizeof out, 1, 2, 3,
                     "ali\xE2\x80\xAE"
                     "ec: hi",
                     12, LINE_WHOLE);
    ck_assert_str_eq(out, "[01:02:03] ali<U+202E>ec: hi");
    /* In a notice, the whole line is a name's frame. */
    compose_log_line(out, sizeof out, 1, 2, 3,
                     "*** \xE2\x80\x8B"
                     "bob joined the chat ***",
                     30, LINE_WHOLE);
    ck_assert_str_eq(out, "[01:02:03] *** <U+200B>bob joined the chat ***");
    /* Spaces that would make one name look like another, or like none: a
     * no-break space anywhere, as UTF-8 or as an ANSI client's raw byte
     * (the window shows such a line in the ANSI code page), a plain one at
     * either end; a plain one inside is a name's own, and other ANSI
     * letters stay as they came. */
    static const char *const spaces[][2] = {
        {"bob\xC2\xA0: send the password", "bob<U+00A0>: send the password"},
        {"\xC2\xA0: *** bob left the chat ***", "<U+00A0>: *** bob left the chat ***"},
        {" bob : hi", "<U+0020>bob<U+0020>: hi"},
        {"mary ann: hi", "mary ann: hi"},
        {"a\xE3\x80\x80" "b: hi", "a<U+3000>b: hi"},
        {"bob\xA0: send it", "bob<0xA0>: send it"},
        {"\xA0: *** eve joined the chat ***", "<0xA0>: *** eve joined the chat ***"},
        {"Zo\xEB\xAD: hi", "Zo\xEB<0xAD>: hi"},
    };
    for (size_t k = 0; k < sizeof spaces / sizeof spaces[0]; k++) {
        log_line_of(out, sizeof out, spaces[k][0], LINE_WHOLE);
        ck_assert_str_eq(out + 11, spaces[k][1]); /* after "[01:02:03] " */
    }
    /* A tag character, past the BMP. */
    compose_log_line(out, sizeof out, 1, 2, 3, "x\xF3\xA0\x81\x81: y", 8, LINE_WHOLE);
    ck_assert_str_eq(out, "[01:02:03] x<U+E0041>: y");
    /* The message text is the sender's own and keeps its joiners and marks
     * (emoji sequences, right-to-left text need them). */
    compose_log_line(out, sizeof out, 1, 2, 3,
                     "carol: a\xE2\x80\x8D"
                     "b",
                     12, LINE_WHOLE);
    ck_assert_str_eq(out, "[01:02:03] carol: a\xE2\x80\x8D"
                          "b");
    /* An escape that does not fit is left out whole, before the mark. */
    size_t n = compose_log_line(out, 45, 1, 2, 3,
                                "ab\xE2\x80\xAE"
                                "cdef: x",
                                12, LINE_TOO_LONG);
    ck_assert_uint_eq(n, 38);
    ck_assert_str_eq(out, "[01:02:03] ab [cut: longer than 64 KB]");
}
END_TEST

START_TEST(test_compose_log_line_cuts_a_long_line_without_mark_when_not_cut)
{
    char out[20];
    size_t n =
        compose_log_line(out, sizeof out, 0, 0, 0, "0123456789abcdef", 16, LINE_WHOLE);
    ck_assert_uint_eq(n, 19);
    ck_assert_str_eq(out, "[00:00:00] 01234567");
}
END_TEST

/* The longest host, a whole name of 32 four-byte characters and a whole
 * pending message fit; a buffer too small for them cuts on a character and
 * never writes past its end (ASan and valgrind watch). */
START_TEST(test_compose_unsent_fits_the_longest_host_name_and_message)
{
    static char host[254], name[129], text[1024], out[COMPOSE_UNSENT_MAX + 1];
    memset(host, 'h', 253);
    for (int i = 0; i < 32; i++)
        memcpy(name + 4 * i, "\xF0\x9F\x98\x80", 4);
    memset(text, 't', sizeof text);
    memcpy(text + sizeof text - 2, "\xC3\xA9", 2);
    size_t n = compose_unsent(out, sizeof out, true, host, 65535, name, text, sizeof text);
    ck_assert_uint_eq(n, strlen(out));
    ck_assert_uint_le(n, COMPOSE_UNSENT_MAX);
    ck_assert(memcmp(out + n - sizeof text, text, sizeof text) == 0); /* whole */
    ck_assert(strncmp(out, "--- perhaps not delivered (sent to hhh", 38) == 0);

    n = compose_unsent(out, sizeof out, false, "127.0.0.1", 12345, "carol", "note 2", 6);
    ck_assert_str_eq(out, "--- not sent (typed for 127.0.0.1:12345 as carol): note 2");
    ck_assert_uint_eq(n, strlen(out));

    /* Too small: cut inside the text, then inside the prefix, on characters. */
    char small[60];
    n = compose_unsent(small, sizeof small, false, "h", 1, "n", "\xC3\xA9\xC3\xA9\xC3\xA9"
                       "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 22);
    ck_assert_uint_eq(n, strlen(small));
    ck_assert_uint_lt(n, sizeof small);
    ck_assert((n - strlen("--- not sent (typed for h:1 as n): ")) % 2 == 0);
    char tiny[20];
    n = compose_unsent(tiny, sizeof tiny, false, host, 1, name, "x", 1);
    ck_assert_uint_eq(n, 19);
    ck_assert_str_eq(tiny, "--- not sent (typed");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("compose");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_compose_check_table, 0,
                        sizeof checks / sizeof checks[0]);
    tcase_add_test(tc, test_compose_check_refuses_more_than_1000_bytes);
    tcase_add_test(tc, test_compose_check_order_empty_long_control_quit);
    tcase_add_test(tc, test_compose_explain_says_why_in_a_sentence);
    tcase_add_test(tc, test_compose_explain_never_overflows);
    tcase_add_loop_test(tc, test_compose_line_kind_table, 0,
                        sizeof kinds / sizeof kinds[0]);
    tcase_add_test(tc, test_compose_log_line_stamps_the_line);
    tcase_add_test(tc, test_compose_log_line_keeps_bytes_after_a_nul);
    tcase_add_test(tc, test_compose_log_line_never_overflows_any_size);
    tcase_add_test(tc, test_compose_log_parts_splits_name_and_text);
    tcase_add_test(tc, test_compose_log_line_shows_invisible_characters_in_names);
    tcase_add_test(tc,
                   test_compose_log_line_cuts_a_long_line_without_mark_when_not_cut);
    tcase_add_test(tc, test_compose_unsent_fits_the_longest_host_name_and_message);
    suite_add_tcase(s, tc);
    return s;
}
