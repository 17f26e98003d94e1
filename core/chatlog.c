/* chatlog.c: the chat view's model (see chatlog.h): a ring of lines, their
 * lazily wrapped layout, scrolling, caret and selection, plain text, styled
 * runs, links, search and the unread marker. The rules of the text itself
 * (characters, breaks, direction, folding, what a link is) are
 * core/u16text.c's. */
#include "core/chatlog.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/u16text.h"
#include "core/utf8.h"

#define GEOM_MAX 1000000 /* pixels: sums of a few geometry values fit an int */
#define FIT_CHUNK                                                                      \
    256 /* units measured at once when wrapping (doubled as                            \
           needed), so a 70,000-unit line is not measured                              \
           whole for each of its rows */
#define DAY (24u * 3600u)

struct ChatLog {
    /* The lines, oldest first from head; seq first_seq + i is slot
     * (head + i) % ring_cap. The ring grows by doubling up to max. */
    ChatLogLine **ring;
    size_t ring_cap, head, count, max;
    uint64_t first_seq, next_seq;

    /* The name column follows the widest name stored while the oldest
     * lines drop: a sliding-window maximum, the seqs of the lines whose name
     * is wider than every later one's, oldest first (capacity ring_cap).
     * Its front is the widest; O(1) amortized per append and drop. */
    uint64_t *wide;
    size_t wide_head, wide_len;

    ChatLogFit fit;
    void *fit_ctx;
    ChatLogGeometry g;
    int name_col, text_x, text_w; /* the columns (text_w >= 0) */
    int wrap_w;                   /* text_w, or INT_MAX when not sized */
    uint32_t gen;                 /* lines whose gen differs are laid out again */
    uint32_t *scratch;            /* a line's breaks while it is laid out */
    size_t scratch_cap;

    ChatLogTop top;
    bool following;
    size_t waiting;

    ChatLogPos anchor, caret;
    bool have_goal; /* up/down keep the x they started from */
    int goal_x;

    uint16_t *needle; /* folded */
    uint32_t *kmp;    /* the needle's failure function */
    size_t nlen, hits;
    ChatLogPos current; /* seq 0: no current hit */

    uint64_t marker;
};

/* --- measuring -------------------------------------------------------------- */

/* One pixel a unit: the model still works when no callback was given. */
static size_t fit_default(void *ctx, const uint16_t *s, size_t n, int max_w, int *w)
{
    (void)ctx;
    (void)s;
    size_t k = max_w <= 0 ? 0 : (size_t)max_w < n ? (size_t)max_w : n;
    *w = (int)k;
    return k;
}

/* The caller's fit, never trusted: clamped to n, moved off the middle of a
 * surrogate pair (measured again then), width clamped to [0, GEOM_MAX]. */
static size_t fit_units(const ChatLog *log, const uint16_t *s, size_t n, int max_w,
                        int *w)
{
    int width = 0;
    size_t k = 0;
    if (n > 0) {
        k = log->fit(log->fit_ctx, s, n, max_w < 0 ? 0 : max_w, &width);
        if (k > n)
            k = n;
        if (k > 0 && k < n && u16_is_high(s[k - 1]) && u16_is_low(s[k])) {
            k--;
            if (w)
                log->fit(log->fit_ctx, s, k, INT_MAX, &width);
        }
    }
    if (w)
        *w = k == 0 ? 0 : width < 0 ? 0 : width > GEOM_MAX ? GEOM_MAX : width;
    return k;
}

static int width_of(const ChatLog *log, const uint16_t *s, size_t n)
{
    int w;
    fit_units(log, s, n, INT_MAX, &w);
    return w;
}

/* How many units of s[0, n) fit in max_w, measuring a growing prefix. */
static size_t fit_row(const ChatLog *log, const uint16_t *s, size_t n, int max_w)
{
    size_t chunk = n < FIT_CHUNK ? n : FIT_CHUNK;
    for (;;) {
        size_t t = chunk;
        if (t < n && u16_is_high(s[t - 1]) && u16_is_low(s[t]))
            t++; /* never measure half a pair */
        size_t k = fit_units(log, s, t, max_w, NULL);
        if (k < t || t >= n)
            return k;
        chunk = t * 2 < n ? t * 2 : n;
    }
}

/* --- the ring ----------------------------------------------------------------- */

static ChatLogLine *line_at(const ChatLog *log, uint64_t seq)
{
    if (log->count == 0 || seq < log->first_seq || seq - log->first_seq >= log->count)
        return NULL;
    return log->ring[(log->head + (size_t)(seq - log->first_seq)) % log->ring_cap];
}

static uint64_t last_seq(const ChatLog *log)
{
    return log->first_seq + log->count - 1;
}

/* Moves the ring and the widest-name queue into arrays of cap >= count
 * slots, oldest first. False when out of memory (nothing changed). */
static bool ring_resize(ChatLog *log, size_t cap)
{
    ChatLogLine **r = NULL;
    uint64_t *w = NULL;
    if (cap > 0) {
        r = malloc(cap * sizeof *r);
        w = malloc(cap * sizeof *w);
        if (!r || !w) {
            free(r);
            free(w);
            return false;
        }
        for (size_t i = 0; i < log->count; i++)
            r[i] = log->ring[(log->head + i) % log->ring_cap];
        for (size_t i = 0; i < log->wide_len; i++)
            w[i] = log->wide[(log->wide_head + i) % log->ring_cap];
    }
    free(log->ring);
    free(log->wide);
    log->ring = r;
    log->wide = w;
    log->ring_cap = cap;
    log->head = log->wide_head = 0;
    return true;
}

static int widest_name(const ChatLog *log)
{
    return log->wide_len ? line_at(log, log->wide[log->wide_head])->name_w : 0;
}

/* l was just stored: later lines no wider than it can never be the widest
 * again while it is stored, so they leave the queue. */
static void wide_push(ChatLog *log, const ChatLogLine *l)
{
    if (l->name_w <= 0)
        return;
    while (log->wide_len) {
        size_t back = (log->wide_head + log->wide_len - 1) % log->ring_cap;
        if (line_at(log, log->wide[back])->name_w > l->name_w)
            break;
        log->wide_len--;
    }
    log->wide[(log->wide_head + log->wide_len) % log->ring_cap] = l->seq;
    log->wide_len++;
}

/* --- layout ------------------------------------------------------------------ */

static void bump_gen(ChatLog *log)
{
    if (++log->gen == 0)
        log->gen = 1; /* 0 is "never laid out" */
}

/* Where the columns are now; a new text width invalidates every layout. */
static void columns_update(ChatLog *log)
{
    const ChatLogGeometry *g = &log->g;
    int widest = widest_name(log);
    log->name_col = widest < g->name_cap ? widest : g->name_cap;
    log->text_x = g->time_w + log->name_col + g->gap;
    int w = g->width - g->gap - log->text_x;
    log->text_w = w < 0 ? 0 : w;
    int wrap = g->width > 0 ? log->text_w : INT_MAX;
    if (wrap != log->wrap_w) {
        log->wrap_w = wrap;
        bump_gen(log);
    }
}

