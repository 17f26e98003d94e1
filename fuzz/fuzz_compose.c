/* fuzz_compose.c: core/compose.c, the client's checks on what the user
 * typed and its chat log lines built from what the server sent.
 *
 * Outside bytes: the send box's text (UTF-8 from the keyboard or a paste)
 * and every line the server sends, which the log shows with its local time.
 * Input: the text or line itself.
 *
 * Invariants: compose_check gives COMPOSE_OK only for a text that is not
 * blank, at most 1000 bytes, free of control characters (C0 but TAB, DEL)
 * and of "/quit", and otherwise the first reason in that order;
 * compose_explain writes a NUL-terminated sentence, non-empty for every
 * refusal, into every buffer size; compose_line_kind calls a line a notice
 * exactly when it starts with "*** ", ends with " ***" and is 8 bytes or
 * more; compose_log_line, sized as the window sizes it and in every smaller
 * buffer (exact-size allocations), writes within it, NUL-terminates, and
 * writes exactly what a model of compose.h says: the time stamp, the name
 * part (all of a notice, a chat line up to its first ": ") with every
 * invisible character spelled "<U+XXXX>" and never half a piece, then the
 * rest as it came, cut on a character boundary when room runs out, then as
 * much of the line-end mark (cut, unfinished, none) as fits; at the
 * window's size all of the line and all of the mark fit; compose_unsent
 * stays within every buffer size and keeps a whole message at its own. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compose.h"
#include "core/proto.h"
#include "core/utf8.h"
#include "fuzz/fuzz_common.h"

FUZZ_MODEL static ComposeCheck ref_check(const char *s, size_t len)
{
    size_t i;
    int blank = 1, control = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != ' ' && c != '\t')
            blank = 0;
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            control = 1;
    }
    if (blank)
        return COMPOSE_EMPTY;
    if (len > COMPOSE_MAX_BYTES)
        return COMPOSE_TOO_LONG;
    if (control)
        return COMPOSE_CONTROL;
    if (ref_contains(s, len, "/quit", 5))
        return COMPOSE_QUIT;
    return COMPOSE_OK;
}

static void check_explain(ComposeCheck c, size_t len)
{
    for (size_t size = 0; size <= 200; size += size < 20 ? 1 : 60) {
        char *out = malloc(size ? size : 1);
        FUZZ_CHECK(out != NULL);
        compose_explain(c, len, out, size);
        if (size > 0) {
            FUZZ_CHECK(nul_within(out, size));
            FUZZ_CHECK((c == COMPOSE_OK) == (out[0] == '\0') || size == 1);
        }
        free(out);
    }
}

/* The marks of compose.h's LineEnd values, and "" for a value out of range. */
static const char *const marks[] = {"", " [cut: longer than 64 KB]",
                                    " [unfinished: the connection ended]", ""};

/* Where the part of a line that can hold a name ends: all of a notice, up
 * to the first ": " of a chat line, all of a line without one. */
FUZZ_MODEL static size_t ref_name_end(const char *line, size_t len)
{
    if (len >= 8 && memcmp(line, "*** ", 4) == 0 &&
        memcmp(line + len - 4, " ***", 4) == 0)
        return len;
    for (size_t i = 0; i + 1 < len; i++)
        if (line[i] == ':' && line[i + 1] == ' ')
            return i;
    return len;
}

/* What compose_log_line must write into `size` bytes, into want[]: the
 * stamp (cut by snprintf when even it does not fit); the name part with
 * every invisible character, every space but U+0020, and a U+0020 at
 * either end of a chat line's name spelled "<U+XXXX>", and the bytes that
 * are not UTF-8 and blank in the ANSI code pages "<0xNN>", piece by piece while they
 * fit in the room left for the mark; if all of it fit, the rest of the line
 * as it came, cut on a character boundary; then as much of the mark as
 * fits. Returns the length; *whole says whether all of the line went in. */
FUZZ_MODEL static size_t ref_log_line(char *want, size_t size, const char *stamp,
                                      const char *line, size_t len, const char *mark,
                                      int *whole)
{
    size_t slen = strlen(stamp), mlen = strlen(mark), n, end, i = 0, m;
    size_t name_end = ref_name_end(line, len);

    *whole = 0;
    if (slen >= size) {
        memcpy(want, stamp, size - 1);
        return size - 1;
    }
    memcpy(want, stamp, slen);
    n = slen;
    end = size - 1 - n > mlen ? size - 1 - mlen : n;
    while (i < name_end) {
        char esc[16];
        const char *piece = line + i;
        unsigned long cp;
        size_t k = ref_utf8_decode((const unsigned char *)line + i, len - i, &cp);
        size_t step = k ? k : 1, plen = step;
        int at_edge = name_end < len && (i == 0 || i + step == name_end) && cp == ' ';
        if (k && (unicode_is_invisible(cp) || unicode_is_space(cp) || at_edge)) {
            plen = (size_t)snprintf(esc, sizeof esc, "<U+%04lX>", cp);
            piece = esc;
        } else if (!k && strchr("\xA0\xAD\x81\x8D\x8F\x90\x9D", line[i]) && line[i]) {
            plen = (size_t)snprintf(esc, sizeof esc, "<0x%02X>", (unsigned char)line[i]);
            piece = esc;
        }
        if (plen > end - n)
            break;
        memcpy(want + n, piece, plen);
        n += plen;
        i += step;
    }
    if (i >= name_end) {
        size_t keep = utf8_cut(line + i, len - i, end - n);
        memcpy(want + n, line + i, keep);
        n += keep;
        *whole = i + keep == len;
    }
    m = mlen < size - 1 - n ? mlen : size - 1 - n;
    memcpy(want + n, mark, m);
    return n + m;
}

