/* compose.h: what the user typed, checked before it may be sent, and the
 * lines of the chat log.
 *
 * Contract: platform-free, no allocation; text is UTF-8. */
#ifndef CHAT_CORE_COMPOSE_H
#define CHAT_CORE_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

/* A message must fit the shared lastMessage (1023 bytes) with room to
 * spare, so it is never cut there. */
#define COMPOSE_MAX_BYTES 1000

typedef enum ComposeCheck {
    COMPOSE_OK,
    COMPOSE_EMPTY,    /* empty or whitespace only: not sent */
    COMPOSE_TOO_LONG, /* more than COMPOSE_MAX_BYTES: refused, never cut */
    COMPOSE_CONTROL,  /* contains a control character (other than TAB) */
    COMPOSE_QUIT,     /* contains "/quit": the server would end the session;
                         send only after the user confirms */
} ComposeCheck;

ComposeCheck compose_check(const char *text, size_t len);

/* A sentence for the status bar saying why (for everything but COMPOSE_OK),
 * with the byte count for COMPOSE_TOO_LONG. */
void compose_explain(ComposeCheck c, size_t len, char *out, size_t size);

/* What kind of line the server sent, so the log can set notices apart. */
typedef enum LineKind {
    LINE_CHAT,   /* NAME: TEXT */
    LINE_NOTICE, /* *** ... *** (joins, leaves, server notices) */
} LineKind;

LineKind compose_line_kind(const char *line, size_t len);

/* How a line from the server ended, for the mark the log puts after it. */
typedef enum LineEnd {
    LINE_WHOLE,      /* with its "\n" */
    LINE_TOO_LONG,   /* cut at 64 KB: " [cut: longer than 64 KB]" */
    LINE_UNFINISHED, /* the connection ended inside it:
                        " [unfinished: the connection ended]" */
} LineEnd;

/* How much longer compose_log_line may make a line: each byte of the name
 * part at most 6 bytes ("<0xNN>"; a 2-byte character's "<U+XXXX>" is 4 a
 * byte), plus 14 for the two spaces at a name's ends ("<U+0020>"). A
 * window that gives it len * COMPOSE_GROWTH + 128 bytes gets every line
 * whole, its end mark included. */
#define COMPOSE_GROWTH 6

/* A byte that is not UTF-8 and, in the Windows ANSI code pages, is a
 * no-break space (0xA0), a soft hyphen (0xAD) or no character at all. */
bool compose_ansi_blank(unsigned char b);

/* "[HH:MM:SS] " + line (+ the mark of `end`, if any) into out; returns the
 * length. Never overflows out (size > 16). In the part of the
 * line that holds a name (all of a notice; a chat line up to its first
 * ": "), every invisible character (unicode_is_invisible: direction
 * overrides, zero-width characters...), every space but U+0020, a U+0020
 * at either end of a chat line's name, and every compose_ansi_blank byte
 * is spelled out ("<U+XXXX>", "<0xNN>"), so a name from a server that does
 * not clean names cannot pass for another, or for none. */
size_t compose_log_line(char *out, size_t size, int h, int m, int s, const char *line,
                        size_t len, LineEnd end);

/* A line as the chat view shows it, into out (NUL-terminated): the name
 * of a server's chat line (up to its first ": ", which is dropped) and
 * then its text; a notice, a line without a name, or one of the client's
 * own lines (`local`: "--- Connection ... lost (why): retrying", whose
 * ": " ends no name) as text alone. The invisible characters of a server
 * line's name part are spelled out and the mark of `end` added, as
 * compose_log_line does. *name_len gets the bytes of out that are the name
 * (0: none). Returns the length; never overflows out (size > 16). */
size_t compose_log_parts(char *out, size_t size, const char *line, size_t len, LineEnd end,
                         bool local, size_t *name_len);

/* Whether a server line is a chat line of `name`'s ("NAME: ..."). */
bool compose_is_from(const char *line, size_t len, const char *name);

/* A message that was waiting to be sent when the user connected to another
 * server or under another name: the log line that says so. 253 bytes of
 * host, a whole name and a whole pending message always fit in
 * COMPOSE_UNSENT_MAX bytes. */
#define COMPOSE_UNSENT_MAX (96 + 253 + 5 + 128 + 1024)

/* "--- not sent (typed for HOST:PORT as NAME): TEXT", or, for a message that
 * went out and whose echo never came (`maybe_delivered`), "--- perhaps not
 * delivered (sent to HOST:PORT as NAME, no echo came): TEXT", into out
 * (NUL-terminated); returns the length. Never overflows out (size > 0): a
 * text that does not fit is cut on a UTF-8 character boundary. */
size_t compose_unsent(char *out, size_t size, bool maybe_delivered, const char *host,
                      unsigned port, const char *name, const char *text, size_t len);

#endif
