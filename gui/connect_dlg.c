/* connect_dlg.c: the Connect dialog (see connect_dlg.h). */
#include "gui/connect_dlg.h"

#include <stdio.h>
#include <string.h>

#include "gui/about.h"
#include "gui/text.h"
#include "resources/resource.h"

#define BOX_MAX_CHARS 300 /* a box takes no more: a host is at most 253 */

static void get_utf8(HWND dlg, int id, char *out, size_t cap)
{
    wchar_t w[BOX_MAX_CHARS + 1];
    GetDlgItemTextW(dlg, id, w, BOX_MAX_CHARS + 1);
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
    /* Each buffer holds its box's whole text (3 bytes a UTF-16 unit at
     * most): a cut text must never pass the check. */
    char host[BOX_MAX_CHARS * 3 + 1], port[BOX_MAX_CHARS * 3 + 1], user[BOX_MAX_CHARS * 3 + 1];
    char err[200];
    static const int boxes[] = {IDC_CONNECT_HOST, IDC_CONNECT_PORT, IDC_CONNECT_USER};

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
        SendDlgItemMessageW(dlg, IDC_CONNECT_HOST, EM_LIMITTEXT, BOX_MAX_CHARS, 0);
        SendDlgItemMessageW(dlg, IDC_CONNECT_USER, EM_LIMITTEXT, BOX_MAX_CHARS, 0);
        about_prepare_dialog(dlg);
        if (((ConnectArgs *)lp)->prompt) { /* asked about the name: there first */
            HWND box = GetDlgItem(dlg, IDC_CONNECT_USER);
            SetFocus(box);
            SendMessageW(box, EM_SETSEL, 0, -1);
            return FALSE; /* the focus is set */
        }
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_CONNECT_HOST && HIWORD(wp) == EN_CHANGE) {
            /* A port written in the server box is the port: the port box
             * shows it and cannot disagree. */
            unsigned short p;
            get_utf8(dlg, IDC_CONNECT_HOST, host, sizeof host);
            BOOL named = connect_form_server_port(host, &p);
            if (named)
                SetDlgItemInt(dlg, IDC_CONNECT_PORT, p, FALSE);
            EnableWindow(GetDlgItem(dlg, IDC_CONNECT_PORT), !named);
            return TRUE;
        }
        if (LOWORD(wp) == IDOK) {
            ConnectTarget nt;
            get_utf8(dlg, IDC_CONNECT_HOST, host, sizeof host);
            get_utf8(dlg, IDC_CONNECT_PORT, port, sizeof port);
            get_utf8(dlg, IDC_CONNECT_USER, user, sizeof user);
            ConnectField bad;
            if (!connect_form_check(host, port, user, &nt, err, sizeof err, &bad)) {
                wchar_t w[200];
                text_utf8_to_wide(err, w, 200);
                MessageBoxW(dlg, w, L"Connect", MB_ICONWARNING | MB_OK);
                /* Back to the box at fault, its text selected to retype. */
                HWND box = GetDlgItem(dlg, boxes[bad]);
                SendMessageW(dlg, WM_NEXTDLGCTL, (WPARAM)box, TRUE);
                SendMessageW(box, EM_SETSEL, 0, -1);
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
