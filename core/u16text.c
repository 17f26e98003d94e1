/* u16text.c: the rules of chat text in UTF-16 (see u16text.h). */
#include "core/u16text.h"

#include <string.h>

#include "core/utf8.h"

/* --- UTF-16 and character classes ------------------------------------------ */

bool u16_is_high(uint16_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

bool u16_is_low(uint16_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

/* Inside a surrogate pair of s[0, len): no position, row or hit starts
 * or ends there (a lone surrogate searched for is not half of a pair). */
bool u16_splits_pair(const uint16_t *s, size_t len, size_t i)
{
    return i > 0 && i < len && u16_is_high(s[i - 1]) && u16_is_low(s[i]);
}

/* The code point at s[i] (a lone surrogate stands for itself). */
uint32_t u16_cp_at(const uint16_t *s, size_t n, size_t i)
{
    if (u16_is_high(s[i]) && i + 1 < n && u16_is_low(s[i + 1]))
        return 0x10000 + (((uint32_t)s[i] - 0xD800) << 10) + (s[i + 1] - 0xDC00);
    return s[i];
}

/* The code point that ends just before s[i] (i > 0). */
uint32_t u16_cp_before(const uint16_t *s, size_t i)
{
    if (i >= 2 && u16_is_low(s[i - 1]) && u16_is_high(s[i - 2]))
        return u16_cp_at(s, i, i - 2);
    return s[i - 1];
}

/* Drawn on the character before it, so never the first of a row: combining
 * marks, the grapheme joiner, ZWJ, variation selectors, skin tones, tags. */
bool u16_is_extend(uint32_t cp)
{
    return unicode_is_combining(cp) || cp == 0x034F || cp == 0x200D ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* CJK ideographs, kana, hangul, fullwidth forms: a row may break before
 * and after each (such text has no spaces to break at). */
bool u16_is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Whether s[i] starts a character (never inside a surrogate pair, never
 * before a mark or after a joiner). */
bool u16_at_boundary(const uint16_t *s, size_t n, size_t i)
{
    if (i == 0 || i >= n)
        return true;
    if (u16_is_low(s[i]) && u16_is_high(s[i - 1]))
        return false;
    if (s[i - 1] == 0x200D)
        return false;
    return !u16_is_extend(u16_cp_at(s, n, i));
}

size_t u16_next_boundary(const uint16_t *s, size_t n, size_t i)
{
    if (i >= n)
        return n;
    do
        i++;
    while (i < n && !u16_at_boundary(s, n, i));
    return i;
}

size_t u16_prev_boundary(const uint16_t *s, size_t n, size_t i)
{
    if (i == 0)
        return 0;
    do
        i--;
    while (i > 0 && !u16_at_boundary(s, n, i));
    return i;
}

/* A row may end before s[p] (0 < p < n): after a run of spaces, after '-',
 * and before or after a wide character; never inside a character. */
bool u16_can_break(const uint16_t *s, size_t n, size_t p)
{
    if (!u16_at_boundary(s, n, p) || s[p] == ' ')
        return false;
    if (s[p - 1] == ' ' || s[p - 1] == '-')
        return true;
    return u16_is_wide(u16_cp_before(s, p)) || u16_is_wide(u16_cp_at(s, n, p));
}

/* 1: strong right-to-left; -1: strong left-to-right; 0: neutral. Ranges,
 * not the Unicode tables: enough to align a row. */
static int strong_dir(uint32_t cp)
{
    if (cp == 0x200F)
        return 1;
    if (cp == 0x200E)
        return -1;
    if (u16_is_extend(cp) || (cp >= 0x0660 && cp <= 0x0669) ||
        (cp >= 0x06F0 && cp <= 0x06F9))
        return 0;
    if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x10800 && cp <= 0x10FFF) ||
        (cp >= 0x1E800 && cp <= 0x1EFFF))
        return 1;
    if (cp < 0x80)
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? -1 : 0;
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xD800 && cp <= 0xF8FF) ||
        (cp >= 0xFE00 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
        (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
        return 0;
    return -1;
}

bool u16_first_strong_is_rtl(const uint16_t *s, size_t n)
{
    for (size_t i = 0; i < n; i = u16_next_boundary(s, n, i)) {
        int d = strong_dir(u16_cp_at(s, n, i));
        if (d)
            return d > 0;
    }
    return false;
}

/* 0: a space; 1: punctuation; 2: a word character (letters, digits, '_' and
 * anything else outside ASCII). Words end at a class change. */
int u16_word_class(uint16_t c)
{
    if (c == ' ' || unicode_is_space(c))
        return 0;
    if (c < 0x80) {
        bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        return (alnum || c == '_') ? 2 : 1;
    }
    if ((c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
        (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20))
        return 1;
    return 2;
}

/* --- case folding ----------------------------------------------------------- */

static uint16_t fold_latin(uint16_t c)
{
    if (c == 0xB5)
        return 0x3BC;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if (c == 0x178)
        return 0xFF;
    if (c == 0x17F)
        return 's';
    /* Latin Extended-A pairs its cases, upper first, even or odd. */
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
        (c >= 0x14A && c <= 0x177))
        return c | 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
        return c + 1;
    return c;
}

static uint16_t fold_greek(uint16_t c)
{
    static const uint16_t from[] = {0x376, 0x37F, 0x386, 0x38C, 0x3C2, 0x3CF,
                                    0x3D0, 0x3D1, 0x3D5, 0x3D6, 0x3F0, 0x3F1,
                                    0x3F4, 0x3F5, 0x3F7, 0x3F9, 0x3FA};
    static const uint16_t to[] = {0x377, 0x3F3, 0x3AC, 0x3CC, 0x3C3, 0x3D7,
                                  0x3B2, 0x3B8, 0x3C6, 0x3C0, 0x3BA, 0x3C1,
                                  0x3B8, 0x3B5, 0x3F8, 0x3F2, 0x3FB};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (c == from[i])
            return to[i];
    if (c >= 0x370 && c <= 0x373)
        return c | 1;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
        return c + 0x20;
    if (c >= 0x3D8 && c <= 0x3EF)
        return c | 1;
    if (c >= 0x3FD && c <= 0x3FF)
        return c - 0x82;
    return c;
}

static uint16_t fold_cyrillic(uint16_t c)
{
    if (c <= 0x40F)
        return c + 0x50;
    if (c <= 0x42F)
        return c + 0x20;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
        (c >= 0x4D0 && c <= 0x52F))
        return c | 1;
    if (c == 0x4C0)
        return 0x4CF;
    if (c >= 0x4C1 && c <= 0x4CE && (c & 1))
        return c + 1;
    return c;
}

uint16_t u16_fold(uint16_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
    if (c < 0x180)
        return fold_latin(c);
    if (c >= 0x370 && c < 0x400)
        return fold_greek(c);
    if (c >= 0x400 && c < 0x530)
        return fold_cyrillic(c);
    return c;
}

/* --- links
 * ------------------------------------------------------------------------------ */

bool u16_is_link_char(uint16_t c)
{
    return c > 0x20 && c < 0x7F && !strchr("<>\"`{}|\\^", (char)c);
}

/* A link begins a word: at the start, or after a space, a control, an
 * opening bracket or quote, or punctuation that ends a clause; never after
 * a letter, a digit or a URL character (so "xhttp://" and "wwww." are not
 * links), nor after an invisible character (a direction override). */
static bool link_may_follow(uint16_t c)
{
    if (c <= 0x20 || c == 0x7F)
        return true;
    if (c < 0x80)
        return strchr("([{<\"'`*,;>|", (char)c) != NULL;
    if (unicode_is_invisible(c))
        return false;
    return c == 0xA0 || c == 0xAB || c == 0xBB || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20);
}

