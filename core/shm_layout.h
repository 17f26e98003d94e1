/* shm_layout.h: the bytes of the shared chat state, exactly as the original
 * chat system lays them out, and the platform-free rules for reading and
 * writing them.
 *
 * Contract: this header never includes <windows.h>; everything here works on
 * a private copy or on a view the caller has locked. Nothing here trusts the
 * bytes it is given: any 1028 bytes at all are a valid input. */
#ifndef CHAT_SHM_LAYOUT_H
#define CHAT_SHM_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

/* Names of the original system (no Local\ or Global\ prefix). The mutex of a
 * segment is always the segment's name followed by SHM_MUTEX_SUFFIX. */
#define SHM_DEFAULT_NAME "ChatSharedMemory"
#define SHM_MUTEX_SUFFIX "Mutex"
#define SHM_DEFAULT_MUTEX_NAME SHM_DEFAULT_NAME SHM_MUTEX_SUFFIX
#define SHM_INITIAL_MESSAGE "No messages yet"

/* A chat server of this project owns the mutex NAME + SHM_ALIVE_SUFFIX for
 * as long as it runs, so clients can tell a segment whose server is gone
 * (its count and message are stale) from a live one. The original server
 * has no such mutex: then nothing can be told. */
#define SHM_ALIVE_SUFFIX "Alive"
/* And it waits on the event NAME + SHM_STOP_SUFFIX: `chat_server --stop`
 * sets it (shm/presence.h owns both). */
#define SHM_STOP_SUFFIX "Stop"

/* Longest object name accepted, prefix and suffix included (Win32's
 * MAX_PATH). */
#define SHM_NAME_MAX 260

/* Every object is created and opened in the session's own namespace, said
 * explicitly: "Local\ChatSharedMemory" is the very object the original
 * system's "ChatSharedMemory" names (a user process's unprefixed names live
 * there), and a chat server started in session 0 stays out of the global
 * namespace. A name that already has a namespace ("Global\X") keeps it. */
#define SHM_NAMESPACE "Local\\"

enum { SHM_MESSAGE_SIZE = 1024, SHM_MESSAGE_MAX = SHM_MESSAGE_SIZE - 1 };

/* The segment: 1028 bytes, no padding, little-endian int at offset 0. */
typedef struct SharedChatData {
    int connectedClients;
    char lastMessage[SHM_MESSAGE_SIZE];
} SharedChatData;

_Static_assert(sizeof(int) == 4, "connectedClients must be 4 bytes");
_Static_assert(sizeof(SharedChatData) == 1028, "SharedChatData must be 1028 bytes");
_Static_assert(offsetof(SharedChatData, lastMessage) == 4, "lastMessage at offset 4");

/* Count 0 and SHM_INITIAL_MESSAGE, every other byte zero. */
void shm_layout_init(SharedChatData *d);

/* Stores text[0..len) as lastMessage: at most SHM_MESSAGE_MAX bytes, cut on a
 * UTF-8 character boundary (see utf8_cut), NUL-terminated, the rest of the
 * array zeroed so no older text lingers. Returns the number of bytes kept. */
size_t shm_layout_set_message(SharedChatData *d, const char *text, size_t len);

/* Makes a copy taken from an untrusted segment safe to use as C data: forces
 * the NUL at lastMessage[SHM_MESSAGE_MAX] whatever the writer left there.
 * Returns strlen(lastMessage), which is then at most SHM_MESSAGE_MAX. */
size_t shm_layout_make_safe(SharedChatData *d);

/* Adds delta (+1 or -1) to a count read from the segment without undefined
 * behaviour: the result never leaves [0, INT_MAX] when it started there, and
 * a count that was already out of range (a hostile writer) is left as it is
 * for the reader to report. */
int shm_layout_step_count(int count, int delta);

/* Writes `name` followed by SHM_MUTEX_SUFFIX into out[0..size). Returns false
 * (and writes an empty string when size > 0) if the name is empty or the
 * result does not fit in SHM_NAME_MAX or in `size`. */
bool shm_layout_mutex_name(const char *name, char *out, size_t size);

/* The kernel-object name of the segment (suffix "") or of one of its
 * companions (SHM_MUTEX_SUFFIX, SHM_ALIVE_SUFFIX, ...): SHM_NAMESPACE + name +
 * suffix, or name + suffix when the name has a "\\" of its own. Returns
 * false (and an empty string when size > 0) if the name is empty or the
 * result does not fit in SHM_NAME_MAX or in `size`. */
bool shm_layout_object_name(const char *name, const char *suffix, char *out, size_t size);

#endif
