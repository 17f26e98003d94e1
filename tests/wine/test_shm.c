/* test_shm.c: the shared-memory module on real named kernel objects, with
 * real second processes (shm_helper.exe) as the other side. */
#include <stdio.h>
#include <string.h>

#include "common/check_main.h"
#include "common/winproc.h"
#include "core/utf8.h"
#include "shm/shm.h"
#include "shm/shm_compat.h"
#include "shm/shm_int.h"
#include "win/objsec.h"

#define ck_assert_status(r, want)                                                  \
    do {                                                                           \
        ShmResult r_ = (r);                                                        \
        char b_[512];                                                              \
        ck_assert_msg(r_.status == (want), "status %d (%s), want %d", r_.status,   \
                      shm_strerror(r_, b_, sizeof b_), (int)(want));               \
    } while (0)

static char name[128];

static void new_name(void)
{
    tp_unique_name(name, sizeof name, "shm");
}

/* A fresh segment: created by a server handle, attached by a client one. */
static void open_pair(ChatShm **server, ChatShm **client)
{
    new_name();
    ck_assert_status(shm_create(name, server), SHM_OK);
    ck_assert_status(shm_attach(name, client), SHM_OK);
}

/* --- layout and round trip ------------------------------------------------ */

START_TEST(test_shm_layout_is_1028_bytes_text_at_4)
{
    ck_assert_uint_eq(sizeof(SharedChatData), 1028);
    ck_assert_uint_eq(offsetof(SharedChatData, lastMessage), 4);
}
END_TEST

START_TEST(test_shm_create_attach_snapshot_round_trip)
{
    ChatShm *server, *client;
    SharedChatData d;

    open_pair(&server, &client);

    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    ck_assert_str_eq(d.lastMessage, "No messages yet");

    ck_assert_status(shm_client_joined(server), SHM_OK);
    ck_assert_status(shm_client_joined(server), SHM_OK);
    ck_assert_status(shm_post_message(server, "hello there", 11), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 2);
    ck_assert_str_eq(d.lastMessage, "hello there");

    ck_assert_status(shm_client_left(server), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 1);

    shm_close(client);
    shm_close(server);
}
END_TEST

START_TEST(test_shm_names_are_the_originals)
{
    /* The compat entry points use the original names: the mapping and the
     * mutex can be opened by those names from outside the module. */
    ck_assert(init_shared_memory());
    ck_assert(init_shared_memory()); /* a second call is a no-op */
    ck_assert_ptr_nonnull(shm_default());

    HANDLE map = OpenFileMappingA(FILE_MAP_READ, FALSE, "ChatSharedMemory");
    HANDLE mtx = OpenMutexA(SYNCHRONIZE, FALSE, "ChatSharedMemoryMutex");
    ck_assert_ptr_nonnull(map);
    ck_assert_ptr_nonnull(mtx);
    SharedChatData *v = MapViewOfFile(map, FILE_MAP_READ, 0, 0, 0);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->connectedClients, 0);
    ck_assert_str_eq(v->lastMessage, "No messages yet");
    UnmapViewOfFile(v);
    CloseHandle(map);
    CloseHandle(mtx);

    cleanup_shared_memory();
    ck_assert_ptr_null(shm_default());
}
END_TEST

