/* test_shm_layout.c: the platform-free rules for the shared segment's bytes
 * (core/shm_layout.h): layout, initial state, message cut, making safe. */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "common/check_main.h"
#include "core/utf8.h"
#include "core/shm_layout.h"

START_TEST(test_layout_matches_the_original)
{
    ck_assert_uint_eq(sizeof(SharedChatData), 1028);
    ck_assert_uint_eq(offsetof(SharedChatData, connectedClients), 0);
    ck_assert_uint_eq(offsetof(SharedChatData, lastMessage), 4);
    ck_assert_str_eq(SHM_DEFAULT_NAME, "ChatSharedMemory");
    ck_assert_str_eq(SHM_DEFAULT_MUTEX_NAME, "ChatSharedMemoryMutex");
}
END_TEST

START_TEST(test_layout_init_is_count_zero_and_no_messages_yet)
{
    SharedChatData d;
    memset(&d, 0xAB, sizeof d);
    shm_layout_init(&d);
    ck_assert_int_eq(d.connectedClients, 0);
    ck_assert_str_eq(d.lastMessage, "No messages yet");
    for (size_t i = sizeof "No messages yet"; i < sizeof d.lastMessage; i++)
        ck_assert_int_eq(d.lastMessage[i], 0);
}
END_TEST

START_TEST(test_layout_set_message_short_text_is_kept_whole)
{
    SharedChatData d;
    shm_layout_init(&d);
    ck_assert_uint_eq(shm_layout_set_message(&d, "hello", 5), 5);
    ck_assert_str_eq(d.lastMessage, "hello");
    /* Nothing of the longer earlier text lingers after the NUL. */
    ck_assert_int_eq(d.lastMessage[6], 0);
    ck_assert_int_eq(d.lastMessage[10], 0);
}
END_TEST

START_TEST(test_layout_set_message_cuts_1500_bytes_on_a_character)
{
    /* 1500 bytes of 2- and 3-byte characters ("é€" repeated). */
    char text[1500];
    SharedChatData d;
    for (int i = 0; i < 300; i++)
        memcpy(text + 5 * i, "\xC3\xA9\xE2\x82\xAC", 5);
    size_t kept = shm_layout_set_message(&d, text, sizeof text);
    ck_assert_uint_le(kept, 1023);
    ck_assert_uint_ge(kept, 1021);
    ck_assert_uint_eq(strlen(d.lastMessage), kept);
    ck_assert(utf8_valid(d.lastMessage, kept));
    ck_assert(memcmp(d.lastMessage, text, kept) == 0);
}
END_TEST

START_TEST(test_layout_set_message_ansi_text_is_cut_at_1023_bytes)
{
    char text[2000];
    SharedChatData d;
    memset(text, 'a', sizeof text);
    ck_assert_uint_eq(shm_layout_set_message(&d, text, sizeof text), 1023);
    ck_assert_uint_eq(strlen(d.lastMessage), 1023);
}
END_TEST

START_TEST(test_layout_make_safe_terminates_a_message_without_nul)
{
    SharedChatData d;
    d.connectedClients = 3;
    memset(d.lastMessage, 'x', sizeof d.lastMessage);
    ck_assert_uint_eq(shm_layout_make_safe(&d), 1023);
    ck_assert_int_eq(d.lastMessage[1023], 0);
    ck_assert_int_eq(d.connectedClients, 3);
}
END_TEST

START_TEST(test_layout_make_safe_keeps_an_early_nul)
{
    SharedChatData d;
    memset(d.lastMessage, 'x', sizeof d.lastMessage);
    d.lastMessage[5] = '\0';
    ck_assert_uint_eq(shm_layout_make_safe(&d), 5);
}
END_TEST

START_TEST(test_layout_step_count_never_overflows_or_goes_negative)
{
    ck_assert_int_eq(shm_layout_step_count(0, +1), 1);
    ck_assert_int_eq(shm_layout_step_count(5, -1), 4);
    ck_assert_int_eq(shm_layout_step_count(0, -1), 0);
    ck_assert_int_eq(shm_layout_step_count(INT_MAX, +1), INT_MAX);
    /* A hostile negative count stays visible as what it is. */
    ck_assert_int_eq(shm_layout_step_count(-7, +1), -7);
    ck_assert_int_eq(shm_layout_step_count(INT_MIN, -1), INT_MIN);
}
END_TEST

START_TEST(test_layout_mutex_name_is_name_plus_mutex)
{
    char out[SHM_NAME_MAX];
    char longname[SHM_NAME_MAX];

    ck_assert(shm_layout_mutex_name("ChatSharedMemory", out, sizeof out));
    ck_assert_str_eq(out, "ChatSharedMemoryMutex");
    ck_assert(shm_layout_mutex_name("Local\\Test", out, sizeof out));
    ck_assert_str_eq(out, "Local\\TestMutex");
    ck_assert(!shm_layout_mutex_name("", out, sizeof out));
    ck_assert_str_eq(out, "");
    ck_assert(!shm_layout_mutex_name("ChatSharedMemory", out, 10));
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert(!shm_layout_mutex_name(longname, out, sizeof out));
}
END_TEST

START_TEST(test_layout_object_names_are_in_the_session_namespace)
{
    char out[SHM_NAME_MAX];
    char name[SHM_NAME_MAX];

    ck_assert(shm_layout_object_name("ChatSharedMemory", "", out, sizeof out));
    ck_assert_str_eq(out, "Local\\ChatSharedMemory");
    ck_assert(shm_layout_object_name("ChatSharedMemory", SHM_MUTEX_SUFFIX, out, sizeof out));
    ck_assert_str_eq(out, "Local\\ChatSharedMemoryMutex");
    /* A name with its own namespace keeps it. */
    ck_assert(shm_layout_object_name("Global\\Chat", SHM_ALIVE_SUFFIX, out, sizeof out));
    ck_assert_str_eq(out, "Global\\ChatAlive");
    ck_assert(!shm_layout_object_name("", "", out, sizeof out));
    ck_assert_str_eq(out, "");
    /* The longest name that fits, prefix and suffix included, and one more. */
    size_t n = SHM_NAME_MAX - 1 - 6 - 5;
    memset(name, 'n', n);
    name[n] = '\0';
    ck_assert(shm_layout_object_name(name, SHM_MUTEX_SUFFIX, out, sizeof out));
    ck_assert_uint_eq(strlen(out), SHM_NAME_MAX - 1);
    name[n] = 'n';
    name[n + 1] = '\0';
    ck_assert(!shm_layout_object_name(name, SHM_MUTEX_SUFFIX, out, sizeof out));
    ck_assert(!shm_layout_object_name("ChatSharedMemory", "", out, 10));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("shm_layout");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_layout_matches_the_original);
    tcase_add_test(tc, test_layout_init_is_count_zero_and_no_messages_yet);
    tcase_add_test(tc, test_layout_set_message_short_text_is_kept_whole);
    tcase_add_test(tc, test_layout_set_message_cuts_1500_bytes_on_a_character);
    tcase_add_test(tc, test_layout_set_message_ansi_text_is_cut_at_1023_bytes);
    tcase_add_test(tc, test_layout_make_safe_terminates_a_message_without_nul);
    tcase_add_test(tc, test_layout_make_safe_keeps_an_early_nul);
    tcase_add_test(tc, test_layout_step_count_never_overflows_or_goes_negative);
    tcase_add_test(tc, test_layout_mutex_name_is_name_plus_mutex);
    tcase_add_test(tc, test_layout_object_names_are_in_the_session_namespace);
    suite_add_tcase(s, tc);
    return s;
}
