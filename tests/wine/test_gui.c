/* test_gui.c: chat_client.exe as a real process with a real window on the X
 * display, driven through window messages from this process, with the
 * shared segment written by this process or by shm_helper.exe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "chat_version.h"
#include "common/check_main.h"
#include "common/guiclient.h"
#include "common/tconn.h"
#include "common/winproc.h"
#include "gui/about.h"
#include "gui/window.h"
#include "resources/resource.h"
#include "shm/presence.h"
#include "shm/shm.h"
#include "shm/shm_compat.h"

#define INTERVAL_MS 50

static char name[128];

static void start_client(const char *extra)
{
    char args[600];
    snprintf(args, sizeof args, "--shm-name %s --interval %d --stats %s", name, INTERVAL_MS,
             extra ? extra : "--user tester");
    gc_start(name, args);
}

/* Waits (in ticks of the window's own timer) until control id shows
 * `want`; returns how many ticks that took, or asserts after max_ticks. */
static unsigned long ticks_until(int id, const wchar_t *want, unsigned long max_ticks)
{
    wchar_t got[2048];
    unsigned long t0 = gc_stat(STAT_TICKS);
    for (;;) {
        gc_text(id, got, 2048);
        unsigned long t = gc_stat(STAT_TICKS) - t0;
        if (wcscmp(got, want) == 0)
            return t;
        ck_assert_msg(t <= max_ticks, "control %d shows '%s', want '%s'", id, gc_u8(got),
                      gc_u8(want));
        Sleep(5);
    }
}

static void wait_contains(int id, const wchar_t *part, unsigned long max_ticks)
{
    wchar_t got[2048];
    unsigned long t0 = gc_stat(STAT_TICKS);
    for (;;) {
        gc_text(id, got, 2048);
        if (wcsstr(got, part))
            return;
        ck_assert_msg(gc_stat(STAT_TICKS) - t0 <= max_ticks, "control %d shows '%s', no '%s'", id,
                      gc_u8(got), gc_u8(part));
        Sleep(5);
    }
}

/* Waits (in ticks) until the status bar no longer holds `part`. */
static void status_lacks(const wchar_t *part, unsigned long max_ticks)
{
    wchar_t got[2048];
    unsigned long t0 = gc_stat(STAT_TICKS);
    for (;;) {
        gc_text(IDC_STATUS, got, 2048);
        if (!wcsstr(got, part))
            return;
        ck_assert_msg(gc_stat(STAT_TICKS) - t0 <= max_ticks, "the status still has '%s': '%s'",
                      gc_u8(part), gc_u8(got));
        Sleep(5);
    }
}

static void setup(void)
{
    char display[200];
    ck_assert_msg(GetEnvironmentVariableA("DISPLAY", display, sizeof display) > 0,
                  "the GUI suite needs an X display: run scripts/test, or set DISPLAY");
    tp_unique_name(name, sizeof name, "gui");
}

static void teardown(void)
{
    gc_kill();
}

/* --- the tests ------------------------------------------------------------ */

START_TEST(test_gui_follows_the_segment_within_two_ticks)
{
    ChatShm *srv;
    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 40); /* attached */

    shm_client_joined(srv);
    shm_client_joined(srv);
    shm_client_joined(srv);
    shm_post_message(srv, "hello window", 12);
    ck_assert_uint_le(ticks_until(IDC_COUNT, L"Connected clients: 3", 10), 2);
    ck_assert_uint_le(ticks_until(IDC_MESSAGE, L"hello window", 10), 2);
    wait_contains(IDC_STATUS, L"live", 10);
    gc_close();
    shm_close(srv);
}
END_TEST

START_TEST(test_gui_unchanged_segment_sets_no_text_for_20_ticks)
{
    ChatShm *srv;
    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    shm_post_message(srv, "steady", 6);
    start_client(NULL);
    ticks_until(IDC_MESSAGE, L"steady", 40);

    unsigned long sets = gc_stat(STAT_SET_TEXT), snaps = gc_stat(STAT_SNAPSHOTS);
    unsigned long t0 = gc_stat(STAT_TICKS);
    while (gc_stat(STAT_TICKS) - t0 < 20)
        Sleep(INTERVAL_MS);
    ck_assert_uint_eq(gc_stat(STAT_SET_TEXT), sets);
    ck_assert_uint_ge(gc_stat(STAT_SNAPSHOTS) - snaps, 20); /* it did look, every tick */
    gc_close();
    shm_close(srv);
}
END_TEST