START_TEST(test_shm_create_reinitialises_an_existing_segment)
{
    ChatShm *first, *second, *client;
    SharedChatData d;

    new_name();
    ck_assert_status(shm_create(name, &first), SHM_OK);
    shm_client_joined(first);
    shm_post_message(first, "old", 3);
    ck_assert_status(shm_create(name, &second), SHM_OK);
    ck_assert_status(shm_attach(name, &client), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    ck_assert_str_eq(d.lastMessage, "No messages yet");
    shm_close(client);
    shm_close(second);
    shm_close(first);
}
END_TEST

START_TEST(test_shm_close_takes_back_the_count_it_added)
{
    ChatShm *server, *client;
    SharedChatData d;

    open_pair(&server, &client);
    for (int i = 0; i < 3; i++)
        shm_client_joined(server);
    shm_client_left(server);
    shm_close(server);
    /* The client's handles keep the segment alive after the server left. */
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    shm_close(client);
}
END_TEST

START_TEST(test_shm_count_never_goes_below_zero)
{
    ChatShm *server;
    SharedChatData d;

    new_name();
    ck_assert_status(shm_create(name, &server), SHM_OK);
    ck_assert_status(shm_client_left(server), SHM_OK);
    ck_assert_status(shm_snapshot(server, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    shm_close(server);
}
END_TEST

/* --- attaching ------------------------------------------------------------ */

START_TEST(test_shm_attach_before_server_says_no_server_then_works)
{
    ChatShm *client = (ChatShm *)1, *server;
    char buf[512];

    new_name();
    ShmResult r = shm_attach(name, &client);
    ck_assert_status(r, SHM_E_NO_SERVER);
    ck_assert_ptr_null(client);
    ck_assert_msg(strstr(shm_strerror(r, buf, sizeof buf), "no chat server") != NULL, "%s",
                  buf);

    ck_assert_status(shm_create(name, &server), SHM_OK);
    ck_assert_status(shm_attach(name, &client), SHM_OK);
    shm_close(client);
    shm_close(server);
}
END_TEST

START_TEST(test_shm_attach_is_read_only)
{
    ChatShm *server, *client;

    open_pair(&server, &client);
    ck_assert_status(shm_post_message(client, "x", 1), SHM_E_READONLY);
    ck_assert_status(shm_client_joined(client), SHM_E_READONLY);

    shm_close(client);
    shm_close(server);
}
END_TEST

/* Another process attached as a client cannot write the segment: its view is
 * read-only and a write through it faults. */
START_TEST(test_shm_client_cannot_write_the_segment)
{
    ChatShm *server, *client;
    MEMORY_BASIC_INFORMATION mbi;
    SharedChatData d;
    char args[160];

    open_pair(&server, &client);
    ck_assert_uint_eq(VirtualQuery(client->view, &mbi, sizeof mbi), sizeof mbi);
    ck_assert_uint_eq(mbi.Protect, PAGE_READONLY);
    snprintf(args, sizeof args, "poke %s", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("shm_helper.exe", args), 10000), 42);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    shm_close(client);
    shm_close(server);
}
END_TEST

/* The verdict on the object of a kernel name, opened with READ_CONTROL. */
static ObjSecVerdict security_of(bool mutex, const char *kname)
{
    DWORD err;
    HANDLE h = mutex ? OpenMutexA(READ_CONTROL, FALSE, kname)
                     : OpenFileMappingA(READ_CONTROL, FALSE, kname);
    ck_assert_msg(h != NULL, "open %s: %lu", kname, GetLastError());
    ObjSecVerdict v = objsec_check(h, &err);
    CloseHandle(h);
    return v;
}

START_TEST(test_shm_objects_are_private_and_in_the_session_namespace)
{
    ChatShm *server, *client;
    char kname[SHM_NAME_MAX], mname[SHM_NAME_MAX];

    open_pair(&server, &client);
    ck_assert(shm_layout_object_name(name, "", kname, sizeof kname));
    ck_assert(strncmp(kname, "Local\\", 6) == 0);
    ck_assert_int_eq(security_of(false, kname), OBJSEC_PRIVATE);
    ck_assert(shm_layout_object_name(name, SHM_MUTEX_SUFFIX, kname, sizeof kname));
    ck_assert_int_eq(security_of(true, kname), OBJSEC_PRIVATE);
    /* The original system's clients open the names without a prefix: the
     * same objects. */
    ck_assert_int_eq(security_of(false, name), OBJSEC_PRIVATE);
    shm_layout_mutex_name(name, mname, sizeof mname);
    ck_assert_int_eq(security_of(true, mname), OBJSEC_PRIVATE);
    /* A default-security object is told apart. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD err;
    ck_assert_int_eq(objsec_check(ev, &err), OBJSEC_FOREIGN);
    CloseHandle(ev);
    shm_close(client);
    shm_close(server);
}
END_TEST

/* The takeover decision on crafted descriptors. Wine has one user, so no
 * other account can make an object here: the owner check is tested on the
 * parts objsec_check reads. */
static PSID sid_of_user(DWORD rid)
{
    SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
    PSID sid;
    ck_assert(AllocateAndInitializeSid(&nt, 5, SECURITY_NT_NON_UNIQUE, 111, 222, 333, rid, 0,
                                       0, 0, &sid));
    return sid;
}

static PACL dacl_allowing(BYTE *buf, DWORD size, PSID a, PSID b)
{
    PACL acl = (PACL)buf;
    ck_assert(InitializeAcl(acl, size, ACL_REVISION));
    ck_assert(AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, a));
    if (b != NULL)
        ck_assert(AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, b));
    return acl;
}

START_TEST(test_objsec_takes_over_only_what_this_user_owns_and_alone_may_open)
{
    ObjSecurity mine;
    BYTE a1[256], a2[256], a3[256];
    PSID me, other = sid_of_user(1001), everyone;
    SID_IDENTIFIER_AUTHORITY world = {SECURITY_WORLD_SID_AUTHORITY};

    ck_assert_uint_eq(objsec_private(&mine), 0);
    me = mine.token.user.User.Sid;
    ck_assert(AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0,
                                       &everyone));
    PACL just_me = dacl_allowing(a1, sizeof a1, me, NULL);

    /* What a chat server of this user makes. */
    ck_assert_int_eq(objsec_judge(me, just_me, me), OBJSEC_PRIVATE);
    /* Another account that copied that DACL is still the owner: refused. */
    ck_assert_int_eq(objsec_judge(other, just_me, me), OBJSEC_FOREIGN);
    ck_assert_int_eq(objsec_judge(NULL, just_me, me), OBJSEC_FOREIGN);
    /* Ours, but open to others, or to nobody in particular. */
    ck_assert_int_eq(objsec_judge(me, dacl_allowing(a2, sizeof a2, me, everyone), me),
                     OBJSEC_FOREIGN);
    ck_assert_int_eq(objsec_judge(me, dacl_allowing(a3, sizeof a3, other, NULL), me),
                     OBJSEC_FOREIGN);
    ck_assert_int_eq(objsec_judge(me, NULL, me), OBJSEC_FOREIGN); /* default security */
    /* A deny entry for us is not an allow entry. */
    BYTE a4[256];
    PACL deny = (PACL)a4;
    ck_assert(InitializeAcl(deny, sizeof a4, ACL_REVISION));
    ck_assert(AddAccessDeniedAce(deny, ACL_REVISION, GENERIC_ALL, me));
    ck_assert_int_eq(objsec_judge(me, deny, me), OBJSEC_FOREIGN);

    /* And what objsec_private makes is what the check reads back from a real
     * object: its owner is us. */
    HANDLE ev = CreateEventA(&mine.sa, TRUE, FALSE, NULL);
    DWORD err;
    ck_assert_ptr_nonnull(ev);
    ck_assert_int_eq(objsec_check(ev, &err), OBJSEC_PRIVATE);
    CloseHandle(ev);
    FreeSid(other);
    FreeSid(everyone);
}
END_TEST

