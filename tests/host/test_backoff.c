/* test_backoff.c: reconnect delays (core/backoff.h), on a fake clock: the
 * times are plain numbers of milliseconds. */
#include <limits.h>

#include "common/check_main.h"
#include "core/backoff.h"

/* The nominal schedule, in ms: 1, 2, 4, 8, 16 s, then the 30 s cap. */
static const unsigned schedule[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
#define SCHEDULE_LEN (sizeof schedule / sizeof schedule[0])

/* Asserts the next delay is attempt k of the schedule, jitter included. */
#define EXPECT_ATTEMPT(b, k) expect_attempt(__LINE__, (b), (k))
static unsigned expect_attempt(int line, Backoff *b, unsigned k)
{
    unsigned nominal = k <= SCHEDULE_LEN ? schedule[k - 1] : BACKOFF_CAP_MS;
    unsigned d = backoff_next_ms(b);
    ck_assert_msg(backoff_attempt(b) == k, "line %d: attempt %u, want %u", line,
                  backoff_attempt(b), k);
    ck_assert_msg(d >= nominal / 2 && d <= nominal,
                  "line %d: attempt %u waits %u ms, want [%u, %u]", line, k, d,
                  nominal / 2, nominal);
    return d;
}

START_TEST(test_backoff_nominal_schedule_doubles_to_the_cap)
{
    for (unsigned k = 1; k <= SCHEDULE_LEN; k++)
        ck_assert_uint_eq(backoff_nominal_ms(k), schedule[k - 1]);
}
END_TEST

START_TEST(test_backoff_nominal_never_overflows)
{
    /* BASE << 31 and beyond would overflow a naive shift. */
    static const unsigned ks[] = {31, 32, 33, 64, 1000, UINT_MAX};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++)
        ck_assert_uint_eq(backoff_nominal_ms(ks[i]), BACKOFF_CAP_MS);
}
END_TEST

START_TEST(test_backoff_doubles_to_the_cap_with_jitter_in_range)
{
    /* Many seeds, so the range is checked, not one lucky draw. */
    for (uint32_t seed = 0; seed < 500; seed++) {
        Backoff b;
        backoff_init(&b, seed * 2654435761u);
        ck_assert_uint_eq(backoff_attempt(&b), 0);
        for (unsigned k = 1; k <= SCHEDULE_LEN; k++)
            EXPECT_ATTEMPT(&b, k);
        for (unsigned k = SCHEDULE_LEN + 1; k < 200; k++)
            EXPECT_ATTEMPT(&b, k); /* stays at the cap */
    }
}
END_TEST

START_TEST(test_backoff_jitter_covers_both_halves_of_the_range)
{
    /* Clients that lost the same server must not come back in lockstep: over
     * many seeds the first delay is spread over [500, 1000] ms. */
    unsigned lo = UINT_MAX, hi = 0, below_750 = 0;
    for (uint32_t seed = 1; seed <= 1000; seed++) {
        Backoff b;
        unsigned d;
        backoff_init(&b, seed);
        d = backoff_next_ms(&b);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
        below_750 += d < 750;
    }
    ck_assert_uint_le(lo, 520);
    ck_assert_uint_ge(hi, 980);
    ck_assert_uint_gt(below_750, 350);
    ck_assert_uint_lt(below_750, 650);
}
END_TEST

START_TEST(test_backoff_is_deterministic_for_a_seed)
{
    Backoff a, b, c;
    int differs = 0;
    backoff_init(&a, 42);
    backoff_init(&b, 42);
    backoff_init(&c, 43);
    for (int i = 0; i < 20; i++) {
        unsigned da = backoff_next_ms(&a);
        ck_assert_uint_eq(da, backoff_next_ms(&b));
        differs |= da != backoff_next_ms(&c);
    }
    ck_assert(differs);
}
END_TEST

START_TEST(test_backoff_zero_seed_still_jitters)
{
    /* xorshift32 sticks at 0: a zero seed must not give a constant delay. */
    Backoff b;
    unsigned first, differs = 0;
    backoff_init(&b, 0);
    ck_assert_uint_ne(b.rng, 0);
    first = backoff_next_ms(&b);
    for (int i = 0; i < 20; i++) {
        backoff_reset(&b);
        differs |= EXPECT_ATTEMPT(&b, 1) != first;
    }
    ck_assert(differs);
}
END_TEST

/* Session length in ms -> whether ending it resets the schedule. */
static const struct {
    unsigned long long lasted;
    int resets;
} sessions[] = {
    {0, 0}, {1, 0}, {9999, 0}, {10000, 1}, {10001, 1}, {3600000, 1},
};