/* Past the spaces at m[q] (each with any mark on it): they hang in the
 * margin at the end of the row they end, so no row but the first starts
 * with one. */
static size_t skip_spaces(const uint16_t *m, size_t n, size_t q)
{
    while (q < n && m[q] == ' ')
        q = u16_next_boundary(m, n, q);
    return q;
}

/* Where the row that starts at m[s] ends: after the spaces that follow
 * what fits, at the last break opportunity that fits, or, for a word
 * longer than the row, after the last character that fits (at least one,
 * and the spaces after it). */
static size_t row_end(const ChatLog *log, const uint16_t *m, size_t n, size_t s)
{
    size_t q = s + fit_row(log, m + s, n - s, log->wrap_w);
    if (q >= n)
        return n;
    if (m[q] == ' ' && u16_at_boundary(m, n, q))
        return skip_spaces(m, n, q);
    for (size_t p = q; p > s; p--)
        if (u16_can_break(m, n, p))
            return p;
    while (q > s && !u16_at_boundary(m, n, q))
        q--;
    return skip_spaces(m, n, q > s ? q : u16_next_boundary(m, n, s));
}

static bool scratch_push(ChatLog *log, size_t i, uint32_t v)
{
    if (i >= log->scratch_cap) {
        size_t cap = log->scratch_cap ? log->scratch_cap * 2 : 64;
        uint32_t *p = realloc(log->scratch, cap * sizeof *p);
        if (!p)
            return false;
        log->scratch = p;
        log->scratch_cap = cap;
    }
    log->scratch[i] = v;
    return true;
}

/* Wraps l's message for the current generation. Out of memory, it stays
 * one row (drawn clipped) rather than fail. */
static void layout(ChatLog *log, ChatLogLine *l)
{
    if (l->gen == log->gen)
        return;
    const uint16_t *m = l->text + l->name_len;
    size_t n = l->len - l->name_len, s = 0, nb = 0;
    while (s < n) {
        size_t e = row_end(log, m, n, s);
        if (e >= n)
            break;
        if (!scratch_push(log, nb, (uint32_t)e)) {
            nb = 0;
            break;
        }
        nb++;
        s = e;
    }
    free(l->breaks);
    l->breaks = NULL;
    if (nb > 0) {
        l->breaks = malloc(nb * sizeof *l->breaks);
        if (l->breaks)
            memcpy(l->breaks, log->scratch, nb * sizeof *l->breaks);
        else
            nb = 0;
    }
    l->rows = (uint32_t)nb + 1;
    l->gen = log->gen;
}

static uint32_t rows_of(ChatLog *log, ChatLogLine *l)
{
    layout(log, l);
    return l->rows;
}

/* Row r of a laid-out line, as offsets into text[]. */
static void span_of(const ChatLogLine *l, uint32_t r, uint32_t *from, uint32_t *to)
{
    *from = l->name_len + (r == 0 ? 0 : l->breaks[r - 1]);
    *to = r + 1 >= l->rows ? l->len : l->name_len + l->breaks[r];
}

/* The row of offset off of a laid-out line: the last row starting at or
 * before it (so a row's end is the next row's start). */
