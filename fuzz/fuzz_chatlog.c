/* fuzz_chatlog.c: core/chatlog.c, the chat view's model: every line a
 * server relays ends up in it, wrapped, hit-tested, selected, searched,
 * copied and scanned for links.
 *
 * Outside bytes: the lines (names and messages of any units: spaces, tabs,
 * controls, CJK, Hebrew and Arabic, lone and paired surrogates, marks,
 * joiners, overrides, URL pieces), and what the user does to the view
 * (sizes, scrolling, clicks, keys, find). Input: [config] then operations
 * (op % 16), each reading the bytes it needs (0 when the input ends):
 *  0 append  [kind:2 flags:2 name_len:4][text_len] name units, text units
 *            (a unit a byte from a 32-entry alphabet; 0xFF: a surrogate
 *            pair); text_len 255: [k][8 units] repeated to k * 8 units
 *  1 burst   [n]: the last line n more times (the ring drops the oldest)
 *  2 geometry [w][h][row_h][time_w][name_cap][gap] (odd values: 0, 0xFF
 *            negative or huge)
 *  3 scroll  [mode][a][b]: rows, home, end, to index, +-LONG_MAX
 *  4 hit     [x hi][x lo][y hi][y lo] (signed)
 *  5 select  [anchor seq][anchor off][caret seq][caret off]
 *  6 move    [how | extend 0x80]
 *  7 format  like select, then [cap]
 *  8 spans   [seq][row][max]
 *  9 find_set [n <= 8] units
 * 10 find_next [backward]
 * 11 set_max [n]
 * 12 clear
 * 13 relayout [scale]
 * 14 select word/line/all/none [what][seq][off]
 * 15 marker, link_at, visit_rows [what][seq][off]
 * Config bits 0-1: the fit (0, 3: 10 px a unit, 20 a pair or CJK; 1: the
 * same doubled, changed by op 13; 2: a hostile but pure fit that answers
 * more units than asked and negative widths).
 *
 * Invariants, after every operation: the lines agree with an array model
 * (seqs 1, 2, ... never reused, at most max kept, the oldest dropped;
 * text stored with TAB a space and controls as pictures, cut on a
 * character boundary); the name column is the widest stored name up to
 * the cap (a sliding maximum checked against a full scan); the lines in
 * view tile their message into rows, every break on a character boundary,
 * no row but the first starting with a space, and every row fitting the
 * text column unless it is one character; the top, caret, anchor, marker
 * and current hit point at stored lines; waiting is 0 when following and
 * never above the count; hit-testing answers a stored position inside the
 * row under the point; chatlog_format's cap-0 length equals the written
 * length, a cut copy is a prefix ending in NUL, and the text equals a
 * model formatter's; format_all equals the model's; spans tile the range
 * exactly, SELECTED exactly on the selection, MATCH exactly on the naive
 * hits of the folded needle in that part, CURRENT only on a MATCH, LINK
 * exactly where u16_find_link over the whole message puts links;
 * every link starts a word with http://, https:// or www., holds only
 * link characters and ends without trailing punctuation; find_count equals
 * a naive count over the model, and find_next selects a real hit exactly
 * when there is one. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/chatlog.h"
#include "fuzz/fuzz_common.h"

#define MODEL_MAX 400 /* set_max asks at most 300 + a few */
#define GEOM_MAX 1000000
#define OUT_CAP 200000

typedef struct MLine {
    uint64_t seq;
    uint32_t time, len, name_len;
    uint16_t *text;
} MLine;

typedef struct Fuzz {
    ChatLog *log;
    int fit_mode, scale;
    ChatLogGeometry g; /* as chatlog.c clamps it */
    MLine lines[MODEL_MAX];
    size_t count, max;
    uint64_t next_seq;
    uint16_t needle[8];
    size_t nlen;
    uint16_t last_name[CHATLOG_MAX_NAME], last_text[2048];
    size_t last_nl, last_tl;
    int last_kind;
    unsigned last_flags;
    const uint8_t *p, *end;
} Fuzz;

static Fuzz F;
static uint16_t out_buf[OUT_CAP], ref_buf[OUT_CAP];

/* --- the fonts --------------------------------------------------------------- */

FUZZ_MODEL static bool is_high(uint16_t u)
{
    return u >= 0xD800 && u <= 0xDBFF;
}

FUZZ_MODEL static bool is_low(uint16_t u)
{
    return u >= 0xDC00 && u <= 0xDFFF;
}

FUZZ_MODEL static int unit_w(uint16_t u)
{
    return (u >= 0x3000 && u <= 0x9FFF) || (u >= 0xFF00 && u <= 0xFF60) ? 20 : 10;
}

