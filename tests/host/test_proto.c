/* test_proto.c: the original protocol's rules (core/proto.h) and the
 * server's command line (core/server_opts.h). */
#include <string.h>

#include "common/check_main.h"
#include "core/proto.h"
#include "core/server_opts.h"

static const struct {
    const char *hello;
    const char *name;
} hellos[] = {
    {"USERNAME:alice", "alice"},
    {"USERNAME:  bob \t", "bob"},
    {"USERNAME:ca\rr\nol", "carol"},             /* CR/LF stripped */
    {"USERNAME:\x01" "d\x7f" "ave\x1b", "dave"}, /* control characters removed */
    {"USERNAME:", "anonymous"},
    {"USERNAME:   ", "anonymous"},
    {"hello there", "anonymous"},                /* not a hello */
    {"username:eve", "anonymous"},               /* the prefix is case-sensitive */
    {"USERNAME:\xC3\xA9lodie", "\xC3\xA9lodie"}, /* UTF-8 kept */
    {"USERNAME:\xE9lodie", "\xE9lodie"},         /* ANSI kept */
    {"USERNAME:abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz012345"},
    {"USERNAME:\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7"},
    /* Nothing invisible survives, so no name can pass for another: */
    {"USERNAME:ali\xE2\x80\xAE" "ce", "alice"},               /* right-to-left override */
    {"USERNAME:\xE2\x80\x8B" "bob\xEF\xBB\xBF", "bob"},       /* zero width space, BOM */
    {"USERNAME:eve\xE2\x81\xA7x\xE2\x81\xA9", "evex"},       /* isolates */
    {"USERNAME:ca\xE2\x80\x8D" "rol\xE2\x80\x8E", "carol"},   /* ZWJ, LRM */
    {"USERNAME:trent\xF3\xA0\x81\x81", "trent"},             /* tag U+E0041 */
    {"USERNAME:peggy\xEF\xB8\x8F", "peggy"},                  /* variation selector 16 */
    {"USERNAME:\xC2\x85victor\xC2\xAD", "victor"},            /* C1 NEL, soft hyphen */
    {"USERNAME:\xE2\x80\xAE\xE2\x80\xAC", "anonymous"},       /* nothing visible left */
    /* Other spaces look like spaces: they become spaces, and are trimmed. */
    {"USERNAME:\xC2\xA0mallory\xE3\x80\x80", "mallory"},
    {"USERNAME:a\xE2\x80\x83" "b", "a b"},
    /* No name reads as another's line or a notice: */
    {"USERNAME:alice: I am leaving, bye", "alice I am leaving, bye"},
    {"USERNAME:*** alice left the chat ***", "alice left the chat ***"},
    {"USERNAME:bob\xEF\xBC\x9A hi", "bob hi"},                 /* fullwidth colon */
    /* Blank look-alikes and stacked marks: */
    {"USERNAME:\xE2\xA0\x80\xE2\xA0\x80", "anonymous"},         /* braille blank */
    {"USERNAME:\xCC\x81\xCC\x81\xCC\x81", "anonymous"},         /* marks on nothing */
    {"USERNAME:e\xCC\x81\xCC\x82\xCC\x83\xCC\x84", "e\xCC\x81\xCC\x82"}, /* two kept */
    {"USERNAME:a \xCC\x81" "b", "a b"},                         /* a mark on a space */
    {"USERNAME:x\xF0\x9B\xB2\xA0y", "xy"},                    /* shorthand format control */
    {"USERNAME:**\xCC\xAE", "anonymous"},     /* stars go first: the mark sits on nothing */
    {"USERNAME:a\xCD\x8F" "b", "ab"},          /* the grapheme joiner is no mark */
    /* Right-to-left names need no marks: the letters stay, the mark goes. */
    {"USERNAME:\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85\xE2\x80\x8F", "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"},
};

START_TEST(test_proto_hello_table)
{
    char name[PROTO_NAME_BUF];
    proto_parse_hello(hellos[_i].hello, strlen(hellos[_i].hello), name);
    ck_assert_str_eq(name, hellos[_i].name);
}
END_TEST