static uint32_t row_of(const ChatLogLine *l, uint32_t off)
{
    if (off <= l->name_len || l->rows <= 1)
        return 0;
    uint32_t m = off - l->name_len, lo = 0, hi = l->rows - 1; /* breaks[0..hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->breaks[mid] <= m)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* --- rows and the view --------------------------------------------------------- */

static int cmp_top(ChatLogTop a, ChatLogTop b)
{
    if (a.seq != b.seq)
        return a.seq < b.seq ? -1 : 1;
    return a.row < b.row ? -1 : a.row > b.row;
}

/* Moves t by delta rows (clamped to the first and the last row), a line at
 * a time; returns the rows moved (negative: up). t must be a stored row. */
static long walk(ChatLog *log, ChatLogTop *t, long delta)
{
    long moved = 0;
    if (delta < -LONG_MAX)
        delta = -LONG_MAX;
    while (delta > 0) {
        uint32_t below = rows_of(log, line_at(log, t->seq)) - 1 - t->row;
        if ((unsigned long)delta <= below) {
            t->row += (uint32_t)delta;
            return moved + delta;
        }
        if (t->seq == last_seq(log)) {
            t->row += below;
            return moved + (long)below;
        }
        delta -= (long)below + 1;
        moved += (long)below + 1;
        t->seq++;
        t->row = 0;
    }
    while (delta < 0) {
        if ((unsigned long)-delta <= t->row) {
            t->row -= (uint32_t)-delta;
            return moved + delta;
        }
        if (t->seq == log->first_seq) {
            moved -= (long)t->row;
            t->row = 0;
            return moved;
        }
        delta += (long)t->row + 1;
        moved -= (long)t->row + 1;
        t->seq--;
        t->row = rows_of(log, line_at(log, t->seq)) - 1;
    }
    return moved;
}

int chatlog_page_rows(const ChatLog *log)
{
    int rows = log ? log->g.height / log->g.row_h : 1;
    return rows < 1 ? 1 : rows;
}

/* The top that puts the last row at the bottom of the view (or the first
 * row at the top when everything fits). Lays out only the last rows. */
static ChatLogTop max_top(ChatLog *log)
{
    ChatLogTop t = {last_seq(log), 0};
    t.row = rows_of(log, line_at(log, t.seq)) - 1;
    walk(log, &t, -(long)(chatlog_page_rows(log) - 1));
    return t;
}

/* Puts the view's top at t, clamped; the view follows new lines exactly
 * when this is the bottom. */
static void set_top(ChatLog *log, ChatLogTop t)
{
    if (log->count == 0) {
        log->top = (ChatLogTop){0, 0};
        log->following = true;
        log->waiting = 0;
        return;
    }
    if (t.seq < log->first_seq)
        t = (ChatLogTop){log->first_seq, 0};
    if (t.seq > last_seq(log))
        t = (ChatLogTop){last_seq(log), UINT32_MAX};
    uint32_t rows = rows_of(log, line_at(log, t.seq));
    if (t.row >= rows)
        t.row = rows - 1;
    ChatLogTop mx = max_top(log);
    if (cmp_top(t, mx) >= 0)
        t = mx;
    log->top = t;
    log->following = cmp_top(t, mx) == 0;
    if (log->following)
        log->waiting = 0;
}

/* After the layout or the lines changed: the bottom stays the bottom when
 * following, else the top row stays (clamped). */
static void view_fix(ChatLog *log)
{
    if (log->count && log->following)
        set_top(log, max_top(log));
    else
        set_top(log, log->top);
}

/* Scrolls as little as needed to show row t. */
static void show_row(ChatLog *log, ChatLogTop t)
{
    if (cmp_top(t, log->top) < 0) {
        set_top(log, t);
        return;
    }
    walk(log, &t, -(long)(chatlog_page_rows(log) - 1));
    if (cmp_top(t, log->top) > 0)
        set_top(log, t);
}

/* --- positions ------------------------------------------------------------------- */

static int cmp_pos(ChatLogPos a, ChatLogPos b)
{
    if (a.seq != b.seq)
        return a.seq < b.seq ? -1 : 1;
    return a.off < b.off ? -1 : a.off > b.off;
}

/* Any position made a stored one, never inside a surrogate pair (the
 * name's end is a boundary whatever its neighbours). */
static ChatLogPos clamp_pos(const ChatLog *log, ChatLogPos p)
{
    if (log->count == 0)
        return (ChatLogPos){0, 0};
    if (p.seq < log->first_seq)
        return (ChatLogPos){log->first_seq, 0};
    if (p.seq > last_seq(log))
        return (ChatLogPos){last_seq(log), line_at(log, last_seq(log))->len};
    const ChatLogLine *l = line_at(log, p.seq);
    if (p.off > l->len)
        p.off = l->len;
    if (p.off != l->name_len && u16_splits_pair(l->text, l->len, p.off))
        p.off--;
    return p;
}

/* Lines went away: whatever pointed at them points at the oldest left. */
static void clamp_after_drop(ChatLog *log)
{
    ChatLogPos first = {log->count ? log->first_seq : 0, 0};
    if (log->anchor.seq < first.seq)
        log->anchor = first;
    if (log->caret.seq < first.seq)
        log->caret = first;
    if (log->current.seq && log->current.seq < first.seq)
        log->current = (ChatLogPos){0, 0};
    if (log->marker && log->marker < first.seq)
        log->marker = log->count ? first.seq : 0;
    if (log->top.seq < first.seq)
        log->top = (ChatLogTop){first.seq, 0};
    if (log->waiting > log->count)
        log->waiting = log->count;
}

/* --- search ---------------------------------------------------------------------- */

typedef struct Scan {
    const uint16_t *s;
    size_t len;       /* the part scanned: s[0, len) */
    size_t n, pos, q; /* feeds s[pos..n); q: the needle's matched prefix */
} Scan;

/* The start of the next hit in the scanned text (every occurrence,
 * overlapping ones too, so a window of a line finds exactly the hits the
 * whole line has there), or SIZE_MAX. Knuth-Morris-Pratt on folded units. */
static size_t scan_next(const ChatLog *log, Scan *sc)
{
    while (sc->pos < sc->n) {
        uint16_t c = u16_fold(sc->s[sc->pos++]);
        while (sc->q && c != log->needle[sc->q])
            sc->q = log->kmp[sc->q - 1];
        if (c == log->needle[sc->q])
            sc->q++;
        if (sc->q == log->nlen) {
            sc->q = log->kmp[sc->q - 1];
            size_t start = sc->pos - log->nlen;
            if (!u16_splits_pair(sc->s, sc->len, start) &&
                !u16_splits_pair(sc->s, sc->len, sc->pos))
                return start;
        }
    }
    return SIZE_MAX;
}

static size_t count_part(const ChatLog *log, const uint16_t *s, size_t n)
{
    Scan sc = {s, n, n, 0, 0};
    size_t k = 0;
    while (scan_next(log, &sc) != SIZE_MAX)
        k++;
    return k;
}

/* Hits in a line: in its name and in its message, never across. */
static size_t count_hits(const ChatLog *log, const ChatLogLine *l)
{
    if (log->nlen == 0)
        return 0;
    return count_part(log, l->text, l->name_len) +
           count_part(log, l->text + l->name_len, l->len - l->name_len);
}

/* --- creating, appending, dropping ------------------------------------------------ */

static size_t clamp_max(size_t max)
{
    return max < CHATLOG_MIN_LINES   ? CHATLOG_MIN_LINES
           : max > CHATLOG_MAX_LINES ? CHATLOG_MAX_LINES
                                     : max;
}

ChatLog *chatlog_new(size_t max_lines, ChatLogFit fit, void *fit_ctx)
{
    ChatLog *log = calloc(1, sizeof *log);
    if (!log)
        return NULL;
    log->max = clamp_max(max_lines);
    log->next_seq = 1;
    log->fit = fit ? fit : fit_default;
    log->fit_ctx = fit_ctx;
    log->g.row_h = 1;
    log->gen = 1;
    log->following = true;
    columns_update(log);
    return log;
}

static void free_lines(ChatLog *log)
{
    for (size_t i = 0; i < log->count; i++) {
        ChatLogLine *l = log->ring[(log->head + i) % log->ring_cap];
        free(l->breaks);
        free(l);
    }
    log->count = 0;
    log->head = 0;
    log->wide_len = 0;
}

void chatlog_free(ChatLog *log)
{
    if (!log)
        return;
    free_lines(log);
    free(log->ring);
    free(log->wide);
    free(log->scratch);
    free(log->needle);
    free(log->kmp);
    free(log);
}

static void drop_oldest(ChatLog *log)
{
    ChatLogLine *l = log->ring[log->head];
    log->hits -= count_hits(log, l);
    if (log->wide_len && log->wide[log->wide_head] == l->seq) {
        log->wide_head = (log->wide_head + 1) % log->ring_cap;
        log->wide_len--;
    }
    free(l->breaks);
    free(l);
    log->head = (log->head + 1) % log->ring_cap;
    log->count--;
    log->first_seq++;
}

void chatlog_set_max(ChatLog *log, size_t max_lines)
{
    if (!log)
        return;
    log->max = clamp_max(max_lines);
    if (log->count <= log->max && log->ring_cap <= log->max)
        return;
    while (log->count > log->max)
        drop_oldest(log);
    clamp_after_drop(log);
    /* The ring grows again as needed; out of memory, the bigger one stays. */
    size_t cap = log->count < 16 ? 16 : log->count;
    if (cap < log->ring_cap)
        ring_resize(log, cap < log->max ? cap : log->max);
    columns_update(log);
    view_fix(log);
}

/* The length of s[0, n) cut to at most max units, not inside a pair. */
static size_t cut_units(const uint16_t *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    return u16_is_high(s[max - 1]) && u16_is_low(s[max]) ? max - 1 : max;
}

/* Copies text as stored: TAB a space, other controls their pictures. */
static void copy_clean(uint16_t *dst, const uint16_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t c = src[i];
        dst[i] = c == '\t' ? ' ' : c < 0x20 ? 0x2400 + c : c == 0x7F ? 0x2421 : c;
    }
}

