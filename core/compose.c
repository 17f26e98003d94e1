/* compose.c: the checks a typed message passes before it is sent, and the
 * chat log's lines (see compose.h). */
#include "core/compose.h"

#include <stdio.h>
#include <string.h>

#include "core/proto.h"
#include "core/utf8.h"

static const char *const end_marks[] = {
    [LINE_WHOLE] = "",
    [LINE_TOO_LONG] = " [cut: longer than 64 KB]",
    [LINE_UNFINISHED] = " [unfinished: the connection ended]",
};

/* Only ASCII space and TAB: a message of no-break spaces is odd, but it is
 * text the server would pass on, so it is not ours to refuse. */
static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* The server would silently remove these (all C0 but TAB) or pass DEL on;
 * either way the echo would not be what the user typed. */
static bool has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return true;
    }
    return false;
}

ComposeCheck compose_check(const char *text, size_t len)
{
    if (is_blank(text, len))
        return COMPOSE_EMPTY;
    if (len > COMPOSE_MAX_BYTES)
        return COMPOSE_TOO_LONG;
    if (has_control(text, len))
        return COMPOSE_CONTROL;
    if (proto_is_quit(text, len))
        return COMPOSE_QUIT;
    return COMPOSE_OK;
}

void compose_explain(ComposeCheck c, size_t len, char *out, size_t size)
{
    if (size == 0)
        return;
    switch (c) {
    case COMPOSE_EMPTY:
        snprintf(out, size, "Empty messages are not sent.");
        break;
    case COMPOSE_TOO_LONG:
        /* %lu, not %zu: msvcrt's printf may be the one doing the work. */
        snprintf(out, size,
                 "The message is %lu bytes; the most is %d (it must fit the shared "
                 "last-message field).",
                 (unsigned long)len, COMPOSE_MAX_BYTES);
        break;
    case COMPOSE_CONTROL:
        snprintf(out, size, "The message contains a control character.");
        break;
    case COMPOSE_QUIT:
        snprintf(out, size,
                 "The message contains %s, which ends the session on the server.",
                 PROTO_QUIT);
        break;
    default:
        out[0] = '\0';
        break;
    }
}

LineKind compose_line_kind(const char *line, size_t len)
{
    /* At least 8 bytes, so the opening "*** " and the closing " ***" are
     * two different marks and "*** ***" alone is not taken for a notice. */
    if (len >= 8 && memcmp(line, "*** ", 4) == 0 &&
        memcmp(line + len - 4, " ***", 4) == 0)
        return LINE_NOTICE;
    return LINE_CHAT;
}

/* The bytes at the start of a line that can hold a user's name: all of a
 * notice ("*** NAME joined the chat ***"), up to the first ": " of a chat
 * line, all of a line without one. */
static size_t name_part(const char *line, size_t len)
{
    if (compose_line_kind(line, len) == LINE_NOTICE)
        return len;
    for (size_t i = 0; i + 1 < len; i++)
        if (line[i] == ':' && line[i + 1] == ' ')
            return i;
    return len;
}

bool compose_ansi_blank(unsigned char b)
{
    return b == 0xA0 || b == 0xAD || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 ||
           b == 0x9D;
}

