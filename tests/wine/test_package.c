/* test_package.c: the packages scripts/package makes, installed, upgraded,
 * used and uninstalled the way a Windows user would, in a fresh Wine prefix
 * of their own (tests/wine/package.sh makes the packages and the prefix and
 * says where they are):
 *   CHAT_PKG_SETUP      win32chat-VERSION-win64-setup.exe (this version)
 *   CHAT_PKG_OLD_SETUP  the same sources packed as CHAT_PKG_OLD_VERSION
 *   CHAT_PKG_PORTABLE   the portable zip, unpacked: the folder of its programs
 *
 * The tests run in order, one installation going through its life: an
 * older version, an upgrade over it, the same version over itself, use,
 * uninstall; then the portable folder. Everything the packages make is
 * looked for where Windows keeps it (known folders, HKCU), and what is
 * left after an uninstall is the difference of two full listings of the
 * user's files and registry keys. */
#include <check.h>
#include <shlobj.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

#include "chat_version.h"
#include "common/check_main.h"
#include "common/guiclient.h"
#include "common/tconn.h"
#include "common/winproc.h"

#define UNINST_KEY L"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Win32Chat"
#define UNINST_ALL L"Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall"

/* A folder with a space and a letter outside ASCII: quoting and Unicode;
 * and the one an install moves to. */
#define FIRST_DIR L"C:\\Chat T\u00ebst\\Win32 Chat"
#define MOVED_DIR L"C:\\Chat Moved\\Win32 Chat"
static const wchar_t *INSTDIR = FIRST_DIR; /* where the tests expect it now */
static wchar_t setup_new[MAX_PATH], setup_old[MAX_PATH], old_version[32], portable[MAX_PATH];
static wchar_t start_menu[MAX_PATH], desktop[MAX_PATH], settings_dir[MAX_PATH];
static wchar_t settings_ini[MAX_PATH], default_dir[MAX_PATH];

/* --- small helpers -------------------------------------------------------- */

static void from_env(const wchar_t *name, wchar_t *out, DWORD cap)
{
    DWORD n = GetEnvironmentVariableW(name, out, cap);
    ck_assert_msg(n > 0 && n < cap, "%s is not set: run this suite through tests/wine/package.sh",
                  gc_u8(name));
}

static void path_in(wchar_t *out, const wchar_t *dir, const wchar_t *name)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", dir, name);
    out[MAX_PATH - 1] = 0;
}