FUZZ_MODEL static size_t fit(void *ctx, const uint16_t *s, size_t n, int max_w, int *w)
{
    Fuzz *f = ctx;
    int total = 0;
    size_t i = 0;
    if (f->fit_mode == 2) { /* hostile: too many units, a negative width */
        *w = -(int)(n % 7) * 1000;
        return max_w < 5 ? 0 : n + (n % 3);
    }
    while (i < n) {
        size_t step = is_high(s[i]) && i + 1 < n && is_low(s[i + 1]) ? 2 : 1;
        int cw = (step == 2 ? 20 : unit_w(s[i])) * f->scale;
        if (total + cw > max_w)
            break;
        total += cw;
        i += step;
    }
    *w = total;
    return i;
}

FUZZ_MODEL static int width(const uint16_t *s, size_t n)
{
    int w;
    fit(&F, s, n, INT_MAX, &w);
    return w;
}

/* --- reading the input ---------------------------------------------------------- */

FUZZ_MODEL static unsigned byte(void)
{
    return F.p < F.end ? *F.p++ : 0;
}

static const uint16_t alphabet[32] = {
    ' ',  'a',  'b',    'A',    '-',    'h',    't',    'p',    ':',    '/',    '.',
    'w',  '(',  ')',    0x03A3, 's',    0x6F22, 0x05D0, 0xD83D, 0xDE00, 0x0301, 0x200D,
    '\t', '\r', 0x0416, 0xFF48, 0x0627, ',',    0xFE0F, 0x202E, 'o',    0xE9,
};

/* Units from bytes: one a byte; 0xFF a whole pair, 0xFE "http://",
 * 0xFD "www." (links need them and are unlikely by chance). Returns the
 * count. */
FUZZ_MODEL static size_t units(uint16_t *out, size_t want, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < want && n + 7 <= cap; i++) {
        unsigned b = byte();
        const char *word = b == 0xFE ? "http://" : b == 0xFD ? "www." : NULL;
        if (word) {
            while (*word)
                out[n++] = (uint16_t)*word++;
        } else if (b == 0xFF) {
            out[n++] = 0xD83D;
            out[n++] = 0xDE00;
        } else {
            out[n++] = alphabet[b % 32];
        }
    }
    return n;
}

/* --- the model ------------------------------------------------------------------- */

FUZZ_MODEL static uint16_t clean(uint16_t c)
{
    return c == '\t' ? ' ' : c < 0x20 ? (uint16_t)(0x2400 + c) : c == 0x7F ? 0x2421 : c;
}

FUZZ_MODEL static size_t cut(const uint16_t *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    return is_high(s[max - 1]) && is_low(s[max]) ? max - 1 : max;
}

FUZZ_MODEL static void model_drop(void)
{
    free(F.lines[0].text);
    memmove(F.lines, F.lines + 1, (F.count - 1) * sizeof F.lines[0]);
    F.count--;
}

FUZZ_MODEL static void model_append(uint64_t seq, uint32_t time, const uint16_t *name,
                                    size_t nl, const uint16_t *text, size_t tl)
{
    nl = name ? cut(name, nl, CHATLOG_MAX_NAME) : 0;
    tl = text ? cut(text, tl, CHATLOG_MAX_TEXT) : 0;
    if (F.count == F.max)
        model_drop();
    MLine *l = &F.lines[F.count++];
    l->seq = seq;
    l->time = time % 86400;
    l->name_len = (uint32_t)nl;
    l->len = (uint32_t)(nl + tl);
    l->text = malloc((nl + tl + 1) * sizeof(uint16_t));
    FUZZ_CHECK(l->text);
    for (size_t i = 0; i < nl; i++)
        l->text[i] = clean(name[i]);
    for (size_t i = 0; i < tl; i++)
        l->text[nl + i] = clean(text[i]);
}

FUZZ_MODEL static const MLine *model_line(uint64_t seq)
{
    if (!F.count || seq < F.lines[0].seq || seq - F.lines[0].seq >= F.count)
        return NULL;
    return &F.lines[seq - F.lines[0].seq];
}

/* chatlog.c's clamp of a position, as the header states it. */
FUZZ_MODEL static ChatLogPos model_clamp(ChatLogPos p)
{
    if (!F.count)
        return (ChatLogPos){0, 0};
    const MLine *first = &F.lines[0], *last = &F.lines[F.count - 1];
    if (p.seq < first->seq)
        return (ChatLogPos){first->seq, 0};
    if (p.seq > last->seq)
        return (ChatLogPos){last->seq, last->len};
    const MLine *l = model_line(p.seq);
    if (p.off > l->len)
        p.off = l->len;
    if (p.off != l->name_len && p.off > 0 && p.off < l->len &&
        is_high(l->text[p.off - 1]) && is_low(l->text[p.off]))
        p.off--; /* the name's end is a boundary whatever is around it */
    return p;
}

FUZZ_MODEL static int pos_cmp(ChatLogPos a, ChatLogPos b)
{
    if (a.seq != b.seq)
        return a.seq < b.seq ? -1 : 1;
    return a.off < b.off ? -1 : a.off > b.off;
}

typedef struct ROut {
    uint16_t *b;
    size_t n;
} ROut;

