/* framer.h: splits a byte stream into lines, with a bound on line length.
 *
 * Used by the server (lines from chat clients, at most 4096 bytes) and by the
 * client (lines from the server, at most 64 KB). A line ends with "\n"; a "\r"
 * just before it is dropped. Bytes past the bound are never silently kept or
 * split into a second line: the framer reports FRAME_TOO_LONG once, with the
 * first `cap` bytes, then discards everything up to the next "\n" (or up to
 * framer_flush, which marks the end of a message for clients that send no
 * terminator).
 *
 * Contract: platform-free and clock-free (the caller decides when a partial
 * line has been idle long enough to flush); the storage is the caller's; a
 * line handed out stays valid until the next call on the framer. Not
 * thread-safe: one framer per stream. */
#ifndef CHAT_CORE_FRAMER_H
#define CHAT_CORE_FRAMER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum FrameEvent {
    FRAME_NONE,     /* all input consumed, no complete line */
    FRAME_LINE,     /* a complete line (without its "\r\n" or "\n") */
    FRAME_TOO_LONG, /* a line passed `cap` bytes: here are its first `cap` */
} FrameEvent;

typedef struct LineFramer {
    char *buf;       /* caller's storage of cap + 1 bytes */
    size_t cap;      /* longest line, without its "\r\n" */
    size_t len;      /* bytes of the partial line held in buf: at most cap, or
                        cap + 1 when the last one is a "\r" */
    bool discarding; /* past the bound: dropping bytes up to the next "\n" */
} LineFramer;

/* buf must hold cap + 1 bytes (room for a "\r" after a line of exactly cap
 * bytes) and outlive the framer; cap > 0. */
void framer_init(LineFramer *f, char *buf, size_t cap);

/* Consumes data[0..len) up to and including the first event, and returns how
 * many bytes it consumed: call again with the rest until it returns with
 * FRAME_NONE. On FRAME_LINE and FRAME_TOO_LONG, *line and *line_len describe
 * the line (not NUL-terminated). */
size_t framer_feed(LineFramer *f, const char *data, size_t len, FrameEvent *ev,
                   const char **line, size_t *line_len);

/* Called for each FRAME_LINE or FRAME_TOO_LONG; returns false to stop. The
 * line is writable: it is the framer's own buffer (or a part of it). */
typedef bool (*FrameFn)(void *ctx, FrameEvent ev, char *line, size_t len);

/* Feeds all of data[0..len), calling fn for each complete (or too long)
 * line. Returns false as soon as fn does, with the rest unread. */
bool framer_feed_all(LineFramer *f, const char *data, size_t len, FrameFn fn, void *ctx);

/* True when bytes of an unterminated line are held (or being discarded). */
bool framer_pending(const LineFramer *f);

/* Ends the current message without a "\n": returns true and the held bytes as
 * a line when there are any (a trailing "\r" dropped), and ends any discarding,
 * so the next byte starts a new line. */
bool framer_flush(LineFramer *f, const char **line, size_t *line_len);

#endif
