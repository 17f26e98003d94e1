/* client_opts.c: chat_client.exe's command line (see client_opts.h). */
#include "core/client_opts.h"

#include <stdio.h>
#include <string.h>

#include "core/args.h"

const char client_opts_usage[] =
    "Usage: chat_client [options]\n"
    "  --server HOST[:PORT]  chat server (default 127.0.0.1:12345); an IPv6\n"
    "                        address as [ADDR]:PORT, e.g. [::1]:12345\n"
    "  --user NAME           user name (default: the saved one, else your\n"
    "                        Windows user name)\n"
    "  --interval MS         how often to read the shared state, 10-5000 ms\n"
    "                        (default 100)\n"
    "  --shm-name NAME       shared memory name (default ChatSharedMemory)\n"
    "  --stats               print the window's statistics when it closes\n"
    "  --help                this text\n"
    "  --version             the version\n";

bool client_parse_server(const char *s, char *host, size_t hostsize, unsigned short *port,
                         char *err, size_t errsize)
{
    const char *h = s, *colon;
    size_t hlen;

    if (*s == '[') { /* [IPv6]:port */
        const char *close = strchr(s, ']');
        if (!close) {
            snprintf(err, errsize, "--server: '%.100s' has '[' without ']'", s);
            return false;
        }
        h = s + 1;
        hlen = (size_t)(close - h);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] != '\0' && !colon) {
            snprintf(err, errsize, "--server: unexpected text after ']' in '%.100s'", s);
            return false;
        }
    } else {
        colon = strrchr(s, ':');
        if (colon && strchr(s, ':') != colon) {
            snprintf(err, errsize, "--server: write an IPv6 address as [ADDR]:PORT");
            return false;
        }
        hlen = colon ? (size_t)(colon - s) : strlen(s);
    }
    if (hlen == 0 || hlen >= hostsize) {
        snprintf(err, errsize, "--server: the host name must be 1 to %d characters",
                 (int)hostsize - 1);
        return false;
    }
    for (size_t i = 0; i < hlen; i++) {
        if ((unsigned char)h[i] <= ' ') {
            snprintf(err, errsize, "--server: the host name has a space or control character");
            return false;
        }
        /* No host name or address has one, and "[[]" gave the host "[",
         * which client_format_server writes as "[:12345", a text this
         * function refuses when the settings read it back (fuzz_args). */
        if (h[i] == '[' || h[i] == ']') {
            snprintf(err, errsize, "--server: the host name has a '[' or ']' inside");
            return false;
        }
    }
    if (colon) {
        unsigned long n;
        if (!args_uint(colon + 1, 1, 65535, &n)) {
            snprintf(err, errsize, "--server: '%.50s' is not a port number (1-65535)",
                     colon + 1);
            return false;
        }
        *port = (unsigned short)n;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return true;
}

ClientOptsResult client_opts_parse(int argc, char **argv, ClientOptions *o, char *err,
                                   size_t errsize)
{
    ArgIter it;

    memset(o, 0, sizeof *o);
    snprintf(o->host, sizeof o->host, "%s", CLIENT_DEFAULT_HOST);
    o->port = PROTO_DEFAULT_PORT;
    o->interval_ms = CLIENT_DEFAULT_INTERVAL_MS;
    snprintf(o->shm_name, sizeof o->shm_name, "%s", SHM_DEFAULT_NAME);
    err[0] = '\0';

    static const char *const flags[] = {"--stats", NULL};
    static const char *const valued[] = {"--server", "--user", "--interval", "--shm-name", NULL};

    args_init(&it, argc, argv);
    while (args_next(&it)) {
        const char *opt = it.opt, *val = NULL;
        unsigned long n;

        switch (args_classify(&it, flags, valued, &val, err, errsize)) {
        case ARG_HELP:
            return CLIENT_OPTS_HELP;
        case ARG_VERSION:
            return CLIENT_OPTS_VERSION;
        case ARG_ERROR:
            return CLIENT_OPTS_ERROR;
        case ARG_FLAG:
            o->stats = true;
            continue;
        case ARG_VALUE:
            break;
        }

        if (strcmp(opt, "--server") == 0) {
            if (!client_parse_server(val, o->host, sizeof o->host, &o->port, err, errsize))
                return CLIENT_OPTS_ERROR;
            o->server_given = true;
        } else if (strcmp(opt, "--user") == 0) {
            if (proto_name_from(val, strlen(val), o->user) == 0) {
                snprintf(err, errsize, "--user: the name is empty (control characters and "
                                       "surrounding spaces do not count)");
                return CLIENT_OPTS_ERROR;
            }
            o->user_given = true;
        } else if (strcmp(opt, "--interval") == 0) {
            if (!args_uint(val, CLIENT_INTERVAL_MIN_MS, CLIENT_INTERVAL_MAX_MS, &n)) {
                snprintf(err, errsize, "--interval: '%.50s' is not a number of milliseconds "
                         "from %d to %d", val, CLIENT_INTERVAL_MIN_MS, CLIENT_INTERVAL_MAX_MS);
                return CLIENT_OPTS_ERROR;
            }
            o->interval_ms = (unsigned)n;
        } else if (!args_shm_name(val, o->shm_name, sizeof o->shm_name, err, errsize)) {
            return CLIENT_OPTS_ERROR;
        }
    }
    return CLIENT_OPTS_RUN;
}

bool client_host_is_loopback(const char *host)
{
    static const char localhost[] = "localhost";
    size_t i;
    for (i = 0; host[i] && i < sizeof localhost - 1; i++)
        if ((host[i] | 0x20) != localhost[i])
            break;
    if (i == sizeof localhost - 1 && host[i] == '\0')
        return true;
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0;
}

void client_format_server(char *out, size_t size, const char *host, unsigned port)
{
    bool v6 = strchr(host, ':') != NULL;
    snprintf(out, size, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
}
