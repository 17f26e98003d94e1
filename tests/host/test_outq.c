/* test_outq.c: the bounded byte FIFO (core/outq.h). */
#include <string.h>

#include "common/check_main.h"
#include "core/outq.h"

START_TEST(test_outq_fifo_order_across_growth_and_slides)
{
    OutQueue q;
    char out[64];
    unsigned next_in = 0, next_out = 0;

    outq_init(&q, 10000);
    /* Push and pop numbered bytes in uneven steps: what comes out is exactly
     * what went in, in order. */
    for (int round = 0; round < 2000; round++) {
        char in[37];
        size_t n = (size_t)(round % 37);
        for (size_t i = 0; i < n; i++)
            in[i] = (char)(next_in++ & 0xFF);
        ck_assert(outq_push(&q, in, n));
        size_t got = outq_peek(&q, out, (size_t)(round % 29));
        for (size_t i = 0; i < got; i++)
            ck_assert_int_eq((unsigned char)out[i], next_out++ & 0xFF);
        outq_consume(&q, got);
    }
    ck_assert_uint_eq(outq_len(&q), next_in - next_out);
    outq_free(&q);
    ck_assert_uint_eq(outq_len(&q), 0);
}
END_TEST

START_TEST(test_outq_refuses_past_cap_and_keeps_what_it_had)
{
    OutQueue q;
    char big[300], out[300];
    memset(big, 'b', sizeof big);
    outq_init(&q, 256);
    ck_assert(outq_push(&q, big, 200));
    ck_assert(!outq_push(&q, big, 57)); /* 257 > 256: all or nothing */
    ck_assert_uint_eq(outq_len(&q), 200);
    ck_assert(outq_push(&q, big, 56)); /* exactly to the cap */
    ck_assert_uint_eq(outq_peek(&q, out, sizeof out), 256);
    outq_consume(&q, 1000); /* more than held: just empties it */
    ck_assert_uint_eq(outq_len(&q), 0);
    ck_assert(outq_push(&q, big, 256));
    outq_free(&q);
}
END_TEST

/* A newcomer's roster bigger than the bound: the bound grows by its size,
 * so it is queued whole and the lines after it still fit; an emptied
 * queue gives its big buffer back. */
START_TEST(test_outq_a_burst_past_the_bound_and_the_buffer_given_back)
{
    OutQueue q;
    static char burst[300000], out[300000];
    memset(burst, 'r', sizeof burst);
    outq_init(&q, 256 * 1024);
    ck_assert(!outq_push(&q, burst, sizeof burst));
    outq_raise_cap(&q, sizeof burst);
    ck_assert(outq_push(&q, burst, sizeof burst));
    ck_assert(outq_push(&q, "line\n", 5));
    ck_assert_uint_eq(outq_len(&q), sizeof burst + 5);
    ck_assert_uint_eq(outq_peek(&q, out, sizeof out), sizeof out);
    outq_consume(&q, sizeof burst + 5);
    ck_assert_uint_eq(outq_len(&q), 0);
    ck_assert_ptr_null(q.buf); /* given back */
    ck_assert(outq_push(&q, "again\n", 6));
    ck_assert_uint_eq(outq_peek(&q, out, sizeof out), 6);
    outq_free(&q);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("outq");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_outq_fifo_order_across_growth_and_slides);
    tcase_add_test(tc, test_outq_a_burst_past_the_bound_and_the_buffer_given_back);
    tcase_add_test(tc, test_outq_refuses_past_cap_and_keeps_what_it_had);
    suite_add_tcase(s, tc);
    return s;
}
