/* fuzz_args.c: the command-line parsers of both programs: server_opts_parse,
 * client_opts_parse (and client_parse_server), and the toolkit under them,
 * args_uint and args_shm_name.
 *
 * Outside bytes: the command line a user, a shortcut or a script gives
 * chat_server.exe or chat_client.exe (UTF-8 after the client converts it).
 * Input: the arguments separated by NUL bytes (argv[0] is "prog"; at most
 * 64 arguments).
 *
 * Invariants: each parser returns one of its enum values; on an error, err
 * is a non-empty NUL-terminated text inside errsize, for every errsize; on
 * success the options lie in their documented ranges: port 1-65535, bind
 * empty, a dotted IPv4 address or what an IPv6 address is written with,
 * rates and bursts 0-1000000, stall timeout 0-3600, per address 1-1000, max clients 1-10000, hello timeout 0-3600, --stop 0
 * or 1, host 1-253 bytes with no space or control character (and the
 * "HOST:PORT" or "[IPv6]:PORT" client_format_server makes of it parses back
 * to the same host and port), interval 10-5000 ms, a user name that is
 * clean (as proto_clean_name leaves it) and given exactly when set, a shm
 * name whose longest object name ("Local\\" unless the name has a "\\",
 * the name, "Instance" and its id) fits in 260 bytes; args_uint agrees with a reference
 * decimal parser for every argument and several ranges; args_shm_name
 * accepts exactly those names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/args.h"
#include "core/client_opts.h"
#include "core/proto.h"
#include "core/server_opts.h"
#include "fuzz/fuzz_common.h"

#define MAX_ARGS 64

/* A strict decimal in [lo, hi], overflow-safe by a length bound. */
FUZZ_MODEL static int ref_uint(const char *s, unsigned long lo, unsigned long hi,
                               unsigned long *out)
{
    unsigned long long v = 0;
    size_t i, n = strlen(s);

    if (n == 0)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned long long)(s[i] - '0');
        if (v > hi)
            return 0; /* hi < 2^32 below, so v never wraps */
    }
    if (v < lo)
        return 0;
    *out = (unsigned long)v;
    return 1;
}

FUZZ_MODEL static int ref_ipv4(const char *s)
{
    int parts = 0;
    for (;;) {
        size_t digits = 0;
        unsigned v = 0;
        while (s[digits] >= '0' && s[digits] <= '9' && digits < 4)
            v = v * 10 + (unsigned)(s[digits++] - '0');
        if (digits == 0 || digits > 3 || v > 255)
            return 0;
        s += digits;
        if (++parts == 4)
            return *s == '\0';
        if (*s++ != '.')
            return 0;
    }
}

/* What an IPv6 address is written with: a ':' at least, hex digits, and
 * dots only for an IPv4 tail; never two "::". */
FUZZ_MODEL static int ref_ipv6_chars(const char *s)
{
    if (strchr(s, ':') == NULL || strstr(s, ":::") != NULL)
        return 0;
    const char *gap = strstr(s, "::");
    if (gap && strstr(gap + 2, "::"))
        return 0;
    for (; *s; s++)
        if (!strchr("0123456789abcdefABCDEF:.", *s))
            return 0;
    return 1;
}

static void check_err(const char *err, size_t errsize)
{
    FUZZ_CHECK(nul_within(err, errsize));
    FUZZ_CHECK(errsize == 1 || err[0] != '\0');
}

/* A --shm-name the programs can use: no backslash, or exactly one ending
 * a "Local" or "Global" prefix with a name after it; and its longest object
 * name (the session namespace unless it has one of its own, the name,
 * the instance event's "Instance" and 8 hex digits, a NUL) fits in
 * SHM_NAME_MAX. */
FUZZ_MODEL static int ref_shm_name_ok(const char *name)
{
    size_t n = strlen(name), backslashes = 0;
    for (size_t i = 0; i < n; i++)
        backslashes += name[i] == '\\';
    if (backslashes > 1)
        return 0;
    if (backslashes == 1 && !((strncmp(name, "Local\\", 6) == 0 && n > 6) ||
                              (strncmp(name, "Global\\", 7) == 0 && n > 7)))
        return 0;
    size_t ns = backslashes ? 0 : sizeof SHM_NAMESPACE - 1;
    return n >= 1 && ns + n + sizeof "Instance" - 1 + 8 + 1 <= SHM_NAME_MAX;
}

static void check_shm_name(const char *name)
{
    FUZZ_CHECK(nul_within(name, SHM_NAME_MAX));
    FUZZ_CHECK(ref_shm_name_ok(name));
}