static bool exists(const wchar_t *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* Runs a program to its end (a minute at most) and returns its exit code. */
static DWORD run(const wchar_t *exe, const wchar_t *args)
{
    return tp_exit_code(tp_spawn_w(exe, args, NULL), 60000);
}

static void install(const wchar_t *setup, const wchar_t *args)
{
    ck_assert_msg(run(setup, args) == 0, "%s %s failed", gc_u8(setup), gc_u8(args));
}

static bool reg_str(const wchar_t *value, wchar_t *out, DWORD cap)
{
    DWORD bytes = cap * sizeof(wchar_t);
    out[0] = 0;
    return RegGetValueW(HKEY_CURRENT_USER, UNINST_KEY, value, RRF_RT_REG_SZ, NULL, out, &bytes) ==
           ERROR_SUCCESS;
}

/* Add/Remove Programs entries named "Win32 Chat", whatever their key. */
static int arp_entries(void)
{
    HKEY all;
    int n = 0;
    if (RegOpenKeyExW(HKEY_CURRENT_USER, UNINST_ALL, 0, KEY_READ, &all) != ERROR_SUCCESS)
        return 0;
    wchar_t sub[256], name[256];
    for (DWORD i = 0;; i++) {
        DWORD len = 256, bytes = sizeof name;
        if (RegEnumKeyExW(all, i, sub, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
            break;
        if (RegGetValueW(all, sub, L"DisplayName", RRF_RT_REG_SZ, NULL, name, &bytes) ==
                ERROR_SUCCESS &&
            wcscmp(name, L"Win32 Chat") == 0)
            n++;
    }
    RegCloseKey(all);
    return n;
}

/* A small file's bytes, NUL-terminated; returns how many (0: none). */
static DWORD slurp(const wchar_t *path, char *out, size_t cap)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    out[0] = 0;
    if (f == INVALID_HANDLE_VALUE)
        return 0;
    if (!ReadFile(f, out, (DWORD)cap - 1, &got, NULL))
        got = 0;
    out[got] = 0;
    CloseHandle(f);
    return got;
}

/* Waits up to ms for `text` in a program's log. */
static bool log_has(const wchar_t *log, const char *text, DWORD ms)
{
    static char buf[65536];
    unsigned long long until = tp_now_ms() + ms;
    do {
        slurp(log, buf, sizeof buf);
        if (strstr(buf, text))
            return true;
        Sleep(50);
    } while (tp_now_ms() < until);
    return false;
}

/* Where a shortcut points (IShellLink, as Explorer reads it). */
static bool shortcut_target(const wchar_t *lnk, wchar_t *out, int cap)
{
    IShellLinkW *link = NULL;
    IPersistFile *file = NULL;
    bool ok = false;
    out[0] = 0;
    if (FAILED(CoCreateInstance(&CLSID_ShellLink, NULL, CLSCTX_INPROC_SERVER, &IID_IShellLinkW,
                                (void **)&link)))
        return false;
    if (SUCCEEDED(link->lpVtbl->QueryInterface(link, &IID_IPersistFile, (void **)&file))) {
        ok = SUCCEEDED(file->lpVtbl->Load(file, lnk, STGM_READ)) &&
             link->lpVtbl->GetPath(link, out, cap, NULL, SLGP_RAWPATH) == S_OK;
        file->lpVtbl->Release(file);
    }
    link->lpVtbl->Release(link);
    return ok;
}

static void assert_shortcut(const wchar_t *dir, const wchar_t *lnk, const wchar_t *program)
{
    wchar_t path[MAX_PATH], target[MAX_PATH], want[MAX_PATH];
    path_in(path, dir, lnk);
    path_in(want, INSTDIR, program);
    ck_assert_msg(shortcut_target(path, target, MAX_PATH), "no shortcut %s", gc_u8(path));
    ck_assert_msg(_wcsicmp(target, want) == 0, "%s points at %s, not %s", gc_u8(path),
                  gc_u8(target), gc_u8(want));
}

/* The installed programs: each there, of `version` by its VERSIONINFO. */
static void assert_installed(const char *version)
{
    static const wchar_t *const files[] = {L"chat_client.exe", L"chat_server.exe",
                                           L"uninstall.exe", L"README.txt", L"LICENSE.txt"};
    wchar_t path[MAX_PATH], got_w[64];
    char got[64];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        path_in(path, INSTDIR, files[i]);
        ck_assert_msg(exists(path), "%s was not installed", gc_u8(path));
    }
    path_in(path, INSTDIR, L"portable.txt");
    ck_assert_msg(!exists(path), "the installer made the installed copy portable");
    for (int i = 0; i < 2; i++) {
        path_in(path, INSTDIR, i ? L"chat_server.exe" : L"chat_client.exe");
        ck_assert_msg(tp_file_version(path, got, sizeof got), "%s: no VERSIONINFO", gc_u8(path));
        ck_assert_msg(strcmp(got, version) == 0, "%s is %s, not %s", gc_u8(path), got, version);
    }
    ck_assert_msg(reg_str(L"DisplayVersion", got_w, 64), "no Add/Remove Programs entry");
    ck_assert_msg(strcmp(gc_u8(got_w), version) == 0, "Add/Remove Programs says %s, not %s",
                  gc_u8(got_w), version);
    ck_assert_int_eq(arp_entries(), 1);
}

/* Starts the installed client (settings where an installed one keeps them),
 * waits for its window and closes it as a user would. */
static void run_installed_client(const wchar_t *args)
{
    wchar_t exe[MAX_PATH];
    path_in(exe, INSTDIR, L"chat_client.exe");
    HANDLE proc = tp_spawn_w(exe, args, NULL);
    PostMessageW(tp_top_window(GetProcessId(proc), 15000), WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);
}

/* The copy of itself uninstaller `pid` started, opened to be waited for;
 * NULL when none yet. */
static HANDLE child_of(DWORD pid)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W pe;
    HANDLE child = NULL;
    if (snap == INVALID_HANDLE_VALUE)
        return NULL;
    pe.dwSize = sizeof pe;
    for (BOOL more = Process32FirstW(snap, &pe); more && !child; more = Process32NextW(snap, &pe))
        if (pe.th32ParentProcessID == pid && pe.th32ProcessID != pid &&
            _wcsnicmp(pe.szExeFile, L"Un", 2) == 0) /* NSIS's Un.exe, Un_A.exe... */
            child = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                pe.th32ProcessID);
    CloseHandle(snap);
    return child;
}

