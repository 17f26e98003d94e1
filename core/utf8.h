/* utf8.h: byte-level UTF-8 helpers for text that crosses a process or
 * network boundary, and the few Unicode classes its checks need.
 *
 * Contract: platform-free, never allocates, never reads past `len`, and
 * accepts any bytes at all (text written by the original system's clients is
 * often in a legacy ANSI code page, not UTF-8). Thread-safe: no state. */
#ifndef CHAT_CORE_UTF8_H
#define CHAT_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length n <= min(len, max) of the longest prefix of s[0..len) that does
 * not end inside a UTF-8 character. Bytes that are not well-formed UTF-8 are
 * treated as single characters, so ANSI text is cut at `max` bytes (or at most
 * three bytes earlier when its last bytes happen to look like a UTF-8 lead
 * byte and continuation). */
size_t utf8_cut(const char *s, size_t len, size_t max);

/* True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). An empty string is valid. */
bool utf8_valid(const char *s, size_t len);

/* Decodes the well-formed UTF-8 character s starts with: its code point into
 * *cp and its length, 1-4; 0 (and *cp untouched) when s[0..len) does not
 * start with one (a stray byte of ANSI text, a broken or overlong form, a
 * surrogate, or len 0). */
int utf8_decode(const char *s, size_t len, unsigned long *cp);

/* True for a character that shows nothing itself but can change how the
 * text around it looks: C1 controls, direction marks, embeddings, overrides
 * and isolates, zero-width spaces and joiners, variation selectors, tags,
 * fillers. Two names that differ only by these look the same. */
bool unicode_is_invisible(unsigned long cp);

/* s[0..len) as a line a console shows as it is, into out: every control
 * (C0 with TAB, DEL, C1), the line and paragraph separators and every
 * invisible character spelled "<U+XXXX>", every byte that is not part of
 * UTF-8 "<0xNN>", and "<" itself as "<U+003C>" (so every "<" shown starts
 * a real escape), the rest as it came. NUL-terminated and never overflowed
 * (cap >= 4): cut before an escape or character that does not fit, then
 * "..." marks the cut. Returns the length. So no message can forge a line
 * of the server's log. */
size_t utf8_escape_visible(const char *s, size_t len, char *out, size_t cap);

/* True for a combining diacritical mark (U+0300-036F and the other
 * combining-mark blocks, but the invisible U+034F): drawn on the character
 * before it. */
bool unicode_is_combining(unsigned long cp);

/* True for a space other than U+0020 (no-break, en, em, thin, ideographic
 * ...): it looks like one, so a name shows it as one. */
bool unicode_is_space(unsigned long cp);

/* The byte length of the UTF-8 sequence that lead byte `b` starts: 1-4, or 0
 * when `b` cannot start a sequence (a continuation byte, 0xC0, 0xC1 or
 * 0xF5-0xFF). */
int utf8_seq_len(unsigned char b);

#endif
