/* log.c: timestamped, whole-line console log (see log.h). */
#include "server/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <windows.h>

#include "core/proto.h"

static CRITICAL_SECTION lock;
static int closed; /* guarded by lock */

/* A whole message as the log shows it (LOG_TEXT_MAX), with the stamp,
 * the client's id and its name before it. */
typedef struct LogLine {
    char text[64 + PROTO_NAME_BUF * 8 + LOG_TEXT_MAX]; /* a name escaped, too */
} LogLine;

static void format(LogLine *l, const char *fmt, va_list ap)
{
    SYSTEMTIME t;

    GetLocalTime(&t);
    int n = snprintf(l->text, sizeof l->text, "[%04u-%02u-%02u %02u:%02u:%02u] ", t.wYear,
                     t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
    vsnprintf(l->text + n, sizeof l->text - (size_t)n, fmt, ap);
}

/* The lock held. */
static void write_line(const LogLine *l)
{
    if (closed)
        return;
    fputs(l->text, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

void log_init(void)
{
    InitializeCriticalSection(&lock);
}

void log_line(const char *fmt, ...)
{
    LogLine l;
    va_list ap;

    va_start(ap, fmt);
    format(&l, fmt, ap);
    va_end(ap);
    EnterCriticalSection(&lock);
    write_line(&l);
    LeaveCriticalSection(&lock);
}

void log_close(void)
{
    EnterCriticalSection(&lock);
    closed = 1;
    LeaveCriticalSection(&lock);
}

static void format_args(LogLine *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format(l, fmt, ap);
    va_end(ap);
}

void log_close_with(const char *last, unsigned ms)
{
    LogLine l;
    ULONGLONG end = GetTickCount64() + ms;

    format_args(&l, "%s", last);
    while (!TryEnterCriticalSection(&lock)) {
        if (GetTickCount64() >= end)
            return; /* a writer is stuck in the console: nothing can be said */
        Sleep(1);
    }
    /* Written under the lock this call took: nobody slips in between. */
    write_line(&l);
    closed = 1;
    LeaveCriticalSection(&lock);
}
