/* floor_bench.exe: the card's loop and nothing else, the GUI benchmark's
 * baseline (issue 15): a bare visible window whose WM_TIMER takes the
 * segment's mutex, copies SharedChatData into a local snapshot and releases
 * it, every tick. No painting beyond the default, no controls, no network:
 * what any client of this design costs under the system that runs it.
 * With `caret`, the window also holds a focused single-line EDIT: the one
 * thing every chat window has that the bare loop lacks, a text box whose
 * caret the system blinks (a second baseline: what that blink costs).
 *
 * Usage: floor_bench.exe SHM_NAME [INTERVAL_MS [caret]]
 *        (the segment must exist) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

typedef struct SharedChatData {
    int connectedClients;
    char lastMessage[1024];
} SharedChatData;

static HANDLE mutex;
static const SharedChatData *shared;
static SharedChatData snapshot;
static unsigned long ticks;

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_TIMER: {
        DWORD w = WaitForSingleObject(mutex, 100);
        if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED) {
            memcpy(&snapshot, shared, sizeof snapshot);
            ReleaseMutex(mutex);
        }
        ticks++;
        return 0;
    }
    case WM_DESTROY:
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

int main(int argc, char **argv)
{
    char mname[300];
    if (argc < 2) {
        fprintf(stderr, "usage: floor_bench SHM_NAME [INTERVAL_MS [caret]]\n");
        return 2;
    }
    UINT interval = argc > 2 ? (UINT)atoi(argv[2]) : 100;
    snprintf(mname, sizeof mname, "%sMutex", argv[1]);
    HANDLE map = OpenFileMappingA(FILE_MAP_READ, FALSE, argv[1]);
    mutex = OpenMutexA(SYNCHRONIZE, FALSE, mname);
    shared = map ? MapViewOfFile(map, FILE_MAP_READ, 0, 0, sizeof(SharedChatData)) : NULL;
    if (shared == NULL || mutex == NULL) {
        fprintf(stderr, "floor_bench: cannot open the segment '%s'\n", argv[1]);
        return 1;
    }
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hCursor = LoadCursor(NULL, IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszClassName = L"FloorBench";
    RegisterClassW(&wc);
    HWND hwnd = CreateWindowW(L"FloorBench", L"floor", WS_OVERLAPPEDWINDOW, 40, 40, 560, 500,
                              NULL, NULL, wc.hInstance, NULL);
    ShowWindow(hwnd, SW_SHOWNORMAL);
    if (argc > 3 && strcmp(argv[3], "caret") == 0) {
        HWND edit = CreateWindowW(L"EDIT", L"", WS_CHILD | WS_VISIBLE | WS_BORDER | ES_AUTOHSCROLL,
                                  10, 430, 520, 24, hwnd, NULL, wc.hInstance, NULL);
        SetFocus(edit);
    }
    SetTimer(hwnd, 1, interval, NULL);
    MSG m;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return (int)(ticks & 0);
}
