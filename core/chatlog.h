/* chatlog.h: the chat view's model: a bounded ring of lines, their wrapped
 * layout in three columns (time, name, text), the scroll position, the
 * caret and selection, search, links and the unread marker. The window
 * class (gui/logview.c) only measures text, paints what this says, and
 * turns input into calls here.
 *
 * Contract: platform-free and single-threaded; text is UTF-16 code units
 * (uint16_t), never NUL-terminated inside the model. Widths come from the
 * caller's ChatLogFit callback and are in pixels. Every function accepts
 * any input (a dropped line's seq, an offset past the end, a zero width)
 * and stays within its buffers: positions are clamped, never trusted.
 * Nothing here allocates per paint; a line's layout is computed when first
 * asked for after the geometry or the font changed (so a resize costs only
 * the lines shown). */
#ifndef CHAT_CORE_CHATLOG_H
#define CHAT_CORE_CHATLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/u16text.h"

#define CHATLOG_DEFAULT_LINES 100000
#define CHATLOG_MIN_LINES 100
#define CHATLOG_MAX_LINES 1000000
#define CHATLOG_MAX_TEXT 70000 /* units of one line's text; the rest is cut */
#define CHATLOG_MAX_NAME 512   /* units of a name; the rest is cut */

/* What a line is; how the view styles it. */
typedef enum ChatLogKind {
    CHATLOG_CHAT,   /* NAME: TEXT (a chat line with no name has name_len 0) */
    CHATLOG_NOTICE, /* the server's "*** ... ***" */
    CHATLOG_LOCAL,  /* the client's own "--- ..." notices */
} ChatLogKind;

/* Flags of a line (ChatLogLine.flags). */
enum {
    CHATLOG_OWN = 1,     /* written by this user */
    CHATLOG_MENTION = 2, /* mentions this user's name (u16_mentions) */
    CHATLOG_RTL = 4,     /* a chat line whose text's first strong
                            character is right-to-left: rows are drawn
                            right-aligned with right-to-left reading order
                            (set by chatlog_append; never for notices) */
};

/* One stored line. The first name_len units of text[] are the name, the
 * other len - name_len the message. Read-only outside chatlog.c. */
typedef struct ChatLogLine {
    uint64_t seq;       /* 1, 2, ...: never reused, survives drops */
    uint32_t len;       /* units in text[] */
    uint32_t time;      /* seconds since midnight (h * 3600 + m * 60 + s) */
    uint16_t name_len;
    uint8_t kind;       /* ChatLogKind */
    uint8_t flags;
    uint32_t gen;       /* the layout generation rows/breaks belong to */
    uint32_t rows;      /* wrapped rows of the message (>= 1) */
    int name_w;         /* the name's width, measured once (before breaks:
                           no padding, the header is 40 bytes) */
    uint32_t *breaks;   /* rows - 1 offsets (into the message part) where
                           rows 1.. start; NULL when rows == 1 */
    uint16_t text[];
} ChatLogLine;

/* Measures: how many of the n units of s fit in max_w pixels (0..n units;
 * a surrogate pair fits whole or not at all), and through *w their width. Called for
 * a row's text and for a name; must be pure (same input, same answer)
 * until the caller calls chatlog_relayout. */
typedef size_t (*ChatLogFit)(void *ctx, const uint16_t *s, size_t n, int max_w, int *w);

/* The view's geometry, in pixels. */
typedef struct ChatLogGeometry {
    int width;    /* the client area's width */
    int height;   /* the client area's height */
    int row_h;    /* one row's height (> 0) */
    int time_w;   /* the time column ("00:00:00"), its gap included */
    int name_cap; /* the widest the name column may grow */
    int gap;      /* between the name column and the text, and the
                     right margin */
} ChatLogGeometry;

typedef struct ChatLog ChatLog;

/* A position: a line and an offset into its text[] (name then message).
 * Offsets < name_len are in the name. */
typedef struct ChatLogPos {
    uint64_t seq;
    uint32_t off;
} ChatLogPos;

/* max_lines is clamped to [CHATLOG_MIN_LINES, CHATLOG_MAX_LINES]. NULL
 * when out of memory. */
ChatLog *chatlog_new(size_t max_lines, ChatLogFit fit, void *fit_ctx);
void chatlog_free(ChatLog *log);

/* Changes the scrollback; the oldest lines go first if it shrinks. */
void chatlog_set_max(ChatLog *log, size_t max_lines);

/* Appends a line (the oldest is dropped when full). The text is copied;
 * TAB shows as a space and any other C0 control or DEL as its picture
 * (U+2400..), so a copied line never holds a line break; a name or text
 * over its maximum is cut on a character boundary; time is taken modulo
 * a day. When the view was at the bottom it stays there.
 * Returns the new line's seq, or 0 when out of memory (nothing changed). */
