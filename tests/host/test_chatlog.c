/* test_chatlog.c: the chat view's model (core/chatlog.h): wrapping in the
 * text column, hit-testing, caret and selection, plain text, styled runs,
 * links, search, the ring's bounds, following, mentions and case folding.
 *
 * Widths come from a fake font: every unit 10 px, a surrogate pair or a
 * CJK character 20 px (times the scale in its context, for relayout). The
 * usual geometry: 800 x 100, rows of 10, time column 90, name column up to
 * 100, gap 10; so with "alice" (50 px) as the widest name the text starts
 * at 150 and holds 64 units a row. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check_main.h"
#include "core/chatlog.h"

/* --- the fake font ---------------------------------------------------------- */

static int scale = 1;
static long fit_calls;

static int is_cjk(uint32_t c)
{
    return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0xFF00 && c <= 0xFF60);
}

static size_t fake_fit(void *ctx, const uint16_t *s, size_t n, int max_w, int *w)
{
    int k = ctx ? *(int *)ctx : 1, total = 0;
    size_t i = 0;
    fit_calls++;
    while (i < n) {
        size_t step = 1;
        int cw = is_cjk(s[i]) ? 20 : 10;
        if (s[i] >= 0xD800 && s[i] <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 &&
            s[i + 1] <= 0xDFFF) {
            step = 2;
            cw = 20;
        }
        if (total + cw * k > max_w)
            break;
        total += cw * k;
        i += step;
    }
    *w = total;
    return i;
}

/* --- UTF-8 literals to UTF-16 and back ---------------------------------------------
 */

#define BUFS 8
#define BUFLEN 8192
static uint16_t bufs[BUFS][BUFLEN];
static int next_buf;

/* A UTF-16 copy of a UTF-8 literal, in one of a few rotating buffers. */
static const uint16_t *U(const char *s, size_t *len)
{
    uint16_t *out = bufs[next_buf++ % BUFS];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        while (more-- > 0)
            c = (c << 6) | (*p++ & 0x3F);
        if (c >= 0x10000) {
            out[n++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            out[n++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            out[n++] = (uint16_t)c;
        }
    }
    *len = n;
    return out;
}

/* UTF-16 back to UTF-8 (for comparing with literals). */
static const char *to8(const uint16_t *s, size_t n)
{
    static char out[4 * BUFLEN];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < sizeof out; i++) {
        uint32_t c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n)
            c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00);
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xC0 | c >> 6);
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[k++] = (char)(0xE0 | c >> 12);
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | c >> 18);
            out[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[k] = '\0';
    return out;
}

/* A string of n copies of c. */
static const char *rep(const char *c, int n)
{
    static char out[8][BUFLEN];
    static int k;
    char *o = out[k++ % 8];
    o[0] = '\0';
    for (int i = 0; i < n; i++)
        strcat(o, c);
    return o;
}

/* --- helpers
 * --------------------------------------------------------------------------- */

/* chatlog_find_set with a UTF-8 literal. */
static size_t find(ChatLog *log, const char *needle)
{
    size_t n;
    const uint16_t *s = U(needle, &n);
    return chatlog_find_set(log, s, n);
}

static ChatLog *make_log(size_t max, int width, int height)
{
    scale = 1;
    ChatLog *log = chatlog_new(max, fake_fit, &scale);
    ck_assert_ptr_nonnull(log);
    ChatLogGeometry g = {width, height, 10, 90, 100, 10};
    chatlog_set_geometry(log, &g);
    return log;
}

/* A chat line (a name given) or a notice (NULL). */
static uint64_t add(ChatLog *log, uint32_t t, const char *name, const char *text)
{
    size_t nl = 0, tl;
    const uint16_t *n = name ? U(name, &nl) : NULL;
    const uint16_t *x = U(text, &tl);
    uint64_t seq =
        chatlog_append(log, t, name ? CHATLOG_CHAT : CHATLOG_NOTICE, 0, n, nl, x, tl);
    ck_assert_uint_ne(seq, 0);
    return seq;
}

static ChatLogPos P(uint64_t seq, uint32_t off)
{
    ChatLogPos p = {seq, off};
    return p;
}

/* chatlog_format as UTF-8, checking the sizing contract on the way: the
 * cap-0 length, the full text with a big cap, and a cut copy. */
static const char *fmt(ChatLog *log, ChatLogPos a, ChatLogPos b)
{
    static uint16_t buf[BUFLEN];
    size_t n = chatlog_format(log, a, b, NULL, 0);
    ck_assert_uint_lt(n, BUFLEN);
    ck_assert_uint_eq(chatlog_format(log, a, b, buf, BUFLEN), n);
    ck_assert_uint_eq(buf[n], 0);
    if (n > 2) {
        uint16_t cut[3] = {1, 1, 1};
        ck_assert_uint_eq(chatlog_format(log, a, b, cut, 3), n);
        ck_assert(cut[0] == buf[0] && cut[1] == buf[1] && cut[2] == 0);
    }
    return to8(buf, n);
}

static const char *fmt_all(ChatLog *log)
{
    static uint16_t buf[BUFLEN * 4];
    size_t n = chatlog_format_all(log, NULL, 0);
    ck_assert_uint_lt(n, BUFLEN);
    ck_assert_uint_eq(chatlog_format_all(log, buf, sizeof buf / sizeof buf[0]), n);
    return to8(buf, n);
}

/* The rows of seq as [from, to) pairs, checking that they tile the message
 * exactly. */
static uint32_t spans_of(ChatLog *log, uint64_t seq, uint32_t *from, uint32_t *to)
{
    const ChatLogLine *l = chatlog_line(log, seq);
    uint32_t rows = chatlog_rows(log, seq);
    ck_assert_uint_ge(rows, 1);
    for (uint32_t r = 0; r < rows; r++) {
        ck_assert(chatlog_row_span(log, seq, r, &from[r], &to[r]));
        ck_assert_uint_eq(from[r], r == 0 ? l->name_len : to[r - 1]);
        ck_assert(from[r] < to[r] || (rows == 1 && from[r] == to[r]));
    }
    ck_assert_uint_eq(to[rows - 1], l->len);
    ck_assert(!chatlog_row_span(log, seq, rows, &from[0], &to[0]));
    return rows;
}

/* --- memory and the ring
 * --------------------------------------------------------------- */

START_TEST(test_chatlog_line_header_is_small)
{
    /* One allocation a line: a 40-byte header (on 64-bit; 32 on 32-bit)
     * with the text right after it, no padding in between. */
    ck_assert_uint_le(sizeof(ChatLogLine), 40);
    ck_assert_uint_eq(offsetof(ChatLogLine, text), sizeof(ChatLogLine));
}
END_TEST

START_TEST(test_chatlog_ring_keeps_the_newest_and_never_reuses_seqs)
{
    ChatLog *log = make_log(10, 800, 100); /* clamped to CHATLOG_MIN_LINES */
    ck_assert_uint_eq(chatlog_count(log), 0);
    ck_assert_uint_eq(chatlog_first_seq(log), 0);
    ck_assert_uint_eq(chatlog_last_seq(log), 0);
    for (int i = 1; i <= 150; i++)
        ck_assert_uint_eq(add(log, 0, "bob", "hi"), (uint64_t)i);
    ck_assert_uint_eq(chatlog_count(log), 100);
    ck_assert_uint_eq(chatlog_first_seq(log), 51);
    ck_assert_uint_eq(chatlog_last_seq(log), 150);
    ck_assert_ptr_null(chatlog_line(log, 50));
    ck_assert_ptr_null(chatlog_line(log, 151));
    ck_assert_ptr_null(chatlog_line(log, 0));
    ck_assert_uint_eq(chatlog_line(log, 51)->seq, 51);
    ck_assert_uint_eq(chatlog_line(log, 150)->seq, 150);
    ck_assert_uint_eq(chatlog_rows(log, 50), 0);

    /* Grows and shrinks on request; the oldest go first. */
    chatlog_set_max(log, 200);
    for (int i = 0; i < 150; i++)
        add(log, 0, "bob", "hi");
    ck_assert_uint_eq(chatlog_count(log), 200);
    ck_assert_uint_eq(chatlog_first_seq(log), 101);
    chatlog_set_max(log, 120);
    ck_assert_uint_eq(chatlog_count(log), 120);
    ck_assert_uint_eq(chatlog_first_seq(log), 181);
    ck_assert_uint_eq(chatlog_last_seq(log), 300);

    /* Clear drops everything; the seqs keep counting. */
    chatlog_clear(log);
    ck_assert_uint_eq(chatlog_count(log), 0);
    ck_assert_uint_eq(chatlog_first_seq(log), 0);
    ck_assert_ptr_null(chatlog_line(log, 300));
    ck_assert_uint_eq(add(log, 0, NULL, "again"), 301);
    ck_assert_uint_eq(chatlog_first_seq(log), 301);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_drops_clamp_selection_top_marker_and_hits)
{
    ChatLog *log = make_log(100, 800, 100);
    for (int i = 0; i < 100; i++)
        add(log, 0, "bob", i == 5 ? "needle" : "hay");
    ck_assert_uint_eq(chatlog_find_set(log, U("NEEDLE", &(size_t){0}), 6), 1);
    chatlog_select(log, P(3, 1), P(20, 2));
    chatlog_set_marker(log, 2);
    chatlog_scroll_home(log);
    ck_assert_uint_eq(chatlog_top(log).seq, 1);
    ck_assert(!chatlog_following(log));

    for (int i = 0; i < 10; i++)
        add(log, 0, "bob", "hay");
    ck_assert_uint_eq(chatlog_first_seq(log), 11);
    ChatLogPos a, b;
    ck_assert(chatlog_selection(log, &a, &b));
    ck_assert_uint_eq(a.seq, 11);
    ck_assert_uint_eq(a.off, 0);
    ck_assert_uint_eq(b.seq, 20);
    ck_assert_uint_eq(b.off, 2);
    ck_assert_uint_eq(chatlog_top(log).seq, 11);
    ck_assert_uint_eq(chatlog_top(log).row, 0);
    ck_assert_uint_eq(chatlog_marker(log), 11);
    ck_assert_uint_eq(chatlog_find_count(log), 0); /* the hit went with line 6 */
    ck_assert(!chatlog_find_next(log, false));

    /* A selection entirely in dropped lines becomes empty. */
    chatlog_select(log, P(12, 0), P(13, 1));
    chatlog_set_max(log, 100);
    for (int i = 0; i < 5; i++)
        add(log, 0, "bob", "hay");
    ck_assert(!chatlog_selection(log, &a, &b));
    ck_assert_uint_eq(chatlog_caret(log).seq, 16);

    chatlog_clear(log);
    ck_assert(!chatlog_selection(log, NULL, NULL));
    ck_assert_uint_eq(chatlog_marker(log), 0);
    ck_assert_uint_eq(chatlog_top(log).seq, 0);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_waiting(log), 0);
    chatlog_free(log);
}
END_TEST

