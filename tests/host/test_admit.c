/* test_admit.c: connections waiting for their hello (core/admit.h): the
 * share of one address, the total, slots given back, IPv4 and its mapped
 * IPv6 form as one address. */
#include <string.h>

#include "common/check_main.h"
#include "core/admit.h"

static void key_of(unsigned char key[ADMIT_KEY_SIZE], int a, int b, int c, int d)
{
    const unsigned char v4[4] = {(unsigned char)a, (unsigned char)b, (unsigned char)c,
                                 (unsigned char)d};
    admit_key_ipv4(key, v4);
}

START_TEST(test_admit_one_address_gets_its_share_and_others_still_get_in)
{
    Admit a;
    unsigned char hog[ADMIT_KEY_SIZE], user[ADMIT_KEY_SIZE];
    ck_assert(admit_init(&a, 8, 64));
    key_of(hog, 127, 0, 0, 2);
    key_of(user, 127, 0, 0, 1);
    int in = 0;
    for (int i = 0; i < 300; i++)
        in += admit_enter(&a, hog) == ADMIT_OK;
    ck_assert_int_eq(in, 8);
    ck_assert_int_eq(admit_enter(&a, hog), ADMIT_ADDRESS_FULL);
    ck_assert_int_eq(admit_enter(&a, user), ADMIT_OK);
    ck_assert_int_eq(admit_count(&a, hog), 8);
    ck_assert_int_eq(admit_count(&a, user), 1);
    /* One of the hog's goes (its hello timed out): one more may come. */
    admit_leave(&a, hog);
    ck_assert_int_eq(admit_enter(&a, hog), ADMIT_OK);
    ck_assert_int_eq(admit_enter(&a, hog), ADMIT_ADDRESS_FULL);
    admit_free(&a);
}
END_TEST

START_TEST(test_admit_the_total_is_bounded_and_slots_come_back)
{
    Admit a;
    unsigned char k[ADMIT_KEY_SIZE];
    ck_assert(admit_init(&a, 2, 5));
    for (int i = 0; i < 5; i++) {
        key_of(k, 10, 0, 0, i);
        ck_assert_int_eq(admit_enter(&a, k), ADMIT_OK);
    }
    key_of(k, 10, 0, 0, 99);
    ck_assert_int_eq(admit_enter(&a, k), ADMIT_ALL_FULL);
    key_of(k, 10, 0, 0, 0);
    ck_assert_int_eq(admit_enter(&a, k), ADMIT_ALL_FULL); /* own share left, none in all */
    key_of(k, 10, 0, 0, 3);
    admit_leave(&a, k);
    ck_assert_int_eq(admit_count(&a, k), 0);
    key_of(k, 10, 0, 0, 99);
    ck_assert_int_eq(admit_enter(&a, k), ADMIT_OK); /* the freed slot, a new address */
    ck_assert_int_eq(a.waiting, 5);
    /* Everyone leaves: every slot is free again, many times over. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
            key_of(k, 10, 0, 0, i == 3 ? 99 : i);
            admit_leave(&a, k);
        }
        ck_assert_int_eq(a.waiting, 0);
        for (int i = 0; i < 5; i++) {
            key_of(k, 10, 1, round, i);
            ck_assert_int_eq(admit_enter(&a, k), ADMIT_OK);
        }
        for (int i = 0; i < 5; i++) {
            key_of(k, 10, 1, round, i);
            admit_leave(&a, k);
        }
        for (int i = 0; i < 5; i++) {
            key_of(k, 10, 0, 0, i == 3 ? 99 : i);
            ck_assert_int_eq(admit_enter(&a, k), ADMIT_OK);
        }
    }
    admit_free(&a);
}
END_TEST

START_TEST(test_admit_leaving_what_was_never_admitted_changes_nothing)
{
    Admit a;
    unsigned char k[ADMIT_KEY_SIZE], other[ADMIT_KEY_SIZE];
    ck_assert(admit_init(&a, 1, 2));
    key_of(k, 1, 2, 3, 4);
    key_of(other, 4, 3, 2, 1);
    admit_leave(&a, k);
    ck_assert_int_eq(a.waiting, 0);
    ck_assert_int_eq(admit_enter(&a, k), ADMIT_OK);
    admit_leave(&a, other);
    ck_assert_int_eq(admit_count(&a, k), 1);
    ck_assert_int_eq(a.waiting, 1);
    admit_free(&a);
}
END_TEST

START_TEST(test_admit_an_ipv4_address_and_its_mapped_ipv6_form_are_one)
{
    Admit a;
    unsigned char v4[ADMIT_KEY_SIZE];
    unsigned char mapped[ADMIT_KEY_SIZE] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
    unsigned char v6loop[ADMIT_KEY_SIZE] = {0};
    v6loop[15] = 1;
    ck_assert(admit_init(&a, 1, 8));
    key_of(v4, 127, 0, 0, 1);
    ck_assert_int_eq(admit_enter(&a, v4), ADMIT_OK);
    ck_assert_int_eq(admit_enter(&a, mapped), ADMIT_ADDRESS_FULL);
    ck_assert_int_eq(admit_enter(&a, v6loop), ADMIT_OK); /* ::1 is another address */
    admit_free(&a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("admit");
    TCase *tc = tcase_create("waiting");
    tcase_add_test(tc, test_admit_one_address_gets_its_share_and_others_still_get_in);
    tcase_add_test(tc, test_admit_the_total_is_bounded_and_slots_come_back);
    tcase_add_test(tc, test_admit_leaving_what_was_never_admitted_changes_nothing);
    tcase_add_test(tc, test_admit_an_ipv4_address_and_its_mapped_ipv6_form_are_one);
    suite_add_tcase(s, tc);
    return s;
}
