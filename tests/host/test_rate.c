/* test_rate.c: the per-sender rate (core/rate.h) on a fake clock: the
 * burst, the sustained rate, refills at the exact millisecond, the cap, and
 * 0 as unlimited. */
#include "common/check_main.h"
#include "core/rate.h"

/* Takes lines at `now` while allowed: how many. */
static int drain(RateLimit *r, unsigned long long now)
{
    int n = 0;
    while (rate_ready(r, now) && n < 1000000) {
        rate_take(r, now);
        n++;
    }
    return n;
}

START_TEST(test_rate_a_burst_at_once_then_nothing)
{
    RateLimit r;
    rate_init(&r, 10, 50, 1000);
    ck_assert(rate_limited(&r));
    ck_assert(rate_full(&r, 1000));
    ck_assert_int_eq(drain(&r, 1000), 50);
    ck_assert(!rate_ready(&r, 1000));
    ck_assert(!rate_full(&r, 1000));
}
END_TEST

START_TEST(test_rate_refills_one_line_at_exactly_its_deadline)
{
    RateLimit r;
    rate_init(&r, 10, 50, 1000);
    drain(&r, 1000);
    ck_assert(!rate_ready(&r, 1000));
    ck_assert_uint_eq(rate_deadline(&r), 1100); /* 10 a second: one each 100 ms */
    ck_assert(!rate_ready(&r, 1099));
    ck_assert_uint_eq(rate_deadline(&r), 1100);
    ck_assert(rate_ready(&r, 1100));
    rate_take(&r, 1100);
    ck_assert(!rate_ready(&r, 1100));
    ck_assert_uint_eq(rate_deadline(&r), 1200);
}
END_TEST

START_TEST(test_rate_deadline_rounds_up_to_the_next_whole_ms)
{
    RateLimit r;
    rate_init(&r, 3, 1, 0); /* one line each 333.3 ms */
    rate_take(&r, 0);
    ck_assert(!rate_ready(&r, 0));
    ck_assert_uint_eq(rate_deadline(&r), 334);
    ck_assert(!rate_ready(&r, 333));
    ck_assert_uint_eq(rate_deadline(&r), 334);
    ck_assert(rate_ready(&r, 334));
}
END_TEST

START_TEST(test_rate_sustained_over_a_minute_is_the_rate)
{
    RateLimit r;
    rate_init(&r, 10, 50, 0);
    int lines = 0;
    /* A flooder asking every millisecond for a minute. */
    for (unsigned long long t = 0; t <= 60000; t++)
        lines += drain(&r, t);
    ck_assert_int_eq(lines, 50 + 600);
}
END_TEST

START_TEST(test_rate_never_refills_past_the_burst)
{
    RateLimit r;
    rate_init(&r, 10, 5, 0);
    drain(&r, 0);
    ck_assert(!rate_full(&r, 499));
    ck_assert(rate_full(&r, 500));
    ck_assert_int_eq(drain(&r, 3600000), 5); /* an hour idle: still 5 */
    ck_assert_int_eq(drain(&r, 3600000ULL * 24 * 365), 5);
}
END_TEST

START_TEST(test_rate_a_partial_credit_is_kept_between_looks)
{
    RateLimit r;
    rate_init(&r, 4, 1, 0); /* one each 250 ms */
    rate_take(&r, 0);
    for (unsigned long long t = 1; t < 250; t += 7)
        ck_assert(!rate_ready(&r, t));
    ck_assert(rate_ready(&r, 250));
}
END_TEST

START_TEST(test_rate_zero_is_unlimited)
{
    RateLimit r;
    rate_init(&r, 0, 50, 0);
    ck_assert(!rate_limited(&r));
    ck_assert_int_eq(drain(&r, 0), 1000000);
    ck_assert_uint_eq(rate_deadline(&r), 0);
    rate_init(&r, 10, 0, 0);
    ck_assert(!rate_limited(&r));
    ck_assert_int_eq(drain(&r, 0), 1000000);
    ck_assert(rate_full(&r, 0));
}
END_TEST

START_TEST(test_rate_the_largest_options_do_not_overflow)
{
    RateLimit r;
    rate_init(&r, 1000000, 1000000, 0);
    ck_assert_int_eq(drain(&r, 0), 1000000);
    ck_assert(!rate_ready(&r, 0));
    ck_assert(rate_ready(&r, 1)); /* a thousand a millisecond */
    ck_assert_int_eq(drain(&r, 1), 1000);
    ck_assert(rate_full(&r, 1000000000ULL));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("rate");
    TCase *tc = tcase_create("bucket");
    tcase_add_test(tc, test_rate_a_burst_at_once_then_nothing);
    tcase_add_test(tc, test_rate_refills_one_line_at_exactly_its_deadline);
    tcase_add_test(tc, test_rate_deadline_rounds_up_to_the_next_whole_ms);
    tcase_add_test(tc, test_rate_sustained_over_a_minute_is_the_rate);
    tcase_add_test(tc, test_rate_never_refills_past_the_burst);
    tcase_add_test(tc, test_rate_a_partial_credit_is_kept_between_looks);
    tcase_add_test(tc, test_rate_zero_is_unlimited);
    tcase_add_test(tc, test_rate_the_largest_options_do_not_overflow);
    suite_add_tcase(s, tc);
    return s;
}