/* 100,000 lines of 60 units, appended while following at the bottom. */
START_TEST(test_chatlog_a_hundred_thousand_lines)
{
    ChatLog *log = make_log(CHATLOG_DEFAULT_LINES, 800, 600);
    const char *text = rep("abcde fghi", 6);
    size_t tl, nl;
    const uint16_t *t = U(text, &tl);
    const uint16_t *n = U("alice", &nl);
    ck_assert_uint_eq(tl, 60);
    fit_calls = 0;
    for (int i = 0; i < 100000; i++)
        ck_assert_uint_ne(
            chatlog_append(log, (uint32_t)i, CHATLOG_CHAT, 0, n, nl, t, tl), 0);
    /* Each append measured the name and the one new line, nothing else. */
    ck_assert_int_le(fit_calls, 2 * 100000 + 1000);
    ck_assert_uint_eq(chatlog_count(log), 100000);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_top(log).seq, 100000 - 59);
    /* A resize lays out only what is shown. */
    fit_calls = 0;
    ChatLogGeometry g = {400, 600, 10, 90, 100, 10};
    chatlog_set_geometry(log, &g);
    ck_assert_int_lt(fit_calls, 500);
    ck_assert_uint_eq(chatlog_rows(log, 100000), 3); /* 24 units a row */
    chatlog_free(log);
}
END_TEST

/* --- wrapping
 * ----------------------------------------------------------------------------- */

START_TEST(test_chatlog_columns_follow_the_widest_name_up_to_the_cap)
{
    ChatLog *log = make_log(100, 800, 100);
    ck_assert_int_eq(chatlog_text_x(log), 100); /* no names: time + gap */
    add(log, 0, "al", "x");
    ck_assert_int_eq(chatlog_name_w(log), 20);
    add(log, 0, "alice", "x");
    ck_assert_int_eq(chatlog_name_w(log), 50);
    ck_assert_int_eq(chatlog_text_x(log), 150);
    add(log, 0, "bo", "x");
    ck_assert_int_eq(chatlog_name_w(log), 50);
    add(log, 0, rep("n", 30), "x"); /* 300 px: capped */
    ck_assert_int_eq(chatlog_name_w(log), 100);
    ck_assert_int_eq(chatlog_text_x(log), 200);
    ck_assert_int_eq(chatlog_line(log, 4)->name_w, 300);

    /* The widest leaves with its line: the next widest stored takes over. */
    for (int i = 0; i < 96; i++)
        add(log, 0, "bo", "x");
    ck_assert_uint_eq(chatlog_first_seq(log), 1);
    add(log, 0, "bo", "x");
    add(log, 0, "bo", "x");
    add(log, 0, "bo", "x");
    ck_assert_uint_eq(chatlog_first_seq(log), 4);
    ck_assert_int_eq(chatlog_name_w(log), 100);
    add(log, 0, "bo", "x");
    ck_assert_int_eq(chatlog_name_w(log), 20);
    ck_assert_int_eq(chatlog_text_x(log), 120);

    /* A new font: names measured again (twice as wide), rows too. */
    add(log, 0, "alice", rep("a", 100));
    ck_assert_uint_eq(chatlog_rows(log, 105), 2); /* 64 units a row */
    scale = 2;
    chatlog_relayout(log);
    ck_assert_int_eq(chatlog_line(log, 105)->name_w, 100);
    ck_assert_int_eq(chatlog_name_w(log), 100);
    ck_assert_int_eq(chatlog_text_x(log), 200);
    ck_assert_uint_eq(chatlog_rows(log, 105), 4); /* 590 px: 29 units a row */
    scale = 1;
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_wraps_at_spaces_hyphens_and_inside_long_words)
{
    ChatLog *log = make_log(100, 800, 100);
    uint32_t f[200], t[200];
    add(log, 0, "alice", "x"); /* text_x 150: 64 units a row */
    ck_assert_int_eq(chatlog_text_x(log), 150);

    /* A word longer than a row breaks after the last unit that fits. */
    uint64_t s = add(log, 0, "alice", rep("a", 100));
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 64);

    /* At the space: the space ends the first row. */
    char text[300];
    snprintf(text, sizeof text, "%s %s", rep("a", 60), rep("b", 10));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 61);

    /* Spaces past the margin hang at the end of the row they end. */
    snprintf(text, sizeof text, "%s   b", rep("a", 64));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 67);
    ck_assert_str_eq(to8(chatlog_line(log, s)->text + f[1], t[1] - f[1]), "b");

    /* After a hyphen. */
    snprintf(text, sizeof text, "%s-%s", rep("a", 60), rep("b", 10));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 61);

    /* Many words: every break is after spaces, every row fits. */
    s = add(log, 0, "alice", rep("word ", 60));
    uint32_t rows = spans_of(log, s, f, t);
    ck_assert_uint_eq(rows, 5); /* 13 words a row: 64 units and a hanging space */
    for (uint32_t r = 0; r + 1 < rows; r++) {
        ck_assert_uint_eq(t[r] - f[r], 65);
        ck_assert_uint_eq(chatlog_line(log, s)->text[t[r] - 1], ' ');
    }

    /* A TAB is stored as a space and wraps like one. */
    s = add(log, 0, "alice", "a\tb");
    ck_assert_uint_eq(chatlog_line(log, s)->text[6], ' ');
    ck_assert_str_eq(fmt(log, P(s, 0), P(s, 8)), "[00:00:00] alice: a b");

    /* A row is at least one character, however narrow the column. */
    ChatLogGeometry g = {150 + 10 + 5, 100, 10, 90, 100, 10};
    chatlog_set_geometry(log, &g);
    s = add(log, 0, "alice", "abc");
    ck_assert_uint_eq(spans_of(log, s, f, t), 3);
    /* Spaces after a forced break hang at its end too: no row but the
     * first starts with a space (found by fuzz_chatlog). */
    s = add(log, 0, "alice", "ab  c");
    ck_assert_uint_eq(spans_of(log, s, f, t), 3);
    ck_assert_uint_eq(t[0], 6);
    ck_assert_uint_eq(t[1], 9);
    /* A width of 0 (not sized, minimized) wraps nothing. */
    g.width = 0;
    chatlog_set_geometry(log, &g);
    ck_assert_uint_eq(chatlog_rows(log, s), 1);
    ck_assert_uint_eq(chatlog_rows(log, 2), 1);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_wraps_wide_characters_pairs_and_marks_whole)
{
    ChatLog *log = make_log(100, 800, 100);
    uint32_t f[200], t[200];
    add(log, 0, "alice", "x");

    /* CJK: 20 px each, a break allowed between any two: 32 a row. */
    uint64_t s = add(log, 0, "alice", rep("\xE6\xBC\xA2", 40)); /* U+6F22 */
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 32);
    /* Latin then CJK: the break comes before the first ideograph that
     * does not fit, not inside the Latin word. */
    char text[600];
    snprintf(text, sizeof text, "%s%s", rep("a", 50), rep("\xE6\xBC\xA2", 10));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 57); /* 500 + 7 * 20 = 640 */

    /* Emoji (pairs, 20 px) after one letter: 63 units fit, the next pair
     * would not; the break is never inside a pair. */
    snprintf(text, sizeof text, "a%s", rep("\xF0\x9F\x98\x80", 40));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 63);
    const ChatLogLine *l = chatlog_line(log, s);
    ck_assert(l->text[t[0]] >= 0xD800 && l->text[t[0]] <= 0xDBFF);

    /* e + U+0301: a row never starts with the mark. 64 units fit, and the
     * 65th is a mark, so the row ends before its base. */
    snprintf(text, sizeof text, "x%s", rep("e\xCC\x81", 50));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 63);
    ck_assert_uint_eq(chatlog_line(log, s)->text[t[0]], 'e');

    /* A base with more marks than a row holds stays one character. */
    ChatLogGeometry g = {150 + 10 + 25, 100, 10, 90, 100, 10}; /* 25 px */
    chatlog_set_geometry(log, &g);
    snprintf(text, sizeof text, "e%sb", rep("\xCC\x81", 10));
    s = add(log, 0, "alice", text);
    ck_assert_uint_eq(spans_of(log, s, f, t), 2);
    ck_assert_uint_eq(t[0], 5 + 11);
    chatlog_free(log);
}
END_TEST

/* The point of the text column: whatever a message holds, none of its rows
 * starts anywhere but at text_x, so padding cannot make text pass for a
 * line of its own. */