START_TEST(test_gui_answers_while_another_process_holds_the_lock)
{
    ChatShm *srv;
    char args[300];
    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 40);

    snprintf(args, sizeof args, "hold %s 2000", name);
    HANDLE holder = tp_spawn_ready("shm_helper.exe", args, name);
    /* For the whole 2 s hold, the window answers every message in time. */
    unsigned long long end = tp_now_ms() + 1800;
    int answered = 0;
    while (tp_now_ms() < end) {
        DWORD_PTR r;
        ck_assert_msg(SendMessageTimeoutW(gc_win, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 100, &r),
                      "the window did not answer within 100 ms while the lock was held");
        answered++;
        Sleep(10);
    }
    ck_assert_int_gt(answered, 50);
    wait_contains(IDC_STATUS, L"busy", 10);
    ck_assert_uint_eq(tp_exit_code(holder, 10000), 0);
    wait_contains(IDC_STATUS, L"live", 40);
    ck_assert_uint_gt(gc_stat(STAT_BUSY), 0);
    gc_close();
    shm_close(srv);
}
END_TEST

START_TEST(test_gui_recovers_from_a_lock_abandoned_by_a_killed_process)
{
    ChatShm *srv;
    char args[300];
    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 40);

    snprintf(args, sizeof args, "die-holding %s 6 \"last words\"", name);
    HANDLE holder = tp_spawn_ready("shm_helper.exe", args, name);
    wait_contains(IDC_STATUS, L"busy", 20);
    tp_kill(holder);
    wait_contains(IDC_STATUS, L"recovered from an abandoned lock", 40);
    ticks_until(IDC_COUNT, L"Connected clients: 6", 10);
    ticks_until(IDC_MESSAGE, L"last words", 10);
    ck_assert_uint_eq(gc_stat(STAT_RECOVERED), 1);
    gc_close();
    shm_close(srv);
}
END_TEST

START_TEST(test_gui_waits_for_the_server_then_attaches_by_itself)
{
    ChatShm *srv;
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: \x2014 (server not running)", 20);
    status_lacks(L"Shared memory", 20); /* the label says it all */

    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    shm_post_message(srv, "server is up", 12);
    /* Attach attempts are once a second: within 2 s at 50 ms ticks. */
    ticks_until(IDC_MESSAGE, L"server is up", 60);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 5);
    ck_assert_uint_ge(gc_stat(STAT_ATTACHES), 2);
    gc_close();
    shm_close(srv);
}
END_TEST

START_TEST(test_gui_says_server_not_running_once_our_server_stops)
{
    char args[300];
    unsigned short port = tc_free_port();
    /* A real chat_server.exe on this segment. */
    HANDLE srv = tc_server(port, name, NULL);
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 40);
    wait_contains(IDC_STATUS, L"live", 10);

    snprintf(args, sizeof args, "--stop --shm-name %s", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("..\\..\\server\\chat_server.exe", args), 10000), 0);
    ck_assert_uint_eq(tp_exit_code(srv, 10000), 0);
    /* We still hold the segment, but the window knows its server is gone. */
    ticks_until(IDC_COUNT, L"Connected clients: \x2014 (server not running)", 60);
    status_lacks(L"live", 10);

    /* A new server: the window attaches to it again. */
    srv = tc_server(port, name, NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 60);
    gc_close();
    tp_kill(srv);
}
END_TEST

/* A server killed while another client holds its segment and its alive
 * mutex (here this process, as a second window would): the window says the
 * server is gone and stays so. Its segment still opens (someone holds it),
 * so an attach must ask the server's alive mutex before it trusts the
 * data; before, it showed the dead server's state as live again for a
 * second after every check. */