static ChatLogLine *make_line(ChatLog *log, uint32_t time, ChatLogKind kind,
                              unsigned flags, const uint16_t *name, size_t nl,
                              const uint16_t *text, size_t tl)
{
    ChatLogLine *l = malloc(sizeof *l + (nl + tl) * sizeof(uint16_t));
    if (!l)
        return NULL;
    memset(l, 0, sizeof *l);
    l->len = (uint32_t)(nl + tl);
    l->time = time % DAY;
    l->name_len = (uint16_t)nl;
    l->kind = (uint8_t)(kind <= CHATLOG_LOCAL ? kind : CHATLOG_CHAT);
    copy_clean(l->text, name, nl);
    copy_clean(l->text + nl, text, tl);
    l->flags = (uint8_t)(flags & (CHATLOG_OWN | CHATLOG_MENTION));
    /* Notices are sentences in English around a name: a name in Arabic
     * must not turn the whole sentence around. */
    if (l->kind == CHATLOG_CHAT && u16_first_strong_is_rtl(l->text + nl, tl))
        l->flags |= CHATLOG_RTL;
    l->name_w = nl ? width_of(log, l->text, nl) : 0;
    return l;
}

uint64_t chatlog_append(ChatLog *log, uint32_t time, ChatLogKind kind, unsigned flags,
                        const uint16_t *name, size_t name_len, const uint16_t *text,
                        size_t text_len)
{
    if (!log)
        return 0;
    size_t nl = name ? cut_units(name, name_len, CHATLOG_MAX_NAME) : 0;
    size_t tl = text ? cut_units(text, text_len, CHATLOG_MAX_TEXT) : 0;
    ChatLogLine *l = make_line(log, time, kind, flags, name, nl, text, tl);
    if (!l)
        return 0;
    if (log->count == log->ring_cap && log->ring_cap < log->max) {
        size_t cap = log->ring_cap < 8 ? 16 : log->ring_cap * 2;
        if (!ring_resize(log, cap < log->max ? cap : log->max)) {
            free(l);
            return 0;
        }
    }
    if (log->count == log->max)
        drop_oldest(log);
    if (log->count == 0)
        log->first_seq = log->next_seq;
    l->seq = log->next_seq++;
    log->ring[(log->head + log->count) % log->ring_cap] = l;
    log->count++;
    wide_push(log, l);
    log->hits += count_hits(log, l);
    clamp_after_drop(log);
    columns_update(log);
    if (!log->following && log->waiting < log->count)
        log->waiting++;
    view_fix(log);
    return l->seq;
}

void chatlog_clear(ChatLog *log)
{
    if (!log)
        return;
    free_lines(log);
    ring_resize(log, 0);
    log->first_seq = log->next_seq;
    log->hits = 0;
    log->anchor = log->caret = log->current = (ChatLogPos){0, 0};
    log->marker = 0;
    log->have_goal = false;
    columns_update(log);
    set_top(log, log->top);
}

size_t chatlog_count(const ChatLog *log)
{
    return log ? log->count : 0;
}

uint64_t chatlog_first_seq(const ChatLog *log)
{
    return log && log->count ? log->first_seq : 0;
}

uint64_t chatlog_last_seq(const ChatLog *log)
{
    return log && log->count ? last_seq(log) : 0;
}

const ChatLogLine *chatlog_line(const ChatLog *log, uint64_t seq)
{
    return log ? line_at(log, seq) : NULL;
}

/* --- layout API --------------------------------------------------------------------
 */

static int clamp_geom(int v, int lo)
{
    return v < lo ? lo : v > GEOM_MAX ? GEOM_MAX : v;
}

void chatlog_set_geometry(ChatLog *log, const ChatLogGeometry *g)
{
    if (!log || !g)
        return;
    log->g.width = clamp_geom(g->width, 0);
    log->g.height = clamp_geom(g->height, 0);
    log->g.row_h = clamp_geom(g->row_h, 1);
    log->g.time_w = clamp_geom(g->time_w, 0);
    log->g.name_cap = clamp_geom(g->name_cap, 0);
    log->g.gap = clamp_geom(g->gap, 0);
    columns_update(log);
    view_fix(log);
}

void chatlog_relayout(ChatLog *log)
{
    if (!log)
        return;
    log->wide_len = 0;
    for (size_t i = 0; i < log->count; i++) {
        ChatLogLine *l = log->ring[(log->head + i) % log->ring_cap];
        l->name_w = l->name_len ? width_of(log, l->text, l->name_len) : 0;
        wide_push(log, l);
    }
    bump_gen(log);
    columns_update(log);
    view_fix(log);
}

int chatlog_name_w(const ChatLog *log)
{
    return log ? log->name_col : 0;
}

int chatlog_text_x(const ChatLog *log)
{
    return log ? log->text_x : 0;
}

uint32_t chatlog_rows(ChatLog *log, uint64_t seq)
{
    ChatLogLine *l = log ? line_at(log, seq) : NULL;
    return l ? rows_of(log, l) : 0;
}

bool chatlog_row_span(ChatLog *log, uint64_t seq, uint32_t row, uint32_t *from,
                      uint32_t *to)
{
    ChatLogLine *l = log ? line_at(log, seq) : NULL;
    if (!l || row >= rows_of(log, l))
        return false;
    uint32_t f, t;
    span_of(l, row, &f, &t);
    if (from)
        *from = f;
    if (to)
        *to = t;
    return true;
}

/* --- scrolling API ------------------------------------------------------------------
 */

ChatLogTop chatlog_top(const ChatLog *log)
{
    return log ? log->top : (ChatLogTop){0, 0};
}

void chatlog_scroll_rows(ChatLog *log, long rows)
{
    if (!log || !log->count)
        return;
    ChatLogTop t = log->top;
    walk(log, &t, rows);
    set_top(log, t);
}

void chatlog_scroll_home(ChatLog *log)
{
    if (log)
        set_top(log, (ChatLogTop){log->first_seq, 0});
}

void chatlog_scroll_end(ChatLog *log)
{
    if (log && log->count)
        set_top(log, max_top(log));
}

void chatlog_scroll_to_index(ChatLog *log, size_t index)
{
    if (!log || !log->count)
        return;
    if (index >= log->count)
        index = log->count - 1;
    set_top(log, (ChatLogTop){log->first_seq + index, 0});
}

size_t chatlog_top_index(const ChatLog *log)
{
    return log && log->count ? (size_t)(log->top.seq - log->first_seq) : 0;
}

bool chatlog_following(const ChatLog *log)
{
    return log ? log->following : true;
}

size_t chatlog_waiting(const ChatLog *log)
{
    return log ? log->waiting : 0;
}

/* The view's height for drawing: at least one row, as page_rows says. */
static int view_h(const ChatLog *log)
{
    return log->g.height > log->g.row_h ? log->g.height : log->g.row_h;
}