uint64_t chatlog_append(ChatLog *log, uint32_t time, ChatLogKind kind, unsigned flags,
                        const uint16_t *name, size_t name_len, const uint16_t *text,
                        size_t text_len);

/* Drops every line (seqs keep counting); selection, search hits and marker
 * go with them. */
void chatlog_clear(ChatLog *log);

size_t chatlog_count(const ChatLog *log);
uint64_t chatlog_first_seq(const ChatLog *log); /* 0 when empty */
uint64_t chatlog_last_seq(const ChatLog *log);  /* 0 when empty */
/* The line, or NULL when seq was dropped or never existed. Valid until the
 * next append, clear or set_max. */
const ChatLogLine *chatlog_line(const ChatLog *log, uint64_t seq);

/* --- layout ---------------------------------------------------------------- */

/* Sets the geometry; a change of width or columns lays lines out again
 * (lazily). Keeps the top line in view, or the bottom when following.
 * Values are clamped to [0, 1000000] (row_h to at least 1); a width of 0
 * (not sized yet, minimized) wraps nothing, so it costs no layout. */
void chatlog_set_geometry(ChatLog *log, const ChatLogGeometry *g);
/* The font changed: names are measured again at once (the name column is
 * the widest of them), rows lazily. */
void chatlog_relayout(ChatLog *log);

/* Where the columns are: the name column spans [time_w, text_x - gap) and
 * is as wide as the widest name stored, up to name_cap; the text starts at
 * text_x and wraps at width - gap (at least one character per row). */
int chatlog_name_w(const ChatLog *log);
int chatlog_text_x(const ChatLog *log);

/* The rows of a line's message (laying it out if needed), and where row
 * `row` starts and ends, as offsets into text[] (so name_len included). A
 * row ends after the spaces it wrapped at. 0 rows for a dropped seq. An
 * offset where a row ends and the next begins is on the next row (the
 * caret is drawn there); the name's offsets are on row 0. */
uint32_t chatlog_rows(ChatLog *log, uint64_t seq);
bool chatlog_row_span(ChatLog *log, uint64_t seq, uint32_t row, uint32_t *from, uint32_t *to);

/* --- scrolling --------------------------------------------------------------- */

/* The view's top: a line and a row of it. */
typedef struct ChatLogTop {
    uint64_t seq;
    uint32_t row;
} ChatLogTop;

ChatLogTop chatlog_top(const ChatLog *log);
/* Scrolls by rows (negative: up), clamped to the first row of the first
 * line and the last row of the last line at the bottom of the view. */
void chatlog_scroll_rows(ChatLog *log, long rows);
void chatlog_scroll_home(ChatLog *log);
void chatlog_scroll_end(ChatLog *log); /* and follow new lines again */
/* Scrolls so line `index` (0 = the oldest stored) is at the top: the
 * scroll bar's position. */
void chatlog_scroll_to_index(ChatLog *log, size_t index);
size_t chatlog_top_index(const ChatLog *log);
/* Rows that fit in the view (height / row_h, at least 1). */
int chatlog_page_rows(const ChatLog *log);
/* At the bottom: new lines scroll the view. */
bool chatlog_following(const ChatLog *log);
/* Lines appended since the view last was at the bottom (0 when
 * following): "N new lines below". */
size_t chatlog_waiting(const ChatLog *log);

/* Rows from the top of the view: calls visit(ctx, seq, row, y) for each
 * row that is at least partly in [y0, y1) (client coordinates), in order;
 * stops when visit returns false. */
typedef bool (*ChatLogVisit)(void *ctx, uint64_t seq, uint32_t row, int y);
void chatlog_visit_rows(ChatLog *log, int y0, int y1, ChatLogVisit visit, void *ctx);
/* The first and last line with a row in view (0, 0 when empty). */
void chatlog_lines_in_view(ChatLog *log, uint64_t *first, uint64_t *last);

/* --- hit-testing, caret and selection ------------------------------------------ */

typedef enum ChatLogWhere {
    CHATLOG_HIT_NONE, /* below the last line or an empty log */
    CHATLOG_HIT_TIME,
    CHATLOG_HIT_NAME,
    CHATLOG_HIT_TEXT,
} ChatLogWhere;

/* The position under client point (x, y): in the text, the offset of the
 * nearest character boundary on that row (x mirrored on a right-to-left
 * row); in the time or name column, offset 0 of the line; below the last
 * row, the end of the last line. */
ChatLogWhere chatlog_hit(ChatLog *log, int x, int y, ChatLogPos *pos);

