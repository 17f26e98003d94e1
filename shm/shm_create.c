/* shm_create.c: the server's half of the shared chat state: creating the
 * segment and its mutex private to the user, and refusing names someone
 * else holds (see shm.h). */
#include "shm/shm.h"
#include "shm/presence.h"
#include "shm/shm_int.h"

#include <stdio.h>
#include <string.h>

#include "win/objsec.h"

ShmResult shm_claim(HANDLE h, DWORD create_error)
{
    DWORD err;

    if (h == NULL) /* an object of another type has the name: squatted too */
        return create_error == ERROR_INVALID_HANDLE ? shm__result(SHM_E_FOREIGN, 0)
                                                    : shm__open_failure(create_error);
    if (create_error != ERROR_ALREADY_EXISTS)
        return shm__result(SHM_OK, 0);
    switch (objsec_check(h, &err)) {
    case OBJSEC_PRIVATE:
        return shm__result(SHM_OK, 0);
    case OBJSEC_FOREIGN:
        return shm__result(SHM_E_FOREIGN, 0);
    default:
        return shm__open_failure(err);
    }
}

ShmResult shm_create(const char *name, ChatShm **out)
{
    char map_name[SHM_NAME_MAX], mutex_name[SHM_NAME_MAX];
    ChatShm *shm;
    ObjSecurity sec;
    DWORD err;
    ShmResult r = shm__new(name, map_name, mutex_name, &shm);

    *out = NULL;
    if (SHM_FAILED(r))
        return r;
    shm->writable = true;
    if ((err = objsec_private(&sec)) != 0) {
        r = shm__result(SHM_E_SYSTEM, err);
        goto fail;
    }

    /* Private to this user, and an existing object is taken over only when a
     * chat server made it (one that died while clients kept it open). */
    shm->mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, &sec.sa, PAGE_READWRITE, 0,
                                      sizeof(SharedChatData), map_name);
    r = shm_claim(shm->mapping, GetLastError());
    if (SHM_FAILED(r))
        goto fail;
    r = shm__map_view(shm, FILE_MAP_ALL_ACCESS);
    if (SHM_FAILED(r))
        goto fail;
    shm->mutex = CreateMutexA(&sec.sa, FALSE, mutex_name);
    r = shm_claim(shm->mutex, GetLastError());
    if (SHM_FAILED(r))
        goto fail;

    /* Unlike the original, initialise under the lock: a client may already
     * be reading a segment we are re-initialising. */
    r = shm__lock(shm, shm->write_timeout_ms);
    if (SHM_FAILED(r))
        goto fail;
    shm_layout_init(shm->view);
    r = shm__unlock(shm, r);
    if (SHM_FAILED(r))
        goto fail;
    *out = shm;
    return r;

fail:
    shm__release(shm);
    return r;
}

/* --- the server's presence (see presence.h) ------------------------------- */

/* How long the server waits for an alive mutex that a client still held
 * (a client holds it only for a moment, while it checks). */
#define ALIVE_TAKE_MS 1000

/* Creates one of the two objects private to this user and checks one that
 * already existed (shm_claim). */
static ShmResult create(void **h, bool *existed, bool mutex, const char *name,
                        const char *suffix, ObjSecurity *sec)
{
    char kname[SHM_NAME_MAX];

    if (!shm_layout_object_name(name, suffix, kname, sizeof kname))
        return shm__result(SHM_E_NAME, 0);
    *h = mutex ? CreateMutexA(&sec->sa, TRUE, kname) : CreateEventA(&sec->sa, TRUE, FALSE, kname);
    DWORD err = GetLastError();
    *existed = *h != NULL && err == ERROR_ALREADY_EXISTS;
    return shm_claim(*h, err);
}

ShmResult presence_claim(const char *name, ShmPresence *p)
{
    ObjSecurity sec;
    bool existed;
    DWORD err;
    ShmResult r;

    memset(p, 0, sizeof *p);
    if ((err = objsec_private(&sec)) != 0)
        return shm__result(SHM_E_SYSTEM, err);
    r = create(&p->stop, &existed, false, name, SHM_STOP_SUFFIX, &sec);
    if (r.status == SHM_OK && existed)
        r = shm__result(SHM_E_RUNNING, 0);
    if (SHM_FAILED(r))
        goto fail;
    /* Clients that still hold an old alive mutex keep it in existence: then
     * it is not ours at creation and we take it. */
    r = create(&p->alive, &existed, true, name, SHM_ALIVE_SUFFIX, &sec);
    if (SHM_FAILED(r))
        goto fail;
    if (existed) {
        DWORD w = WaitForSingleObject(p->alive, ALIVE_TAKE_MS);
        if (w != WAIT_OBJECT_0 && w != WAIT_ABANDONED) {
            CloseHandle(p->alive); /* not ours: must not be released */
            p->alive = NULL;
            r = shm__result(SHM_E_RUNNING, 0);
            goto fail;
        }
    }
    /* An id nobody guesses and no earlier server had: time, process and a
     * counter mixed (it tells machines apart, it protects nothing). */
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    unsigned long id = (unsigned long)(t.QuadPart ^ (t.QuadPart >> 32)) * 2654435761ul ^
                       GetCurrentProcessId() * 40503ul ^ GetTickCount();
    snprintf(p->id, sizeof p->id, "%08lx", id & 0xFFFFFFFFul);
    char suffix[sizeof PROTO_INSTANCE_SUFFIX + PROTO_INSTANCE_HEX];
    snprintf(suffix, sizeof suffix, "%s%s", PROTO_INSTANCE_SUFFIX, p->id);
    r = create(&p->instance, &existed, false, name, suffix, &sec);
    if (SHM_FAILED(r))
        goto fail;
    return shm__result(SHM_OK, 0);

fail:
    presence_release(p);
    return r;
}

void presence_release(ShmPresence *p)
{
    if (p->alive) {
        ReleaseMutex(p->alive);
        CloseHandle(p->alive);
    }
    if (p->stop)
        CloseHandle(p->stop);
    if (p->instance)
        CloseHandle(p->instance);
    p->alive = p->stop = p->instance = NULL;
}

void presence_gone(ShmPresence *p)
{
    if (p->alive)
        ReleaseMutex(p->alive);
}

