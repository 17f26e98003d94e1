/* proto.c: the original chat protocol's rules (see proto.h). */
#include "core/proto.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static bool is_c0(unsigned char c)
{
    return c < 0x20;
}

size_t proto_clean_text(char *s, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_c0(c) || c == '\t')
            s[out++] = (char)c;
    }
    return out;
}

/* ':' and what looks like it: "alice: hi" must not be a name, since a
 * chat line is "NAME: TEXT". */
static bool is_colon(unsigned long cp)
{
    return cp == ':' || cp == 0xFF1A || cp == 0xFE55 || cp == 0xFE13 || cp == 0x2236 ||
           cp == 0xA789 || cp == 0x02D0 || cp == 0x0589 || cp == 0x05C3;
}

/* One cleaning pass over s[0..len) in place; returns the new length. What is
 * written never outruns what is read (a character is kept, dropped, or
 * becomes one byte). */
static size_t clean_name_pass(char *s, size_t len)
{
    /* Combining marks on the character kept last; 2 (no more) until a
     * character is kept, and after a space. */
    size_t n = 0, marks = 2;
    unsigned long cp;

    for (size_t i = 0; i < len;) {
        int k = utf8_decode(s + i, len - i, &cp);
        if (k == 0) { /* not UTF-8: a byte of ANSI text (never C0 or DEL) */
            s[n++] = s[i++];
            marks = 0;
            continue;
        }
        bool space = unicode_is_space(cp) || cp == ' ' || cp == '\t';
        bool keep;
        if (n == 0 && (space || cp == '*')) {
            /* Leading spaces and stars go at once (no name reads as a
             * notice), so a mark after them has nothing to sit on. */
            keep = false;
        } else if (unicode_is_combining(cp)) {
            /* Two on a letter are all a script needs; more stack into a
             * smear over the names around it; one on a space draws a
             * letter from nothing. */
            keep = marks < 2;
            marks++;
        } else {
            keep =
                !(cp < 0x20 || cp == 0x7F || unicode_is_invisible(cp) || is_colon(cp));
            if (keep)
                marks = space ? 2 : 0;
        }
        if (keep && unicode_is_space(cp)) {
            s[n++] = ' ';
        } else if (keep) {
            memmove(s + n, s + i, (size_t)k);
            n += (size_t)k;
        }
        i += (size_t)k;
    }
    return n;
}

size_t proto_clean_name(char *s, size_t len)
{
    size_t n = len, before, i, chars = 0;
    unsigned long cp;

    /* Again until nothing changes: taking a byte out can join the bytes
     * around it into a new character ("\xE2" NUL "\x80\xAE" is U+202E once
     * the NUL is gone; fuzz_proto found it). Every pass that changes
     * something shortens the name. */
    do {
        before = n;
        n = clean_name_pass(s, n);
    } while (n < before);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;

    /* Cut after PROTO_NAME_MAX_CHARS characters, never inside one. */
    for (i = 0; i < n && chars < PROTO_NAME_MAX_CHARS; chars++) {
        int k = utf8_decode(s + i, n - i, &cp);
        i += k > 0 ? (size_t)k : 1;
    }
    n = i;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--; /* the cut may have left a space at the end */
    return n;
}

size_t proto_name_from(const char *name, size_t len, char out[PROTO_NAME_BUF])
{
    /* Clean a bounded prefix: 8 bytes a character leaves room for the
     * trimmed spaces and control bytes a name might carry. */
    char tmp[PROTO_NAME_MAX_CHARS * 8];
    size_t n = len < sizeof tmp ? len : sizeof tmp;

    if (n)
        memcpy(tmp, name, n);
    n = proto_clean_name(tmp, n);
    memcpy(out, tmp, n);
    out[n] = '\0';
    return n;
}

void proto_name_or_anonymous(const char *name, size_t len, char out[PROTO_NAME_BUF])
{
    if (proto_name_from(name, len, out) == 0)
        memcpy(out, PROTO_ANONYMOUS, sizeof PROTO_ANONYMOUS);
}

void proto_parse_hello(const char *msg, size_t len, char name[PROTO_NAME_BUF])
{
    const size_t plen = sizeof PROTO_HELLO_PREFIX - 1;

    if (len >= plen && memcmp(msg, PROTO_HELLO_PREFIX, plen) == 0)
        proto_name_or_anonymous(msg + plen, len - plen, name);
    else
        memcpy(name, PROTO_ANONYMOUS, sizeof PROTO_ANONYMOUS);
}

