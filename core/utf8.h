/* utf8.h: byte-level UTF-8 helpers for text that crosses a process or
 * network boundary.
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

/* The byte length of the UTF-8 sequence that lead byte `b` starts: 1-4, or 0
 * when `b` cannot start a sequence (a continuation byte, 0xC0, 0xC1 or
 * 0xF5-0xFF). */
int utf8_seq_len(unsigned char b);

#endif