START_TEST(test_gui_a_dead_server_held_open_by_another_client_stays_dead)
{
    unsigned short port = tc_free_port();
    HANDLE srv = tc_server(port, name, NULL);
    ChatShm *other;
    ShmWatch other_watch;
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 0", 40);
    ck_assert_int_eq(shm_attach(name, &other).status, SHM_OK);
    ck_assert(presence_watch_open(&other_watch, name));

    tp_kill(srv); /* as a crash: nothing taken back, the mutex abandoned */
    ticks_until(IDC_COUNT, L"Connected clients: \x2014 (server not running)", 60);
    unsigned long snaps = gc_stat(STAT_SNAPSHOTS);
    /* Three seconds, three checks of the alive mutex and three attaches:
     * never live again, not one snapshot of the dead server's data. */
    wchar_t status[400], label[400];
    for (unsigned long long end = tp_now_ms() + 3000; tp_now_ms() < end; Sleep(20)) {
        gc_text(IDC_STATUS, status, 400);
        gc_text(IDC_COUNT, label, 400);
        ck_assert_msg(wcsstr(status, L"live") == NULL &&
                          wcscmp(label, L"Connected clients: \x2014 (server not running)") == 0,
                      "status '%s', label '%s'", gc_u8(status), gc_u8(label));
    }
    ck_assert_uint_eq(gc_stat(STAT_SNAPSHOTS), snaps);
    presence_watch_close(&other_watch);
    shm_close(other);
    gc_close();
}
END_TEST

START_TEST(test_gui_squatter_and_unterminated_text_are_shown_sanely)
{
    char mname[SHM_NAME_MAX], args[300];
    wchar_t got[2048];

    /* A 16-byte squatter with its own mutex. */
    HANDLE map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 16, name);
    shm_layout_mutex_name(name, mname, sizeof mname);
    HANDLE mtx = CreateMutexA(NULL, FALSE, mname);
    unsigned char *v = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 16);
    ck_assert_ptr_nonnull(v);
    memcpy(v, "\x07\x00\x00\x00" "ABCDEFGHIJKL", 16);
    start_client(NULL);
    ticks_until(IDC_COUNT, L"Connected clients: 7", 40);
    ticks_until(IDC_MESSAGE, L"ABCDEFGHIJKL", 5);

    /* Someone writes 1024 bytes without a NUL: 1023 are shown. */
    snprintf(args, sizeof args, "write-nonul %s 2", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn("shm_helper.exe", args), 10000), 0);
    ticks_until(IDC_COUNT, L"Connected clients: 2", 10);
    gc_text(IDC_MESSAGE, got, 2048);
    /* ...and marked as cut (issue 16): the field is full, the text went on. */
    static const wchar_t mark[] = L" [\x2026 may be cut: the shared field holds 1023 bytes]";
    ck_assert_uint_eq(wcslen(got), 1023 + wcslen(mark));
    ck_assert_msg(wcscmp(got + 1023, mark) == 0, "pane: %s", gc_u8(got + 1000));

    /* Line breaks and terminal escapes are shown, not obeyed. */
    memcpy(v + 4, "a\r\nb\x1b" "c\0", 8);
    ticks_until(IDC_MESSAGE, L"a\x240D\x240A" L"b\x241B" L"c", 10);

    /* A negative count is shown as what it is, with a warning. */
    memcpy(v, "\xfb\xff\xff\xff", 4); /* -5, written without the lock: hostile */
    ticks_until(IDC_COUNT, L"Connected clients: -5 (invalid)", 10);
    wait_contains(IDC_STATUS, L"warning", 10);
    gc_close();
    UnmapViewOfFile(v);
    CloseHandle(mtx);
    CloseHandle(map);
}
END_TEST

START_TEST(test_gui_arabic_utf8_reads_back_as_the_same_utf16)
{
    ChatShm *srv;
    const char *utf8 = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xC3\xA9t\xC3\xA9";
    const wchar_t *want = L"\x0645\x0631\x062D\x0628\x0627 \x00E9t\x00E9";
    ck_assert_int_eq(shm_create(name, &srv).status, SHM_OK);
    start_client(NULL);
    shm_post_message(srv, utf8, strlen(utf8));
    ticks_until(IDC_MESSAGE, want, 40);

    /* Bytes that are not UTF-8 are read in the ANSI code page. */
    wchar_t ansi[32];
    MultiByteToWideChar(CP_ACP, 0, "caf\xE9", -1, ansi, 32);
    shm_post_message(srv, "caf\xE9", 4);
    ticks_until(IDC_MESSAGE, ansi, 10);
    gc_close();
    shm_close(srv);
}
END_TEST