START_TEST(test_proto_name_removal_cannot_join_an_override)
{
    /* Found by fuzz_proto (fuzz/regress/fuzz_proto/): taking the NUL out of
     * "\xE2" NUL "\x80\xAE" joined the bytes around it into U+202E, the
     * very override the cleaning removes. Nested, each removal makes the
     * next one. */
    static const char hello[] = "USERNAME:\xE2\x00\x80\xAE" "evil";
    static const char nested[] = "USERNAME:\xE2\xE2\x01\x80\xAE\x80\xAE" "evil";
    char name[PROTO_NAME_BUF];
    proto_parse_hello(hello, sizeof hello - 1, name);
    ck_assert_str_eq(name, "evil");
    proto_parse_hello(nested, sizeof nested - 1, name);
    ck_assert_str_eq(name, "evil");
}
END_TEST

START_TEST(test_proto_name_is_cut_at_32_characters_not_bytes)
{
    /* 40 x "é": 32 characters kept = 64 bytes, never half a character. */
    char hello[9 + 80 + 1] = "USERNAME:";
    char name[PROTO_NAME_BUF];
    for (int i = 0; i < 40; i++)
        memcpy(hello + 9 + 2 * i, "\xC3\xA9", 2);
    hello[89] = '\0';
    proto_parse_hello(hello, strlen(hello), name);
    ck_assert_uint_eq(strlen(name), 64);
}
END_TEST

START_TEST(test_proto_huge_hello_is_bounded)
{
    static char hello[5000];
    char name[PROTO_NAME_BUF];
    memcpy(hello, "USERNAME:", 9);
    memset(hello + 9, 'z', sizeof hello - 9);
    proto_parse_hello(hello, sizeof hello, name);
    ck_assert_uint_eq(strlen(name), 32);
}
END_TEST

START_TEST(test_proto_clean_text_removes_c0_but_tab)
{
    char s[] = "a\0b\tc\x01\x1f\x7f\xC3\xA9\r\n";
    size_t n = proto_clean_text(s, sizeof s - 1);
    ck_assert_uint_eq(n, 7);
    ck_assert(memcmp(s, "ab\tc\x7f\xC3\xA9", 7) == 0);
}
END_TEST

START_TEST(test_proto_quit_anywhere)
{
    ck_assert(proto_is_quit("/quit", 5));
    ck_assert(proto_is_quit("bye /quit now", 13));
    ck_assert(!proto_is_quit("/qui", 4));
    ck_assert(!proto_is_quit("/QUIT", 5));
    ck_assert(!proto_is_quit("", 0));
}
END_TEST

START_TEST(test_proto_lines)
{
    char out[PROTO_OUT_MAX];
    size_t n = proto_format_chat(out, sizeof out, "alice", "hi\tthere", 8);
    ck_assert_uint_eq(n, 16);
    ck_assert(memcmp(out, "alice: hi\tthere\n", 16) == 0);
    n = proto_format_joined(out, sizeof out, "bob");
    ck_assert_uint_eq(n, strlen("*** bob joined the chat ***\n"));
    ck_assert(memcmp(out, "*** bob joined the chat ***\n", n) == 0);
    n = proto_format_left(out, sizeof out, "bob");
    ck_assert(memcmp(out, "*** bob left the chat ***\n", n) == 0);
    n = proto_format_left_not_reading(out, sizeof out, "bob");
    ck_assert_uint_eq(n, strlen("*** bob left the chat (not reading) ***\n"));
    ck_assert(memcmp(out, "*** bob left the chat (not reading) ***\n", n) == 0);
    n = proto_format_slowed(out, sizeof out, 10, 1);
    ck_assert(memcmp(out, "*** you are sending too fast (over 1 line at once or 10 a second): "
                          "your lines are delayed, not lost ***\n", n) == 0);
    /* Too small a buffer: cut, never overflowed. */
    n = proto_format_chat(out, 10, "alice", "0123456789", 10);
    ck_assert_uint_le(n, 10);
}
END_TEST

