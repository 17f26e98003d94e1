/* settings.c: the client's INI file (see settings.h). */
#include "gui/settings.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "gui/text.h"

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
    n = GetEnvironmentVariableW(L"APPDATA", path, (DWORD)cap);
    if (n == 0 || n + 40 >= cap)
        return false;
    wcscat(path, L"\\ChatClient");
    if (create_dir)
        CreateDirectoryW(path, NULL); /* fails harmlessly when it exists */
    wcscat(path, L"\\chat_client.ini");
    return true;
}

static void read_utf8(const wchar_t *path, const wchar_t *key, char *out, size_t cap)
{
    wchar_t w[512];
    GetPrivateProfileStringW(SECTION_CONN, key, L"", w, 512, path);
    text_wide_to_utf8(w, out, cap);
}

void settings_load(Settings *s)
{
    wchar_t path[MAX_PATH + 64];
    char server[300], err[200];
    int v[7];

    memset(s, 0, sizeof *s);
    snprintf(s->host, sizeof s->host, "%s", CLIENT_DEFAULT_HOST);
    s->port = PROTO_DEFAULT_PORT;
    if (!ini_path(path, MAX_PATH + 64, false))
        return;

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

    wchar_t w[200];
    GetPrivateProfileStringW(SECTION_WIN, L"Placement", L"", w, 200, path);
    if (swscanf(w, L"%d,%d,%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                &v[6]) == 7 && v[2] > v[0] && v[3] > v[1]) {
        s->have_placement = true;
        s->placement.length = sizeof s->placement;
        s->placement.rcNormalPosition.left = v[0];
        s->placement.rcNormalPosition.top = v[1];
        s->placement.rcNormalPosition.right = v[2];
        s->placement.rcNormalPosition.bottom = v[3];
        s->placement.showCmd = v[4] == SW_SHOWMAXIMIZED ? SW_SHOWMAXIMIZED : SW_SHOWNORMAL;
    }
}

bool settings_save(const Settings *s)
{
    wchar_t path[MAX_PATH + 64], w[400];
    char server[300];

    if (!ini_path(path, MAX_PATH + 64, true))
        return false;
    client_format_server(server, sizeof server, s->host, s->port);
    text_utf8_to_wide(server, w, 400);
    bool ok = WritePrivateProfileStringW(SECTION_CONN, L"Server", w, path);
    text_utf8_to_wide(s->user, w, 400);
    ok = WritePrivateProfileStringW(SECTION_CONN, L"User", w, path) && ok;
    if (s->have_placement) {
        const RECT *r = &s->placement.rcNormalPosition;
        swprintf(w, 400, L"%ld,%ld,%ld,%ld,%u,0,0", r->left, r->top, r->right, r->bottom,
                 s->placement.showCmd);
        ok = WritePrivateProfileStringW(SECTION_WIN, L"Placement", w, path) && ok;
    }
    return ok;
}