/* Options apply to their run only: the saved server and name come back
 * once they are gone (test_window covers saving through File > Connect...). */
START_TEST(test_gui_options_override_the_settings_for_one_run)
{
    char rel[200], ini[MAX_PATH];
    snprintf(rel, sizeof rel, "%s.ini", name);
    ck_assert(GetFullPathNameA(rel, MAX_PATH, ini, NULL) > 0); /* not the Windows folder */
    ck_assert(WritePrivateProfileStringA("Connection", "Server", "example.invalid:4242", ini));
    ck_assert(WritePrivateProfileStringA("Connection", "User", "saver", ini));
    start_client(" ");
    gc_title_starts(L"Chat \x2014 saver @ example.invalid:4242");
    gc_close();
    start_client("--user other --server example.invalid:1");
    gc_title_starts(L"Chat \x2014 other @ example.invalid:1");
    gc_close();
    start_client(" ");
    gc_title_starts(L"Chat \x2014 saver @ example.invalid:4242");
    gc_close();
}
END_TEST

/* The icon every dialog (About, Connect...) carries: the shared one each
 * time, not a new handle per opening that nobody destroys. In this process,
 * which carries the client's icon (test_icon.rc): Wine answers WM_GETICON
 * and GetClassLongPtr from another process with 0. */
START_TEST(test_gui_dialog_icons_are_shared_not_loaded_per_opening)
{
    HWND w = CreateWindowW(L"STATIC", L"", 0, 0, 0, 10, 10, NULL, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(w);
    about_set_dialog_icon(w);
    HICON small = (HICON)SendMessageW(w, WM_GETICON, ICON_SMALL, 0);
    HICON big = (HICON)SendMessageW(w, WM_GETICON, ICON_BIG, 0);
    ck_assert_ptr_nonnull(small);
    ck_assert_ptr_nonnull(big);
    for (int i = 0; i < 1000; i++) {
        about_set_dialog_icon(w);
        ck_assert_ptr_eq((HICON)SendMessageW(w, WM_GETICON, ICON_SMALL, 0), small);
        ck_assert_ptr_eq((HICON)SendMessageW(w, WM_GETICON, ICON_BIG, 0), big);
    }
    DestroyWindow(w);
}
END_TEST

/* Portable mode (issue 14): a portable.txt beside chat_client.exe keeps its
 * settings in chat_client.ini beside it, and nothing goes to %APPDATA%;
 * without the marker the same copy writes to %APPDATA%\ChatClient. */
START_TEST(test_gui_a_portable_marker_keeps_the_settings_beside_the_program)
{
    char dir[MAX_PATH], appdata[MAX_PATH], exe[MAX_PATH], path[MAX_PATH], old_ini[MAX_PATH];
    char rel[200];
    snprintf(rel, sizeof rel, "%s.portable", name);
    ck_assert(GetFullPathNameA(rel, MAX_PATH, dir, NULL) > 0);
    snprintf(appdata, sizeof appdata, "%s\\appdata", dir);
    CreateDirectoryA(dir, NULL);
    CreateDirectoryA(appdata, NULL);
    snprintf(exe, sizeof exe, "%s\\chat_client.exe", dir);
    ck_assert(CopyFileA("..\\..\\gui\\chat_client.exe", exe, FALSE));
    DWORD had_ini = GetEnvironmentVariableA("CHAT_CLIENT_INI", old_ini, sizeof old_ini);
    SetEnvironmentVariableA("CHAT_CLIENT_INI", NULL);
    SetEnvironmentVariableA("APPDATA", appdata);

    for (int portable = 1; portable >= 0; portable--) {
        snprintf(path, sizeof path, "%s\\portable.txt", dir);
        if (portable) {
            FILE *f = fopen(path, "w");
            ck_assert_ptr_nonnull(f);
            fputs("chat_client.exe keeps its settings beside it.\n", f);
            fclose(f);
        } else {
            ck_assert(DeleteFileA(path));
        }
        char args[300];
        snprintf(args, sizeof args, "--shm-name %s --user porter --server 127.0.0.1:1", name);
        char exe_rel[260]; /* tp_spawn takes a path relative to the test's folder */
        snprintf(exe_rel, sizeof exe_rel, "%s\\chat_client.exe", rel);
        HANDLE proc = tp_spawn(exe_rel, args);
        /* Closing saves the placement. */
        PostMessageW(tp_top_window(GetProcessId(proc), 10000), WM_CLOSE, 0, 0);
        ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);

        snprintf(path, sizeof path, "%s\\chat_client.ini", dir);
        BOOL beside = GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
        snprintf(path, sizeof path, "%s\\ChatClient\\chat_client.ini", appdata);
        BOOL roaming = GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
        if (portable) {
            ck_assert_msg(beside, "portable: no chat_client.ini beside the program");
            ck_assert_msg(!roaming, "portable: it wrote to %%APPDATA%%");
            snprintf(path, sizeof path, "%s\\chat_client.ini", dir);
            ck_assert(DeleteFileA(path));
        } else {
            ck_assert_msg(roaming, "without the marker: no %%APPDATA%%\\ChatClient\\chat_client.ini");
            ck_assert_msg(!beside, "without the marker: it wrote beside the program");
        }
    }
    SetEnvironmentVariableA("CHAT_CLIENT_INI", had_ini ? old_ini : NULL);
}
END_TEST

