/* shm.c: the shared chat state as a named file mapping and mutex (see shm.h). */
#include "shm/shm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "win/winerr.h"

struct ChatShm {
    HANDLE mapping;
    HANDLE mutex;
    SharedChatData *view;
    bool writable;
    DWORD write_timeout_ms;
    long added; /* joins minus leaves through this handle, never below 0: what
                   shm_close takes back; guarded by the named mutex */
};

static ShmResult result(ShmStatus status, DWORD err)
{
    ShmResult r = {status, err};
    return r;
}

/* Maps the Win32 error of a failed open or create to our status. */
static ShmResult open_failure(DWORD err)
{
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
        return result(SHM_E_NO_SERVER, err);
    case ERROR_ACCESS_DENIED:
        return result(SHM_E_ACCESS, err);
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return result(SHM_E_NOMEM, err);
    default:
        return result(SHM_E_SYSTEM, err);
    }
}

const char *shm_strerror(ShmResult r, char *buf, size_t size)
{
    const char *what;
    char sys[400];

    switch (r.status) {
    case SHM_OK: what = "ok"; break;
    case SHM_ABANDONED:
        what = "recovered from an abandoned lock (a process died holding it; "
               "the data may be half-written)";
        break;
    case SHM_E_NO_SERVER: what = "no chat server is running (no shared memory)"; break;
    case SHM_E_NO_MUTEX:
        what = "the shared memory has no mutex (a server still starting, or a "
               "segment not made by a chat server)";
        break;
    case SHM_E_ACCESS: what = "access denied"; break;
    case SHM_E_TOO_SMALL: what = "view smaller than 1028 bytes"; break;
    case SHM_E_BUSY: what = "busy (the lock timed out)"; break;
    case SHM_E_NAME: what = "invalid name (empty, or too long for a kernel object)"; break;
    case SHM_E_READONLY: what = "the shared memory is attached read-only"; break;
    case SHM_E_NOMEM: what = "out of memory"; break;
    case SHM_E_SYSTEM: what = "system error"; break;
    default: what = "unknown status"; break;
    }
    if (r.sys_error != 0)
        snprintf(buf, size, "%s: %s", what, win_strerror(r.sys_error, sys, sizeof sys));
    else
        snprintf(buf, size, "%s", what);
    return buf;
}

bool shm__view_covers(const void *p, size_t need)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (p == NULL || VirtualQuery(p, &mbi, sizeof mbi) != sizeof mbi)
        return false;
    if (mbi.State != MEM_COMMIT || (mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD)))
        return false;
    size_t avail = (size_t)((const char *)mbi.BaseAddress + mbi.RegionSize -
                            (const char *)p);
    return avail >= need;
}

static DWORD clamp_timeout(unsigned ms)
{
    return ms > SHM_TIMEOUT_MAX_MS ? SHM_TIMEOUT_MAX_MS : ms;
}

/* Takes the named mutex. SHM_OK or SHM_ABANDONED mean we own it. */
static ShmResult lock(ChatShm *shm, unsigned timeout_ms)
{
    DWORD w = WaitForSingleObject(shm->mutex, clamp_timeout(timeout_ms));

    switch (w) {
    case WAIT_OBJECT_0: return result(SHM_OK, 0);
    case WAIT_ABANDONED: return result(SHM_ABANDONED, 0);
    case WAIT_TIMEOUT: return result(SHM_E_BUSY, 0);
    default: return result(SHM_E_SYSTEM, GetLastError());
    }
}

/* Releases the mutex; a failure here would leave every other process
 * waiting, so it is reported rather than ignored. */
static ShmResult unlock(ChatShm *shm, ShmResult locked)
{
    if (!ReleaseMutex(shm->mutex))
        return result(SHM_E_SYSTEM, GetLastError());
    return locked;
}

/* The common start of shm_create and shm_attach: derives the mutex name and
 * allocates the handle. */
static ShmResult shm_new(const char *name, char mutex_name[SHM_NAME_MAX], ChatShm **out)
{
    *out = NULL;
    if (!shm_layout_mutex_name(name, mutex_name, SHM_NAME_MAX))
        return result(SHM_E_NAME, 0);
    if ((*out = calloc(1, sizeof **out)) == NULL)
        return result(SHM_E_NOMEM, 0);
    (*out)->write_timeout_ms = SHM_WRITE_TIMEOUT_MS;
    return result(SHM_OK, 0);
}

/* Maps the whole section and checks that the view covers SharedChatData. */
static ShmResult map_view(ChatShm *shm, DWORD access)
{
    shm->view = MapViewOfFile(shm->mapping, access, 0, 0, 0);
    if (shm->view == NULL)
        return open_failure(GetLastError());
    if (!shm__view_covers(shm->view, sizeof(SharedChatData)))
        return result(SHM_E_TOO_SMALL, 0);
    return result(SHM_OK, 0);
}

