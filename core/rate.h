/* rate.h: a per-sender rate, as a token bucket of whole lines: a sender
 * may send `burst` lines at once and then `rate` lines a second; credit
 * refills continuously (1/rate s per line) and never above the burst.
 *
 * The engine asks rate_ready before handling a line and rate_take once it
 * has; while it is not ready, rate_deadline says the exact millisecond the
 * next line is allowed (so a host waits for it, neither earlier, spinning,
 * nor later).
 *
 * Contract: platform-free and clock-free (times in ms from any monotonic
 * clock, never going back); no allocation; not thread-safe. rate 0 or
 * burst 0: no limit (ready always, deadline never). */
#ifndef CHAT_CORE_RATE_H
#define CHAT_CORE_RATE_H

#include <stdbool.h>

#define RATE_UNIT 1000ULL /* credit of one line: lines are counted in ms at 1 line/s */

typedef struct RateLimit {
    unsigned rate;  /* lines per second; 0: unlimited */
    unsigned burst; /* lines at once; 0: unlimited */
    unsigned long long credit; /* in 1/RATE_UNIT lines, at most burst * RATE_UNIT */
    unsigned long long at_ms;  /* when credit was last brought up to date */
} RateLimit;

/* Full: a new sender may send its whole burst at once. */
void rate_init(RateLimit *r, unsigned rate, unsigned burst, unsigned long long now_ms);

bool rate_limited(const RateLimit *r); /* false when rate or burst is 0 */

/* May one more line be handled at now_ms? */
bool rate_ready(RateLimit *r, unsigned long long now_ms);

/* One line was handled (after rate_ready said yes at now_ms). */
void rate_take(RateLimit *r, unsigned long long now_ms);

/* The first ms at which rate_ready is true, as of the last call that
 * looked at the clock (rate_ready, rate_take, rate_full): exact after a
 * rate_ready that said no; 0 when unlimited. */
unsigned long long rate_deadline(const RateLimit *r);

/* The whole burst is available again: the sender has kept within the rate
 * for burst/rate seconds. */
bool rate_full(RateLimit *r, unsigned long long now_ms);

#endif
