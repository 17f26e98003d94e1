/* fuzz_proto.c: core/proto.c, the server's rules for what a client says:
 * the hello, names, message text, "/quit", and the lines it broadcasts.
 *
 * Outside bytes: a client's first line (the hello) and a later message, as
 * the framer hands them to the server. Input: HELLO "\n" MESSAGE (no "\n":
 * all of it is both).
 *
 * Invariants: the name proto_parse_hello writes is NUL-terminated, 1 to
 * PROTO_NAME_BUF - 1 bytes, holds no control character (C0, DEL), no
 * invisible character and no space but U+0020 (so it cannot pass for
 * another), no ':' and no leading '*' (so it cannot pass for a line), no
 * leading or trailing space or tab, at most 32 characters,
 * and equals an independent cleaning of the hello (the first PROTO_NAME_MAX_CHARS * 8
 * bytes after the prefix, as documented in proto.c), or "anonymous";
 * cleaning a cleaned name changes nothing, and a hello made of it gives it
 * back (what the client's pacer counts on); proto_clean_text removes exactly
 * the C0 bytes but TAB and is idempotent; proto_is_quit agrees with a naive
 * search; proto_format_chat/joined/left into PROTO_OUT_MAX bytes write
 * exactly "NAME: TEXT\n" / "*** NAME joined the chat ***\n" without a NUL,
 * and into every smaller buffer (exact-size allocations, so ASan sees one
 * byte too far) never more than it holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"
#include "core/utf8.h"
#include "fuzz/fuzz_common.h"

/* The name rules of proto.h, written out again: a well-formed character
 * that is a space (unicode_is_space) becomes " ", one that is a control or
 * invisible (unicode_is_invisible: those two tables are the rule's
 * definition, so they are used as they are) goes, so does a colon or a
 * look-alike of one, a combining mark (unicode_is_combining) stays only
 * after something kept that is not a space, two at most; any other stays;
 * a byte that is not UTF-8 stays unless it is C0 or DEL; all that again
 * until nothing changes; then spaces, tabs and stars trimmed at the start,
 * spaces and tabs at the end, cut after 32 characters, trimmed again. */
FUZZ_MODEL static int ref_colon(unsigned long cp)
{
    static const unsigned long colons[] = {0x3A,   0xFF1A, 0xFE55, 0xFE13, 0x2236,
                                           0xA789, 0x02D0, 0x0589, 0x05C3};
    for (size_t i = 0; i < sizeof colons / sizeof colons[0]; i++)
        if (cp == colons[i])
            return 1;
    return 0;
}

FUZZ_MODEL static size_t ref_clean_name(const char *in, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t n = 0, start = 0, i = 0, chars = 0, k;
    unsigned long cp;
    int marks; /* marks that may still go on the last character kept */
    char *tmp = malloc(len ? len : 1);

    FUZZ_CHECK(tmp != NULL);
    memcpy(tmp, u, len);
    /* Until nothing changes: what is taken out may join its neighbours. */
    for (;;) {
        n = 0;
        marks = 0;
        u = (const unsigned char *)tmp;
        for (i = 0; i < len;) {
            k = ref_utf8_decode(u + i, len - i, &cp);
            if (k == 0) {
                if (u[i] >= 0x20 && u[i] != 0x7F)
                    out[n++] = (char)u[i];
                marks = 2;
                i++;
                continue;
            }
            if (n == 0 && (unicode_is_space(cp) || cp == ' ' || cp == '\t' || cp == '*')) {
                /* dropped: nothing kept yet */
            } else if (unicode_is_space(cp)) {
                out[n++] = ' ';
                marks = 0;
            } else if (unicode_is_combining(cp)) {
                if (n > 0 && marks > 0) {
                    for (size_t j = 0; j < k; j++)
                        out[n++] = (char)u[i + j];
                    marks--;
                }
            } else if (!(cp < 0x20 || cp == 0x7F || unicode_is_invisible(cp) || ref_colon(cp))) {
                for (size_t j = 0; j < k; j++)
                    out[n++] = (char)u[i + j];
                marks = cp == ' ' || cp == '\t' ? 0 : 2;
            }
            i += k;
        }
        if (n == len)
            break;
        memcpy(tmp, out, n);
        len = n;
    }
    free(tmp);
    while (start < n && (out[start] == ' ' || out[start] == '\t' || out[start] == '*'))
        start++;
    memmove(out, out + start, n - start);
    n -= start;
    i = 0;
    while (i < n && chars < PROTO_NAME_MAX_CHARS) {
        k = ref_utf8_char((const unsigned char *)out + i, n - i);
        i += k ? k : 1;
        chars++;
    }
    n = i;
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    return n;
}