START_TEST(test_proto_name_taken_line)
{
    char out[PROTO_OUT_MAX];
    size_t n = proto_format_name_taken(out, sizeof out, "alice");
    ck_assert_str_eq(out, "*** the name alice is taken: choose another ***\n");
    ck_assert_uint_eq(n, strlen(out));
    ck_assert_uint_eq(proto_format_name_taken(out, 10, "alice"), 0); /* does not fit */
    proto_format_name_taken(out, sizeof out, "alice");
    ck_assert(proto_is_name_taken(out, n - 1, "alice"));
    ck_assert(!proto_is_name_taken(out, n - 1, "alic"));
    ck_assert(!proto_is_name_taken(out, n - 2, "alice"));
    ck_assert(!proto_is_name_taken("*** the name ", 13, ""));
}
END_TEST

START_TEST(test_proto_longest_chat_line_fits_out_max)
{
    static char text[PROTO_LINE_MAX];
    char name[PROTO_NAME_BUF];
    static char out[PROTO_OUT_MAX];
    memset(text, 't', sizeof text);
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    ck_assert_uint_eq(proto_format_chat(out, sizeof out, name, text, sizeof text),
                      PROTO_OUT_MAX - 1); /* room for a NUL to spare */
}
END_TEST

/* --- server options -------------------------------------------------------- */

static ServerOptsResult parse(ServerOptions *o, char *err, const char *a1, const char *a2,
                              const char *a3)
{
    char *argv[5] = {"chat_server", (char *)a1, (char *)a2, (char *)a3, NULL};
    int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
    return server_opts_parse(argc, argv, o, err, 200);
}

START_TEST(test_server_opts_defaults)
{
    ServerOptions o;
    char err[200];
    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.port, 12345);
    ck_assert_str_eq(o.bind, ""); /* 127.0.0.1 and ::1 */
    ck_assert_int_eq(o.max_clients, 256);
    ck_assert_uint_eq(o.rate, 10);
    ck_assert_uint_eq(o.burst, 50);
    ck_assert_uint_eq(o.stall_timeout_s, 60);
    ck_assert_int_eq(o.per_address, 8);
    ck_assert_str_eq(o.shm_name, "ChatSharedMemory");
    ck_assert_uint_eq(o.hello_timeout_s, 30);
}
END_TEST

START_TEST(test_server_opts_values)
{
    ServerOptions o;
    char err[200];
    ck_assert_int_eq(parse(&o, err, "--port", "2000", "--bind=0.0.0.0"), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.port, 2000);
    ck_assert_str_eq(o.bind, "0.0.0.0");
    ck_assert_int_eq(parse(&o, err, "--max-clients=3", "--shm-name", "X"), SERVER_OPTS_RUN);
    ck_assert_int_eq(o.max_clients, 3);
    ck_assert_str_eq(o.shm_name, "X");
    ck_assert_int_eq(parse(&o, err, "--shm-name", "Global\\Chat", NULL), SERVER_OPTS_RUN);
    ck_assert_str_eq(o.shm_name, "Global\\Chat");
    ck_assert_int_eq(parse(&o, err, "--hello-timeout", "0", NULL), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.hello_timeout_s, 0);
    ck_assert_int_eq(parse(&o, err, "--hello-timeout=3600", NULL, NULL), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.hello_timeout_s, 3600);
    ck_assert_int_eq(parse(&o, err, "--rate=0", "--burst", "7"), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.rate, 0);
    ck_assert_uint_eq(o.burst, 7);
    ck_assert_int_eq(parse(&o, err, "--stall-timeout", "2", "--per-address=1"), SERVER_OPTS_RUN);
    ck_assert_uint_eq(o.stall_timeout_s, 2);
    ck_assert_int_eq(o.per_address, 1);
    static const char *const v6[] = {"::",  "::1",     "fe80::1",          "1:2:3:4:5:6:7:8",
                                     "1::", "::ffff:127.0.0.1", "2001:db8::a:B:c", "1:2:3:4:5:6::"};
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        ck_assert_msg(parse(&o, err, "--bind", v6[i], NULL) == SERVER_OPTS_RUN, "%s: %s", v6[i],
                      err);
        ck_assert_str_eq(o.bind, v6[i]);
    }
    ck_assert_int_eq(parse(&o, err, "--bind", "[::1]", NULL), SERVER_OPTS_RUN);
    ck_assert_str_eq(o.bind, "::1"); /* as the client writes it */
    ck_assert_int_eq(parse(&o, err, "--help", NULL, NULL), SERVER_OPTS_HELP);
    ck_assert_int_eq(parse(&o, err, "--version", NULL, NULL), SERVER_OPTS_VERSION);
}
END_TEST

