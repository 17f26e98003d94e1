/* outq.h: a bounded FIFO of bytes waiting to be sent to one peer.
 *
 * The server gives each client one, so a client that stops reading costs at
 * most `cap` bytes and never makes anyone else wait: a push that would pass
 * the bound fails, and the caller drops that client.
 *
 * Contract: platform-free; grows on demand up to cap; not thread-safe (the
 * server guards each queue with the client's own lock). */
#ifndef CHAT_CORE_OUTQ_H
#define CHAT_CORE_OUTQ_H

#include <stdbool.h>
#include <stddef.h>

typedef struct OutQueue {
    char *buf;
    size_t head;  /* first unsent byte */
    size_t len;   /* unsent bytes */
    size_t alloc; /* bytes allocated */
    size_t cap;   /* most bytes ever held */
} OutQueue;

void outq_init(OutQueue *q, size_t cap);

/* Appends all n bytes, or nothing and false when the queue would pass its cap
 * (or memory runs out). */
bool outq_push(OutQueue *q, const void *data, size_t n);

/* Copies up to max bytes from the front into out, without consuming them;
 * returns how many. */
size_t outq_peek(const OutQueue *q, void *out, size_t max);

/* Drops n bytes (at most outq_len) from the front. */
void outq_consume(OutQueue *q, size_t n);

size_t outq_len(const OutQueue *q);

/* The bound grows by n bytes for good: room for one burst bigger than the
 * bound itself (a newcomer's roster) without making the peer look slow. */
void outq_raise_cap(OutQueue *q, size_t n);

/* An emptied queue frees a buffer larger than this. */
#define OUTQ_KEEP_BYTES (64 * 1024)

/* Frees the storage; the queue is empty and reusable afterwards. */
void outq_free(OutQueue *q);

#endif