FUZZ_MODEL static void rput(ROut *o, const uint16_t *s, size_t n)
{
    FUZZ_CHECK(o->n + n < OUT_CAP);
    memcpy(o->b + o->n, s, n * sizeof *s);
    o->n += n;
}

FUZZ_MODEL static void rputs(ROut *o, const char *s)
{
    while (*s) {
        uint16_t u = (unsigned char)*s++;
        rput(o, &u, 1);
    }
}

FUZZ_MODEL static void rline(ROut *o, const MLine *l, uint32_t a, uint32_t b,
                             bool stamp)
{
    uint32_t n = l->name_len;
    if (stamp) {
        char s[16];
        s[0] = '[';
        s[1] = (char)('0' + l->time / 36000);
        s[2] = (char)('0' + l->time / 3600 % 10);
        s[3] = ':';
        s[4] = (char)('0' + l->time / 600 % 6);
        s[5] = (char)('0' + l->time / 60 % 10);
        s[6] = ':';
        s[7] = (char)('0' + l->time % 60 / 10);
        s[8] = (char)('0' + l->time % 10);
        s[9] = ']';
        s[10] = ' ';
        s[11] = 0;
        rputs(o, s);
    }
    if (a < n) {
        rput(o, l->text + a, (b < n ? b : n) - a);
        if (b > n || b == l->len)
            rputs(o, ": ");
    }
    if (b > n)
        rput(o, l->text + (a > n ? a : n), b - (a > n ? a : n));
}

/* The plain text of [from, to) as chatlog.h describes it. */
FUZZ_MODEL static size_t model_format(ChatLogPos from, ChatLogPos to)
{
    ROut o = {ref_buf, 0};
    from = model_clamp(from);
    to = model_clamp(to);
    if (pos_cmp(from, to) > 0) {
        ChatLogPos t = from;
        from = to;
        to = t;
    }
    if (!F.count || pos_cmp(from, to) == 0)
        return 0;
    for (uint64_t s = from.seq; s <= to.seq; s++) {
        const MLine *l = model_line(s);
        uint32_t a = s == from.seq ? from.off : 0, b = s == to.seq ? to.off : l->len;
        rline(&o, l, a, b, a == 0 && (b > 0 || s < to.seq));
        if (s < to.seq)
            rputs(&o, "\r\n");
    }
    return o.n;
}

FUZZ_MODEL static size_t model_format_all(void)
{
    ROut o = {ref_buf, 0};
    for (size_t i = 0; i < F.count; i++) {
        rline(&o, &F.lines[i], 0, F.lines[i].len, true);
        rputs(&o, "\r\n");
    }
    return o.n;
}

/* Whether a needle hit (folded, naive) starts at s[i] within the part
 * [lo, end), neither end inside a surrogate pair. */
FUZZ_MODEL static bool hit_at(const uint16_t *s, size_t lo, size_t i, size_t end)
{
    if (!F.nlen || i < lo || i + F.nlen > end)
        return false;
    size_t e = i + F.nlen;
    if ((i > lo && is_high(s[i - 1]) && is_low(s[i])) ||
        (e < end && is_high(s[e - 1]) && is_low(s[e])))
        return false;
    for (size_t k = 0; k < F.nlen; k++)
        if (u16_fold(s[i + k]) != F.needle[k])
            return false;
    return true;
}

FUZZ_MODEL static size_t model_hits(void)
{
    size_t n = 0;
    for (size_t i = 0; i < F.count; i++) {
        const MLine *l = &F.lines[i];
        for (uint32_t u = 0; u < l->len; u++)
            n += u < l->name_len ? hit_at(l->text, 0, u, l->name_len)
                                 : hit_at(l->text, l->name_len, u, l->len);
    }
    return n;
}

/* Whether unit u of l is covered by a hit in its part. */
FUZZ_MODEL static bool covered(const MLine *l, uint32_t u)
{
    uint32_t lo = u < l->name_len ? 0 : l->name_len,
             hi = u < l->name_len ? l->name_len : l->len;
    for (uint32_t s = u + 1 > F.nlen ? u + 1 - (uint32_t)F.nlen : 0; s <= u; s++)
        if (hit_at(l->text, lo, s, hi))
            return true;
    return false;
}

/* --- checks ------------------------------------------------------------------------
 */

FUZZ_MODEL static bool is_link_char(uint16_t c)
{
    return c > 0x20 && c < 0x7F && !strchr("<>\"`{}|\\^", (char)c);
}

FUZZ_MODEL static bool prefix_ci(const uint16_t *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        uint16_t c = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
        if (c != (unsigned char)p[i])
            return false;
    }
    return true;
}