START_TEST(test_chatlog_forged_line_stays_in_the_text_column)
{
    ChatLog *log = make_log(100, 800, 100);
    add(log, 0, "alice", "x");
    char text[600];
    snprintf(text, sizeof text, "%s[12:00:00] alice: hi", rep(" ", 200));
    uint64_t kinds[2];
    kinds[0] = add(log, 3600, "mallory", text);
    kinds[1] = add(log, 3600, NULL, text); /* a notice: no name */
    for (int k = 0; k < 2; k++) {
        uint64_t s = kinds[k];
        const ChatLogLine *l = chatlog_line(log, s);
        uint32_t f[10], t[10];
        ck_assert_uint_eq(spans_of(log, s, f, t), 2);
        ck_assert_uint_eq(f[1], l->name_len + 200u);
        ck_assert_str_eq(to8(l->text + f[1], t[1] - f[1]), "[12:00:00] alice: hi");
        /* Each row's first character is at text_x: the column's first
         * pixel hits it; the name and time columns hit offset 0. All five
         * rows are in view: line 1, then this line's rows at 10 or 30. */
        ck_assert_uint_eq(chatlog_top(log).seq, 1);
        ck_assert_int_eq(chatlog_text_x(log), 90 + 70 + 10); /* "mallory" */
        for (uint32_t r = 0; r < 2; r++) {
            ChatLogPos p;
            int y = (k == 0 ? 10 : 30) + (int)r * 10 + 5, tx = chatlog_text_x(log);
            ck_assert_int_eq(chatlog_hit(log, tx, y, &p), CHATLOG_HIT_TEXT);
            ck_assert_uint_eq(p.seq, s);
            ck_assert_uint_eq(p.off, f[r]);
            ck_assert_int_eq(chatlog_hit(log, tx - 1, y, &p), CHATLOG_HIT_NAME);
            ck_assert_uint_eq(p.off, 0);
            ck_assert_int_eq(chatlog_hit(log, 0, y, &p), CHATLOG_HIT_TIME);
            ck_assert_uint_eq(p.off, 0);
        }
    }
    /* Copied, it is one line with its own stamp and name in front. */
    snprintf(text, sizeof text, "[01:00:00] mallory: %s[12:00:00] alice: hi",
             rep(" ", 200));
    ck_assert_str_eq(fmt(log, P(kinds[0], 0), P(kinds[0], UINT32_MAX)), text);

    /* A line break inside a message is stored as its picture: a copy
     * never holds one. */
    uint64_t s = add(log, 0, "mallory", "hi\r\n[12:00:00] alice: hi\x01");
    ck_assert_str_eq(fmt(log, P(s, 0), P(s, UINT32_MAX)),
                     "[00:00:00] mallory: hi\xE2\x90\x8D\xE2\x90\x8A[12:00:00] alice: "
                     "hi\xE2\x90\x81");
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_rtl_flag_and_rows)
{
    ChatLog *log = make_log(100, 800, 100);
    const char *shalom = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"; /* 4 Hebrew letters */
    char text[600];
    uint64_t s = add(log, 0, "dan", shalom);
    ck_assert(chatlog_line(log, s)->flags & CHATLOG_RTL);
    snprintf(text, sizeof text, "12, (%s) ok", shalom); /* digits are weak */
    s = add(log, 0, "dan", text);
    ck_assert(chatlog_line(log, s)->flags & CHATLOG_RTL);
    s = add(log, 0, "dan", "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7"); /* Arabic */
    ck_assert(chatlog_line(log, s)->flags & CHATLOG_RTL);
    snprintf(text, sizeof text, "hi %s", shalom);
    s = add(log, 0, "dan", text);
    ck_assert(!(chatlog_line(log, s)->flags & CHATLOG_RTL));
    /* The flag is the model's, whatever the caller says; a Hebrew name
     * does not make a Latin message RTL. */
    size_t nl, tl;
    const uint16_t *n = U(shalom, &nl);
    const uint16_t *x = U("latin", &tl);
    s = chatlog_append(log, 0, CHATLOG_CHAT, CHATLOG_RTL | CHATLOG_OWN, n, nl, x, tl);
    ck_assert_uint_eq(chatlog_line(log, s)->flags, CHATLOG_OWN);
    /* A notice is an English sentence around a name: an RTL name first
     * does not turn it around. */
    snprintf(text, sizeof text, "*** %s joined the chat ***", shalom);
    x = U(text, &tl);
    s = chatlog_append(log, 0, CHATLOG_NOTICE, 0, NULL, 0, x, tl);
    ck_assert(!(chatlog_line(log, s)->flags & CHATLOG_RTL));

    /* RTL rows break at spaces like any others. */
    snprintf(text, sizeof text, "%s", rep("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D ", 30));
    s = add(log, 0, "dan", text);
    uint32_t f[20], t[20];
    const ChatLogLine *l = chatlog_line(log, s);
    uint32_t rows = spans_of(log, s, f, t);
    ck_assert_uint_eq(rows, 3); /* the Hebrew name is the widest (40 px): 65 units a
                                   row, 13 words */
    for (uint32_t r = 0; r + 1 < rows; r++) {
        ck_assert_uint_eq(t[r] - f[r], 65);
        ck_assert_uint_eq(l->text[t[r] - 1], ' ');
        ck_assert_uint_ne(l->text[t[r]], ' ');
    }
    chatlog_free(log);
}
END_TEST

/* --- hit-testing
 * ---------------------------------------------------------------------------- */

