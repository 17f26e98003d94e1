/* client_opts.h: chat_client.exe's command line.
 *
 * Contract: platform-free, no allocation, no output; arguments are UTF-8
 * (the window converts its UTF-16 command line first). Options override the
 * saved settings: each *_given flag says which were on the command line. */
#ifndef CHAT_CORE_CLIENT_OPTS_H
#define CHAT_CORE_CLIENT_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/proto.h"
#include "core/shm_layout.h"

#define CLIENT_DEFAULT_HOST "127.0.0.1"
#define CLIENT_DEFAULT_INTERVAL_MS 100
#define CLIENT_INTERVAL_MIN_MS 10
#define CLIENT_INTERVAL_MAX_MS 5000
#define CLIENT_HOST_MAX 254 /* a DNS name: 253 characters */

typedef struct ClientOptions {
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    bool server_given;
    char user[PROTO_NAME_BUF];
    bool user_given;
    unsigned interval_ms;
    char shm_name[SHM_NAME_MAX];
    bool stats; /* --stats: print the window's statistics on exit */
} ClientOptions;

typedef enum ClientOptsResult {
    CLIENT_OPTS_RUN,
    CLIENT_OPTS_HELP,
    CLIENT_OPTS_VERSION,
    CLIENT_OPTS_ERROR, /* err says which option and why */
} ClientOptsResult;

ClientOptsResult client_opts_parse(int argc, char **argv, ClientOptions *o, char *err,
                                   size_t errsize);

/* "HOST", "HOST:PORT" or "[IPv6]:PORT" into host and port (the port stays
 * as it was when none is given). False, with err filled, when malformed. */
bool client_parse_server(const char *s, char *host, size_t hostsize, unsigned short *port,
                         char *err, size_t errsize);

/* The other way: "HOST:PORT", or "[IPv6]:PORT" when the host has a ':'. */
void client_format_server(char *out, size_t size, const char *host, unsigned port);

/* True for a name or address of this machine itself: "localhost" (any
 * case), 127.x.y.z, "::1". */
bool client_host_is_loopback(const char *host);

extern const char client_opts_usage[];

#endif