FUZZ_MODEL static void check_link(const uint16_t *s, size_t n, size_t f, size_t t)
{
    FUZZ_CHECK(f < t && t <= n);
    for (size_t i = f; i < t; i++)
        FUZZ_CHECK(is_link_char(s[i]));
    FUZZ_CHECK(prefix_ci(s + f, t - f, "http://") ||
               prefix_ci(s + f, t - f, "https://") || prefix_ci(s + f, t - f, "www."));
    FUZZ_CHECK(t - f > 7 || prefix_ci(s + f, t - f, "www."));
    FUZZ_CHECK(!strchr(".,;:!?'", (char)s[t - 1]));
    if (f > 0) {
        uint16_t c = s[f - 1];
        bool alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        FUZZ_CHECK(!alnum && c != '/' && c != '.' && c != ':' && c != '-' && c != '_');
    }
    char url[300];
    size_t len = t - f, want = len + (prefix_ci(s + f, len, "www.") ? 7 : 0);
    if (len + 9 <= sizeof url) {
        FUZZ_CHECK(u16_link_url(s + f, len, url, sizeof url) == want);
        FUZZ_CHECK(strlen(url) == want);
        FUZZ_CHECK(u16_link_url(s + f, len, url, want) == 0);
    }
}

/* Which units of message m are in a link, from the whole message. */
static bool link_mask[CHATLOG_MAX_TEXT + 1];

FUZZ_MODEL static void links_of(const uint16_t *m, size_t mn)
{
    size_t f, t, start = 0;
    memset(link_mask, 0, mn * sizeof link_mask[0]);
    while (u16_find_link(m, mn, start, &f, &t)) {
        check_link(m, mn, f, t);
        FUZZ_CHECK(f >= start);
        for (size_t i = f; i < t; i++)
            link_mask[i] = true;
        start = t;
    }
}

FUZZ_MODEL static bool at_cluster_start(const uint16_t *m, size_t n, size_t i)
{
    if (i == 0 || i >= n)
        return true;
    if (is_high(m[i - 1]) && is_low(m[i]))
        return false;
    return m[i] != 0x0301 && m[i] != 0x200D && m[i] != 0xFE0F && m[i - 1] != 0x200D;
}

static void check_rows(uint64_t seq)
{
    const MLine *ml = model_line(seq);
    uint32_t rows = chatlog_rows(F.log, seq);
    if (!ml) {
        FUZZ_CHECK(rows == 0);
        return;
    }
    FUZZ_CHECK(rows >= 1 && rows <= ml->len - ml->name_len + 1);
    int text_w = F.g.width - F.g.gap - chatlog_text_x(F.log);
    if (F.g.width <= 0)
        FUZZ_CHECK(rows == 1);
    const uint16_t *m = ml->text + ml->name_len;
    uint32_t n = ml->len - ml->name_len, prev = ml->name_len, f, t;
    for (uint32_t r = 0; r < rows; r++) {
        FUZZ_CHECK(chatlog_row_span(F.log, seq, r, &f, &t));
        FUZZ_CHECK(f == prev && t >= f && t <= ml->len);
        FUZZ_CHECK(t > f || rows == 1);
        uint32_t a = f - ml->name_len, b = t - ml->name_len;
        FUZZ_CHECK(at_cluster_start(m, n, a));
        FUZZ_CHECK(r == 0 || m[a] != ' ');
        if (F.fit_mode != 2 && F.g.width > 0) {
            uint32_t e = b; /* without the space characters it ends with */
            for (;;) {
                uint32_t c = e > a ? e - 1 : a;
                while (c > a && !at_cluster_start(m, n, c))
                    c--;
                if (c == e || m[c] != ' ')
                    break;
                e = c;
            }
            bool one = true; /* a single character (a row's minimum) */
            for (uint32_t i = a + 1; i < e; i++)
                one = one && !at_cluster_start(m, n, i);
            FUZZ_CHECK(e == a || one ||
                       width(m + a, e - a) <= (text_w > 0 ? text_w : 0));
        }
        prev = t;
    }
    FUZZ_CHECK(prev == ml->len);
    FUZZ_CHECK(!chatlog_row_span(F.log, seq, rows, &f, &t));
}

static void check_pos(ChatLogPos p)
{
    if (!F.count) {
        FUZZ_CHECK(p.seq == 0 && p.off == 0);
        return;
    }
    const MLine *l = model_line(p.seq);
    FUZZ_CHECK(l && p.off <= l->len);
    FUZZ_CHECK(p.off == l->name_len ||
               !(p.off > 0 && p.off < l->len && is_high(l->text[p.off - 1]) &&
                 is_low(l->text[p.off])));
}

