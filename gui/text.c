/* text.c: UTF-8 / ANSI / UTF-16 conversions (see text.h). */
#include "gui/text.h"

#include <stdbool.h>
#include <string.h>
#include <windows.h>

#include "core/utf8.h"

/* MultiByteToWideChar into a bounded buffer: on a short buffer it converts
 * into a temporary and keeps what fits. */
static size_t to_wide(UINT cp, const char *s, size_t len, wchar_t *out, size_t cap)
{
    if (cap == 0)
        return 0;
    if (len == 0) {
        out[0] = L'\0';
        return 0;
    }
    int need = MultiByteToWideChar(cp, 0, s, (int)len, NULL, 0);
    if (need <= 0) {
        out[0] = L'\0';
        return 0;
    }
    size_t n = (size_t)need;
    if (n < cap) {
        MultiByteToWideChar(cp, 0, s, (int)len, out, (int)cap);
    } else {
        wchar_t *tmp = HeapAlloc(GetProcessHeap(), 0, n * sizeof *tmp);
        if (tmp == NULL) {
            out[0] = L'\0';
            return 0;
        }
        MultiByteToWideChar(cp, 0, s, (int)len, tmp, need);
        n = cap - 1;
        if (n > 0 && IS_HIGH_SURROGATE(tmp[n - 1]))
            n--; /* never end on half a surrogate pair */
        memcpy(out, tmp, n * sizeof *tmp);
        HeapFree(GetProcessHeap(), 0, tmp);
    }
    out[n] = L'\0';
    return n;
}

size_t text_bytes_to_wide(const char *s, size_t len, wchar_t *out, size_t cap)
{
    return to_wide(utf8_valid(s, len) ? CP_UTF8 : CP_ACP, s, len, out, cap);
}

void text_show_controls(wchar_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 && s[i] != L'\t')
            s[i] = (wchar_t)(0x2400 + s[i]);
        else if (s[i] == 0x7F)
            s[i] = 0x2421;
    }
}

size_t text_utf8_to_wide(const char *s, wchar_t *out, size_t cap)
{
    return to_wide(CP_UTF8, s, strlen(s), out, cap);
}

size_t text_wide_to_utf8(const wchar_t *s, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, out, (int)cap, NULL, NULL);
    if (n > 0)
        return (size_t)n - 1;
    /* Too long: the longest prefix whose UTF-8 fits, never half a
     * surrogate pair (a lone surrogate becomes U+FFFD: 3 bytes). */
    size_t chars = 0, bytes = 0;
    while (s[chars]) {
        wchar_t c = s[chars];
        bool pair = c >= 0xD800 && c <= 0xDBFF && s[chars + 1] >= 0xDC00 && s[chars + 1] <= 0xDFFF;
        size_t need = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        if (bytes + need > cap - 1)
            break;
        bytes += need;
        chars += pair ? 2 : 1;
    }
    n = chars ? WideCharToMultiByte(CP_UTF8, 0, s, (int)chars, out, (int)cap - 1, NULL, NULL) : 0;
    if (n < 0)
        n = 0;
    out[n] = '\0';
    return (size_t)n;
}