static void check_log_line_size(const char *line, size_t show, const char *stamp,
                                LineEnd end, int h, int m, int s, size_t size,
                                int must_fit)
{
    const char *mark = marks[(unsigned)end];
    char *out = malloc(size ? size : 1); /* exact size: ASan sees one byte past */
    char *want = malloc(size ? size : 1);
    size_t n, wn;
    int whole;

    FUZZ_CHECK(out && want);
    n = compose_log_line(out, size, h, m, s, line, show, end);
    if (size == 0) {
        FUZZ_CHECK(n == 0);
    } else {
        FUZZ_CHECK(n < size && out[n] == '\0');
        wn = ref_log_line(want, size, stamp, line, show, mark, &whole);
        FUZZ_CHECK(n == wn && same_bytes(out, want, n));
        /* The window's size holds the whole line and its whole mark. */
        if (must_fit)
            FUZZ_CHECK(whole && n >= strlen(mark) &&
                       same_bytes(out + n - strlen(mark), mark, strlen(mark)));
    }
    free(out);
    free(want);
}

static void check_log_line(const char *line, size_t len, int h, int m, int s,
                           LineEnd end)
{
    char stamp[64];
    /* As the window sizes it (gui/logview.c): at most one server line's
     * worth of the line, COMPOSE_GROWTH bytes for each of its bytes (what a
     * name spells out) and 128 more, less 2 for the "\r\n". */
    size_t show = len > PROTO_OUT_MAX ? utf8_cut(line, len, PROTO_OUT_MAX) : len;
    size_t window = show * COMPOSE_GROWTH + 126;

    snprintf(stamp, sizeof stamp, "[%02d:%02d:%02d] ", h, m, s);
    check_log_line_size(line, show, stamp, end, h, m, s, window, h >= 0 && h < 24);
    /* Every small size for a normal stamp; a few for odd ones. */
    for (size_t size = 0; size < window; size += size < 48 ? 1 : 1 + size / 4) {
        if (h == 0 || size < 4 || size == window - 1)
            check_log_line_size(line, show, stamp, end, h, m, s, size, 0);
    }
}

/* compose_unsent in exact-size buffers from the full size down to 1: within
 * the buffer, NUL-terminated at the length it returns, and the message
 * whole at the full size. The
 * input is the message; the host and name are the longest there are. */
FUZZ_MODEL static void check_unsent(const char *s, size_t len)
{
    static char host[254], name[129];
    if (host[0] == 0) {
        memset(host, 'h', 253);
        for (int i = 0; i < 32; i++)
            memcpy(name + 4 * i, "\xE2\x80\x8B\x41", 4);
    }
    if (len > 1024)
        len = 1024;
    for (size_t cap = COMPOSE_UNSENT_MAX + 1; cap > 0; cap = cap > 64 ? cap - 61 : cap - 1) {
        char *out = malloc(cap);
        FUZZ_CHECK(out != NULL);
        size_t n = compose_unsent(out, cap, cap % 2, host, 65535, name, s, len);
        FUZZ_CHECK(n < cap && out[n] == '\0');
        if (cap == COMPOSE_UNSENT_MAX + 1)
            FUZZ_CHECK(n >= len && memcmp(out + n - len, s, len) == 0);
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ComposeCheck c = compose_check(s, size);
    static const int stamps[][3] = {
        {0, 0, 0}, {23, 59, 59}, {-1, 99, 100}, {INT_MIN, INT_MAX, 7}};

    FUZZ_CHECK(c == ref_check(s, size));
    check_explain(c, size);

    FUZZ_CHECK(
        compose_line_kind(s, size) ==
        (size >= 8 && memcmp(s, "*** ", 4) == 0 && memcmp(s + size - 4, " ***", 4) == 0
             ? LINE_NOTICE
             : LINE_CHAT));

    for (size_t t = 0; t < sizeof stamps / sizeof stamps[0]; t++)
        check_log_line(s, size, stamps[t][0], stamps[t][1], stamps[t][2],
                       (LineEnd)(size % 4)); /* 3: out of range, no mark */
    check_unsent(s, size);
    return 0;
}
