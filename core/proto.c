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

size_t proto_clean_name(char *s, size_t len)
{
    size_t n = 0, start = 0, chars = 0, i, before, marks;
    unsigned long cp;

    /* In place: what is written never outruns what is read (a character is
     * kept, dropped, or becomes one byte). Again until nothing changes:
     * taking a byte out can join the bytes around it into a new character
     * ("\xE2" NUL "\x80\xAE" is U+202E once the NUL is gone; fuzz_proto
     * found it). Every pass that changes something shortens the name. */
    do {
        before = len;
        n = 0;
        marks = 0; /* combining marks kept on the character before them */
        for (i = 0; i < len;) {
            int k = utf8_decode(s + i, len - i, &cp);
            if (k == 0) { /* not UTF-8: a byte of ANSI text, kept unless C0/DEL */
                unsigned char c = (unsigned char)s[i++];
                if (!is_c0(c) && c != 0x7F)
                    s[n++] = (char)c;
                marks = 0;
                continue;
            }
            if (n == 0 && (unicode_is_space(cp) || cp == ' ' || cp == '\t' || cp == '*')) {
                /* Leading spaces and stars go at once (no name reads as a
                 * notice), so a mark after them has nothing to sit on. */
            } else if (unicode_is_space(cp)) {
                s[n++] = ' ';
                marks = 2; /* a mark on a space draws a letter from nothing */
            } else if (unicode_is_combining(cp)) {
                /* Two on a letter are all a script needs; more stack into
                 * a smear over the names around it, and one on nothing
                 * is a name with nothing to read. */
                if (n > 0 && marks < 2) {
                    memmove(s + n, s + i, (size_t)k);
                    n += (size_t)k;
                    marks++;
                }
            } else if (!(cp < 0x20 || cp == 0x7F || unicode_is_invisible(cp) || is_colon(cp))) {
                memmove(s + n, s + i, (size_t)k);
                n += (size_t)k;
                marks = cp == ' ' || cp == '\t' ? 2 : 0;
            }
            i += (size_t)k;
        }
        len = n;
    } while (n < before);
    /* Leading stars would make "*** alice left the chat ***" a name. */
    while (start < n && (s[start] == ' ' || s[start] == '\t' || s[start] == '*'))
        start++;
    while (n > start && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    memmove(s, s + start, n - start);
    n -= start;

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

void proto_parse_hello(const char *msg, size_t len, char name[PROTO_NAME_BUF])
{
    const size_t plen = sizeof PROTO_HELLO_PREFIX - 1;
    char tmp[PROTO_NAME_MAX_CHARS * 8];
    size_t n = 0;

    if (len >= plen && memcmp(msg, PROTO_HELLO_PREFIX, plen) == 0) {
        /* Clean a bounded prefix: 8 bytes a character leaves room for the
         * trimmed spaces and control bytes a name might carry. */
        n = len - plen < sizeof tmp ? len - plen : sizeof tmp;
        memcpy(tmp, msg + plen, n);
        n = proto_clean_name(tmp, n);
    }
    if (n == 0) {
        memcpy(name, PROTO_ANONYMOUS, sizeof PROTO_ANONYMOUS);
        return;
    }
    memcpy(name, tmp, n);
    name[n] = '\0';
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

size_t proto_format_name_taken(char *out, size_t size, const char *name)
{
    return fitted(snprintf(out, size, "*** the name %s is taken: choose another ***\n", name),
                  size);
}
