/* test_server.c: chat_server.exe as a real process on real loopback sockets,
 * against the facts of the original protocol and the fixes we promise. */
#include "common/tconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <psapi.h>

#include "common/check_main.h"
#include "common/winproc.h"
#include "core/proto.h"
#include "server/server.h"
#include "core/roster.h"
#include "shm/presence.h"
#include "shm/shm.h"
#include "win/objsec.h"

static unsigned short port;
static char shm_name[128];
static HANDLE server;

static void start_server(const char *extra)
{
    port = tc_free_port();
    tp_unique_name(shm_name, sizeof shm_name, "srv");
    server = tc_server(port, shm_name, extra);
}

static void setup(void)
{
    start_server(NULL);
}

static void teardown(void)
{
    if (server) {
        tp_kill(server);
        server = NULL;
    }
}

/* The shared count, polled until it equals `want` or `ms` pass. */
static int count_within(int want, DWORD ms)
{
    ChatShm *shm;
    SharedChatData d;
    ck_assert_int_eq(shm_attach(shm_name, &shm).status, SHM_OK);
    for (ULONGLONG end = GetTickCount64() + ms;;) {
        ck_assert(!SHM_FAILED(shm_snapshot(shm, 100, &d)));
        if (d.connectedClients == want || GetTickCount64() >= end)
            break;
        Sleep(20);
    }
    shm_close(shm);
    return d.connectedClients;
}

static int count_becomes(int want)
{
    return count_within(want, 5000);
}

/* The server's log once it holds `needle` (below). */
static char *log_with(const char *needle, DWORD ms);

/* The segment's last message, polled until it is `want` (it follows the
 * chat within SERVER_SHM_SETTLE_MS, written by the server's main thread
 * after the line went out) or a second passes. */
static void last_message_is(const char *want)
{
    ChatShm *shm;
    SharedChatData d;
    ck_assert_int_eq(shm_attach(shm_name, &shm).status, SHM_OK);
    for (ULONGLONG end = GetTickCount64() + 1000;; Sleep(5)) {
        ck_assert(!SHM_FAILED(shm_snapshot(shm, 100, &d)));
        if (strcmp(d.lastMessage, want) == 0 || GetTickCount64() >= end)
            break;
    }
    shm_close(shm);
    ck_assert_str_eq(d.lastMessage, want);
}

/* --- protocol conformance -------------------------------------------------- */

START_TEST(test_server_hello_join_and_relay_to_everyone)
{
    TConn *alice = tc_join(port, "alice");
    TConn *bob = tc_join(port, "bob");
    tc_expect(alice, "*** bob joined the chat ***", 5000);
    ck_assert_int_eq(count_becomes(2), 2);

    tc_sends(alice, "hello bob\n");
    tc_expect(alice, "alice: hello bob", 5000); /* the sender too */
    tc_expect(bob, "alice: hello bob", 5000);
    last_message_is("hello bob"); /* raw text, no name */

    tc_close(alice);
    tc_close(bob);
    ck_assert_int_eq(count_becomes(0), 0);
}
END_TEST

static char *server_log(void);

/* A message with a line separator and a right-to-left override leaves one
 * line in the server's log, with both spelled out: no message can forge a
 * log line (issue 16). */
START_TEST(test_server_log_spells_out_what_could_forge_a_line)
{
    TConn *mallory = tc_join(port, "mallory");
    tc_sends(mallory, "hi\xE2\x80\xA8[2026-12-02 10:00:00] #1 alice: I resign"
                      "\xE2\x80\xAE!olleh\xC2\x85x\n");
    tc_expect(mallory, "mallory: hi\xE2\x80\xA8[2026-12-02 10:00:00] #1 alice: I resign"
                       "\xE2\x80\xAE!olleh\xC2\x85x", 5000); /* relayed as it came */
    tc_close(mallory);
    /* A name is shown the same way: its "<" cannot pass for an escape. */
    TConn *fake = tc_join(port, "<U+202E>eve");
    tc_sends(fake, "x\n");
    tc_expect(fake, "<U+202E>eve: x", 5000);
    tc_close(fake);
    /* A name that reads like a notice: the server's own lines about a
     * connection carry "* " after the id, a chat line never. */
    TConn *bobleft = tc_join(port, "bob left");
    tc_sends(bobleft, "quit\n");
    tc_expect(bobleft, "bob left: quit", 5000);
    tc_close(bobleft);
    char *log = NULL;
    const char *hit = NULL;
    for (int i = 0; i < 300 && hit == NULL; i++, Sleep(10)) {
        free(log);
        log = server_log();
        hit = strstr(log, "mallory: hi<U+2028>[2026-12-02 10:00:00] #1 alice: I resign"
                          "<U+202E>!olleh<U+0085>x\r\n");
        if (hit && (!strstr(log, "<U+003C>U+202E>eve: x\r\n") ||
                    !strstr(log, "<U+003C>U+202E>eve left: ") ||
                    !strstr(log, ": bob left left: ")))
            hit = NULL;
    }
    ck_assert_msg(hit != NULL, "log: %s", log);
    ck_assert(strstr(log, "<U+003C>U+202E>eve joined the chat") != NULL);
    ck_assert(strstr(log, "<U+003C>U+202E>eve left: ") != NULL);
    ck_assert(strstr(log, "\xE2\x80\xA8") == NULL);
    ck_assert(strstr(log, "\xE2\x80\xAE") == NULL);
    ck_assert(strstr(log, "\xC2\x85") == NULL);
    ck_assert(strstr(log, ": bob left joined the chat\r\n") != NULL);
    const char *said = strstr(log, " bob left: quit\r\n");
    ck_assert_msg(said != NULL && said[-1] >= '0' && said[-1] <= '9', "log: %s", log);
    ck_assert(strstr(log, ": bob left: quit") == NULL);
    free(log);
}
END_TEST

START_TEST(test_server_quit_ends_the_session_and_others_hear_it)
{
    char line[200];
    TConn *alice = tc_join(port, "alice");
    TConn *bob = tc_join(port, "bob");
    tc_expect(alice, "*** bob joined the chat ***", 5000);

    tc_sends(bob, "ok bye /quit\n");
    ck_assert(tc_closed(bob, 5000));
    tc_expect(alice, "*** bob left the chat ***", 5000);
    ck_assert_int_eq(count_becomes(1), 1);
    /* The quitting message itself was not relayed. */
    tc_sends(alice, "still here\n");
    ck_assert(tc_line(alice, line, sizeof line, 5000));
    ck_assert_str_eq(line, "alice: still here");
    tc_close(bob);
    tc_close(alice);
}
END_TEST

/* Reads lines from c into r until `until` arrives (asserted within 5 s). */
static void read_into(TConn *c, Roster *r, const char *until)
{
    static char line[70000];
    for (;;) {
        ck_assert_msg(tc_line(c, line, sizeof line, 5000), "no '%s'", until);
        roster_line(r, line, strlen(line));
        if (strcmp(line, until) == 0)
            return;
    }
}

static int roster_has(const Roster *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->count; i++)
        n += strcmp(r->names[i], name) == 0;
    return n;
}

/* A newcomer hears who is in the chat and where the server's shared memory
 * is, and that instance is the one running on this machine. */
START_TEST(test_server_a_newcomer_gets_the_roster_and_the_instance)
{
    char line[5000];
    TConn *a = tc_join(port, "alice, the first");
    TConn *b = tc_join(port, "bob \"quoted\"");
    TConn *c = tc_connect(port);
    Roster r;
    roster_init(&r);
    roster_session(&r, "carol");
    tc_sends(c, "USERNAME:carol\n");
    read_into(c, &r, "*** carol joined the chat ***");
    ck_assert(tc_line(c, line, sizeof line, 5000));
    ck_assert_str_eq(line, "*** in the chat (3): \"alice, the first\", \"bob \\\"quoted\\\"\", "
                           "\"carol\" ***");
    roster_line(&r, line, strlen(line));
    ck_assert(tc_line(c, line, sizeof line, 5000));
    roster_line(&r, line, strlen(line));
    ck_assert_int_eq(roster_count(&r), 3);
    ck_assert_int_eq(roster_has(&r, "bob \"quoted\""), 1);
    ck_assert_msg(r.have_shm, "no shared-memory line: '%s'", line);
    ck_assert_str_eq(r.shm_name, shm_name);
    ck_assert(presence_is_instance(shm_name, r.instance));
    ck_assert(!presence_is_instance(shm_name, "00000000"));
    ck_assert(!presence_is_instance("NoSuchSegment", r.instance));
    /* The others hear the join line only. */
    tc_expect(a, "*** carol joined the chat ***", 5000);
    tc_sends(b, "hello\n");
    tc_expect(a, "bob \"quoted\": hello", 5000);
    roster_free(&r);
    tc_close(a);
    tc_close(b);
    tc_close(c);
}
END_TEST

