/* main.c: chat_server.exe: options, the console control handler, and the
 * server engine's life cycle. */
#include <stdio.h>
#include <windows.h>

#include "chat_version.h"
#include "core/server_opts.h"
#include "server/log.h"
#include "server/server.h"
#include "shm/presence.h"

/* For the console control handler, which runs on a thread of its own: the
 * server while it may be stopped, NULL once it is being freed. */
static CRITICAL_SECTION server_lock;
static Server *server;
static HANDLE finished; /* set once the server has shut down */

/* Ctrl+C, Ctrl+Break, closing the console, logoff, shutdown: stop cleanly.
 * For the last three Windows ends the process when the handler returns, so
 * it waits (briefly) for the shutdown to complete first. */
static BOOL WINAPI on_console_event(DWORD type)
{
    EnterCriticalSection(&server_lock);
    if (server != NULL)
        server_request_stop(server);
    LeaveCriticalSection(&server_lock);
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        WaitForSingleObject(finished, 3000);
    return TRUE;
}

/* chat_server --stop: asks the server that owns shm_name to stop. */
static int request_stop(const char *shm_name)
{
    char why[300];
    ShmResult r = presence_request_stop(shm_name);
    if (r.status == SHM_E_NO_SERVER) {
        fprintf(stderr, "chat_server: no chat server is running with shared memory '%s'\n",
                shm_name);
        return 1;
    }
    if (SHM_FAILED(r)) {
        fprintf(stderr, "chat_server: cannot ask the server on '%s' to stop: %s\n", shm_name,
                shm_strerror(r, why, sizeof why));
        return 1;
    }
    printf("chat_server: asked the server on '%s' to stop\n", shm_name);
    return 0;
}

int main(int argc, char **argv)
{
    ServerOptions opt;
    char err[300];

    switch (server_opts_parse(argc, argv, &opt, err, sizeof err)) {
    case SERVER_OPTS_HELP:
        fputs(server_opts_usage, stdout);
        return 0;
    case SERVER_OPTS_VERSION:
        printf("chat_server %s\n", CHAT_VERSION);
        return 0;
    case SERVER_OPTS_ERROR:
        fprintf(stderr, "chat_server: %s\n", err);
        return SERVER_EXIT_USAGE;
    case SERVER_OPTS_RUN:
        break;
    }

    if (opt.stop)
        return request_stop(opt.shm_name);

    log_init();
    InitializeCriticalSection(&server_lock);
    finished = CreateEventA(NULL, TRUE, FALSE, NULL);
    int rc;
    Server *srv = server_open(&opt, &rc);
    if (srv == NULL)
        return rc;
    server = srv;
    SetConsoleCtrlHandler(on_console_event, TRUE);
    rc = server_run(srv);
    EnterCriticalSection(&server_lock);
    server = NULL;
    LeaveCriticalSection(&server_lock);
    server_close(srv);
    SetEvent(finished);
    return rc;
}
