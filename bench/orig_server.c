/* orig_server.exe: the benchmark's baseline, a chat server rebuilt from the facts
 * sheet alone (../shared/seed/ORIGINAL-SYSTEM.md), flaws included on purpose. */

/*
 * What is faithful, and why it matters for the comparison:
 *   - a thread per accepted socket, and every accepted socket goes on the
 *     broadcast list at once, before its hello;
 *   - one recv() into a 4096-byte buffer is one message: no line framing, so
 *     two messages that share a recv() are merged and a long one is split;
 *   - broadcasts use blocking send() to every socket WHILE HOLDING the list
 *     lock: one slow socket stalls every other client thread (the flaw that
 *     the real server in server/ must not have).
 *   - the shared state as the facts sheet has it: a named mapping of
 *     SharedChatData and its named mutex; the count and every message's text
 *     written under the mutex (WaitForSingleObject INFINITE, then
 *     ReleaseMutex) by the client's thread before the broadcast. Under Wine
 *     that is two wineserver round trips per message, a third of what a
 *     message costs this server in all. `--no-shm` leaves it out (the
 *     network path alone: the baseline the benchmark used before, faster
 *     than the original design).
 * Not known from the facts sheet, chosen here: the size of the client list
 * (MAX_CLIENTS below; past it a newcomer is closed at once), the console
 * lines (the same facts as the real server's log), and no socket options at
 * all, so Nagle stays on as Winsock's default has it. With Nagle on, a second
 * small line to a client waits for the ACK of the first, which a Linux
 * receiver delays by up to 40 ms: that is the ~44 ms latency the bench shows
 * for the original from 10 clients up.
 *
 * Usage: orig_server.exe [--port N] [--shm-name NAME | --no-shm]
 *   (no option)     binds 0.0.0.0:12345 and writes ChatSharedMemory, like
 *                   the original
 *   --port N        binds 127.0.0.1:N instead, to keep a bench local
 *   --shm-name NAME the mapping NAME and the mutex NAMEMutex instead (a bench
 *                   must not touch a real chat's segment)
 *   --no-shm        no shared state at all
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_SIZE 4096
#define MAX_CLIENTS 1024
#define DEFAULT_PORT 12345

static SOCKET g_clients[MAX_CLIENTS];
static int g_nclients;
static CRITICAL_SECTION g_lock; /* guards g_clients, and is held across sends */

/* The shared state (none with --no-shm), laid out as SharedChatData. */
typedef struct {
    int connectedClients;
    char lastMessage[1024];
} SharedChatData;
static SharedChatData *g_shared;
static HANDLE g_mutex;

static void shared_count(int delta)
{
    if (!g_shared)
        return;
    WaitForSingleObject(g_mutex, INFINITE);
    g_shared->connectedClients += delta;
    ReleaseMutex(g_mutex);
}

static void shared_message(const char *text)
{
    if (!g_shared)
        return;
    WaitForSingleObject(g_mutex, INFINITE);
    strncpy(g_shared->lastMessage, text, sizeof g_shared->lastMessage - 1);
    g_shared->lastMessage[sizeof g_shared->lastMessage - 1] = '\0';
    ReleaseMutex(g_mutex);
}

/* Sends one line to every socket on the list, blocking, under the list lock:
 * the original's design, kept as is because it is what we measure against. */
static void broadcast(const char *line, int len)
{
    EnterCriticalSection(&g_lock);
    for (int i = 0; i < g_nclients; i++)
        send(g_clients[i], line, len, 0); /* the facts sheet names no error handling */
    LeaveCriticalSection(&g_lock);
}

static int list_add(SOCKET s)
{
    int ok = 0;
    EnterCriticalSection(&g_lock);
    if (g_nclients < MAX_CLIENTS) {
        g_clients[g_nclients++] = s;
        ok = 1;
    }
    LeaveCriticalSection(&g_lock);
    return ok;
}

static void list_remove(SOCKET s)
{
    EnterCriticalSection(&g_lock);
    for (int i = 0; i < g_nclients; i++) {
        if (g_clients[i] == s) {
            g_clients[i] = g_clients[--g_nclients];
            break;
        }
    }
    LeaveCriticalSection(&g_lock);
}

/* Removes every CR and LF in place (the original strips them anywhere, not
 * only at the end). */
static void strip_crlf(char *s)
{
    char *out = s;
    for (; *s; s++)
        if (*s != '\r' && *s != '\n')
            *out++ = *s;
    *out = '\0';
}

