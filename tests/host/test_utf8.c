/* test_utf8.c: the UTF-8 cut and validation rules (core/utf8.h). */
#include <stdlib.h>
#include <string.h>

#include "common/check_main.h"
#include "core/utf8.h"

/* é = C3 A9 (2 bytes), € = E2 82 AC (3), 😀 = F0 9F 98 80 (4). */
static const struct {
    const char *s;
    size_t max;
    size_t want;
} cut_cases[] = {
    {"", 0, 0},
    {"abc", 10, 3},       /* shorter than max: whole */
    {"abc", 3, 3},        /* exactly max */
    {"abcd", 3, 3},       /* ASCII: cut at max */
    {"ab\xC3\xA9", 3, 2}, /* é would be split: cut before it */
    {"ab\xC3\xA9", 4, 4},
    {"a\xE2\x82\xAC", 2, 1}, /* € split after 1 byte */
    {"a\xE2\x82\xAC", 3, 1}, /* € split after 2 bytes */
    {"a\xE2\x82\xAC" "b", 4, 4},
    {"\xF0\x9F\x98\x80" "x", 3, 0}, /* 😀 split: nothing fits */
    {"\xF0\x9F\x98\x80" "x", 4, 4},
    {"ab\xA9\xA9\xA9\xA9", 4, 4}, /* stray continuation bytes: byte cut */
    {"\xE9t\xE9s", 3, 3},        /* Latin-1 "été": no UTF-8 structure, byte cut */
    {"ab\xC3\xA9", 0, 0},
};

START_TEST(test_utf8_cut_table)
{
    const char *s = cut_cases[_i].s;
    size_t got = utf8_cut(s, strlen(s), cut_cases[_i].max);
    /* %lu, not %zu: Check's format attribute means msvcrt's printf on MinGW. */
    ck_assert_msg(got == cut_cases[_i].want, "case %d: cut(\"%s\", %lu) = %lu, want %lu",
                  _i, s, (unsigned long)cut_cases[_i].max, (unsigned long)got,
                  (unsigned long)cut_cases[_i].want);
}
END_TEST

static const struct {
    const char *s;
    size_t len; /* 0: strlen */
    bool valid;
} valid_cases[] = {
    {"", 0, true},
    {"hello", 0, true},
    {"\xC3\xA9t\xC3\xA9", 0, true},
    {"\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", 0, true}, /* Arabic */
    {"\xE4\xBD\xA0\xE5\xA5\xBD", 0, true},                 /* CJK */
    {"\xF0\x9F\x98\x80", 0, true},
    {"\xF4\x8F\xBF\xBF", 0, true},     /* U+10FFFF */
    {"\xE9t\xE9", 0, false},           /* Latin-1 */
    {"\xC3", 0, false},                /* truncated */
    {"\xE2\x82", 0, false},            /* truncated */
    {"\xC0\xAF", 0, false},            /* overlong / */
    {"\xE0\x80\xAF", 0, false},        /* overlong */
    {"\xF0\x80\x80\xAF", 0, false},    /* overlong */
    {"\xED\xA0\x80", 0, false},        /* surrogate D800 */
    {"\xF4\x90\x80\x80", 0, false},    /* above U+10FFFF */
    {"\xF5\x80\x80\x80", 0, false},
    {"\x80", 0, false},                /* lone continuation */
    {"\xC3\x28", 0, false},            /* bad continuation */
    {"a\0b", 3, true},                 /* NUL is a character */
};

START_TEST(test_utf8_valid_table)
{
    size_t len = valid_cases[_i].len ? valid_cases[_i].len : strlen(valid_cases[_i].s);
    ck_assert_msg(utf8_valid(valid_cases[_i].s, len) == valid_cases[_i].valid,
                  "case %d", _i);
}
END_TEST

START_TEST(test_utf8_cut_never_splits_a_character)
{
    /* 500 x "é€" = 2500 bytes; every cut must leave valid UTF-8 no more than
     * 3 bytes short of max. */
    char buf[2500];
    for (int i = 0; i < 500; i++)
        memcpy(buf + 5 * i, "\xC3\xA9\xE2\x82\xAC", 5);
    for (size_t max = 0; max <= sizeof buf; max++) {
        size_t n = utf8_cut(buf, sizeof buf, max);
        ck_assert_uint_le(n, max);
        ck_assert_uint_ge(n + 2, max);
        ck_assert_msg(utf8_valid(buf, n), "cut at %lu left %lu invalid bytes",
                      (unsigned long)max, (unsigned long)n);
    }
}
END_TEST

START_TEST(test_utf8_cut_does_not_read_past_len)
{
    /* Under ASan: a heap buffer of exactly len bytes. */
    char *p = malloc(3);
    memcpy(p, "\xE2\x82\xAC", 3);
    ck_assert_uint_eq(utf8_cut(p, 3, 3), 3);
    ck_assert_uint_eq(utf8_cut(p, 3, 2), 0);
    ck_assert(utf8_valid(p, 3));
    ck_assert(!utf8_valid(p, 2));
    free(p);
}
END_TEST

