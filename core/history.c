/* history.c: the recent past in buckets (see history.h). */
#include "core/history.h"

#include <stdio.h>
#include <string.h>

void history_init(History *h, unsigned long long now_ms)
{
    memset(h, 0, sizeof *h);
    h->newest = now_ms / HISTORY_BUCKET_MS;
    h->now = -1;
}

/* Moves the ring on to now_ms's bucket, emptying the ones passed. */
static HistoryBucket *advance(History *h, unsigned long long now_ms)
{
    unsigned long long n = now_ms / HISTORY_BUCKET_MS;
    if (n > h->newest) {
        unsigned long long gap = n - h->newest;
        if (gap > HISTORY_BUCKETS)
            gap = HISTORY_BUCKETS;
        for (unsigned long long k = 1; k <= gap; k++)
            memset(&h->b[(n - gap + k) % HISTORY_BUCKETS], 0, sizeof h->b[0]);
        h->newest = n;
    }
    return &h->b[h->newest % HISTORY_BUCKETS];
}

void history_count(History *h, unsigned long long now_ms, int count)
{
    HistoryBucket *b = advance(h, now_ms);
    h->now = count;
    if (count < 0)
        return;
    if (!b->have || count < b->low)
        b->low = count;
    if (!b->have || count > b->high)
        b->high = count;
    b->have = true;
}

void history_messages(History *h, unsigned long long now_ms, unsigned n)
{
    HistoryBucket *b = advance(h, now_ms);
    b->messages += n;
}

HistoryBucket history_bucket(const History *h, unsigned long long now_ms, int i)
{
    HistoryBucket none = {false, 0, 0, 0};
    unsigned long long n = now_ms / HISTORY_BUCKET_MS;
    unsigned long long want = n - (unsigned long long)(HISTORY_BUCKETS - 1 - i);
    if (i < 0 || i >= HISTORY_BUCKETS || want > h->newest || h->newest - want >= HISTORY_BUCKETS ||
        n < (unsigned long long)(HISTORY_BUCKETS - 1 - i))
        return none;
    return h->b[want % HISTORY_BUCKETS];
}

unsigned history_per_minute(const History *h, unsigned long long now_ms)
{
    unsigned sum = 0;
    int per_minute = (int)(60000 / HISTORY_BUCKET_MS);
    for (int i = HISTORY_BUCKETS - per_minute; i < HISTORY_BUCKETS; i++)
        sum += history_bucket(h, now_ms, i).messages;
    return sum;
}

unsigned long history_signature(const History *h, unsigned long long now_ms)
{
    unsigned long sig = 2166136261ul; /* FNV-1a over what would be drawn */
    for (int i = 0; i < HISTORY_BUCKETS; i++) {
        HistoryBucket b = history_bucket(h, now_ms, i);
        unsigned long v[4] = {b.have, (unsigned long)b.low, (unsigned long)b.high, b.messages};
        for (int k = 0; k < 4; k++)
            sig = (sig ^ v[k]) * 16777619ul;
    }
    return (sig ^ (unsigned long)h->now) * 16777619ul;
}

void history_text(const History *h, unsigned long long now_ms, char *out, size_t size)
{
    int low = -1, high = -1;
    for (int i = 0; i < HISTORY_BUCKETS; i++) {
        HistoryBucket b = history_bucket(h, now_ms, i);
        if (!b.have)
            continue;
        if (low < 0 || b.low < low)
            low = b.low;
        if (b.high > high)
            high = b.high;
    }
    unsigned m = history_per_minute(h, now_ms);
    int n;
    if (h->now < 0)
        n = snprintf(out, size, "People unknown");
    else if (low == high || low < 0)
        n = snprintf(out, size, "%d %s now, unchanged", h->now,
                     h->now == 1 ? "person" : "people");
    else
        n = snprintf(out, size, "%d %s now, %d to %d in the last 10 minutes", h->now,
                     h->now == 1 ? "person" : "people", low, high);
    if (n < 0 || (size_t)n >= size)
        return;
    snprintf(out + n, size - (size_t)n, "; %u message%s in the last minute", m, m == 1 ? "" : "s");
}
