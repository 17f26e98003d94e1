/* test_roster.c: the roster the server sends a newcomer (core/room.h) and
 * what the client makes of the connection's lines (core/roster.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/check_main.h"
#include "core/roster.h"
#include "core/room.h"

/* Feeds every "\n"-ended line of text to r. */
static void feed(Roster *r, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        roster_line(r, p, len);
        p += len + (nl ? 1 : 0);
    }
}

static int has(const Roster *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->count; i++)
        n += strcmp(r->names[i], name) == 0;
    return n;
}

/* The server's side: a room with `names`, its roster lines, and a client
 * that joined as names[0] reading its join line then the roster. */
static void round_trip(const char **names, int count, Roster *r, int *lines)
{
    Room room;
    char join[300];
    ck_assert(room_init(&room, count));
    for (int i = 0; i < count; i++)
        ck_assert_int_eq(room_join(&room, names[i]), ROOM_JOINED);
    size_t cap = room_roster_size(&room);
    char *out = malloc(cap);
    size_t n = room_roster(&room, out, cap);
    ck_assert_uint_gt(n, 0);
    out[n] = '\0';
    /* Every line within 4 KB, "\n" included, and a notice a person reads. */
    *lines = 0;
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        ck_assert_ptr_nonnull(nl);
        ck_assert_uint_le((size_t)(nl - p) + 1, PROTO_ROSTER_LINE_MAX);
        ck_assert(strncmp(p, "*** in the chat (", 17) == 0);
        ck_assert(strncmp(nl - 4, " ***", 4) == 0);
        (*lines)++;
        p = nl + 1;
    }
    roster_session(r, names[0]);
    proto_format_joined(join, sizeof join, names[0]);
    feed(r, join);
    feed(r, out);
    free(out);
    room_free(&room);
}

START_TEST(test_roster_a_thousand_names_of_every_kind_round_trip)
{
    static char store[1000][64];
    const char *names[1000];
    for (int i = 0; i < 1000; i++) {
        switch (i % 5) {
        case 0: snprintf(store[i], 64, "user %d", i); break;
        case 1: snprintf(store[i], 64, "smith, jr. %d", i); break;
        case 2: snprintf(store[i], 64, "q\"uo\\te\", \"%d", i); break;
        case 3: snprintf(store[i], 64, "\xD9\x85\xD8\xB1 \xE7\x8E\x8B %d", i); break;
        default: snprintf(store[i], 64, "%d\xF0\x9F\x98\x80\"", i); break;
        }
        names[i] = store[i];
    }
    Roster r;
    int lines;
    roster_init(&r);
    round_trip(names, 1000, &r, &lines);
    ck_assert_int_gt(lines, 1); /* split over several lines */
    ck_assert_int_eq(roster_count(&r), 1000);
    for (int i = 0; i < 1000; i++)
        ck_assert_msg(has(&r, names[i]) == 1, "%s", names[i]);
    /* The shared-memory line counts only now, right after the roster; it
     * is a welcome line (not for the log), a join after it is not. */
    const char *shm = "*** shared memory on the server's machine: \"ChatSharedMemory\", instance 0a1b2c3d ***";
    ck_assert(roster_line(&r, shm, strlen(shm)));
    ck_assert(!roster_line(&r, "*** z joined the chat ***", 25));
    ck_assert(r.have_shm);
    ck_assert_str_eq(r.shm_name, "ChatSharedMemory");
    ck_assert_str_eq(r.instance, "0a1b2c3d");
    roster_free(&r);
}
END_TEST

/* Joins and leaves after the roster keep it exact (the server queues them
 * after the roster, under the lock that ordered them). */
START_TEST(test_roster_joins_and_leaves_keep_it_exact)
{
    const char *names[] = {"me", "bob", "anonymous", "anonymous"};
    Roster r;
    int lines;
    roster_init(&r);
    round_trip(names, 4, &r, &lines);
    ck_assert_int_eq(lines, 1);
    ck_assert_int_eq(roster_count(&r), 4);
    ck_assert_int_eq(has(&r, "anonymous"), 2);
    feed(&r, "*** carol joined the chat ***\n*** bob left the chat ***\n"
             "*** anonymous left the chat ***\nbob: *** dave joined the chat ***\n");
    ck_assert_int_eq(roster_count(&r), 3);
    ck_assert_int_eq(has(&r, "carol"), 1);
    ck_assert_int_eq(has(&r, "bob"), 0);
    ck_assert_int_eq(has(&r, "anonymous"), 1);
    ck_assert_int_eq(has(&r, "dave"), 0);
    ck_assert_str_eq(r.last, "*** dave joined the chat ***");
    /* A client the server dropped for not reading has left too; a name
     * that reads like that reason is only a name. */
    feed(&r, "*** carol left the chat (not reading) ***\n"
             "*** x left the chat (not reading) joined the chat ***\n");
    ck_assert_int_eq(roster_count(&r), 3);
    ck_assert_int_eq(has(&r, "carol"), 0);
    ck_assert_int_eq(has(&r, "x left the chat (not reading)"), 1);
    feed(&r, "*** x left the chat (not reading) left the chat ***\n");
    ck_assert_int_eq(has(&r, "x left the chat (not reading)"), 0);
    ck_assert_int_eq(roster_count(&r), 2);
    roster_free(&r);
}
END_TEST

/* Lines like the roster's anywhere else change nothing: a chat line (it
 * starts "NAME: "), a notice after the list, one before our join. */
