/* room.h: the chat-wide rules that need every session at once: who is in
 * the chat under which name (a name in use is refused; several may be
 * "anonymous", as the original's clients without a hello all are), and the
 * order of the chat lines, which the shared state's last message follows.
 *
 * Contract: platform-free; room_init allocates the member table once, for
 * at most `capacity` members; not thread-safe (the server calls it under
 * its client-list lock, so that a join or leave and its line to everyone
 * are one step). */
#ifndef CHAT_CORE_ROOM_H
#define CHAT_CORE_ROOM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/proto.h"

typedef struct Room {
    char (*names)[PROTO_NAME_BUF];
    int count, capacity;
    unsigned long long lines; /* chat lines said so far: their order */
} Room;

/* False when out of memory. */
bool room_init(Room *r, int capacity);
void room_free(Room *r);

typedef enum RoomJoin {
    ROOM_JOINED,
    ROOM_NAME_TAKEN, /* another member has this name */
    ROOM_FULL,       /* capacity members already */
} RoomJoin;

/* Adds a member under `name` (NUL-terminated, at most PROTO_NAME_BUF - 1
 * bytes, as proto_parse_hello writes it). */
RoomJoin room_join(Room *r, const char *name);

/* Removes one member of that name; false when there is none. */
bool room_leave(Room *r, const char *name);

bool room_has(const Room *r, const char *name);
int room_count(const Room *r);

/* Every member's name, in the roster lines a newcomer gets (proto.h:
 * PROTO_ROSTER_*), each at most PROTO_ROSTER_LINE_MAX bytes with its "\n",
 * into out; the total length, or 0 when out is smaller than
 * room_roster_size says. */
size_t room_roster(const Room *r, char *out, size_t size);

/* The bytes room_roster needs now. */
size_t room_roster_size(const Room *r);

/* Numbers the next chat line: 1, 2, 3... in the order everyone hears them. */
unsigned long long room_next_line(Room *r);

#endif