/* A squatter (or the original server) made the segment with default
 * security: shm_create refuses it and leaves its bytes alone. */
START_TEST(test_shm_create_refuses_a_segment_a_chat_server_did_not_make)
{
    ChatShm *server;

    new_name();
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                    sizeof(SharedChatData), name);
    ck_assert_ptr_nonnull(map);
    SharedChatData *v = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, sizeof *v);
    ck_assert_ptr_nonnull(v);
    v->connectedClients = 77;
    strcpy(v->lastMessage, "squatted");
    ck_assert_status(shm_create(name, &server), SHM_E_FOREIGN);
    ck_assert_ptr_null(server);
    ck_assert_int_eq(v->connectedClients, 77);
    ck_assert_str_eq(v->lastMessage, "squatted");
    UnmapViewOfFile(v);
    CloseHandle(map);

    /* Only the mutex squatted: refused too. */
    new_name();
    char mname[SHM_NAME_MAX];
    shm_layout_mutex_name(name, mname, sizeof mname);
    HANDLE mtx = CreateMutexA(NULL, FALSE, mname);
    ck_assert_ptr_nonnull(mtx);
    ck_assert_status(shm_create(name, &server), SHM_E_FOREIGN);
    CloseHandle(mtx);
}
END_TEST

/* A chat server that died while a client kept the segment open left private
 * objects behind: the next server takes them over. */
