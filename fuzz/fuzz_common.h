/* fuzz_common.h: what every fuzz target shares: the invariant check that
 * stops the run with a reason, and reference models written independently
 * of core/ so the targets compare against something other than the code
 * under test.
 *
 * Header-only (static inline), one copy per target; platform-free. */
#ifndef CHAT_FUZZ_COMMON_H
#define CHAT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A violated invariant is a finding, like a crash: say which, then abort so
 * libFuzzer writes the input to its artifact file. */
#define FUZZ_CHECK(cond)                                                               \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "invariant violated: %s (%s:%d)\n", #cond, __FILE__,       \
                    __LINE__);                                                         \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* For the reference models, checks and drivers: no coverage instrumentation,
 * so they neither slow the run (a cmp hook on every byte) nor steer it (their
 * branches are not the code under test). ASan and UBSan still watch them. */
#define FUZZ_MODEL __attribute__((no_sanitize("coverage")))

/* The well-formed UTF-8 character at s[0..len): its length, with its code
 * point in *cp; 0 (and *cp untouched) when none starts there. Decodes the
 * scalar value and judges it (RFC 3629: shortest form, no surrogates, at
 * most U+10FFFF), unlike core/utf8.c, which works from a table of lead and
 * second bytes. */
FUZZ_MODEL static inline size_t ref_utf8_decode(const unsigned char *s, size_t len,
                                                unsigned long *cp)
{
    unsigned long c, min;
    size_t n, i;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2;
        c = s[0] & 0x1Fu;
        min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3;
        c = s[0] & 0x0Fu;
        min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4;
        c = s[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* The byte length of the well-formed UTF-8 character at s[0..len), or 0. */
FUZZ_MODEL static inline size_t ref_utf8_char(const unsigned char *s, size_t len)
{
    unsigned long cp;
    return ref_utf8_decode(s, len, &cp);
}

FUZZ_MODEL static inline int ref_utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0, k;
    while (i < len) {
        if ((k = ref_utf8_char(s + i, len - i)) == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* Characters as proto.h counts them in names: a well-formed UTF-8
 * character is one, and so is every byte that is not part of one. */
FUZZ_MODEL static inline size_t ref_char_count(const unsigned char *s, size_t len)
{
    size_t i = 0, chars = 0, k;
    while (i < len) {
        k = ref_utf8_char(s + i, len - i);
        i += k ? k : 1;
        chars++;
    }
    return chars;
}

/* True when `sub` occurs in s[0..len) (a naive search, on purpose). */
FUZZ_MODEL static inline int ref_contains(const char *s, size_t len, const char *sub,
                                          size_t sublen)
{
    size_t i, j;
    for (i = 0; i + sublen <= len; i++) {
        for (j = 0; j < sublen && s[i + j] == sub[j]; j++)
            ;
        if (j == sublen)
            return 1;
    }
    return 0;
}

/* memcmp(a, b, n) == 0 without libFuzzer's memcmp hook, which costs O(n)
 * on every call: the targets compare whole 64 KB lines. */
FUZZ_MODEL static inline int same_bytes(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

/* True when out[0..size) holds a NUL (a C string ends inside the buffer). */
FUZZ_MODEL static inline int nul_within(const char *out, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
        if (out[i] == '\0')
            return 1;
    return 0;
}

#endif