static const struct {
    const char *s;
    size_t len;
    int n;
    unsigned long cp;
} decode_cases[] = {
    {"A", 1, 1, 0x41},
    {"\xC3\xA9", 2, 2, 0xE9},
    {"\xE2\x80\xAE", 3, 3, 0x202E},
    {"\xF0\x9F\x98\x80", 4, 4, 0x1F600},
    {"\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF},
    {"\xE9lodie", 7, 0, 0},          /* ANSI */
    {"\xC3", 1, 0, 0},               /* cut short */
    {"\xE2\x80\xAE", 2, 0, 0},       /* len ends inside */
    {"\xC0\xAF", 2, 0, 0},           /* overlong */
    {"\xE0\x80\xAF", 3, 0, 0},       /* overlong */
    {"\xED\xA0\x80", 3, 0, 0},       /* surrogate */
    {"\xF4\x90\x80\x80", 4, 0, 0},   /* above U+10FFFF */
    {"\x80", 1, 0, 0},               /* stray continuation */
    {"", 0, 0, 0},
};

START_TEST(test_utf8_decode_table)
{
    unsigned long cp = 0;
    int n = utf8_decode(decode_cases[_i].s, decode_cases[_i].len, &cp);
    ck_assert_int_eq(n, decode_cases[_i].n);
    if (n > 0)
        ck_assert_uint_eq(cp, decode_cases[_i].cp);
}
END_TEST

START_TEST(test_unicode_invisible_and_space_classes)
{
    static const unsigned long invisible[] = {0x80,   0x9F,   0xAD,   0x061C, 0x200B, 0x200D,
                                              0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0xFE0F,
                                              0xFEFF, 0xE0041, 0xE0100};
    static const unsigned long visible[] = {0x41,   0x7E,   0xA0,   0xE9,    0x0627, 0x2010,
                                            0x2030, 0x2070, 0xFE10, 0x1F600, 0xE1000};
    for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
        ck_assert_msg(unicode_is_invisible(invisible[i]), "U+%04lX", invisible[i]);
    for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++)
        ck_assert_msg(!unicode_is_invisible(visible[i]), "U+%04lX", visible[i]);
    ck_assert(unicode_is_space(0xA0));
    ck_assert(unicode_is_space(0x3000));
    ck_assert(!unicode_is_space(0x20)); /* the plain space is not "another" */
    ck_assert(!unicode_is_space(0x200B)); /* zero width: invisible, not a space */
}
END_TEST

START_TEST(test_utf8_escape_visible_leaves_nothing_a_console_obeys)
{
    char out[256];
    /* U+2028 (a line separator), U+202E (right-to-left override), NEL,
     * CR, LF, TAB, ESC, a stray byte: each spelled out, the rest kept. */
    static const char in[] = "hi\xE2\x80\xA8[12:00:00] alice: \xE2\x80\xAEok\xC2\x85\r\n\t\x1b\xFF"
                             "caf\xC3\xA9";
    size_t n = utf8_escape_visible(in, sizeof in - 1, out, sizeof out);
    ck_assert_str_eq(out, "hi<U+2028>[12:00:00] alice: <U+202E>ok<U+0085><U+000D><U+000A>"
                          "<U+0009><U+001B><0xFF>caf\xC3\xA9");
    ck_assert_uint_eq(n, strlen(out));
    for (size_t i = 0; i < n; i++)
        ck_assert((unsigned char)out[i] >= 0x20 && out[i] != 0x7F);
    char full[256];
    memcpy(full, out, n + 1);
    /* Typed text cannot pass for an escape: "<" is one itself. */
    utf8_escape_visible("<U+202E> 3<4", 12, out, sizeof out);
    ck_assert_str_eq(out, "<U+003C>U+202E> 3<U+003C>4");
    /* Cut: never in an escape or a character, marked, NUL-terminated. */
    for (size_t cap = 4; cap < 40; cap++) {
        memset(out, '#', sizeof out);
        n = utf8_escape_visible(in, sizeof in - 1, out, cap);
        ck_assert_uint_lt(n, cap);
        ck_assert_uint_eq(out[n], '\0');
        ck_assert_uint_eq((unsigned char)out[cap], '#');
        ck_assert_msg(n >= 3 && memcmp(out + n - 3, "...", 3) == 0, "cap %u: %s", (unsigned)cap,
                      out);
        /* What comes before the mark is whole escapes and characters: a
         * prefix of the full output that ends where a piece ends. */
        ck_assert(memcmp(out, full, n - 3) == 0);
        ck_assert_msg(n - 3 == 0 || full[n - 3] == '<' || full[n - 4] == '>' ||
                          (unsigned char)full[n - 4] < 0x80,
                      "cap %u cut a piece: %s", (unsigned)cap, out);
    }
    ck_assert_uint_eq(utf8_escape_visible("abc", 3, out, 4), 3); /* fits: no mark */
    ck_assert_str_eq(out, "abc");
    ck_assert_uint_eq(utf8_escape_visible("abcd", 4, out, 4), 3);
    ck_assert_str_eq(out, "...");
    ck_assert_uint_eq(utf8_escape_visible("abc", 3, out, 0), 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_utf8_cut_table, 0, sizeof cut_cases / sizeof cut_cases[0]);
    tcase_add_loop_test(tc, test_utf8_valid_table, 0,
                        sizeof valid_cases / sizeof valid_cases[0]);
    tcase_add_test(tc, test_utf8_cut_never_splits_a_character);
    tcase_add_test(tc, test_utf8_cut_does_not_read_past_len);
    tcase_add_loop_test(tc, test_utf8_decode_table, 0,
                        sizeof decode_cases / sizeof decode_cases[0]);
    tcase_add_test(tc, test_unicode_invisible_and_space_classes);
    tcase_add_test(tc, test_utf8_escape_visible_leaves_nothing_a_console_obeys);
    suite_add_tcase(s, tc);
    return s;
}
