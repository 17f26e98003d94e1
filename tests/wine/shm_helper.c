/* shm_helper.c: the second process of the shm suite. Each command puts the
 * shared segment NAME into one state, sets the event "NAMEReady", and then
 * exits or waits to be killed:
 *
 *   serve NAME COUNT TEXT        shm_create, COUNT joins, post TEXT; wait
 *   write NAME COUNT TEXT        raw writer: lock, write, unlock; exit 0
 *   write-nonul NAME COUNT       raw writer: 1024 'x' bytes, no NUL; exit 0
 *   hold NAME MS                 take the lock, hold it MS ms, release; exit 0
 *   die-holding NAME COUNT TEXT  lock, write, never release; wait
 *   poke NAME                    shm_attach as a client does, then try to
 *                                write through its view: exit 42 when the
 *                                memory manager refused the write, 0 when
 *                                the write went through
 *
 * Exit codes: 0 done, 2 bad usage, 3 a Win32 call failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "shm/shm.h"
#include "shm/shm_compat.h"
#include "shm/shm_int.h"

/* The poke command's verdict: the write faulted, as it must. */
static LONG CALLBACK on_fault(EXCEPTION_POINTERS *e)
{
    if (e->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION)
        ExitProcess(42);
    return EXCEPTION_CONTINUE_SEARCH;
}

static void ready(const char *name)
{
    char ev[300];
    snprintf(ev, sizeof ev, "%sReady", name);
    HANDLE h = OpenEventA(EVENT_MODIFY_STATE, FALSE, ev);
    if (h) {
        SetEvent(h);
        CloseHandle(h);
    }
}

static int fail(const char *what)
{
    fprintf(stderr, "shm_helper: %s failed: %lu\n", what, GetLastError());
    return 3;
}

/* Opens the segment for writing and takes its lock, as a foreign writer
 * (the original server, say) would. */
static int raw_lock(const char *name, SharedChatData **view, HANDLE *mutex)
{
    char mname[SHM_NAME_MAX];
    HANDLE map = OpenFileMappingA(FILE_MAP_WRITE, FALSE, name);
    if (!map)
        return fail("OpenFileMapping");
    *view = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, sizeof(SharedChatData));
    if (!*view)
        return fail("MapViewOfFile");
    shm_layout_mutex_name(name, mname, sizeof mname);
    *mutex = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, mname);
    if (!*mutex)
        return fail("OpenMutex");
    WaitForSingleObject(*mutex, INFINITE);
    return 0;
}

int main(int argc, char **argv)
{
    SharedChatData *view;
    HANDLE mutex;
    int rc;

    if (argc < 3)
        return 2;
    const char *cmd = argv[1], *name = argv[2];

    if (strcmp(cmd, "serve") == 0 && argc == 5) {
        ChatShm *shm;
        if (SHM_FAILED(shm_create(name, &shm)))
            return fail("shm_create");
        for (int i = atoi(argv[3]); i > 0; i--)
            shm_client_joined(shm);
        shm_post_message(shm, argv[4], strlen(argv[4]));
        ready(name);
        Sleep(INFINITE);
    }
    if (strcmp(cmd, "hold") == 0 && argc == 4) {
        char mname[SHM_NAME_MAX];
        shm_layout_mutex_name(name, mname, sizeof mname);
        HANDLE m = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, mname);
        if (!m)
            return fail("OpenMutex");
        WaitForSingleObject(m, INFINITE);
        ready(name);
        Sleep((DWORD)atoi(argv[3]));
        ReleaseMutex(m);
        return 0;
    }
    if ((strcmp(cmd, "write") == 0 || strcmp(cmd, "die-holding") == 0) && argc == 5) {
        if ((rc = raw_lock(name, &view, &mutex)) != 0)
            return rc;
        view->connectedClients = atoi(argv[3]);
        snprintf(view->lastMessage, sizeof view->lastMessage, "%s", argv[4]);
        if (strcmp(cmd, "die-holding") == 0) {
            ready(name);
            Sleep(INFINITE);
        }
        ReleaseMutex(mutex);
        ready(name);
        return 0;
    }
    if (strcmp(cmd, "write-nonul") == 0 && argc == 4) {
        if ((rc = raw_lock(name, &view, &mutex)) != 0)
            return rc;
        view->connectedClients = atoi(argv[3]);
        memset(view->lastMessage, 'x', sizeof view->lastMessage);
        ReleaseMutex(mutex);
        ready(name);
        return 0;
    }
    if (strcmp(cmd, "poke") == 0 && argc == 3) {
        ChatShm *shm;
        if (SHM_FAILED(shm_attach(name, &shm)))
            return fail("shm_attach");
        AddVectoredExceptionHandler(1, on_fault);
        *(volatile int *)&shm->view->connectedClients = 999;
        return 0;
    }
    return 2;
}