size_t compose_log_line(char *out, size_t size, int h, int m, int s, const char *line,
                        size_t len, LineEnd line_end)
{
    const char *end_mark = (unsigned)line_end < sizeof end_marks / sizeof end_marks[0]
                               ? end_marks[line_end]
                               : "";
    const size_t mark_len = strlen(end_mark);
    const size_t name_end = name_part(line, len);
    size_t n, end, i = 0, mark;
    int k;

    if (size == 0)
        return 0;
    k = snprintf(out, size, "[%02d:%02d:%02d] ", h, m, s);
    if (k < 0) {
        out[0] = '\0';
        return 0;
    }
    if ((size_t)k >= size)
        return size - 1; /* snprintf cut the stamp and ended it with a NUL */
    n = (size_t)k;
    /* When out is too small the line gives way, on a character boundary, so
     * the cut mark still says what happened: the line ends by `end`. */
    end = size - 1 - n > mark_len ? size - 1 - mark_len : n;

    /* A name shows its invisible characters as <U+XXXX> (our server removes
     * them; the original does not), so nobody passes for someone else; so
     * are spaces other than the plain one (a byte 0xA0 from an ANSI client
     * reads as a no-break space), and a plain space that begins or ends a
     * chat line's name ("bob " beside "bob"; a blank name before a text
     * that reads as a notice). */
    const bool chat = name_end < len;
    /* A byte that is not UTF-8 is an ANSI client's (the window shows such a
     * line in the ANSI code page): those that are a no-break space, a soft
     * hyphen or nothing at all in the Windows code pages go spelled out
     * too ("bob" + 0xA0 passed for bob). */
    while (i < name_end) {
        char esc[16];
        const char *piece = line + i;
        unsigned long cp;
        int cl = utf8_decode(line + i, len - i, &cp);
        size_t step = cl > 0 ? (size_t)cl : 1, plen = step;
        bool edge = i == 0 || i + step == name_end;
        if (cl > 0 && (unicode_is_invisible(cp) || unicode_is_space(cp) ||
                       (chat && edge && cp == ' '))) {
            plen = (size_t)snprintf(esc, sizeof esc, "<U+%04lX>", cp);
            piece = esc;
        } else if (cl <= 0 && compose_ansi_blank((unsigned char)line[i])) {
            plen = (size_t)snprintf(esc, sizeof esc, "<0x%02X>", (unsigned char)line[i]);
            piece = esc;
        }
        if (plen > end - n)
            break;
        memcpy(out + n, piece, plen);
        n += plen;
        i += step;
    }
    if (i >= name_end) { /* the rest, as it came */
        size_t keep = utf8_cut(line + i, len - i, end - n);
        memcpy(out + n, line + i, keep);
        n += keep;
    }
    mark = mark_len < size - 1 - n ? mark_len : size - 1 - n;
    memcpy(out + n, end_mark, mark);
    n += mark;
    out[n] = '\0';
    return n;
}

size_t compose_log_parts(char *out, size_t size, const char *line, size_t len, LineEnd end,
                         bool local, size_t *name_len)
{
    enum { STAMP = 11 }; /* "[00:00:00] " */
    *name_len = 0;
    if (size == 0)
        return 0;
    if (local) { /* ours, whole, cut on a character if it must be */
        size_t n = utf8_cut(line, len, size - 1);
        memcpy(out, line, n);
        out[n] = '\0';
        return n;
    }
    size_t n = compose_log_line(out, size, 0, 0, 0, line, len, end);
    if (n < STAMP) {
        out[0] = '\0';
        return 0;
    }
    n -= STAMP;
    memmove(out, out + STAMP, n + 1);
    /* The name part holds no ": " (it ends at the first) and its escapes
     * hold none either: the first ": " of a chat line is the separator. */
    if (compose_line_kind(line, len) == LINE_CHAT && name_part(line, len) < len) {
        for (size_t i = 0; i + 1 < n; i++) {
            if (out[i] == ':' && out[i + 1] == ' ') {
                memmove(out + i, out + i + 2, n - i - 1);
                *name_len = i;
                n -= 2;
                break;
            }
        }
    }
    return n;
}

bool compose_is_from(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    return n > 0 && len > n + 1 && memcmp(line, name, n) == 0 && line[n] == ':' &&
           line[n + 1] == ' ';
}

size_t compose_unsent(char *out, size_t size, bool maybe_delivered, const char *host,
                      unsigned port, const char *name, const char *text, size_t len)
{
    int k = snprintf(out, size,
                     maybe_delivered ? "--- perhaps not delivered (sent to %s:%u as %s, no echo "
                                       "came): "
                                     : "--- not sent (typed for %s:%u as %s): ",
                     host, port, name);
    if (k < 0)
        k = 0;
    if ((size_t)k >= size) { /* the prefix alone does not fit */
        size_t n = utf8_cut(out, size - 1, size - 1);
        out[n] = '\0';
        return n;
    }
    size_t room = size - 1 - (size_t)k;
    size_t n = utf8_cut(text, len, len < room ? len : room);
    memcpy(out + k, text, n);
    out[k + n] = '\0';
    return (size_t)k + n;
}
