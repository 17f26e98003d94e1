/* text.h: text between the wire/segment bytes and the UTF-16 of the W APIs.
 *
 * Contract: every output is NUL-terminated and cut (never overflowed) when
 * the buffer is short; thread-safe. */
#ifndef CHAT_GUI_TEXT_H
#define CHAT_GUI_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* Bytes from the network or the shared segment: decoded as UTF-8 when they
 * are valid UTF-8, else with the ANSI code page (what the original system's
 * clients wrote). Returns the number of wide characters written. */
size_t text_bytes_to_wide(const char *s, size_t len, wchar_t *out, size_t cap);

/* Makes control characters in s[0..n) visible as their Unicode pictures
 * (NUL as U+2400, ESC as U+241B, DEL as U+2421; TAB stays): an embedded NUL
 * would end the text an EDIT control is given, and the rest would be lost. */
void text_show_controls(wchar_t *s, size_t n);

/* Our own UTF-8 (option values, format results) to UTF-16 and back. */
size_t text_utf8_to_wide(const char *s, wchar_t *out, size_t cap);
size_t text_wide_to_utf8(const wchar_t *s, char *out, size_t cap);

#endif
