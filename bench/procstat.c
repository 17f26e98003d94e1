/* procstat.exe: what a running Windows process holds, as Windows counts it:
 * its threads (a Toolhelp snapshot) and its commit: the private memory it
 * has committed, summed over its address space with VirtualQueryEx (Wine's
 * GetProcessMemoryInfo says 0 for another process's private bytes).
 * run-server-bench samples each server while many clients are joined, for
 * the threads and commit per connected client. (Under Wine the threads are
 * the wineserver's count; this sandbox's /proc does not show a Wine
 * process's threads reliably.)
 *
 * The commit is walked at the first sample and whenever the thread count
 * has held at a new peak for two samples (the walk takes a while with
 * thousands of stacks, so not at every sample).
 *
 * Usage: procstat.exe IMAGE [SECONDS [INTERVAL_MS]]
 *   samples the first process whose image name is IMAGE (say
 *   chat_server.exe) every INTERVAL_MS (100) for SECONDS (0: once), and
 *   prints a line at the first sample and again whenever a peak grew:
 *     procstat image=NAME pid=N samples=K first_threads=T first_commit=B
 *       peak_threads=T peak_commit=B
 *   (bytes; peak_commit is the commit walked at the thread peak), so the last line printed holds the peaks over the samples even
 *   if the run is cut short by a kill. It ends once the process is gone.
 *   Exit 1 if no such process is running.
 */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    DWORD threads;
    unsigned long long commit;
} Sample;

/* The process named `image` (its pid in *pid, 0 for the first one found),
 * with its thread count; false once it is gone. */
static BOOL find(const char *image, DWORD *pid, DWORD *threads)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32 pe = {.dwSize = sizeof pe};
    BOOL found = FALSE;

    if (snap == INVALID_HANDLE_VALUE)
        return FALSE;
    for (BOOL ok = Process32First(snap, &pe); ok && !found; ok = Process32Next(snap, &pe)) {
        if (_stricmp(pe.szExeFile, image) == 0 && (*pid == 0 || pe.th32ProcessID == *pid)) {
            *pid = pe.th32ProcessID;
            *threads = pe.cntThreads;
            found = TRUE;
        }
    }
    CloseHandle(snap);
    return found;
}

/* The private memory process `pid` has committed, in bytes; false if it
 * cannot be read. */
static BOOL commit_of(DWORD pid, unsigned long long *bytes)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    MEMORY_BASIC_INFORMATION mbi;
    unsigned char *at = NULL;

    if (!h)
        return FALSE;
    *bytes = 0;
    while (VirtualQueryEx(h, at, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            *bytes += mbi.RegionSize;
        unsigned char *next = (unsigned char *)mbi.BaseAddress + mbi.RegionSize;
        if (next <= at)
            break;
        at = next;
    }
    CloseHandle(h);
    return TRUE;
}

static void report(const char *image, DWORD pid, unsigned samples, const Sample *first,
                   const Sample *peak)
{
    printf("procstat image=%s pid=%lu samples=%u first_threads=%lu first_commit=%llu "
           "peak_threads=%lu peak_commit=%llu\n",
           image, (unsigned long)pid, samples, (unsigned long)first->threads, first->commit,
           (unsigned long)peak->threads, peak->commit);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: procstat IMAGE [SECONDS [INTERVAL_MS]]\n");
        return 2;
    }
    const char *image = argv[1];
    double seconds = argc > 2 ? atof(argv[2]) : 0;
    DWORD interval = argc > 3 ? (DWORD)atoi(argv[3]) : 100;
    DWORD pid = 0, threads, last = 0;
    Sample first, peak;

    if (interval == 0)
        interval = 100;
    if (!find(image, &pid, &first.threads) || !commit_of(pid, &first.commit)) {
        fprintf(stderr, "procstat: no process %s (or it cannot be read)\n", image);
        return 1;
    }
    peak = first;
    unsigned samples = 1;
    report(image, pid, samples, &first, &peak);
    for (ULONGLONG end = GetTickCount64() + (ULONGLONG)(seconds * 1000);
         GetTickCount64() < end; last = threads) {
        Sleep(interval);
        if (!find(image, &pid, &threads))
            break; /* gone */
        samples++;
        if (threads == last && threads > peak.threads) {
            unsigned long long commit;
            if (!commit_of(pid, &commit))
                break;
            peak.threads = threads;
            peak.commit = commit;
            report(image, pid, samples, &first, &peak);
        }
    }
    report(image, pid, samples, &first, &peak);
    return 0;
}