static bool is_alnum(uint16_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Whether s[0, n) starts with the ASCII lower-case prefix p, any case. */
static bool starts_ci(const uint16_t *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (s[i] >= 0x80 || (s[i] | (is_alnum(s[i]) ? 0x20 : 0)) != (uint16_t)p[i])
            return false;
    return true;
}

/* The end of the link s[i, e) without trailing punctuation or closing
 * brackets that do not close one opened inside it. Linear: the brackets
 * are counted once. */
static size_t trim_link(const uint16_t *s, size_t i, size_t e)
{
    long paren = 0, square = 0;
    for (size_t k = i; k < e; k++) {
        paren += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
        square += s[k] == '[' ? 1 : s[k] == ']' ? -1 : 0;
    }
    while (e > i) {
        uint16_t c = s[e - 1];
        if (strchr(".,;:!?'", (char)c))
            e--;
        else if (c == ')' && paren < 0)
            e--, paren++;
        else if (c == ']' && square < 0)
            e--, square++;
        else
            break;
    }
    return e;
}

/* The link s[i, e) with its host at h: a host of letters, digits, dots and
 * hyphens starting with a letter or digit (for www., a dot inside after
 * "www."), then nothing, a path, a query, a fragment or a port. */
static bool link_ok(const uint16_t *s, size_t i, size_t h, size_t e, bool www)
{
    size_t he = h;
    while (he < e && (is_alnum(s[he]) || s[he] == '.' || s[he] == '-'))
        he++;
    if (he == h || !is_alnum(s[h]))
        return false;
    if (www) {
        size_t p = i + 4, dot = p;
        if (p >= he || !is_alnum(s[p]))
            return false;
        while (dot < he && s[dot] != '.')
            dot++;
        if (dot + 1 >= he || !is_alnum(s[dot + 1]))
            return false;
    }
    if (he < e && s[he] == ':') {
        size_t d = he + 1;
        while (d < e && s[d] >= '0' && s[d] <= '9')
            d++;
        if (d == he + 1)
            return false;
        he = d;
    }
    return he == e || s[he] == '/' || s[he] == '?' || s[he] == '#';
}

bool u16_find_link(const uint16_t *s, size_t n, size_t start, size_t *from,
                       size_t *to)
{
    if (!s)
        return false;
    /* The end of the run of link characters the last candidate was in:
     * found once per run, so a 64 KB run of "(http://(http://..." costs
     * one pass, not one per candidate (it froze the window for 41 s). */
    size_t run_e = 0;
    for (size_t i = start; i < n; i++) {
        uint16_t c = s[i] | 0x20;
        if ((c != 'h' && c != 'w') || (i > 0 && !link_may_follow(s[i - 1])))
            continue;
        size_t h;
        bool www = false;
        if (starts_ci(s + i, n - i, "https://"))
            h = i + 8;
        else if (starts_ci(s + i, n - i, "http://"))
            h = i + 7;
        else if (starts_ci(s + i, n - i, "www."))
            h = i, www = true;
        else
            continue;
        if (i >= run_e) {
            run_e = i;
            while (run_e < n && u16_is_link_char(s[run_e]))
                run_e++;
        }
        /* No link is longer than U16_LINK_MAX: a candidate further than
         * that from its run's end is none, at no cost. */
        if (run_e - i > U16_LINK_MAX)
            continue;
        size_t e = trim_link(s, i, run_e);
        if (e > h && link_ok(s, i, h, e, www)) {
            if (from)
                *from = i;
            if (to)
                *to = e;
            return true;
        }
    }
    return false;
}

size_t u16_link_url(const uint16_t *s, size_t n, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    out[0] = '\0';
    if (!s)
        return 0;
    size_t pre = starts_ci(s, n, "www.") ? 7 : 0;
    if (n + pre + 1 > cap)
        return 0;
    memcpy(out, "http://", pre);
    for (size_t i = 0; i < n; i++) {
        if (!u16_is_link_char(s[i])) {
            out[0] = '\0';
            return 0;
        }
        out[pre + i] = (char)s[i];
    }
    out[pre + n] = '\0';
    /* The scheme in lower case, as the shell expects it ("HTTPS://" was
     * underlined and then opened nothing). */
    size_t scheme = starts_ci(s, n, "https://") ? 5 : starts_ci(s, n, "http://") ? 4 : 0;
    for (size_t i = 0; i < scheme; i++)
        out[pre + i] = (char)(out[pre + i] | 0x20);
    return pre + n;
}

/* --- mentions ----------------------------------------------------------------- */

bool u16_mentions(const uint16_t *text, size_t n, const uint16_t *name,
                      size_t name_len)
{
    if (!text || !name || name_len == 0 || name_len > n)
        return false;
    bool word_start = u16_word_class(name[0]) == 2,
         word_end = u16_word_class(name[name_len - 1]) == 2;
    for (size_t i = 0; i + name_len <= n; i++) {
        size_t k = 0;
        while (k < name_len && u16_fold(text[i + k]) == u16_fold(name[k]))
            k++;
        if (k < name_len)
            continue;
        if (word_start && i > 0 && u16_word_class(text[i - 1]) == 2)
            continue;
        if (word_end && i + name_len < n && u16_word_class(text[i + name_len]) == 2)
            continue;
        return true;
    }
    return false;
}
