/* settings.c: the client's INI file (see settings.h). */
#include "gui/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/chatlog.h"
#include "gui/text.h"
#include "win/winerr.h"

static const wchar_t SECTION_CONN[] = L"Connection";
static const wchar_t SECTION_WIN[] = L"Window";

/* The file's path; false when no folder could be found or made. */
static bool ini_path(wchar_t *path, size_t cap, bool create_dir)
{
    wchar_t given[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"CHAT_CLIENT_INI", given, MAX_PATH);
    if (n > 0 && n < MAX_PATH) {
        /* The profile API would look for a bare name in the Windows folder:
         * a relative path means relative to the current folder here. */
        n = GetFullPathNameW(given, (DWORD)cap, path, NULL);
        return n > 0 && n < cap;
    }
    /* Portable: a SETTINGS_PORTABLE_MARKER file beside the program keeps
     * the settings beside it too (an unpacked zip on a USB stick), and
     * never in %APPDATA%: a folder too deep for the profile API (MAX_PATH)
     * keeps none rather than some elsewhere. */
    enum { EXE_MAX = 32768 }; /* the longest path Windows has */
    wchar_t *exe = malloc(EXE_MAX * sizeof *exe);
    if (exe == NULL)
        return false;
    /* With the \\?\ prefix a folder deeper than MAX_PATH is looked in too
     * (the marker there means no settings, never %APPDATA%'s). */
    wcscpy(exe, L"\\\\?\\");
    n = GetModuleFileNameW(NULL, exe + 4, EXE_MAX - 60);
    bool drive = n > 2 && exe[5] == L':' && exe[6] == L'\\';
    bool unc = n > 2 && exe[4] == L'\\' && exe[5] == L'\\' && exe[6] != L'?' && exe[6] != L'.';
    wchar_t *slash = n > 0 && n < EXE_MAX - 60 ? wcsrchr(exe + 4, L'\\') : NULL;
    if (slash) {
        wcscpy(slash + 1, SETTINGS_PORTABLE_MARKER);
        DWORD attr;
        if (unc) { /* \\server\share\... as \\?\UNC\server\share\... */
            wchar_t *long_unc = malloc(EXE_MAX * sizeof *long_unc);
            if (long_unc == NULL) {
                free(exe);
                return false;
            }
            swprintf(long_unc, EXE_MAX, L"\\\\?\\UNC\\%ls", exe + 6);
            attr = GetFileAttributesW(long_unc);
            free(long_unc);
        } else {
            attr = GetFileAttributesW(drive ? exe : exe + 4);
        }
        if (attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
            wcscpy(slash + 1, L"chat_client.ini");
            bool fits = wcslen(exe + 4) < MAX_PATH && wcslen(exe + 4) < cap;
            if (fits)
                wcscpy(path, exe + 4);
            free(exe);
            return fits;
        }
    }
    free(exe);
    n = GetEnvironmentVariableW(L"APPDATA", path, (DWORD)cap);
    if (n == 0 || n + 40 >= cap)
        return false;
    wcscat(path, L"\\ChatClient");
    if (create_dir)
        CreateDirectoryW(path, NULL); /* fails harmlessly when it exists */
    wcscat(path, L"\\chat_client.ini");
    return true;
}

#define INI_MAX_BYTES (1024 * 1024) /* ours is a few hundred bytes */
#define PLACEMENT_MAX 100000          /* pixels or 96-DPI units: no display is larger */

/* The profile API writes a new file in the ANSI code page, which turned
 * "Zoë 王小明" into "Zo\353 ??? ??". It keeps a file that starts with a
 * UTF-16 byte-order mark in UTF-16: so the file is made that way, and one
 * in another encoding (an older version's ANSI, or UTF-8 from an editor,
 * with or without its mark) is converted once, keeping every line. */
