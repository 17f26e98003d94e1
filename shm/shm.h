/* shm.h: the shared chat state as named Win32 kernel objects: a file mapping
 * holding one SharedChatData and the named mutex that guards it, byte- and
 * name-compatible with the original chat system.
 *
 * Two roles share one opaque handle type:
 *  - the server creates the segment (shm_create) and is its only writer,
 *    publishing the whole state at once (shm_publish; the original's
 *    step-by-step calls are in shm_compat.h);
 *  - clients attach read-only (shm_attach: FILE_MAP_READ, the mutex opened
 *    with SYNCHRONIZE only) and take snapshots (shm_snapshot).
 *
 * Trust: the segment may have been made or scribbled on by anyone. A view is
 * refused unless it covers all 1028 bytes; a snapshot is a private copy made
 * safe before it is returned; a count read from the segment is never used as
 * a size.
 *
 * Locking: the mutex is held only while 1028 bytes are copied or a few bytes
 * written, never across anything that can block, and every wait has a
 * timeout. A lock abandoned by a dead process is taken, used and reported
 * (SHM_ABANDONED), never treated as a failure.
 *
 * Threads: one ChatShm may be used by several threads at once for the write
 * calls and shm_snapshot (the named mutex serialises them); shm_close must not
 * race with any other call on the same handle. */
#ifndef CHAT_SHM_SHM_H
#define CHAT_SHM_SHM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/shm_layout.h"

typedef struct ChatShm ChatShm;

typedef enum ShmStatus {
    SHM_OK = 0,
    SHM_ABANDONED = 1,      /* success, but a dead process had held the lock:
                               the data may be half-written */
    SHM_E_NO_SERVER = -1,   /* no segment of that name exists */
    SHM_E_NO_MUTEX = -2,    /* the segment exists, its mutex does not */
    SHM_E_ACCESS = -3,      /* access denied to the segment or the mutex */
    SHM_E_TOO_SMALL = -4,   /* the view does not cover 1028 bytes */
    SHM_E_BUSY = -5,        /* the lock was not free within the timeout */
    SHM_E_NAME = -6,        /* empty name, or too long with its suffix */
    SHM_E_READONLY = -7,    /* a write call on a read-only attachment */
    SHM_E_NOMEM = -8,       /* out of memory */
    SHM_E_SYSTEM = -9,      /* another Win32 failure: see sys_error */
    SHM_E_FOREIGN = -10,    /* shm_create: the name exists, made by someone
                               other than a chat server (see shm_claim) */
    SHM_E_RUNNING = -11,    /* presence_claim: another chat server runs on
                               the name (or is still stopping) */
} ShmStatus;

/* Every call reports a status and, when a Win32 call failed, its error code
 * (read right after the failing call), 0 otherwise. */
typedef struct ShmResult {
    ShmStatus status;
    unsigned long sys_error;
} ShmResult;

#define SHM_FAILED(r) ((r).status < 0)

/* Longest lock wait a caller can ask for; larger timeouts are clamped, so
 * nothing in this module ever waits forever. */
#define SHM_TIMEOUT_MAX_MS 10000u
/* What the write calls and shm_close wait for the lock by default. */
#define SHM_WRITE_TIMEOUT_MS 2000u

/* Words for a result, with the Win32 error's own words when there is one,
 * written into buf. Returns buf. */
const char *shm_strerror(ShmResult r, char *buf, size_t size);

/* Server side. Creates the segment `name` and its mutex `name`"Mutex" in the
 * session namespace (see shm_layout_object_name), private to the current
 * user (win/objsec.h), and (re)initialises the data under the lock: count 0,
 * SHM_INITIAL_MESSAGE. Existing objects of those names are taken over only
 * when a chat server made them (one that died while clients held them open);
 * anything else, the original server's default-security objects included,
 * is SHM_E_FOREIGN, and one this user may not open SHM_E_ACCESS. On success
 * *out owns both objects and a writable view; on failure *out is NULL. */
ShmResult shm_create(const char *name, ChatShm **out);

/* The check shm_create makes of each object it creates, for the server's
 * other named objects: h and the GetLastError() of the CreateXxx call that
 * returned it. SHM_OK for a new object or one made private by a chat server;
 * SHM_E_FOREIGN for one someone else made; the open failure when h is NULL. */
ShmResult shm_claim(void *h, unsigned long create_error);

/* The whole state at once, as a server that keeps its own copy writes it:
 * count and lastMessage = text[0..len) (cut on a UTF-8 character boundary
 * at 1023 bytes), waiting at most timeout_ms (clamped) for the lock. It also heals whatever
 * a hostile writer left in the segment, and the count written becomes what
 * shm_close takes back. */
ShmResult shm_publish(ChatShm *shm, int count, const char *text, size_t len,
                      unsigned timeout_ms);

/* Lock wait used by the write calls and shm_close, clamped to
 * SHM_TIMEOUT_MAX_MS. */
void shm_set_write_timeout(ChatShm *shm, unsigned timeout_ms);

/* Client side. Opens the segment read-only and its mutex for SYNCHRONIZE
 * only. Distinct failures: SHM_E_NO_SERVER, SHM_E_NO_MUTEX, SHM_E_ACCESS,
 * SHM_E_TOO_SMALL. On failure *out is NULL. */
ShmResult shm_attach(const char *name, ChatShm **out);

/* Waits at most timeout_ms (clamped to SHM_TIMEOUT_MAX_MS) for the lock,
 * copies the 1028 bytes into *out, releases the lock, then makes the copy
 * safe (lastMessage NUL-terminated at 1023 at the latest). Returns SHM_OK,
 * SHM_ABANDONED (the copy is made and returned all the same), SHM_E_BUSY
 * (*out untouched) or SHM_E_SYSTEM. Works on both roles' handles. */
ShmResult shm_snapshot(ChatShm *shm, unsigned timeout_ms, SharedChatData *out);

/* Server handles: takes back the count this handle added (under the lock,
 * waiting at most the write timeout). Both roles: unmaps the view and closes
 * the handles; the kernel objects live on while anyone else holds them.
 * NULL is allowed. */
void shm_close(ChatShm *shm);

/* Internal, exposed for tests: true when the committed, readable memory
 * starting at p extends for at least `need` bytes. */
bool shm__view_covers(const void *p, size_t need);

#endif