void chatlog_visit_rows(ChatLog *log, int y0, int y1, ChatLogVisit visit, void *ctx)
{
    if (!log || !visit || !log->count)
        return;
    int h = log->g.row_h;
    if (y0 < 0)
        y0 = 0;
    if (y1 > view_h(log))
        y1 = view_h(log);
    if (y0 >= y1)
        return;
    long i = y0 / h;
    ChatLogTop t = log->top;
    if (walk(log, &t, i) < i)
        return;
    for (; i * h < y1; i++) {
        if (!visit(ctx, t.seq, t.row, (int)(i * h)))
            return;
        /* The callback may only read, but never trust a stale row. */
        ChatLogLine *l = line_at(log, t.seq);
        if (!l || t.row >= rows_of(log, l) || walk(log, &t, 1) < 1)
            return;
    }
}

void chatlog_lines_in_view(ChatLog *log, uint64_t *first, uint64_t *last)
{
    uint64_t f = 0, e = 0;
    if (log && log->count) {
        ChatLogTop t = log->top;
        long rows = (view_h(log) + log->g.row_h - 1) / log->g.row_h;
        f = t.seq;
        walk(log, &t, rows - 1);
        e = t.seq;
    }
    if (first)
        *first = f;
    if (last)
        *last = e;
}

/* --- hit-testing -------------------------------------------------------------------
 */

/* The x of a boundary at `w` pixels into a row (mirrored on an RTL row),
 * and back: the distance into the row of pixel x. */
static int row_x(const ChatLog *log, const ChatLogLine *l, int w)
{
    return (l->flags & CHATLOG_RTL) ? log->text_x + log->text_w - 1 - w
                                    : log->text_x + w;
}

static long long row_d(const ChatLog *log, const ChatLogLine *l, int x)
{
    return (l->flags & CHATLOG_RTL) ? (long long)log->text_x + log->text_w - 1 - x
                                    : (long long)x - log->text_x;
}

/* The boundary of row r of l nearest to client x. */
static uint32_t hit_row(ChatLog *log, ChatLogLine *l, uint32_t r, int x)
{
    uint32_t from, to;
    span_of(l, r, &from, &to);
    const uint16_t *m = l->text + l->name_len;
    size_t mn = l->len - l->name_len, a = from - l->name_len, n = to - from;
    long long d = row_d(log, l, x);
    if (d <= 0 || n == 0)
        return from;
    int wk;
    size_t k = fit_units(log, m + a, n, d > INT_MAX ? INT_MAX : (int)d, &wk);
    if (k < n && !u16_at_boundary(m, mn, a + k)) {
        while (k > 0 && !u16_at_boundary(m, mn, a + k))
            k--;
        wk = width_of(log, m + a, k);
    }
    if (k >= n)
        return to;
    size_t c = u16_next_boundary(m, mn, a + k) - a;
    int wc = width_of(log, m + a, c);
    return from + (uint32_t)((d - wk < wc - d) ? k : c);
}

ChatLogWhere chatlog_hit(ChatLog *log, int x, int y, ChatLogPos *pos)
{
    ChatLogPos p = {0, 0};
    ChatLogWhere where = CHATLOG_HIT_NONE;
    if (log && log->count) {
        /* floor(y / row_h), without negating INT_MIN */
        long r = y >= 0 ? y / log->g.row_h : -(long)(-(y + 1) / log->g.row_h) - 1;
        ChatLogTop t = log->top;
        ChatLogLine *l;
        if (r > 0 && walk(log, &t, r) < r) {
            p = (ChatLogPos){last_seq(log), line_at(log, last_seq(log))->len};
        } else {
            if (r < 0)
                walk(log, &t, r);
            l = line_at(log, t.seq);
            p.seq = t.seq;
            if (x < log->g.time_w) {
                where = CHATLOG_HIT_TIME;
            } else if (x < log->text_x) {
                where = CHATLOG_HIT_NAME;
            } else {
                where = CHATLOG_HIT_TEXT;
                p.off = hit_row(log, l, t.row, x);
            }
        }
    }
    if (pos)
        *pos = p;
    return where;
}

/* --- caret and selection ------------------------------------------------------------
 */

static void put_selection(ChatLog *log, ChatLogPos anchor, ChatLogPos caret)
{
    log->anchor = clamp_pos(log, anchor);
    log->caret = clamp_pos(log, caret);
    log->have_goal = false;
}

void chatlog_select(ChatLog *log, ChatLogPos anchor, ChatLogPos caret)
{
    if (!log)
        return;
    put_selection(log, anchor, caret);
    log->current = (ChatLogPos){0, 0};
}

/* The part of l that off is in: [*lo, *hi) (the name, or the message; an
 * offset at the name's end counts as the message's start). */
static void part_of(const ChatLogLine *l, uint32_t off, uint32_t *lo, uint32_t *hi)
{
    bool name = off < l->name_len;
    *lo = name ? 0 : l->name_len;
    *hi = name ? l->name_len : l->len;
}

void chatlog_select_word(ChatLog *log, ChatLogPos at)
{
    if (!log)
        return;
    at = clamp_pos(log, at);
    const ChatLogLine *l = line_at(log, at.seq);
    if (!l) {
        chatlog_select(log, at, at);
        return;
    }
    uint32_t lo, hi, a = at.off, b;
    part_of(l, at.off, &lo, &hi);
    if (a == hi && a > lo)
        a--; /* at the end: the word before */
    if (a >= hi) {
        chatlog_select(log, at, at);
        return;
    }
    int cls = u16_word_class(l->text[a]);
    b = a + 1;
    while (a > lo && u16_word_class(l->text[a - 1]) == cls)
        a--;
    while (b < hi && u16_word_class(l->text[b]) == cls)
        b++;
    chatlog_select(log, (ChatLogPos){at.seq, a}, (ChatLogPos){at.seq, b});
}

void chatlog_select_line(ChatLog *log, ChatLogPos at)
{
    if (!log)
        return;
    at = clamp_pos(log, at);
    const ChatLogLine *l = line_at(log, at.seq);
    chatlog_select(log, (ChatLogPos){at.seq, 0}, (ChatLogPos){at.seq, l ? l->len : 0});
}

void chatlog_select_all(ChatLog *log)
{
    if (!log)
        return;
    chatlog_select(log, (ChatLogPos){0, 0}, (ChatLogPos){UINT64_MAX, UINT32_MAX});
}

void chatlog_select_none(ChatLog *log)
{
    if (log)
        chatlog_select(log, log->caret, log->caret);
}

ChatLogPos chatlog_caret(const ChatLog *log)
{
    return log ? log->caret : (ChatLogPos){0, 0};
}

bool chatlog_selection(const ChatLog *log, ChatLogPos *from, ChatLogPos *to)
{
    if (!log)
        return false;
    int c = cmp_pos(log->anchor, log->caret);
    ChatLogPos a = c <= 0 ? log->anchor : log->caret,
               b = c <= 0 ? log->caret : log->anchor;
    if (from)
        *from = a;
    if (to)
        *to = b;
    return c != 0;
}

