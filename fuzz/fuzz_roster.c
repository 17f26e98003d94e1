/* fuzz_roster.c: core/roster.c, the client's model of what the server says
 * (who is in the chat, the last chat line, where the server's shared memory
 * is), and core/room.c's room_roster with core/proto.c's proto_quote_name,
 * which write the roster lines the server sends a newcomer.
 *
 * Outside bytes: every line a server sends (ours, the original, or a
 * hostile one), and the names clients choose (the roster quotes them).
 * Input: a first byte B, then lines split on '\n':
 *   B even: a round trip. The first line is the server's --shm-name (NUL
 *     bytes dropped), every other non-empty line a client's name (NUL bytes
 *     dropped, cut at PROTO_NAME_BUF - 1 = 128 bytes), then B / 2 more
 *     names made from those (the first 124 bytes of one and a 4-digit hex
 *     number), so one input makes rosters of many lines. The names join a
 *     Room in that order; a name already in it (but "anonymous") is refused
 *     and its holder leaves instead, so the table's order is not the order
 *     of joining. The first name in the table is our own.
 *   B odd: a session. The first line is our own name (up to its first NUL;
 *     roster_session cuts it), every other line goes to roster_line as it
 *     is, NUL bytes and all, in an exact-size copy; a line that starts with
 *     two NUL bytes instead starts a new session as the name after them.
 *
 * Invariants, round trip: room_join refuses exactly the names already in
 * the room but "anonymous", room_leave finds them, room_has and the table
 * agree with a model multiset after every step; room_roster refuses a
 * buffer one byte smaller than room_roster_size says and fills that size;
 * its output is whole lines, each at most PROTO_ROSTER_LINE_MAX bytes with
 * its "\n", starting "*** in the chat (", the first "*** in the chat (N): "
 * with N the number of members, the others "*** in the chat (continued): ",
 * each ending " ***"; a line ends only when the next quoted name would not
 * fit (no name is split); unquoting them (a parser written from the grammar
 * in docs/protocol.md section 5) gives every member's name, in the table's
 * order. A fresh Roster fed our join line, those lines and the
 * shared-memory line (proto_format_shm) counts exactly the members, holds
 * exactly their multiset of names, and takes the shared-memory line exactly
 * when its name is one the client accepts (1-259 bytes, no '"' or C0;
 * "Global\Chat" is one), with the same name and the instance as 8 lowercase
 * hex digits; roster_line says it took in the roster and shared-memory
 * lines, not our join line; then a leave line for each other member (up to
 * 64) and their join lines again keep the count exact at every step, and
 * the multiset at the end.
 *
 * Invariants, session: after every line the Roster agrees with a model
 * written from roster.h and docs/protocol.md section 5: the same multiset
 * of names (a multiset hash after every line, compared exactly after each
 * roster line and at the end), roster_count the number of names exactly
 * when a whole roster came (else -1), the same shared-memory name and
 * instance, roster_line true exactly for the lines taken in as a roster
 * line or the shared-memory line (the window keeps those out of the log),
 * and the last chat line's text: a chat line's text after its first ": ",
 * whole up to 1023 bytes, else cut at 1023 bytes or up to three before,
 * never inside a well-formed character, and exactly at the last character
 * boundary when the text is UTF-8 (so the last message is UTF-8 whenever
 * the text was); any other line leaves the last message alone. Every name
 * is NUL-terminated within PROTO_NAME_BUF, the count never negative; a line
 * that starts with a name the server could have given (1-128 bytes, no C0,
 * DEL or ':', not starting with '*' or a space) and ": " leaves the list
 * exactly as it was, in order, and is never kept out of the log; the change
 * counter moves whenever the multiset does; a new session empties the
 * list, forgets the shared memory and keeps the last message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"
#include "core/room.h"
#include "core/roster.h"
#include "core/shm_layout.h"
#include "fuzz/fuzz_common.h"

#define NAME_MAX_BYTES (PROTO_NAME_BUF - 1)
#define LAST_MAX (SHM_MESSAGE_SIZE - 1)
#define EXTRA_LEAVES 64 /* members that leave and join again in a round trip */

/* ------------------------------------------------------------------------
 * Small helpers, apart from core/. */

FUZZ_MODEL static size_t c_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

