/* room.c: who is in the chat, and the order of its lines (see room.h). */
#include "core/room.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool room_init(Room *r, int capacity)
{
    memset(r, 0, sizeof *r);
    r->names = calloc(capacity > 0 ? (size_t)capacity : 1, sizeof *r->names);
    r->capacity = capacity > 0 ? capacity : 0;
    return r->names != NULL;
}

void room_free(Room *r)
{
    free(r->names);
    memset(r, 0, sizeof *r);
}

static int find(const Room *r, const char *name)
{
    for (int i = 0; i < r->count; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    return -1;
}

bool room_has(const Room *r, const char *name)
{
    return find(r, name) >= 0;
}

RoomJoin room_join(Room *r, const char *name)
{
    if (strcmp(name, PROTO_ANONYMOUS) != 0 && room_has(r, name))
        return ROOM_NAME_TAKEN;
    if (r->count >= r->capacity)
        return ROOM_FULL;
    size_t n = strlen(name);
    if (n > PROTO_NAME_BUF - 1)
        n = PROTO_NAME_BUF - 1;
    memcpy(r->names[r->count], name, n);
    r->names[r->count][n] = '\0';
    r->count++;
    return ROOM_JOINED;
}

bool room_leave(Room *r, const char *name)
{
    int i = find(r, name);
    if (i < 0)
        return false;
    if (i != --r->count)
        memcpy(r->names[i], r->names[r->count], sizeof r->names[i]);
    return true;
}

int room_count(const Room *r)
{
    return r->count;
}

/* A quoted name is at most twice the name plus its quotes; a line holds at
 * least one whole: 2 * 128 + 2 + the head fits 4 KB many times over. */
#define QUOTED_MAX (2 * (PROTO_NAME_BUF - 1) + 3)

size_t room_roster_size(const Room *r)
{
    /* Each name quoted at worst (every byte escaped) with ", "; a line's
     * head and tail counted once per name, more lines than there can be. */
    size_t need = 64, per_line = sizeof PROTO_ROSTER_MORE + sizeof PROTO_ROSTER_TAIL + 2;
    for (int i = 0; i < r->count; i++)
        need += 2 * strlen(r->names[i]) + 4 + per_line;
    return need;
}

size_t room_roster(const Room *r, char *out, size_t size)
{
    size_t n = 0, line_start = 0;
    char quoted[QUOTED_MAX + 1];
    if (size < room_roster_size(r))
        return 0;
    n += (size_t)snprintf(out, size, "%s%d): ", PROTO_ROSTER_HEAD, r->count);
    bool first = true;
    for (int i = 0; i < r->count; i++) {
        size_t q = proto_quote_name(quoted, sizeof quoted, r->names[i]);
        size_t tail = sizeof PROTO_ROSTER_TAIL - 1 + 1; /* " ***\n" */
        if (!first && n - line_start + 2 + q + tail > PROTO_ROSTER_LINE_MAX) {
            memcpy(out + n, PROTO_ROSTER_TAIL "\n", tail);
            n += tail;
            line_start = n;
            memcpy(out + n, PROTO_ROSTER_MORE, sizeof PROTO_ROSTER_MORE - 1);
            n += sizeof PROTO_ROSTER_MORE - 1;
            first = true;
        }
        if (!first) {
            memcpy(out + n, ", ", 2);
            n += 2;
        }
        memcpy(out + n, quoted, q);
        n += q;
        first = false;
    }
    memcpy(out + n, PROTO_ROSTER_TAIL "\n", sizeof PROTO_ROSTER_TAIL + 1);
    n += sizeof PROTO_ROSTER_TAIL; /* tail and "\n", without the NUL */
    return n;
}

unsigned long long room_next_line(Room *r)
{
    return ++r->lines;
}