/* --- keyboard moves ------------------------------------------------------------------
 */

/* One character left or right; across lines at their ends. The name's end
 * is a boundary whatever follows it. */
static ChatLogPos pos_left(const ChatLog *log, ChatLogPos p)
{
    const ChatLogLine *l = line_at(log, p.seq);
    if (p.off == 0) {
        const ChatLogLine *prev = line_at(log, p.seq - 1);
        return prev ? (ChatLogPos){p.seq - 1, prev->len} : p;
    }
    uint32_t lo = p.off > l->name_len ? l->name_len : 0;
    p.off = lo + (uint32_t)u16_prev_boundary(l->text + lo, l->len - lo, p.off - lo);
    return p;
}

static ChatLogPos pos_right(const ChatLog *log, ChatLogPos p)
{
    const ChatLogLine *l = line_at(log, p.seq);
    if (p.off >= l->len)
        return line_at(log, p.seq + 1) ? (ChatLogPos){p.seq + 1, 0} : p;
    uint32_t lo, hi;
    part_of(l, p.off, &lo, &hi);
    p.off = lo + (uint32_t)u16_next_boundary(l->text + lo, hi - lo, p.off - lo);
    return p;
}

/* Ctrl+Right: past the word (or punctuation) and the spaces after it. */
static ChatLogPos word_right(const ChatLog *log, ChatLogPos p)
{
    const ChatLogLine *l = line_at(log, p.seq);
    if (p.off >= l->len)
        return pos_right(log, p);
    uint32_t lo, hi, i = p.off;
    part_of(l, p.off, &lo, &hi);
    int cls = u16_word_class(l->text[i]);
    if (cls != 0)
        while (i < hi && u16_word_class(l->text[i]) == cls)
            i++;
    while (i < hi && u16_word_class(l->text[i]) == 0)
        i++;
    return (ChatLogPos){p.seq, i};
}

/* Ctrl+Left: back over spaces, then to the start of the word before. */
static ChatLogPos word_left(const ChatLog *log, ChatLogPos p)
{
    const ChatLogLine *l = line_at(log, p.seq);
    if (p.off == 0)
        return pos_left(log, p);
    uint32_t lo = p.off > l->name_len ? l->name_len : 0, i = p.off;
    while (i > lo && u16_word_class(l->text[i - 1]) == 0)
        i--;
    if (i > lo) {
        int cls = u16_word_class(l->text[i - 1]);
        while (i > lo && u16_word_class(l->text[i - 1]) == cls)
            i--;
    }
    return (ChatLogPos){p.seq, i};
}

/* Home: the row's start; on the first row the message's, then the line's. */
static ChatLogPos row_start(ChatLog *log, ChatLogPos p)
{
    ChatLogLine *l = line_at(log, p.seq);
    layout(log, l);
    uint32_t from, to;
    span_of(l, row_of(l, p.off), &from, &to);
    p.off = (from == l->name_len && p.off <= from) ? 0 : from;
    return p;
}

/* End: the line's end on its last row; else the end of the row's text
 * (before the spaces it wrapped at, so the caret stays on the row), or the
 * row's end when it broke inside a word. */
static ChatLogPos row_end_pos(ChatLog *log, ChatLogPos p)
{
    ChatLogLine *l = line_at(log, p.seq);
    layout(log, l);
    uint32_t r = row_of(l, p.off), from, to;
    span_of(l, r, &from, &to);
    if (r + 1 < l->rows && l->text[to - 1] == ' ') {
        while (to > from && l->text[to - 1] == ' ')
            to--;
    }
    p.off = to;
    return p;
}

/* The caret's x for up/down: where it is drawn. */
static int caret_x(ChatLog *log, ChatLogPos p)
{
    ChatLogLine *l = line_at(log, p.seq);
    layout(log, l);
    uint32_t from, to;
    span_of(l, row_of(l, p.off), &from, &to);
    int w = p.off > from ? width_of(log, l->text + from, p.off - from) : 0;
    return row_x(log, l, w);
}

/* Up/down/page: `rows` rows away at the goal x (clamped to the first and
 * last row; no move at all leaves the caret). */
static ChatLogPos pos_vertical(ChatLog *log, ChatLogPos p, long rows)
{
    if (!log->have_goal) {
        log->goal_x = caret_x(log, p);
        log->have_goal = true;
    }
    ChatLogLine *l = line_at(log, p.seq);
    layout(log, l);
    ChatLogTop t = {p.seq, row_of(l, p.off)};
    if (walk(log, &t, rows) == 0)
        return p;
    return (ChatLogPos){t.seq, hit_row(log, line_at(log, t.seq), t.row, log->goal_x)};
}

static ChatLogPos move_pos(ChatLog *log, ChatLogMove how, bool extend)
{
    ChatLogPos c = log->caret, from, to;
    bool sel = chatlog_selection(log, &from, &to);
    long page = chatlog_page_rows(log);
    switch (how) {
    case CHATLOG_LEFT:
        return (sel && !extend) ? from : pos_left(log, c);
    case CHATLOG_RIGHT:
        return (sel && !extend) ? to : pos_right(log, c);
    case CHATLOG_WORD_LEFT:
        return word_left(log, c);
    case CHATLOG_WORD_RIGHT:
        return word_right(log, c);
    case CHATLOG_UP:
        return pos_vertical(log, c, -1);
    case CHATLOG_DOWN:
        return pos_vertical(log, c, 1);
    case CHATLOG_PAGE_UP:
        chatlog_scroll_rows(log, -page);
        return pos_vertical(log, c, -page);
    case CHATLOG_PAGE_DOWN:
        chatlog_scroll_rows(log, page);
        return pos_vertical(log, c, page);
    case CHATLOG_ROW_START:
        return row_start(log, c);
    case CHATLOG_ROW_END:
        return row_end_pos(log, c);
    case CHATLOG_DOC_START:
        return (ChatLogPos){log->first_seq, 0};
    case CHATLOG_DOC_END:
        return (ChatLogPos){last_seq(log), line_at(log, last_seq(log))->len};
    }
    return c;
}

void chatlog_move(ChatLog *log, ChatLogMove how, bool extend)
{
    if (!log || !log->count)
        return;
    bool vertical = how == CHATLOG_UP || how == CHATLOG_DOWN ||
                    how == CHATLOG_PAGE_UP || how == CHATLOG_PAGE_DOWN;
    if (!vertical)
        log->have_goal = false;
    log->caret = clamp_pos(log, log->caret);
    ChatLogPos c = clamp_pos(log, move_pos(log, how, extend));
    log->caret = c;
    if (!extend)
        log->anchor = c;
    log->current = (ChatLogPos){0, 0};
    ChatLogLine *l = line_at(log, c.seq);
    layout(log, l);
    show_row(log, (ChatLogTop){c.seq, row_of(l, c.off)});
}

