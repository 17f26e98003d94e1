/* server_opts.c: chat_server.exe's command line (see server_opts.h). */
#include "core/server_opts.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/args.h"
#include "core/proto.h"

const char server_opts_usage[] =
    "Usage: chat_server [options]\n"
    "  --port N          TCP port to listen on (default 12345)\n"
    "  --bind ADDR       address to listen on, IPv4 or IPv6 (default 127.0.0.1\n"
    "                    and ::1; 0.0.0.0 serves the LAN over IPv4, :: over\n"
    "                    IPv6 and IPv4 where the system allows both)\n"
    "  --max-clients N   most clients in the chat at once, 1-10000 (default 256)\n"
    "  --hello-timeout S close a connection that has not said hello within\n"
    "                    S seconds, 0-3600 (default 30; 0 waits for ever)\n"
    "  --per-address N   connections that have not said hello yet, at most N\n"
    "                    from one address, 1-1000 (default 8; 1000 in all)\n"
    "  --rate N          each client's sustained lines a second, 0-1000000\n"
    "                    (default 10; 0: unlimited); past it, its lines wait\n"
    "  --burst N         lines a client may send at once, 0-1000000 (default\n"
    "                    50; 0: unlimited)\n"
    "  --stall-timeout S drop a client that has taken none of the lines\n"
    "                    waiting for it for S seconds once the socket\n"
    "                    buffers are full, 0-3600 (default 60; 0: never)\n"
    "  --shm-name NAME   shared memory name (default ChatSharedMemory;\n"
    "                    the mutex is NAME followed by Mutex)\n"
    "  --stop            stop the server running with --shm-name NAME (as\n"
    "                    Ctrl+C would) and exit\n"
    "  --help            this text\n"
    "  --version         the version\n";

