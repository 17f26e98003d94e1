/* log.c: timestamped, whole-line console log (see log.h). */
#include "server/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <windows.h>

static CRITICAL_SECTION lock;
static int closed; /* guarded by lock */

void log_init(void)
{
    InitializeCriticalSection(&lock);
}

void log_line(const char *fmt, ...)
{
    char line[4400]; /* a whole 4096-byte message and its prefix */
    SYSTEMTIME t;
    va_list ap;

    GetLocalTime(&t);
    int n = snprintf(line, sizeof line, "[%04u-%02u-%02u %02u:%02u:%02u] ", t.wYear,
                     t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);

    EnterCriticalSection(&lock);
    if (!closed) {
        fputs(line, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    LeaveCriticalSection(&lock);
}

void log_close(void)
{
    EnterCriticalSection(&lock);
    closed = 1;
    LeaveCriticalSection(&lock);
}

void log_close_with(const char *last, unsigned ms)
{
    ULONGLONG end = GetTickCount64() + ms;
    while (!TryEnterCriticalSection(&lock)) {
        if (GetTickCount64() >= end)
            return; /* a writer is stuck in the console: nothing can be said */
        Sleep(1);
    }
    LeaveCriticalSection(&lock);
    log_line("%s", last);
    log_close();
}
