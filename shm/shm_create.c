/* shm_create.c: the server's half of the shared chat state: creating the
 * segment and its mutex private to the user, and refusing names someone
 * else holds (see shm.h). */
#include "shm/shm.h"
#include "shm/shm_int.h"

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