static bool make_unicode(const wchar_t *path)
{
    HANDLE f = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return false;
    bool ok = false;
    DWORD size = GetFileSize(f, NULL), got = 0, put = 0;
    char *old = size < INI_MAX_BYTES ? malloc(size + 1) : NULL;
    if (old && ReadFile(f, old, size, &got, NULL) && got == size) {
        if (size >= 2 && (unsigned char)old[0] == 0xFF && (unsigned char)old[1] == 0xFE) {
            ok = true; /* already UTF-16 */
        } else {
            const char *text = old;
            DWORD len = size;
            UINT cp = CP_ACP;
            if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
                text += 3, len -= 3, cp = CP_UTF8;
            } else if (len && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, (int)len,
                                                  NULL, 0) > 0) {
                cp = CP_UTF8; /* valid UTF-8 (ASCII included) */
            }
            int n = len ? MultiByteToWideChar(cp, 0, text, (int)len, NULL, 0) : 0;
            wchar_t *w = malloc(((size_t)n + 1) * sizeof *w);
            if (w) {
                w[0] = 0xFEFF;
                if (n)
                    MultiByteToWideChar(cp, 0, text, (int)len, w + 1, n);
                DWORD bytes = (DWORD)(n + 1) * sizeof *w;
                ok = SetFilePointer(f, 0, NULL, FILE_BEGIN) == 0 &&
                     WriteFile(f, w, bytes, &put, NULL) && put == bytes && SetEndOfFile(f);
                free(w);
            }
        }
    }
    free(old);
    CloseHandle(f);
    return ok;
}

/* The path, the folder made and the file UTF-16: ready for writing. */
static bool ini_for_writing(wchar_t *path, size_t cap)
{
    return ini_path(path, cap, true) && make_unicode(path);
}

/* A system error as UTF-8 (FormatMessageA's text is in the ANSI code
 * page, the log's lines are UTF-8). */
static void error_utf8(DWORD code, char *out, size_t cap)
{
    char ansi[200];
    wchar_t w[200];
    win_strerror(code, ansi, sizeof ansi);
    if (MultiByteToWideChar(CP_ACP, 0, ansi, -1, w, 200) == 0)
        wcscpy(w, L"unknown error");
    text_wide_to_utf8(w, out, cap);
}

bool settings_writable(char *why, size_t cap)
{
    wchar_t path[MAX_PATH + 64];
    char where[3 * (MAX_PATH + 64)], err[600];
    if (!ini_path(path, MAX_PATH + 64, true)) {
        snprintf(why, cap, "no settings file can be made there: the folder is too deep "
                 "(a path of %d characters or more) or %%APPDATA%% is not usable", MAX_PATH);
        return false;
    }
    text_wide_to_utf8(path, where, sizeof where);
    /* Nothing is written until there is something to save: an existing
     * file is opened as the save opens it; for a new one, a file of this
     * process's own name beside it is made and gone again (never the real
     * name, which another instance may be writing this moment). */
    DWORD attr = GetFileAttributesW(path);
    bool there = attr != INVALID_FILE_ATTRIBUTES;
    if (there && (attr & FILE_ATTRIBUTE_DIRECTORY)) {
        snprintf(why, cap, "%s is a folder", where);
        return false;
    }
    wchar_t probe[MAX_PATH + 64];
    wcscpy(probe, path);
    wchar_t *slash = wcsrchr(probe, L'\\');
    if (slash == NULL)
        return true; /* not a full path: ini_path makes only full ones */
    /* "~<pid in hex>.tmp": no longer than "chat_client.ini", so a path
     * that fits MAX_PATH still fits. */
    swprintf(slash + 1, (size_t)(probe + MAX_PATH + 64 - (slash + 1)), L"~%lx.tmp",
             (unsigned long)GetCurrentProcessId());
    HANDLE f = there ? CreateFileW(path, GENERIC_READ | GENERIC_WRITE,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL, NULL)
                     : CreateFileW(probe, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                                   FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        /* Another instance saving this moment, or a file of the probe's
         * name already: no sign the settings cannot be kept. */
        if (code == ERROR_SHARING_VIOLATION || code == ERROR_FILE_EXISTS)
            return true;
        error_utf8(code, err, sizeof err);
        snprintf(why, cap, "%s: %s", where, err);
        return false;
    }
    DWORD size = GetFileSize(f, NULL);
    CloseHandle(f);
    if (there && size != INVALID_FILE_SIZE && size >= INI_MAX_BYTES) {
        snprintf(why, cap, "%s: the file is over 1 MB", where);
        return false;
    }
    return true;
}