static void check_server(int argc, char **argv, size_t errsize)
{
    ServerOptions o;
    char *err = malloc(errsize);
    ServerOptsResult r;

    FUZZ_CHECK(err != NULL);
    r = server_opts_parse(argc, argv, &o, err, errsize);
    FUZZ_CHECK(r == SERVER_OPTS_RUN || r == SERVER_OPTS_HELP ||
               r == SERVER_OPTS_VERSION || r == SERVER_OPTS_ERROR);
    if (r == SERVER_OPTS_ERROR) {
        check_err(err, errsize);
    } else if (r == SERVER_OPTS_RUN) {
        FUZZ_CHECK(o.port >= 1);
        FUZZ_CHECK(nul_within(o.bind, sizeof o.bind));
        FUZZ_CHECK(o.bind[0] == '\0' || ref_ipv4(o.bind) || ref_ipv6_chars(o.bind));
        FUZZ_CHECK(o.rate <= SERVER_RATE_LIMIT && o.burst <= SERVER_RATE_LIMIT);
        FUZZ_CHECK(o.stall_timeout_s <= SERVER_STALL_TIMEOUT_MAX_S);
        FUZZ_CHECK(o.per_address >= 1 && o.per_address <= SERVER_PER_ADDRESS_LIMIT);
        FUZZ_CHECK(o.max_clients >= 1 && o.max_clients <= SERVER_MAX_CLIENTS_LIMIT);
        FUZZ_CHECK(o.stop == 0 || o.stop == 1);
        FUZZ_CHECK(o.hello_timeout_s <= SERVER_HELLO_TIMEOUT_MAX_S);
        check_shm_name(o.shm_name);
    }
    free(err);
}

static void check_client(int argc, char **argv, size_t errsize)
{
    ClientOptions o;
    char *err = malloc(errsize);
    ClientOptsResult r;

    FUZZ_CHECK(err != NULL);
    r = client_opts_parse(argc, argv, &o, err, errsize);
    FUZZ_CHECK(r == CLIENT_OPTS_RUN || r == CLIENT_OPTS_HELP ||
               r == CLIENT_OPTS_VERSION || r == CLIENT_OPTS_ERROR);
    if (r == CLIENT_OPTS_ERROR) {
        check_err(err, errsize);
    } else if (r == CLIENT_OPTS_RUN) {
        size_t n;
        char again[PROTO_NAME_BUF];

        FUZZ_CHECK(nul_within(o.host, sizeof o.host));
        n = strlen(o.host);
        FUZZ_CHECK(n >= 1 && n <= CLIENT_HOST_MAX - 1);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK((unsigned char)o.host[i] > ' ');
        FUZZ_CHECK(o.port >= 1);
        {
            /* What the window shows and saves reads back the same. */
            char shown[CLIENT_HOST_MAX + 16], host[CLIENT_HOST_MAX], e[300];
            unsigned short port = 0;
            client_format_server(shown, sizeof shown, o.host, o.port);
            FUZZ_CHECK(
                client_parse_server(shown, host, sizeof host, &port, e, sizeof e));
            FUZZ_CHECK(strcmp(host, o.host) == 0 && port == o.port);
        }
        FUZZ_CHECK(o.interval_ms >= CLIENT_INTERVAL_MIN_MS &&
                   o.interval_ms <= CLIENT_INTERVAL_MAX_MS);
        FUZZ_CHECK(nul_within(o.user, sizeof o.user));
        n = strlen(o.user);
        FUZZ_CHECK(o.user_given == (n > 0));
        memcpy(again, o.user, n);
        FUZZ_CHECK(proto_clean_name(again, n) == n && memcmp(again, o.user, n) == 0);
        FUZZ_CHECK(ref_char_count((const unsigned char *)o.user, n) <=
                   PROTO_NAME_MAX_CHARS);
        check_shm_name(o.shm_name);
    }
    free(err);
}

static void check_arg(const char *a)
{
    static const unsigned long ranges[][2] = {{0, 0},
                                              {1, 65535},
                                              {1, SERVER_MAX_CLIENTS_LIMIT},
                                              {10, 5000},
                                              {0, 4294967295ul}};
    char out[SHM_NAME_MAX], err[300], host[CLIENT_HOST_MAX];
    unsigned short port = 7;
    bool ok;

    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        unsigned long got = 12345, want = 54321;
        int w = ref_uint(a, ranges[r][0], ranges[r][1], &want);
        FUZZ_CHECK(args_uint(a, ranges[r][0], ranges[r][1], &got) == (w != 0));
        if (w)
            FUZZ_CHECK(got == want);
        else
            FUZZ_CHECK(got == 12345); /* untouched on failure */
    }

    ok = args_shm_name(a, out, sizeof out, err, sizeof err);
    FUZZ_CHECK(ok == (ref_shm_name_ok(a) != 0));
    if (ok)
        FUZZ_CHECK(strcmp(out, a) == 0);
    else
        check_err(err, sizeof err);

    if (client_parse_server(a, host, sizeof host, &port, err, sizeof err)) {
        size_t n = strlen(host);
        FUZZ_CHECK(n >= 1 && n < sizeof host && port >= 1);
        FUZZ_CHECK(strstr(a, host) != NULL);
    } else {
        check_err(err, sizeof err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
    int argc = 0;
    size_t at = 0;
    static const size_t errsizes[] = {1, 2, 17, 300};

    FUZZ_CHECK(buf != NULL);
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = "prog";
    while (at <= size && argc <= MAX_ARGS) {
        argv[argc++] = buf + at;
        at += strlen(buf + at) + 1;
    }
    argv[argc] = NULL;

    for (size_t e = 0; e < sizeof errsizes / sizeof errsizes[0]; e++) {
        check_server(argc, argv, errsizes[e]);
        check_client(argc, argv, errsizes[e]);
    }
    for (int i = 1; i < argc; i++)
        check_arg(argv[i]);
    free(buf);
    return 0;
}
