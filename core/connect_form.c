/* connect_form.c: the Connect dialog's check (see connect_form.h). */
#include "core/connect_form.h"

#include <stdio.h>
#include <string.h>

#include "core/args.h"
#include "core/utf8.h"

/* s[0..*len) without surrounding spaces and tabs. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
        (*len)--;
    return s;
}

/* The characters a person sees in a name (invisible ones do not count). */
static size_t visible_chars(const char *s, size_t len)
{
    size_t count = 0;
    while (len) {
        unsigned long cp;
        int n = utf8_decode(s, len, &cp);
        if (n <= 0)
            n = 1, cp = (unsigned char)*s;
        if (!unicode_is_invisible(cp))
            count++;
        s += n;
        len -= (size_t)n;
    }
    return count;
}

static bool port_number(const char *s, size_t len, unsigned short *port)
{
    char tmp[16];
    unsigned long n;
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (!args_uint(tmp, 1, 65535, &n))
        return false;
    *port = (unsigned short)n;
    return true;
}

/* The server box into host and, when it names one, port. */
static bool split_server(const char *s, size_t len, char *host, size_t hostsize,
                         unsigned short *port, bool *has_port, char *err, size_t errsize)
{
    const char *h = s, *colon = memchr(s, ':', len);
    size_t hlen = len;

    *has_port = false;
    if (len && s[0] == '[') { /* [v6] or [v6]:port */
        const char *close = memchr(s, ']', len);
        if (!close) {
            snprintf(err, errsize, "The server's address has '[' without ']'.");
            return false;
        }
        h = s + 1;
        hlen = (size_t)(close - h);
        size_t rest = len - (size_t)(close + 1 - s);
        if (rest) {
            if (close[1] != ':' || !port_number(close + 2, rest - 1, port)) {
                snprintf(err, errsize, "After ']' write ':' and a port from 1 to 65535.");
                return false;
            }
            *has_port = true;
        }
    } else if (colon && memchr(colon + 1, ':', len - (size_t)(colon + 1 - s)) == NULL) {
        hlen = (size_t)(colon - s); /* host:port */
        if (!port_number(colon + 1, len - hlen - 1, port)) {
            snprintf(err, errsize, "The port after ':' must be a number from 1 to 65535.");
            return false;
        }
        *has_port = true;
    } /* else a host, or an IPv6 address without a port */
    if (hlen == 0) {
        snprintf(err, errsize, "Enter the server's name or address.");
        return false;
    }
    if (hlen >= hostsize) {
        snprintf(err, errsize, "The server's name is longer than %d characters.",
                 (int)hostsize - 1);
        return false;
    }
    for (size_t i = 0; i < hlen; i++) {
        if ((unsigned char)h[i] <= ' ' || h[i] == '[' || h[i] == ']' || h[i] == 0x7F) {
            snprintf(err, errsize, "The server's name cannot contain spaces, brackets or "
                                   "control characters.");
            return false;
        }
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return true;
}

bool connect_form_server_port(const char *server, unsigned short *port)
{
    char host[CLIENT_HOST_MAX], err[200];
    bool has_port;
    unsigned short p = 0;
    size_t len = strlen(server);
    const char *s = trim(server, &len);
    if (!split_server(s, len, host, sizeof host, &p, &has_port, err, sizeof err) || !has_port)
        return false;
    *port = p;
    return true;
}

bool connect_form_check(const char *server, const char *port, const char *user,
                        ConnectTarget *t, char *err, size_t errsize, ConnectField *field)
{
    ConnectTarget nt;
    bool has_port;
    size_t len = strlen(server);
    const char *s = trim(server, &len);
    ConnectField unused;

    if (field == NULL)
        field = &unused;
    *field = CONNECT_FIELD_SERVER;
    if (!split_server(s, len, nt.host, sizeof nt.host, &nt.port, &has_port, err, errsize))
        return false;
    *field = CONNECT_FIELD_PORT;
    if (!has_port) {
        size_t plen = strlen(port);
        const char *p = trim(port, &plen);
        if (!port_number(p, plen, &nt.port)) {
            snprintf(err, errsize, "The port must be a number from 1 to 65535.");
            return false;
        }
    }
    *field = CONNECT_FIELD_USER;
    len = strlen(user);
    const char *u = trim(user, &len);
    size_t chars = visible_chars(u, len);
    if (chars > PROTO_NAME_MAX_CHARS) {
        snprintf(err, errsize, "The name has %u characters: the chat allows at most %d.",
                 (unsigned)chars, PROTO_NAME_MAX_CHARS);
        return false;
    }
    if (proto_name_from(u, len, nt.user) == 0) {
        snprintf(err, errsize, "Enter a user name (spaces and control characters alone do "
                               "not count).");
        return false;
    }
    *t = nt;
    return true;
}

void connect_form_next_name(const char *name, char out[PROTO_NAME_BUF])
{
    size_t len = strlen(name), digits = 0;
    unsigned long n = 1;
    char num[16];

    while (digits < len && digits < 9 && name[len - 1 - digits] >= '0' &&
           name[len - 1 - digits] <= '9')
        digits++;
    if (digits && digits < len) { /* a trailing number: count on from it */
        n = 0;
        for (size_t i = len - digits; i < len; i++)
            n = n * 10 + (unsigned long)(name[i] - '0');
        len -= digits;
    }
    int nlen = snprintf(num, sizeof num, "%lu", n + 1);
    /* The base keeps at most MAX - digits characters, cut at a character. */
    size_t keep = 0, chars = 0;
    while (keep < len && chars + (size_t)nlen < PROTO_NAME_MAX_CHARS) {
        int step = utf8_seq_len((unsigned char)name[keep]);
        if (step <= 0 || keep + (size_t)step > len)
            step = 1;
        keep += (size_t)step;
        chars++;
    }
    if (keep + (size_t)nlen >= PROTO_NAME_BUF)
        keep = PROTO_NAME_BUF - 1 - (size_t)nlen;
    memcpy(out, name, keep);
    memcpy(out + keep, num, (size_t)nlen + 1);
}
