/* backoff.c: reconnect delays, exponential with equal jitter (see
 * backoff.h). */
#include "core/backoff.h"

#include <limits.h>

/* xorshift32 never leaves 0, so a zero seed gets a fixed odd one instead. */
#define BACKOFF_SEED_FALLBACK 0x9E3779B9u

static uint32_t next_random(Backoff *b)
{
    uint32_t x = b->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b->rng = x;
    return x;
}

/* Callers seed with things like a tick count or a process id, which differ
 * in a few low bits between clients started together; xorshift's first
 * outputs would stay alike, so the seed is scrambled first (MurmurHash3's
 * finalizer: a bijection, and 0 only for 0). */
static uint32_t mix_seed(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    x ^= x >> 16;
    return x;
}

void backoff_init(Backoff *b, uint32_t seed)
{
    b->attempt = 0;
    b->since_ms = 0;
    b->connected = 0;
    b->rng = seed != 0 ? mix_seed(seed) : BACKOFF_SEED_FALLBACK;
}

unsigned backoff_nominal_ms(unsigned k)
{
    /* Doubling stops at the cap, so BASE << (k-1) can never overflow however
     * large k gets. */
    unsigned ms = BACKOFF_BASE_MS;
    for (unsigned i = 1; i < k && ms < BACKOFF_CAP_MS; i++)
        ms *= 2;
    return ms < BACKOFF_CAP_MS ? ms : BACKOFF_CAP_MS;
}

unsigned backoff_next_ms(Backoff *b)
{
    unsigned nominal, low;

    if (b->attempt < UINT_MAX) /* a client left retrying for years stays capped */
        b->attempt++;
    nominal = backoff_nominal_ms(b->attempt);
    low = nominal / 2;
    /* The modulo bias is under 1e-5 for a span of at most 15001 values. */
    return low + (unsigned)(next_random(b) % (nominal - low + 1u));
}

unsigned backoff_attempt(const Backoff *b)
{
    return b->attempt;
}

void backoff_connected(Backoff *b, unsigned long long now_ms)
{
    b->connected = 1;
    b->since_ms = now_ms;
}

void backoff_disconnected(Backoff *b, unsigned long long now_ms)
{
    /* A clock that went backwards counts as a short session. */
    if (b->connected && now_ms >= b->since_ms &&
        now_ms - b->since_ms >= BACKOFF_STABLE_MS)
        b->attempt = 0;
    b->connected = 0;
}

void backoff_reset(Backoff *b)
{
    b->attempt = 0;
}
