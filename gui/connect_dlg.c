/* connect_dlg.c: the Connect dialog (see connect_dlg.h). */
#include "gui/connect_dlg.h"

#include <stdio.h>
#include <string.h>

#include "core/args.h"
#include "gui/about.h"
#include "gui/text.h"
#include "resources/resource.h"

bool connect_validate(const char *host, const char *port, const char *user, ConnectTarget *t,
                      char *err, size_t errsize)
{
    char server[CLIENT_HOST_MAX + 8];
    unsigned long n;
    unsigned short p = 0;

    if (!args_uint(port, 1, 65535, &n)) {
        snprintf(err, errsize, "The port must be a number from 1 to 65535.");
        return false;
    }
    /* The host alone, validated by the same rules as --server. */
    snprintf(server, sizeof server, strchr(host, ':') ? "[%s]" : "%s", host);
    if (!client_parse_server(server, t->host, sizeof t->host, &p, err, errsize)) {
        snprintf(err, errsize, "The server must be a host name or address, without spaces.");
        return false;
    }
    if (proto_name_from(user, strlen(user), t->user) == 0) {
        snprintf(err, errsize, "Enter a user name (spaces and control characters alone do "
                               "not count).");
        return false;
    }
    t->port = (unsigned short)n;
    return true;
}

static void get_utf8(HWND dlg, int id, char *out, size_t cap)
{
    wchar_t w[512];
    GetDlgItemTextW(dlg, id, w, 512);
    text_wide_to_utf8(w, out, cap);
}

static void set_utf8(HWND dlg, int id, const char *s)
{
    wchar_t w[512];
    text_utf8_to_wide(s, w, 512);
    SetDlgItemTextW(dlg, id, w);
}

static INT_PTR CALLBACK connect_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ConnectTarget *t = (ConnectTarget *)GetWindowLongPtrW(dlg, DWLP_USER);
    char host[CLIENT_HOST_MAX], port[16], user[PROTO_NAME_BUF * 2], err[200];

    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        t = (ConnectTarget *)lp;
        set_utf8(dlg, IDC_CONNECT_HOST, t->host);
        SetDlgItemInt(dlg, IDC_CONNECT_PORT, t->port, FALSE);
        set_utf8(dlg, IDC_CONNECT_USER, t->user);
        SendDlgItemMessageW(dlg, IDC_CONNECT_PORT, EM_LIMITTEXT, 5, 0);
        about_set_dialog_icon(dlg);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK) {
            ConnectTarget nt;
            get_utf8(dlg, IDC_CONNECT_HOST, host, sizeof host);
            get_utf8(dlg, IDC_CONNECT_PORT, port, sizeof port);
            get_utf8(dlg, IDC_CONNECT_USER, user, sizeof user);
            if (!connect_validate(host, port, user, &nt, err, sizeof err)) {
                wchar_t w[200];
                text_utf8_to_wide(err, w, 200);
                MessageBoxW(dlg, w, L"Connect", MB_ICONWARNING | MB_OK);
                return TRUE;
            }
            *t = nt;
            EndDialog(dlg, IDOK);
            return TRUE;
        }
        if (LOWORD(wp) == IDCANCEL) {
            EndDialog(dlg, IDCANCEL);
            return TRUE;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

bool connect_dialog(HWND owner, ConnectTarget *t)
{
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_CONNECT), owner,
                           connect_proc, (LPARAM)t) == IDOK;
}