START_TEST(test_chatlog_hit_at_the_column_edges)
{
    ChatLog *log = make_log(100, 800, 100);
    uint64_t s = add(log, 0, "alice", "hello");
    ChatLogPos p;
    ck_assert_int_eq(chatlog_text_x(log), 150);
    struct {
        int x;
        ChatLogWhere where;
        uint32_t off;
    } cases[] = {
        {-5, CHATLOG_HIT_TIME, 0},   {0, CHATLOG_HIT_TIME, 0},
        {89, CHATLOG_HIT_TIME, 0},   {90, CHATLOG_HIT_NAME, 0},
        {149, CHATLOG_HIT_NAME, 0},  {150, CHATLOG_HIT_TEXT, 5},
        {154, CHATLOG_HIT_TEXT, 5},  {155, CHATLOG_HIT_TEXT, 6},
        {164, CHATLOG_HIT_TEXT, 6},  {165, CHATLOG_HIT_TEXT, 7},
        {199, CHATLOG_HIT_TEXT, 10}, /* the row's last pixel */
        {200, CHATLOG_HIT_TEXT, 10}, {5000, CHATLOG_HIT_TEXT, 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(chatlog_hit(log, cases[i].x, 3, &p) == cases[i].where, "x %d",
                      cases[i].x);
        ck_assert_uint_eq(p.seq, s);
        ck_assert_msg(p.off == cases[i].off, "x %d: off %u", cases[i].x,
                      (unsigned)p.off);
    }
    /* Below the last row: nothing, at the end of the last line. */
    ck_assert_int_eq(chatlog_hit(log, 200, 10, &p), CHATLOG_HIT_NONE);
    ck_assert_uint_eq(p.seq, s);
    ck_assert_uint_eq(p.off, 10);
    ck_assert_int_eq(chatlog_hit(log, 200, 99999, NULL), CHATLOG_HIT_NONE);

    /* RTL: right-aligned, x mirrored in the column [150, 790). */
    const char *shalom = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";
    uint64_t r = add(log, 0, "dan", shalom); /* name 3, 4 letters */
    struct {
        int x;
        uint32_t off;
    } rtl[] = {{789, 3}, {785, 3}, {784, 4}, {780, 4}, {775, 4}, {774, 5},
               {756, 6}, {750, 7}, {740, 7}, {150, 7}, {800, 3}};
    for (size_t i = 0; i < sizeof rtl / sizeof rtl[0]; i++) {
        ck_assert_int_eq(chatlog_hit(log, rtl[i].x, 13, &p), CHATLOG_HIT_TEXT);
        ck_assert_uint_eq(p.seq, r);
        ck_assert_msg(p.off == rtl[i].off, "rtl x %d: off %u", rtl[i].x,
                      (unsigned)p.off);
    }
    /* Empty: nothing at all. */
    chatlog_clear(log);
    p.seq = 9;
    ck_assert_int_eq(chatlog_hit(log, 200, 0, &p), CHATLOG_HIT_NONE);
    ck_assert_uint_eq(p.seq, 0);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_hit_on_wrapped_rows_and_above_the_view)
{
    ChatLog *log = make_log(100, 800, 30); /* 3 rows in view */
    add(log, 0, "alice", "x");
    uint64_t s = add(log, 0, "alice", rep("a", 100)); /* rows [5,69) [69,105) */
    uint64_t e = add(log, 0, "alice", "end");
    ck_assert_uint_eq(chatlog_top(log).seq, s);
    ck_assert_uint_eq(chatlog_top(log).row, 0);
    ChatLogPos p;
    ck_assert_int_eq(chatlog_hit(log, 150, 10, &p), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(p.off, 69);
    ck_assert_int_eq(chatlog_hit(log, 150 + 639, 0, &p), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(p.off, 69); /* row 0's end */
    ck_assert_int_eq(chatlog_hit(log, 90, 15, &p), CHATLOG_HIT_NAME);
    ck_assert_uint_eq(p.seq, s);
    ck_assert_uint_eq(p.off, 0);
    ck_assert_int_eq(chatlog_hit(log, 160, 25, &p), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(p.seq, e);
    ck_assert_uint_eq(p.off, 6);
    /* Above the view (a drag past the top edge): the rows before. */
    ck_assert_int_eq(chatlog_hit(log, 150, -1, &p), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(p.seq, s - 1);
    ck_assert_uint_eq(p.off, 5);
    ck_assert_int_eq(chatlog_hit(log, 150, -2000000000, &p), CHATLOG_HIT_TEXT);
    ck_assert_uint_eq(p.seq, 1);
    ck_assert_int_eq(chatlog_hit(log, 2147483647, 2147483647, &p), CHATLOG_HIT_NONE);
    ck_assert_int_eq(chatlog_hit(log, -2147483647 - 1, -2147483647 - 1, &p),
                     CHATLOG_HIT_TIME);
    chatlog_free(log);
}
END_TEST

/* --- selection and plain text
 * ---------------------------------------------------------------- */

START_TEST(test_chatlog_format_is_exact)
{
    ChatLog *log = make_log(100, 800, 100);
    uint64_t a = add(log, 3661, "alice", "hello world");
    uint64_t b = add(log, 7322, NULL, "*** bob joined ***");
    uint64_t c = add(log, 45296, "bob", "a long message that wraps: ");
    uint64_t d = add(log, 86400 + 5, "carol", ""); /* time modulo a day; empty text */
    ck_assert_str_eq(fmt(log, P(a, 11), P(c, 4)),
                     "world\r\n[02:02:02] *** bob joined ***\r\n[12:34:56] bob: a");
    ck_assert_str_eq(fmt(log, P(c, 4), P(a, 11)), /* any order */
                     "world\r\n[02:02:02] *** bob joined ***\r\n[12:34:56] bob: a");
    ck_assert_str_eq(fmt(log, P(a, 0), P(a, 3)), "[01:01:01] ali");
    ck_assert_str_eq(fmt(log, P(a, 2), P(a, 7)), "ice: he");
    ck_assert_str_eq(fmt(log, P(a, 5), P(a, 10)), "hello");
    ck_assert_str_eq(fmt(log, P(a, 0), P(a, 5)), "[01:01:01] alice");
    ck_assert_str_eq(fmt(log, P(a, 0), P(a, 16)), "[01:01:01] alice: hello world");
    ck_assert_str_eq(fmt(log, P(a, 16), P(b, 0)), "\r\n");
    ck_assert_str_eq(fmt(log, P(a, 3), P(a, 3)), "");
    ck_assert_str_eq(fmt(log, P(b, 0), P(b, 3)), "[02:02:02] ***");
    ck_assert_str_eq(fmt(log, P(d, 0), P(d, 5)), "[00:00:05] carol: ");
    /* Clamped: a dropped or future seq, an offset past the end. */
    ck_assert_str_eq(fmt(log, P(0, 0), P(a, 999)), "[01:01:01] alice: hello world");
    ck_assert_str_eq(fmt(log, P(d, 0), P(999, 0)), "[00:00:05] carol: ");

    const char *all = "[01:01:01] alice: hello world\r\n"
                      "[02:02:02] *** bob joined ***\r\n"
                      "[12:34:56] bob: a long message that wraps: \r\n"
                      "[00:00:05] carol: \r\n";
    ck_assert_str_eq(fmt_all(log), all);
    chatlog_select_all(log);
    ChatLogPos f, t;
    ck_assert(chatlog_selection(log, &f, &t));
    char whole[400];
    snprintf(whole, sizeof whole, "%.*s", (int)strlen(all) - 2, all);
    ck_assert_str_eq(fmt(log, f, t), whole);

    /* cap: at most cap - 1 units and a NUL; the length is the whole. */
    uint16_t buf[8];
    memset(buf, 0xAB, sizeof buf);
    ck_assert_uint_eq(chatlog_format_all(log, buf, 5), strlen(all));
    ck_assert_str_eq(to8(buf, 4), "[01:");
    ck_assert_uint_eq(buf[4], 0);
    ck_assert_uint_eq(buf[5], 0xABAB);
    ck_assert_uint_eq(chatlog_format_all(log, buf, 1), strlen(all));
    ck_assert_uint_eq(buf[0], 0);
    chatlog_clear(log);
    ck_assert_uint_eq(chatlog_format_all(log, buf, 8), 0);
    ck_assert_uint_eq(buf[0], 0);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_selection_across_wrapped_rows_and_lines)
{
    ChatLog *log = make_log(100, 800, 100);
    add(log, 0, "alice", "x");
    char text[300];
    snprintf(text, sizeof text, "%s %s", rep("a", 60), rep("b", 30));
    uint64_t s = add(log, 0, "alice", text); /* rows [5,66) [66,96) */
    uint64_t e = add(log, 0, "bob", "next line");
    ChatLogPos p, q;
    /* Drag from row 0 to row 1 of the same line: no line break inside. */
    ck_assert_int_eq(chatlog_hit(log, 150 + 585, 15, &p), CHATLOG_HIT_TEXT); /* row 0 */
    ck_assert_int_eq(chatlog_hit(log, 150 + 45, 25, &q), CHATLOG_HIT_TEXT);  /* row 1 */
    ck_assert_uint_eq(p.seq, s);
    ck_assert_uint_eq(p.off, 5 + 59);
    ck_assert_uint_eq(q.off, 66 + 5);
    chatlog_select(log, p, q);
    ck_assert_str_eq(fmt(log, p, q), "a bbbbb");
    /* Into the next line, ending in its name. */
    ck_assert_int_eq(chatlog_hit(log, 100, 35, &q), CHATLOG_HIT_NAME);
    ck_assert_uint_eq(q.seq, e);
    chatlog_select(log, p, (ChatLogPos){e, 2});
    ChatLogPos f, t;
    ck_assert(chatlog_selection(log, &f, &t));
    snprintf(text, sizeof text, "a %s\r\n[00:00:00] bo", rep("b", 30));
    ck_assert_str_eq(fmt(log, f, t), text);
    /* Backwards: the same selection. */
    chatlog_select(log, (ChatLogPos){e, 2}, p);
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.seq, s);
    ck_assert_uint_eq(t.seq, e);
    ck_assert_uint_eq(chatlog_caret(log).seq, s);
    /* Never inside a surrogate pair. */
    uint64_t em = add(log, 0, "bob", "\xF0\x9F\x98\x80!");
    chatlog_select(log, P(em, 4), P(em, 5));
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.off, 3);
    chatlog_select_none(log);
    ck_assert(!chatlog_selection(log, &f, &t));
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_select_word_and_line)
{
    ChatLog *log = make_log(100, 800, 100);
    uint64_t s = add(log, 0, "alice", "hello, world  foo_bar");
    ChatLogPos f, t;
    struct {
        uint32_t at, from, to;
    } cases[] = {
        {5 + 8, 5 + 7, 5 + 12},   /* "world" */
        {5 + 5, 5 + 5, 5 + 6},    /* "," */
        {5 + 12, 5 + 12, 5 + 14}, /* the two spaces */
        {5 + 15, 5 + 14, 5 + 21}, /* "foo_bar" */
        {5 + 21, 5 + 14, 5 + 21}, /* the end: the word before */
        {2, 0, 5},                /* the name alone */
        {5, 5, 10},               /* the message's first word, not the name */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        chatlog_select_word(log, P(s, cases[i].at));
        ck_assert(chatlog_selection(log, &f, &t));
        ck_assert_msg(f.off == cases[i].from && t.off == cases[i].to, "at %u: [%u, %u)",
                      (unsigned)cases[i].at, (unsigned)f.off, (unsigned)t.off);
    }
    chatlog_select_line(log, P(s, 9));
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_str_eq(fmt(log, f, t), "[00:00:00] alice: hello, world  foo_bar");
    uint64_t e = add(log, 0, "bob", "");
    chatlog_select_word(log, P(e, 3)); /* an empty message: nothing */
    ck_assert(!chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(chatlog_caret(log).off, 3);
    chatlog_free(log);
}
END_TEST

/* --- keyboard
 * ------------------------------------------------------------------------------------
 */

START_TEST(test_chatlog_left_right_by_characters_and_words)
{
    ChatLog *log = make_log(100, 800, 100);
    uint64_t a = add(log, 0, "al",
                     "a\xF0\x9F\x98\x80"
                     "e\xCC\x81"
                     "b"); /* a, pair, e+mark, b */
    uint64_t b = add(log, 0, "bo", "x");
    chatlog_select(log, P(a, 2), P(a, 2));
    uint32_t want[] = {3, 5, 7, 8};
    for (size_t i = 0; i < 4; i++) {
        chatlog_move(log, CHATLOG_RIGHT, false);
        ck_assert_uint_eq(chatlog_caret(log).seq, a);
        ck_assert_uint_eq(chatlog_caret(log).off, want[i]);
    }
    chatlog_move(log, CHATLOG_RIGHT, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, b);
    ck_assert_uint_eq(chatlog_caret(log).off, 0);
    chatlog_move(log, CHATLOG_LEFT, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    ck_assert_uint_eq(chatlog_caret(log).off, 8);
    chatlog_move(log, CHATLOG_LEFT, true);
    chatlog_move(log, CHATLOG_LEFT, true);
    ck_assert_uint_eq(chatlog_caret(log).off, 5);
    ChatLogPos f, t;
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.off, 5);
    ck_assert_uint_eq(t.off, 8);
    /* Left with a selection collapses it to its start. */
    chatlog_move(log, CHATLOG_LEFT, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 5);
    ck_assert(!chatlog_selection(log, NULL, NULL));
    /* The first position stays put. */
    chatlog_move(log, CHATLOG_DOC_START, false);
    chatlog_move(log, CHATLOG_LEFT, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    ck_assert_uint_eq(chatlog_caret(log).off, 0);

    uint64_t w = add(log, 0, "alice", "one, two  three");
    chatlog_select(log, P(w, 0), P(w, 0));
    uint32_t right[] = {5, 5 + 3, 5 + 5, 5 + 10, 5 + 15};
    for (size_t i = 0; i < 5; i++) {
        chatlog_move(log, CHATLOG_WORD_RIGHT, false);
        ck_assert_msg(chatlog_caret(log).off == right[i], "word right %u: %u",
                      (unsigned)i, (unsigned)chatlog_caret(log).off);
    }
    uint32_t left[] = {5 + 10, 5 + 5, 5 + 3, 5, 0};
    for (size_t i = 0; i < 5; i++) {
        chatlog_move(log, CHATLOG_WORD_LEFT, true);
        ck_assert_msg(chatlog_caret(log).off == left[i], "word left %u: %u",
                      (unsigned)i, (unsigned)chatlog_caret(log).off);
    }
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.off, 0);
    ck_assert_uint_eq(t.off, 5 + 15);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_up_down_keep_x_and_extend)
{
    ChatLog *log = make_log(100, 800, 100);
    /* Notices: no name, text at 100 (time 90 + gap 10). */
    uint64_t a = add(log, 0, NULL, rep("a", 10));
    uint64_t b = add(log, 0, NULL, rep("b", 20));
    uint64_t c = add(log, 0, NULL, "cc");
    ck_assert_int_eq(chatlog_text_x(log), 100);
    chatlog_select(log, P(b, 15), P(b, 15));
    chatlog_move(log, CHATLOG_UP, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    ck_assert_uint_eq(chatlog_caret(log).off, 10);
    chatlog_move(log, CHATLOG_UP, false); /* the first row: no move */
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    chatlog_move(log, CHATLOG_DOWN, false); /* the x it started from */
    ck_assert_uint_eq(chatlog_caret(log).seq, b);
    ck_assert_uint_eq(chatlog_caret(log).off, 15);
    chatlog_move(log, CHATLOG_DOWN, true);
    ck_assert_uint_eq(chatlog_caret(log).seq, c);
    ck_assert_uint_eq(chatlog_caret(log).off, 2);
    chatlog_move(log, CHATLOG_DOWN, true); /* the last row: no move */
    ck_assert_uint_eq(chatlog_caret(log).seq, c);
    chatlog_move(log, CHATLOG_UP, true);
    ck_assert_uint_eq(chatlog_caret(log).seq, b);
    ck_assert_uint_eq(chatlog_caret(log).off, 15);
    chatlog_move(log, CHATLOG_DOWN, true);
    ChatLogPos f, t;
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.seq, b);
    ck_assert_uint_eq(f.off, 15);
    ck_assert_uint_eq(t.seq, c);
    ck_assert_str_eq(fmt(log, f, t), "bbbbb\r\n[00:00:00] cc");

    /* Within a wrapped line: from row 1 to row 0 at the same x. */
    uint64_t w = add(log, 0, NULL, rep("w", 100)); /* 69 a row (690 px) */
    chatlog_select(log, P(w, 69 + 20), P(w, 69 + 20));
    chatlog_move(log, CHATLOG_UP, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, w);
    ck_assert_uint_eq(chatlog_caret(log).off, 20);
    chatlog_move(log, CHATLOG_DOWN, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 89);
    /* Home and End on a row. */
    chatlog_move(log, CHATLOG_ROW_START, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 69);
    chatlog_move(log, CHATLOG_ROW_END, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 100);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_home_end_and_pages)
{
    ChatLog *log = make_log(100, 800, 100); /* 10 rows a page */
    char text[300];
    snprintf(text, sizeof text, "%s %s", rep("a", 60), rep("b", 30));
    uint64_t s = add(log, 0, "alice", text); /* rows [5,66) [66,96) */
    chatlog_select(log, P(s, 20), P(s, 20));
    chatlog_move(log, CHATLOG_ROW_END, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 65); /* before the space it wrapped at */
    chatlog_move(log, CHATLOG_ROW_START, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 5); /* the message's start */
    chatlog_move(log, CHATLOG_ROW_START, true);
    ck_assert_uint_eq(chatlog_caret(log).off, 0); /* then the line's */
    chatlog_select(log, P(s, 70), P(s, 70));
    chatlog_move(log, CHATLOG_ROW_START, false);
    ck_assert_uint_eq(chatlog_caret(log).off, 66);

    for (int i = 0; i < 49; i++)
        add(log, 0, "alice", "line");
    ck_assert(chatlog_following(log));
    chatlog_move(log, CHATLOG_DOC_START, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, 1);
    ck_assert_uint_eq(chatlog_caret(log).off, 0);
    ck_assert_uint_eq(chatlog_top(log).seq, 1);
    ck_assert(!chatlog_following(log));
    chatlog_select(log, P(2, 7), P(2, 7)); /* x 170 */
    chatlog_move(log, CHATLOG_PAGE_DOWN, false);
    ck_assert_uint_eq(chatlog_caret(log).seq, 12);
    ck_assert_uint_eq(chatlog_caret(log).off, 7);
    ck_assert_uint_eq(chatlog_top(log).seq, 10); /* line 1 has two rows */
    ck_assert_uint_eq(chatlog_top(log).row, 0);
    chatlog_move(log, CHATLOG_PAGE_UP, true);
    ck_assert_uint_eq(chatlog_caret(log).seq, 2);
    ck_assert_uint_eq(chatlog_caret(log).off, 7);
    ck_assert_uint_eq(chatlog_top(log).seq, 1);
    ck_assert_uint_eq(chatlog_top(log).row, 0);
    chatlog_move(log, CHATLOG_PAGE_UP, true); /* clamped at the first row, same x */
    ck_assert_uint_eq(chatlog_caret(log).seq, 1);
    ck_assert_uint_eq(chatlog_caret(log).off, 7);
    ck_assert_uint_eq(chatlog_top(log).row, 0);
    chatlog_move(log, CHATLOG_DOC_END, true);
    ck_assert_uint_eq(chatlog_caret(log).seq, 50);
    ck_assert_uint_eq(chatlog_caret(log).off, 9);
    ck_assert(chatlog_following(log)); /* the caret took the view to the bottom */
    ChatLogPos f, t;
    ck_assert(chatlog_selection(log, &f, &t));
    ck_assert_uint_eq(f.seq, 12); /* the anchor of the last move without Shift */
    ck_assert_uint_eq(f.off, 7);
    chatlog_move(log, CHATLOG_PAGE_DOWN, false); /* the last row: stays */
    ck_assert_uint_eq(chatlog_caret(log).seq, 50);
    chatlog_free(log);
}
END_TEST

/* --- scrolling and following
 * ------------------------------------------------------------------------ */

static int visited;
static uint64_t visit_seq[64];
static uint32_t visit_row[64];
static int visit_y[64];

static bool record(void *ctx, uint64_t seq, uint32_t row, int y)
{
    (void)ctx;
    visit_seq[visited] = seq;
    visit_row[visited] = row;
    visit_y[visited] = y;
    return ++visited < 64;
}

START_TEST(test_chatlog_follow_and_waiting)
{
    ChatLog *log = make_log(1000, 800, 100); /* 10 rows */
    for (int i = 0; i < 5; i++)
        add(log, 0, "bob", "hi");
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_top(log).seq, 1); /* all fits */
    for (int i = 0; i < 20; i++)
        add(log, 0, "bob", "hi");
    ck_assert_uint_eq(chatlog_top(log).seq, 16);
    ck_assert_uint_eq(chatlog_top_index(log), 15);
    ck_assert_uint_eq(chatlog_waiting(log), 0);

    chatlog_scroll_rows(log, -3);
    ck_assert(!chatlog_following(log));
    ck_assert_uint_eq(chatlog_top(log).seq, 13);
    for (int i = 0; i < 4; i++)
        add(log, 0, "bob", "hi");
    ck_assert_uint_eq(chatlog_waiting(log), 4);
    ck_assert_uint_eq(chatlog_top(log).seq, 13); /* the view stays */
    chatlog_scroll_rows(log, 100);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_waiting(log), 0);
    ck_assert_uint_eq(chatlog_top(log).seq, 20);
    chatlog_scroll_rows(log, -1);
    add(log, 0, "bob", "hi");
    add(log, 0, "bob", "hi");
    ck_assert_uint_eq(chatlog_waiting(log), 2);
    chatlog_scroll_end(log);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_waiting(log), 0);
    ck_assert_uint_eq(chatlog_top(log).seq, 22);

    /* A wrapped line while following: its last row at the bottom. */
    add(log, 0, "bob", rep("w", 150)); /* 3 rows at 64 (name col 30: 66 a row) */
    ck_assert_uint_eq(chatlog_rows(log, 32), 3);
    visited = 0;
    chatlog_visit_rows(log, 0, 100, record, NULL);
    ck_assert_int_eq(visited, 10);
    ck_assert_uint_eq(visit_seq[9], 32);
    ck_assert_uint_eq(visit_row[9], 2);
    ck_assert_int_eq(visit_y[9], 90);
    ck_assert_uint_eq(visit_seq[0], 25);
    ck_assert_int_eq(visit_y[0], 0);
    /* Only the rows in [25, 45). */
    visited = 0;
    chatlog_visit_rows(log, 25, 45, record, NULL);
    ck_assert_int_eq(visited, 3);
    ck_assert_uint_eq(visit_seq[0], 27);
    ck_assert_int_eq(visit_y[0], 20);
    ck_assert_int_eq(visit_y[2], 40);
    uint64_t first, last;
    chatlog_lines_in_view(log, &first, &last);
    ck_assert_uint_eq(first, 25);
    ck_assert_uint_eq(last, 32);

    /* Scroll bar positions, home, and a partial scroll into a line. */
    chatlog_scroll_to_index(log, 3);
    ck_assert_uint_eq(chatlog_top(log).seq, 4);
    ck_assert(!chatlog_following(log));
    chatlog_scroll_to_index(log, 99999);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_top(log).seq, 25);
    chatlog_scroll_rows(log, -(long)1e9);
    ck_assert_uint_eq(chatlog_top(log).seq, 1);
    chatlog_scroll_home(log);
    ck_assert_uint_eq(chatlog_top_index(log), 0);
    chatlog_scroll_end(log);
    chatlog_scroll_rows(log, -8);
    ck_assert_uint_eq(chatlog_top(log).seq, 17);
    chatlog_scroll_rows(log, 7);
    ck_assert_uint_eq(chatlog_top(log).seq, 24);
    ck_assert(!chatlog_following(log));
    chatlog_scroll_rows(log, 1);
    ck_assert(chatlog_following(log));
    ck_assert_int_eq(chatlog_page_rows(log), 10);
    chatlog_scroll_rows(log, -1);

    /* A taller window with room for everything follows again. */
    ChatLogGeometry g = {800, 1000, 10, 90, 100, 10};
    chatlog_set_geometry(log, &g);
    ck_assert(chatlog_following(log));
    ck_assert_uint_eq(chatlog_top(log).seq, 1);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_view_text_and_odd_geometry)
{
    ChatLog *log = make_log(100, 800, 20);
    add(log, 60, "a", "one");
    add(log, 120, "b", "two");
    add(log, 180, "c", "three");
    uint16_t buf[200];
    size_t n = chatlog_format_view(log, buf, 200);
    ck_assert_str_eq(to8(buf, n), "[00:02:00] b: two\r\n[00:03:00] c: three\r\n");
    ck_assert_uint_eq(chatlog_format_view(log, NULL, 0), n);

    ChatLogGeometry g = {-5, -5, 0, -1, -100, -3};
    chatlog_set_geometry(log, &g);
    ck_assert_int_eq(chatlog_page_rows(log), 1);
    ck_assert_int_eq(chatlog_text_x(log), 0);
    ck_assert_uint_eq(chatlog_top(log).seq, 3);
    g = (ChatLogGeometry){2000000000, 2000000000, 2000000000,
                          2000000000, 2000000000, 2000000000};
    chatlog_set_geometry(log, &g);
    ck_assert_int_eq(chatlog_page_rows(log), 1);
    ck_assert_int_eq(chatlog_text_x(log), 2000010);
    ck_assert_uint_eq(chatlog_rows(log, 1), 3); /* no room: a character a row */
    chatlog_free(log);
}
END_TEST