static void check_state(bool text_changed)
{
    ChatLog *log = F.log;
    FUZZ_CHECK(chatlog_count(log) == F.count);
    FUZZ_CHECK(F.count <= F.max);
    FUZZ_CHECK(chatlog_first_seq(log) == (F.count ? F.lines[0].seq : 0));
    FUZZ_CHECK(chatlog_last_seq(log) == (F.count ? F.lines[F.count - 1].seq : 0));
    if (F.count) {
        /* A few lines, whole: the oldest, the newest and one between. */
        size_t pick[3] = {0, F.count - 1, F.count / 2};
        for (int i = 0; i < 3; i++) {
            const MLine *m = &F.lines[pick[i]];
            const ChatLogLine *l = chatlog_line(log, m->seq);
            FUZZ_CHECK(l && l->seq == m->seq && l->len == m->len &&
                       l->name_len == m->name_len);
            FUZZ_CHECK(l->time == m->time && l->kind <= CHATLOG_LOCAL);
            FUZZ_CHECK((l->flags & ~7u) == 0);
            FUZZ_CHECK(memcmp(l->text, m->text, m->len * sizeof(uint16_t)) == 0);
        }
        FUZZ_CHECK(!chatlog_line(log, F.lines[0].seq - 1));
        FUZZ_CHECK(!chatlog_line(log, F.lines[F.count - 1].seq + 1));
    }
    /* The name column: the widest stored name, up to the cap. */
    if (F.fit_mode != 2) {
        int widest = 0;
        for (size_t i = 0; i < F.count; i++) {
            int w = width(F.lines[i].text, F.lines[i].name_len);
            widest = w > widest ? w : widest;
        }
        widest = widest > GEOM_MAX ? GEOM_MAX : widest;
        int col = widest < F.g.name_cap ? widest : F.g.name_cap;
        FUZZ_CHECK(chatlog_name_w(log) == col);
        FUZZ_CHECK(chatlog_text_x(log) == F.g.time_w + col + F.g.gap);
    }
    /* The view. */
    ChatLogTop top = chatlog_top(log);
    size_t waiting = chatlog_waiting(log);
    FUZZ_CHECK(waiting <= F.count);
    FUZZ_CHECK(!chatlog_following(log) || waiting == 0);
    if (F.count) {
        FUZZ_CHECK(model_line(top.seq) && top.row < chatlog_rows(log, top.seq));
        FUZZ_CHECK(chatlog_top_index(log) == top.seq - F.lines[0].seq);
        uint64_t first, last;
        chatlog_lines_in_view(log, &first, &last);
        FUZZ_CHECK(first == top.seq && last >= first && model_line(last));
        for (uint64_t s = first; s <= last && s < first + 40; s++)
            check_rows(s);
    } else {
        FUZZ_CHECK(top.seq == 0 && chatlog_following(log));
    }
    ChatLogPos a, b;
    bool sel = chatlog_selection(log, &a, &b);
    check_pos(a);
    check_pos(b);
    check_pos(chatlog_caret(log));
    FUZZ_CHECK(sel == (pos_cmp(a, b) < 0));
    uint64_t marker = chatlog_marker(log);
    FUZZ_CHECK(marker == 0 || model_line(marker));
    if (text_changed)
        FUZZ_CHECK(chatlog_find_count(log) == model_hits());
}

/* --- operations ----------------------------------------------------------------------
 */

/* A position near the stored lines: [seq][off]; seq 0xFF and 0xFE are
 * UINT64_MAX and 0, bit 7 counts from the newest (one past it included),
 * else from the oldest (two before it included); off 0xFF is UINT32_MAX. */
FUZZ_MODEL static ChatLogPos pick_pos(void)
{
    unsigned s = byte(), o = byte();
    uint64_t first = F.count ? F.lines[0].seq : F.next_seq;
    uint64_t last = F.count ? F.lines[F.count - 1].seq : F.next_seq;
    ChatLogPos p = {first + s - 2, o == 0xFF ? UINT32_MAX : o};
    if (s == 0xFF)
        p.seq = UINT64_MAX;
    else if (s == 0xFE)
        p.seq = 0;
    else if (s & 0x80)
        p.seq = last + 1 - (s & 7);
    return p;
}

static void op_append(bool again)
{
    uint16_t name[CHATLOG_MAX_NAME], text[2048];
    size_t nl, tl;
    int kind;
    unsigned flags;
    if (again) {
        memcpy(name, F.last_name, sizeof name);
        memcpy(text, F.last_text, sizeof text);
        nl = F.last_nl;
        tl = F.last_tl;
        kind = F.last_kind;
        flags = F.last_flags;
    } else {
        unsigned c = byte(), len = byte();
        kind = c & 3; /* 3: not a kind, taken as a chat line */
        flags = (c >> 2) & 3;
        nl = units(name, (c >> 4) & 15, CHATLOG_MAX_NAME);
        if (len == 255) {
            uint16_t pat[64];
            size_t pn = units(pat, 8, 64), k = byte() * 8u;
            tl = 0;
            for (size_t i = 0; pn && i < k && tl < sizeof text / sizeof text[0]; i++)
                text[tl++] = pat[i % pn];
        } else {
            tl = units(text, len, sizeof text / sizeof text[0]);
        }
        memcpy(F.last_name, name, sizeof name);
        memcpy(F.last_text, text, sizeof text);
        F.last_nl = nl;
        F.last_tl = tl;
        F.last_kind = kind;
        F.last_flags = flags;
    }
    uint32_t time = (uint32_t)F.next_seq * 7919u;
    uint64_t seq = chatlog_append(F.log, time, (ChatLogKind)kind, flags,
                                  nl ? name : NULL, nl, text, tl);
    FUZZ_CHECK(seq == F.next_seq);
    F.next_seq++;
    model_append(seq, time, name, nl, text, tl);
    const ChatLogLine *l = chatlog_line(F.log, seq);
    FUZZ_CHECK(l && (l->flags & 3u) == (flags & 3u));
    FUZZ_CHECK(l->kind == (kind == 3 ? CHATLOG_CHAT : kind));
}

