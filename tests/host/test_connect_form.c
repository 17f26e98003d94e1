/* test_connect_form.c: File > Connect...'s check and the name offered when
 * one is taken (core/connect_form.h). */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "core/connect_form.h"

static const struct {
    const char *server, *port;
    const char *host; /* NULL: refused */
    unsigned short want_port;
} servers[] = {
    {"localhost", "23456", "localhost", 23456},
    {"localhost:23456", "1", "localhost", 23456},   /* the box's port wins */
    {"localhost:23456", "", "localhost", 23456},    /* the port box may be empty */
    {"  chat.example:99 ", "1", "chat.example", 99},
    {"127.0.0.1:8080", "1", "127.0.0.1", 8080},
    {"[::1]:23456", "1", "::1", 23456},
    {"[::1]", "4000", "::1", 4000},
    {"::1", "4000", "::1", 4000},                   /* a bare IPv6 address */
    {"fe80::1:2", "5", "fe80::1:2", 5},
    {"[fe80::1]", "", NULL, 0},                     /* no port anywhere */
    {"localhost:", "1", NULL, 0},
    {"localhost:0", "1", NULL, 0},
    {"localhost:65536", "1", NULL, 0},
    {"localhost:12ab", "1", NULL, 0},
    {"[::1", "1", NULL, 0},
    {"[::1]x", "1", NULL, 0},
    {"[::1]:", "1", NULL, 0},
    {"[]:5", "1", NULL, 0},
    {"", "1", NULL, 0},
    {"   ", "1", NULL, 0},
    {":5", "1", NULL, 0},
    {"two words", "1", NULL, 0},
    {"a[b", "1", NULL, 0},
    {"host", "0", NULL, 0},
    {"host", "x", NULL, 0},
};

START_TEST(test_connect_form_server_box)
{
    ConnectTarget t;
    char err[200];
    memset(&t, 0, sizeof t);
    bool ok = connect_form_check(servers[_i].server, servers[_i].port, "alice", &t, err,
                                 sizeof err, NULL);
    if (servers[_i].host == NULL) {
        ck_assert_msg(!ok, "'%s' '%s' accepted as '%s' port %u", servers[_i].server,
                      servers[_i].port, t.host, t.port);
        ck_assert_msg(err[0] >= 'A' && err[0] <= 'Z' && strchr(err, '.') != NULL &&
                          strstr(err, "--") == NULL,
                      "not a sentence: '%s'", err);
    } else {
        ck_assert_msg(ok, "'%s' refused: %s", servers[_i].server, err);
        ck_assert_str_eq(t.host, servers[_i].host);
        ck_assert_uint_eq(t.port, servers[_i].want_port);
        ck_assert_str_eq(t.user, "alice");
    }
}
END_TEST

/* What the dialog accepts, the settings read back and format the same. */
START_TEST(test_connect_form_round_trips_through_the_settings_format)
{
    const char *boxes[] = {"localhost:23456", "[::1]:5", "::1", "chat.example"};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        ConnectTarget t;
        char err[200], text[300], host[CLIENT_HOST_MAX];
        unsigned short port = 0;
        ck_assert(connect_form_check(boxes[i], "7", "bob", &t, err, sizeof err, NULL));
        client_format_server(text, sizeof text, t.host, t.port);
        ck_assert_msg(client_parse_server(text, host, sizeof host, &port, err, sizeof err),
                      "%s -> %s: %s", boxes[i], text, err);
        ck_assert_str_eq(host, t.host);
        ck_assert_uint_eq(port, t.port);
    }
}
END_TEST

START_TEST(test_connect_form_names)
{
    ConnectTarget t;
    char err[200], name[200];

    /* 32 characters pass, 33 and 40 are refused with the count, not cut. */
    memset(name, 'n', 32);
    name[32] = '\0';
    ck_assert(connect_form_check("h", "1", name, &t, err, sizeof err, NULL));
    ck_assert_str_eq(t.user, name);
    memset(name, 'n', 40);
    name[40] = '\0';
    ck_assert(!connect_form_check("h", "1", name, &t, err, sizeof err, NULL));
    ck_assert_msg(strstr(err, "40") && strstr(err, "32"), "%s", err);
    name[33] = '\0';
    ck_assert(!connect_form_check("h", "1", name, &t, err, sizeof err, NULL));

    /* 32 CJK characters (96 bytes) are 32 characters. */
    name[0] = '\0';
    for (int i = 0; i < 32; i++)
        strcat(name, "\xE7\x8E\x8B");
    ck_assert_msg(connect_form_check("h", "1", name, &t, err, sizeof err, NULL), "%s", err);
    /* Surrounding spaces do not count; an empty name is refused. */
    ck_assert(connect_form_check("h", "1", "  zoe  ", &t, err, sizeof err, NULL));
    ck_assert_str_eq(t.user, "zoe");
    ck_assert(!connect_form_check("h", "1", "   ", &t, err, sizeof err, NULL));
    ck_assert(!connect_form_check("h", "1", "", &t, err, sizeof err, NULL));
    /* A refusal leaves the target as it was. */
    snprintf(t.host, sizeof t.host, "kept");
    ck_assert(!connect_form_check("x:0", "1", "a", &t, err, sizeof err, NULL));
    ck_assert_str_eq(t.host, "kept");
}
END_TEST