/* Runs the installed uninstaller silently as a user does and returns its
 * exit code: NSIS's uninstaller starts a copy of itself from %TEMP% (a
 * program cannot delete its own file) and returns 0 at once; the copy does
 * the work, and its code is the one that tells. */
static DWORD uninstall(const wchar_t *args)
{
    wchar_t exe[MAX_PATH];
    path_in(exe, INSTDIR, L"uninstall.exe");
    ck_assert_msg(exists(exe), "no uninstaller to run");
    HANDLE parent = tp_spawn_w(exe, args, NULL);
    DWORD pid = GetProcessId(parent);
    HANDLE copy = NULL;
    unsigned long long until = tp_now_ms() + 30000;
    while ((copy = child_of(pid)) == NULL && tp_now_ms() < until)
        Sleep(5); /* the copy lives for hundreds of ms at least */
    ck_assert_uint_eq(tp_exit_code(parent, 30000), 0);
    ck_assert_msg(copy != NULL, "the uninstaller started no copy of itself");
    return tp_exit_code(copy, 60000);
}

/* --- what a user's profile holds: files and registry keys ---------------- */

typedef struct {
    wchar_t **item;
    size_t n, cap;
} List;

static void list_add(List *l, const wchar_t *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->item = realloc(l->item, l->cap * sizeof *l->item);
        ck_assert_ptr_nonnull(l->item);
    }
    l->item[l->n] = _wcsdup(s);
    ck_assert_ptr_nonnull(l->item[l->n]);
    l->n++;
}

static void list_free(List *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    memset(l, 0, sizeof *l);
}

static void walk_files(List *l, const wchar_t *dir)
{
    wchar_t pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW fd;
    path_in(pattern, dir, L"*");
    HANDLE h = FindFirstFileW(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
            continue;
        path_in(path, dir, fd.cFileName);
        if (_wcsicmp(path, L"C:\\windows") == 0)
            continue; /* the system's, and Wine's own */
        list_add(l, path);
        if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
            !(fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
            walk_files(l, path);
    } while (FindNextFileW(h, &fd));
    FindClose(h);
}

static void walk_keys(List *l, HKEY root, const wchar_t *path)
{
    HKEY k;
    wchar_t sub[256], full[1024];
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
        return;
    for (DWORD i = 0;; i++) {
        DWORD len = 256;
        if (RegEnumKeyExW(k, i, sub, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
            break;
        _snwprintf(full, 1024, path[0] ? L"%ls\\%ls" : L"%ls%ls", path, sub);
        full[1023] = 0;
        if (_wcsicmp(full, L"Software\\Wine") == 0)
            continue; /* Wine's own settings, which it changes as it runs */
        wchar_t shown[1100];
        _snwprintf(shown, 1100, L"HKCU\\%ls", full);
        shown[1099] = 0;
        list_add(l, shown);
        walk_keys(l, root, full);
    }
    RegCloseKey(k);
}

/* Every file and folder on C: outside C:\windows and every key of HKCU. */
static void profile_listing(List *l)
{
    walk_files(l, L"C:");
    walk_keys(l, HKEY_CURRENT_USER, L"");
}

static bool listed(const List *l, const wchar_t *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (_wcsicmp(l->item[i], s) == 0)
            return true;
    return false;
}

static List before_install; /* before anything was installed */

/* True when Windows is to delete `path` at its next start: NSIS's
 * uninstaller runs from a copy in %TEMP% that cannot delete itself. */
static bool deleted_at_restart(const wchar_t *path)
{
    static const wchar_t key[] = L"SYSTEM\\CurrentControlSet\\Control\\Session Manager";
    DWORD bytes = 0;
    bool found = false;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"PendingFileRenameOperations", RRF_RT_REG_MULTI_SZ,
                     NULL, NULL, &bytes) != ERROR_SUCCESS)
        return false;
    wchar_t *ops = calloc(bytes + 4 * sizeof(wchar_t), 1);
    ck_assert_ptr_nonnull(ops);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"PendingFileRenameOperations", RRF_RT_REG_MULTI_SZ,
                     NULL, ops, &bytes) == ERROR_SUCCESS) {
        /* Pairs of strings: "\\??\\C:\\from", then "" (delete) or where to. */
        for (const wchar_t *from = ops; *from && !found;) {
            const wchar_t *to = from + wcslen(from) + 1;
            const wchar_t *name = wcsncmp(from, L"\\??\\", 4) == 0 ? from + 4 : from;
            found = *to == 0 && _wcsicmp(name, path) == 0;
            from = to + wcslen(to) + 1;
        }
    }
    free(ops);
    return found;
}

