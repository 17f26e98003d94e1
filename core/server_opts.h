/* server_opts.h: chat_server.exe's command line.
 *
 * Contract: platform-free, no allocation, no output: the caller prints the
 * error text or the usage. */
#ifndef CHAT_CORE_SERVER_OPTS_H
#define CHAT_CORE_SERVER_OPTS_H

#include <stddef.h>

#include "core/shm_layout.h"

#define SERVER_DEFAULT_BIND "127.0.0.1"
#define SERVER_DEFAULT_MAX_CLIENTS 256
#define SERVER_MAX_CLIENTS_LIMIT 10000
/* A connection that has not sent its hello by then is closed: it holds a
 * place and receives nothing (only joined clients hear the chat). */
#define SERVER_DEFAULT_HELLO_TIMEOUT_S 30
#define SERVER_HELLO_TIMEOUT_MAX_S 3600

typedef struct ServerOptions {
    unsigned short port;
    char bind[16];                /* dotted IPv4 address */
    int max_clients;
    unsigned hello_timeout_s;     /* 0: wait for the hello for ever */
    char shm_name[SHM_NAME_MAX];  /* mutex: this + "Mutex" */
    int stop;                     /* --stop: ask the running server to stop */
} ServerOptions;

typedef enum ServerOptsResult {
    SERVER_OPTS_RUN,     /* *o holds what to run */
    SERVER_OPTS_HELP,    /* print server_opts_usage, exit 0 */
    SERVER_OPTS_VERSION, /* print the version, exit 0 */
    SERVER_OPTS_ERROR,   /* err holds one line saying which option and why */
} ServerOptsResult;

/* Parses argv[1..argc): --port N, --bind ADDR, --max-clients N, --hello-timeout S,
 * --shm-name NAME (each also as --opt=value), --stop, --help, --version. Options
 * not given keep their defaults. */
ServerOptsResult server_opts_parse(int argc, char **argv, ServerOptions *o, char *err,
                                   size_t errsize);

extern const char server_opts_usage[];

#endif
