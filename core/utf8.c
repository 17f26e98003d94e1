/* utf8.c: byte-level UTF-8 cutting and validation (see utf8.h). */
#include "core/utf8.h"

static bool is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

int utf8_seq_len(unsigned char b)
{
    if (b < 0x80)
        return 1;
    if (b < 0xC2)
        return 0; /* continuation byte, or 0xC0/0xC1 (always overlong) */
    if (b < 0xE0)
        return 2;
    if (b < 0xF0)
        return 3;
    if (b < 0xF5)
        return 4;
    return 0;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;

    if (len <= max)
        return len;
    if (!is_cont(u[max]))
        return max; /* u[max] starts a character: the cut is clean */

    /* u[max] continues a character; find where that character starts (at
     * most three bytes back) and cut before it if it would be split. */
    size_t i = max;
    while (i > 0 && max - i < 3 && is_cont(u[i]))
        i--;
    int n = utf8_seq_len(u[i]);
    if (n > 1 && i + (size_t)n > max)
        return i;
    return max; /* a stray continuation byte: not UTF-8, cut at the byte */
}

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned char b = u[i];
        int n = utf8_seq_len(b);
        if (n == 0 || len - i < (size_t)n)
            return false;
        for (int k = 1; k < n; k++)
            if (!is_cont(u[i + k]))
                return false;
        /* The lead byte alone cannot rule out every bad form: */
        if (b == 0xE0 && u[i + 1] < 0xA0)
            return false; /* overlong 3-byte form */
        if (b == 0xED && u[i + 1] >= 0xA0)
            return false; /* UTF-16 surrogate */
        if (b == 0xF0 && u[i + 1] < 0x90)
            return false; /* overlong 4-byte form */
        if (b == 0xF4 && u[i + 1] >= 0x90)
            return false; /* above U+10FFFF */
        i += (size_t)n;
    }
    return true;
}