/* Why a new item in the listing is no concern of the uninstaller's, or
 * NULL: `allowed` (NULL-terminated), the test framework's temporary files,
 * what Windows deletes at its next start. */
static const char *why_left(const wchar_t *item, const wchar_t *const *allowed)
{
    wchar_t temp[MAX_PATH], check_tmp[MAX_PATH];
    for (const wchar_t *const *a = allowed; *a; a++)
        if (_wcsicmp(*a, item) == 0)
            return "the user's settings";
    DWORD n = GetTempPathW(MAX_PATH, temp);
    if (n > 0 && n < MAX_PATH) {
        _snwprintf(check_tmp, MAX_PATH, L"%lscheck_", temp);
        check_tmp[MAX_PATH - 1] = 0;
        if (_wcsnicmp(item, check_tmp, wcslen(check_tmp)) == 0)
            return "this test's own: Check's temporary file";
    }
    if (deleted_at_restart(item))
        return "deleted when Windows next starts";
    return NULL;
}

/* What the listing holds now that it did not before the first install,
 * printed and compared with `allowed` (NULL-terminated). */
static void assert_left_only(const wchar_t *const *allowed)
{
    List now = {0};
    int unexpected = 0;
    profile_listing(&now);
    printf("left after uninstalling:");
    for (size_t i = 0; i < now.n; i++) {
        if (listed(&before_install, now.item[i]))
            continue;
        const char *why = why_left(now.item[i], allowed);
        printf("\n  %s (%s)", gc_u8(now.item[i]), why ? why : "UNEXPECTED");
        unexpected += why == NULL;
    }
    printf("\n");
    fflush(stdout);
    list_free(&now);
    ck_assert_msg(unexpected == 0, "the uninstaller left %d things of ours (listed above)",
                  unexpected);
}

/* --- the tests ------------------------------------------------------------ */

/* A fresh prefix: nothing of ours yet. An older version installs silently
 * into the folder asked for, and its client keeps the user's settings where
 * an installed client does. */
START_TEST(test_package_an_older_version_installs_silently_where_asked)
{
    ck_assert_int_eq(arp_entries(), 0);
    ck_assert_msg(!exists(settings_ini), "the prefix is not fresh: %s exists",
                  gc_u8(settings_ini));
    profile_listing(&before_install);
    ck_assert_uint_gt(before_install.n, 10);

    wchar_t args[MAX_PATH + 20];
    _snwprintf(args, MAX_PATH + 20, L"/S /D=%ls", INSTDIR);
    install(setup_old, args);
    char v[32];
    snprintf(v, sizeof v, "%s", gc_u8(old_version));
    assert_installed(v);

    run_installed_client(L"--server 127.0.0.1:1 --user keeper --shm-name ChatPkgTest");
    ck_assert_msg(exists(settings_ini), "the installed client kept no settings in %s",
                  gc_u8(settings_ini));
}
END_TEST

/* This version over the older one, without /D: in place, settings kept
 * byte for byte, still one entry in Add/Remove Programs. */
