/* fuzz_outq.c: core/outq.c, the bounded queue that holds what the server
 * has still to send each client.
 *
 * Outside bytes: the queue's contents are lines other clients sent, and its
 * rhythm is set from outside too: how much each client's peers say (pushes)
 * and how fast the client reads (how much each send() takes). Input:
 * [cap hi][cap lo] then one-byte operations (op % 4): 0 push L bytes,
 * 1 peek up to L, 2 consume L, 3 free; L is the next byte, times 257 when
 * the op's bit 7 is set. Cap: cap hi bit 7 set is the server's 256 KB,
 * else 1 to 32768.
 *
 * Invariants: the queue agrees with a plain array model: a push succeeds
 * exactly when it fits under the cap, and then all of it goes in; peek
 * copies the front bytes in order, never more than asked or held; consume
 * drops at most what is held; outq_len is the model's length; the storage
 * never passes the cap and head + len stays inside it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/outq.h"
#include "fuzz/fuzz_common.h"

#define SERVER_QUEUE_CAP (256u * 1024u) /* server.c's per-client bound */

/* Numbered bytes, so a lost or reordered one shows. */
FUZZ_MODEL static void number(unsigned char *out, size_t n, unsigned seq)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(seq + i * 7u);
}

static void check_shape(const OutQueue *q, size_t model_len)
{
    FUZZ_CHECK(outq_len(q) == model_len);
    FUZZ_CHECK(q->alloc <= q->cap || q->alloc == 0);
    FUZZ_CHECK(q->head + q->len <= q->alloc || (q->len == 0 && q->head == 0));
    FUZZ_CHECK((q->buf == NULL) == (q->alloc == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data + 2, *end = data + size;
    OutQueue q;
    size_t cap, mhead = 0, mlen = 0; /* the model: model[mhead..mhead + mlen) */
    unsigned char *model, *chunk;
    unsigned seq = 0;

    if (size < 2)
        return 0;
    cap = data[0] & 0x80 ? SERVER_QUEUE_CAP
                         : 1 + (((size_t)data[0] << 8 | data[1]) % 32768u);
    model = malloc(cap);
    chunk = malloc(65535);
    FUZZ_CHECK(model && chunk);
    outq_init(&q, cap);

    while (p < end) {
        unsigned op = *p++;
        size_t n = p < end ? *p++ : 0;
        if (op & 0x80)
            n *= 257;
        switch (op % 4u) {
        case 0: {
            bool ok;
            number(chunk, n, seq);
            ok = outq_push(&q, chunk, n);
            FUZZ_CHECK(ok == (n <= cap - mlen));
            if (ok) {
                if (mhead + mlen + n > cap) { /* the model slides too */
                    memmove(model, model + mhead, mlen);
                    mhead = 0;
                }
                memcpy(model + mhead + mlen, chunk, n);
                mlen += n;
                seq += (unsigned)n * 7u;
            }
            break;
        }
        case 1: {
            size_t got = outq_peek(&q, chunk, n);
            FUZZ_CHECK(got == (n < mlen ? n : mlen));
            FUZZ_CHECK(memcmp(chunk, model + mhead, got) == 0);
            break;
        }
        case 2: {
            size_t drop = n < mlen ? n : mlen;
            outq_consume(&q, n);
            mhead += drop;
            mlen -= drop;
            break;
        }
        default:
            outq_free(&q);
            FUZZ_CHECK(q.cap == cap);
            mhead = mlen = 0;
            break;
        }
        check_shape(&q, mlen);
    }
    outq_free(&q);
    free(model);
    free(chunk);
    return 0;
}