static void release_objects(ChatShm *shm)
{
    if (shm->view)
        UnmapViewOfFile(shm->view);
    if (shm->mutex)
        CloseHandle(shm->mutex);
    if (shm->mapping)
        CloseHandle(shm->mapping);
    free(shm);
}

ShmResult shm_create(const char *name, ChatShm **out)
{
    char mutex_name[SHM_NAME_MAX];
    ChatShm *shm;
    ShmResult r = shm_new(name, mutex_name, &shm);

    *out = NULL;
    if (SHM_FAILED(r))
        return r;
    shm->writable = true;

    shm->mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                      sizeof(SharedChatData), name);
    if (shm->mapping == NULL) {
        r = open_failure(GetLastError());
        goto fail;
    }
    r = map_view(shm, FILE_MAP_ALL_ACCESS);
    if (SHM_FAILED(r))
        goto fail;
    shm->mutex = CreateMutexA(NULL, FALSE, mutex_name);
    if (shm->mutex == NULL) {
        r = open_failure(GetLastError());
        goto fail;
    }

    /* Unlike the original, initialise under the lock: a client may already
     * be reading a segment we are re-initialising. */
    r = lock(shm, shm->write_timeout_ms);
    if (SHM_FAILED(r))
        goto fail;
    shm_layout_init(shm->view);
    r = unlock(shm, r);
    if (SHM_FAILED(r))
        goto fail;
    *out = shm;
    return r;

fail:
    release_objects(shm);
    return r;
}

ShmResult shm_attach(const char *name, ChatShm **out)
{
    char mutex_name[SHM_NAME_MAX];
    ChatShm *shm;
    ShmResult r = shm_new(name, mutex_name, &shm);

    *out = NULL;
    if (SHM_FAILED(r))
        return r;

    shm->mapping = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    if (shm->mapping == NULL) {
        r = open_failure(GetLastError());
        goto fail;
    }
    r = map_view(shm, FILE_MAP_READ);
    if (SHM_FAILED(r))
        goto fail;
    shm->mutex = OpenMutexA(SYNCHRONIZE, FALSE, mutex_name);
    if (shm->mutex == NULL) {
        r = open_failure(GetLastError());
        if (r.status == SHM_E_NO_SERVER)
            r.status = SHM_E_NO_MUTEX;
        goto fail;
    }
    *out = shm;
    return result(SHM_OK, 0);

fail:
    release_objects(shm);
    return r;
}

ShmResult shm_snapshot(ChatShm *shm, unsigned timeout_ms, SharedChatData *out)
{
    ShmResult r = lock(shm, timeout_ms);

    if (SHM_FAILED(r))
        return r;
    memcpy(out, shm->view, sizeof *out);
    r = unlock(shm, r);
    shm_layout_make_safe(out);
    return r;
}

/* The three write calls differ only in what they do to the locked view. */
typedef enum { OP_JOIN, OP_LEAVE, OP_POST } WriteOp;

static ShmResult write_locked(ChatShm *shm, WriteOp op, const char *text, size_t len)
{
    ShmResult r;
    SharedChatData *d = shm->view;

    if (!shm->writable)
        return result(SHM_E_READONLY, 0);
    r = lock(shm, shm->write_timeout_ms);
    if (SHM_FAILED(r))
        return r;
    switch (op) {
    case OP_JOIN:
        d->connectedClients = shm_layout_step_count(d->connectedClients, +1);
        shm->added++;
        break;
    case OP_LEAVE:
        d->connectedClients = shm_layout_step_count(d->connectedClients, -1);
        if (shm->added > 0)
            shm->added--;
        break;
    case OP_POST:
        shm_layout_set_message(d, text, len);
        break;
    }
    /* Heal a segment a dead or careless writer left unterminated. */
    d->lastMessage[SHM_MESSAGE_MAX] = '\0';
    return unlock(shm, r);
}

ShmResult shm_client_joined(ChatShm *shm)
{
    return write_locked(shm, OP_JOIN, NULL, 0);
}

ShmResult shm_client_left(ChatShm *shm)
{
    return write_locked(shm, OP_LEAVE, NULL, 0);
}

ShmResult shm_post_message(ChatShm *shm, const char *text, size_t len)
{
    return write_locked(shm, OP_POST, text, len);
}

void shm_set_write_timeout(ChatShm *shm, unsigned timeout_ms)
{
    shm->write_timeout_ms = clamp_timeout(timeout_ms);
}

void shm_close(ChatShm *shm)
{
    if (shm == NULL)
        return;
    if (shm->added > 0 && !SHM_FAILED(lock(shm, shm->write_timeout_ms))) {
        for (; shm->added > 0; shm->added--)
            shm->view->connectedClients =
                shm_layout_step_count(shm->view->connectedClients, -1);
        ReleaseMutex(shm->mutex);
    }
    release_objects(shm);
}