/* The caret (where keyboard selection extends from) and the anchor. The
 * selection is [min, max) of the two; empty when equal. */
void chatlog_select(ChatLog *log, ChatLogPos anchor, ChatLogPos caret);
void chatlog_select_word(ChatLog *log, ChatLogPos at); /* double-click */
void chatlog_select_line(ChatLog *log, ChatLogPos at); /* triple-click */
void chatlog_select_all(ChatLog *log);
void chatlog_select_none(ChatLog *log);
ChatLogPos chatlog_caret(const ChatLog *log);
/* The ordered selection; false when empty. */
bool chatlog_selection(const ChatLog *log, ChatLogPos *from, ChatLogPos *to);

typedef enum ChatLogMove {
    CHATLOG_LEFT,
    CHATLOG_RIGHT,
    CHATLOG_WORD_LEFT,
    CHATLOG_WORD_RIGHT,
    CHATLOG_UP,        /* a row up, at about the same x */
    CHATLOG_DOWN,
    CHATLOG_PAGE_UP,   /* a page of rows */
    CHATLOG_PAGE_DOWN,
    CHATLOG_ROW_START, /* Home */
    CHATLOG_ROW_END,   /* End */
    CHATLOG_DOC_START, /* Ctrl+Home */
    CHATLOG_DOC_END,   /* Ctrl+End */
} ChatLogMove;

/* Moves the caret (extend: the anchor stays, the selection grows; else
 * the selection collapses to the caret) and scrolls it into view. */
void chatlog_move(ChatLog *log, ChatLogMove how, bool extend);

/* The text from `from` to `to` as plain text: each line
 * "[HH:MM:SS] NAME: TEXT" (or "[HH:MM:SS] TEXT" without a name), CRLF
 * between lines; a line entered or left in the middle gives only its
 * part (its stamp and name only when `from` is at its start). Writes at
 * most cap - 1 units and a NUL (nothing when cap is 0); returns the
 * length of the whole text (so a first call with cap 0 sizes the
 * buffer). */
size_t chatlog_format(const ChatLog *log, ChatLogPos from, ChatLogPos to, uint16_t *out,
                      size_t cap);
/* Every line, each ending with CRLF (WM_GETTEXT, Save Log As). */
size_t chatlog_format_all(const ChatLog *log, uint16_t *out, size_t cap);
/* The lines with a row in view, as chatlog_format_all formats them (an
 * accessible object's value). */
size_t chatlog_format_view(ChatLog *log, uint16_t *out, size_t cap);

/* --- styling of a row ---------------------------------------------------------- */

enum {
    CHATLOG_SPAN_SELECTED = 1,
    CHATLOG_SPAN_MATCH = 2,   /* a search hit */
    CHATLOG_SPAN_CURRENT = 4, /* the hit F3 went to */
    CHATLOG_SPAN_LINK = 8,
};

typedef struct ChatLogSpan {
    uint32_t from, to; /* offsets into text[] */
    unsigned style;    /* CHATLOG_SPAN_* */
} ChatLogSpan;

/* Cuts [from, to) of line seq into runs of one style, in order, covering
 * it exactly; returns how many (at most max; the last run reaches `to`
 * when it fits). */
size_t chatlog_spans(ChatLog *log, uint64_t seq, uint32_t from, uint32_t to, ChatLogSpan *out,
                     size_t max);

/* --- links ------------------------------------------------------------------------ */

/* The link at pos (in a line's message), if any: what u16_find_link
 * finds there (core/u16text.h says what a link is). */
bool chatlog_link_at(ChatLog *log, ChatLogPos pos, uint32_t *from, uint32_t *to);

/* --- search ----------------------------------------------------------------------- */

/* Sets what to find (case-insensitive, in the messages and names; empty:
 * no search). Returns the number of hits in the stored lines: every
 * occurrence, overlapping ones too, none across a name's end or inside a
 * surrogate pair. The count follows appends and drops. */
size_t chatlog_find_set(ChatLog *log, const uint16_t *needle, size_t n);
/* Goes to the next (or previous) hit after (before) the current one or the
 * caret, wrapping around; selects it and scrolls it into view. False when
 * there is none. */
bool chatlog_find_next(ChatLog *log, bool backward);
size_t chatlog_find_count(const ChatLog *log);

/* --- marker ------------------------------------------------------- */

/* The unread marker: drawn above line seq (0: none). A dropped seq puts
 * it above the oldest line (as dropping its line does); one not stored
 * yet removes it. */
void chatlog_set_marker(ChatLog *log, uint64_t seq);
uint64_t chatlog_marker(const ChatLog *log);

#endif