typedef struct Churn {
    unsigned short port;
    int rounds;
} Churn;

/* Clients joining and quitting as fast as they can. */
static DWORD WINAPI churn_thread(void *arg)
{
    Churn *ch = arg;
    for (int i = 0; i < ch->rounds; i++) {
        char name[32];
        snprintf(name, sizeof name, "churn%d", i % 7);
        TConn *t = tc_connect(ch->port);
        char hello[64];
        snprintf(hello, sizeof hello, "USERNAME:%s\n", name);
        tc_sends(t, hello);
        tc_sends(t, "/quit\n");
        tc_closed(t, 2000);
        tc_close(t);
    }
    return 0;
}

/* Joins and leaves racing newcomers: each newcomer's roster plus the lines
 * after it end exactly at who is left. */
START_TEST(test_server_a_roster_stays_exact_while_others_join_and_leave)
{
    Churn ch = {port, 150};
    HANDLE t[2];
    for (int i = 0; i < 2; i++)
        t[i] = CreateThread(NULL, 0, churn_thread, &ch, 0, NULL);
    TConn *fresh[6];
    Roster r[6];
    char name[32];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "newcomer%d", i);
        roster_init(&r[i]);
        roster_session(&r[i], name);
        fresh[i] = tc_connect(port);
        char hello[64];
        snprintf(hello, sizeof hello, "USERNAME:%s\n", name);
        tc_sends(fresh[i], hello);
        Sleep(30);
    }
    WaitForMultipleObjects(2, t, TRUE, 120000);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    /* A marker after the churn: everything before it has been heard. */
    TConn *m = tc_join(port, "marker");
    tc_sends(m, "done\n");
    for (int i = 0; i < 6; i++) {
        read_into(fresh[i], &r[i], "marker: done");
        ck_assert_msg(roster_count(&r[i]) == 7, "newcomer%d counts %d", i, roster_count(&r[i]));
        for (int k = 0; k < 6; k++) {
            snprintf(name, sizeof name, "newcomer%d", k);
            ck_assert_int_eq(roster_has(&r[i], name), 1);
        }
        ck_assert_int_eq(roster_has(&r[i], "marker"), 1);
        roster_free(&r[i]);
        tc_close(fresh[i]);
    }
    tc_close(m);
}
END_TEST

START_TEST(test_server_names_are_cleaned_or_anonymous)
{
    char line[200];
    TConn *a = tc_connect(port);
    tc_sends(a, "USERNAME:  \x01" "ca\x7frol \t\r\n");
    tc_expect(a, "*** carol joined the chat ***", 5000);
    tc_welcome(a);

    TConn *b = tc_connect(port);
    tc_sends(b, "hi there, no hello\n"); /* a first message that is not a hello */
    tc_expect(b, "*** anonymous joined the chat ***", 5000);
    tc_welcome(b);
    tc_sends(b, "now a message\n");
    ck_assert(tc_line(b, line, sizeof line, 5000));
    ck_assert_str_eq(line, "anonymous: now a message");

    TConn *c = tc_connect(port);
    tc_sends(c, "USERNAME:\n");
    tc_expect(c, "*** anonymous joined the chat ***", 5000);

    /* Invisible characters cannot make one name pass for another: "ali",
     * a right-to-left override, "ec" would show as "alice"; a zero width
     * space and a no-break space around "carol" would look like "carol",
     * which is taken. */
    TConn *d = tc_connect(port);
    tc_sends(d, "USERNAME:ali\xE2\x80\xAE" "ec\n");
    tc_expect(d, "*** aliec joined the chat ***", 5000);
    TConn *e = tc_connect(port);
    tc_sends(e, "USERNAME:\xE2\x80\x8B" "carol\xC2\xA0\n");
    tc_expect(e, "*** the name carol is taken: choose another ***", 5000);
    ck_assert(tc_closed(e, 5000));
    tc_close(a);
    tc_close(b);
    tc_close(c);
    tc_close(d);
    tc_close(e);
}
END_TEST

/* --- framing --------------------------------------------------------------- */

/* Two clients cannot have one name: the second is told and its session
 * ends; "anonymous" (the original's clients without a hello) may repeat;
 * once the first has left the name is free again. */
START_TEST(test_server_a_name_in_use_is_refused)
{
    TConn *a = tc_join(port, "alice");
    TConn *b = tc_connect(port);
    tc_sends(b, "USERNAME:alice\n");
    tc_expect(b, "*** the name alice is taken: choose another ***", 5000);
    ck_assert(tc_closed(b, 5000));
    ck_assert_int_eq(count_becomes(1), 1);
    TConn *x = tc_connect(port);
    tc_sends(x, "no hello\n");
    tc_expect(x, "*** anonymous joined the chat ***", 5000);
    TConn *y = tc_connect(port);
    tc_sends(y, "no hello either\n");
    tc_expect(y, "*** anonymous joined the chat ***", 5000);
    ck_assert_int_eq(count_becomes(3), 3);
    tc_close(a);
    ck_assert_int_eq(count_becomes(2), 2);
    TConn *c = tc_join(port, "alice");
    tc_close(c);
    tc_close(b);
    tc_close(x);
    tc_close(y);
}
END_TEST

START_TEST(test_server_legacy_client_unterminated_sends_are_messages)
{
    char line[200];
    TConn *watch = tc_join(port, "watch");
    TConn *old = tc_connect(port);

    /* The original's clients: one send() per message, no terminator. */
    tc_sends(old, "USERNAME:old");
    tc_expect(old, "*** old joined the chat ***", 5000);
    tc_expect(watch, "*** old joined the chat ***", 5000);
    const char *msgs[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++) {
        tc_sends(old, msgs[i]);
        Sleep(100);
    }
    for (int i = 0; i < 3; i++) {
        char want[50];
        snprintf(want, sizeof want, "old: %s", msgs[i]);
        ck_assert(tc_line(watch, line, sizeof line, 5000));
        ck_assert_str_eq(line, want);
    }
    ck_assert(!tc_line(watch, line, sizeof line, 300)); /* exactly three */
    tc_close(old);
    tc_close(watch);
}
END_TEST

START_TEST(test_server_three_lines_in_one_send_are_three_messages)
{
    char line[200];
    TConn *a = tc_join(port, "a");
    tc_sends(a, "x\ny\r\nz\n");
    const char *want[] = {"a: x", "a: y", "a: z"};
    for (int i = 0; i < 3; i++) {
        ck_assert(tc_line(a, line, sizeof line, 5000));
        ck_assert_str_eq(line, want[i]);
    }
    ck_assert(!tc_line(a, line, sizeof line, 300));
    tc_close(a);
}
END_TEST

START_TEST(test_server_message_split_across_sends_arrives_whole)
{
    char line[200];
    TConn *a = tc_join(port, "a");
    tc_sends(a, "hel");
    Sleep(5);
    tc_sends(a, "lo world\n");
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "a: hello world");
    tc_close(a);
}
END_TEST

START_TEST(test_server_oversize_line_is_refused_and_the_session_goes_on)
{
    static char big[5001];
    char line[200];
    TConn *a = tc_join(port, "a");
    TConn *b = tc_join(port, "b");
    tc_expect(a, "*** b joined the chat ***", 5000);

    memset(big, 'x', 5000);
    big[5000] = '\n';
    tc_send(a, big, sizeof big);
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "*** message too long (max 4096 bytes) ***");
    tc_sends(a, "short one\n");
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "a: short one");
    /* The others saw nothing of the oversized line. */
    ck_assert(tc_line(b, line, sizeof line, 5000));
    ck_assert_str_eq(line, "a: short one");
    tc_close(a);
    tc_close(b);
}
END_TEST

START_TEST(test_server_exactly_4096_bytes_is_relayed_whole)
{
    static char msg[4097], line[5000];
    TConn *a = tc_join(port, "a");
    memset(msg, 'm', 4096);
    msg[4096] = '\n';
    tc_send(a, msg, sizeof msg);
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_uint_eq(strlen(line), 3 + 4096);
    tc_close(a);
}
END_TEST

START_TEST(test_server_control_characters_removed_other_bytes_kept)
{
    char line[200];
    TConn *a = tc_join(port, "a");
    /* NUL, C0 and CR removed; TAB, invalid UTF-8 and ANSI bytes kept. */
    tc_send(a, "p\x01q\0r\x1bs\tt\xff\xfe\xe9\xC3\n", 14);
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "a: pqrs\tt\xff\xfe\xe9\xC3");
    /* A message of control characters only is no message. */
    tc_send(a, "\x01\x02\x03\n", 4);
    tc_sends(a, "after\n");
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "a: after");
    tc_close(a);
}
END_TEST

/* --- shared state, churn and capacity ----------------------------------------- */

