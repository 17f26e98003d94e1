/* roster.c: the chat as the connection tells it (see roster.h). */
#include "core/roster.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

void roster_init(Roster *r)
{
    memset(r, 0, sizeof *r);
    r->phase = ROSTER_LIVE;
}

void roster_free(Roster *r)
{
    free(r->names);
    memset(r, 0, sizeof *r);
}

void roster_session(Roster *r, const char *own)
{
    r->count = 0;
    r->phase = ROSTER_WAIT_JOIN;
    r->expect = 0;
    r->complete = false;
    r->have_shm = false;
    r->changes++;
    size_t n = strlen(own);
    if (n >= sizeof r->own)
        n = sizeof r->own - 1;
    memcpy(r->own, own, n);
    r->own[n] = '\0';
}

static bool add(Roster *r, const char *name, size_t len)
{
    if (len >= PROTO_NAME_BUF)
        return false; /* no name the server accepts is that long */
    if (r->count >= ROSTER_MAX_NAMES) {
        r->complete = false; /* more than we keep: no longer exact */
        return false;
    }
    if (r->count == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        void *grown = realloc(r->names, (size_t)cap * sizeof *r->names);
        if (grown == NULL)
            return false;
        r->names = grown;
        r->cap = cap;
    }
    memcpy(r->names[r->count], name, len);
    r->names[r->count][len] = '\0';
    r->count++;
    r->changes++;
    return true;
}

static void remove_one(Roster *r, const char *name, size_t len)
{
    for (int i = 0; i < r->count; i++) {
        if (strlen(r->names[i]) == len && memcmp(r->names[i], name, len) == 0) {
            if (i != --r->count)
                memcpy(r->names[i], r->names[r->count], sizeof r->names[i]);
            r->changes++;
            return;
        }
    }
}

static bool starts(const char *s, size_t len, const char *head)
{
    size_t n = strlen(head);
    return len >= n && memcmp(s, head, n) == 0;
}

static bool ends(const char *s, size_t len, const char *tail)
{
    size_t n = strlen(tail);
    return len >= n && memcmp(s + len - n, tail, n) == 0;
}

/* "*** NAME<tail>": NAME's start and length, when the line has that form. */
static bool notice_name(const char *s, size_t len, const char *tail, const char **name,
                        size_t *n)
{
    if (!starts(s, len, "*** ") || !ends(s, len, tail) || len < 4 + strlen(tail) + 1)
        return false;
    *name = s + 4;
    *n = len - 4 - strlen(tail);
    return true;
}

/* `"a", "b\"c"` up to the end: each name unquoted into the list. False
 * when the text is not that form (then nothing was added). */
static bool parse_names(Roster *r, const char *s, size_t len)
{
    int before = r->count;
    size_t i = 0;
    while (i < len) {
        char name[PROTO_NAME_BUF];
        size_t n = 0;
        if (s[i++] != '"')
            goto bad;
        for (;;) {
            if (i >= len)
                goto bad;
            char c = s[i++];
            if (c == '"')
                break;
            if (c == '\\') {
                if (i >= len || (s[i] != '"' && s[i] != '\\'))
                    goto bad;
                c = s[i++];
            }
            if (n + 1 >= sizeof name)
                goto bad;
            name[n++] = c;
        }
        if (n == 0 || !add(r, name, n))
            goto bad;
        if (i == len)
            return true;
        if (i + 2 > len || s[i] != ',' || s[i + 1] != ' ')
            goto bad;
        i += 2;
    }
bad:
    if (r->count != before) {
        r->count = before;
        r->changes++;
    }
    return false;
}