/* --- styled runs
 * --------------------------------------------------------------------------------------
 */

/* Checks that runs tile [from, to) exactly, adjacent ones differing. */
static void check_tiles(const ChatLogSpan *sp, size_t n, uint32_t from, uint32_t to)
{
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(sp[0].from, from);
    ck_assert_uint_eq(sp[n - 1].to, to);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(sp[i].from, sp[i].to);
        if (i > 0) {
            ck_assert_uint_eq(sp[i].from, sp[i - 1].to);
            ck_assert_uint_ne(sp[i].style, sp[i - 1].style);
        }
    }
}

START_TEST(test_chatlog_spans_cover_exactly)
{
    ChatLog *log = make_log(100, 800, 100);
    uint64_t s = add(log, 0, "alice", "see http://x.org now");
    ChatLogSpan sp[16];
    size_t nl;
    ck_assert_uint_eq(chatlog_find_set(log, U("now", &nl), 3), 1);
    ck_assert(chatlog_find_next(log, false));
    size_t n = chatlog_spans(log, s, 0, 25, sp, 16);
    const unsigned L = CHATLOG_SPAN_LINK, S = CHATLOG_SPAN_SELECTED,
                   M = CHATLOG_SPAN_MATCH, C = CHATLOG_SPAN_CURRENT;
    struct {
        uint32_t from, to;
        unsigned style;
    } want1[] = {{0, 9, 0}, {9, 21, L}, {21, 22, 0}, {22, 25, S | M | C}};
    ck_assert_uint_eq(n, 4);
    check_tiles(sp, n, 0, 25);
    for (size_t i = 0; i < n; i++)
        ck_assert(sp[i].from == want1[i].from && sp[i].to == want1[i].to &&
                  sp[i].style == want1[i].style);

    chatlog_select(log, P(s, 7), P(s, 12)); /* no longer the current hit */
    n = chatlog_spans(log, s, 0, 25, sp, 16);
    struct {
        uint32_t from, to;
        unsigned style;
    } want2[] = {{0, 7, 0},   {7, 9, S},   {9, 12, S | L},
                 {12, 21, L}, {21, 22, 0}, {22, 25, M}};
    ck_assert_uint_eq(n, 6);
    check_tiles(sp, n, 0, 25);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(sp[i].from == want2[i].from && sp[i].to == want2[i].to &&
                          sp[i].style == want2[i].style,
                      "run %u: [%u, %u) %u", (unsigned)i, (unsigned)sp[i].from,
                      (unsigned)sp[i].to, sp[i].style);
    /* A row's part: a link and a hit cut at its edges. */
    n = chatlog_spans(log, s, 10, 23, sp, 16);
    ck_assert_uint_eq(n, 4);
    check_tiles(sp, n, 10, 23);
    ck_assert_uint_eq(sp[0].style, S | L);
    ck_assert_uint_eq(sp[3].from, 22);
    ck_assert_uint_eq(sp[3].style, M);
    /* At most max, in order. */
    ck_assert_uint_eq(chatlog_spans(log, s, 0, 25, sp, 2), 2);
    ck_assert_uint_eq(sp[1].to, 9);
    ck_assert_uint_eq(chatlog_spans(log, s, 5, 5, sp, 16), 0);
    ck_assert_uint_eq(chatlog_spans(log, 99, 0, 5, sp, 16), 0);
    n = chatlog_spans(log, s, 20, 1000, sp, 16); /* clamped to the line */
    check_tiles(sp, n, 20, 25);

    /* Hits in the name, overlapping hits, a selection across lines. */
    uint64_t t = add(log, 0, "nana", "banana");
    ck_assert_uint_eq(chatlog_find_set(log, U("ANA", &nl), 3),
                      3); /* n(ana) + b(ana)(na) */
    chatlog_select(log, P(s, 24), P(t, 2));
    n = chatlog_spans(log, t, 0, 10, sp, 16);
    struct {
        uint32_t from, to;
        unsigned style;
    } want3[] = {{0, 1, S}, {1, 2, S | M}, {2, 4, M}, {4, 5, 0}, {5, 10, M}};
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(sp[i].from == want3[i].from && sp[i].to == want3[i].to &&
                          sp[i].style == want3[i].style,
                      "run %u: [%u, %u) %u", (unsigned)i, (unsigned)sp[i].from,
                      (unsigned)sp[i].to, sp[i].style);
    chatlog_free(log);
}
END_TEST