START_TEST(test_shm_create_takes_over_what_a_dead_server_left)
{
    ChatShm *first, *second, *client;
    SharedChatData d;

    open_pair(&first, &client);
    shm_client_joined(first);
    shm_close(first);
    ck_assert_status(shm_create(name, &second), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 0);
    shm_close(second);
    shm_close(client);
}
END_TEST

START_TEST(test_shm_attach_segment_without_mutex_is_no_mutex)
{
    ChatShm *client;

    new_name();
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                    sizeof(SharedChatData), name);
    ck_assert_ptr_nonnull(map);
    ck_assert_status(shm_attach(name, &client), SHM_E_NO_MUTEX);
    ck_assert_ptr_null(client);
    CloseHandle(map);
}
END_TEST

START_TEST(test_shm_attach_name_of_another_object_reports_win32_words)
{
    ChatShm *client;
    char buf[512];

    new_name();
    /* An event squats the name: opening it as a mapping is a type mismatch. */
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, name);
    ck_assert_ptr_nonnull(ev);
    ShmResult r = shm_attach(name, &client);
    ck_assert_status(r, SHM_E_SYSTEM);
    ck_assert_uint_eq(r.sys_error, ERROR_INVALID_HANDLE);
    shm_strerror(r, buf, sizeof buf);
    ck_assert_msg(strstr(buf, "(error 6)") != NULL && strlen(buf) > 30, "%s", buf);
    CloseHandle(ev);
}
END_TEST

START_TEST(test_shm_bad_names_are_refused)
{
    ChatShm *shm;
    char longname[400];

    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert_status(shm_create("", &shm), SHM_E_NAME);
    ck_assert_status(shm_attach(longname, &shm), SHM_E_NAME);
    ck_assert_ptr_null(shm);
}
END_TEST

START_TEST(test_shm_view_covers_stops_at_the_region_end)
{
    /* One committed page followed by a reserved one: a "view" whose last
     * 100 bytes are all there is. */
    char *base = VirtualAlloc(NULL, 8192, MEM_RESERVE, PAGE_NOACCESS);
    ck_assert_ptr_nonnull(base);
    ck_assert_ptr_nonnull(VirtualAlloc(base, 4096, MEM_COMMIT, PAGE_READWRITE));
    ck_assert(shm__view_covers(base, 1028));
    ck_assert(shm__view_covers(base + 4096 - 100, 100));
    ck_assert(!shm__view_covers(base + 4096 - 100, 101));
    ck_assert(!shm__view_covers(base + 4096 - 1027, 1028));
    ck_assert(!shm__view_covers(base + 4096, 1));
    ck_assert(!shm__view_covers(NULL, 1));
    VirtualFree(base, 0, MEM_RELEASE);
}
END_TEST

/* --- hostile and foreign writers ------------------------------------------ */

