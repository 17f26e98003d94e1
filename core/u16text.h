/* u16text.h: the rules of chat text in UTF-16, as the chat view
 * (core/chatlog.h) applies them: where a character begins, where a row may
 * break, which way a line reads, what a word is, case folding, what a link
 * is, and whether a line mentions a name.
 *
 * Contract: platform-free and pure; text is UTF-16 code units, never
 * NUL-terminated; a lone surrogate stands for itself. Ranges, not the
 * Unicode tables: enough to lay out and search a chat, and each choice is
 * tested in tests/host/test_chatlog.c. */
#ifndef CHAT_CORE_U16TEXT_H
#define CHAT_CORE_U16TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool u16_is_high(uint16_t u); /* a high (leading) surrogate */
bool u16_is_low(uint16_t u);  /* a low (trailing) surrogate */
/* Whether i falls inside a surrogate pair of s[0, len). */
bool u16_splits_pair(const uint16_t *s, size_t len, size_t i);
/* The code point at s[i] (i < n), and the one ending just before s[i]
 * (i > 0). */
uint32_t u16_cp_at(const uint16_t *s, size_t n, size_t i);
uint32_t u16_cp_before(const uint16_t *s, size_t i);

/* Drawn on the character before it (combining marks, joiners, variation
 * selectors, skin tones, tags): never the first of a row. */
bool u16_is_extend(uint32_t cp);
/* CJK, kana, hangul, fullwidth: a row may break before and after each. */
bool u16_is_wide(uint32_t cp);

/* Whether s[i] starts a character (never inside a pair, before a mark or
 * after a joiner); the next and previous such places (clamped to [0, n]). */
bool u16_at_boundary(const uint16_t *s, size_t n, size_t i);
size_t u16_next_boundary(const uint16_t *s, size_t n, size_t i);
size_t u16_prev_boundary(const uint16_t *s, size_t n, size_t i);

/* A row may end before s[p] (0 < p < n): after a run of spaces, after '-',
 * before or after a wide character; never inside a character. */
bool u16_can_break(const uint16_t *s, size_t n, size_t p);

/* Whether the first strongly directional character is right-to-left
 * (Hebrew, Arabic and the other RTL scripts; digits are neutral). */
bool u16_first_strong_is_rtl(const uint16_t *s, size_t n);

/* 0: a space; 1: punctuation; 2: a word character (letters, digits, '_'
 * and anything else outside ASCII). Words end where the class changes. */
int u16_word_class(uint16_t c);

/* Simple case folding of one unit (ASCII, Latin-1, Latin Extended-A,
 * Greek, Cyrillic): what search and mentions compare. */
uint16_t u16_fold(uint16_t c);

/* The longest link, in units: a longer run of link characters starting
 * at a candidate is no link (nobody can open it, and looking for one
 * must stay linear in the line). */
#define U16_LINK_MAX 2048

/* A character a link may hold: printable ASCII but <>"`{}|\^. */
bool u16_is_link_char(uint16_t c);

/* The first link in s[start, n): http://, https:// (with a host) or www.
 * (followed by a host with a dot), beginning a word (at the start or after
 * a space, a control, one of ([{<"'`*,;>| or CJK or general punctuation;
 * never after a letter, digit, URL character or an invisible character),
 * its host letters, digits, dots and hyphens (no user@ part) then
 * nothing or a port, path, query or fragment, running to a space,
 * a control character, a non-ASCII character or one of <>"`{}|\^, without
 * trailing punctuation .,;:!?' or an unbalanced closing bracket. Nothing
 * else (no file:, javascript:, other schemes, or lookalikes with non-ASCII
 * letters) is a link. True and [*from, *to) when found. */
bool u16_find_link(const uint16_t *s, size_t n, size_t start, size_t *from, size_t *to);
bool u16_find_link(const uint16_t *s, size_t n, size_t start, size_t *from, size_t *to);
/* The address to open for the link s[0, n) (as u16_find_link found it):
 * ASCII, the scheme in lower case, "http://" put before a www. link. Returns the length, 0 when it
 * does not fit (cap > n + 8 always fits) or s is not link characters. */
size_t u16_link_url(const uint16_t *s, size_t n, char *out, size_t cap);

/* Whether text mentions name as a word (case-insensitive, not inside a
 * longer word). */
bool u16_mentions(const uint16_t *text, size_t n, const uint16_t *name, size_t name_len);

#endif
