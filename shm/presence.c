/* presence.c: is a chat server running, and the request to stop it (see
 * presence.h): the client's and `--stop`'s half. The server's half, which
 * needs the security calls, is in shm_create.c, so clients link no
 * ADVAPI32. */
#include "shm/presence.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "shm/shm_int.h"

ShmResult presence_request_stop(const char *name)
{
    char kname[SHM_NAME_MAX];

    if (!shm_layout_object_name(name, SHM_STOP_SUFFIX, kname, sizeof kname))
        return shm__result(SHM_E_NAME, 0);
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, kname);
    if (ev == NULL)
        return shm__open_failure(GetLastError());
    BOOL ok = SetEvent(ev);
    DWORD err = ok ? 0 : GetLastError();
    CloseHandle(ev);
    return shm__result(ok ? SHM_OK : SHM_E_SYSTEM, err);
}

bool presence_is_instance(const char *name, const char *id)
{
    char suffix[sizeof PROTO_INSTANCE_SUFFIX + PROTO_INSTANCE_HEX], kname[SHM_NAME_MAX];
    if (strlen(id) != PROTO_INSTANCE_HEX)
        return false;
    snprintf(suffix, sizeof suffix, "%s%s", PROTO_INSTANCE_SUFFIX, id);
    if (!shm_layout_object_name(name, suffix, kname, sizeof kname))
        return false;
    HANDLE h = OpenEventA(SYNCHRONIZE, FALSE, kname);
    if (h == NULL)
        return false;
    CloseHandle(h);
    return true;
}

bool presence_watch_open(ShmWatch *w, const char *name)
{
    char kname[SHM_NAME_MAX];

    w->alive = NULL;
    if (shm_layout_object_name(name, SHM_ALIVE_SUFFIX, kname, sizeof kname))
        w->alive = OpenMutexA(SYNCHRONIZE, FALSE, kname);
    return w->alive != NULL;
}

bool presence_watch_alive(ShmWatch *w)
{
    if (w->alive == NULL)
        return false;
    DWORD wr = WaitForSingleObject(w->alive, 0);
    if (wr == WAIT_TIMEOUT)
        return true;
    if (wr == WAIT_OBJECT_0 || wr == WAIT_ABANDONED)
        ReleaseMutex(w->alive); /* we took it to look: give it back */
    return false;
}

void presence_watch_close(ShmWatch *w)
{
    if (w->alive)
        CloseHandle(w->alive);
    w->alive = NULL;
}
