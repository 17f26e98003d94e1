/* about.c: the About box (see about.h). */
#include "gui/about.h"

#include <string.h>
#include <wchar.h>

#include "resources/resource.h"

BOOL about_version(wchar_t *out, size_t cap)
{
    HRSRC res = FindResourceW(NULL, MAKEINTRESOURCEW(VS_VERSION_INFO), (LPCWSTR)RT_VERSION);
    HGLOBAL mem = res ? LoadResource(NULL, res) : NULL;
    const BYTE *p = mem ? LockResource(mem) : NULL;
    DWORD size = res ? SizeofResource(NULL, res) : 0;

    /* VS_FIXEDFILEINFO starts with its signature, DWORD-aligned, after the
     * VS_VERSIONINFO header and its key. */
    for (DWORD off = 0; p && off + sizeof(VS_FIXEDFILEINFO) <= size; off += 4) {
        VS_FIXEDFILEINFO fi;
        memcpy(&fi, p + off, sizeof fi);
        if (fi.dwSignature == 0xFEEF04BD) {
            swprintf(out, cap, L"%u.%u.%u", HIWORD(fi.dwFileVersionMS),
                     LOWORD(fi.dwFileVersionMS), HIWORD(fi.dwFileVersionLS));
            return TRUE;
        }
    }
    return FALSE;
}

void about_set_dialog_icon(HWND dlg)
{
    HINSTANCE inst = GetModuleHandleW(NULL);
    /* Shared: the system loads each once and owns it, so opening a dialog a
     * thousand times costs no handle (a private copy would leak one each
     * time: nobody destroys a dialog's icons). */
    HICON big = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
    HICON small = LoadImageW(inst, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON,
                             GetSystemMetrics(SM_CXSMICON), GetSystemMetrics(SM_CYSMICON),
                             LR_SHARED);
    SendMessageW(dlg, WM_SETICON, ICON_BIG, (LPARAM)big);
    SendMessageW(dlg, WM_SETICON, ICON_SMALL, (LPARAM)small);
}

void about_prepare_dialog(HWND dlg)
{
    HWND owner = GetWindow(dlg, GW_OWNER);
    RECT o, d;
    about_set_dialog_icon(dlg);
    if (owner == NULL || !GetWindowRect(owner, &o) || !GetWindowRect(dlg, &d))
        return;
    int w = d.right - d.left, h = d.bottom - d.top;
    int x = o.left + (o.right - o.left - w) / 2, y = o.top + (o.bottom - o.top - h) / 2;
    MONITORINFO mi;
    mi.cbSize = sizeof mi;
    if (GetMonitorInfoW(MonitorFromWindow(owner, MONITOR_DEFAULTTONEAREST), &mi)) {
        const RECT *wa = &mi.rcWork; /* all of it on the owner's monitor */
        if (x + w > wa->right)
            x = wa->right - w;
        if (y + h > wa->bottom)
            y = wa->bottom - h;
        if (x < wa->left)
            x = wa->left;
        if (y < wa->top)
            y = wa->top;
    }
    SetWindowPos(dlg, NULL, x, y, 0, 0, SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE);
}

static INT_PTR CALLBACK about_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)lp;
    switch (msg) {
    case WM_INITDIALOG: {
        wchar_t v[64], text[100];
        if (!about_version(v, 64))
            wcscpy(v, L"unknown");
        swprintf(text, 100, L"Version %ls", v);
        SetDlgItemTextW(dlg, IDC_ABOUT_VERSION, text);
        about_prepare_dialog(dlg);
        return TRUE;
    }
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK || LOWORD(wp) == IDCANCEL) {
            EndDialog(dlg, LOWORD(wp));
            return TRUE;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

void about_show(HWND owner)
{
    DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_ABOUT), owner, about_proc, 0);
}