static DWORD WINAPI client_thread(LPVOID arg)
{
    SOCKET s = (SOCKET)(UINT_PTR)arg;
    char buf[BUFFER_SIZE];
    char name[BUFFER_SIZE];
    char line[2 * BUFFER_SIZE + 8]; /* "NAME: TEXT\n", each part up to a buffer */
    int n;

    /* The hello is the first unit, whatever it holds. */
    n = recv(s, buf, BUFFER_SIZE - 1, 0);
    if (n <= 0)
        goto done;
    buf[n] = '\0';
    if (strncmp(buf, "USERNAME:", 9) == 0) {
        strip_crlf(buf + 9);
        snprintf(name, sizeof name, "%s", buf + 9);
    } else {
        snprintf(name, sizeof name, "anonymous");
    }
    printf("%s joined\n", name);
    fflush(stdout);
    shared_count(+1);
    n = snprintf(line, sizeof line, "*** %s joined the chat ***\n", name);
    broadcast(line, n);

    /* One recv() = one message: the framing flaw. */
    while ((n = recv(s, buf, BUFFER_SIZE - 1, 0)) > 0) {
        buf[n] = '\0';
        strip_crlf(buf);
        if (buf[0] == '\0')
            continue;
        if (strstr(buf, "/quit"))
            break;
        printf("%s: %s\n", name, buf);
        fflush(stdout);
        shared_message(buf);
        n = snprintf(line, sizeof line, "%s: %s\n", name, buf);
        broadcast(line, n);
    }
    printf("%s left\n", name);
    fflush(stdout);
    shared_count(-1);
done:
    list_remove(s);
    closesocket(s);
    return 0;
}

static int parse_args(int argc, char **argv, unsigned short *port, ULONG *addr,
                      const char **shm_name)
{
    *port = DEFAULT_PORT;
    *addr = htonl(INADDR_ANY);
    *shm_name = "ChatSharedMemory";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-shm") == 0) {
            *shm_name = NULL;
            continue;
        }
        if (strcmp(argv[i], "--shm-name") == 0 && i + 1 < argc && strlen(argv[i + 1]) < 200) {
            *shm_name = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 1 || p > 65535)
                return -1;
            *port = (unsigned short)p;
            *addr = htonl(INADDR_LOOPBACK);
        } else {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    struct sockaddr_in sa;
    unsigned short port;
    ULONG addr;
    SOCKET ls;

    const char *shm_name;
    if (parse_args(argc, argv, &port, &addr, &shm_name) < 0) {
        fprintf(stderr, "usage: orig_server [--port N] [--shm-name NAME | --no-shm]\n");
        return 2;
    }
    if (shm_name) {
        /* As the facts sheet has it: default security, the initial state
         * written without the mutex. */
        char mutex_name[256];
        snprintf(mutex_name, sizeof mutex_name, "%sMutex", shm_name);
        HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                        sizeof(SharedChatData), shm_name);
        g_shared = map ? MapViewOfFile(map, FILE_MAP_ALL_ACCESS, 0, 0, sizeof(SharedChatData))
                       : NULL;
        g_mutex = CreateMutexA(NULL, FALSE, mutex_name);
        if (!g_shared || !g_mutex) {
            fprintf(stderr, "orig_server: cannot create the shared state '%s' (error %lu)\n",
                    shm_name, GetLastError());
            return 1;
        }
        g_shared->connectedClients = 0;
        strcpy(g_shared->lastMessage, "No messages yet");
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "orig_server: WSAStartup failed\n");
        return 1;
    }
    InitializeCriticalSection(&g_lock);

    ls = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = addr;
    if (ls == INVALID_SOCKET || bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(ls, SOMAXCONN) != 0) {
        int err = WSAGetLastError();
        fprintf(stderr, "orig_server: cannot listen on port %u (Winsock error %d)\n",
                port, err);
        return 1;
    }
    printf("orig_server listening on port %u\n", port);
    fflush(stdout);

    for (;;) {
        SOCKET s = accept(ls, NULL, NULL);
        HANDLE th;
        if (s == INVALID_SOCKET)
            continue;
        /* On the broadcast list at once, before it has said anything. */
        if (!list_add(s)) {
            closesocket(s);
            continue;
        }
        th = CreateThread(NULL, 0, client_thread, (LPVOID)(UINT_PTR)s, 0, NULL);
        if (th)
            CloseHandle(th);
        else {
            list_remove(s);
            closesocket(s);
        }
    }
}
