/* framer.c: bounded line splitting (see framer.h). */
#include "core/framer.h"

#include <string.h>

void framer_init(LineFramer *f, char *buf, size_t cap)
{
    f->buf = buf;
    f->cap = cap;
    f->len = 0;
    f->discarding = false;
}

/* Hands out the held line without one trailing "\r" and starts a new one. */
static void take_line(LineFramer *f, const char **line, size_t *line_len)
{
    size_t n = f->len;
    if (n > 0 && f->buf[n - 1] == '\r')
        n--;
    *line = f->buf;
    *line_len = n;
    f->len = 0;
}

size_t framer_feed(LineFramer *f, const char *data, size_t len, FrameEvent *ev,
                   const char **line, size_t *line_len)
{
    const char *nl = memchr(data, '\n', len);
    size_t n = nl ? (size_t)(nl - data) : len; /* line bytes in this call */
    size_t used = nl ? n + 1 : len;
    size_t total = f->len + n;

    *ev = FRAME_NONE;
    if (f->discarding) {
        if (nl)
            f->discarding = false;
        return used;
    }
    /* Past cap, only a "\r" (of "\r\n") may be held. */
    if (total > f->cap + 1 || (total == f->cap + 1 && n > 0 && data[n - 1] != '\r')) {
        if (f->len < f->cap)
            memcpy(f->buf + f->len, data, f->cap - f->len);
        *line = f->buf;
        *line_len = f->cap;
        *ev = FRAME_TOO_LONG;
        f->len = 0;
        f->discarding = (nl == NULL);
        return used;
    }
    memcpy(f->buf + f->len, data, n);
    f->len = total;
    if (nl) {
        take_line(f, line, line_len);
        *ev = FRAME_LINE;
    }
    return used;
}

bool framer_feed_all(LineFramer *f, const char *data, size_t len, FrameFn fn, void *ctx)
{
    while (len > 0) {
        FrameEvent ev;
        const char *line;
        size_t n;
        size_t used = framer_feed(f, data, len, &ev, &line, &n);
        data += used;
        len -= used;
        /* line points into f->buf, which is the caller's writable storage. */
        if (ev != FRAME_NONE && !fn(ctx, ev, (char *)line, n))
            return false;
    }
    return true;
}

bool framer_pending(const LineFramer *f)
{
    return f->len > 0 || f->discarding;
}

bool framer_flush(LineFramer *f, const char **line, size_t *line_len)
{
    f->discarding = false;
    if (f->len == 0)
        return false;
    take_line(f, line, line_len);
    return true;
}