/* --- plain text ----------------------------------------------------------------------
 */

/* Where formatted text goes: at most cap - 1 units are kept, every unit is
 * counted, so a first call with cap 0 sizes the buffer. */
typedef struct Out {
    uint16_t *buf;
    size_t cap, len;
} Out;

static void put(Out *o, const uint16_t *s, size_t n)
{
    if (o->buf && o->cap > 0 && o->len < o->cap - 1) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, (n < room ? n : room) * sizeof *s);
    }
    o->len += n;
}

static void put_ascii(Out *o, const char *s)
{
    uint16_t u[16];
    size_t n = 0;
    while (s[n] && n < 16) {
        u[n] = (unsigned char)s[n];
        n++;
    }
    put(o, u, n);
}

static size_t out_end(Out *o)
{
    if (o->buf && o->cap > 0)
        o->buf[o->len < o->cap - 1 ? o->len : o->cap - 1] = 0;
    return o->len;
}

static void put_stamp(Out *o, uint32_t t)
{
    char s[16];
    unsigned h = t / 3600 % 24, m = t / 60 % 60, sec = t % 60;
    s[0] = '[';
    s[1] = (char)('0' + h / 10);
    s[2] = (char)('0' + h % 10);
    s[3] = ':';
    s[4] = (char)('0' + m / 10);
    s[5] = (char)('0' + m % 10);
    s[6] = ':';
    s[7] = (char)('0' + sec / 10);
    s[8] = (char)('0' + sec % 10);
    s[9] = ']';
    s[10] = ' ';
    s[11] = '\0';
    put_ascii(o, s);
}

/* [a, b) of l: the stamp when it starts at the line's start (unless it is
 * the empty end of a range), the name, ": " when the name's end and more
 * (or the line's end) are in it, the message. */
static void put_part(Out *o, const ChatLogLine *l, uint32_t a, uint32_t b,
                     bool range_end)
{
    uint32_t n = l->name_len;
    if (a == 0 && (b > 0 || !range_end))
        put_stamp(o, l->time);
    if (a < n) {
        put(o, l->text + a, (b < n ? b : n) - a);
        if (b > n || b == l->len)
            put_ascii(o, ": ");
    }
    if (b > n) {
        uint32_t s = a > n ? a : n;
        put(o, l->text + s, b - s);
    }
}

size_t chatlog_format(const ChatLog *log, ChatLogPos from, ChatLogPos to, uint16_t *out,
                      size_t cap)
{
    Out o = {out, cap, 0};
    if (log && log->count) {
        from = clamp_pos(log, from);
        to = clamp_pos(log, to);
        if (cmp_pos(from, to) > 0) {
            ChatLogPos t = from;
            from = to;
            to = t;
        }
        for (uint64_t s = from.seq; cmp_pos(from, to) < 0 && s <= to.seq; s++) {
            const ChatLogLine *l = line_at(log, s);
            uint32_t a = s == from.seq ? from.off : 0,
                     b = s == to.seq ? to.off : l->len;
            put_part(&o, l, a, b, s == to.seq);
            if (s < to.seq)
                put_ascii(&o, "\r\n");
        }
    }
    return out_end(&o);
}

static void put_lines(Out *o, const ChatLog *log, uint64_t first, uint64_t last)
{
    for (uint64_t s = first; s && s <= last; s++) {
        const ChatLogLine *l = line_at(log, s);
        if (!l)
            break;
        put_part(o, l, 0, l->len, false);
        put_ascii(o, "\r\n");
    }
}

size_t chatlog_format_all(const ChatLog *log, uint16_t *out, size_t cap)
{
    Out o = {out, cap, 0};
    if (log && log->count)
        put_lines(&o, log, log->first_seq, last_seq(log));
    return out_end(&o);
}

size_t chatlog_format_view(ChatLog *log, uint16_t *out, size_t cap)
{
    Out o = {out, cap, 0};
    uint64_t first, last;
    chatlog_lines_in_view(log, &first, &last);
    if (log)
        put_lines(&o, log, first, last);
    return out_end(&o);
}

/* --- links
 * ------------------------------------------------------------------------------ */

/* The run of link characters around m[i]: a link never reaches past it. */
static size_t run_start(const uint16_t *m, size_t i)
{
    while (i > 0 && u16_is_link_char(m[i - 1]))
        i--;
    return i;
}

static size_t run_end(const uint16_t *m, size_t n, size_t i)
{
    while (i < n && u16_is_link_char(m[i]))
        i++;
    return i;
}

bool chatlog_link_at(ChatLog *log, ChatLogPos pos, uint32_t *from, uint32_t *to)
{
    const ChatLogLine *l = log ? line_at(log, pos.seq) : NULL;
    if (!l || pos.off < l->name_len || pos.off >= l->len)
        return false;
    const uint16_t *m = l->text + l->name_len;
    size_t u = pos.off - l->name_len, f, t;
    if (!u16_is_link_char(m[u]))
        return false;
    size_t s = run_start(m, u), e = run_end(m, l->len - l->name_len, u);
    while (u16_find_link(m, e, s, &f, &t) && f <= u) {
        if (u < t) {
            if (from)
                *from = (uint32_t)f + l->name_len;
            if (to)
                *to = (uint32_t)t + l->name_len;
            return true;
        }
        s = t;
    }
    return false;
}

/* --- styled runs
 * ------------------------------------------------------------------------- */

typedef struct Runs {
    ChatLogSpan *out;
    size_t max, k;
    bool full;
} Runs;

static void run_add(Runs *r, uint32_t u, unsigned style)
{
    if (r->k > 0 && r->out[r->k - 1].style == style && r->out[r->k - 1].to == u) {
        r->out[r->k - 1].to = u + 1;
    } else if (r->k < r->max) {
        r->out[r->k++] = (ChatLogSpan){u, u + 1, style};
    } else {
        r->full = true;
    }
}

/* The hits covering units of one part, fed in increasing order. */
typedef struct Cover {
    Scan sc;
    size_t next, end; /* next hit's start; the furthest end of those seen */
} Cover;

static void cover_init(const ChatLog *log, Cover *c, const uint16_t *s, size_t n,
                       size_t from, size_t to)
{
    size_t back = log->nlen ? log->nlen - 1 : 0, lim = to + back;
    c->sc = (Scan){s, n, lim < n ? lim : n, from > back ? from - back : 0, 0};
    c->next = log->nlen ? scan_next(log, &c->sc) : SIZE_MAX;
    c->end = 0;
}

static bool covered(const ChatLog *log, Cover *c, size_t u)
{
    while (c->next <= u) {
        if (c->next + log->nlen > c->end)
            c->end = c->next + log->nlen;
        c->next = scan_next(log, &c->sc);
    }
    return c->end > u;
}

