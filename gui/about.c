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
        about_set_dialog_icon(dlg);
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