START_TEST(test_connect_form_next_name)
{
    static const char *cases[][2] = {
        {"bob", "bob2"},
        {"bob2", "bob3"},
        {"bob9", "bob10"},
        {"r2d2", "r2d3"},
        {"a 1", "a 2"},
        {"\xE7\x8E\x8B", "\xE7\x8E\x8B" "2"},
        {"bob999999999", "bob1000000000"}, /* nine digits at most are read */
    };
    char out[PROTO_NAME_BUF];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        connect_form_next_name(cases[i][0], out);
        ck_assert_str_eq(out, cases[i][1]);
    }
    /* At the cap the start is cut, never inside a character. */
    char name[200] = "";
    for (int i = 0; i < 32; i++)
        strcat(name, "\xE7\x8E\x8B");
    connect_form_next_name(name, out);
    ConnectTarget t;
    char err[200];
    ck_assert_msg(connect_form_check("h", "1", out, &t, err, sizeof err, NULL), "%s", err);
    ck_assert_str_eq(t.user, out);
    ck_assert_uint_eq(strlen(out), 31 * 3 + 1);
    ck_assert_str_eq(out + 93, "2");
    memset(name, 'z', 31);
    strcpy(name + 31, "9");
    connect_form_next_name(name, out);
    ck_assert_uint_eq(strlen(out), 32);
    ck_assert_str_eq(out + 30, "10");
}
END_TEST

START_TEST(test_connect_form_says_which_box_and_reads_the_servers_port)
{
    ConnectTarget t;
    ConnectField field;
    char err[200];
    unsigned short port = 0;
    ck_assert(!connect_form_check("a b", "1", "x", &t, err, sizeof err, &field));
    ck_assert_int_eq(field, CONNECT_FIELD_SERVER);
    ck_assert(!connect_form_check("h", "0", "x", &t, err, sizeof err, &field));
    ck_assert_int_eq(field, CONNECT_FIELD_PORT);
    ck_assert(!connect_form_check("h", "1", "", &t, err, sizeof err, &field));
    ck_assert_int_eq(field, CONNECT_FIELD_USER);
    ck_assert(connect_form_server_port("localhost:9999", &port));
    ck_assert_uint_eq(port, 9999);
    ck_assert(connect_form_server_port(" [::1]:7 ", &port));
    ck_assert_uint_eq(port, 7);
    port = 5;
    ck_assert(!connect_form_server_port("localhost", &port));
    ck_assert(!connect_form_server_port("::1", &port));
    ck_assert(!connect_form_server_port("localhost:0", &port));
    ck_assert(!connect_form_server_port("local host:9", &port));
    ck_assert_uint_eq(port, 5);
}
END_TEST

START_TEST(test_connect_form_loopback_hosts)
{
    ck_assert(client_host_is_loopback("localhost"));
    ck_assert(client_host_is_loopback("LocalHost"));
    ck_assert(client_host_is_loopback("127.0.0.1"));
    ck_assert(client_host_is_loopback("127.1.2.3"));
    ck_assert(client_host_is_loopback("::1"));
    ck_assert(!client_host_is_loopback("localhost.example"));
    ck_assert(!client_host_is_loopback("localhos"));
    ck_assert(!client_host_is_loopback("10.0.0.1"));
    ck_assert(!client_host_is_loopback("1270.0.0.1"));
    ck_assert(!client_host_is_loopback(""));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("connect_form");
    TCase *tc = tcase_create("form");
    tcase_add_loop_test(tc, test_connect_form_server_box, 0,
                        (int)(sizeof servers / sizeof servers[0]));
    tcase_add_test(tc, test_connect_form_round_trips_through_the_settings_format);
    tcase_add_test(tc, test_connect_form_names);
    tcase_add_test(tc, test_connect_form_next_name);
    tcase_add_test(tc, test_connect_form_loopback_hosts);
    tcase_add_test(tc, test_connect_form_says_which_box_and_reads_the_servers_port);
    suite_add_tcase(s, tc);
    return s;
}
