/* shm_int.h: what shm.c shares with shm_create.c, the server-only half of
 * the module (kept apart so that clients, which only attach, never link the
 * security calls and their ADVAPI32 import). Not part of the contract. */
#ifndef CHAT_SHM_SHM_INT_H
#define CHAT_SHM_SHM_INT_H

#include <windows.h>

#include "shm/shm.h"

struct ChatShm {
    HANDLE mapping;
    HANDLE mutex;
    SharedChatData *view;
    bool writable;
    DWORD write_timeout_ms;
    long added; /* joins minus leaves through this handle, never below 0: what
                   shm_close takes back; guarded by the named mutex */
};

ShmResult shm__result(ShmStatus status, DWORD err);
/* Maps the Win32 error of a failed open or create to our status. */
ShmResult shm__open_failure(DWORD err);
/* Takes the named mutex; SHM_OK or SHM_ABANDONED mean we own it. */
ShmResult shm__lock(ChatShm *shm, unsigned timeout_ms);
/* Releases it; returns `locked`, or the failure to release. */
ShmResult shm__unlock(ChatShm *shm, ShmResult locked);
/* Derives the kernel-object names and allocates the handle. */
ShmResult shm__new(const char *name, char map_name[SHM_NAME_MAX],
                   char mutex_name[SHM_NAME_MAX], ChatShm **out);
/* Maps the whole section and checks that the view covers SharedChatData. */
ShmResult shm__map_view(ChatShm *shm, DWORD access);
/* The write calls differ only in what they do to the locked view: one
 * step of the count, the message, or the whole state. */
typedef enum { SHM_OP_JOIN, SHM_OP_LEAVE, SHM_OP_POST, SHM_OP_PUBLISH } ShmWriteOp;
ShmResult shm__write(ChatShm *shm, ShmWriteOp op, int count, const char *text, size_t len,
                     unsigned timeout_ms);

/* Unmaps, closes and frees what the handle holds. */
void shm__release(ChatShm *shm);

#endif