START_TEST(test_shm_squatter_with_16_bytes_is_read_safely)
{
    ChatShm *client;
    SharedChatData d;

    new_name();
    /* A squatter makes the name with 16 bytes and its own mutex. */
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 16, name);
    ck_assert_ptr_nonnull(map);
    char mname[SHM_NAME_MAX];
    shm_layout_mutex_name(name, mname, sizeof mname);
    HANDLE mtx = CreateMutexA(NULL, FALSE, mname);
    ck_assert_ptr_nonnull(mtx);
    unsigned char *v = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 16);
    ck_assert_ptr_nonnull(v);
    memcpy(v, "\x07\x00\x00\x00" "ABCDEFGHIJKL", 16);

    /* Sections are page-granular, so the view covers 1028 bytes and attach
     * works; if a system ever maps exactly 16 bytes, it must refuse. */
    ShmResult r = shm_attach(name, &client);
    ck_assert_msg(r.status == SHM_OK || r.status == SHM_E_TOO_SMALL, "status %d", r.status);
    if (r.status == SHM_OK) {
        ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
        ck_assert_int_eq(d.connectedClients, 7);
        ck_assert_str_eq(d.lastMessage, "ABCDEFGHIJKL");
        for (size_t i = 12; i < sizeof d.lastMessage; i++)
            ck_assert_int_eq(d.lastMessage[i], 0);
        shm_close(client);
    }
    UnmapViewOfFile(v);
    CloseHandle(mtx);
    CloseHandle(map);
}
END_TEST

START_TEST(test_shm_foreign_writer_without_nul_gives_1023_bytes)
{
    ChatShm *server, *client;
    SharedChatData d;

    open_pair(&server, &client);
    char args[300];
    snprintf(args, sizeof args, "write-nonul %s 4", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("shm_helper.exe", args), 10000), 0);

    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 4);
    ck_assert_uint_eq(strlen(d.lastMessage), 1023);
    ck_assert_int_eq(d.lastMessage[1023], '\0');
    shm_close(client);
    shm_close(server);
}
END_TEST

START_TEST(test_shm_writer_process_and_reader_process_agree)
{
    ChatShm *client;
    SharedChatData d;
    char args[300];

    /* The other process is the server: it creates, counts 3, posts. */
    new_name();
    snprintf(args, sizeof args, "serve %s 3 \"hi from the server\"", name);
    HANDLE proc = tp_spawn_ready("shm_helper.exe", args, name);
    ck_assert_status(shm_attach(name, &client), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 3);
    ck_assert_str_eq(d.lastMessage, "hi from the server");

    /* A foreign writer process changes it; we see the change. */
    snprintf(args, sizeof args, "write %s 5 \"changed\"", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("shm_helper.exe", args), 10000), 0);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_int_eq(d.connectedClients, 5);
    ck_assert_str_eq(d.lastMessage, "changed");

    tp_kill(proc);
    shm_close(client);
}
END_TEST

START_TEST(test_shm_snapshot_times_out_while_another_process_holds_the_lock)
{
    ChatShm *server, *client;
    SharedChatData d;
    char args[300];

    open_pair(&server, &client);
    snprintf(args, sizeof args, "hold %s 3000", name);
    HANDLE proc = tp_spawn_ready("shm_helper.exe", args, name);

    memset(&d, 0x5A, sizeof d);
    unsigned long long t0 = tp_now_ms();
    ck_assert_status(shm_snapshot(client, 20, &d), SHM_E_BUSY);
    unsigned long long waited = tp_now_ms() - t0;
    /* It gave up instead of waiting for the 3 s hold to end, and left the
     * output alone. */
    ck_assert_msg(waited < 2000, "snapshot waited %llu ms", waited);
    ck_assert_int_eq(d.connectedClients, 0x5A5A5A5A);
    /* The server's writes give up too, with the same status. */
    shm_set_write_timeout(server, 20);
    ck_assert_status(shm_post_message(server, "x", 1), SHM_E_BUSY);

    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);
    ck_assert_status(shm_snapshot(client, 1000, &d), SHM_OK);
    shm_close(client);
    shm_close(server);
}
END_TEST