/* The chat log's text of a client started with CHAT_CLIENT_INI = `ini`,
 * read once its window shows and it has had a moment; then closed. */
static DWORD log_with_ini(const char *ini, wchar_t *log, size_t cap)
{
    char old[MAX_PATH], args[300];
    DWORD had = GetEnvironmentVariableA("CHAT_CLIENT_INI", old, sizeof old);
    SetEnvironmentVariableA("CHAT_CLIENT_INI", ini);
    snprintf(args, sizeof args, "--shm-name %s --user saver --server 127.0.0.1:1", name);
    HANDLE proc = tp_spawn("..\\..\\gui\\chat_client.exe", args);
    SetEnvironmentVariableA("CHAT_CLIENT_INI", had ? old : NULL);
    DWORD pid = GetProcessId(proc);
    HWND top = tp_top_window(pid, 10000);
    DWORD_PTR got = 0;
    log[0] = 0;
    for (int i = 0; i < 40 && !wcsstr(log, L"Connecting to"); i++) {
        Sleep(50);
        SendMessageTimeoutW(GetDlgItem(top, IDC_LOG), WM_GETTEXT, cap, (LPARAM)log,
                            SMTO_ABORTIFHUNG, 5000, &got);
    }
    ck_assert_msg(wcsstr(log, L"Connecting to") != NULL, "the log was never read: %s", gc_u8(log));
    PostMessageW(top, WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);
    return pid;
}

static int count_in(const wchar_t *s, const wchar_t *what)
{
    int n = 0;
    for (const wchar_t *p = s; (p = wcsstr(p, what)) != NULL; p += wcslen(what))
        n++;
    return n;
}

/* Settings that cannot be kept are said once, in the log, at the start
 * (not lost without a word at the close); settings that can are not. */
START_TEST(test_gui_settings_that_cannot_be_saved_are_said_at_the_start)
{
    static wchar_t log[16384];
    char ini[300];
    snprintf(ini, sizeof ini, "%s.no-such-folder\\chat_client.ini", name);
    log_with_ini(ini, log, 16384);
    ck_assert_msg(count_in(log, L"--- Your settings cannot be saved (") == 1, "log: %s",
                  gc_u8(log));
    ck_assert_msg(wcsstr(log, L"no-such-folder") != NULL, "the path is not named: %s", gc_u8(log));

    snprintf(ini, sizeof ini, "%s.huge.ini", name);
    FILE *f = fopen(ini, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 1100; i++)
        fprintf(f, "; %01020d\n", i);
    fclose(f);
    log_with_ini(ini, log, 16384);
    ck_assert_msg(wcsstr(log, L"the file is over 1 MB") != NULL, "log: %s", gc_u8(log));
    ck_assert(DeleteFileA(ini));

    /* Writable: nothing said, and the look leaves no file of its own. */
    snprintf(ini, sizeof ini, "%s.fine.ini", name);
    DeleteFileA(ini);
    DWORD pid = log_with_ini(ini, log, 16384);
    ck_assert_msg(wcsstr(log, L"cannot be saved") == NULL, "log: %s", gc_u8(log));
    ck_assert_msg(GetFileAttributesA(ini) != INVALID_FILE_ATTRIBUTES, "no settings after the close");
    char probe[40];
    snprintf(probe, sizeof probe, "~%lx.tmp", (unsigned long)pid);
    ck_assert_msg(GetFileAttributesA(probe) == INVALID_FILE_ATTRIBUTES, "%s was left", probe);
    ck_assert(DeleteFileA(ini));
}
END_TEST

