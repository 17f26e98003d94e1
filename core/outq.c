/* outq.c: bounded byte FIFO (see outq.h). */
#include "core/outq.h"

#include <stdlib.h>
#include <string.h>

void outq_init(OutQueue *q, size_t cap)
{
    q->buf = NULL;
    q->head = q->len = q->alloc = 0;
    q->cap = cap;
}

bool outq_push(OutQueue *q, const void *data, size_t n)
{
    if (n > q->cap - q->len)
        return false;
    if (n == 0)
        return true;
    if (q->head + q->len + n > q->alloc) {
        if (q->len + n <= q->alloc) {
            memmove(q->buf, q->buf + q->head, q->len); /* slide to the front */
        } else {
            size_t want = q->alloc ? q->alloc * 2 : 4096;
            while (want < q->len + n)
                want *= 2;
            if (want > q->cap)
                want = q->cap;
            char *nb = malloc(want);
            if (nb == NULL)
                return false;
            if (q->len)
                memcpy(nb, q->buf + q->head, q->len);
            free(q->buf);
            q->buf = nb;
            q->alloc = want;
        }
        q->head = 0;
    }
    memcpy(q->buf + q->head + q->len, data, n);
    q->len += n;
    return true;
}

size_t outq_peek(const OutQueue *q, void *out, size_t max)
{
    size_t n = q->len < max ? q->len : max;
    if (n)
        memcpy(out, q->buf + q->head, n);
    return n;
}

void outq_consume(OutQueue *q, size_t n)
{
    if (n > q->len)
        n = q->len;
    q->head += n;
    q->len -= n;
    if (q->len == 0) {
        q->head = 0;
        /* A burst (a newcomer's roster, a flood) does not keep its buffer
         * for the peer's whole life. */
        if (q->alloc > OUTQ_KEEP_BYTES) {
            free(q->buf);
            q->buf = NULL;
            q->alloc = 0;
        }
    }
}

void outq_raise_cap(OutQueue *q, size_t n)
{
    q->cap += n;
}

size_t outq_len(const OutQueue *q)
{
    return q->len;
}

void outq_free(OutQueue *q)
{
    free(q->buf);
    outq_init(q, q->cap);
}