START_TEST(test_server_churn_count_tracks_hellos_and_returns_to_zero)
{
    enum { N = 200 };
    static TConn *conns[N];
    char hello[64];

    for (int i = 0; i < N; i++) {
        conns[i] = tc_connect(port);
        if (i % 2 == 0) {
            snprintf(hello, sizeof hello, "USERNAME:u%d\n", i);
            tc_sends(conns[i], hello);
        }
    }
    ck_assert_int_eq(count_becomes(N / 2), N / 2);
    /* A quarter reset abruptly, the rest close normally. */
    for (int i = 0; i < N; i++) {
        if (i % 4 == 1 || i % 4 == 2)
            tc_reset(conns[i]);
        else
            tc_close(conns[i]);
    }
    ck_assert_int_eq(count_becomes(0), 0);
}
END_TEST

/* tc_join on a server with few places: tc_server's own probe connection
 * holds one until the server has seen it close, so "server full" is retried
 * for a while. */
static TConn *join_when_room(const char *name)
{
    char hello[100], line[200];
    snprintf(hello, sizeof hello, "USERNAME:%s\n", name);
    for (int i = 0; i < 100; i++) {
        TConn *c = tc_connect(port);
        tc_sends(c, hello);
        ck_assert(tc_line(c, line, sizeof line, 5000));
        if (strcmp(line, "*** server full ***") != 0) {
            char want[200];
            snprintf(want, sizeof want, "*** %s joined the chat ***", name);
            ck_assert_str_eq(line, want);
            return c;
        }
        tc_close(c);
        Sleep(50);
    }
    ck_abort_msg("no room for %s", name);
    return NULL;
}

START_TEST(test_server_full_refuses_newcomers_without_counting_them)
{
    char line[200];
    teardown();
    start_server("--max-clients 2");
    TConn *a = join_when_room("a");
    TConn *b = join_when_room("b");
    TConn *c = tc_connect(port);
    ck_assert(tc_line(c, line, sizeof line, 5000));
    ck_assert_str_eq(line, "*** server full ***");
    ck_assert(tc_closed(c, 5000));
    ck_assert_int_eq(count_becomes(2), 2);
    tc_close(c);
    tc_close(b);
    /* Room again once someone left. */
    ck_assert_int_eq(count_becomes(1), 1);
    TConn *d = tc_join(port, "d");
    tc_close(d);
    tc_close(a);
}
END_TEST

/* --- a client that never reads -------------------------------------------- */

typedef struct Reader {
    TConn *conn;
    const char *prefix;
    int expected;
    int got;      /* lines in order */
    int wrong;    /* lines out of order or malformed */
} Reader;

static DWORD WINAPI read_all(void *arg)
{
    char *line = malloc(4096);
    Reader *r = arg;
    char want[64];
    size_t plen = strlen(r->prefix);
    while (r->got < r->expected && tc_line(r->conn, line, 4096, 20000)) {
        if (strncmp(line, r->prefix, plen) != 0)
            continue; /* a join or leave line */
        snprintf(want, sizeof want, "%06d ", r->got);
        if (strncmp(line + plen, want, 7) == 0)
            r->got++;
        else
            r->wrong++;
    }
    free(line);
    return 0;
}

START_TEST(test_server_slow_reader_is_dropped_and_nobody_waits)
{
    enum { MSGS = 10000 };
    static char msg[1100];
    TConn *slow = tc_connect(port);
    /* A tiny receive window, so the server's queue for it really fills. */
    int small = 4096;
    setsockopt(slow->s, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof small);
    tc_sends(slow, "USERNAME:slow\n");
    TConn *fast = tc_join(port, "fast");
    TConn *talker = tc_join(port, "talker");
    tc_expect(fast, "*** talker joined the chat ***", 5000);

    Reader rf = {fast, "talker: ", MSGS, 0, 0};
    Reader rt = {talker, "talker: ", MSGS, 0, 0};
    HANDLE th[2] = {CreateThread(NULL, 0, read_all, &rf, 0, NULL),
                    CreateThread(NULL, 0, read_all, &rt, 0, NULL)};
    memset(msg, 'p', sizeof msg);
    for (int i = 0; i < MSGS; i++) {
        int n = snprintf(msg, sizeof msg, "%06d ", i);
        msg[n] = 'p';
        msg[1000] = '\n';
        tc_send(talker, msg, 1001);
    }
    ck_assert(WaitForMultipleObjects(2, th, TRUE, 120000) == WAIT_OBJECT_0);
    CloseHandle(th[0]);
    CloseHandle(th[1]);
    ck_assert_int_eq(rf.wrong, 0);
    ck_assert_int_eq(rf.got, MSGS);
    ck_assert_int_eq(rt.got, MSGS);
    /* The slow one was disconnected (what it had in flight aside), and the
     * log says why in the words of an overflow, not of a stall. */
    ck_assert(tc_closed(slow, 10000));
    ck_assert_int_eq(count_becomes(2), 2);
    free(log_with("slow left: too far behind: more than 256 KB waiting to be sent to it (", 5000));
    tc_close(slow);
    tc_close(fast);
    tc_close(talker);
}
END_TEST

/* A client with the longest name sends 20,480 messages in one go (40 KB:
 * less than the server takes in one read) while it reads its echoes: 720 KB
 * of them, far past the 256 KB bound. Flow control slows it down message by
 * message; it is never dropped as too slow, and gets every echo. */
START_TEST(test_server_a_flood_read_back_is_slowed_not_dropped)
{
    enum { MSGS = 20480 };
    static char flood[2 * MSGS];
    static const char name[] = "abcdefghijklmnopqrstuvwxyz012345"; /* 32: the most */
    char line[200], want[64];
    TConn *c = tc_join(port, name);
    for (int i = 0; i < MSGS; i++)
        memcpy(flood + 2 * i, "a\n", 2);
    tc_send(c, flood, sizeof flood);
    snprintf(want, sizeof want, "%s: a", name);
    for (int got = 0; got < MSGS; got++) {
        ck_assert_msg(tc_line(c, line, sizeof line, 20000), "echo %d never came", got);
        ck_assert_msg(strcmp(line, want) == 0, "echo %d: '%s'", got, line);
    }
    tc_sends(c, "still here\n");
    snprintf(want, sizeof want, "%s: still here", name);
    ck_assert(tc_line(c, line, sizeof line, 5000));
    ck_assert_str_eq(line, want);
    tc_close(c);
}
END_TEST

/* --- process level ----------------------------------------------------------- */

/* Ctrl+C itself is tested from the shell (tests/wine/server_sigint.sh):
 * Wine has no GenerateConsoleCtrlEvent between processes without a console.
 * `--stop` runs the same shutdown. */
START_TEST(test_server_stop_shuts_down_cleanly)
{
    char line[200];
    TConn *a = tc_join(port, "a");
    TConn *b = tc_join(port, "b");
    tc_expect(a, "*** b joined the chat ***", 5000);
    ck_assert_int_eq(count_becomes(2), 2);

    char args[200];
    snprintf(args, sizeof args, "--stop --shm-name %s", shm_name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("..\\..\\server\\chat_server.exe", args), 10000), 0);
    ck_assert(tc_line(a, line, sizeof line, 5000));
    ck_assert_str_eq(line, "*** server shutting down ***");
    tc_expect(b, "*** server shutting down ***", 5000);
    ck_assert(tc_closed(a, 5000));
    ck_assert(tc_closed(b, 5000));
    ck_assert_uint_eq(tp_exit_code(server, 5000), 0);
    server = NULL;
    /* Nobody holds the segment any more: it is gone. */
    HANDLE map = OpenFileMappingA(FILE_MAP_READ, FALSE, shm_name);
    ck_assert_ptr_null(map);
    tc_close(a);
    tc_close(b);
}
END_TEST

/* The fixture server's log (tc_server writes it beside the test), read
 * whole into a new string. */
static char *server_log(void)
{
    char path[200];
    snprintf(path, sizeof path, "%s.log", shm_name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "no log %s", path);
    char *text = calloc(1, 1 << 22);
    ck_assert_ptr_nonnull(text);
    text[fread(text, 1, (1 << 22) - 1, f)] = '\0';
    fclose(f);
    return text;
}

/* What follows the log's last "stopped" line (NULL when it has none). The
 * log is a text-mode stream: its lines end in "\r\n". */
static const char *after_stopped(const char *log)
{
    static const char line[] = "] stopped\r\n";
    const char *hit = NULL;
    for (const char *p = log; (p = strstr(p, line)) != NULL; p++)
        hit = p + sizeof line - 1;
    return hit;
}

/* Sets the server's named stop event, as `chat_server --stop` does. */
static void request_stop(void)
{
    char kname[SHM_NAME_MAX];
    ck_assert(shm_layout_object_name(shm_name, SHM_STOP_SUFFIX, kname, sizeof kname));
    HANDLE ev = OpenEventA(EVENT_MODIFY_STATE, FALSE, kname);
    ck_assert_msg(ev != NULL, "open %s: %lu", kname, GetLastError());
    SetEvent(ev);
    CloseHandle(ev);
}

