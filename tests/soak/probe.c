/* probe.c: what another process holds: its kernel handles, GDI objects,
 * windows and memory, through the documented calls and, where Wine leaves
 * those unimplemented, through the best real substitute (see docs/soak.md).
 *
 * Measured under Wine 8.0: GetProcessHandleCount succeeds and always says 0;
 * GetGuiResources returns 0 with ERROR_CALL_NOT_IMPLEMENTED;
 * PROCESS_MEMORY_COUNTERS_EX.PrivateUsage is 0. What works there:
 *  - NtQuerySystemInformation(SystemExtendedHandleInformation): the
 *    wineserver's own handle table, per process;
 *  - the process's GDI handle table, which Wine keeps where Windows does
 *    (PEB->GdiSharedHandleTable), read with ReadProcessMemory;
 *  - EnumWindows / EnumChildWindows for its windows (USER objects);
 *  - GetProcessMemoryInfo's working set and pagefile usage.
 * The two NT calls are looked up in ntdll at run time (no import library
 * beyond KERNEL32 and USER32); GetProcessMemoryInfo is KERNEL32's K32 entry,
 * so PSAPI is not needed either. */
#include "soak.h"

#include <psapi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <winternl.h>

typedef LONG(WINAPI *NtQuerySystemInformationFn)(ULONG, PVOID, ULONG, PULONG);
typedef LONG(WINAPI *NtQueryInformationProcessFn)(HANDLE, ULONG, PVOID, ULONG, PULONG);

#define SYSTEM_EXTENDED_HANDLE_INFORMATION 64
#define STATUS_INFO_LENGTH_MISMATCH_ ((LONG)0xC0000004)

typedef struct HandleEntryEx {
    PVOID object;
    ULONG_PTR pid;
    ULONG_PTR handle;
    ULONG access;
    USHORT backtrace, type;
    ULONG attributes, reserved;
} HandleEntryEx;

typedef struct HandleInfoEx {
    ULONG_PTR count;
    ULONG_PTR reserved;
    HandleEntryEx h[1];
} HandleInfoEx;

/* One entry of the GDI handle table, 24 bytes on x64 in Windows and in Wine
 * alike; a free entry has type 0. */
typedef struct GdiEntry {
    uint64_t object;
    uint32_t owner;
    uint16_t unique;
    uint8_t type;
    uint8_t flags;
    uint64_t user;
} GdiEntry;
#define GDI_TABLE_ENTRIES 0x10000
#define PEB_GDI_TABLE_OFFSET 0xF8 /* x64 */

static HandleInfoEx *handles;
static ULONG handles_size;
static GdiEntry *gdi_table;

static FARPROC ntdll(const char *name)
{
    HMODULE m = GetModuleHandleA("ntdll.dll");
    return m ? GetProcAddress(m, name) : NULL;
}

bool soak_under_wine(void)
{
    return ntdll("wine_get_version") != NULL;
}

void soak_probe_refresh(void)
{
    NtQuerySystemInformationFn q =
        (NtQuerySystemInformationFn)(void *)ntdll("NtQuerySystemInformation");
    if (q == NULL)
        return;
    for (int tries = 0; tries < 8; tries++) {
        ULONG need = 0;
        if (handles == NULL) {
            handles_size = 1 << 20;
            handles = malloc(handles_size);
            if (handles == NULL)
                return;
        }
        LONG st = q(SYSTEM_EXTENDED_HANDLE_INFORMATION, handles, handles_size, &need);
        if (st == 0)
            return;
        free(handles);
        handles = NULL;
        if (st != STATUS_INFO_LENGTH_MISMATCH_)
            return;
        handles_size = (need > handles_size ? need : handles_size) * 2;
        handles = malloc(handles_size);
        if (handles == NULL)
            return;
    }
}

static long table_handles(DWORD pid)
{
    if (handles == NULL)
        return -1;
    long n = 0;
    for (ULONG_PTR i = 0; i < handles->count; i++)
        if (handles->h[i].pid == pid)
            n++;
    return n;
}

/* Live GDI objects of a process under Wine, where its table is its own. On
 * Windows the table is shared by the session and GetGuiResources works, so
 * this is not used there. */
static long gdi_objects(HANDLE proc)
{
    NtQueryInformationProcessFn q =
        (NtQueryInformationProcessFn)(void *)ntdll("NtQueryInformationProcess");
    PROCESS_BASIC_INFORMATION pbi;
    ULONG len;
    uint64_t table = 0;
    SIZE_T got = 0;

    if (!soak_under_wine() || q == NULL ||
        q(proc, ProcessBasicInformation, &pbi, sizeof pbi, &len) != 0)
        return -1;
    if (!ReadProcessMemory(proc, (char *)pbi.PebBaseAddress + PEB_GDI_TABLE_OFFSET,
                           &table, sizeof table, &got) ||
        table == 0)
        return -1;
    if (gdi_table == NULL &&
        (gdi_table = malloc(GDI_TABLE_ENTRIES * sizeof *gdi_table)) == NULL)
        return -1;
    if (!ReadProcessMemory(proc, (void *)(uintptr_t)table, gdi_table,
                           GDI_TABLE_ENTRIES * sizeof *gdi_table, &got))
        return -1;
    long n = 0;
    for (size_t i = 0; i < got / sizeof *gdi_table; i++)
        if (gdi_table[i].type != 0)
            n++;
    return n;
}

typedef struct WindowCount {
    DWORD pid;
    long n;
} WindowCount;

static BOOL CALLBACK count_child(HWND hwnd, LPARAM lp)
{
    (void)hwnd;
    ((WindowCount *)lp)->n++;
    return TRUE;
}

static BOOL CALLBACK count_top(HWND hwnd, LPARAM lp)
{
    WindowCount *c = (WindowCount *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == c->pid) {
        c->n++;
        EnumChildWindows(hwnd, count_child, lp); /* every descendant */
    }
    return TRUE;
}

static long windows_of(DWORD pid)
{
    WindowCount c = {pid, 0};
    EnumWindows(count_top, (LPARAM)&c);
    return c.n;
}

void soak_probe(HANDLE proc, bool gui, SoakCounters *out)
{
    DWORD n = 0;
    DWORD pid = GetProcessId(proc);

    memset(out, 0, sizeof *out);
    out->handles_api = GetProcessHandleCount(proc, &n) ? (long)n : -1;
    out->handles = table_handles(pid);
    out->gdi_api = out->user_api = out->gdi = out->windows = -1;
    if (gui) {
        SetLastError(0);
        out->gdi_api = (long)GetGuiResources(proc, GR_GDIOBJECTS);
        out->gdi_api_err = GetLastError();
        SetLastError(0);
        out->user_api = (long)GetGuiResources(proc, GR_USEROBJECTS);
        out->user_api_err = GetLastError();
        out->gdi = gdi_objects(proc);
        out->windows = windows_of(pid);
    }
    PROCESS_MEMORY_COUNTERS pm;
    memset(&pm, 0, sizeof pm);
    pm.cb = sizeof pm;
    if (K32GetProcessMemoryInfo(proc, &pm, sizeof pm)) {
        out->ws_kb = (long long)(pm.WorkingSetSize / 1024);
        out->commit_kb = (long long)(pm.PagefileUsage / 1024);
    } else {
        out->ws_kb = out->commit_kb = -1;
    }
}