static void check_name(const char *name)
{
    size_t n;

    FUZZ_CHECK(nul_within(name, PROTO_NAME_BUF));
    n = strlen(name);
    FUZZ_CHECK(n >= 1 && n <= PROTO_NAME_BUF - 1);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((unsigned char)name[i] >= 0x20 && (unsigned char)name[i] != 0x7F);
    FUZZ_CHECK(name[0] != ' ' && name[0] != '\t');
    FUZZ_CHECK(name[n - 1] != ' ' && name[n - 1] != '\t');
    FUZZ_CHECK(ref_char_count((const unsigned char *)name, n) <= PROTO_NAME_MAX_CHARS);
    /* Nothing that would let it pass for another name: no invisible
     * character, no space but U+0020. */
    for (size_t i = 0, k; i < n; i += k ? k : 1) {
        unsigned long cp;
        k = ref_utf8_decode((const unsigned char *)name + i, n - i, &cp);
        FUZZ_CHECK(k == 0 || (!unicode_is_invisible(cp) && !unicode_is_space(cp)));
    }
    /* Nor pass for a line: no ':' (a chat line is "NAME: TEXT"), no leading
     * '*' (a notice is "*** ... ***"). */
    FUZZ_CHECK(memchr(name, ':', n) == NULL && name[0] != '*');
}

static void check_hello(const char *msg, size_t len, char name[PROTO_NAME_BUF])
{
    const size_t plen = sizeof PROTO_HELLO_PREFIX - 1;
    char want[PROTO_NAME_MAX_CHARS * 8], again[PROTO_NAME_BUF + 16];
    size_t wn = 0, n;

    proto_parse_hello(msg, len, name);
    check_name(name);
    n = strlen(name);

    if (len >= plen && memcmp(msg, PROTO_HELLO_PREFIX, plen) == 0) {
        size_t take = len - plen < sizeof want ? len - plen : sizeof want;
        wn = ref_clean_name(msg + plen, take, want);
    }
    if (wn == 0)
        FUZZ_CHECK(strcmp(name, PROTO_ANONYMOUS) == 0);
    else
        FUZZ_CHECK(n == wn && memcmp(name, want, n) == 0);

    /* Idempotent: a clean name stays as it is. */
    memcpy(again, name, n);
    FUZZ_CHECK(proto_clean_name(again, n) == n && memcmp(again, name, n) == 0);

    /* Round trip: "USERNAME:" + name is a hello for that same name. */
    memcpy(again, PROTO_HELLO_PREFIX, plen);
    memcpy(again + plen, name, n);
    {
        char back[PROTO_NAME_BUF];
        proto_parse_hello(again, plen + n, back);
        FUZZ_CHECK(strcmp(back, name) == 0);
    }
}

static void check_text(const char *msg, size_t len, char *text, size_t *text_len)
{
    size_t n = 0, i;

    memcpy(text, msg, len);
    *text_len = proto_clean_text(text, len);
    FUZZ_CHECK(*text_len <= len);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c >= 0x20 || c == '\t') {
            FUZZ_CHECK(n < *text_len && text[n] == msg[i]); /* kept, in order */
            n++;
        }
    }
    FUZZ_CHECK(n == *text_len);
    FUZZ_CHECK(proto_clean_text(text, *text_len) == *text_len);
    FUZZ_CHECK(memchr(text, '\0', *text_len) == NULL);

    FUZZ_CHECK(proto_is_quit(msg, len) == (ref_contains(msg, len, "/quit", 5) != 0));
}