/* One side of a flooding client: sends "a\n" as fast as the server takes
 * it, or reads and counts whatever comes back, until the connection ends. */
typedef struct Flood {
    SOCKET s;
    volatile LONG echoed; /* bytes read back */
} Flood;

static DWORD WINAPI flood_send(void *arg)
{
    static char chunk[64 * 1024];
    Flood *f = arg;
    for (size_t i = 0; i < sizeof chunk; i += 2)
        memcpy(chunk + i, "a\n", 2);
    while (send(f->s, chunk, sizeof chunk, 0) > 0)
        ;
    return 0;
}

static DWORD WINAPI flood_read(void *arg)
{
    static char buf[64 * 1024];
    Flood *f = arg;
    int n;
    while ((n = recv(f->s, buf, sizeof buf, 0)) > 0)
        InterlockedExchangeAdd(&f->echoed, n);
    return 0;
}

static int cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

/* A joined client floods "a\n" while reading its echoes, and the server is
 * asked to stop in the middle of it, five times over: each time the server
 * exits 0, nothing is logged after "stopped" (no thread outlives the
 * segment, the log or the lists), no shared-memory call fails, and the stop
 * takes under a second (the median, so one hiccup of a shared machine does
 * not decide). */
START_TEST(test_server_stop_during_a_flood_is_clean_and_quick)
{
    enum { ROUNDS = 5 };
    unsigned long long took[ROUNDS];

    for (int round = 0; round < ROUNDS; round++) {
        if (round > 0)
            start_server(NULL);
        /* A one-letter name: 64 KB of "a\n" (what the server handles in one
         * go) then echo as 160 KB, under the queue's bound, so the flood goes
         * on until the stop rather than ending as "too slow". */
        TConn *c = tc_join(port, "f");
        Flood f = {c->s, 0};
        HANDLE th[2] = {CreateThread(NULL, 0, flood_send, &f, 0, NULL),
                        CreateThread(NULL, 0, flood_read, &f, 0, NULL)};
        /* Well into the flood: 100 KB of echoes are 10,000 messages. */
        for (ULONGLONG end = GetTickCount64() + 20000; f.echoed < 100 * 1024;) {
            ck_assert_msg(GetTickCount64() < end, "round %d: the flood never got going", round);
            Sleep(5);
        }
        unsigned long long t0 = tp_now_ms();
        request_stop();
        DWORD code = tp_exit_code(server, 20000);
        took[round] = tp_now_ms() - t0;
        server = NULL;
        ck_assert_msg(code == 0, "round %d: exit code %lu", round, code);
        ck_assert(WaitForMultipleObjects(2, th, TRUE, 10000) == WAIT_OBJECT_0);
        CloseHandle(th[0]);
        CloseHandle(th[1]);
        tc_close(c);

        char *log = server_log();
        const char *tail = after_stopped(log);
        ck_assert_msg(tail != NULL, "round %d: no \"stopped\" in the log", round);
        ck_assert_msg(*tail == '\0', "round %d: logged after \"stopped\": %.200s", round, tail);
        ck_assert_msg(strstr(log, "shared memory:") == NULL, "round %d: %.300s", round,
                      strstr(log, "shared memory:"));
        ck_assert_msg(strstr(log, "did not close in time") == NULL, "round %d", round);
        ck_assert_msg(strstr(log, "left: server shutting down") != NULL,
                      "round %d: the flood had ended before the stop", round);
        free(log);
        fprintf(stderr, "stop during a flood, round %d: %llu ms\n", round, took[round]);
    }
    qsort(took, ROUNDS, sizeof took[0], cmp_ull);
    ck_assert_msg(took[ROUNDS / 2] < 1000, "median stop took %llu ms", took[ROUNDS / 2]);
}
END_TEST

/* Four clients send at the same moment, a hundred times over: each time
 * the segment's last message settles on the last line everyone received,
 * never on an earlier one. */
typedef struct Sender {
    TConn *conn;
    HANDLE go;   /* auto-reset: send now */
    HANDLE done; /* auto-reset: sent */
    int index;
    int round;
    volatile LONG quit;
} Sender;

static DWORD WINAPI send_on_go(void *arg)
{
    Sender *s = arg;
    char msg[64];
    for (;;) {
        WaitForSingleObject(s->go, INFINITE);
        if (s->quit)
            return 0;
        snprintf(msg, sizeof msg, "r%d-s%d\n", s->round, s->index);
        send(s->conn->s, msg, (int)strlen(msg), 0);
        SetEvent(s->done);
    }
}

START_TEST(test_server_last_message_is_the_last_line_everyone_saw)
{
    enum { SENDERS = 4, ROUNDS = 100 };
    Sender s[SENDERS];
    HANDLE th[SENDERS], done[SENDERS];
    char line[200], name[16];
    TConn *watch = tc_join(port, "watch");

    for (int i = 0; i < SENDERS; i++) {
        snprintf(name, sizeof name, "s%d", i);
        s[i] = (Sender){tc_join(port, name), CreateEventA(NULL, FALSE, FALSE, NULL),
                        CreateEventA(NULL, FALSE, FALSE, NULL), i, 0, 0};
        snprintf(line, sizeof line, "*** %s joined the chat ***", name);
        tc_expect(watch, line, 5000);
        done[i] = s[i].done;
        th[i] = CreateThread(NULL, 0, send_on_go, &s[i], 0, NULL);
    }
    ChatShm *shm;
    ck_assert_int_eq(shm_attach(shm_name, &shm).status, SHM_OK);
    int wrong = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < SENDERS; i++)
            s[i].round = round;
        for (int i = 0; i < SENDERS; i++) /* all four at once */
            SetEvent(s[i].go);
        ck_assert(WaitForMultipleObjects(SENDERS, done, TRUE, 10000) == WAIT_OBJECT_0);
        char last[200] = "";
        for (int k = 0; k < SENDERS; k++) {
            ck_assert_msg(tc_line(watch, line, sizeof line, 5000), "round %d: line %d", round, k);
            const char *text = strstr(line, ": ");
            ck_assert_msg(text != NULL, "round %d: %s", round, line);
            snprintf(last, sizeof last, "%s", text + 2);
        }
        /* The segment may be written a moment after the line went out, but
         * it must come to the same last message, and stay there. */
        SharedChatData d;
        for (ULONGLONG end = GetTickCount64() + 1000;;) {
            ck_assert(!SHM_FAILED(shm_snapshot(shm, 200, &d)));
            if (strcmp(d.lastMessage, last) == 0 || GetTickCount64() >= end)
                break;
            Sleep(2);
        }
        if (strcmp(d.lastMessage, last) != 0) {
            fprintf(stderr, "round %d: everyone's last line is '%s', the segment's '%s'\n", round,
                    last, d.lastMessage);
            wrong++;
        }
    }
    ck_assert_int_eq(wrong, 0);
    for (int i = 0; i < SENDERS; i++) {
        s[i].quit = 1;
        SetEvent(s[i].go);
    }
    ck_assert(WaitForMultipleObjects(SENDERS, th, TRUE, 10000) == WAIT_OBJECT_0);
    for (int i = 0; i < SENDERS; i++) {
        CloseHandle(th[i]);
        CloseHandle(s[i].go);
        CloseHandle(s[i].done);
        tc_close(s[i].conn);
    }
    shm_close(shm);
    tc_close(watch);
}
END_TEST

/* alice leaves and a new alice joins at once, many times over: whoever
 * watches sees "left" before every "joined" of the next alice, never a
 * "left" for the alice who is in the chat. */
START_TEST(test_server_same_name_rejoin_is_never_followed_by_a_stale_left)
{
    enum { ROUNDS = 150 };
    char line[200];
    TConn *watch = tc_join(port, "watch");
    TConn *alice = tc_join(port, "alice");
    tc_expect(watch, "*** alice joined the chat ***", 5000);

    for (int round = 0; round < ROUNDS; round++) {
        TConn *next = tc_connect(port);
        /* Gone and back in one breath: the hello follows the reset at once
         * (a refusal because the old alice is still there is retried). */
        tc_reset(alice);
        for (;;) {
            tc_sends(next, "USERNAME:alice\n");
            ck_assert(tc_line(next, line, sizeof line, 5000));
            if (strcmp(line, "*** alice joined the chat ***") == 0)
                break;
            ck_assert_str_eq(line, "*** the name alice is taken: choose another ***");
            tc_close(next);
            next = tc_connect(port);
        }
        alice = next;
        /* The watcher: the old alice's "left", then the new one's "joined". */
        static const char *const want[2] = {"*** alice left the chat ***",
                                            "*** alice joined the chat ***"};
        for (int k = 0; k < 2; k++) {
            ck_assert_msg(tc_line(watch, line, sizeof line, 5000), "round %d", round);
            ck_assert_msg(strcmp(line, want[k]) == 0, "round %d: '%s' where '%s' was due", round,
                          line, want[k]);
        }
    }
    tc_sends(watch, "end\n");
    /* Nothing stale was still on its way. */
    ck_assert(tc_line(watch, line, sizeof line, 5000));
    ck_assert_str_eq(line, "watch: end");
    tc_close(alice);
    tc_close(watch);
}
END_TEST

