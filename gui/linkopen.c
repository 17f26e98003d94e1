/* linkopen.c: a link opened through the shell on a worker thread (see
 * linkopen.h). */
#include "gui/linkopen.h"

#include <windows.h>
#include <objbase.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/u16text.h"

typedef struct OpenJob {
    wchar_t url[U16_LINK_MAX + 16];
} OpenJob;

/* The test seam (CHAT_TEST_OPENER_LOG): read once on the UI thread, in
 * linkopen_init, before any worker can look at it. */
static char seam_path[MAX_PATH];

/* The worker: the shell may take seconds (a browser starting), and the UI
 * must not wait for it. A failure is said in a box of the worker's own,
 * which blocks nobody. */
static DWORD WINAPI open_worker(void *arg)
{
    OpenJob *job = arg;
    /* What ShellExecute asks of its caller's thread. */
    HRESULT com = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
    if (seam_path[0]) {
        /* The test seam: the address is written where a test reads it, no
         * browser is started. */
        char u8[2100 * 3];
        int n = WideCharToMultiByte(CP_UTF8, 0, job->url, -1, u8, sizeof u8, NULL, NULL);
        HANDLE f = CreateFileA(seam_path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (f != INVALID_HANDLE_VALUE && n > 0) {
            DWORD put;
            u8[n - 1] = '\n';
            WriteFile(f, u8, (DWORD)n, &put, NULL);
        }
        if (f != INVALID_HANDLE_VALUE)
            CloseHandle(f);
    } else {
        SHELLEXECUTEINFOW sei;
        memset(&sei, 0, sizeof sei);
        sei.cbSize = sizeof sei;
        sei.fMask = SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
        sei.lpVerb = L"open";
        sei.lpFile = job->url;
        sei.nShow = SW_SHOWNORMAL;
        if (!ShellExecuteExW(&sei)) {
            DWORD err = GetLastError();
            wchar_t words[256], text[2100 + 400];
            if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                                err, 0, words, 256, NULL))
                swprintf(words, 256, L"error %lu", err);
            swprintf(text, sizeof text / sizeof text[0],
                     L"The link could not be opened:\n%ls\n\n%ls", job->url, words);
            MessageBoxW(NULL, text, L"Chat", MB_ICONWARNING | MB_OK | MB_SETFOREGROUND);
        }
    }
    if (SUCCEEDED(com))
        CoUninitialize();
    free(job);
    return 0;
}

void linkopen_init(void)
{
    DWORD n = GetEnvironmentVariableA("CHAT_TEST_OPENER_LOG", seam_path, sizeof seam_path);
    if (n == 0 || n >= sizeof seam_path)
        seam_path[0] = '\0';
}

bool linkopen_open(const char *url)
{
    size_t n = strlen(url);
    if (n > U16_LINK_MAX + 8 || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return false;
    for (size_t i = 0; i < n; i++)
        if (url[i] <= 0x20 || url[i] >= 0x7F)
            return false;
    OpenJob *job = malloc(sizeof *job);
    if (job == NULL)
        return false;
    MultiByteToWideChar(CP_UTF8, 0, url, -1, job->url, (int)(sizeof job->url / sizeof job->url[0]));
    HANDLE t = CreateThread(NULL, 0, open_worker, job, 0, NULL);
    if (t == NULL) {
        free(job);
        return false;
    }
    CloseHandle(t);
    return true;
}