FUZZ_MODEL static int c_cmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

FUZZ_MODEL static int head_is(const char *s, size_t len, const char *head)
{
    size_t n = c_len(head);
    return len >= n && same_bytes(s, head, n);
}

FUZZ_MODEL static int tail_is(const char *s, size_t len, const char *tail)
{
    size_t n = c_len(tail);
    return len >= n && same_bytes(s + len - n, tail, n);
}

/* A name's part of the multiset hash: FNV-1a over its C string, mixed. */
FUZZ_MODEL static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15u;
    return h ^ (h >> 29);
}

/* A copy of s[0..len) in a heap block of exactly len bytes (1 when empty),
 * so ASan sees a read past the line. */
static char *exact_copy(const void *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    FUZZ_CHECK(p != NULL);
    memcpy(p, s, len);
    return p;
}

/* roster_line on an exact-size copy; what it returns. */
static bool feed(Roster *r, const char *line, size_t len)
{
    char *p = exact_copy(line, len);
    bool taken = roster_line(r, p, len);
    free(p);
    return taken;
}

/* ------------------------------------------------------------------------
 * A multiset of names: C strings of at most 128 bytes, in a growing array
 * (the order is the order of adding, but for removals). */

typedef struct Names {
    char (*v)[PROTO_NAME_BUF];
    int n, cap;
    uint64_t hash; /* sum of name_hash over the names */
} Names;

/* Adds s[0..len) (len <= 128); its C string is what stays (a NUL byte in
 * it ends the name, as in a char array). */
FUZZ_MODEL static void names_add(Names *l, const char *s, size_t len)
{
    FUZZ_CHECK(len <= NAME_MAX_BYTES);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        FUZZ_CHECK(l->v != NULL);
    }
    memcpy(l->v[l->n], s, len);
    l->v[l->n][len] = '\0';
    l->hash += name_hash(l->v[l->n]);
    l->n++;
}

/* Removes one name whose C string is exactly s[0..len) (so never one when
 * s holds a NUL); false when there is none. */
FUZZ_MODEL static int names_remove(Names *l, const char *s, size_t len)
{
    for (int i = 0; i < l->n; i++) {
        if (c_len(l->v[i]) == len && same_bytes(l->v[i], s, len)) {
            l->hash -= name_hash(l->v[i]);
            memcpy(l->v[i], l->v[l->n - 1], sizeof l->v[i]);
            l->n--;
            return 1;
        }
    }
    return 0;
}