/* A client that closes its sending side with 150 KB still queued for it
 * (more than the socket buffers hold) and then reads gets every line: a
 * leave in good order loses nothing. */
START_TEST(test_server_a_client_leaving_in_good_order_gets_everything_queued)
{
    static char msg[1100], want[1100], line[PROTO_OUT_MAX + 1];
    TConn *a = tc_join(port, "a");
    TConn *b = tc_join(port, "b");
    int small = 8192; /* or the kernel would take it all, not the queue */
    setsockopt(b->s, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof small);
    tc_expect(a, "*** b joined the chat ***", 5000);
    for (int i = 0; i < 150; i++) { /* b reads nothing meanwhile */
        snprintf(msg, sizeof msg, "m%03d %01000d\n", i, 0);
        tc_sends(a, msg);
        snprintf(want, sizeof want, "a: m%03d %01000d", i, 0);
        tc_expect(a, want, 5000);
    }
    shutdown(b->s, SD_SEND);
    for (int i = 0; i < 150; i++) {
        snprintf(want, sizeof want, "a: m%03d %01000d", i, 0);
        ck_assert_msg(tc_line(b, line, sizeof line, 10000), "line %d never came", i);
        ck_assert_str_eq(line, want);
    }
    ck_assert(tc_closed(b, 10000));
    tc_close(a);
    tc_close(b);
}
END_TEST

/* Another process holds the shared lock for 8 s (past the first 20 ms the
 * length makes no difference: minutes behave the same): the chat goes on
 * meanwhile, and the segment catches up with the latest count and message
 * once the lock is free. */
/* Lines sent every millisecond for `ms`, from another thread. */
typedef struct Chatter {
    TConn *conn;
    DWORD ms;
} Chatter;

static DWORD WINAPI chatter(void *arg)
{
    Chatter *c = arg;
    char line[32];
    for (ULONGLONG end = GetTickCount64() + c->ms, i = 0; GetTickCount64() < end; i++) {
        int n = snprintf(line, sizeof line, "chat %llu\n", i);
        send(c->conn->s, line, n, 0);
        Sleep(1);
    }
    return 0;
}

START_TEST(test_server_chat_goes_on_while_another_process_holds_the_lock)
{
    char args[200], msg[32], want[32];

    snprintf(args, sizeof args, "hold %s 8000", shm_name);
    HANDLE holder = tp_spawn_ready("shm_helper.exe", args, shm_name);
    TConn *a = tc_join(port, "alice");
    TConn *b = tc_join(port, "bob");
    tc_expect(a, "*** bob joined the chat ***", 5000);
    /* A newcomer gets in while the chat goes on: every line changes the
     * state the segment is behind on (once, no accept happened until the
     * lock was free). */
    Chatter ch = {a, 2000};
    HANDLE t = CreateThread(NULL, 0, chatter, &ch, 0, NULL);
    Sleep(300);
    TConn *carol = tc_join(port, "carol");
    ck_assert(WaitForSingleObject(t, 10000) == WAIT_OBJECT_0);
    CloseHandle(t);
    tc_close(carol);
    for (int i = 0; i < 20; i++) {
        snprintf(msg, sizeof msg, "m%d\n", i);
        tc_sends(a, msg);
        snprintf(want, sizeof want, "alice: m%d", i);
        tc_expect(a, want, 5000);
        tc_expect(b, want, 5000);
    }
    /* All of it while the lock was held: nobody waited for it. */
    ck_assert_msg(!tp_wait(holder, 0), "the chat waited for the lock");
    ck_assert_uint_eq(tp_exit_code(holder, 15000), 0);
    ck_assert_int_eq(count_becomes(2), 2); /* carol came and went */
    last_message_is("m19");
    tc_close(a);
    tc_close(b);
    ck_assert_int_eq(count_becomes(0), 0);
}
END_TEST

/* A connection that never says hello holds a place and hears nothing: it is
 * told why and closed at the hello timeout; the others go on. */
START_TEST(test_server_silent_connection_is_closed_at_the_hello_timeout)
{
    char line[200];
    teardown();
    start_server("--hello-timeout 1");
    TConn *a = tc_join(port, "talker");
    TConn *quiet = tc_connect(port);
    ck_assert(tc_line(quiet, line, sizeof line, 5000));
    ck_assert_str_eq(line, "*** no hello within 1 s: closing ***");
    ck_assert(tc_closed(quiet, 5000));
    tc_sends(a, "still here\n");
    tc_expect(a, "talker: still here", 5000);
    ck_assert_int_eq(count_becomes(1), 1);
    tc_close(quiet);
    tc_close(a);
}
END_TEST

/* The server's committed memory (its pagefile usage) and the peak of it. */
static void server_memory(SIZE_T *now, SIZE_T *peak)
{
    PROCESS_MEMORY_COUNTERS pmc = {.cb = sizeof pmc};
    ck_assert(K32GetProcessMemoryInfo(server, &pmc, sizeof pmc));
    *now = pmc.PagefileUsage;
    *peak = pmc.PeakPagefileUsage;
    ck_assert_msg(*now > 0, "no memory figure for the server"); /* never a silent pass */
}

/* 100 MB without a newline: one error line for the sender, nothing of it for
 * anyone else, no memory to speak of, and the session goes on. */
START_TEST(test_server_100_mb_without_a_newline_is_refused_in_bounded_memory)
{
    static char chunk[64 * 1024];
    char line[PROTO_OUT_MAX + 1];
    SIZE_T before, peak_before, after, peak_after;

    TConn *big = tc_join(port, "big");
    TConn *peer = tc_join(port, "peer");
    tc_expect(big, "*** peer joined the chat ***", 5000);
    server_memory(&before, &peak_before);
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 1600; i++) /* 100 MiB */
        tc_send(big, chunk, sizeof chunk);
    tc_sends(big, "\nafter\n");
    tc_expect(big, "*** message too long (max 4096 bytes) ***", 60000);
    tc_expect(big, "big: after", 60000);
    for (;;) {
        ck_assert(tc_line(peer, line, sizeof line, 60000));
        if (strcmp(line, "big: after") == 0)
            break;
        ck_assert_msg(strlen(line) < 100, "the peer got %lu bytes of the flood",
                      (unsigned long)strlen(line));
    }
    server_memory(&after, &peak_after);
    fprintf(stderr, "100 MB flood: server memory %lu KB before, %lu KB after, peak %lu KB\n",
            (unsigned long)(before / 1024), (unsigned long)(after / 1024),
            (unsigned long)(peak_after / 1024));
    ck_assert_uint_lt(peak_after, peak_before + 16 * 1024 * 1024);
    tc_close(big);
    tc_close(peer);
}
END_TEST

/* A thousand connections at once: all served, each hears everyone, and the
 * one past --max-clients is told the server is full. */
START_TEST(test_server_1000_connections_at_once)
{
    enum { N = 1000 };
    static TConn *c[N];
    char msg[100];

    teardown();
    start_server("--max-clients 1000");
    for (int i = 0; i < N; i++)
        c[i] = tc_connect(port);
    for (int i = 0; i < N; i++) {
        snprintf(msg, sizeof msg, "USERNAME:u%d\n", i);
        tc_sends(c[i], msg);
    }
    for (int i = 0; i < N; i++) {
        snprintf(msg, sizeof msg, "*** u%d joined the chat ***", i);
        tc_expect(c[i], msg, 60000);
    }
    ck_assert_int_eq(count_within(N, 30000), N);
    TConn *extra = tc_connect(port);
    ck_assert(tc_line(extra, msg, sizeof msg, 10000));
    ck_assert_str_eq(msg, "*** server full ***");
    tc_close(extra);

    tc_sends(c[N - 1], "to all\n");
    for (int i = 0; i < N; i++)
        tc_expect(c[i], "u999: to all", 60000);
    for (int i = 0; i < N; i++)
        tc_close(c[i]);
    ck_assert_int_eq(count_within(0, 60000), 0);
}
END_TEST

static DWORD run_server(const char *args, char *log, size_t size);

/* --- fairness and reach (issue 16) ----------------------------------------- */

/* The server's log, polled until it holds `needle` or ms pass (then
 * aborts with what it holds). The caller frees it. */