/* One formatter into an exact-size heap buffer of every interesting size. */
static void check_chat(const char *name, const char *text, size_t len)
{
    size_t nlen = strlen(name), full = nlen + 2 + len + 1;
    size_t sizes[] = {0,        1,        nlen + 2, nlen + 3,
                      nlen + 4, full - 1, full,     PROTO_OUT_MAX};

    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t size = sizes[s];
        char *out = malloc(size ? size : 1);
        size_t n;

        FUZZ_CHECK(out != NULL);
        n = proto_format_chat(out, size, name, text, len);
        FUZZ_CHECK(n <= size);
        if (size >= full) {
            FUZZ_CHECK(n == full);
            FUZZ_CHECK(memcmp(out, name, nlen) == 0 &&
                       memcmp(out + nlen, ": ", 2) == 0);
            FUZZ_CHECK(memcmp(out + nlen + 2, text, len) == 0 && out[n - 1] == '\n');
            FUZZ_CHECK(memchr(out, '\0', n) == NULL);
        } else if (n > 0) {
            /* Cut to fit: the start of the line and its "\n". */
            FUZZ_CHECK(n == size && n >= nlen + 3);
            FUZZ_CHECK(memcmp(out, name, nlen) == 0 && out[n - 1] == '\n');
            FUZZ_CHECK(memcmp(out + nlen + 2, text, n - nlen - 3) == 0);
        } else {
            FUZZ_CHECK(size < nlen + 3);
        }
        free(out);
    }
}

static void check_notice(const char *name, int joined)
{
    const char *what = joined ? "joined the chat" : "left the chat";
    size_t nlen = strlen(name), wlen = strlen(what);
    size_t full = 4 + nlen + 1 + wlen + 5; /* "*** " NAME " " WHAT " ***\n" */
    size_t sizes[] = {0, 1, full - 1, full, full + 1, PROTO_OUT_MAX};

    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t size = sizes[s];
        char *out = malloc(size ? size : 1);
        size_t n;

        FUZZ_CHECK(out != NULL);
        n = joined ? proto_format_joined(out, size, name)
                   : proto_format_left(out, size, name);
        if (size > full) {
            FUZZ_CHECK(n == full && out[n] == '\0');
            FUZZ_CHECK(memcmp(out, "*** ", 4) == 0 && memcmp(out + 4, name, nlen) == 0);
            FUZZ_CHECK(out[4 + nlen] == ' ' && memcmp(out + 5 + nlen, what, wlen) == 0);
            FUZZ_CHECK(memcmp(out + n - 5, " ***\n", 5) == 0);
            FUZZ_CHECK(memchr(out, '\0', n) == NULL);
        } else {
            FUZZ_CHECK(n == 0); /* does not fit: nothing to send */
        }
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    const char *msg = nl ? nl + 1 : in;
    size_t hello_len = nl ? (size_t)(nl - in) : size;
    size_t msg_len = nl ? size - hello_len - 1 : size;
    char name[PROTO_NAME_BUF], *text;
    size_t text_len;

    check_hello(in, hello_len, name);

    /* The name cleaner on raw bytes, as the client cleans --user. */
    {
        char *raw = malloc(size ? size : 1), *want = malloc(size ? size : 1);
        size_t n, wn;
        FUZZ_CHECK(raw && want);
        memcpy(raw, in, size);
        n = proto_clean_name(raw, size);
        wn = ref_clean_name(in, size, want);
        FUZZ_CHECK(n == wn && memcmp(raw, want, n) == 0);
        free(raw);
        free(want);
    }

    /* A message as the server handles it: cleaned, then broadcast. The
     * framer never hands it more than PROTO_LINE_MAX bytes. */
    if (msg_len > PROTO_LINE_MAX)
        msg_len = PROTO_LINE_MAX;
    text = malloc(msg_len ? msg_len : 1);
    FUZZ_CHECK(text != NULL);
    check_text(msg, msg_len, text, &text_len);
    check_chat(name, text, text_len);
    check_notice(name, 1);
    check_notice(name, 0);
    free(text);
    return 0;
}