FUZZ_MODEL static int names_has(const Names *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (c_cmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

FUZZ_MODEL static void names_clear(Names *l)
{
    l->n = 0;
    l->hash = 0;
}

FUZZ_MODEL static void names_free(Names *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

FUZZ_MODEL static int cmp_ptr(const void *a, const void *b)
{
    return c_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* names[0..count) (a Roster's or a Room's table) is exactly the model's
 * multiset, each a C string within PROTO_NAME_BUF. */
FUZZ_MODEL static void check_table(char (*names)[PROTO_NAME_BUF], int count, const Names *m)
{
    FUZZ_CHECK(count == m->n);
    if (m->n == 0)
        return;
    const char **a = malloc((size_t)m->n * sizeof *a);
    const char **b = malloc((size_t)m->n * sizeof *b);
    FUZZ_CHECK(a != NULL && b != NULL);
    for (int i = 0; i < m->n; i++) {
        FUZZ_CHECK(nul_within(names[i], PROTO_NAME_BUF));
        a[i] = names[i];
        b[i] = m->v[i];
    }
    qsort(a, (size_t)m->n, sizeof *a, cmp_ptr);
    qsort(b, (size_t)m->n, sizeof *b, cmp_ptr);
    for (int i = 0; i < m->n; i++)
        FUZZ_CHECK(c_cmp(a[i], b[i]) == 0);
    free(a);
    free(b);
}

FUZZ_MODEL static void check_same_multiset(const Roster *r, const Names *m)
{
    check_table(r->names, r->count, m);
}

/* The Roster's list, cheaply: every name NUL-terminated within its slot,
 * the count, and the multiset hash. */
FUZZ_MODEL static uint64_t roster_hash(const Roster *r)
{
    uint64_t h = 0;
    FUZZ_CHECK(r->count >= 0 && (r->count == 0 || r->count <= r->cap));
    for (int i = 0; i < r->count; i++) {
        FUZZ_CHECK(nul_within(r->names[i], PROTO_NAME_BUF));
        h += name_hash(r->names[i]);
    }
    return h;
}

/* ------------------------------------------------------------------------
 * The roster lines' grammar (docs/protocol.md section 5):
 *   names = qname *( ", " qname )
 *   qname = DQUOTE 1*( plain / "\" DQUOTE / "\\" ) DQUOTE
 * with at most 128 bytes to a name once unquoted (no longer name is one the
 * server accepts). Appends every name of s[0..len) to out and returns how
 * many, or -1 (out untouched) when the text is not that. */
FUZZ_MODEL static int parse_names(const char *s, size_t len, Names *out)
{
    enum { OPEN, IN, ESCAPED, CLOSED, COMMA } st = OPEN;
    char name[PROTO_NAME_BUF];
    size_t n = 0;
    int start = out->n;
    uint64_t hash = out->hash;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        switch (st) {
        case OPEN:
            if (c != '"')
                goto bad;
            n = 0;
            st = IN;
            break;
        case IN:
            if (c == '\\') {
                st = ESCAPED;
                break;
            }
            if (c == '"') {
                if (n == 0)
                    goto bad;
                names_add(out, name, n);
                st = CLOSED;
                break;
            }
            if (n == NAME_MAX_BYTES)
                goto bad;
            name[n++] = c;
            break;
        case ESCAPED:
            if ((c != '"' && c != '\\') || n == NAME_MAX_BYTES)
                goto bad;
            name[n++] = c;
            st = IN;
            break;
        case CLOSED:
            if (c != ',')
                goto bad;
            st = COMMA;
            break;
        case COMMA:
            if (c != ' ')
                goto bad;
            st = OPEN;
            break;
        }
    }
    if (st == CLOSED)
        return out->n - start;
bad:
    out->n = start;
    out->hash = hash;
    return -1;
}

/* The bytes proto_quote_name makes of a name, without its NUL. */
FUZZ_MODEL static size_t quoted_len(const char *name)
{
    size_t q = 2;
    for (; *name; name++)
        q += (*name == '"' || *name == '\\') ? 2 : 1;
    return q;
}

/* A shared-memory name the client takes: not empty, no '"' (it ends the
 * name) or control byte (C0), and within Roster.shm_name. A '\' is taken:
 * the server accepts "Local\NAME" and "Global\NAME" (core/args.c), and
 * roster.c reads them since 5fe599f (docs/protocol.md section 5 still says
 * they are ignored). */
FUZZ_MODEL static int shm_name_ok(const char *s, size_t len)
{
    if (len == 0 || len >= SHM_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == '"')
            return 0;
    return 1;
}

FUZZ_MODEL static int lower_hex8(const char *s)
{
    for (int i = 0; i < PROTO_INSTANCE_HEX; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[PROTO_INSTANCE_HEX] == '\0';
}

/* ------------------------------------------------------------------------
 * The model of a Roster, from roster.h and docs/protocol.md section 5. */

typedef enum MPhase {
    M_WAIT_JOIN,  /* our join line not seen */
    M_AFTER_JOIN, /* just after it: a roster's first line may come */
    M_READING,    /* continuation lines may come until the count is reached */
    M_AFTER_LIST, /* a whole roster: the shared-memory line may come */
    M_LIVE,       /* only join and leave lines change the list */
} MPhase;

typedef struct Model {
    Names list;
    MPhase phase;
    long expect;
    int complete;
    char own[PROTO_NAME_BUF];
    int have_shm;
    char shm_name[SHM_NAME_MAX];
    char instance[PROTO_INSTANCE_HEX + 1];
} Model;

FUZZ_MODEL static void m_session(Model *m, const char *own)
{
    size_t n = c_len(own);
    if (n > NAME_MAX_BYTES)
        n = NAME_MAX_BYTES;
    names_clear(&m->list);
    m->phase = M_WAIT_JOIN;
    m->expect = 0;
    m->complete = 0;
    m->have_shm = 0;
    memcpy(m->own, own, n);
    m->own[n] = '\0';
}

FUZZ_MODEL static void m_count_reached(Model *m)
{
    if (m->list.n >= m->expect) {
        /* Whole only with our own name in it: the server always lists the
         * newcomer. */
        m->complete = m->list.n == m->expect && names_has(&m->list, m->own) > 0;
        m->phase = m->complete ? M_AFTER_LIST : M_LIVE;
    }
}

/* A roster line where one may come: 1 when the line was taken as one. */
FUZZ_MODEL static int m_roster_part(Model *m, const char *s, size_t len)
{
    const size_t head = sizeof PROTO_ROSTER_HEAD - 1, more = sizeof PROTO_ROSTER_MORE - 1;
    const size_t tail = sizeof PROTO_ROSTER_TAIL - 1;

    if (!tail_is(s, len, PROTO_ROSTER_TAIL))
        return 0;
    if (m->phase == M_AFTER_JOIN && head_is(s, len, PROTO_ROSTER_HEAD)) {
        size_t i = head;
        unsigned long count = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (count < 10000000)
                count = count * 10 + (unsigned long)(s[i] - '0');
            i++;
        }
        if (i == head || count < 1 || count > 999999 || len - i < 3 || s[i] != ')' ||
            s[i + 1] != ':' || s[i + 2] != ' ')
            return 0;
        i += 3;
        if (i > len - tail)
            return 0; /* "): " and " ***" overlap: no names at all */
        Names fresh = {0};
        int got = parse_names(s + i, len - tail - i, &fresh);
        names_clear(&m->list);
        if (got < 0) {
            /* Not a roster after all: what our join line began stays. */
            names_add(&m->list, m->own, c_len(m->own));
            names_free(&fresh);
            return 0;
        }
        for (int k = 0; k < fresh.n; k++)
            names_add(&m->list, fresh.v[k], c_len(fresh.v[k]));
        names_free(&fresh);
        m->expect = (long)count;
        m->phase = M_READING;
        m_count_reached(m);
        return 1;
    }
    if (m->phase == M_READING && head_is(s, len, PROTO_ROSTER_MORE)) {
        if (more > len - tail || parse_names(s + more, len - tail - more, &m->list) < 0)
            m->phase = M_LIVE; /* broken: what came stays, not exact */
        else
            m_count_reached(m);
        return 1;
    }
    return 0;
}

/* The shared-memory line where one may come: 1 when taken. */
FUZZ_MODEL static int m_shm_line(Model *m, const char *s, size_t len)
{
    const size_t head = sizeof PROTO_SHM_HEAD - 1, mid = sizeof PROTO_SHM_MID - 1;
    const size_t end = mid + PROTO_INSTANCE_HEX + 4; /* `", instance HEX ***` */
    char hex[PROTO_INSTANCE_HEX + 1];

    if (!head_is(s, len, PROTO_SHM_HEAD) || len < head + end)
        return 0;
    const char *t = s + len - end;
    if (!same_bytes(t, PROTO_SHM_MID, mid) || !same_bytes(t + mid + PROTO_INSTANCE_HEX, " ***", 4))
        return 0;
    memcpy(hex, t + mid, PROTO_INSTANCE_HEX);
    hex[PROTO_INSTANCE_HEX] = '\0';
    if (!lower_hex8(hex) || !shm_name_ok(s + head, (size_t)(t - (s + head))))
        return 0;
    memcpy(m->shm_name, s + head, (size_t)(t - (s + head)));
    m->shm_name[t - (s + head)] = '\0';
    memcpy(m->instance, hex, sizeof hex);
    m->have_shm = 1;
    return 1;
}

/* One line through the model. Returns 1 for a chat line, with its text
 * (after the first ": ") in *text, *tlen; *welcome is 1 when the line was
 * taken in as a roster line or the shared-memory line. */
FUZZ_MODEL static int m_line(Model *m, const char *s, size_t len, const char **text,
                             size_t *tlen, int *welcome)
{
    static const char joined[] = " joined the chat ***", left[] = " left the chat ***";

    *welcome = 0;
    switch (m->phase) {
    case M_AFTER_JOIN:
    case M_READING:
        if (m_roster_part(m, s, len))
            return *welcome = 1, 0;
        m->phase = M_LIVE; /* no roster: a server of the original kind */
        break;
    case M_AFTER_LIST:
        m->phase = M_LIVE;
        if (m_shm_line(m, s, len))
            return *welcome = 1, 0;
        break;
    default:
        break;
    }
    /* "*** NAME joined the chat ***": NAME at least a byte. */
    if (head_is(s, len, "*** ") && tail_is(s, len, joined) && len >= 4 + sizeof joined) {
        size_t n = len - 4 - (sizeof joined - 1);
        if (n <= NAME_MAX_BYTES)
            names_add(&m->list, s + 4, n);
        if (m->phase == M_WAIT_JOIN && n == c_len(m->own) && same_bytes(s + 4, m->own, n))
            m->phase = M_AFTER_JOIN;
        return 0;
    }
    if (head_is(s, len, "*** ") && tail_is(s, len, left) && len >= 4 + sizeof left) {
        names_remove(&m->list, s + 4, len - 4 - (sizeof left - 1));
        return 0;
    }
    if (head_is(s, len, "*** ") && tail_is(s, len, " ***"))
        return 0; /* another notice */
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == ':' && s[i + 1] == ' ') {
            *text = s + i + 2;
            *tlen = len - i - 2;
            return 1;
        }
    }
    return 0;
}

/* True when s[0..len) starts with a name the server could have given and
 * ": ": what roster.h calls a chat line, which never changes the list. */
FUZZ_MODEL static int server_chat_line(const char *s, size_t len)
{
    size_t i;
    if (len < 3 || s[0] == '*' || s[0] == ' ')
        return 0;
    for (i = 0; i < len && i <= NAME_MAX_BYTES && s[i] != ':'; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return i >= 1 && i <= NAME_MAX_BYTES && i + 1 < len && s[i] == ':' && s[i + 1] == ' ';
}

/* True when cutting t[0..len) at k would split a well-formed character
 * (reading the text from its start; other bytes count one each). */
FUZZ_MODEL static int splits_char(const char *t, size_t len, size_t k)
{
    size_t i = 0;
    while (i < k) {
        size_t c = ref_utf8_char((const unsigned char *)t + i, len - i);
        i += c ? c : 1;
    }
    return i != k;
}

/* The last message after a chat line with text t[0..len). */
FUZZ_MODEL static void check_last(const Roster *r, const char *t, size_t len)
{
    FUZZ_CHECK(r->have_last);
    FUZZ_CHECK(nul_within(r->last, sizeof r->last));
    if (len <= LAST_MAX) {
        FUZZ_CHECK(r->last[len] == '\0' && same_bytes(r->last, t, len));
        return;
    }
    if (ref_utf8_valid((const unsigned char *)t, len)) {
        /* UTF-8: exactly up to the last character that fits. */
        size_t i = 0, c;
        while ((c = ref_utf8_char((const unsigned char *)t + i, len - i)) != 0 &&
               i + c <= LAST_MAX)
            i += c;
        FUZZ_CHECK(r->last[i] == '\0' && same_bytes(r->last, t, i));
        FUZZ_CHECK(ref_utf8_valid((const unsigned char *)r->last, i));
        return;
    }
    /* Not UTF-8: at 1023 bytes or up to three before, never inside a
     * well-formed character. */
    int found = 0;
    for (size_t k = LAST_MAX - 3; k <= LAST_MAX && !found; k++)
        found = r->last[k] == '\0' && same_bytes(r->last, t, k) && !splits_char(t, len, k);
    FUZZ_CHECK(found);
}

/* The Roster and the model agree (cheaply: the list by its hash). */
FUZZ_MODEL static void check_agree(const Roster *r, const Model *m)
{
    FUZZ_CHECK(r->count == m->list.n);
    FUZZ_CHECK(roster_hash(r) == m->list.hash);
    FUZZ_CHECK(roster_count(r) == (m->complete ? m->list.n : -1));
    FUZZ_CHECK(roster_count(r) >= -1);
    FUZZ_CHECK(r->have_shm == (m->have_shm != 0));
    if (r->have_shm) {
        FUZZ_CHECK(nul_within(r->shm_name, sizeof r->shm_name));
        FUZZ_CHECK(c_cmp(r->shm_name, m->shm_name) == 0);
        FUZZ_CHECK(lower_hex8(r->instance));
        FUZZ_CHECK(c_cmp(r->instance, m->instance) == 0);
    }
}

/* ------------------------------------------------------------------------
 * Part 2: a session of any lines. */

static void session(const char *s, size_t size)
{
    static Roster r;
    static Model m;
    static char last_before[SHM_MESSAGE_SIZE];
    char own[PROTO_NAME_BUF * 2];
    size_t i = 0, n;

    /* Our own name: the first line, up to a NUL, cut past 128 bytes by
     * roster_session (and the model). */
    int cut = 0;
    for (n = 0; i < size && s[i] != '\n'; i++) {
        cut |= s[i] == '\0';
        if (!cut && n < sizeof own - 1)
            own[n++] = s[i];
    }
    own[n] = '\0';
    i += i < size; /* the '\n' */

    roster_init(&r);
    memset(&m, 0, sizeof m);
    roster_session(&r, own);
    m_session(&m, own);
    check_agree(&r, &m);

    while (i < size) {
        const char *line = s + i;
        size_t len = 0;
        while (i + len < size && line[len] != '\n')
            len++;
        i += len + (i + len < size);

        memcpy(last_before, r.last, sizeof last_before);
        bool had_last = r.have_last;

        if (len >= 2 && line[0] == '\0' && line[1] == '\0') {
            /* A new session: the name after the two NUL bytes. */
            char *name = malloc(len - 1);
            FUZZ_CHECK(name != NULL);
            memcpy(name, line + 2, len - 2);
            name[len - 2] = '\0';
            unsigned long changes = r.changes;
            roster_session(&r, name);
            m_session(&m, name);
            free(name);
            FUZZ_CHECK(r.count == 0 && roster_count(&r) == -1 && !r.have_shm);
            FUZZ_CHECK(r.changes != changes);
            FUZZ_CHECK(r.have_last == had_last && same_bytes(r.last, last_before, sizeof r.last));
            check_agree(&r, &m);
            continue;
        }

        /* A chat line under a real name: the list before it, in order. */
        int chat_by_name = server_chat_line(line, len);
        char(*before)[PROTO_NAME_BUF] = NULL;
        int count_before = r.count;
        if (chat_by_name && r.count > 0) {
            before = malloc((size_t)r.count * sizeof *before);
            FUZZ_CHECK(before != NULL);
            for (int k = 0; k < r.count; k++) {
                FUZZ_CHECK(nul_within(r.names[k], PROTO_NAME_BUF));
                memcpy(before[k], r.names[k], c_len(r.names[k]) + 1);
            }
        }
        int m_count = m.list.n;
        uint64_t m_hash = m.list.hash;
        unsigned long changes = r.changes;
        MPhase phase = m.phase;

        char *copy = exact_copy(line, len);
        bool taken = roster_line(&r, copy, len);
        const char *text = NULL;
        size_t tlen = 0;
        int welcome;
        int chat = m_line(&m, copy, len, &text, &tlen, &welcome);

        /* The window leaves a line out of the log exactly when it was one
         * of the welcome lines (gui/convo.c). */
        FUZZ_CHECK(taken == (welcome != 0));
        check_agree(&r, &m);
        if (chat) {
            check_last(&r, text, tlen);
        } else {
            FUZZ_CHECK(r.have_last == had_last);
            FUZZ_CHECK(same_bytes(r.last, last_before, sizeof r.last));
        }
        if (chat_by_name) {
            FUZZ_CHECK(chat && !taken); /* never kept out of the log */
            FUZZ_CHECK(r.count == count_before);
            for (int k = 0; k < r.count; k++)
                FUZZ_CHECK(c_cmp(r.names[k], before[k]) == 0);
        }
        free(before);
        if (m.list.n != m_count || m.list.hash != m_hash)
            FUZZ_CHECK(r.changes != changes); /* the window redraws the list */
        /* After a roster line, or the end of a roster, the names exactly. */
        if (phase == M_AFTER_JOIN || phase == M_READING)
            check_same_multiset(&r, &m.list);
        free(copy);
    }
    check_same_multiset(&r, &m.list);

    /* The next session: nothing of this one's list or shared memory. */
    roster_session(&r, "next");
    FUZZ_CHECK(r.count == 0 && roster_count(&r) == -1 && !r.have_shm);
    roster_free(&r);
    names_free(&m.list);
}

/* ------------------------------------------------------------------------
 * Part 1: the server's roster lines, read back by a client. */

static void round_trip(const char *s, size_t size, unsigned extra)
{
    static Roster r;
    Names cand = {0}, mem = {0};
    Room room;
    char shm[SHM_NAME_MAX + 64];
    size_t shm_len = 0, i = 0;
    uint64_t fnv = 0xcbf29ce484222325u;

    for (size_t k = 0; k < size; k++)
        fnv = (fnv ^ (unsigned char)s[k]) * 0x100000001b3u;
    unsigned long instance = (unsigned long)(fnv >> 32) & 0xFFFFFFFFul;

    /* The first line: the shared-memory name. */
    for (; i < size && s[i] != '\n'; i++)
        if (s[i] != '\0' && shm_len < sizeof shm - 1)
            shm[shm_len++] = s[i];
    shm[shm_len] = '\0';
    i += i < size;

    /* The other lines: names. */
    while (i < size) {
        char name[PROTO_NAME_BUF];
        size_t n = 0;
        for (; i < size && s[i] != '\n'; i++)
            if (s[i] != '\0' && n < NAME_MAX_BYTES)
                name[n++] = s[i];
        i += i < size;
        if (n > 0)
            names_add(&cand, name, n);
    }
    if (cand.n == 0) {
        names_free(&cand);
        return;
    }
    int base = cand.n;
    for (unsigned k = 1; k <= extra; k++) {
        char name[PROTO_NAME_BUF];
        size_t n = c_len(cand.v[(k - 1) % (unsigned)base]);
        if (n > NAME_MAX_BYTES - 4)
            n = NAME_MAX_BYTES - 4;
        memcpy(name, cand.v[(k - 1) % (unsigned)base], n);
        snprintf(name + n, 5, "%04x", k);
        names_add(&cand, name, n + 4);
    }

    /* The room: a name in use is refused, but "anonymous"; the holder of a
     * refused name then leaves (and the name's next use joins again), so
     * the table's order is not the order of joining. */
    FUZZ_CHECK(room_init(&room, cand.n));
    for (int k = 0; k < cand.n; k++) {
        const char *name = cand.v[k];
        int taken = c_cmp(name, PROTO_ANONYMOUS) != 0 && names_has(&mem, name);
        FUZZ_CHECK(room_has(&room, name) == names_has(&mem, name));
        RoomJoin j = room_join(&room, name);
        FUZZ_CHECK(j == (taken ? ROOM_NAME_TAKEN : ROOM_JOINED));
        if (taken) {
            FUZZ_CHECK(room_leave(&room, name));
            names_remove(&mem, name, c_len(name));
            FUZZ_CHECK(!room_has(&room, name));
        } else {
            names_add(&mem, name, c_len(name));
        }
        FUZZ_CHECK(room_count(&room) == mem.n);
    }
    check_table(room.names, room_count(&room), &mem);
    if (mem.n == 0) {
        room_free(&room);
        names_free(&mem);
        names_free(&cand);
        return;
    }
    /* The table as the server holds it: the roster's order. */
    Names tab = {0};
    for (int k = 0; k < mem.n; k++)
        names_add(&tab, room.names[k], c_len(room.names[k]));

    /* The roster lines, into exact-size buffers. */
    size_t size_needed = room_roster_size(&room);
    FUZZ_CHECK(size_needed > 0);
    char *small = malloc(size_needed - 1);
    char *out = malloc(size_needed);
    FUZZ_CHECK(small != NULL && out != NULL);
    FUZZ_CHECK(room_roster(&room, small, size_needed - 1) == 0);
    free(small);
    size_t n = room_roster(&room, out, size_needed);
    FUZZ_CHECK(n > 0 && n <= size_needed);

    char first[64];
    int first_len = snprintf(first, sizeof first, "%s%d): ", PROTO_ROSTER_HEAD, mem.n);
    Names got = {0};
    size_t p = 0, prev_len = 0;
    int lines = 0;
    while (p < n) {
        size_t len = 0;
        while (p + len < n && out[p + len] != '\n')
            len++;
        FUZZ_CHECK(p + len < n); /* every line ends with "\n" */
        const char *line = out + p;
        FUZZ_CHECK(len + 1 <= PROTO_ROSTER_LINE_MAX);
        FUZZ_CHECK(head_is(line, len, "*** in the chat ("));
        FUZZ_CHECK(tail_is(line, len, PROTO_ROSTER_TAIL));
        size_t head = lines == 0 ? (size_t)first_len : sizeof PROTO_ROSTER_MORE - 1;
        FUZZ_CHECK(head_is(line, len, lines == 0 ? first : PROTO_ROSTER_MORE));
        FUZZ_CHECK(head + (sizeof PROTO_ROSTER_TAIL - 1) <= len);
        int at = got.n;
        FUZZ_CHECK(parse_names(line + head, len - head - (sizeof PROTO_ROSTER_TAIL - 1), &got) >
                   0);
        /* The line before ended only because this line's first name, with
         * its ", ", would have made it too long. */
        if (lines > 0)
            FUZZ_CHECK(prev_len + 1 + 2 + quoted_len(got.v[at]) > PROTO_ROSTER_LINE_MAX);
        prev_len = len;
        lines++;
        p += len + 1;
    }
    FUZZ_CHECK(got.n == tab.n);
    for (int k = 0; k < tab.n; k++)
        FUZZ_CHECK(c_cmp(got.v[k], tab.v[k]) == 0);

    /* A client that joined as the first name reads them. */
    const char *own = tab.v[0];
    char line[PROTO_OUT_MAX];
    size_t ln;
    roster_init(&r);
    roster_session(&r, own);
    ln = proto_format_joined(line, sizeof line, own);
    FUZZ_CHECK(ln > 0 && line[ln - 1] == '\n');
    FUZZ_CHECK(!feed(&r, line, ln - 1)); /* our join line stays in the log */
    FUZZ_CHECK(roster_count(&r) == -1);
    for (p = 0; p < n;) {
        size_t len = 0;
        while (out[p + len] != '\n')
            len++;
        FUZZ_CHECK(feed(&r, out + p, len)); /* a welcome line */
        p += len + 1;
    }
    FUZZ_CHECK(roster_count(&r) == mem.n);
    check_same_multiset(&r, &mem);

    char shm_line[SHM_NAME_MAX + 128];
    ln = proto_format_shm(shm_line, sizeof shm_line, shm, instance);
    if (ln > 0) {
        char hex[16];
        FUZZ_CHECK(shm_line[ln - 1] == '\n');
        bool taken = feed(&r, shm_line, ln - 1);
        FUZZ_CHECK(r.have_shm == (shm_name_ok(shm, shm_len) != 0) && taken == r.have_shm);
        if (r.have_shm) {
            snprintf(hex, sizeof hex, "%08lx", instance);
            FUZZ_CHECK(c_cmp(r.shm_name, shm) == 0);
            FUZZ_CHECK(lower_hex8(r.instance) && c_cmp(r.instance, hex) == 0);
        }
        FUZZ_CHECK(roster_count(&r) == mem.n);
    }

    /* Later leave and join lines keep it exact. */
    int leave = mem.n - 1 < EXTRA_LEAVES ? mem.n - 1 : EXTRA_LEAVES;
    for (int k = 0; k < leave; k++) {
        ln = proto_format_left(line, sizeof line, tab.v[tab.n - 1 - k]);
        FUZZ_CHECK(ln > 0 && line[ln - 1] == '\n');
        FUZZ_CHECK(!feed(&r, line, ln - 1));
        FUZZ_CHECK(roster_count(&r) == mem.n - 1 - k);
    }
    for (int k = leave - 1; k >= 0; k--) {
        ln = proto_format_joined(line, sizeof line, tab.v[tab.n - 1 - k]);
        FUZZ_CHECK(ln > 0 && line[ln - 1] == '\n');
        FUZZ_CHECK(!feed(&r, line, ln - 1));
        FUZZ_CHECK(roster_count(&r) == mem.n - k);
    }
    check_same_multiset(&r, &mem);

    roster_free(&r);
    free(out);
    room_free(&room);
    names_free(&got);
    names_free(&tab);
    names_free(&mem);
    names_free(&cand);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        session((const char *)data + 1, size - 1);
    else
        round_trip((const char *)data + 1, size - 1, data[0] >> 1);
    return 0;
}