static char *log_with(const char *needle, DWORD ms)
{
    char *log = NULL;
    for (ULONGLONG end = GetTickCount64() + ms;; Sleep(20)) {
        free(log);
        log = server_log();
        if (strstr(log, needle) != NULL)
            return log;
        if (GetTickCount64() >= end)
            break;
    }
    ck_abort_msg("the server's log never said '%s': %s", needle, log);
    return NULL;
}

/* How often `needle` occurs in `hay`. */
static int occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

enum { FLOOD_LINE = 500, FLOOD_MAX_LINES = 8192 };

/* One of the five readers: reads the flooder's lines at its own pace
 * (pause_ms after each line), each in order, until the flooder's leave. */
typedef struct PacedReader {
    TConn *conn;
    DWORD pause_ms;
    int got, wrong;
    bool left_seen, closed;
    ULONGLONG *seen; /* when it read line i */
} PacedReader;

static DWORD WINAPI paced_read(void *arg)
{
    PacedReader *r = arg;
    char *line = malloc(8192);
    while (!r->left_seen) {
        if (!tc_line(r->conn, line, 8192, 60000)) {
            r->closed = true;
            break;
        }
        if (strncmp(line, "flooder: ", 9) == 0) {
            int n = atoi(line + 9);
            if (n == r->got && r->got < FLOOD_MAX_LINES)
                r->seen[r->got++] = GetTickCount64();
            else
                r->wrong++;
            Sleep(r->pause_ms);
        } else if (strncmp(line, "*** flooder left the chat", 25) == 0) {
            r->left_seen = true;
        } else if (strstr(line, "left the chat (not reading)") != NULL) {
            r->closed = true; /* one of us was dropped */
        }
    }
    free(line);
    return 0;
}

/* The flooder: sends as fast as the socket takes lines until told to stop
 * (non-blocking, so it can be told), and reads its echoes and notices on
 * another thread. */
typedef struct Flooder {
    TConn *conn;
    volatile LONG stop;
    long long tried; /* lines handed to the socket */
    int echoes, notices, wrong;
} Flooder;

static DWORD WINAPI rate_flood_send(void *arg)
{
    Flooder *f = arg;
    char msg[FLOOD_LINE];
    size_t off = 0;
    u_long nb = 1;
    ioctlsocket(f->conn->s, FIONBIO, &nb);
    memset(msg, 'f', sizeof msg);
    msg[FLOOD_LINE - 1] = '\n';
    snprintf(msg, 12, "%06lld ", f->tried);
    msg[7] = 'f';
    while (!f->stop) {
        int n = send(f->conn->s, msg + off, (int)(FLOOD_LINE - off), 0);
        if (n > 0) {
            off += (size_t)n;
            if (off == FLOOD_LINE) {
                off = 0;
                f->tried++;
                snprintf(msg, 12, "%06lld ", f->tried);
                msg[7] = 'f';
            }
        } else if (WSAGetLastError() == WSAEWOULDBLOCK) {
            fd_set w;
            struct timeval tv = {0, 100000};
            FD_ZERO(&w);
            FD_SET(f->conn->s, &w);
            select(0, NULL, &w, NULL, &tv);
        } else {
            break;
        }
    }
    return 0;
}

static DWORD WINAPI rate_flood_echoes(void *arg)
{
    Flooder *f = arg;
    char *line = malloc(8192);
    while (!f->stop || tc_readable(f->conn->s, 0)) {
        if (!tc_readable(f->conn->s, 100))
            continue;
        if (!tc_line(f->conn, line, 8192, 1000))
            continue;
        if (strncmp(line, "flooder: ", 9) == 0) {
            if (atoi(line + 9) == f->echoes)
                f->echoes++;
            else
                f->wrong++;
        } else if (strncmp(line, "*** you are sending too fast", 28) == 0) {
            f->notices++;
        }
    }
    free(line);
    return 0;
}

/* One client floods as fast as it can for CHAT_FLOOD_SECONDS (default 60)
 * while five read at a person's pace (the slowest 80 ms a line): the
 * flooder is held to its rate, told so once, and nobody is dropped; every
 * reader gets every line the server took from it, in order. Without the
 * rate, 500-byte lines as fast as loopback goes fill the slow readers'
 * 256 KB queues within a second, and they are dropped. */
START_TEST(test_server_a_flooder_is_held_to_its_rate_and_five_readers_get_every_line)
{
    enum { READERS = 5, RATE = 10, BURST = 50 };
    static const DWORD pause_ms[READERS] = {0, 10, 20, 40, 80};
    const char *env = getenv("CHAT_FLOOD_SECONDS");
    int seconds = env && atoi(env) > 0 ? atoi(env) : 60;
    char opts[100], name[16];
    PacedReader r[READERS];
    HANDLE th[READERS + 2];

    teardown();
    snprintf(opts, sizeof opts, "--rate %d --burst %d", RATE, BURST);
    start_server(opts);
    memset(r, 0, sizeof r);
    for (int i = 0; i < READERS; i++) {
        snprintf(name, sizeof name, "reader%d", i);
        r[i].conn = tc_join(port, name);
        r[i].pause_ms = pause_ms[i];
        r[i].seen = calloc(FLOOD_MAX_LINES, sizeof *r[i].seen);
    }
    Flooder f = {tc_join(port, "flooder"), 0, 0, 0, 0, 0};
    for (int i = 0; i < READERS; i++)
        th[i] = CreateThread(NULL, 0, paced_read, &r[i], 0, NULL);
    th[READERS] = CreateThread(NULL, 0, rate_flood_send, &f, 0, NULL);
    th[READERS + 1] = CreateThread(NULL, 0, rate_flood_echoes, &f, 0, NULL);
    ULONGLONG t0 = GetTickCount64();
    Sleep((DWORD)seconds * 1000);
    InterlockedExchange(&f.stop, 1);
    ck_assert(WaitForMultipleObjects(2, th + READERS, TRUE, 30000) == WAIT_OBJECT_0);
    double took = (double)(GetTickCount64() - t0) / 1000;
    tc_reset(f.conn); /* what it still had in the socket is never read */
    ck_assert(WaitForMultipleObjects(READERS, th, TRUE, 120000) == WAIT_OBJECT_0);

    int lines = r[0].got;
    ULONGLONG lag = 0;
    for (int i = 0; i < READERS; i++) {
        ck_assert_msg(!r[i].closed && r[i].left_seen, "reader %d was dropped or cut off", i);
        ck_assert_int_eq(r[i].wrong, 0);
        ck_assert_int_eq(r[i].got, lines); /* everyone got the same lines */
    }
    for (int n = 0; n < lines; n++) {
        ULONGLONG first = r[0].seen[n], last = r[0].seen[n];
        for (int i = 1; i < READERS; i++) {
            first = r[i].seen[n] < first ? r[i].seen[n] : first;
            last = r[i].seen[n] > last ? r[i].seen[n] : last;
        }
        lag = last - first > lag ? last - first : lag;
    }
    printf("flooder for %.1f s: handed %lld lines of %d bytes to its socket; the chat "
           "carried %d (%.1f a second; the rate allows %d at once and %d a second); slowest "
           "reader's lag behind the fastest %llu ms; readers dropped: 0; notices to the "
           "flooder: %d\n",
           took, f.tried, FLOOD_LINE, lines, lines / took, BURST, RATE,
           (unsigned long long)lag, f.notices);
    fflush(stdout);
    /* Held to the rate: never more than the burst and the rate allow (the
     * lower bound is loose: a shared machine may be slow). */
    ck_assert_int_le(lines, BURST + (int)(RATE * (took + 1)) + 1);
    ck_assert_int_ge(lines, BURST + (int)(RATE * took / 4));
    ck_assert(f.tried > lines); /* it really tried to send more */
    ck_assert_int_eq(f.notices, 1);
    ck_assert_int_eq(f.wrong, 0);
    char *log = log_with("flooder: sending too fast", 1000);
    ck_assert_int_eq(occurrences(log, "sending too fast"), 1);
    free(log);
    for (int i = 0; i < READERS + 2; i++)
        CloseHandle(th[i]);
    for (int i = 0; i < READERS; i++) {
        tc_close(r[i].conn);
        free(r[i].seen);
    }
}
END_TEST

/* Past its burst a sender is told once, and its lines come later, in
 * order, none lost. */