/* The links of a message met in increasing order. */
typedef struct Links {
    const uint16_t *m;
    size_t lim, from, to;
    bool more;
} Links;

static void links_init(Links *k, const uint16_t *m, size_t n, size_t from, size_t to)
{
    k->m = m;
    k->lim = run_end(m, n, to);
    k->from = k->to = run_start(m, from);
    k->more = true;
}

static bool in_link(Links *k, size_t u)
{
    while (k->more && u >= k->to)
        k->more = u16_find_link(k->m, k->lim, k->to, &k->from, &k->to);
    return k->more && u >= k->from;
}

/* Runs of [a, b) within one part [lo, hi) of l. */
static void spans_part(const ChatLog *log, const ChatLogLine *l, uint32_t lo,
                       uint32_t hi, uint32_t a, uint32_t b, Runs *r)
{
    if (a < lo)
        a = lo;
    if (b > hi)
        b = hi;
    if (a >= b)
        return;
    ChatLogPos sf = {0, 0}, st = {0, 0};
    bool sel = chatlog_selection(log, &sf, &st);
    uint32_t sa = sf.seq < l->seq ? 0 : sf.seq == l->seq ? sf.off : UINT32_MAX;
    uint32_t sb = st.seq > l->seq ? UINT32_MAX : st.seq == l->seq ? st.off : 0;
    bool cur = log->nlen && log->current.seq == l->seq;
    Cover c;
    Links k;
    bool msg = lo == l->name_len;
    cover_init(log, &c, l->text + lo, hi - lo, a - lo, b - lo);
    if (msg)
        links_init(&k, l->text + lo, hi - lo, a - lo, b - lo);
    for (uint32_t u = a; u < b && !r->full; u++) {
        unsigned style = 0;
        if (sel && u >= sa && u < sb)
            style |= CHATLOG_SPAN_SELECTED;
        if (log->nlen && covered(log, &c, u - lo))
            style |= CHATLOG_SPAN_MATCH;
        if (cur && u >= log->current.off && u - log->current.off < log->nlen)
            style |= CHATLOG_SPAN_CURRENT;
        if (msg && in_link(&k, u - lo))
            style |= CHATLOG_SPAN_LINK;
        run_add(r, u, style);
    }
}

size_t chatlog_spans(ChatLog *log, uint64_t seq, uint32_t from, uint32_t to,
                     ChatLogSpan *out, size_t max)
{
    const ChatLogLine *l = log ? line_at(log, seq) : NULL;
    if (!l || !out || max == 0)
        return 0;
    if (to > l->len)
        to = l->len;
    Runs r = {out, max, 0, false};
    spans_part(log, l, 0, l->name_len, from, to, &r);
    spans_part(log, l, l->name_len, l->len, from, to, &r);
    return r.k;
}

/* --- search
 * ---------------------------------------------------------------------------- */

size_t chatlog_find_set(ChatLog *log, const uint16_t *needle, size_t n)
{
    if (!log)
        return 0;
    free(log->needle);
    free(log->kmp);
    log->needle = NULL;
    log->kmp = NULL;
    log->nlen = log->hits = 0;
    log->current = (ChatLogPos){0, 0};
    if (!needle || n == 0)
        return 0;
    if (n > CHATLOG_MAX_TEXT + 1)
        n = CHATLOG_MAX_TEXT + 1; /* longer than any line: never found */
    log->needle = malloc(n * sizeof *log->needle);
    log->kmp = malloc(n * sizeof *log->kmp);
    if (!log->needle || !log->kmp) {
        free(log->needle);
        free(log->kmp);
        log->needle = NULL;
        log->kmp = NULL;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        log->needle[i] = u16_fold(needle[i]);
    log->kmp[0] = 0;
    for (size_t i = 1, k = 0; i < n; i++) {
        while (k && log->needle[i] != log->needle[k])
            k = log->kmp[k - 1];
        if (log->needle[i] == log->needle[k])
            k++;
        log->kmp[i] = (uint32_t)k;
    }
    log->nlen = n;
    for (size_t i = 0; i < log->count; i++)
        log->hits += count_hits(log, log->ring[(log->head + i) % log->ring_cap]);
    return log->hits;
}

size_t chatlog_find_count(const ChatLog *log)
{
    return log ? log->hits : 0;
}

/* The first hit of l starting in [lo, hi), or the last one when backward;
 * UINT32_MAX when none. */
static uint32_t hit_in_line(const ChatLog *log, const ChatLogLine *l, uint32_t lo,
                            uint32_t hi, bool backward)
{
    uint32_t best = UINT32_MAX;
    for (int part = 0; part < 2; part++) {
        uint32_t base = part ? l->name_len : 0, end = part ? l->len : l->name_len;
        Scan sc = {l->text + base, end - base, end - base, 0, 0};
        size_t h;
        while ((h = scan_next(log, &sc)) != SIZE_MAX) {
            uint32_t off = base + (uint32_t)h;
            if (off >= hi)
                break;
            if (off < lo)
                continue;
            if (!backward)
                return off;
            best = off;
        }
    }
    return best;
}

bool chatlog_find_next(ChatLog *log, bool backward)
{
    if (!log || !log->nlen || !log->hits || !log->count)
        return false;
    bool cur = log->current.seq != 0;
    ChatLogPos at = clamp_pos(log, cur ? log->current : log->caret);
    /* Forward: hits after the current one (or from the caret on); backward:
     * hits before it; then the other lines, wrapping; last, the rest of
     * this line (the only hit may be the current one). */
    uint32_t lo = backward ? 0 : at.off + (cur ? 1 : 0),
             hi = backward ? at.off : UINT32_MAX;
    uint64_t s = at.seq;
    for (size_t i = 0; i <= log->count; i++) {
        const ChatLogLine *l = line_at(log, s);
        uint32_t off = hit_in_line(log, l, lo, hi, backward);
        if (off != UINT32_MAX) {
            put_selection(log, (ChatLogPos){s, off},
                          (ChatLogPos){s, off + (uint32_t)log->nlen});
            log->current = (ChatLogPos){s, off};
            ChatLogLine *ml = line_at(log, s);
            layout(log, ml);
            show_row(log, (ChatLogTop){s, row_of(ml, off)});
            return true;
        }
        lo = 0;
        hi = UINT32_MAX;
        if (backward)
            s = s == log->first_seq ? last_seq(log) : s - 1;
        else
            s = s == last_seq(log) ? log->first_seq : s + 1;
    }
    return false;
}

/* --- marker and mentions
 * ----------------------------------------------------------------- */

void chatlog_set_marker(ChatLog *log, uint64_t seq)
{
    if (!log)
        return;
    if (seq == 0 || !log->count || seq > last_seq(log))
        log->marker = 0;
    else
        log->marker = seq < log->first_seq ? log->first_seq : seq;
}

uint64_t chatlog_marker(const ChatLog *log)
{
    return log ? log->marker : 0;
}