START_TEST(test_package_upgrades_in_place_and_keeps_the_settings)
{
    static char before[65536], after[65536];
    DWORD size = slurp(settings_ini, before, sizeof before);
    ck_assert_msg(size > 0, "no settings to keep");

    /* Not while the client runs: a silent install then changes nothing and
     * exits with code 3 (on Windows the running program's file could not
     * be replaced). */
    wchar_t exe[MAX_PATH];
    path_in(exe, INSTDIR, L"chat_client.exe");
    HANDLE running = tp_spawn_w(exe, L"--server 127.0.0.1:1 --user keeper --shm-name ChatPkgTest", NULL);
    HWND win = tp_top_window(GetProcessId(running), 15000);
    ck_assert_uint_eq(run(setup_new, L"/S"), 3);
    char v[32];
    snprintf(v, sizeof v, "%s", gc_u8(old_version));
    assert_installed(v);
    PostMessageW(win, WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(running, 10000), 0);
    size = slurp(settings_ini, before, sizeof before); /* as the client left them */

    install(setup_new, L"/S");
    assert_installed(CHAT_VERSION);
    ck_assert_msg(!exists(default_dir), "the upgrade went to %s instead of the installed folder",
                  gc_u8(default_dir));
    ck_assert_msg(slurp(settings_ini, after, sizeof after) == size && memcmp(before, after, size) == 0,
                  "the upgrade changed the user's settings");

    /* And the same version over itself. */
    install(setup_new, L"/S");
    assert_installed(CHAT_VERSION);
    ck_assert_msg(slurp(settings_ini, after, sizeof after) == size && memcmp(before, after, size) == 0,
                  "installing again changed the user's settings");
}
END_TEST

/* What the installer made: the Add/Remove Programs entry, complete; the
 * Start menu shortcuts, pointing at the installed programs; no desktop
 * shortcut unless asked. */
START_TEST(test_package_entry_and_shortcuts_point_at_the_installed_programs)
{
    wchar_t v[MAX_PATH + 40], want[MAX_PATH + 40], lnk[MAX_PATH];
    ck_assert(reg_str(L"DisplayName", v, MAX_PATH));
    ck_assert_str_eq(gc_u8(v), "Win32 Chat");
    ck_assert(reg_str(L"Publisher", v, MAX_PATH));
    ck_assert_str_eq(gc_u8(v), "The Win32 Chat authors");
    ck_assert(reg_str(L"InstallLocation", v, MAX_PATH));
    ck_assert_msg(_wcsicmp(v, INSTDIR) == 0, "InstallLocation %s", gc_u8(v));
    ck_assert(reg_str(L"DisplayIcon", v, MAX_PATH + 40));
    _snwprintf(want, MAX_PATH + 40, L"%ls\\chat_client.exe,0", INSTDIR);
    ck_assert_msg(_wcsicmp(v, want) == 0, "DisplayIcon %s", gc_u8(v));
    ck_assert(reg_str(L"UninstallString", v, MAX_PATH + 40));
    _snwprintf(want, MAX_PATH + 40, L"\"%ls\\uninstall.exe\"", INSTDIR);
    ck_assert_msg(_wcsicmp(v, want) == 0, "UninstallString %s", gc_u8(v));
    DWORD kb = 0, bytes = sizeof kb;
    ck_assert_int_eq(RegGetValueW(HKEY_CURRENT_USER, UNINST_KEY, L"EstimatedSize", RRF_RT_REG_DWORD,
                                  NULL, &kb, &bytes),
                     ERROR_SUCCESS);
    ck_assert_msg(kb >= 100 && kb < 10000, "EstimatedSize %lu KB", kb);

    assert_shortcut(start_menu, L"Win32 Chat.lnk", L"chat_client.exe");
    assert_shortcut(start_menu, L"Win32 Chat Server.lnk", L"chat_server.exe");
    assert_shortcut(start_menu, L"Uninstall Win32 Chat.lnk", L"uninstall.exe");
    path_in(lnk, desktop, L"Win32 Chat.lnk");
    ck_assert_msg(!exists(lnk), "a desktop shortcut nobody asked for");

    install(setup_new, L"/S /DESKTOP");
    assert_shortcut(desktop, L"Win32 Chat.lnk", L"chat_client.exe");
    ck_assert_int_eq(arp_entries(), 1);
}
END_TEST

/* The installed programs work: both say the version, the server starts
 * and the client connects to it. */