static const struct {
    const char *a1, *a2;
    const char *says;
} bad[] = {
    {"--port", "0", "--port"},
    {"--port", "65536", "--port"},
    {"--port", "12a", "--port"},
    {"--port", "-1", "--port"},
    {"--port", NULL, "needs a value"},
    {"--bind", "256.1.1.1", "--bind"},
    {"--bind", "1.2.3", "--bind"},
    {"--bind", "1.2.3.4.5", "--bind"},
    {"--bind", "localhost", "--bind"},
    {"--bind", ":::", "--bind"},
    {"--bind", "1::2::3", "--bind"},
    {"--bind", "1:2:3:4:5:6:7:8:9", "--bind"},
    {"--bind", "1:2:3:4:5:6:7", "--bind"},
    {"--bind", "12345::", "--bind"},
    {"--bind", "[::1", "--bind"},
    {"--bind", "[127.0.0.1", "--bind"},
    {"--bind", "::1%1", "--bind"},
    {"--bind", "1:", "--bind"},
    {"--bind", ":1", "--bind"},
    {"--bind", "::1.2.3", "--bind"},
    {"--rate", "-1", "--rate"},
    {"--rate", "1000001", "--rate"},
    {"--burst", "x", "--burst"},
    {"--stall-timeout", "3601", "--stall-timeout"},
    {"--per-address", "0", "--per-address"},
    {"--max-clients", "0", "--max-clients"},
    {"--max-clients", "99999999999999999999", "--max-clients"},
    {"--shm-name", "", "--shm-name"},
    {"--hello-timeout", "3601", "--hello-timeout"},
    {"--shm-name", "a\\b", "may only follow Local or Global"},
    {"--shm-name", "Local\\", "may only follow Local or Global"},
    {"--shm-name", "Local\\a\\b", "may only follow Local or Global"},
    {"--hello-timeout", "1.5", "--hello-timeout"},
    {"--frobnicate", NULL, "unknown option '--frobnicate'"},
    {"extra", NULL, "unknown option 'extra'"},
};

START_TEST(test_server_opts_errors_say_which_and_why)
{
    ServerOptions o;
    char err[200];
    ck_assert_int_eq(parse(&o, err, bad[_i].a1, bad[_i].a2, NULL), SERVER_OPTS_ERROR);
    ck_assert_msg(strstr(err, bad[_i].says) != NULL, "case %d: %s", _i, err);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("proto");
    TCase *tc = tcase_create("protocol");
    TCase *opts = tcase_create("options");
    tcase_add_loop_test(tc, test_proto_hello_table, 0, sizeof hellos / sizeof hellos[0]);
    tcase_add_test(tc, test_proto_name_removal_cannot_join_an_override);
    tcase_add_test(tc, test_proto_name_is_cut_at_32_characters_not_bytes);
    tcase_add_test(tc, test_proto_huge_hello_is_bounded);
    tcase_add_test(tc, test_proto_clean_text_removes_c0_but_tab);
    tcase_add_test(tc, test_proto_quit_anywhere);
    tcase_add_test(tc, test_proto_lines);
    tcase_add_test(tc, test_proto_longest_chat_line_fits_out_max);
    tcase_add_test(tc, test_proto_name_taken_line);
    tcase_add_test(opts, test_server_opts_defaults);
    tcase_add_test(opts, test_server_opts_values);
    tcase_add_loop_test(opts, test_server_opts_errors_say_which_and_why, 0,
                        sizeof bad / sizeof bad[0]);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, opts);
    return s;
}