static int geom_value(unsigned b, int scale)
{
    if (b == 0xFF)
        return -(int)byte() - 1;
    if (b == 0xFE)
        return INT_MAX;
    return (int)b * scale;
}

FUZZ_MODEL static int clamp_geom(int v, int lo)
{
    return v < lo ? lo : v > GEOM_MAX ? GEOM_MAX : v;
}

static void op_geometry(void)
{
    ChatLogGeometry g;
    g.width = geom_value(byte(), 5);
    g.height = geom_value(byte(), 2);
    g.row_h = geom_value(byte(), 1) % 40;
    g.time_w = geom_value(byte(), 1);
    g.name_cap = geom_value(byte(), 1);
    g.gap = geom_value(byte(), 1) % 40;
    chatlog_set_geometry(F.log, &g);
    F.g.width = clamp_geom(g.width, 0);
    F.g.height = clamp_geom(g.height, 0);
    F.g.row_h = clamp_geom(g.row_h, 1);
    F.g.time_w = clamp_geom(g.time_w, 0);
    F.g.name_cap = clamp_geom(g.name_cap, 0);
    F.g.gap = clamp_geom(g.gap, 0);
    FUZZ_CHECK(chatlog_page_rows(F.log) ==
               (F.g.height / F.g.row_h > 0 ? F.g.height / F.g.row_h : 1));
}

static void op_scroll(void)
{
    unsigned mode = byte() % 6, a = byte(), b = byte();
    switch (mode) {
    case 0:
        chatlog_scroll_rows(F.log, (int8_t)a * (long)(b % 8 + 1));
        break;
    case 1:
        chatlog_scroll_home(F.log);
        break;
    case 2:
        chatlog_scroll_end(F.log);
        FUZZ_CHECK(chatlog_following(F.log) && chatlog_waiting(F.log) == 0);
        break;
    case 3:
        chatlog_scroll_to_index(F.log, a * 256u + b);
        break;
    case 4:
        chatlog_scroll_rows(F.log, a & 1 ? LONG_MAX : -LONG_MAX);
        break;
    default:
        chatlog_scroll_rows(F.log, LONG_MIN);
        break;
    }
}

static int coord(void)
{
    unsigned hi = byte(), lo = byte();
    if (hi == 0x7F && lo == 0xFF)
        return INT_MAX;
    if (hi == 0x80 && lo == 0)
        return INT_MIN;
    return (int16_t)(hi << 8 | lo);
}

static void op_hit(void)
{
    int x = coord(), y = coord();
    ChatLogPos p;
    ChatLogWhere w = chatlog_hit(F.log, x, y, &p);
    FUZZ_CHECK(w <= CHATLOG_HIT_TEXT);
    if (!F.count) {
        FUZZ_CHECK(w == CHATLOG_HIT_NONE && p.seq == 0 && p.off == 0);
        return;
    }
    const MLine *l = model_line(p.seq);
    FUZZ_CHECK(l && p.off <= l->len);
    if (w == CHATLOG_HIT_NONE) {
        FUZZ_CHECK(y >= 0 && p.seq == F.lines[F.count - 1].seq && p.off == l->len);
    } else if (w == CHATLOG_HIT_TEXT) {
        FUZZ_CHECK(x >= chatlog_text_x(F.log) && p.off >= l->name_len);
        FUZZ_CHECK(at_cluster_start(l->text + l->name_len, l->len - l->name_len,
                                    p.off - l->name_len));
    } else {
        FUZZ_CHECK(p.off == 0);
        FUZZ_CHECK(w == CHATLOG_HIT_TIME
                       ? x < F.g.time_w
                       : x >= F.g.time_w && x < chatlog_text_x(F.log));
    }
}

