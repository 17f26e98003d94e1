/* conn_report.c: the connection in words (see conn_report.h). */
#include "core/conn_report.h"

#include <stdio.h>
#include <string.h>

#include "core/client_opts.h"
#include "core/utf8.h"

/* snprintf's result as a length that never passes the end of out. */
static size_t fit(int n, char *out, size_t size)
{
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    if ((size_t)n < size)
        return (size_t)n;
    /* snprintf cut at a byte: drop a character it left unfinished. */
    size_t len = size - 1, start = len;
    while (start > 0 && len - start < 3 && ((unsigned char)out[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && start - 1 + (size_t)utf8_seq_len((unsigned char)out[start - 1]) > len)
        len = start - 1;
    return len;
}

static size_t finish(char *out, size_t size, int n)
{
    size_t len = fit(n, out, size);
    out[len] = '\0';
    return len;
}

static void where(const ConnFacts *f, char *out, size_t size)
{
    client_format_server(out, size, f->host, f->port);
}

/* " (REASON)" or "". */
static void why(const ConnFacts *f, char *out, size_t size)
{
    if (f->reason && f->reason[0])
        snprintf(out, size, " (%s)", f->reason);
    else
        out[0] = '\0';
}

size_t conn_story_start(ConnStory *s, const ConnFacts *f, char *out, size_t size)
{
    char w[CLIENT_HOST_MAX + 16];
    s->last = f->phase;
    s->ever_connected = false;
    s->failure_told = false;
    where(f, w, sizeof w);
    return finish(out, size, snprintf(out, size, "Connecting to %s as %s...", w, f->user));
}

size_t conn_story_change(ConnStory *s, const ConnFacts *f, char *out, size_t size)
{
    char w[CLIENT_HOST_MAX + 16], r[300];
    ConnPhase was = s->last;
    int n = -1;

    s->last = f->phase;
    out[0] = '\0';
    if (f->phase == was)
        return 0;
    where(f, w, sizeof w);
    why(f, r, sizeof r);
    switch (f->phase) {
    case CONN_CONNECTED:
        n = s->ever_connected ? snprintf(out, size, "Reconnected to %s.", w)
                              : snprintf(out, size, "Connected to %s as %s.", w, f->user);
        s->ever_connected = true;
        s->failure_told = false;
        break;
    case CONN_WAITING:
        if (was == CONN_CONNECTED)
            n = snprintf(out, size, "Connection to %s lost%s: retrying in %u s.", w, r,
                         f->retry_in_s);
        else if (!s->failure_told)
            n = snprintf(out, size, "Cannot connect to %s%s: retrying in %u s.", w, r,
                         f->retry_in_s);
        s->failure_told = true;
        break;
    default:
        break;
    }
    return n < 0 ? (out[0] = '\0', 0) : finish(out, size, n);
}

void conn_status(const ConnFacts *f, char *out, size_t size)
{
    char w[CLIENT_HOST_MAX + 16], r[300];
    int n;

    where(f, w, sizeof w);
    why(f, r, sizeof r);
    switch (f->phase) {
    case CONN_CONNECTED:
        n = snprintf(out, size, "Connected to %s as %s", w, f->user);
        break;
    case CONN_WAITING:
        n = snprintf(out, size, "Not connected: retrying in %u s%s", f->retry_in_s, r);
        break;
    case CONN_CONNECTING:
        n = snprintf(out, size, "Connecting to %s...", w);
        break;
    case CONN_LOOKUP:
        n = snprintf(out, size, "Looking up %s...", f->host);
        break;
    default:
        n = snprintf(out, size, "Not connected (File > Connect... to connect)");
        break;
    }
    size_t len = finish(out, size, n);
    if (f->pending > 0)
        finish(out + len, size - len,
               snprintf(out + len, size - len, " \xC2\xB7 %d message%s waiting", f->pending,
                        f->pending == 1 ? "" : "s"));
}

void conn_title(const ConnFacts *f, char *out, size_t size)
{
    char w[CLIENT_HOST_MAX + 16];
    where(f, w, sizeof w);
    finish(out, size, snprintf(out, size, "Chat \xE2\x80\x94 %s @ %s%s", f->user, w,
                               f->phase == CONN_CONNECTED ? "" : " (not connected)"));
}