/* --- links
 * ----------------------------------------------------------------------------------------------
 */

START_TEST(test_chatlog_links_and_lookalikes)
{
    struct {
        const char *text;
        int from, to; /* -1: no link */
    } cases[] = {
        {"http://a.b", 0, 10},
        {"see https://example.org/p?q=1#f.", 4, 31},
        {"www.example.com", 0, 15},
        {"WWW.Example.COM/x", 0, 17},
        {"HTTP://X.ORG", 0, 12},
        {"(see http://x.org)", 5, 17},
        {"http://x.org/a_(b)", 0, 18},
        {"http://x.org/a_(b)).", 0, 18},
        {"[http://x.org/a]", 1, 15},
        {"<http://x.org>", 1, 13},
        {"\"http://x.org\"", 1, 13},
        {"a,http://x.org!", 2, 14},
        {"http://localhost:8080/x", 0, 23},
        {"go: www.x.org, now", 4, 13},
        {"http://x.org\xE2\x80\xAE"
         "gro",
         0, 12},                                         /* ends at an override */
        {"\xE3\x80\x8Chttp://x.org\xE3\x80\x8D", 1, 13}, /* CJK brackets */
        {"xhttp://a.b", -1, -1},
        {"http:/a.b", -1, -1},
        {"https://", -1, -1},
        {"https:// ", -1, -1},
        {"http:// x", -1, -1},
        {"www.", -1, -1},
        {"www.x", -1, -1},
        {"www.x.", -1, -1},
        {"www..x", -1, -1},
        {"wwww.a.b", -1, -1}, /* not a link start at "wwww", nor at its "www" */
        {"file:///c:/x", -1, -1},
        {"javascript:alert(1)", -1, -1},
        {"ftp://a.b", -1, -1},
        {"hxxp://a.b", -1, -1},
        {"\xEF\xBD\x88\xEF\xBD\x94\xEF\xBD\x94\xEF\xBD\x90://a.b", -1,
         -1},                               /* fullwidth */
        {"htt\xD1\x80://a.b", -1, -1},      /* Cyrillic er */
        {"\xD1\x80http://a.b", -1, -1},     /* after a Cyrillic letter */
        {"\xE2\x80\xAEhttp://a.b", -1, -1}, /* after an override */
        {"http://.x", -1, -1},
        {"http://-x", -1, -1},
        {"http://user@evil.example", -1, -1}, /* no user part: it hides the host */
        {"http://a.b:x", -1, -1},
        {"http://a.b,c", -1, -1},
        {"mailto:a@b.c", -1, -1},
        {"xwww.a.b", -1, -1},
        {"a/www.a.b", -1, -1},
        {"", -1, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n, f = 99, t = 99;
        const uint16_t *s = U(cases[i].text, &n);
        bool found = u16_find_link(s, n, 0, &f, &t);
        if (cases[i].from < 0) {
            ck_assert_msg(!found, "%s: found [%u, %u)", cases[i].text, (unsigned)f,
                          (unsigned)t);
        } else {
            ck_assert_msg(found, "%s: not found", cases[i].text);
            ck_assert_msg(f == (size_t)cases[i].from && t == (size_t)cases[i].to,
                          "%s: [%u, %u)", cases[i].text, (unsigned)f, (unsigned)t);
        }
    }
    /* From a start offset: the next link only. */
    size_t n, f, t;
    const uint16_t *s = U("http://a.b http://c.d", &n);
    ck_assert(u16_find_link(s, n, 1, &f, &t));
    ck_assert_uint_eq(f, 11);
    ck_assert(!u16_find_link(s, n, 12, &f, &t));
    ck_assert(!u16_find_link(NULL, 5, 0, &f, &t));

    /* The address to open. */
    char url[64];
    s = U("www.x.org", &n);
    ck_assert_uint_eq(u16_link_url(s, n, url, n + 8), n + 7);
    ck_assert_str_eq(url, "http://www.x.org");
    ck_assert_uint_eq(u16_link_url(s, n, url, n + 7), 0);
    ck_assert_str_eq(url, "");
    s = U("https://x.org/a", &n);
    ck_assert_uint_eq(u16_link_url(s, n, url, n + 1), n);
    ck_assert_str_eq(url, "https://x.org/a");
    s = U("http://x.org/\xC3\xA9", &n);
    ck_assert_uint_eq(u16_link_url(s, n, url, sizeof url), 0);
    ck_assert_uint_eq(u16_link_url(s, n, url, 0), 0);
    s = U("HTTPS://X.ORG/A", &n); /* the scheme lower-cased, the rest as it is */
    ck_assert_uint_eq(u16_link_url(s, n, url, sizeof url), n);
    ck_assert_str_eq(url, "https://X.ORG/A");

    /* Long runs: a link is at most U16_LINK_MAX units; a 64 KB run of
     * candidates holds none (and is looked through once, not once per
     * candidate: this was quadratic), while a link at its very end, within
     * the limit, is still found. */
    static uint16_t big[65536 + 64];
    size_t bn = 0;
    while (bn + 8 <= 65536) {
        static const char pat[] = "(http://";
        for (int k = 0; k < 8; k++)
            big[bn++] = (uint16_t)pat[k];
    }
    ck_assert(!u16_find_link(big, bn, 0, &f, &t));
    size_t keep = bn;
    static const char good[] = " (http://a.org/x)";
    for (size_t k = 0; good[k]; k++)
        big[bn++] = (uint16_t)good[k];
    ck_assert(u16_find_link(big, bn, 0, &f, &t));
    ck_assert_uint_eq(f, keep + 2);
    ck_assert_uint_eq(t, bn - 1);
    /* Exactly U16_LINK_MAX units is a link, one more is none. */
    static uint16_t edge[U16_LINK_MAX + 2];
    static const char head[] = "http://a.org/";
    size_t hn = sizeof head - 1;
    for (size_t k = 0; k < U16_LINK_MAX + 1; k++)
        edge[k] = k < hn ? (uint16_t)head[k] : 'x';
    ck_assert(u16_find_link(edge, U16_LINK_MAX, 0, &f, &t));
    ck_assert_uint_eq(t, U16_LINK_MAX);
    ck_assert(!u16_find_link(edge, U16_LINK_MAX + 1, 0, &f, &t));

    /* In a line: offsets into text[], in the message only. */
    ChatLog *log = make_log(100, 800, 100);
    uint64_t q = add(log, 0, "www.x.org", "go to www.a.org, or not");
    uint32_t lf, lt;
    ck_assert(!chatlog_link_at(log, P(q, 3), &lf, &lt)); /* the name is no link */
    ck_assert(chatlog_link_at(log, P(q, 9 + 6), &lf, &lt));
    ck_assert_uint_eq(lf, 15);
    ck_assert_uint_eq(lt, 24);
    ck_assert(chatlog_link_at(log, P(q, 23), &lf, &lt));
    ck_assert(!chatlog_link_at(log, P(q, 24), &lf, &lt)); /* the comma */
    ck_assert(!chatlog_link_at(log, P(q, 10), &lf, &lt));
    ck_assert(!chatlog_link_at(log, P(q + 1, 10), &lf, &lt));
    chatlog_free(log);
}
END_TEST

/* --- search
 * ------------------------------------------------------------------------------------------------
 */

START_TEST(test_chatlog_search_counts_wraps_and_goes_back)
{
    ChatLog *log = make_log(100, 800, 30);
    uint64_t a = add(log, 0, "alice", "Hello world, hello");
    add(log, 0, "bob", "nothing here");
    uint64_t c = add(log, 0, "HELLO_kitty", "say HELLO");
    size_t n;
    const uint16_t *needle = U("hello", &n);
    ck_assert_uint_eq(chatlog_find_set(log, needle, n), 4);
    ck_assert_uint_eq(chatlog_find_count(log), 4);
    struct {
        uint64_t seq;
        uint32_t off;
    } fwd[] = {{a, 5}, {a, 18}, {c, 0}, {c, 15}, {a, 5}};
    chatlog_select(log, P(a, 0), P(a, 0));
    for (size_t i = 0; i < 5; i++) {
        ck_assert(chatlog_find_next(log, false));
        ChatLogPos f, t;
        ck_assert(chatlog_selection(log, &f, &t));
        ck_assert_msg(f.seq == fwd[i].seq && f.off == fwd[i].off, "hit %u: %u@%u",
                      (unsigned)i, (unsigned)f.off, (unsigned)f.seq);
        ck_assert_uint_eq(t.off, fwd[i].off + 5);
    }
    ck_assert(chatlog_find_next(log, true)); /* back: wraps to the last */
    ck_assert_uint_eq(chatlog_caret(log).seq, c);
    ck_assert_uint_eq(chatlog_caret(log).off, 20);
    ck_assert(chatlog_find_next(log, true));
    ck_assert_uint_eq(chatlog_caret(log).off, 5); /* the name's hit */
    /* The hit is scrolled into view. */
    chatlog_find_next(log, true);
    chatlog_find_next(log, true);
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    /* The hit is scrolled into view: 20 lines below it, following. */
    for (int i = 0; i < 20; i++)
        add(log, 0, "z", "zzz");
    ck_assert_uint_eq(chatlog_top(log).seq, 21);
    ck_assert(chatlog_find_next(log, false)); /* (a, 18) */
    ck_assert_uint_eq(chatlog_caret(log).seq, a);
    ck_assert_uint_eq(chatlog_caret(log).off, 23);
    ck_assert_uint_eq(chatlog_top(log).seq, a);
    ck_assert(!chatlog_following(log));
    chatlog_scroll_end(log);
    ck_assert(chatlog_find_next(log, false)); /* on from the current hit: c's name */
    ck_assert_uint_eq(chatlog_caret(log).seq, c);
    ck_assert_uint_eq(chatlog_caret(log).off, 5);
    ck_assert_uint_eq(chatlog_top(log).seq, c);
    /* From the caret when the user moved it. */
    chatlog_select(log, P(c, 3), P(c, 3));
    ck_assert(chatlog_find_next(log, false));
    ck_assert_uint_eq(chatlog_caret(log).off, 20);
    chatlog_select(log, P(c, 3), P(c, 3));
    ck_assert(chatlog_find_next(log, true));
    ck_assert_uint_eq(chatlog_caret(log).seq, c);
    ck_assert_uint_eq(chatlog_caret(log).off, 5);

    /* Counts follow appends; never across the name and the message. */
    add(log, 0, "x", "hellohello");
    ck_assert_uint_eq(chatlog_find_count(log), 6);
    add(log, 0, "hel", "lo");
    ck_assert_uint_eq(chatlog_find_count(log), 6);
    ck_assert_uint_eq(chatlog_find_set(log, U("", &n), 0), 0);
    ck_assert(!chatlog_find_next(log, false));
    ck_assert_uint_eq(find(log, "absent"), 0);
    ck_assert(!chatlog_find_next(log, false));

    /* A lone surrogate is found alone, never as half of a pair (found by
     * fuzz_chatlog: the hit's selection was snapped to nothing). */
    const uint16_t name[] = {'z', 0xD83D};
    const uint16_t text[] = {0xDE00, 0xD83D, 0xDE00, ' ', 0xD83D, 'x'};
    const uint16_t lone = 0xD83D;
    uint64_t q = chatlog_append(log, 0, CHATLOG_CHAT, 0, name, 2, text, 6);
    ck_assert_uint_eq(chatlog_find_set(log, &lone, 1), 2); /* the name's end, text[4] */
    chatlog_select(log, P(q, 2), P(q, 2));
    ck_assert_uint_eq(chatlog_caret(log).off, 2); /* the name's end is a boundary */
    ck_assert(chatlog_find_next(log, false));
    ChatLogPos hf, ht;
    ck_assert(chatlog_selection(log, &hf, &ht));
    ck_assert_uint_eq(hf.seq, q);
    ck_assert_uint_eq(hf.off, 6);
    ck_assert_uint_eq(ht.off, 7);
    ck_assert(chatlog_find_next(log, false)); /* wraps to the name's */
    ck_assert(chatlog_selection(log, &hf, &ht));
    ck_assert_uint_eq(hf.off, 1);
    ck_assert_uint_eq(ht.off, 2);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_search_folds_latin_greek_cyrillic)
{
    ChatLog *log = make_log(100, 800, 100);
    add(log, 0, "\xC3\x89LODIE",
        "\xC3\x89"
        "COLE \xC3\xA9"
        "cole"); /* ÉLODIE: ÉCOLE école */
    add(log, 0, "ivan",
        "\xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2 \xD0\x81"); /* ПРИВЕТ Ё */
    add(log, 0, "sofia",
        "\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91\xCF\x82"); /* ΣΟΦΙΑς */
    ck_assert_uint_eq(find(log, "\xC3\xA9"
                                "cole"),
                      2);
    ck_assert_uint_eq(find(log, "\xC3\xA9lodie"), 1);
    ck_assert_uint_eq(find(log, "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"), 1);
    ck_assert_uint_eq(find(log, "\xD1\x91"), 1); /* ё */
    ck_assert_uint_eq(find(log, "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1\xCF\x83"), 1);
    ck_assert_uint_eq(find(log, "ecole"), 0); /* no accent folding */
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_fold_is_simple_and_idempotent)
{
    struct {
        uint16_t from, to;
    } pairs[] = {{'A', 'a'},     {'z', 'z'},     {'0', '0'},       {0xC9, 0xE9},
                 {0xDE, 0xFE},   {0xD7, 0xD7},   {0xDF, 0xDF},     {0x178, 0xFF},
                 {0xB5, 0x3BC},  {0x100, 0x101}, {0x101, 0x101},   {0x141, 0x142},
                 {0x17D, 0x17E}, {0x17F, 's'},   {0x391, 0x3B1},   {0x3A3, 0x3C3},
                 {0x3C2, 0x3C3}, {0x386, 0x3AC}, {0x38F, 0x3CE},   {0x401, 0x451},
                 {0x416, 0x436}, {0x436, 0x436}, {0x462, 0x463},   {0x4C1, 0x4C2},
                 {0x4C0, 0x4CF}, {0x4D0, 0x4D1}, {0x6F22, 0x6F22}, {0xD800, 0xD800}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        ck_assert_msg(u16_fold(pairs[i].from) == pairs[i].to, "U+%04X -> U+%04X",
                      pairs[i].from, u16_fold(pairs[i].from));
    for (uint32_t c = 0; c < 0x10000; c++) {
        uint16_t f = u16_fold((uint16_t)c);
        ck_assert_msg(u16_fold(f) == f, "U+%04X", (unsigned)c);
        ck_assert((c < 0x80) == (f < 0x80) || c == 0x17F);
    }
}
END_TEST

/* --- mentions and the marker
 * --------------------------------------------------------------------------------- */

START_TEST(test_chatlog_mentions_whole_words)
{
    struct {
        const char *text, *name;
        bool yes;
    } cases[] = {
        {"hi bob", "bob", true},
        {"Bob!", "bob", true},
        {"@BOB, look", "bob", true},
        {"bobby", "bob", false},
        {"kabob", "bob", false},
        {"bob_x", "bob", false},
        {"bob2", "bob", false},
        {"bobby and bob", "bob", true},
        {"\xC3\x89lodie?", "\xC3\xA9lodie", true},
        {"\xC3\xA9lodies", "\xC3\xA9lodie", false},
        {"\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, "
         "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD!",
         "\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD", true},
        {"\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2",
         "\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD", false},
        {"hi bob, jr.x", "bob, jr.", true}, /* ends in '.', no word to end */
        {"hi", "", false},
        {"b", "bob", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t tn, nn;
        const uint16_t *t = U(cases[i].text, &tn);
        const uint16_t *nm = U(cases[i].name, &nn);
        ck_assert_msg(u16_mentions(t, tn, nm, nn) == cases[i].yes, "%s / %s",
                      cases[i].text, cases[i].name);
    }
    ck_assert(!u16_mentions(NULL, 3, NULL, 3));
}
END_TEST

START_TEST(test_chatlog_marker_stays_on_a_stored_line)
{
    ChatLog *log = make_log(100, 800, 100);
    ck_assert_uint_eq(chatlog_marker(log), 0);
    chatlog_set_marker(log, 1);
    ck_assert_uint_eq(chatlog_marker(log), 0); /* nothing stored */
    for (int i = 0; i < 5; i++)
        add(log, 0, "bob", "x");
    chatlog_set_marker(log, 3);
    ck_assert_uint_eq(chatlog_marker(log), 3);
    chatlog_set_marker(log, 6);
    ck_assert_uint_eq(chatlog_marker(log), 0);
    chatlog_set_marker(log, 5);
    chatlog_set_marker(log, 0);
    ck_assert_uint_eq(chatlog_marker(log), 0);
    chatlog_free(log);
}
END_TEST

START_TEST(test_chatlog_null_and_out_of_memory_inputs_are_safe)
{
    ChatLog *log = chatlog_new(0, NULL, NULL); /* no fit: a pixel a unit */
    ck_assert_ptr_nonnull(log);
    ck_assert_uint_eq(chatlog_append(log, 0, (ChatLogKind)99, 0, NULL, 5, NULL, 5), 1);
    ck_assert_uint_eq(chatlog_line(log, 1)->kind, CHATLOG_CHAT);
    ck_assert_uint_eq(chatlog_line(log, 1)->len, 0);
    /* Over the maxima: cut, never inside a pair. */
    static uint16_t big[CHATLOG_MAX_TEXT + 10];
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        big[i] = i % 2 ? 0xDE00 : 0xD83D;
    uint64_t s = chatlog_append(log, 0, CHATLOG_CHAT, 0, big, CHATLOG_MAX_NAME + 5, big,
                                CHATLOG_MAX_TEXT + 9);
    const ChatLogLine *l = chatlog_line(log, s);
    ck_assert_uint_eq(l->name_len, CHATLOG_MAX_NAME); /* pairs end at the cut */
    ck_assert_uint_eq(l->len - l->name_len, CHATLOG_MAX_TEXT);
    big[CHATLOG_MAX_NAME - 1] = 0xD83D; /* a pair across the name's cut */
    big[CHATLOG_MAX_NAME] = 0xDE00;
    s = chatlog_append(log, 0, CHATLOG_CHAT, 0, big, CHATLOG_MAX_NAME + 5, big, 1);
    ck_assert_uint_eq(chatlog_line(log, s)->name_len, CHATLOG_MAX_NAME - 1);
    ChatLogGeometry g = {300, 100, 10, 10, 50, 5};
    chatlog_set_geometry(log, &g);
    ck_assert_uint_ge(chatlog_rows(log, 2), 2);
    chatlog_move(log, CHATLOG_DOC_END, true);
    chatlog_move(log, CHATLOG_UP, true);
    chatlog_relayout(log);
    chatlog_free(log);

    /* Every call on NULL does nothing. */
    chatlog_free(NULL);
    chatlog_set_max(NULL, 5);
    chatlog_clear(NULL);
    chatlog_set_geometry(NULL, &g);
    chatlog_relayout(NULL);
    chatlog_scroll_rows(NULL, 5);
    chatlog_scroll_end(NULL);
    chatlog_move(NULL, CHATLOG_UP, false);
    chatlog_select_all(NULL);
    ck_assert_uint_eq(chatlog_count(NULL), 0);
    ck_assert_uint_eq(chatlog_append(NULL, 0, CHATLOG_CHAT, 0, NULL, 0, NULL, 0), 0);
    ck_assert_uint_eq(chatlog_format_all(NULL, NULL, 0), 0);
    ck_assert_uint_eq(chatlog_find_set(NULL, NULL, 0), 0);
    ck_assert(!chatlog_find_next(NULL, false));
    ck_assert_int_eq(chatlog_hit(NULL, 0, 0, NULL), CHATLOG_HIT_NONE);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("chatlog");
    TCase *tc = tcase_create("chatlog");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_chatlog_line_header_is_small);
    tcase_add_test(tc, test_chatlog_ring_keeps_the_newest_and_never_reuses_seqs);
    tcase_add_test(tc, test_chatlog_drops_clamp_selection_top_marker_and_hits);
    tcase_add_test(tc, test_chatlog_a_hundred_thousand_lines);
    tcase_add_test(tc, test_chatlog_columns_follow_the_widest_name_up_to_the_cap);
    tcase_add_test(tc, test_chatlog_wraps_at_spaces_hyphens_and_inside_long_words);
    tcase_add_test(tc, test_chatlog_wraps_wide_characters_pairs_and_marks_whole);
    tcase_add_test(tc, test_chatlog_forged_line_stays_in_the_text_column);
    tcase_add_test(tc, test_chatlog_rtl_flag_and_rows);
    tcase_add_test(tc, test_chatlog_hit_at_the_column_edges);
    tcase_add_test(tc, test_chatlog_hit_on_wrapped_rows_and_above_the_view);
    tcase_add_test(tc, test_chatlog_format_is_exact);
    tcase_add_test(tc, test_chatlog_selection_across_wrapped_rows_and_lines);
    tcase_add_test(tc, test_chatlog_select_word_and_line);
    tcase_add_test(tc, test_chatlog_left_right_by_characters_and_words);
    tcase_add_test(tc, test_chatlog_up_down_keep_x_and_extend);
    tcase_add_test(tc, test_chatlog_home_end_and_pages);
    tcase_add_test(tc, test_chatlog_follow_and_waiting);
    tcase_add_test(tc, test_chatlog_view_text_and_odd_geometry);
    tcase_add_test(tc, test_chatlog_spans_cover_exactly);
    tcase_add_test(tc, test_chatlog_links_and_lookalikes);
    tcase_add_test(tc, test_chatlog_search_counts_wraps_and_goes_back);
    tcase_add_test(tc, test_chatlog_search_folds_latin_greek_cyrillic);
    tcase_add_test(tc, test_chatlog_fold_is_simple_and_idempotent);
    tcase_add_test(tc, test_chatlog_mentions_whole_words);
    tcase_add_test(tc, test_chatlog_marker_stays_on_a_stored_line);
    tcase_add_test(tc, test_chatlog_null_and_out_of_memory_inputs_are_safe);
    suite_add_tcase(s, tc);
    return s;
}
