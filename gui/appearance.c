/* appearance.c: theme, title bar and the log's font (see appearance.h). */
#include "gui/appearance.h"

#include <commdlg.h>
#include <string.h>
#include <wchar.h>

typedef LONG(WINAPI *RegGetValueFn)(HKEY, LPCWSTR, LPCWSTR, DWORD, LPDWORD, PVOID, LPDWORD);
typedef HRESULT(WINAPI *DwmSetAttrFn)(HWND, DWORD, LPCVOID, DWORD);
typedef LONG(WINAPI *RtlGetVersionFn)(OSVERSIONINFOW *);

int appearance_apps_use_light(void)
{
    /* ADVAPI32 is loaded here rather than imported: the client's import
     * table stays as the README states it. */
    HMODULE adv = LoadLibraryW(L"advapi32.dll");
    RegGetValueFn get = adv ? (RegGetValueFn)(void (*)(void))GetProcAddress(adv, "RegGetValueW")
                            : NULL;
    DWORD value = 0, size = sizeof value;
    int r = -1;
    if (get && get(HKEY_CURRENT_USER,
                   L"Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                   L"AppsUseLightTheme", 0x00000010 /* RRF_RT_REG_DWORD */, NULL, &value,
                   &size) == ERROR_SUCCESS)
        r = value != 0;
    if (adv)
        FreeLibrary(adv);
    return r;
}

bool appearance_is_dark(ThemeChoice choice)
{
    return theme_is_dark(choice, choice == THEME_SYSTEM ? appearance_apps_use_light() : -1);
}

/* The real Windows build, or 0 under Wine (which reports a Windows version
 * of its own choosing but is not that Windows). */
static DWORD windows_build(void)
{
    HMODULE nt = GetModuleHandleW(L"ntdll.dll");
    if (nt == NULL || GetProcAddress(nt, "wine_get_version"))
        return 0;
    RtlGetVersionFn get = (RtlGetVersionFn)(void (*)(void))GetProcAddress(nt, "RtlGetVersion");
    OSVERSIONINFOW v;
    memset(&v, 0, sizeof v);
    v.dwOSVersionInfoSize = sizeof v;
    if (get == NULL || get(&v) != 0 || v.dwMajorVersion < 10)
        return 0;
    return v.dwBuildNumber;
}

void appearance_title_bar(HWND hwnd, bool dark)
{
    DWORD build = windows_build();
    if (build < 17763) /* Windows 10 1809: the first with a dark title bar */
        return;
    HMODULE dwm = LoadLibraryW(L"dwmapi.dll");
    DwmSetAttrFn set =
        dwm ? (DwmSetAttrFn)(void (*)(void))GetProcAddress(dwm, "DwmSetWindowAttribute") : NULL;
    if (set) {
        BOOL on = dark;
        /* DWMWA_USE_IMMERSIVE_DARK_MODE: 20 from build 18985, 19 before. */
        set(hwnd, build >= 18985 ? 20 : 19, &on, sizeof on);
    }
    if (dwm)
        FreeLibrary(dwm);
}

HFONT appearance_log_font(const Settings *s, UINT dpi)
{
    if (s->font_face[0] == L'\0')
        return NULL;
    LOGFONTW lf;
    memset(&lf, 0, sizeof lf);
    lf.lfHeight = -MulDiv(s->font_points10, (int)dpi, 720);
    lf.lfWeight = s->font_weight;
    lf.lfItalic = s->font_italic;
    lf.lfCharSet = DEFAULT_CHARSET;
    lf.lfQuality = DEFAULT_QUALITY;
    wcsncpy(lf.lfFaceName, s->font_face, LF_FACESIZE - 1);
    return CreateFontIndirectW(&lf);
}

bool appearance_choose_font(HWND owner, Settings *s, HFONT current, UINT dpi)
{
    LOGFONTW lf;
    CHOOSEFONTW cf;
    memset(&lf, 0, sizeof lf);
    if (current == NULL || !GetObjectW(current, sizeof lf, &lf))
        GetObjectW(GetStockObject(DEFAULT_GUI_FONT), sizeof lf, &lf);
    /* The dialog works at the screen's DPI; ours may differ. */
    HDC dc = GetDC(NULL);
    int screen = GetDeviceCaps(dc, LOGPIXELSY);
    ReleaseDC(NULL, dc);
    lf.lfHeight = MulDiv(lf.lfHeight, screen, (int)(dpi ? dpi : 96));
    memset(&cf, 0, sizeof cf);
    cf.lStructSize = sizeof cf;
    cf.hwndOwner = owner;
    cf.lpLogFont = &lf;
    /* The sizes the settings keep (4 to 100 points): a bigger one would be
     * dropped at the next start. */
    cf.Flags = CF_SCREENFONTS | CF_INITTOLOGFONTSTRUCT | CF_NOVERTFONTS | CF_NOSCRIPTSEL |
               CF_LIMITSIZE;
    cf.nSizeMin = 4;
    cf.nSizeMax = 100;
    if (!ChooseFontW(&cf))
        return false;
    wcsncpy(s->font_face, lf.lfFaceName, LF_FACESIZE - 1);
    s->font_face[LF_FACESIZE - 1] = L'\0';
    s->font_points10 = cf.iPointSize > 0 ? cf.iPointSize : 90;
    s->font_weight = lf.lfWeight;
    s->font_italic = lf.lfItalic != 0;
    return true;
}
