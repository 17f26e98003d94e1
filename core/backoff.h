/* backoff.h: when to try reconnecting: exponential backoff with jitter.
 *
 * The nominal delay before attempt k (k = 1, 2, ...) is BACKOFF_BASE_MS
 * doubled k-1 times, capped at BACKOFF_CAP_MS; the actual delay is drawn
 * uniformly from [nominal/2, nominal] ("equal jitter"), so clients that lost
 * the same server do not come back in lockstep. A session that lasted at
 * least BACKOFF_STABLE_MS resets the schedule to attempt 1.
 *
 * Contract: platform-free and clock-free (the caller passes the time in ms
 * from any monotonic clock); deterministic for a given seed. Not
 * thread-safe. */
#ifndef CHAT_CORE_BACKOFF_H
#define CHAT_CORE_BACKOFF_H

#include <stdint.h>

#define BACKOFF_BASE_MS 1000u
#define BACKOFF_CAP_MS 30000u
#define BACKOFF_STABLE_MS 10000u

typedef struct Backoff {
    unsigned attempt;             /* attempts scheduled since the last reset */
    unsigned long long since_ms;  /* when the current session started */
    int connected;
    uint32_t rng;                 /* xorshift32 state, never 0 */
} Backoff;

void backoff_init(Backoff *b, uint32_t seed);

/* Schedules the next attempt: returns its delay in ms and counts it
 * (backoff_attempt then returns its number, 1-based). */
unsigned backoff_next_ms(Backoff *b);

/* The number of the attempt the last backoff_next_ms scheduled (0: none). */
unsigned backoff_attempt(const Backoff *b);

/* The nominal (jitter-free) delay of attempt k >= 1. */
unsigned backoff_nominal_ms(unsigned k);

/* A session started / ended at now_ms. Ending a session that lasted
 * BACKOFF_STABLE_MS or more resets the schedule. */
void backoff_connected(Backoff *b, unsigned long long now_ms);
void backoff_disconnected(Backoff *b, unsigned long long now_ms);

/* Back to attempt 1 (File > Connect... retries now). */
void backoff_reset(Backoff *b);

#endif
