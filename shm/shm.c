/* shm.c: the shared chat state as a named file mapping and mutex (see shm.h). */
#include "shm/shm.h"
#include "shm/shm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "win/winerr.h"


ShmResult shm__result(ShmStatus status, DWORD err)
{
    ShmResult r = {status, err};
    return r;
}

/* Maps the Win32 error of a failed open or create to our status. */
ShmResult shm__open_failure(DWORD err)
{
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
        return shm__result(SHM_E_NO_SERVER, err);
    case ERROR_ACCESS_DENIED:
        return shm__result(SHM_E_ACCESS, err);
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return shm__result(SHM_E_NOMEM, err);
    default:
        return shm__result(SHM_E_SYSTEM, err);
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
    case SHM_E_FOREIGN:
        what = "the name is taken by an object a chat server did not make (the original "
               "chat server, or another program squatting it)";
        break;
    case SHM_E_RUNNING:
        what = "another chat server is already running with this shared memory (or is "
               "still stopping)";
        break;
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
ShmResult shm__lock(ChatShm *shm, unsigned timeout_ms)
{
    DWORD w = WaitForSingleObject(shm->mutex, clamp_timeout(timeout_ms));

    switch (w) {
    case WAIT_OBJECT_0: return shm__result(SHM_OK, 0);
    case WAIT_ABANDONED: return shm__result(SHM_ABANDONED, 0);
    case WAIT_TIMEOUT: return shm__result(SHM_E_BUSY, 0);
    default: return shm__result(SHM_E_SYSTEM, GetLastError());
    }
}

/* Releases the mutex; a failure here would leave every other process
 * waiting, so it is reported rather than ignored. */
ShmResult shm__unlock(ChatShm *shm, ShmResult locked)
{
    if (!ReleaseMutex(shm->mutex))
        return shm__result(SHM_E_SYSTEM, GetLastError());
    return locked;
}

/* The common start of shm_create and shm_attach: derives the kernel-object
 * names of the segment and its mutex and allocates the handle. */
ShmResult shm__new(const char *name, char map_name[SHM_NAME_MAX],
                         char mutex_name[SHM_NAME_MAX], ChatShm **out)
{
    *out = NULL;
    if (!shm_layout_object_name(name, "", map_name, SHM_NAME_MAX) ||
        !shm_layout_object_name(name, SHM_MUTEX_SUFFIX, mutex_name, SHM_NAME_MAX))
        return shm__result(SHM_E_NAME, 0);
    if ((*out = calloc(1, sizeof **out)) == NULL)
        return shm__result(SHM_E_NOMEM, 0);
    (*out)->write_timeout_ms = SHM_WRITE_TIMEOUT_MS;
    return shm__result(SHM_OK, 0);
}

/* Maps the whole section and checks that the view covers SharedChatData. */
ShmResult shm__map_view(ChatShm *shm, DWORD access)
{
    shm->view = MapViewOfFile(shm->mapping, access, 0, 0, 0);
    if (shm->view == NULL)
        return shm__open_failure(GetLastError());
    if (!shm__view_covers(shm->view, sizeof(SharedChatData)))
        return shm__result(SHM_E_TOO_SMALL, 0);
    return shm__result(SHM_OK, 0);
}

void shm__release(ChatShm *shm)
{
    if (shm->view)
        UnmapViewOfFile(shm->view);
    if (shm->mutex)
        CloseHandle(shm->mutex);
    if (shm->mapping)
        CloseHandle(shm->mapping);
    free(shm);
}

ShmResult shm_attach(const char *name, ChatShm **out)
{
    char map_name[SHM_NAME_MAX], mutex_name[SHM_NAME_MAX];
    ChatShm *shm;
    ShmResult r = shm__new(name, map_name, mutex_name, &shm);

    *out = NULL;
    if (SHM_FAILED(r))
        return r;

    shm->mapping = OpenFileMappingA(FILE_MAP_READ, FALSE, map_name);
    if (shm->mapping == NULL) {
        r = shm__open_failure(GetLastError());
        goto fail;
    }
    r = shm__map_view(shm, FILE_MAP_READ);
    if (SHM_FAILED(r))
        goto fail;
    shm->mutex = OpenMutexA(SYNCHRONIZE, FALSE, mutex_name);
    if (shm->mutex == NULL) {
        r = shm__open_failure(GetLastError());
        if (r.status == SHM_E_NO_SERVER)
            r.status = SHM_E_NO_MUTEX;
        goto fail;
    }
    *out = shm;
    return shm__result(SHM_OK, 0);

fail:
    shm__release(shm);
    return r;
}

ShmResult shm_snapshot(ChatShm *shm, unsigned timeout_ms, SharedChatData *out)
{
    ShmResult r = shm__lock(shm, timeout_ms);

    if (SHM_FAILED(r))
        return r;
    memcpy(out, shm->view, sizeof *out);
    r = shm__unlock(shm, r);
    shm_layout_make_safe(out);
    return r;
}

ShmResult shm__write(ChatShm *shm, ShmWriteOp op, int count, const char *text, size_t len,
                              unsigned timeout_ms)
{
    ShmResult r;
    SharedChatData *d = shm->view;

    if (!shm->writable)
        return shm__result(SHM_E_READONLY, 0);
    r = shm__lock(shm, timeout_ms);
    if (SHM_FAILED(r))
        return r;
    switch (op) {
    case SHM_OP_JOIN:
        d->connectedClients = shm_layout_step_count(d->connectedClients, +1);
        shm->added++;
        break;
    case SHM_OP_LEAVE:
        d->connectedClients = shm_layout_step_count(d->connectedClients, -1);
        if (shm->added > 0)
            shm->added--;
        break;
    case SHM_OP_POST:
        shm_layout_set_message(d, text, len);
        break;
    case SHM_OP_PUBLISH:
        d->connectedClients = count;
        shm->added = count;
        shm_layout_set_message(d, text, len);
        break;
    }
    /* Heal a segment a dead or careless writer left unterminated. */
    d->lastMessage[SHM_MESSAGE_MAX] = '\0';
    return shm__unlock(shm, r);
}

ShmResult shm_publish(ChatShm *shm, int count, const char *text, size_t len,
                      unsigned timeout_ms)
{
    return shm__write(shm, SHM_OP_PUBLISH, count < 0 ? 0 : count, text, len, timeout_ms);
}

void shm_set_write_timeout(ChatShm *shm, unsigned timeout_ms)
{
    shm->write_timeout_ms = clamp_timeout(timeout_ms);
}

void shm_close(ChatShm *shm)
{
    if (shm == NULL)
        return;
    /* `added` is read under the mutex that guards it, like every write. */
    if (shm->writable && !SHM_FAILED(shm__lock(shm, shm->write_timeout_ms))) {
        for (; shm->added > 0; shm->added--)
            shm->view->connectedClients =
                shm_layout_step_count(shm->view->connectedClients, -1);
        ReleaseMutex(shm->mutex);
    }
    shm__release(shm);
}