START_TEST(test_package_the_installed_server_starts_and_the_client_connects)
{
    wchar_t server[MAX_PATH], client[MAX_PATH], args[200];
    char text[4096];
    path_in(server, INSTDIR, L"chat_server.exe");
    path_in(client, INSTDIR, L"chat_client.exe");
    for (int i = 0; i < 2; i++) {
        const wchar_t *log = i ? L"pkg.client-version.log" : L"pkg.server-version.log";
        ck_assert_uint_eq(tp_exit_code(tp_spawn_w(i ? client : server, L"--version", log), 10000), 0);
        slurp(log, text, sizeof text);
        ck_assert_msg(strstr(text, CHAT_VERSION) != NULL, "--version said: %s", text);
    }

    unsigned short port = tc_free_port();
    _snwprintf(args, 200, L"--port %u --shm-name ChatPkgTest", port);
    HANDLE srv = tp_spawn_w(server, args, L"pkg.server.log");
    ck_assert_msg(log_has(L"pkg.server.log", "listening on", 15000), "the server did not start");
    /* A running server's file is in use: an install leaves it, exit code 3. */
    ck_assert_uint_eq(run(setup_new, L"/S"), 3);
    _snwprintf(args, 200, L"--server 127.0.0.1:%u --user installed --shm-name ChatPkgTest", port);
    HANDLE cli = tp_spawn_w(client, args, NULL);
    HWND win = tp_top_window(GetProcessId(cli), 15000);
    ck_assert_msg(log_has(L"pkg.server.log", "installed joined the chat", 20000),
                  "the installed client never joined the installed server");
    PostMessageW(win, WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(cli, 10000), 0);
    ck_assert_uint_eq(run(server, L"--stop --shm-name ChatPkgTest"), 0);
    ck_assert_uint_eq(tp_exit_code(srv, 10000), 0);
}
END_TEST

/* Installing into another folder moves the install: the earlier copy is
 * uninstalled first (settings kept), one entry, the shortcuts follow. */
START_TEST(test_package_installing_elsewhere_moves_the_install)
{
    wchar_t args[MAX_PATH + 30], v[MAX_PATH];
    static char before[65536], after[65536];
    DWORD size = slurp(settings_ini, before, sizeof before);
    for (int back = 0; back < 2; back++) {
        const wchar_t *from = back ? MOVED_DIR : FIRST_DIR, *to = back ? FIRST_DIR : MOVED_DIR;
        /* Spelt as a script might (a "\\.\\" and a doubled "\\"): the entry
         * must name the folder as the uninstaller will see itself. */
        if (back)
            _snwprintf(args, MAX_PATH + 30, L"/S /D=%ls", to);
        else
            wcscpy(args, L"/S /D=C:\\.\\Chat Moved\\\\Win32 Chat");
        install(setup_new, args);
        INSTDIR = to;
        assert_installed(CHAT_VERSION);
        ck_assert_msg(!exists(from), "the copy in %s is still there", gc_u8(from));
        /* and the folder above it, which its install made */
        const wchar_t *made = back ? L"C:\\Chat Moved" : L"C:\\Chat T\u00ebst";
        ck_assert_msg(!exists(made), "%s is still there", gc_u8(made));
        ck_assert(reg_str(L"InstallLocation", v, MAX_PATH));
        ck_assert_msg(_wcsicmp(v, to) == 0, "InstallLocation %s", gc_u8(v));
        assert_shortcut(start_menu, L"Win32 Chat.lnk", L"chat_client.exe");
        assert_shortcut(desktop, L"Win32 Chat.lnk", L"chat_client.exe"); /* it had one */
        ck_assert_msg(slurp(settings_ini, after, sizeof after) == size &&
                          memcmp(before, after, size) == 0,
                      "moving the install changed the user's settings");
    }
}
END_TEST

/* A folder of the user's own files: a silent install there does nothing
 * (exit code 4), and an uninstaller copied into it removes nothing there
 * and leaves the installed copy's entry (exit code 2). */
