/* winerr.c: FormatMessage wrapped for people (see winerr.h). */
#include "win/winerr.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

const char *win_strerror(unsigned long err, char *buf, size_t size)
{
    char text[512];
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), text,
                             sizeof text, NULL);

    while (n > 0 && strchr("\r\n .", text[n - 1]))
        n--;
    if (size == 0)
        return buf;
    if (n == 0)
        snprintf(buf, size, "error %lu", err);
    else
        snprintf(buf, size, "%.*s (error %lu)", (int)n, text, err);
    return buf;
}
