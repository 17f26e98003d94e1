/* history.h: the chat's recent past at a glance: the number of people over
 * the last HISTORY_SPAN_MS and the messages per minute, in buckets of
 * HISTORY_BUCKET_MS, fed from what the window already sees (its ticks and
 * the connection's lines: no extra lock, no extra traffic).
 *
 * history_signature changes only when what a graph of it would show
 * changes, so an idle window repaints nothing.
 *
 * Contract: platform-free, no allocation; times are milliseconds of one
 * monotonic clock, never going back; not thread-safe. */
#ifndef CHAT_CORE_HISTORY_H
#define CHAT_CORE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#define HISTORY_BUCKET_MS 10000ull
#define HISTORY_BUCKETS 60 /* 10 minutes */
#define HISTORY_SPAN_MS (HISTORY_BUCKET_MS * HISTORY_BUCKETS)

typedef struct HistoryBucket {
    bool have;         /* a count was seen in it */
    int low, high;     /* the fewest and most people seen in it */
    unsigned messages; /* chat lines in it */
} HistoryBucket;

typedef struct History {
    HistoryBucket b[HISTORY_BUCKETS]; /* ring: bucket n at n % HISTORY_BUCKETS */
    unsigned long long newest;        /* absolute number of the newest bucket */
    int now;                          /* the latest count, -1 unknown */
} History;

void history_init(History *h, unsigned long long now_ms);

/* The count shown at now_ms (-1: unknown, nothing recorded). */
void history_count(History *h, unsigned long long now_ms, int count);

/* n chat lines arrived at now_ms. */
void history_messages(History *h, unsigned long long now_ms, unsigned n);

/* Bucket i of the last HISTORY_BUCKETS, 0 the oldest, at now_ms. */
HistoryBucket history_bucket(const History *h, unsigned long long now_ms, int i);

/* Chat lines over the last minute. */
unsigned history_per_minute(const History *h, unsigned long long now_ms);

/* Equal for two moments a graph would draw the same. */
unsigned long history_signature(const History *h, unsigned long long now_ms);

/* "3 people now, 1 to 4 in the last 10 minutes; 12 messages in the last
 * minute" (what a screen reader says of the graph). */
void history_text(const History *h, unsigned long long now_ms, char *out, size_t size);

#endif
