/* utf8.c: byte-level UTF-8 cutting and validation (see utf8.h). */
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

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

int utf8_decode(const char *s, size_t len, unsigned long *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int n = len > 0 ? utf8_seq_len(u[0]) : 0;

    if (n == 0 || len < (size_t)n)
        return 0;
    for (int k = 1; k < n; k++)
        if (!is_cont(u[k]))
            return 0;
    /* The lead byte alone cannot rule out every bad form: */
    if (u[0] == 0xE0 && u[1] < 0xA0)
        return 0; /* overlong 3-byte form */
    if (u[0] == 0xED && u[1] >= 0xA0)
        return 0; /* UTF-16 surrogate */
    if (u[0] == 0xF0 && u[1] < 0x90)
        return 0; /* overlong 4-byte form */
    if (u[0] == 0xF4 && u[1] >= 0x90)
        return 0; /* above U+10FFFF */
    static const unsigned char lead_bits[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned long c = u[0] & lead_bits[n];
    for (int k = 1; k < n; k++)
        c = c << 6 | (u[k] & 0x3F);
    *cp = c;
    return n;
}

bool utf8_valid(const char *s, size_t len)
{
    unsigned long cp;
    size_t i = 0;

    while (i < len) {
        int n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

bool unicode_is_invisible(unsigned long cp)
{
    /* Ranges, sorted: what draws nothing (or only changes how the text
     * around it is ordered or joined), so a name carrying it could pass for
     * another. */
    static const unsigned long ranges[][2] = {
        {0x0080, 0x009F},   /* C1 controls */
        {0x00AD, 0x00AD},   /* soft hyphen */
        {0x034F, 0x034F},   /* combining grapheme joiner */
        {0x061C, 0x061C},   /* Arabic letter mark */
        {0x115F, 0x1160},   /* Hangul fillers */
        {0x17B4, 0x17B5},   /* Khmer inherent vowels */
        {0x180B, 0x180F},   /* Mongolian variation selectors, vowel separator */
        {0x200B, 0x200F},   /* zero width space, ZWNJ, ZWJ, LRM, RLM */
        {0x2028, 0x202E},   /* line/paragraph separators; embeddings, overrides */
        {0x2060, 0x206F},   /* word joiner, invisible operators, isolates... */
        {0x2800, 0x2800},   /* braille pattern blank */
        {0x3164, 0x3164},   /* Hangul filler */
        {0xFE00, 0xFE0F},   /* variation selectors */
        {0xFEFF, 0xFEFF},   /* zero width no-break space (BOM) */
        {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
        {0xFFF0, 0xFFFB},   /* interlinear annotation and unassigned specials */
        {0x13430, 0x1343F}, /* Egyptian hieroglyph format controls */
        {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
        {0x1D173, 0x1D17A}, /* musical symbol formatting */
        {0xE0000, 0xE0FFF}, /* tags, variation selectors supplement */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0] && cp >= ranges[i][0]; i++)
        if (cp <= ranges[i][1])
            return true;
    return false;
}

bool unicode_is_combining(unsigned long cp)
{
    if (unicode_is_invisible(cp))
        return false; /* U+034F, the combining grapheme joiner, draws nothing */
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool unicode_is_space(unsigned long cp)
{
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* What a console would obey or hide (controls, separators, invisibles),
 * and "<", which would let typed text pass for an escape. */
static bool needs_escape(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || unicode_is_invisible(cp) ||
           cp == '<'; /* so every "<" shown starts a real escape */
}

/* The piece that shows s[i..): the character itself or its escape (in
 * esc); *step gets the bytes it stands for. */
static const char *visible_piece(const char *s, size_t len, size_t i, char esc[16],
                                 size_t *plen, size_t *step)
{
    unsigned long cp;
    int cl = utf8_decode(s + i, len - i, &cp);
    *step = cl > 0 ? (size_t)cl : 1;
    if (cl <= 0) {
        *plen = (size_t)snprintf(esc, 16, "<0x%02X>", (unsigned char)s[i]);
        return esc;
    }
    if (needs_escape(cp)) {
        *plen = (size_t)snprintf(esc, 16, "<U+%04lX>", cp);
        return esc;
    }
    *plen = *step;
    return s + i;
}

size_t utf8_escape_visible(const char *s, size_t len, char *out, size_t cap)
{
    char esc[16];
    size_t n = 0, i, plen, step, total = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (cap < 4)
        return 0;
    for (i = 0; i < len; i += step) {
        visible_piece(s, len, i, esc, &plen, &step);
        total += plen;
    }
    /* All of it when it fits; else as much as leaves room for "...". */
    size_t room = total <= cap - 1 ? cap - 1 : cap - 1 - 3;
    for (i = 0; i < len; i += step) {
        const char *piece = visible_piece(s, len, i, esc, &plen, &step);
        if (n + plen > room)
            break;
        memcpy(out + n, piece, plen);
        n += plen;
    }
    if (i < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return n;
}