START_TEST(test_shm_writer_killed_holding_the_lock_is_recovered)
{
    ChatShm *server, *client;
    SharedChatData d;
    char args[300];
    char buf[512];

    open_pair(&server, &client);
    snprintf(args, sizeof args, "die-holding %s 9 \"half-written\"", name);
    HANDLE proc = tp_spawn_ready("shm_helper.exe", args, name);
    ck_assert_status(shm_snapshot(client, 20, &d), SHM_E_BUSY);
    tp_kill(proc);

    ShmResult r = shm_snapshot(client, 1000, &d);
    ck_assert_status(r, SHM_ABANDONED);
    ck_assert(!SHM_FAILED(r));
    ck_assert_int_eq(d.connectedClients, 9);
    ck_assert_str_eq(d.lastMessage, "half-written");
    ck_assert(strstr(shm_strerror(r, buf, sizeof buf), "abandoned") != NULL);

    /* We released it: later snapshots and writes are normal again. */
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_status(shm_post_message(server, "after", 5), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    ck_assert_str_eq(d.lastMessage, "after");
    shm_close(client);
    shm_close(server);
}
END_TEST

START_TEST(test_shm_post_cuts_1500_utf8_bytes_on_a_character)
{
    ChatShm *server, *client;
    SharedChatData d;
    char text[1500];

    for (int i = 0; i < 300; i++)
        memcpy(text + 5 * i, "\xC3\xA9\xE2\x82\xAC", 5); /* é€ */
    open_pair(&server, &client);
    ck_assert_status(shm_post_message(server, text, sizeof text), SHM_OK);
    ck_assert_status(shm_snapshot(client, 50, &d), SHM_OK);
    size_t n = strlen(d.lastMessage);
    ck_assert_uint_le(n, 1023);
    ck_assert_uint_ge(n, 1021);
    ck_assert(utf8_valid(d.lastMessage, n));
    ck_assert(memcmp(d.lastMessage, text, n) == 0);
    shm_close(client);
    shm_close(server);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("shm");
    TCase *basics = tcase_create("basics");
    TCase *attach = tcase_create("attach");
    TCase *hostile = tcase_create("hostile");

    tcase_add_test(basics, test_shm_layout_is_1028_bytes_text_at_4);
    tcase_add_test(basics, test_shm_create_attach_snapshot_round_trip);
    tcase_add_test(basics, test_shm_names_are_the_originals);
    tcase_add_test(basics, test_shm_create_reinitialises_an_existing_segment);
    tcase_add_test(basics, test_shm_close_takes_back_the_count_it_added);
    tcase_add_test(basics, test_shm_count_never_goes_below_zero);
    tcase_add_test(basics, test_shm_post_cuts_1500_utf8_bytes_on_a_character);
    tcase_add_test(attach, test_shm_attach_before_server_says_no_server_then_works);
    tcase_add_test(attach, test_shm_attach_is_read_only);
    tcase_add_test(attach, test_shm_client_cannot_write_the_segment);
    tcase_add_test(attach, test_shm_objects_are_private_and_in_the_session_namespace);
    tcase_add_test(attach, test_shm_attach_segment_without_mutex_is_no_mutex);
    tcase_add_test(attach, test_shm_attach_name_of_another_object_reports_win32_words);
    tcase_add_test(attach, test_shm_bad_names_are_refused);
    tcase_add_test(attach, test_shm_view_covers_stops_at_the_region_end);
    tcase_add_test(hostile, test_shm_squatter_with_16_bytes_is_read_safely);
    tcase_add_test(hostile, test_shm_create_refuses_a_segment_a_chat_server_did_not_make);
    tcase_add_test(hostile, test_objsec_takes_over_only_what_this_user_owns_and_alone_may_open);
    tcase_add_test(hostile, test_shm_create_takes_over_what_a_dead_server_left);
    tcase_add_test(hostile, test_shm_foreign_writer_without_nul_gives_1023_bytes);
    tcase_add_test(hostile, test_shm_writer_process_and_reader_process_agree);
    tcase_add_test(hostile, test_shm_snapshot_times_out_while_another_process_holds_the_lock);
    tcase_add_test(hostile, test_shm_writer_killed_holding_the_lock_is_recovered);
    tcase_set_timeout(hostile, 60);
    suite_add_tcase(s, basics);
    suite_add_tcase(s, attach);
    suite_add_tcase(s, hostile);
    return s;
}
