/* winproc.c: helper processes and unique names for the Win32 suites. */
#include "common/winproc.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

void tp_unique_name(char *buf, size_t size, const char *tag)
{
    static LONG counter;
    snprintf(buf, size, "ChatTest-%lu-%ld-%s", GetCurrentProcessId(),
             InterlockedIncrement(&counter), tag);
}

HANDLE tp_spawn(const char *exe, const char *args)
{
    char path[MAX_PATH];
    char cmd[4096];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;

    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path);
    ck_assert_msg(n > 0 && n < sizeof path, "GetModuleFileName failed");
    char *slash = strrchr(path, '\\');
    ck_assert(slash != NULL);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", exe);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", path, args);
    BOOL ok = CreateProcessA(path, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    ck_assert_msg(ok, "CreateProcess(%s) failed: %lu", cmd, GetLastError());
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

HANDLE tp_ready_event(const char *name)
{
    char ev[300];
    snprintf(ev, sizeof ev, "%sReady", name);
    HANDLE h = CreateEventA(NULL, TRUE, FALSE, ev);
    ck_assert_msg(h != NULL, "CreateEvent(%s) failed: %lu", ev, GetLastError());
    return h;
}

bool tp_wait(HANDLE h, DWORD ms)
{
    return WaitForSingleObject(h, ms) == WAIT_OBJECT_0;
}

DWORD tp_exit_code(HANDLE proc, DWORD ms)
{
    DWORD code = 0xdeadbeef;
    ck_assert_msg(tp_wait(proc, ms), "helper did not exit within %lu ms", ms);
    ck_assert(GetExitCodeProcess(proc, &code));
    CloseHandle(proc);
    return code;
}

void tp_kill(HANDLE proc)
{
    TerminateProcess(proc, 9);
    ck_assert_msg(tp_wait(proc, 10000), "killed helper did not go away");
    CloseHandle(proc);
}

unsigned long long tp_now_ms(void)
{
    return GetTickCount64();
}
