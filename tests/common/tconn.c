/* tconn.c: TCP test client and server process for the Win32 suites. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "common/tconn.h"

#include "core/proto.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/winproc.h"

void tc_startup(void)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
}

static struct sockaddr_in loopback(unsigned short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

unsigned short tc_free_port(void)
{
    struct sockaddr_in a = loopback(0);
    int alen = sizeof a;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    ck_assert(getsockname(s, (struct sockaddr *)&a, &alen) == 0);
    closesocket(s);
    return ntohs(a.sin_port);
}

static SOCKET try_connect(unsigned short port)
{
    struct sockaddr_in a = loopback(port);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    BOOL one = TRUE;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    return s;
}

TConn *tc_connect(unsigned short port)
{
    TConn *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    c->s = try_connect(port);
    ck_assert_msg(c->s != INVALID_SOCKET, "connect to port %u failed: %d", port,
                  WSAGetLastError());
    return c;
}

static struct addrinfo *numeric(const char *ip, unsigned short port)
{
    struct addrinfo hints, *ai = NULL;
    char p[8];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    snprintf(p, sizeof p, "%u", port);
    ck_assert_msg(getaddrinfo(ip, p, &hints, &ai) == 0, "not an address: %s", ip);
    return ai;
}

TConn *tc_connect_addr(const char *to, unsigned short port, const char *from)
{
    struct addrinfo *dst = numeric(to, port), *src = from ? numeric(from, 0) : NULL;
    SOCKET s = socket(dst->ai_family, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(s != INVALID_SOCKET);
    bool ok = (src == NULL || bind(s, src->ai_addr, (int)src->ai_addrlen) == 0) &&
              connect(s, dst->ai_addr, (int)dst->ai_addrlen) == 0;
    freeaddrinfo(dst);
    if (src)
        freeaddrinfo(src);
    if (!ok) {
        closesocket(s);
        return NULL;
    }
    BOOL one = TRUE;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    TConn *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    c->s = s;
    return c;
}

SOCKET tc_listen(unsigned short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(s != INVALID_SOCKET);
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    ck_assert(listen(s, 8) == 0);
    return s;
}

TConn *tc_join(unsigned short port, const char *name)
{
    char hello[200], want[200];
    TConn *c = tc_connect(port);
    snprintf(hello, sizeof hello, "USERNAME:%s\n", name);
    tc_sends(c, hello);
    snprintf(want, sizeof want, "*** %s joined the chat ***", name);
    tc_expect(c, want, 5000);
    tc_welcome(c);
    return c;
}

void tc_welcome(TConn *c)
{
    static char line[70000];
    for (;;) {
        ck_assert_msg(tc_line(c, line, sizeof line, 5000), "no roster after the join line");
        ck_assert_msg(strncmp(line, "*** in the chat (", 17) == 0 ||
                          strncmp(line, PROTO_SHM_HEAD, sizeof PROTO_SHM_HEAD - 1) == 0,
                      "after the join line: '%s'", line);
        if (strncmp(line, PROTO_SHM_HEAD, sizeof PROTO_SHM_HEAD - 1) == 0)
            return;
    }
}

void tc_send(TConn *c, const void *data, size_t len)
{
    int n = send(c->s, data, (int)len, 0);
    ck_assert_msg(n == (int)len, "send of %lu bytes returned %d (%d)", (unsigned long)len, n,
                  WSAGetLastError());
}

void tc_sends(TConn *c, const char *s)
{
    tc_send(c, s, strlen(s));
}

bool tc_readable(SOCKET s, DWORD timeout_ms)
{
    fd_set r;
    struct timeval tv = {(long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000};
    FD_ZERO(&r);
    FD_SET(s, &r);
    return select(0, &r, NULL, NULL, &tv) == 1;
}

bool tc_line(TConn *c, char *out, size_t size, DWORD timeout_ms)
{
    ULONGLONG end = GetTickCount64() + timeout_ms;
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            size_t k = n < size - 1 ? n : size - 1;
            memcpy(out, c->buf, k);
            out[k] = '\0';
            memmove(c->buf, nl + 1, c->len - n - 1);
            c->len -= n + 1;
            return true;
        }
        ULONGLONG now = GetTickCount64();
        if (now >= end || c->len == sizeof c->buf || !tc_readable(c->s, (DWORD)(end - now)))
            return false;
        int got = recv(c->s, c->buf + c->len, (int)(sizeof c->buf - c->len), 0);
        if (got <= 0)
            return false;
        c->len += (size_t)got;
    }
}

void tc_expect(TConn *c, const char *want, DWORD timeout_ms)
{
    static char line[70000];
    ULONGLONG end = GetTickCount64() + timeout_ms;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        ck_assert_msg(now < end && tc_line(c, line, sizeof line, (DWORD)(end - now)),
                      "no line '%s' within %lu ms", want, timeout_ms);
        if (strcmp(line, want) == 0)
            return;
    }
}

bool tc_closed(TConn *c, DWORD timeout_ms)
{
    ULONGLONG end = GetTickCount64() + timeout_ms;
    char buf[65536];
    for (;;) {
        ULONGLONG now = GetTickCount64();
        if (now >= end || !tc_readable(c->s, (DWORD)(end - now)))
            return false;
        if (recv(c->s, buf, sizeof buf, 0) <= 0)
            return true;
    }
}

void tc_close(TConn *c)
{
    shutdown(c->s, SD_SEND);
    closesocket(c->s);
    free(c);
}

void tc_reset(TConn *c)
{
    struct linger lg = {1, 0};
    setsockopt(c->s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg);
    closesocket(c->s);
    free(c);
}

HANDLE tc_server(unsigned short port, const char *shm_name, const char *extra_args)
{
    char args[600];
    /* Unlimited lines a second and connections per address unless the test
     * says otherwise (a later option wins): most tests connect and send as
     * fast as they can, and the limits have tests of their own. */
    snprintf(args, sizeof args, "--port %u --shm-name %s --rate 0 --per-address 1000 %s", port, shm_name,
             extra_args ? extra_args : "");
    /* Its own process group, so a test can send it Ctrl+Break alone; its log
     * (a line per message) in a file beside the test, not in the test's output. */
    char log[200];
    snprintf(log, sizeof log, "%s.log", shm_name);
    HANDLE p = tp_spawn_ex("..\\..\\server\\chat_server.exe", args, CREATE_NEW_PROCESS_GROUP,
                           log);
    for (int i = 0; i < 200; i++) {
        SOCKET s = try_connect(port);
        if (s != INVALID_SOCKET) {
            closesocket(s);
            return p;
        }
        ck_assert_msg(WaitForSingleObject(p, 0) == WAIT_TIMEOUT, "chat_server exited early");
        Sleep(25);
    }
    ck_abort_msg("chat_server did not start listening on port %u", port);
    return NULL;
}
