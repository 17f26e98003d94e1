/* winerr.c: FormatMessage wrapped for people (see winerr.h). */
#include "win/winerr.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

/* Winsock errors FormatMessage may have no text for (Wine has none). */
static const struct {
    unsigned long code;
    const char *text;
} wsa_texts[] = {
    {10013, "Permission denied"},
    {10022, "Invalid argument"},
    {10024, "Too many open sockets"},
    {10035, "The operation would block"},
    {10048, "Address already in use"},
    {10049, "The requested address is not valid here"},
    {10050, "The network is down"},
    {10051, "The network is unreachable"},
    {10053, "The connection was aborted"},
    {10054, "The connection was reset by the peer"},
    {10055, "No buffer space available"},
    {10057, "The socket is not connected"},
    {10060, "The connection timed out"},
    {10061, "The connection was refused"},
    {10065, "No route to host"},
    {11001, "Host not found"},
    {11002, "Host not found, or the server failed (try again)"},
    {11004, "The name has no address"},
};

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
    for (size_t i = 0; n == 0 && i < sizeof wsa_texts / sizeof wsa_texts[0]; i++)
        if (wsa_texts[i].code == err)
            n = (DWORD)snprintf(text, sizeof text, "%s", wsa_texts[i].text);
    if (n == 0)
        snprintf(buf, size, "error %lu", err);
    else
        snprintf(buf, size, "%.*s (error %lu)", (int)n, text, err);
    return buf;
}
