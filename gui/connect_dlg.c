/* connect_dlg.c: the Connect dialog (see connect_dlg.h). */
#include "gui/connect_dlg.h"

#include <stdio.h>
#include <string.h>

#include "gui/about.h"
#include "gui/text.h"
#include "resources/resource.h"

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

typedef struct ConnectArgs {
    ConnectTarget *t;
    const char *prompt;
} ConnectArgs;

static INT_PTR CALLBACK connect_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ConnectTarget *t = (ConnectTarget *)GetWindowLongPtrW(dlg, DWLP_USER);
    char host[CLIENT_HOST_MAX + 16], port[16], user[PROTO_NAME_BUF * 2], err[200];

    switch (msg) {
    case WM_INITDIALOG:
        t = ((ConnectArgs *)lp)->t;
        SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)t);
        set_utf8(dlg, IDC_CONNECT_HOST, t->host);
        SetDlgItemInt(dlg, IDC_CONNECT_PORT, t->port, FALSE);
        set_utf8(dlg, IDC_CONNECT_USER, t->user);
        if (((ConnectArgs *)lp)->prompt)
            set_utf8(dlg, IDC_CONNECT_PROMPT, ((ConnectArgs *)lp)->prompt);
        SendDlgItemMessageW(dlg, IDC_CONNECT_PORT, EM_LIMITTEXT, 5, 0);
        SendDlgItemMessageW(dlg, IDC_CONNECT_HOST, EM_LIMITTEXT, CLIENT_HOST_MAX + 8, 0);
        about_prepare_dialog(dlg);
        if (((ConnectArgs *)lp)->prompt) { /* asked about the name: there first */
            HWND box = GetDlgItem(dlg, IDC_CONNECT_USER);
            SetFocus(box);
            SendMessageW(box, EM_SETSEL, 0, -1);
            return FALSE; /* the focus is set */
        }
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK) {
            ConnectTarget nt;
            get_utf8(dlg, IDC_CONNECT_HOST, host, sizeof host);
            get_utf8(dlg, IDC_CONNECT_PORT, port, sizeof port);
            get_utf8(dlg, IDC_CONNECT_USER, user, sizeof user);
            if (!connect_form_check(host, port, user, &nt, err, sizeof err)) {
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

bool connect_dialog(HWND owner, ConnectTarget *t, const char *prompt)
{
    ConnectArgs a = {t, prompt};
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_CONNECT), owner,
                           connect_proc, (LPARAM)&a) == IDOK;
}
