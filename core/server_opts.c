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
    "  --bind ADDR       IPv4 address to listen on (default 127.0.0.1;\n"
    "                    0.0.0.0 serves the whole LAN)\n"
    "  --max-clients N   most clients at once, 1-10000 (default 256)\n"
    "  --hello-timeout S close a connection that has not said hello within\n"
    "                    S seconds, 0-3600 (default 30; 0 waits for ever)\n"
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

ServerOptsResult server_opts_parse(int argc, char **argv, ServerOptions *o, char *err,
                                   size_t errsize)
{
    ArgIter it;

    o->port = PROTO_DEFAULT_PORT;
    snprintf(o->bind, sizeof o->bind, "%s", SERVER_DEFAULT_BIND);
    o->max_clients = SERVER_DEFAULT_MAX_CLIENTS;
    o->hello_timeout_s = SERVER_DEFAULT_HELLO_TIMEOUT_S;
    snprintf(o->shm_name, sizeof o->shm_name, "%s", SHM_DEFAULT_NAME);
    o->stop = 0;
    err[0] = '\0';

    static const char *const flags[] = {"--stop", NULL};
    static const char *const valued[] = {"--port",     "--bind",          "--max-clients",
                                          "--shm-name", "--hello-timeout", NULL};

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
            if (!args_uint(val, 1, 65535, &n)) {
                snprintf(err, errsize, "--port: '%.100s' is not a port number (1-65535)", val);
                return SERVER_OPTS_ERROR;
            }
            o->port = (unsigned short)n;
        } else if (strcmp(opt, "--bind") == 0) {
            if (!parse_ipv4(val)) {
                snprintf(err, errsize, "--bind: '%.100s' is not an IPv4 address like 127.0.0.1",
                         val);
                return SERVER_OPTS_ERROR;
            }
            snprintf(o->bind, sizeof o->bind, "%s", val);
        } else if (strcmp(opt, "--max-clients") == 0) {
            if (!args_uint(val, 1, SERVER_MAX_CLIENTS_LIMIT, &n)) {
                snprintf(err, errsize, "--max-clients: '%.100s' is not a number from 1 to %d",
                         val, SERVER_MAX_CLIENTS_LIMIT);
                return SERVER_OPTS_ERROR;
            }
            o->max_clients = (int)n;
        } else if (strcmp(opt, "--hello-timeout") == 0) {
            if (!args_uint(val, 0, SERVER_HELLO_TIMEOUT_MAX_S, &n)) {
                snprintf(err, errsize,
                         "--hello-timeout: '%.100s' is not a number of seconds from 0 to %d",
                         val, SERVER_HELLO_TIMEOUT_MAX_S);
                return SERVER_OPTS_ERROR;
            }
            o->hello_timeout_s = (unsigned)n;
        } else if (!args_shm_name(val, o->shm_name, sizeof o->shm_name, err, errsize)) {
            return SERVER_OPTS_ERROR;
        }
    }
    return SERVER_OPTS_RUN;
}