START_TEST(test_server_past_its_burst_a_sender_is_told_once_and_loses_nothing)
{
    char line[200], want[64];
    teardown();
    start_server("--rate 20 --burst 5");
    TConn *a = tc_join(port, "a");
    TConn *b = tc_join(port, "b");
    tc_expect(a, "*** b joined the chat ***", 5000);
    tc_sends(a, "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    int notices = 0, got = 0;
    while (got < 10) {
        ck_assert_msg(tc_line(a, line, sizeof line, 5000), "after %d lines", got);
        if (strncmp(line, "*** you are sending too fast", 28) == 0) {
            ck_assert_int_eq(got, 5); /* right after the burst */
            notices++;
            continue;
        }
        snprintf(want, sizeof want, "a: %d", got);
        ck_assert_str_eq(line, want);
        got++;
    }
    ck_assert_int_eq(notices, 1);
    ck_assert_str_eq(line, "a: 9");
    for (int i = 0; i < 10; i++) {
        snprintf(want, sizeof want, "a: %d", i);
        tc_expect(b, want, 5000); /* the other gets them all, in order, no notice */
    }
    tc_close(a);
    tc_close(b);
}
END_TEST

/* A client that stops reading while it is the only one sending: flow
 * control stops reading it, so its queue never passes the bound; it is
 * dropped once it has taken nothing for --stall-timeout, and the others
 * hear why. Before, it was held for ever. */
START_TEST(test_server_a_sole_sender_that_stops_reading_is_dropped)
{
    static char msg[1001];
    char line[200];
    teardown();
    start_server("--stall-timeout 2");
    TConn *bob = tc_join(port, "bob");
    TConn *alice = tc_connect(port);
    /* Her receive buffer stays the system's: shrunk to 4 KB, this kernel
     * pruned the loopback segments it received under load and backed off
     * retransmitting both ways for longer than the test waits (her 3.8 MB
     * sat unsent while the server's socket held nothing to read: seen with
     * ss in a third of the runs on a busy machine), so the server never got
     * to see her stop reading. */
    tc_sends(alice, "USERNAME:alice\n");
    u_long nb = 1;
    ioctlsocket(alice->s, FIONBIO, &nb);
    memset(msg, 'x', sizeof msg);
    msg[1000] = '\n';
    /* Sends until the server stops taking its lines (and then its end). */
    ULONGLONG end = GetTickCount64() + 30000;
    bool dropped = false;
    while (!dropped && GetTickCount64() < end) {
        if (send(alice->s, msg, sizeof msg, 0) < 0) {
            if (WSAGetLastError() != WSAEWOULDBLOCK)
                break;
            Sleep(50);
        }
        while (tc_readable(bob->s, 0) && !dropped) {
            ck_assert(tc_line(bob, line, sizeof line, 1000) || true);
            dropped = strcmp(line, "*** alice left the chat (not reading) ***") == 0;
        }
    }
    for (; !dropped && tc_line(bob, line, sizeof line, 10000);)
        dropped = strcmp(line, "*** alice left the chat (not reading) ***") == 0;
    ck_assert_msg(dropped, "bob never heard alice was dropped");
    char *log = log_with("alice left: not reading: it took none of the lines waiting for it (", 5000);
    ck_assert(strstr(log, "bytes waiting for it, none taken for ") != NULL);
    free(log);
    ck_assert_int_eq(count_becomes(1), 1);
    tc_reset(alice);
    tc_close(bob);
}
END_TEST

/* 300 connections from one address that never say hello: past its share
 * the oldest waiting one is closed to let each newer one wait (one line in
 * the log for the run), and those it holds count apart from --max-clients:
 * real clients fill every place in the chat meanwhile, one of them from
 * the very address holding its share. */
START_TEST(test_server_silent_connections_from_one_address_cannot_keep_others_out)
{
    enum { N = 300, SHARE = 8 };
    static TConn *c[N];
    static const char busy[] = "*** too many connections waiting to join: try again later ***";
    char line[200];
    teardown();
    start_server("--per-address 8 --max-clients 4");
    for (int i = 0; i < N; i++) {
        c[i] = tc_connect_addr("127.0.0.1", port, "127.0.0.2");
        ck_assert_msg(c[i] != NULL, "connection %d from 127.0.0.2 failed: %d", i,
                      WSAGetLastError());
    }
    /* The oldest hear why and are closed; the newest SHARE hear nothing. */
    int closed = 0;
    bool done[N] = {false};
    for (ULONGLONG end = GetTickCount64() + 30000; closed < N - SHARE && GetTickCount64() < end;) {
        for (int i = 0; i < N; i++) {
            if (done[i] || !tc_readable(c[i]->s, 0))
                continue;
            done[i] = true;
            ck_assert(tc_line(c[i], line, sizeof line, 1000));
            ck_assert_str_eq(line, busy);
            ck_assert(tc_closed(c[i], 5000));
            closed++;
        }
        Sleep(10);
    }
    ck_assert_int_eq(closed, N - SHARE);
    for (int i = N - SHARE; i < N; i++)
        ck_assert_msg(!done[i], "connection %d, one of the newest, was closed", i);
    /* Meanwhile the chat's places go to real clients, from another address
     * and from this one (its hello comes at once: it takes the place of
     * the oldest silent one). */
    TConn *a = tc_join(port, "a"), *b = tc_join(port, "b"), *d = tc_join(port, "d");
    TConn *same = tc_connect_addr("127.0.0.1", port, "127.0.0.2");
    ck_assert_ptr_nonnull(same);
    tc_sends(same, "USERNAME:same\n");
    tc_expect(same, "*** same joined the chat ***", 5000);
    tc_welcome(same);
    ck_assert_int_eq(count_becomes(4), 4);
    ck_assert(tc_line(c[N - SHARE], line, sizeof line, 5000));
    ck_assert_str_eq(line, busy);
    for (int i = N - SHARE + 1; i < N; i++)
        ck_assert_msg(!tc_readable(c[i]->s, 0), "a silent connection heard something");
    char *log = log_with(" more connections meanwhile", 5000);
    /* One line for each run: the 292, then the one "same" took the place of. */
    ck_assert_int_eq(occurrences(log, "refused 127.0.0.2:"), 2);
    const char *more = strstr(log, " more connections meanwhile");
    while (more > log && more[-1] != ' ')
        more--;
    ck_assert_int_ge(atoi(more), N - SHARE - 1); /* the rest of the run, counted */
    free(log);
    for (int i = 0; i < N; i++)
        tc_reset(c[i]);
    tc_close(same);
    tc_close(a);
    tc_close(b);
    tc_close(d);
}
END_TEST

/* By default the server listens on ::1 beside 127.0.0.1: an IPv6 client
 * and an IPv4 one chat together. */
START_TEST(test_server_serves_ipv6_loopback_beside_ipv4)
{
    TConn *six = tc_connect_addr("::1", port, NULL);
    ck_assert_msg(six != NULL, "no connection to [::1]:%u: %d", port, WSAGetLastError());
    tc_sends(six, "USERNAME:six\n");
    tc_expect(six, "*** six joined the chat ***", 5000);
    tc_welcome(six);
    TConn *four = tc_join(port, "four");
    tc_expect(six, "*** four joined the chat ***", 5000);
    tc_sends(four, "hello over IPv4\n");
    tc_expect(six, "four: hello over IPv4", 5000);
    tc_sends(six, "hello over IPv6\n");
    tc_expect(four, "six: hello over IPv6", 5000);
    char *log = log_with("connected from [::1]:", 1000);
    ck_assert(strstr(log, "listening on 127.0.0.1:") != NULL);
    ck_assert(strstr(log, " and [::1]:") != NULL);
    free(log);
    tc_close(six);
    tc_close(four);
}
END_TEST

/* --bind :: serves IPv6 and, dual-stack, IPv4 too; --bind ::1 IPv6 only. */
START_TEST(test_server_bind_takes_ipv6_addresses)
{
    teardown();
    start_server("--bind ::"); /* start_server waits for an IPv4 connection */
    TConn *six = tc_connect_addr("::1", port, NULL);
    ck_assert_ptr_nonnull(six);
    tc_sends(six, "USERNAME:six\n");
    tc_expect(six, "*** six joined the chat ***", 5000);
    TConn *four = tc_join(port, "four");
    tc_expect(six, "*** four joined the chat ***", 5000);
    char *log = log_with("listening on [::]:", 1000);
    free(log);
    tc_close(six);
    tc_close(four);
    teardown();
    six = NULL;

    port = tc_free_port();
    tp_unique_name(shm_name, sizeof shm_name, "srv");
    char args[300];
    snprintf(args, sizeof args, "--port %u --shm-name %s --bind ::1", port, shm_name);
    char path[200];
    snprintf(path, sizeof path, "%s.log", shm_name);
    server = tp_spawn_ex("..\\..\\server\\chat_server.exe", args, CREATE_NEW_PROCESS_GROUP, path);
    for (int i = 0; i < 200 && six == NULL; i++, Sleep(25))
        six = tc_connect_addr("::1", port, NULL);
    ck_assert_ptr_nonnull(six);
    ck_assert_ptr_null(tc_connect_addr("127.0.0.1", port, NULL)); /* IPv6 only */
    tc_sends(six, "USERNAME:only6\n");
    tc_expect(six, "*** only6 joined the chat ***", 5000);
    tc_close(six);
    tp_kill(server);
    server = NULL;

    /* An address no socket here can listen on: a usage error that says why. */
    static char out[4096];
    snprintf(args, sizeof args, "--port %u --shm-name %s --bind ::ffff:127.0.0.1", port,
             shm_name);
    ck_assert_uint_eq(run_server(args, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "not an address of this machine") != NULL, "said: %s", out);
}
END_TEST

/* Runs chat_server.exe with args to its end; returns the exit code and, when
 * log is not NULL, what it printed. */
static DWORD run_server(const char *args, char *log, size_t size)
{
    char path[MAX_PATH];
    snprintf(path, sizeof path, "%s.log", shm_name);
    DWORD code = tp_exit_code(tp_spawn_ex("..\\..\\server\\chat_server.exe", args, 0, path),
                              10000);
    if (log != NULL) {
        FILE *f = fopen(path, "rb");
        size_t n = f ? fread(log, 1, size - 1, f) : 0;
        log[n] = '\0';
        if (f)
            fclose(f);
    }
    DeleteFileA(path);
    return code;
}

START_TEST(test_server_exit_codes_say_what_went_wrong)
{
    char args[300], log[2000];
    char other[128];

    ck_assert_uint_eq(run_server("--port nope", NULL, 0), 2);
    ck_assert_uint_eq(run_server("--help", NULL, 0), 0);
    /* The port is taken (by the fixture's server): 6. */
    tp_unique_name(other, sizeof other, "srv2");
    snprintf(args, sizeof args, "--port %u --shm-name %s", port, other);
    ck_assert_uint_eq(run_server(args, log, sizeof log), 6);
    ck_assert_msg(strstr(log, "cannot listen") != NULL, "%s", log);
    /* A second server on the same shared memory (another port): 3, and the
     * first one's count is untouched. */
    TConn *a = tc_join(port, "first");
    ck_assert_int_eq(count_becomes(1), 1);
    snprintf(args, sizeof args, "--port %u --shm-name %s", tc_free_port(), shm_name);
    ck_assert_uint_eq(run_server(args, log, sizeof log), 3);
    ck_assert_msg(strstr(log, "already running") != NULL, "%s", log);
    ck_assert_int_eq(count_becomes(1), 1);
    tc_close(a);
    /* --stop with no server on that name: 1. */
    snprintf(args, sizeof args, "--stop --shm-name %s", other);
    ck_assert_uint_eq(run_server(args, NULL, 0), 1);
}
END_TEST

/* Each named object of a running server: private to the user. */
START_TEST(test_server_named_objects_are_private_to_the_user)
{
    static const struct {
        const char *suffix;
        int kind; /* 0 mapping, 1 mutex, 2 event */
    } objs[] = {{"", 0}, {SHM_MUTEX_SUFFIX, 1}, {SHM_ALIVE_SUFFIX, 1}, {SHM_STOP_SUFFIX, 2}};
    char kname[SHM_NAME_MAX];
    DWORD err;

    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) {
        ck_assert(shm_layout_object_name(shm_name, objs[i].suffix, kname, sizeof kname));
        HANDLE h = objs[i].kind == 0   ? OpenFileMappingA(READ_CONTROL, FALSE, kname)
                   : objs[i].kind == 1 ? OpenMutexA(READ_CONTROL, FALSE, kname)
                                       : OpenEventA(READ_CONTROL, FALSE, kname);
        ck_assert_msg(h != NULL, "open %s: %lu", kname, GetLastError());
        ck_assert_msg(objsec_check(h, &err) == OBJSEC_PRIVATE, "%s is not private", kname);
        CloseHandle(h);
    }
}
END_TEST