static void op_format(void)
{
    ChatLogPos a = pick_pos(), b = pick_pos();
    size_t cap = byte();
    size_t n = chatlog_format(F.log, a, b, NULL, 0);
    FUZZ_CHECK(n < OUT_CAP);
    size_t ref = model_format(a, b);
    FUZZ_CHECK(n == ref);
    uint16_t *full = malloc((n + 1) * sizeof *full);
    FUZZ_CHECK(full);
    FUZZ_CHECK(chatlog_format(F.log, a, b, full, n + 1) == n);
    FUZZ_CHECK(full[n] == 0 && memcmp(full, ref_buf, n * sizeof *full) == 0);
    FUZZ_CHECK(chatlog_format(F.log, b, a, out_buf, OUT_CAP) == n); /* any order */
    FUZZ_CHECK(memcmp(out_buf, full, n * sizeof *full) == 0);
    if (cap > 0) {
        uint16_t *cut = malloc(cap * sizeof *cut); /* exact size: ASan sees one past */
        FUZZ_CHECK(cut);
        FUZZ_CHECK(chatlog_format(F.log, a, b, cut, cap) == n);
        size_t k = n < cap - 1 ? n : cap - 1;
        FUZZ_CHECK(cut[k] == 0 && memcmp(cut, full, k * sizeof *cut) == 0);
        free(cut);
    }
    free(full);
    /* The whole log, and the lines in view. */
    size_t all = chatlog_format_all(F.log, NULL, 0);
    FUZZ_CHECK(all == model_format_all() && all < OUT_CAP);
    FUZZ_CHECK(chatlog_format_all(F.log, out_buf, OUT_CAP) == all);
    FUZZ_CHECK(memcmp(out_buf, ref_buf, all * sizeof *out_buf) == 0);
    size_t view = chatlog_format_view(F.log, NULL, 0);
    FUZZ_CHECK(view <= all && chatlog_format_view(F.log, out_buf, OUT_CAP) == view);
}

static void op_spans(void)
{
    ChatLogPos at = pick_pos();
    unsigned row = byte(), max = byte() % 17;
    const MLine *l = model_line(at.seq);
    uint32_t rows = chatlog_rows(F.log, at.seq), f, t;
    ChatLogSpan sp[16];
    if (!l) {
        FUZZ_CHECK(chatlog_spans(F.log, at.seq, 0, 10, sp, 16) == 0);
        return;
    }
    if (row == 0xFF) { /* the whole line */
        f = 0;
        t = l->len;
    } else {
        FUZZ_CHECK(chatlog_row_span(F.log, at.seq, row % rows, &f, &t));
        if (row % 3 == 1) /* and a row of the name too */
            f = 0;
    }
    size_t n = chatlog_spans(F.log, at.seq, f, t, sp, max);
    FUZZ_CHECK(n <= max);
    if (f == t || max == 0) {
        FUZZ_CHECK(n == 0);
        return;
    }
    FUZZ_CHECK(n >= 1 && sp[0].from == f);
    ChatLogPos sa, sb;
    bool sel = chatlog_selection(F.log, &sa, &sb);
    links_of(l->text + l->name_len, l->len - l->name_len);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(sp[i].from < sp[i].to && sp[i].to <= t);
        FUZZ_CHECK(i == 0 ||
                   (sp[i].from == sp[i - 1].to && sp[i].style != sp[i - 1].style));
        FUZZ_CHECK((sp[i].style & ~15u) == 0);
        for (uint32_t u = sp[i].from; u < sp[i].to; u++) {
            ChatLogPos p = {at.seq, u};
            bool want_sel = sel && pos_cmp(sa, p) <= 0 && pos_cmp(p, sb) < 0;
            unsigned st = sp[i].style;
            FUZZ_CHECK(!!(st & CHATLOG_SPAN_SELECTED) == want_sel);
            FUZZ_CHECK(!!(st & CHATLOG_SPAN_MATCH) == covered(l, u));
            FUZZ_CHECK(!(st & CHATLOG_SPAN_CURRENT) || (st & CHATLOG_SPAN_MATCH));
            bool link = u >= l->name_len && link_mask[u - l->name_len];
            FUZZ_CHECK(!!(st & CHATLOG_SPAN_LINK) == link);
            if (link) {
                uint32_t lf, lt;
                FUZZ_CHECK(chatlog_link_at(F.log, p, &lf, &lt) && lf <= u && u < lt);
            }
        }
    }
    FUZZ_CHECK(n == max || sp[n - 1].to == t);
}

static void op_find_set(void)
{
    uint16_t u[64];
    size_t n = units(u, byte() % 9, 64);
    if (n > 8)
        n = 8;
    F.nlen = n;
    for (size_t i = 0; i < n; i++)
        F.needle[i] = u16_fold(u[i]);
    size_t hits = chatlog_find_set(F.log, u, n);
    FUZZ_CHECK(hits == chatlog_find_count(F.log));
}

static void op_find_next(void)
{
    bool found = chatlog_find_next(F.log, byte() & 1);
    FUZZ_CHECK(found == (chatlog_find_count(F.log) > 0));
    if (!found)
        return;
    ChatLogPos a, b;
    FUZZ_CHECK(chatlog_selection(F.log, &a, &b));
    const MLine *l = model_line(a.seq);
    FUZZ_CHECK(l && b.seq == a.seq && b.off == a.off + F.nlen);
    FUZZ_CHECK(a.off < l->name_len ? hit_at(l->text, 0, a.off, l->name_len)
                                   : hit_at(l->text, l->name_len, a.off, l->len));
    /* The hit is in view. */
    ChatLogTop top = chatlog_top(F.log);
    FUZZ_CHECK(top.seq <= a.seq);
}

