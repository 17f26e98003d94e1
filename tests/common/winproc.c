/* winproc.c: helper processes and unique names for the Win32 suites. */
#include "common/winproc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tp_unique_name(char *buf, size_t size, const char *tag)
{
    static LONG counter;
    snprintf(buf, size, "ChatTest-%lu-%ld-%s", GetCurrentProcessId(),
             InterlockedIncrement(&counter), tag);
}

HANDLE tp_spawn(const char *exe, const char *args)
{
    return tp_spawn_ex(exe, args, 0, NULL);
}

/* Every helper joins one job that dies with this process: a test that fails
 * half-way (Check longjmps out of it) leaves no helper running, and none
 * keeps ctest's output pipe open forever. */
static HANDLE helpers_job(void)
{
    static HANDLE job;
    if (job == NULL) {
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
        job = CreateJobObjectA(NULL, NULL);
        ck_assert_msg(job != NULL, "CreateJobObject failed: %lu", GetLastError());
        ZeroMemory(&li, sizeof li);
        li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li);
    }
    return job;
}

/* What CreateProcessA would make of `s`: the ANSI code page. */
static wchar_t *widen(const char *s)
{
    int n = MultiByteToWideChar(CP_ACP, 0, s, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    ck_assert_msg(w != NULL && MultiByteToWideChar(CP_ACP, 0, s, -1, w, n) == n,
                  "cannot convert '%s'", s);
    return w;
}

static HANDLE spawn(const wchar_t *exe, const wchar_t *args, DWORD flags, const wchar_t *log_path)
{
    HANDLE log = INVALID_HANDLE_VALUE;
    wchar_t *cmd = malloc(32768 * sizeof *cmd); /* CreateProcess's limit; may change it */
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;

    ck_assert_ptr_nonnull(cmd);
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (log_path) {
        SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
        log = CreateFileW(log_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                          CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        ck_assert_msg(log != INVALID_HANDLE_VALUE, "cannot create a log: %lu", GetLastError());
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = log;
        si.hStdError = log;
    }
    int n = _snwprintf(cmd, 32768, L"\"%ls\" %ls", exe, args);
    ck_assert_msg(n > 0 && n < 32768, "command line too long");
    BOOL ok = CreateProcessW(exe, cmd, NULL, NULL, log_path != NULL, flags | CREATE_SUSPENDED, NULL,
                             NULL, &si, &pi);
    DWORD err = GetLastError();
    if (log != INVALID_HANDLE_VALUE)
        CloseHandle(log);
    if (!ok) {
        char shown[1024] = "";
        WideCharToMultiByte(CP_UTF8, 0, cmd, -1, shown, sizeof shown - 1, NULL, NULL);
        free(cmd);
        ck_abort_msg("CreateProcess(%s) failed: %lu", shown, err);
    }
    free(cmd);
    AssignProcessToJobObject(helpers_job(), pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

HANDLE tp_spawn_ex(const char *exe, const char *args, DWORD flags, const char *log_path)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path);
    ck_assert_msg(n > 0 && n < sizeof path, "GetModuleFileName failed");
    char *slash = strrchr(path, '\\');
    ck_assert(slash != NULL);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", exe);
    wchar_t *wexe = widen(path), *wargs = widen(args), *wlog = log_path ? widen(log_path) : NULL;
    HANDLE proc = spawn(wexe, wargs, flags, wlog);
    free(wexe);
    free(wargs);
    free(wlog);
    return proc;
}

void tp_end_helpers(void)
{
    HANDLE job = helpers_job();
    TerminateJobObject(job, 9);
    /* The processes are gone once the job counts none. */
    for (int i = 0; i < 200; i++) {
        JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info;
        if (!QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &info,
                                       sizeof info, NULL) ||
            info.ActiveProcesses == 0)
            break;
        Sleep(25);
    }
}

HANDLE tp_spawn_w(const wchar_t *exe, const wchar_t *args, const wchar_t *log_path)
{
    return spawn(exe, args, 0, log_path);
}

typedef struct {
    DWORD pid;
    HWND found;
} FindTop;

static BOOL CALLBACK find_top(HWND h, LPARAM lp)
{
    FindTop *f = (FindTop *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(h, &pid);
    if (pid == f->pid && IsWindowVisible(h) && GetWindow(h, GW_OWNER) == NULL) {
        f->found = h;
        return FALSE;
    }
    return TRUE;
}

HWND tp_top_window(DWORD pid, DWORD ms)
{
    FindTop f = {pid, NULL};
    unsigned long long until = tp_now_ms() + ms;
    for (;;) {
        EnumWindows(find_top, (LPARAM)&f);
        if (f.found || tp_now_ms() > until)
            break;
        Sleep(25);
    }
    ck_assert_msg(f.found != NULL, "process %lu showed no window within %lu ms", pid, ms);
    return f.found;
}

bool tp_file_version(const wchar_t *exe, char *out, size_t cap)
{
    HMODULE m = LoadLibraryExW(exe, NULL, LOAD_LIBRARY_AS_DATAFILE);
    HRSRC r = m ? FindResourceW(m, MAKEINTRESOURCEW(1), (LPCWSTR)RT_VERSION) : NULL;
    const unsigned char *p = r ? LockResource(LoadResource(m, r)) : NULL;
    DWORD size = r ? SizeofResource(m, r) : 0;
    bool ok = false;
    for (DWORD i = 0; p && i + sizeof(VS_FIXEDFILEINFO) <= size; i += 4) {
        VS_FIXEDFILEINFO v;
        memcpy(&v, p + i, sizeof v);
        if (v.dwSignature == 0xFEEF04BD) {
            snprintf(out, cap, "%lu.%lu.%lu", (unsigned long)HIWORD(v.dwFileVersionMS),
                     (unsigned long)LOWORD(v.dwFileVersionMS),
                     (unsigned long)HIWORD(v.dwFileVersionLS));
            ok = true;
            break;
        }
    }
    if (m)
        FreeLibrary(m);
    return ok;
}

HANDLE tp_ready_event(const char *name)
{
    char ev[300];
    snprintf(ev, sizeof ev, "%sReady", name);
    HANDLE h = CreateEventA(NULL, TRUE, FALSE, ev);
    ck_assert_msg(h != NULL, "CreateEvent(%s) failed: %lu", ev, GetLastError());
    return h;
}

HANDLE tp_spawn_ready(const char *exe, const char *args, const char *name)
{
    HANDLE ready = tp_ready_event(name);
    HANDLE proc = tp_spawn(exe, args);
    ck_assert_msg(tp_wait(ready, 10000), "%s %s never got ready", exe, args);
    CloseHandle(ready);
    return proc;
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