/* One version, the CMake project's (issue 14): both programs' VERSIONINFO
 * and what --version prints. */
START_TEST(test_gui_both_programs_carry_the_project_version)
{
    static const char *const exes[2] = {"..\\..\\gui\\chat_client.exe",
                                        "..\\..\\server\\chat_server.exe"};
    static const wchar_t *const wexes[2] = {L"..\\..\\gui\\chat_client.exe",
                                            L"..\\..\\server\\chat_server.exe"};
    for (int i = 0; i < 2; i++) {
        char got[64] = "", log[200], line[300] = "";
        ck_assert_msg(tp_file_version(wexes[i], got, sizeof got), "%s: no VERSIONINFO", exes[i]);
        ck_assert_msg(strcmp(got, CHAT_VERSION) == 0, "%s: VERSIONINFO %s, project %s", exes[i],
                      got, CHAT_VERSION);
        snprintf(log, sizeof log, "%s.version%d.log", name, i);
        ck_assert_uint_eq(tp_exit_code(tp_spawn_ex(exes[i], "--version", 0, log), 10000), 0);
        FILE *f = fopen(log, "r");
        ck_assert_ptr_nonnull(f);
        ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
        fclose(f);
        ck_assert_msg(strstr(line, CHAT_VERSION) != NULL, "%s --version: %s", exes[i], line);
    }
}
END_TEST

START_TEST(test_gui_bad_option_exits_2_and_version_prints)
{
    char log[200];
    snprintf(log, sizeof log, "%s.opts.log", name);
    ck_assert_uint_eq(tp_exit_code(tp_spawn_ex("..\\..\\gui\\chat_client.exe", "--interval 5", 0, log), 10000), 2);
    FILE *f = fopen(log, "r");
    char line[300] = "";
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_msg(strstr(line, "--interval") != NULL, "%s", line);
    ck_assert_uint_eq(tp_exit_code(tp_spawn_ex("..\\..\\gui\\chat_client.exe", "--version", 0, log), 10000), 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("gui");
    tc_startup();
    TCase *tc = tcase_create("window");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_gui_follows_the_segment_within_two_ticks);
    tcase_add_test(tc, test_gui_unchanged_segment_sets_no_text_for_20_ticks);
    tcase_add_test(tc, test_gui_answers_while_another_process_holds_the_lock);
    tcase_add_test(tc, test_gui_recovers_from_a_lock_abandoned_by_a_killed_process);
    tcase_add_test(tc, test_gui_waits_for_the_server_then_attaches_by_itself);
    tcase_add_test(tc, test_gui_says_server_not_running_once_our_server_stops);
    tcase_add_test(tc, test_gui_squatter_and_unterminated_text_are_shown_sanely);
    tcase_add_test(tc, test_gui_arabic_utf8_reads_back_as_the_same_utf16);
    tcase_add_test(tc, test_gui_options_override_the_settings_for_one_run);
    tcase_add_test(tc, test_gui_a_portable_marker_keeps_the_settings_beside_the_program);
    tcase_add_test(tc, test_gui_settings_that_cannot_be_saved_are_said_at_the_start);
    tcase_add_test(tc, test_gui_bad_option_exits_2_and_version_prints);
    tcase_add_test(tc, test_gui_both_programs_carry_the_project_version);
    tcase_add_test(tc, test_gui_dialog_icons_are_shared_not_loaded_per_opening);
    tcase_add_test(tc, test_gui_a_dead_server_held_open_by_another_client_stays_dead);
    suite_add_tcase(s, tc);
    return s;
}