static void read_utf8_in(const wchar_t *path, const wchar_t *section, const wchar_t *key,
                         char *out, size_t cap)
{
    wchar_t w[512];
    GetPrivateProfileStringW(section, key, L"", w, 512, path);
    text_wide_to_utf8(w, out, cap);
}

static void read_utf8(const wchar_t *path, const wchar_t *key, char *out, size_t cap)
{
    read_utf8_in(path, SECTION_CONN, key, out, cap);
}

static void load_placement(Settings *s, const wchar_t *path)
{
    wchar_t w[200];
    int v[7];
    SettingsPlacement *p = &s->placement;

    GetPrivateProfileStringW(SECTION_WIN, L"Position", L"", w, 200, path);
    if (swscanf(w, L"%d,%d", &v[0], &v[1]) == 2 && abs(v[0]) < PLACEMENT_MAX &&
        abs(v[1]) < PLACEMENT_MAX) {
        GetPrivateProfileStringW(SECTION_WIN, L"Size96", L"", w, 200, path);
        if (swscanf(w, L"%d,%d", &v[2], &v[3]) == 2 && v[2] > 0 && v[3] > 0 &&
            v[2] < PLACEMENT_MAX && v[3] < PLACEMENT_MAX) {
            s->have_placement = true;
            p->x = v[0];
            p->y = v[1];
            p->width96 = v[2];
            p->height96 = v[3];
            p->maximized = GetPrivateProfileIntW(SECTION_WIN, L"Maximized", 0, path) != 0;
        }
        return;
    }
    /* An older version's pixels, of a display whose DPI it did not say. */
    GetPrivateProfileStringW(SECTION_WIN, L"Placement", L"", w, 200, path);
    if (swscanf(w, L"%d,%d,%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) ==
            7 &&
        v[2] > v[0] && v[3] > v[1] && abs(v[0]) < PLACEMENT_MAX && abs(v[1]) < PLACEMENT_MAX &&
        v[2] - v[0] < PLACEMENT_MAX && v[3] - v[1] < PLACEMENT_MAX) {
        s->have_placement = true;
        p->x = v[0];
        p->y = v[1];
        p->width96 = v[2] - v[0];
        p->height96 = v[3] - v[1];
        p->maximized = v[4] == SW_SHOWMAXIMIZED;
    }
}

/* Scrollback=: a number of lines, clamped to what the log takes; anything
 * that is not a plain number (empty, "abc", "-5") is the default. */
static unsigned read_scrollback(const wchar_t *path)
{
    wchar_t w[32];
    GetPrivateProfileStringW(SECTION_WIN, L"Scrollback", L"", w, 32, path);
    unsigned long long v = 0;
    size_t i = 0;
    for (; w[i] >= L'0' && w[i] <= L'9' && v <= CHATLOG_MAX_LINES; i++)
        v = v * 10 + (unsigned)(w[i] - L'0');
    if (i == 0 || (w[i] != L'\0' && !(w[i] >= L'0' && w[i] <= L'9')))
        return CHATLOG_DEFAULT_LINES;
    return v < CHATLOG_MIN_LINES ? CHATLOG_MIN_LINES
           : v > CHATLOG_MAX_LINES ? CHATLOG_MAX_LINES
                                   : (unsigned)v;
}

void settings_load(Settings *s)
{
    wchar_t path[MAX_PATH + 64];
    char server[300], err[200];

    memset(s, 0, sizeof *s);
    snprintf(s->host, sizeof s->host, "%s", CLIENT_DEFAULT_HOST);
    s->port = PROTO_DEFAULT_PORT;
    s->scrollback = CHATLOG_DEFAULT_LINES;
    s->font_weight = FW_NORMAL;
    if (!ini_path(path, MAX_PATH + 64, false))
        return;
    /* A file in another encoding is read as what it is: converted first
     * (when it cannot be, it is read as ANSI, as before). */
    if (GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES)
        make_unicode(path);

    read_utf8(path, L"Server", server, sizeof server);
    if (server[0]) {
        char host[CLIENT_HOST_MAX];
        unsigned short port = PROTO_DEFAULT_PORT;
        if (client_parse_server(server, host, sizeof host, &port, err, sizeof err)) {
            snprintf(s->host, sizeof s->host, "%s", host);
            s->port = port;
        }
    }
    char user[PROTO_NAME_MAX_CHARS * 8];
    read_utf8(path, L"User", user, sizeof user);
    proto_name_from(user, strlen(user), s->user);
    load_placement(s, path);
    s->people_hidden = GetPrivateProfileIntW(SECTION_WIN, L"People", 1, path) == 0;
    char theme[16];
    read_utf8_in(path, SECTION_WIN, L"Theme", theme, sizeof theme);
    s->theme = theme_choice_parse(theme);
    GetPrivateProfileStringW(SECTION_WIN, L"FontFace", L"", s->font_face, LF_FACESIZE, path);
    s->font_points10 = (int)GetPrivateProfileIntW(SECTION_WIN, L"FontSize10", 0, path);
    s->font_weight = (int)GetPrivateProfileIntW(SECTION_WIN, L"FontWeight", FW_NORMAL, path);
    s->font_italic = GetPrivateProfileIntW(SECTION_WIN, L"FontItalic", 0, path) != 0;
    /* A face with no sane size is the system font again, and nothing of
     * the nonsense is written back. */
    if (s->font_points10 < 40 || s->font_points10 > 1000 || s->font_weight < 0 ||
        s->font_weight > 1000) {
        s->font_face[0] = L'\0';
        s->font_points10 = 0;
        s->font_weight = FW_NORMAL;
    }
    s->scrollback = read_scrollback(path);
}

bool settings_save_connection(const Settings *s)
{
    wchar_t path[MAX_PATH + 64], w[400];
    char server[300];

    if (!ini_for_writing(path, MAX_PATH + 64))
        return false;
    client_format_server(server, sizeof server, s->host, s->port);
    text_utf8_to_wide(server, w, 400);
    bool ok = WritePrivateProfileStringW(SECTION_CONN, L"Server", w, path);
    text_utf8_to_wide(s->user, w, 400);
    return WritePrivateProfileStringW(SECTION_CONN, L"User", w, path) && ok;
}

bool settings_save_placement(const Settings *s)
{
    wchar_t path[MAX_PATH + 64], w[100];
    const SettingsPlacement *p = &s->placement;

    if (!s->have_placement || !ini_for_writing(path, MAX_PATH + 64))
        return false;
    swprintf(w, 100, L"%d,%d", p->x, p->y);
    bool ok = WritePrivateProfileStringW(SECTION_WIN, L"Position", w, path);
    swprintf(w, 100, L"%d,%d", p->width96, p->height96);
    ok = WritePrivateProfileStringW(SECTION_WIN, L"Size96", w, path) && ok;
    ok = WritePrivateProfileStringW(SECTION_WIN, L"Maximized", p->maximized ? L"1" : L"0",
                                    path) && ok;
    ok = WritePrivateProfileStringW(SECTION_WIN, L"People", s->people_hidden ? L"0" : L"1",
                                    path) && ok;
    text_utf8_to_wide(theme_choice_name(s->theme), w, 100);
    ok = WritePrivateProfileStringW(SECTION_WIN, L"Theme", w, path) && ok;
    ok = WritePrivateProfileStringW(SECTION_WIN, L"FontFace", s->font_face, path) && ok;
    swprintf(w, 100, L"%d", s->font_points10);
    ok = WritePrivateProfileStringW(SECTION_WIN, L"FontSize10", w, path) && ok;
    swprintf(w, 100, L"%d", s->font_weight);
    ok = WritePrivateProfileStringW(SECTION_WIN, L"FontWeight", w, path) && ok;
    ok = WritePrivateProfileStringW(SECTION_WIN, L"FontItalic", s->font_italic ? L"1" : L"0",
                                    path) && ok;
    swprintf(w, 100, L"%u", s->scrollback);
    ok = WritePrivateProfileStringW(SECTION_WIN, L"Scrollback", w, path) && ok;
    WritePrivateProfileStringW(SECTION_WIN, L"Placement", NULL, path); /* the old form */
    return ok;
}