/* A roster line where one may come; false when the line is none. */
static bool roster_part(Roster *r, const char *s, size_t len)
{
    const size_t tail = sizeof PROTO_ROSTER_TAIL - 1;
    if (!ends(s, len, PROTO_ROSTER_TAIL))
        return false;
    if (r->phase == ROSTER_AFTER_JOIN && starts(s, len, PROTO_ROSTER_HEAD)) {
        size_t i = sizeof PROTO_ROSTER_HEAD - 1;
        long expect = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && expect < 1000000)
            expect = expect * 10 + (s[i++] - '0');
        if (i == sizeof PROTO_ROSTER_HEAD - 1 || i + 3 > len || s[i] != ')' ||
            s[i + 1] != ':' || s[i + 2] != ' ' || expect < 1 || expect >= 1000000)
            return false;
        i += 3;
        if (i > len - tail)
            return false;
        r->count = 0; /* the roster replaces what our join line began */
        if (!parse_names(r, s + i, len - tail - i)) {
            add(r, r->own, strlen(r->own)); /* not a roster after all */
            return false;
        }
        r->expect = (int)expect;
        r->phase = ROSTER_READING;
    } else if (r->phase == ROSTER_READING && starts(s, len, PROTO_ROSTER_MORE)) {
        size_t i = sizeof PROTO_ROSTER_MORE - 1;
        if (i > len - tail || !parse_names(r, s + i, len - tail - i)) {
            r->phase = ROSTER_LIVE; /* broken: what we have stays, not exact */
            return true;
        }
    } else {
        return false;
    }
    r->changes++;
    if (r->count >= r->expect) {
        /* Whole, and ours: the server always lists the newcomer (a user of
         * the original server named like a roster line cannot fake it). */
        bool own = false;
        for (int i = 0; i < r->count && !own; i++)
            own = strcmp(r->names[i], r->own) == 0;
        r->complete = r->count == r->expect && own;
        r->phase = r->complete ? ROSTER_AFTER_LIST : ROSTER_LIVE;
    }
    return true;
}

static bool shm_line(Roster *r, const char *s, size_t len)
{
    const size_t head = sizeof PROTO_SHM_HEAD - 1, mid = sizeof PROTO_SHM_MID - 1;
    if (!starts(s, len, PROTO_SHM_HEAD) || !ends(s, len, " ***"))
        return false;
    const char *name = s + head, *end = s + len - 4;
    const char *q = memchr(name, '"', (size_t)(end - name));
    if (q == NULL || (size_t)(q - name) >= sizeof r->shm_name || q == name ||
        (size_t)(end - q) != mid + PROTO_INSTANCE_HEX || memcmp(q, PROTO_SHM_MID, mid) != 0)
        return false;
    const char *hex = q + mid;
    for (int i = 0; i < PROTO_INSTANCE_HEX; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return false;
    for (const char *p = name; p < q; p++)
        if ((unsigned char)*p < 0x20) /* a namespace prefix: Local, Global */
            return false;
    memcpy(r->shm_name, name, (size_t)(q - name));
    r->shm_name[q - name] = '\0';
    memcpy(r->instance, hex, PROTO_INSTANCE_HEX);
    r->instance[PROTO_INSTANCE_HEX] = '\0';
    r->have_shm = true;
    return true;
}

bool roster_line(Roster *r, const char *s, size_t len)
{
    const char *name;
    size_t n;

    /* The lines a newcomer gets in their place, after its join line. */
    switch (r->phase) {
    case ROSTER_AFTER_JOIN:
    case ROSTER_READING:
        if (roster_part(r, s, len))
            return true;
        r->phase = ROSTER_LIVE; /* a server that sends no roster */
        break;
    case ROSTER_AFTER_LIST:
        r->phase = ROSTER_LIVE;
        if (shm_line(r, s, len))
            return true;
        break;
    default:
        break;
    }
    if (notice_name(s, len, " joined the chat ***", &name, &n)) {
        add(r, name, n);
        if (r->phase == ROSTER_WAIT_JOIN && n == strlen(r->own) && memcmp(name, r->own, n) == 0)
            r->phase = ROSTER_AFTER_JOIN;
        return false;
    }
    if (notice_name(s, len, " left the chat ***", &name, &n) ||
        notice_name(s, len, PROTO_LEFT_TAIL_NOT_READING, &name, &n)) {
        remove_one(r, name, n);
        return false;
    }
    if (starts(s, len, "*** ") && ends(s, len, " ***"))
        return false; /* another notice */
    /* "NAME: TEXT" (a name holds no ':'): the text, as the segment would
     * hold it. */
    size_t off = 0;
    while (off + 1 < len && !(s[off] == ':' && s[off + 1] == ' '))
        off++;
    if (off + 1 < len) {
        off += 2;
        size_t keep = utf8_cut(s + off, len - off, SHM_MESSAGE_SIZE - 1);
        memcpy(r->last, s + off, keep);
        r->last[keep] = '\0';
        r->have_last = true;
    }
    return false;
}

void roster_batch_end(Roster *r)
{
    if (r->phase == ROSTER_AFTER_JOIN)
        r->phase = ROSTER_LIVE;
}

int roster_count(const Roster *r)
{
    return r->complete ? r->count : -1;
}
