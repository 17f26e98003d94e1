/* room.c: who is in the chat, and the order of its lines (see room.h). */
#include "core/room.h"

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

unsigned long long room_next_line(Room *r)
{
    return ++r->lines;
}