START_TEST(test_backoff_session_length_decides_the_reset)
{
    const unsigned long long start = 5000000; /* any monotonic clock */
    Backoff b;
    backoff_init(&b, 7);
    EXPECT_ATTEMPT(&b, 1);
    EXPECT_ATTEMPT(&b, 2);
    EXPECT_ATTEMPT(&b, 3);
    backoff_connected(&b, start);
    backoff_disconnected(&b, start + sessions[_i].lasted);
    if (sessions[_i].resets) {
        ck_assert_uint_eq(backoff_attempt(&b), 0);
        EXPECT_ATTEMPT(&b, 1);
    } else {
        ck_assert_uint_eq(backoff_attempt(&b), 3);
        EXPECT_ATTEMPT(&b, 4);
    }
}
END_TEST

START_TEST(test_backoff_resets_after_a_stable_session)
{
    /* The server is down for seven attempts, comes back, the session lasts
     * 12 s, then the server goes away again: the schedule starts over. */
    Backoff b;
    unsigned long long now = 0, waited = 0, least = 0, most = 0;
    backoff_init(&b, 12345);
    for (unsigned k = 1; k <= 7; k++) {
        unsigned d = EXPECT_ATTEMPT(&b, k);
        now += d;
        waited += d;
        least += schedule[k - 1] / 2;
        most += schedule[k - 1];
        backoff_disconnected(&b, now); /* refused: no session to end */
        ck_assert_uint_eq(backoff_attempt(&b), k);
    }
    ck_assert(waited >= least && waited <= most);
    backoff_connected(&b, now);
    now += 12000;
    backoff_disconnected(&b, now);
    ck_assert_uint_eq(backoff_attempt(&b), 0);
    EXPECT_ATTEMPT(&b, 1);
    EXPECT_ATTEMPT(&b, 2);
}
END_TEST

START_TEST(test_backoff_no_reset_after_a_short_session)
{
    /* A server that accepts and drops at once must not be hammered every
     * second: short sessions keep the schedule growing. */
    Backoff b;
    unsigned long long now = 0;
    backoff_init(&b, 99);
    for (unsigned k = 1; k <= 8; k++) {
        now += EXPECT_ATTEMPT(&b, k);
        backoff_connected(&b, now);
        now += 2000;
        backoff_disconnected(&b, now);
    }
    ck_assert_uint_eq(backoff_attempt(&b), 8);
}
END_TEST

START_TEST(test_backoff_disconnect_counts_only_the_session_just_ended)
{
    Backoff b;
    backoff_init(&b, 5);
    EXPECT_ATTEMPT(&b, 1);
    EXPECT_ATTEMPT(&b, 2);
    backoff_connected(&b, 1000);
    backoff_disconnected(&b, 2000); /* short */
    /* A later failure, long after, is not a session of 60 s. */
    backoff_disconnected(&b, 61000);
    ck_assert_uint_eq(backoff_attempt(&b), 2);
    /* Nor is a clock that went backwards a long one. */
    backoff_connected(&b, 100000);
    backoff_disconnected(&b, 50000);
    ck_assert_uint_eq(backoff_attempt(&b), 2);
}
END_TEST

START_TEST(test_backoff_reset_starts_over_at_attempt_1)
{
    Backoff b;
    backoff_init(&b, 77);
    for (unsigned k = 1; k <= 6; k++)
        EXPECT_ATTEMPT(&b, k);
    backoff_reset(&b);
    ck_assert_uint_eq(backoff_attempt(&b), 0);
    EXPECT_ATTEMPT(&b, 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("backoff");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_backoff_nominal_schedule_doubles_to_the_cap);
    tcase_add_test(tc, test_backoff_nominal_never_overflows);
    tcase_add_test(tc, test_backoff_doubles_to_the_cap_with_jitter_in_range);
    tcase_add_test(tc, test_backoff_jitter_covers_both_halves_of_the_range);
    tcase_add_test(tc, test_backoff_is_deterministic_for_a_seed);
    tcase_add_test(tc, test_backoff_zero_seed_still_jitters);
    tcase_add_loop_test(tc, test_backoff_session_length_decides_the_reset, 0,
                        sizeof sessions / sizeof sessions[0]);
    tcase_add_test(tc, test_backoff_resets_after_a_stable_session);
    tcase_add_test(tc, test_backoff_no_reset_after_a_short_session);
    tcase_add_test(tc, test_backoff_disconnect_counts_only_the_session_just_ended);
    tcase_add_test(tc, test_backoff_reset_starts_over_at_attempt_1);
    suite_add_tcase(s, tc);
    return s;
}
