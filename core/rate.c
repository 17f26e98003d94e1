/* rate.c: a per-sender rate as a token bucket of lines (see rate.h). */
#include "core/rate.h"

void rate_init(RateLimit *r, unsigned rate, unsigned burst, unsigned long long now_ms)
{
    r->rate = rate;
    r->burst = burst;
    r->credit = (unsigned long long)burst * RATE_UNIT;
    r->at_ms = now_ms;
}

bool rate_limited(const RateLimit *r)
{
    return r->rate > 0 && r->burst > 0;
}

/* Credit earned since at_ms, capped at the burst. A clock that went back
 * (never, by contract) earns nothing. */
static void refill(RateLimit *r, unsigned long long now_ms)
{
    unsigned long long cap = (unsigned long long)r->burst * RATE_UNIT;
    if (now_ms <= r->at_ms)
        return;
    unsigned long long dt = now_ms - r->at_ms;
    r->at_ms = now_ms;
    /* dt * rate cannot overflow before the cap is reached many times over:
     * cap it first. */
    if (dt >= cap) {
        r->credit = cap;
        return;
    }
    r->credit += dt * r->rate;
    if (r->credit > cap)
        r->credit = cap;
}

bool rate_ready(RateLimit *r, unsigned long long now_ms)
{
    if (!rate_limited(r))
        return true;
    refill(r, now_ms);
    return r->credit >= RATE_UNIT;
}

void rate_take(RateLimit *r, unsigned long long now_ms)
{
    if (!rate_limited(r))
        return;
    refill(r, now_ms);
    r->credit = r->credit >= RATE_UNIT ? r->credit - RATE_UNIT : 0;
}

unsigned long long rate_deadline(const RateLimit *r)
{
    if (!rate_limited(r))
        return 0;
    if (r->credit >= RATE_UNIT)
        return r->at_ms;
    unsigned long long need = RATE_UNIT - r->credit;
    return r->at_ms + (need + r->rate - 1) / r->rate;
}

bool rate_full(RateLimit *r, unsigned long long now_ms)
{
    if (!rate_limited(r))
        return true;
    refill(r, now_ms);
    return r->credit == (unsigned long long)r->burst * RATE_UNIT;
}