bool proto_is_quit(const char *s, size_t len)
{
    const size_t qlen = sizeof PROTO_QUIT - 1;
    for (size_t i = 0; i + qlen <= len; i++)
        if (memcmp(s + i, PROTO_QUIT, qlen) == 0)
            return true;
    return false;
}

size_t proto_format_chat(char *out, size_t size, const char *name, const char *text,
                         size_t len)
{
    size_t nlen = strlen(name);
    if (nlen + 2 + len + 1 > size)
        len = size > nlen + 3 ? size - nlen - 3 : 0; /* never overflows out */
    if (nlen + 3 > size)
        return 0;
    memcpy(out, name, nlen);
    memcpy(out + nlen, ": ", 2);
    memcpy(out + nlen + 2, text, len);
    out[nlen + 2 + len] = '\n';
    return nlen + 2 + len + 1;
}

/* snprintf's result as a length: 0 when the line did not fit (not sent). */
static size_t fitted(int n, size_t size)
{
    return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

static size_t format_notice(char *out, size_t size, const char *name, const char *what)
{
    return fitted(snprintf(out, size, "*** %s %s ***\n", name, what), size);
}

size_t proto_format_joined(char *out, size_t size, const char *name)
{
    return format_notice(out, size, name, "joined the chat");
}

size_t proto_format_left(char *out, size_t size, const char *name)
{
    return format_notice(out, size, name, "left the chat");
}

size_t proto_format_slowed(char *out, size_t size, unsigned rate, unsigned burst)
{
    return fitted(snprintf(out, size,
                           "*** you are sending too fast (over %u line%s at once or %u a "
                           "second): your lines are delayed, not lost ***\n",
                           burst, burst == 1 ? "" : "s", rate),
                  size);
}

size_t proto_format_left_not_reading(char *out, size_t size, const char *name)
{
    return format_notice(out, size, name, "left the chat (" PROTO_LEFT_NOT_READING ")");
}

bool proto_is_refusal(const char *line, size_t len, const char **why)
{
    static const struct {
        const char *line, *why;
    } refusals[] = {
        {PROTO_LINE_FULL, "the chat is full"},
        {PROTO_LINE_BUSY, "too many connections are waiting to join"},
    };
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        size_t n = strlen(refusals[i].line) - 1; /* without its "\n" */
        if (len == n && memcmp(line, refusals[i].line, n) == 0) {
            *why = refusals[i].why;
            return true;
        }
    }
    return false;
}

size_t proto_quote_name(char *out, size_t size, const char *name)
{
    size_t n = 0;
    if (size < 3)
        return 0;
    out[n++] = '"';
    for (const char *p = name; *p; p++) {
        bool esc = *p == '"' || *p == '\\';
        if (n + (esc ? 2 : 1) + 2 > size)
            return out[0] = '\0', 0;
        if (esc)
            out[n++] = '\\';
        out[n++] = *p;
    }
    out[n++] = '"';
    out[n] = '\0';
    return n;
}

size_t proto_format_shm(char *out, size_t size, const char *shm_name, unsigned long instance)
{
    return fitted(snprintf(out, size, "%s%s%s%08lx ***\n", PROTO_SHM_HEAD, shm_name, PROTO_SHM_MID,
                           instance & 0xFFFFFFFFul),
                  size);
}

#define NAME_TAKEN_HEAD "*** the name "
#define NAME_TAKEN_TAIL " is taken: choose another ***"

size_t proto_format_name_taken(char *out, size_t size, const char *name)
{
    return fitted(
        snprintf(out, size, "%s%s%s\n", NAME_TAKEN_HEAD, name, NAME_TAKEN_TAIL), size);
}

size_t proto_format_no_hello(char *out, size_t size, unsigned seconds)
{
    return fitted(snprintf(out, size, "*** no hello within %u s: closing ***\n", seconds), size);
}

bool proto_is_name_taken(const char *line, size_t len, const char *name)
{
    const size_t head = sizeof NAME_TAKEN_HEAD - 1, tail = sizeof NAME_TAKEN_TAIL - 1;
    size_t n = strlen(name);
    return len == head + n + tail && memcmp(line, NAME_TAKEN_HEAD, head) == 0 &&
           memcmp(line + head, name, n) == 0 &&
           memcmp(line + head + n, NAME_TAKEN_TAIL, tail) == 0;
}
