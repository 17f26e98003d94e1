/* test_history.c: the recent past at a glance (core/history.h). */
#include <string.h>

#include "common/check_main.h"
#include "core/history.h"

#define S 1000ull

START_TEST(test_history_counts_and_messages_in_buckets)
{
    History h;
    char text[200];
    unsigned long long t = 1000 * S;
    history_init(&h, t);
    history_count(&h, t, 2);
    history_count(&h, t + 1 * S, 4);
    history_count(&h, t + 2 * S, 3);
    history_messages(&h, t + 2 * S, 5);
    HistoryBucket b = history_bucket(&h, t + 2 * S, HISTORY_BUCKETS - 1);
    ck_assert(b.have);
    ck_assert_int_eq(b.low, 2);
    ck_assert_int_eq(b.high, 4);
    ck_assert_uint_eq(b.messages, 5);
    ck_assert_uint_eq(history_per_minute(&h, t + 2 * S), 5);
    history_text(&h, t + 2 * S, text, sizeof text);
    ck_assert_str_eq(text, "3 people now, 2 to 4 in the last 10 minutes; 5 messages in the last minute");
    /* A minute later the messages have left the last minute; the count's
     * range stays for 10 minutes. */
    history_count(&h, t + 70 * S, 1);
    ck_assert_uint_eq(history_per_minute(&h, t + 70 * S), 0);
    history_text(&h, t + 70 * S, text, sizeof text);
    ck_assert_str_eq(text, "1 person now, 1 to 4 in the last 10 minutes; 0 messages in the last minute");
    /* Eleven minutes on, only the newest bucket is left. */
    history_count(&h, t + 700 * S, 1);
    history_text(&h, t + 700 * S, text, sizeof text);
    ck_assert_str_eq(text, "1 person now, unchanged; 0 messages in the last minute");
    for (int i = 0; i < HISTORY_BUCKETS - 1; i++)
        ck_assert(!history_bucket(&h, t + 700 * S, i).have);
    history_count(&h, t + 701 * S, -1);
    history_text(&h, t + 701 * S, text, sizeof text);
    ck_assert_str_eq(text, "People unknown; 0 messages in the last minute");
}
END_TEST

/* Idle: the same count and no messages draw the same once the ring is
 * full, so nothing is repainted; a change changes the signature. */
START_TEST(test_history_signature_follows_what_is_drawn)
{
    History h;
    unsigned long long t = 5000 * S;
    history_init(&h, t);
    for (unsigned long long k = 0; k <= 620; k++)
        history_count(&h, t + k * S, 3);
    unsigned long sig = history_signature(&h, t + 620 * S);
    for (unsigned long long k = 621; k < 700; k++) {
        history_count(&h, t + k * S, 3);
        ck_assert_uint_eq(history_signature(&h, t + k * S), sig);
    }
    history_count(&h, t + 700 * S, 4);
    ck_assert_uint_ne(history_signature(&h, t + 700 * S), sig);
    unsigned long sig2 = history_signature(&h, t + 700 * S);
    history_messages(&h, t + 700 * S, 1);
    ck_assert_uint_ne(history_signature(&h, t + 700 * S), sig2);
    /* Within one bucket the same samples change nothing. */
    sig2 = history_signature(&h, t + 700 * S);
    history_count(&h, t + 701 * S, 4);
    ck_assert_uint_eq(history_signature(&h, t + 701 * S), sig2);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("history");
    tcase_add_test(tc, test_history_counts_and_messages_in_buckets);
    tcase_add_test(tc, test_history_signature_follows_what_is_drawn);
    suite_add_tcase(s, tc);
    return s;
}
