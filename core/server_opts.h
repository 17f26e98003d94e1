/* server_opts.h: chat_server.exe's command line.
 *
 * Contract: platform-free, no allocation, no output: the caller prints the
 * error text or the usage. */
#ifndef CHAT_CORE_SERVER_OPTS_H
#define CHAT_CORE_SERVER_OPTS_H

#include <stddef.h>

#include "core/shm_layout.h"

/* --bind not given: 127.0.0.1 and ::1 (bind is ""). */
#define SERVER_DEFAULT_BIND ""
#define SERVER_BIND_MAX 46 /* the longest IPv6 text, NUL included */
#define SERVER_DEFAULT_MAX_CLIENTS 256
#define SERVER_MAX_CLIENTS_LIMIT 10000
/* A connection that has not sent its hello by then is closed: it holds a
 * place and receives nothing (only joined clients hear the chat). */
#define SERVER_DEFAULT_HELLO_TIMEOUT_S 30
#define SERVER_HELLO_TIMEOUT_MAX_S 3600
/* Each client may send a burst of lines at once, then so many a second:
 * a person pasting a screenful goes at once, a flood is slowed (its lines
 * wait, unread, and none is lost). */
#define SERVER_DEFAULT_RATE 10
#define SERVER_DEFAULT_BURST 50
#define SERVER_RATE_LIMIT 1000000
/* A client that has taken none of the bytes waiting for it for this long
 * is dropped ("not reading"), even when flow control keeps its queue from
 * growing. */
#define SERVER_DEFAULT_STALL_TIMEOUT_S 60
#define SERVER_STALL_TIMEOUT_MAX_S 3600
/* Connections that have not said hello yet: at most this many from one
 * address at once, and SERVER_PENDING_MAX in all, apart from
 * --max-clients. */
#define SERVER_DEFAULT_PER_ADDRESS 8
#define SERVER_PER_ADDRESS_LIMIT 1000
#define SERVER_PENDING_MAX 1000

typedef struct ServerOptions {
    unsigned short port;
    char bind[SERVER_BIND_MAX];   /* an IPv4 or IPv6 address; "": both loopbacks */
    int max_clients;              /* joined clients */
    unsigned hello_timeout_s;     /* 0: wait for the hello for ever */
    unsigned rate, burst;         /* lines per second and at once; 0: unlimited */
    unsigned stall_timeout_s;     /* 0: never drop a client for not reading */
    int per_address;              /* connections before the hello, per address */
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
 * --rate N, --burst N, --stall-timeout S, --per-address N, --shm-name NAME
 * (each also as --opt=value), --stop, --help, --version. Options not given
 * keep their defaults. */
ServerOptsResult server_opts_parse(int argc, char **argv, ServerOptions *o, char *err,
                                   size_t errsize);

extern const char server_opts_usage[];

#endif