static bool parse_ipv4(const char *s)
{
    int parts = 0;
    while (parts < 4) {
        int digits = 0;
        long v = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || v > 255)
            return false;
        parts++;
        if (parts < 4 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

/* An IPv6 address as RFC 4291 writes it: groups of 1-4 hex digits
 * separated by ':', at most one "::" standing for one or more zero groups,
 * a dotted IPv4 address in place of the last two groups. No zone, no
 * brackets. */
static bool parse_ipv6(const char *s)
{
    int groups = 0;
    bool gap = false;

    if (s[0] == ':') {
        if (s[1] != ':')
            return false;
        gap = true;
        s += 2;
    }
    while (*s) {
        if (strchr(s, ':') == NULL && strchr(s, '.') != NULL) {
            if (!parse_ipv4(s))
                return false;
            groups += 2;
            break;
        }
        int digits = 0;
        while (digits < 5 && ((s[digits] >= '0' && s[digits] <= '9') ||
                              ((s[digits] | 0x20) >= 'a' && (s[digits] | 0x20) <= 'f')))
            digits++;
        if (digits == 0 || digits > 4)
            return false;
        groups++;
        s += digits;
        if (*s == '\0')
            break;
        if (*s++ != ':')
            return false;
        if (*s == ':') {
            if (gap)
                return false;
            gap = true;
            s++;
        } else if (*s == '\0') {
            return false; /* one ':' at the end */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* A number option: its value within [lo, hi] into *n, or the error. */
static bool number(const char *opt, const char *val, unsigned long lo, unsigned long hi,
                   const char *what, unsigned long *n, char *err, size_t errsize)
{
    if (args_uint(val, lo, hi, n))
        return true;
    snprintf(err, errsize, "%s: '%.100s' is not %s from %lu to %lu", opt, val, what, lo, hi);
    return false;
}

ServerOptsResult server_opts_parse(int argc, char **argv, ServerOptions *o, char *err,
                                   size_t errsize)
{
    ArgIter it;

    o->port = PROTO_DEFAULT_PORT;
    snprintf(o->bind, sizeof o->bind, "%s", SERVER_DEFAULT_BIND);
    o->max_clients = SERVER_DEFAULT_MAX_CLIENTS;
    o->hello_timeout_s = SERVER_DEFAULT_HELLO_TIMEOUT_S;
    o->rate = SERVER_DEFAULT_RATE;
    o->burst = SERVER_DEFAULT_BURST;
    o->stall_timeout_s = SERVER_DEFAULT_STALL_TIMEOUT_S;
    o->per_address = SERVER_DEFAULT_PER_ADDRESS;
    snprintf(o->shm_name, sizeof o->shm_name, "%s", SHM_DEFAULT_NAME);
    o->stop = 0;
    err[0] = '\0';

    static const char *const flags[] = {"--stop", NULL};
    static const char *const valued[] = {
        "--port",  "--bind",  "--max-clients",   "--shm-name",    "--hello-timeout",
        "--rate",  "--burst", "--stall-timeout", "--per-address", NULL};

    args_init(&it, argc, argv);
    while (args_next(&it)) {
        const char *opt = it.opt, *val = NULL;
        unsigned long n;

        switch (args_classify(&it, flags, valued, &val, err, errsize)) {
        case ARG_HELP:
            return SERVER_OPTS_HELP;
        case ARG_VERSION:
            return SERVER_OPTS_VERSION;
        case ARG_ERROR:
            return SERVER_OPTS_ERROR;
        case ARG_FLAG:
            o->stop = 1;
            continue;
        case ARG_VALUE:
            break;
        }

        if (strcmp(opt, "--port") == 0) {
            if (!number(opt, val, 1, 65535, "a port number", &n, err, errsize))
                return SERVER_OPTS_ERROR;
            o->port = (unsigned short)n;
        } else if (strcmp(opt, "--bind") == 0) {
            /* [v6], as the client writes it, is taken too. */
            char bare[SERVER_BIND_MAX + 2];
            size_t vlen = strlen(val);
            if (vlen >= 2 && vlen < sizeof bare && val[0] == '[' && val[vlen - 1] == ']') {
                memcpy(bare, val + 1, vlen - 2);
                bare[vlen - 2] = '\0';
                val = bare;
            }
            if (strlen(val) >= SERVER_BIND_MAX || (!parse_ipv4(val) && !parse_ipv6(val))) {
                snprintf(err, errsize,
                         "--bind: '%.100s' is not an IPv4 or IPv6 address like 127.0.0.1 or ::1",
                         val);
                return SERVER_OPTS_ERROR;
            }
            snprintf(o->bind, sizeof o->bind, "%s", val);
        } else if (strcmp(opt, "--max-clients") == 0) {
            if (!number(opt, val, 1, SERVER_MAX_CLIENTS_LIMIT, "a number", &n, err, errsize))
                return SERVER_OPTS_ERROR;
            o->max_clients = (int)n;
        } else if (strcmp(opt, "--hello-timeout") == 0) {
            if (!number(opt, val, 0, SERVER_HELLO_TIMEOUT_MAX_S, "a number of seconds", &n, err,
                        errsize))
                return SERVER_OPTS_ERROR;
            o->hello_timeout_s = (unsigned)n;
        } else if (strcmp(opt, "--rate") == 0) {
            if (!number(opt, val, 0, SERVER_RATE_LIMIT, "a number of lines a second", &n, err,
                        errsize))
                return SERVER_OPTS_ERROR;
            o->rate = (unsigned)n;
        } else if (strcmp(opt, "--burst") == 0) {
            if (!number(opt, val, 0, SERVER_RATE_LIMIT, "a number of lines", &n, err, errsize))
                return SERVER_OPTS_ERROR;
            o->burst = (unsigned)n;
        } else if (strcmp(opt, "--stall-timeout") == 0) {
            if (!number(opt, val, 0, SERVER_STALL_TIMEOUT_MAX_S, "a number of seconds", &n, err,
                        errsize))
                return SERVER_OPTS_ERROR;
            o->stall_timeout_s = (unsigned)n;
        } else if (strcmp(opt, "--per-address") == 0) {
            if (!number(opt, val, 1, SERVER_PER_ADDRESS_LIMIT, "a number of connections", &n,
                        err, errsize))
                return SERVER_OPTS_ERROR;
            o->per_address = (int)n;
        } else if (!args_shm_name(val, o->shm_name, sizeof o->shm_name, err, errsize)) {
            return SERVER_OPTS_ERROR;
        }
    }
    return SERVER_OPTS_RUN;
}