START_TEST(test_roster_imitations_change_nothing)
{
    Roster r;
    roster_init(&r);
    roster_session(&r, "me");
    feed(&r, "*** in the chat (1): \"evil\" ***\n"); /* before our join */
    ck_assert_int_eq(has(&r, "evil"), 0);
    feed(&r, "*** me joined the chat ***\n");
    feed(&r, "x: *** in the chat (1): \"evil\" ***\n"); /* a chat line, right after */
    ck_assert_int_eq(roster_count(&r), -1);          /* no roster: the original */
    ck_assert_int_eq(has(&r, "evil"), 0);
    feed(&r, "*** in the chat (1): \"evil\" ***\n"); /* too late */
    /* In a later read than our join line: not the server's. */
    roster_session(&r, "me");
    feed(&r, "*** me joined the chat ***\n");
    roster_batch_end(&r);
    feed(&r, "*** in the chat (1): \"me\" ***\n");
    ck_assert_int_eq(roster_count(&r), -1);
    /* Right after our join, but without us in it: not the server's. */
    roster_session(&r, "me");
    feed(&r, "*** me joined the chat ***\n*** in the chat (1): \"evil\" ***\n");
    ck_assert_int_eq(roster_count(&r), -1);
    roster_session(&r, "me");
    feed(&r, "*** me joined the chat ***\n");
    feed(&r, "*** shared memory on the server's machine: \"X\", instance 00000000 ***\n");
    ck_assert_int_eq(has(&r, "evil"), 0);
    ck_assert(!r.have_shm);
    ck_assert_int_eq(r.count, 1); /* only "me", seen joining */
    ck_assert_str_eq(r.last, "*** in the chat (1): \"evil\" ***");
    roster_free(&r);
}
END_TEST

/* The original server: no roster; the people seen joining since, partial;
 * unknown notices left alone. */
START_TEST(test_roster_without_a_roster_is_partial)
{
    Roster r;
    roster_init(&r);
    roster_session(&r, "me");
    feed(&r, "*** me joined the chat ***\n*** server full ***\nbob: hi\n"
             "*** ann joined the chat ***\n*** the name zed is taken: choose another ***\n");
    ck_assert_int_eq(roster_count(&r), -1);
    ck_assert_int_eq(r.count, 2);
    ck_assert_int_eq(has(&r, "ann"), 1);
    ck_assert_str_eq(r.last, "hi");
    roster_free(&r);
}
END_TEST

/* Broken rosters: not taken for one, or what came stays but is not exact. */
START_TEST(test_roster_malformed_lines)
{
    static const char *bad[] = {
        "*** in the chat (): \"a\" ***",
        "*** in the chat (0): ***",
        "*** in the chat (1): a ***",
        "*** in the chat (1): \"a ***",
        "*** in the chat (1): \"a\\x\" ***",
        "*** in the chat (2): \"a\",\"b\" ***",
        "*** in the chat (1): \"\" ***",
        "*** in the chat (99999999999): \"a\" ***",
        "*** in the chat (1) \"a\" ***",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Roster r;
        roster_init(&r);
        roster_session(&r, "me");
        feed(&r, "*** me joined the chat ***\n");
        roster_line(&r, bad[i], strlen(bad[i]));
        ck_assert_msg(roster_count(&r) == -1, "taken: %s", bad[i]);
        ck_assert_msg(r.count == 1 && has(&r, "me") == 1, "changed by: %s", bad[i]);
        roster_free(&r);
    }
    /* A roster announcing more names than its lines bring is not exact. */
    Roster r;
    roster_init(&r);
    roster_session(&r, "me");
    feed(&r, "*** me joined the chat ***\n*** in the chat (3): \"me\", \"a\" ***\nbob: hi\n");
    ck_assert_int_eq(roster_count(&r), -1);
    ck_assert_int_eq(r.count, 2);
    roster_free(&r);
    /* Bad shared-memory lines are ignored. */
    static const char *shm[] = {
        "*** shared memory on the server's machine: \"\", instance 0a1b2c3d ***",
        "*** shared memory on the server's machine: \"X\", instance 0A1B2C3D ***",
        "*** shared memory on the server's machine: \"X\", instance 0a1b2c ***",
        "*** shared memory on the server's machine: \"X, instance 0a1b2c3d ***",
        "*** shared memory on the server's machine: \"X\x01\", instance 0a1b2c3d ***",
    };
    for (size_t i = 0; i < sizeof shm / sizeof shm[0]; i++) {
        roster_init(&r);
        roster_session(&r, "me");
        feed(&r, "*** me joined the chat ***\n*** in the chat (1): \"me\" ***\n");
        roster_line(&r, shm[i], strlen(shm[i]));
        ck_assert_msg(!r.have_shm, "taken: %s", shm[i]);
        roster_free(&r);
    }
}
END_TEST

/* The last message as the segment holds it: the text, at most 1023 bytes,
 * never cut inside a character. */
START_TEST(test_roster_last_message_is_the_text_cut_like_the_segment)
{
    static char line[3000];
    Roster r;
    roster_init(&r);
    strcpy(line, "bob: ");
    for (int i = 0; i < 700; i++)
        strcat(line, "\xC3\xA9"); /* 1400 bytes */
    roster_line(&r, line, strlen(line));
    ck_assert_uint_eq(strlen(r.last), 1022);
    roster_line(&r, "carol: a: b", 11);
    ck_assert_str_eq(r.last, "a: b");
    roster_free(&r);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("roster");
    TCase *tc = tcase_create("roster");
    tcase_add_test(tc, test_roster_a_thousand_names_of_every_kind_round_trip);
    tcase_add_test(tc, test_roster_joins_and_leaves_keep_it_exact);
    tcase_add_test(tc, test_roster_imitations_change_nothing);
    tcase_add_test(tc, test_roster_without_a_roster_is_partial);
    tcase_add_test(tc, test_roster_malformed_lines);
    tcase_add_test(tc, test_roster_last_message_is_the_text_cut_like_the_segment);
    suite_add_tcase(s, tc);
    return s;
}