static void op_select_more(void)
{
    unsigned what = byte() % 4;
    ChatLogPos at = pick_pos();
    switch (what) {
    case 0:
        chatlog_select_word(F.log, at);
        break;
    case 1:
        chatlog_select_line(F.log, at);
        break;
    case 2:
        chatlog_select_all(F.log);
        break;
    default:
        chatlog_select_none(F.log);
        break;
    }
    ChatLogPos a, b;
    bool sel = chatlog_selection(F.log, &a, &b);
    if (what == 1 && F.count) {
        ChatLogPos c = model_clamp(at);
        FUZZ_CHECK(a.seq == c.seq && a.off == 0 && b.seq == c.seq);
        FUZZ_CHECK(b.off == model_line(c.seq)->len);
    }
    if (what == 0 && sel) { /* within one part of one line */
        const MLine *l = model_line(a.seq);
        FUZZ_CHECK(a.seq == b.seq && (b.off <= l->name_len || a.off >= l->name_len));
    }
    if (what == 3)
        FUZZ_CHECK(!sel);
}

static bool visit(void *ctx, uint64_t seq, uint32_t row, int y)
{
    int *last_y = ctx;
    FUZZ_CHECK(model_line(seq) && row < chatlog_rows(F.log, seq));
    FUZZ_CHECK(y > *last_y && (*last_y == INT_MIN || y == *last_y + F.g.row_h));
    *last_y = y;
    return true;
}

static void op_misc(void)
{
    unsigned what = byte() % 3;
    ChatLogPos at = pick_pos();
    if (what == 0) {
        chatlog_set_marker(F.log, at.seq);
        uint64_t m = chatlog_marker(F.log);
        FUZZ_CHECK(m == 0 || model_line(m));
    } else if (what == 1) {
        uint32_t f, t;
        const MLine *l = model_line(at.seq);
        bool link = chatlog_link_at(F.log, at, &f, &t);
        FUZZ_CHECK(!link || (l && f <= at.off && at.off < t && f >= l->name_len));
        if (l && at.off >= l->name_len && at.off < l->len) {
            links_of(l->text + l->name_len, l->len - l->name_len);
            FUZZ_CHECK(link == link_mask[at.off - l->name_len]);
        }
    } else {
        int last_y = INT_MIN;
        chatlog_visit_rows(F.log, (int)at.off - 20, (int)(at.seq % 512), visit,
                           &last_y);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    memset(&F, 0, sizeof F);
    F.fit_mode = data[0] & 3;
    F.scale = F.fit_mode == 1 ? 2 : 1;
    F.max = CHATLOG_MIN_LINES;
    F.next_seq = 1;
    F.g.row_h = 1;
    F.p = data + 1;
    F.end = data + size;
    F.log = chatlog_new(0, fit, &F);
    FUZZ_CHECK(F.log);
    while (F.p < F.end) {
        unsigned op = byte() % 16;
        bool text_changed = false;
        switch (op) {
        case 0:
            op_append(false);
            text_changed = true;
            break;
        case 1:
            for (unsigned n = byte(), i = 0; i < n && F.last_tl + F.last_nl < 600; i++)
                op_append(true);
            text_changed = true;
            break;
        case 2:
            op_geometry();
            break;
        case 3:
            op_scroll();
            break;
        case 4:
            op_hit();
            break;
        case 5: {
            ChatLogPos a = pick_pos(), c = pick_pos();
            chatlog_select(F.log, a, c);
            ChatLogPos ca = model_clamp(a), cc = model_clamp(c), x, y;
            chatlog_selection(F.log, &x, &y);
            FUZZ_CHECK(pos_cmp(x, pos_cmp(ca, cc) <= 0 ? ca : cc) == 0);
            FUZZ_CHECK(pos_cmp(chatlog_caret(F.log), cc) == 0);
            break;
        }
        case 6:
            chatlog_move(F.log, (ChatLogMove)(byte() % 12), false);
            break;
        case 7:
            op_format();
            break;
        case 8:
            op_spans();
            break;
        case 9:
            op_find_set();
            text_changed = true;
            break;
        case 10:
            op_find_next();
            break;
        case 11: {
            size_t n = byte() + (size_t)byte() % 2 * 44;
            chatlog_set_max(F.log, n);
            F.max = n < CHATLOG_MIN_LINES ? CHATLOG_MIN_LINES : n;
            while (F.count > F.max)
                model_drop();
            text_changed = true;
            break;
        }
        case 12:
            chatlog_clear(F.log);
            while (F.count)
                model_drop();
            text_changed = true;
            break;
        case 13:
            if (F.fit_mode == 1)
                F.scale = byte() % 3 + 1;
            chatlog_relayout(F.log);
            break;
        case 14:
            op_select_more();
            break;
        default:
            op_misc();
            break;
        }
        if (op == 6) { /* a move with Shift too */
            chatlog_move(F.log, (ChatLogMove)(byte() % 12), true);
        }
        check_state(text_changed);
    }
    chatlog_free(F.log);
    while (F.count)
        model_drop();
    return 0;
}