START_TEST(test_package_a_folder_of_other_files_is_left_alone)
{
    static const wchar_t foreign[] = L"C:\\My Notes";
    wchar_t readme[MAX_PATH], copy[MAX_PATH], src[MAX_PATH], args[MAX_PATH + 30];
    char text[256];
    CreateDirectoryW(foreign, NULL);
    path_in(readme, foreign, L"README.txt");
    HANDLE f = CreateFileW(readme, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD put = 0;
    ck_assert(f != INVALID_HANDLE_VALUE);
    ck_assert(WriteFile(f, "my own notes\r\n", 14, &put, NULL));
    CloseHandle(f);
    /* Another program's uninstaller (NSIS's usual name) makes it no more ours. */
    path_in(copy, foreign, L"uninstall.exe");
    f = CreateFileW(copy, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ck_assert(f != INVALID_HANDLE_VALUE);
    CloseHandle(f);

    _snwprintf(args, MAX_PATH + 30, L"/S /D=%ls", foreign);
    ck_assert_uint_eq(run(setup_new, args), 4);
    ck_assert_int_eq(slurp(readme, text, sizeof text), 14);
    ck_assert_msg(GetCompressedFileSizeW(copy, NULL) == 0, "its uninstall.exe was replaced");
    ck_assert_str_eq(text, "my own notes\r\n");

    path_in(src, INSTDIR, L"uninstall.exe");
    ck_assert(CopyFileW(src, copy, FALSE));
    _snwprintf(args, MAX_PATH + 30, L"/S _?=%ls", foreign); /* in place: its code */
    ck_assert_uint_eq(run(copy, args), 2);
    ck_assert_int_eq(slurp(readme, text, sizeof text), 14);
    assert_installed(CHAT_VERSION);

    ck_assert(DeleteFileW(copy));
    ck_assert(DeleteFileW(readme));
    ck_assert(RemoveDirectoryW(foreign));
}
END_TEST

/* While the installed client runs, the uninstaller changes nothing and
 * says so with exit code 3. */
START_TEST(test_package_a_running_client_stops_the_uninstaller)
{
    wchar_t exe[MAX_PATH];
    path_in(exe, INSTDIR, L"chat_client.exe");
    HANDLE proc = tp_spawn_w(exe, L"--server 127.0.0.1:1 --user keeper --shm-name ChatPkgTest", NULL);
    HWND win = tp_top_window(GetProcessId(proc), 15000);
    ck_assert_uint_eq(uninstall(L"/S"), 3);
    assert_installed(CHAT_VERSION);
    PostMessageW(win, WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);
}
END_TEST

/* Uninstalling silently removes every file, shortcut and key the installer
 * made and leaves the user's settings; asked to, the settings too. */
START_TEST(test_package_uninstall_leaves_only_the_settings_unless_asked)
{
    wchar_t lnk[MAX_PATH];
    path_in(lnk, desktop, L"Win32 Chat.lnk");
    ck_assert_msg(exists(lnk), "no desktop shortcut to see removed");
    ck_assert_uint_eq(uninstall(L"/S"), 0);
    ck_assert_int_eq(arp_entries(), 0);
    /* Wine links the Desktop to $HOME, which the listing does not walk. */
    ck_assert_msg(!exists(lnk), "the desktop shortcut is still there");
    ck_assert_msg(!exists(start_menu), "the Start menu folder is still there");
    ck_assert_msg(exists(settings_ini), "the uninstaller removed the user's settings unasked");
    const wchar_t *const settings[] = {settings_dir, settings_ini, NULL};
    assert_left_only(settings);

    /* Again, asking for the settings to go too: nothing is left. */
    wchar_t args[MAX_PATH + 30];
    _snwprintf(args, MAX_PATH + 30, L"/S /DESKTOP /D=%ls", INSTDIR);
    install(setup_new, args);
    assert_installed(CHAT_VERSION);
    ck_assert_uint_eq(uninstall(L"/S /REMOVESETTINGS"), 0);
    ck_assert_msg(!exists(settings_ini), "/REMOVESETTINGS kept the settings");
    ck_assert_msg(!exists(lnk), "the desktop shortcut is still there");
    ck_assert_msg(!exists(start_menu), "the Start menu folder is still there");
    const wchar_t *const nothing[] = {NULL};
    assert_left_only(nothing);
}
END_TEST

/* The portable zip, unpacked: the client keeps its settings beside itself
 * and writes nothing to %APPDATA%. */
START_TEST(test_package_the_portable_folder_keeps_its_settings_beside_the_client)
{
    wchar_t exe[MAX_PATH], ini[MAX_PATH], marker[MAX_PATH], appdata[MAX_PATH];
    path_in(exe, portable, L"chat_client.exe");
    path_in(ini, portable, L"chat_client.ini");
    path_in(marker, portable, L"portable.txt");
    ck_assert_msg(exists(marker), "the zip has no portable.txt");
    ck_assert_msg(!exists(ini), "the zip came with settings");
    DWORD installed_ini = GetCompressedFileSizeW(settings_ini, NULL);
    /* An %APPDATA% of the test's own, empty, to see that nothing goes there. */
    ck_assert(GetFullPathNameW(L"pkg.appdata", MAX_PATH, appdata, NULL) > 0);
    CreateDirectoryW(appdata, NULL);
    wchar_t old_appdata[MAX_PATH];
    DWORD had = GetEnvironmentVariableW(L"APPDATA", old_appdata, MAX_PATH);
    SetEnvironmentVariableW(L"APPDATA", appdata);
    HANDLE proc = tp_spawn_w(exe, L"--server 127.0.0.1:1 --user wanderer --shm-name ChatPkgTest", NULL);
    SetEnvironmentVariableW(L"APPDATA", had ? old_appdata : NULL);
    PostMessageW(tp_top_window(GetProcessId(proc), 15000), WM_CLOSE, 0, 0);
    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);

    ck_assert_msg(exists(ini), "no chat_client.ini beside the portable client");
    List written = {0};
    walk_files(&written, appdata);
    for (size_t i = 0; i < written.n; i++)
        printf("written to %%APPDATA%%: %s\n", gc_u8(written.item[i]));
    size_t n = written.n;
    list_free(&written);
    ck_assert_msg(n == 0, "the portable client wrote %u things to %%APPDATA%%", (unsigned)n);
    ck_assert_msg(GetCompressedFileSizeW(settings_ini, NULL) == installed_ini,
                  "the portable client wrote the installed one's settings");
}
END_TEST

static void setup_suite(void)
{
    wchar_t programs[MAX_PATH], appdata[MAX_PATH], local[MAX_PATH];
    from_env(L"CHAT_PKG_SETUP", setup_new, MAX_PATH);
    from_env(L"CHAT_PKG_OLD_SETUP", setup_old, MAX_PATH);
    from_env(L"CHAT_PKG_OLD_VERSION", old_version, 32);
    from_env(L"CHAT_PKG_PORTABLE", portable, MAX_PATH);
    ck_assert(SHGetFolderPathW(NULL, CSIDL_PROGRAMS, NULL, 0, programs) == S_OK);
    ck_assert(SHGetFolderPathW(NULL, CSIDL_DESKTOPDIRECTORY, NULL, 0, desktop) == S_OK);
    ck_assert(SHGetFolderPathW(NULL, CSIDL_APPDATA, NULL, 0, appdata) == S_OK);
    ck_assert(SHGetFolderPathW(NULL, CSIDL_LOCAL_APPDATA, NULL, 0, local) == S_OK);
    path_in(start_menu, programs, L"Win32 Chat");
    path_in(settings_dir, appdata, L"ChatClient");
    path_in(settings_ini, settings_dir, L"chat_client.ini");
    path_in(default_dir, local, L"Programs\\Win32 Chat");
    /* The installed client finds its settings the way a user's does. */
    SetEnvironmentVariableW(L"CHAT_CLIENT_INI", NULL);
    ck_assert(SUCCEEDED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)));
}

Suite *make_suite(void)
{
    Suite *s = suite_create("package");
    tc_startup();
    TCase *tc = tcase_create("install");
    tcase_add_unchecked_fixture(tc, setup_suite, NULL);
    /* A test that failed half-way leaves no client running into the next. */
    tcase_add_checked_fixture(tc, NULL, tp_end_helpers);
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, test_package_an_older_version_installs_silently_where_asked);
    tcase_add_test(tc, test_package_upgrades_in_place_and_keeps_the_settings);
    tcase_add_test(tc, test_package_entry_and_shortcuts_point_at_the_installed_programs);
    tcase_add_test(tc, test_package_the_installed_server_starts_and_the_client_connects);
    tcase_add_test(tc, test_package_installing_elsewhere_moves_the_install);
    tcase_add_test(tc, test_package_a_folder_of_other_files_is_left_alone);
    tcase_add_test(tc, test_package_a_running_client_stops_the_uninstaller);
    tcase_add_test(tc, test_package_uninstall_leaves_only_the_settings_unless_asked);
    tcase_add_test(tc, test_package_the_portable_folder_keeps_its_settings_beside_the_client);
    suite_add_tcase(s, tc);
    return s;
}