/* A segment someone else made (default security, as a squatter or the
 * original server makes it): the server refuses to start, says why, exits
 * 4, and the squatter's bytes are untouched. */
START_TEST(test_server_refuses_a_squatted_segment)
{
    char args[300], log[2000], name[128];

    tp_unique_name(name, sizeof name, "squat");
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                    sizeof(SharedChatData), name);
    ck_assert_ptr_nonnull(map);
    SharedChatData *v = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, sizeof *v);
    ck_assert_ptr_nonnull(v);
    v->connectedClients = 5;
    strcpy(v->lastMessage, "mine");
    snprintf(args, sizeof args, "--port %u --shm-name %s", tc_free_port(), name);
    ck_assert_uint_eq(run_server(args, log, sizeof log), 4);
    ck_assert_msg(strstr(log, "did not make") != NULL, "%s", log);
    ck_assert_int_eq(v->connectedClients, 5);
    ck_assert_str_eq(v->lastMessage, "mine");
    UnmapViewOfFile(v);
    CloseHandle(map);

    /* Its stop event squatted: refused the same way. */
    char kname[SHM_NAME_MAX];
    ck_assert(shm_layout_object_name(name, SHM_STOP_SUFFIX, kname, sizeof kname));
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, kname);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(run_server(args, log, sizeof log), 4);
    CloseHandle(ev);

    /* An object of another type under the segment's name: the same. */
    ck_assert(shm_layout_object_name(name, "", kname, sizeof kname));
    ev = CreateEventA(NULL, TRUE, FALSE, kname);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(run_server(args, log, sizeof log), 4);
    ck_assert_msg(strstr(log, "did not make") != NULL, "%s", log);
    CloseHandle(ev);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("server");
    TCase *proto = tcase_create("protocol");
    TCase *framing = tcase_create("framing");
    TCase *load = tcase_create("load");
    TCase *proc = tcase_create("process");

    tc_startup();
    TCase *all[] = {proto, framing, load, proc};
    for (int i = 0; i < 4; i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        tcase_set_timeout(all[i], 180);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(proto, test_server_hello_join_and_relay_to_everyone);
    tcase_add_test(proto, test_server_log_spells_out_what_could_forge_a_line);
    tcase_add_test(proto, test_server_quit_ends_the_session_and_others_hear_it);
    tcase_add_test(proto, test_server_names_are_cleaned_or_anonymous);
    tcase_add_test(proto, test_server_a_newcomer_gets_the_roster_and_the_instance);
    tcase_add_test(proto, test_server_a_roster_stays_exact_while_others_join_and_leave);
    tcase_add_test(proto, test_server_a_name_in_use_is_refused);
    tcase_add_test(proto, test_server_last_message_is_the_last_line_everyone_saw);
    tcase_add_test(proto, test_server_same_name_rejoin_is_never_followed_by_a_stale_left);
    tcase_add_test(framing, test_server_legacy_client_unterminated_sends_are_messages);
    tcase_add_test(framing, test_server_three_lines_in_one_send_are_three_messages);
    tcase_add_test(framing, test_server_message_split_across_sends_arrives_whole);
    tcase_add_test(framing, test_server_oversize_line_is_refused_and_the_session_goes_on);
    tcase_add_test(framing, test_server_exactly_4096_bytes_is_relayed_whole);
    tcase_add_test(framing, test_server_control_characters_removed_other_bytes_kept);
    tcase_add_test(load, test_server_churn_count_tracks_hellos_and_returns_to_zero);
    tcase_add_test(load, test_server_full_refuses_newcomers_without_counting_them);
    tcase_add_test(load, test_server_slow_reader_is_dropped_and_nobody_waits);
    tcase_add_test(load, test_server_a_flood_read_back_is_slowed_not_dropped);
    tcase_add_test(load, test_server_chat_goes_on_while_another_process_holds_the_lock);
    tcase_add_test(load, test_server_a_client_leaving_in_good_order_gets_everything_queued);
    tcase_add_test(load, test_server_silent_connection_is_closed_at_the_hello_timeout);
    tcase_add_test(load, test_server_100_mb_without_a_newline_is_refused_in_bounded_memory);
    tcase_add_test(load, test_server_1000_connections_at_once);
    tcase_add_test(load, test_server_a_flooder_is_held_to_its_rate_and_five_readers_get_every_line);
    tcase_add_test(load, test_server_past_its_burst_a_sender_is_told_once_and_loses_nothing);
    tcase_add_test(load, test_server_a_sole_sender_that_stops_reading_is_dropped);
    tcase_add_test(load, test_server_silent_connections_from_one_address_cannot_keep_others_out);
    tcase_add_test(proto, test_server_serves_ipv6_loopback_beside_ipv4);
    tcase_add_test(proto, test_server_bind_takes_ipv6_addresses);
    tcase_add_test(proc, test_server_stop_shuts_down_cleanly);
    tcase_add_test(proc, test_server_stop_during_a_flood_is_clean_and_quick);
    tcase_add_test(proc, test_server_exit_codes_say_what_went_wrong);
    tcase_add_test(proc, test_server_named_objects_are_private_to_the_user);
    tcase_add_test(proc, test_server_refuses_a_squatted_segment);
    return s;
}
