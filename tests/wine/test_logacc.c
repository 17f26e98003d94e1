/* test_logacc.c: the chat log's accessible object (gui/logacc.c) as a
 * screen reader sees it: a real window whose WM_GETOBJECT answers with it,
 * read through AccessibleObjectFromWindow in this process and from a
 * second one (logacc_host.exe), and held past the window's end. */
#define COBJMACROS
#include <oleacc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/check_main.h"
#include "common/winproc.h"
#include "gui/logacc.h"
#include "wine/acc_read.h"

/* Spelled out: MinGW's import libraries resolve IID_IAccessible to garbage
 * (../shared/WINE-NOTES.md). */
static const IID iid_iaccessible = {
    0x618736e0, 0x3c3d, 0x11cf, {0x81, 0x0c, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};
static const IID iid_idispatch = {
    0x00020400, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const IID iid_iunknown = {
    0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
/* IOleWindow {00000114-0000-0000-C000-000000000046}: an interface the
 * object does not have. */
static const IID iid_iolewindow = {
    0x00000114, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

#define ck_assert_hr(expr, want)                                                       \
    do {                                                                               \
        HRESULT hr_ = (expr);                                                          \
        ck_assert_msg(hr_ == (HRESULT)(want), "%s: 0x%08lx, want 0x%08lx", #expr,      \
                      (unsigned long)hr_, (unsigned long)(want));                      \
    } while (0)

/* UTF-8 for failure messages (Check's printf has no %ls under MinGW). */
static const char *u8(const wchar_t *w)
{
    static char buf[4][1024];
    static int next;
    char *b = buf[next++ % 4];
    if (!w)
        return "(null)";
    WideCharToMultiByte(CP_UTF8, 0, w, -1, b, sizeof buf[0], NULL, NULL);
    return b;
}

/* --- the window: a parent with the log and an EDIT to take the focus ------ */

typedef struct TestLog {
    HWND top, log, edit;
    LogAcc *acc; /* the control's reference, until WM_DESTROY */
    wchar_t text[256];
    int value_calls;
} TestLog;

static TestLog t;
static bool com_ready;

/* The value callback: a malloc'd copy of the text, counted. */
static wchar_t *log_value(void *ctx)
{
    TestLog *tl = ctx;
    tl->value_calls++;
    size_t n = wcslen(tl->text) + 1;
    wchar_t *s = malloc(n * sizeof *s);
    if (s)
        wmemcpy(s, tl->text, n);
    return s;
}

/* What the chat log's window procedure does for its object. */
static LRESULT CALLBACK log_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    TestLog *tl = (TestLog *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    switch (msg) {
    case WM_NCCREATE:
        tl = ((CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)tl);
        tl->acc = logacc_new(hwnd, L"Chat log", log_value, tl);
        if (!tl->acc)
            return FALSE;
        break;
    case WM_GETOBJECT: {
        LRESULT r = tl ? logacc_get_object(tl->acc, wp, lp) : 0;
        if (r)
            return r;
        break;
    }
    case WM_DESTROY:
        logacc_detach(tl->acc);
        tl->acc = NULL;
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static void pump(void)
{
    MSG m;
    while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
}

static void register_classes(void)
{
    static bool done;
    if (done)
        return;
    WNDCLASSW wc;
    ZeroMemory(&wc, sizeof wc);
    wc.lpfnWndProc = DefWindowProcW;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = L"ChatTestLogAccTop";
    ck_assert_msg(RegisterClassW(&wc), "RegisterClass failed: %lu", GetLastError());
    wc.lpfnWndProc = log_proc;
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszClassName = L"ChatTestLogAcc";
    ck_assert_msg(RegisterClassW(&wc), "RegisterClass failed: %lu", GetLastError());
    done = true;
}

static void setup(void)
{
    char display[200];
    ck_assert_msg(
        GetEnvironmentVariableA("DISPLAY", display, sizeof display) > 0,
        "the logacc suite needs an X display: run scripts/test, or set DISPLAY");
    /* The UI thread is a single-threaded apartment, as the client's is:
     * LresultFromObject marshals the object through COM. */
    HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    ck_assert_msg(SUCCEEDED(hr), "CoInitializeEx: 0x%08lx", (unsigned long)hr);
    com_ready = true;
    register_classes();
    ZeroMemory(&t, sizeof t);
    wcscpy(t.text, L"[12:00] <ana> hello\r\n[12:01] <bo> h\u00e9llo, "
                   L"\u0645\u0631\u062d\u0628\u0627");
    HINSTANCE inst = GetModuleHandleW(NULL);
    t.top = CreateWindowExW(0, L"ChatTestLogAccTop", L"logacc test",
                            WS_OVERLAPPEDWINDOW | WS_VISIBLE, 100, 100, 500, 400, NULL,
                            NULL, inst, NULL);
    ck_assert_msg(t.top != NULL, "CreateWindowEx failed: %lu", GetLastError());
    t.log = CreateWindowExW(WS_EX_CLIENTEDGE, L"ChatTestLogAcc", L"",
                            WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL, 10, 10,
                            300, 200, t.top, (HMENU)1, inst, &t);
    ck_assert_msg(t.log != NULL, "CreateWindowEx(log) failed: %lu", GetLastError());
    t.edit = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"",
                             WS_CHILD | WS_VISIBLE | WS_TABSTOP, 10, 220, 300, 24,
                             t.top, (HMENU)2, inst, NULL);
    ck_assert_msg(t.edit != NULL, "CreateWindowEx(edit) failed: %lu", GetLastError());
    pump();
}

static void teardown(void)
{
    if (t.top && IsWindow(t.top))
        DestroyWindow(t.top);
    pump();
    ZeroMemory(&t, sizeof t);
    if (com_ready)
        CoUninitialize();
    com_ready = false;
}

/* The object as a client in this process gets it. */
static IAccessible *get_acc(HWND hwnd)
{
    IAccessible *acc = NULL;
    ck_assert_hr(AccessibleObjectFromWindow(hwnd, (DWORD)OBJID_CLIENT, &iid_iaccessible,
                                            (void **)&acc),
                 S_OK);
    ck_assert_ptr_nonnull(acc);
    return acc;
}

static VARIANT child_i4(LONG id)
{
    VARIANT v;
    V_VT(&v) = VT_I4;
    V_I4(&v) = id;
    return v;
}

/* The object itself, as a child id. */
#define self_id child_i4(CHILDID_SELF)

/* References still held on the object: AddRef then Release tells. */
static ULONG refs_of(IAccessible *acc)
{
    IAccessible_AddRef(acc);
    return IAccessible_Release(acc);
}

/* --- what a screen reader reads ------------------------------------------ */

START_TEST(test_logacc_reads_as_text_named_chat_log_with_the_log_as_value)
{
    long role = 0, state = 0;
    wchar_t name[64];
    wchar_t *value = NULL;

    ck_assert(acc_read(t.log, &role, name, 64, &value, &state));
    ck_assert_int_eq(role, ROLE_SYSTEM_TEXT);
    ck_assert_int_eq(role, 42);
    ck_assert_msg(wcscmp(name, L"Chat log") == 0, "name '%s'", u8(name));
    ck_assert_msg(value && wcscmp(value, t.text) == 0, "value '%s', want '%s'",
                  u8(value), u8(t.text));
    ck_assert_int_eq(state & (STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE),
                     STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE);
    free(value);
}
END_TEST

START_TEST(test_logacc_value_is_read_afresh_when_the_text_changes)
{
    wchar_t *value = NULL;
    int before = t.value_calls;

    ck_assert(acc_read(t.log, NULL, NULL, 0, &value, NULL));
    ck_assert_int_eq(t.value_calls, before + 1);
    free(value);

    wcscpy(t.text, L"[12:02] <cy> a new line");
    ck_assert(acc_read(t.log, NULL, NULL, 0, &value, NULL));
    ck_assert_int_eq(t.value_calls, before + 2);
    ck_assert_msg(value && wcscmp(value, L"[12:02] <cy> a new line") == 0, "value '%s'",
                  u8(value));
    free(value);

    /* An empty log is an empty value, not a failure. */
    t.text[0] = L'\0';
    ck_assert(acc_read(t.log, NULL, NULL, 0, &value, NULL));
    ck_assert_msg(value && value[0] == L'\0', "value '%s'", u8(value));
    free(value);

    /* The name, role and state never ask the model. */
    before = t.value_calls;
    long role, state;
    wchar_t name[64];
    ck_assert(acc_read(t.log, &role, name, 64, NULL, &state));
    ck_assert_int_eq(t.value_calls, before);
}
END_TEST

START_TEST(test_logacc_state_is_focused_only_with_the_keyboard_focus)
{
    long state = 0;
    VARIANT v;
    IAccessible *acc = get_acc(t.log);

    SetFocus(t.edit);
    pump();
    ck_assert_msg(GetFocus() == t.edit, "the EDIT did not take the focus");
    ck_assert(acc_read(t.log, NULL, NULL, 0, NULL, &state));
    ck_assert_int_eq(state, STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE);
    ck_assert_hr(IAccessible_get_accFocus(acc, &v), S_FALSE);
    ck_assert_int_eq(V_VT(&v), VT_EMPTY);

    SetFocus(t.log);
    pump();
    ck_assert_msg(GetFocus() == t.log, "the log did not take the focus");
    ck_assert(acc_read(t.log, NULL, NULL, 0, NULL, &state));
    ck_assert_int_eq(state, STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE |
                                STATE_SYSTEM_FOCUSED);
    ck_assert_hr(IAccessible_get_accFocus(acc, &v), S_OK);
    ck_assert_int_eq(V_VT(&v), VT_I4);
    ck_assert_int_eq(V_I4(&v), CHILDID_SELF);

    /* accSelect(TAKEFOCUS) moves the focus as the system's proxies do. */
    SetFocus(t.edit);
    ck_assert_hr(IAccessible_accSelect(acc, SELFLAG_TAKEFOCUS, self_id), S_OK);
    ck_assert_msg(GetFocus() == t.log, "accSelect(TAKEFOCUS) left the focus elsewhere");
    ck_assert_hr(IAccessible_accSelect(acc, SELFLAG_TAKESELECTION, self_id),
                 DISP_E_MEMBERNOTFOUND);

    /* Hidden and disabled, as the system's proxies say of a window. */
    ShowWindow(t.log, SW_HIDE);
    ck_assert(acc_read(t.log, NULL, NULL, 0, NULL, &state));
    ck_assert_int_eq(state & STATE_SYSTEM_INVISIBLE, STATE_SYSTEM_INVISIBLE);
    ShowWindow(t.log, SW_SHOW);
    EnableWindow(t.log, FALSE);
    ck_assert(acc_read(t.log, NULL, NULL, 0, NULL, &state));
    ck_assert_int_eq(state & (STATE_SYSTEM_UNAVAILABLE | STATE_SYSTEM_INVISIBLE),
                     STATE_SYSTEM_UNAVAILABLE);
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_location_is_the_window_rect_on_screen)
{
    IAccessible *acc = get_acc(t.log);
    LONG x = -1, y = -1, w = -1, h = -1;
    RECT r;

    ck_assert(GetWindowRect(t.log, &r));
    ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, &h, self_id), S_OK);
    ck_assert_int_eq(x, r.left);
    ck_assert_int_eq(y, r.top);
    ck_assert_int_eq(w, r.right - r.left);
    ck_assert_int_eq(h, r.bottom - r.top);
    ck_assert_int_eq(w, 300);
    ck_assert_int_eq(h, 200);

    /* It follows the window. */
    MoveWindow(t.log, 20, 30, 250, 150, TRUE);
    ck_assert(GetWindowRect(t.log, &r));
    ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, &h, self_id), S_OK);
    ck_assert_int_eq(x, r.left);
    ck_assert_int_eq(y, r.top);
    ck_assert_int_eq(w, 250);
    ck_assert_int_eq(h, 150);
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_hit_test_is_self_inside_and_nothing_outside)
{
    IAccessible *acc = get_acc(t.log);
    RECT r;
    VARIANT v;

    ck_assert(GetWindowRect(t.log, &r));
    ck_assert_hr(
        IAccessible_accHitTest(acc, (r.left + r.right) / 2, (r.top + r.bottom) / 2, &v),
        S_OK);
    ck_assert_int_eq(V_VT(&v), VT_I4);
    ck_assert_int_eq(V_I4(&v), CHILDID_SELF);
    ck_assert_hr(IAccessible_accHitTest(acc, r.right + 5, r.top, &v), S_FALSE);
    ck_assert_int_eq(V_VT(&v), VT_EMPTY);
    IAccessible_Release(acc);
}
END_TEST

/* --- the rest of the interface, as a standard EDIT's proxy answers ------- */

START_TEST(test_logacc_rejects_every_child_id_but_self)
{
    IAccessible *acc = get_acc(t.log);
    VARIANT bad[4];
    BSTR b;
    VARIANT v;
    LONG x, y, w, h;

    bad[0] = child_i4(1);
    bad[1] = child_i4(-1);
    V_VT(&bad[2]) = VT_EMPTY;
    V_VT(&bad[3]) = VT_I2; /* CHILDID_SELF, but not as a VT_I4 */
    V_I2(&bad[3]) = 0;
    for (int i = 0; i < 4; i++) {
        b = (BSTR)(uintptr_t)1;
        ck_assert_hr(IAccessible_get_accName(acc, bad[i], &b), E_INVALIDARG);
        ck_assert_ptr_null(b);
        ck_assert_hr(IAccessible_get_accValue(acc, bad[i], &b), E_INVALIDARG);
        ck_assert_ptr_null(b);
        ck_assert_hr(IAccessible_get_accDescription(acc, bad[i], &b), E_INVALIDARG);
        V_VT(&v) = VT_BSTR;
        ck_assert_hr(IAccessible_get_accRole(acc, bad[i], &v), E_INVALIDARG);
        ck_assert_int_eq(V_VT(&v), VT_EMPTY);
        ck_assert_hr(IAccessible_get_accState(acc, bad[i], &v), E_INVALIDARG);
        ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, &h, bad[i]),
                     E_INVALIDARG);
        ck_assert_hr(IAccessible_accDoDefaultAction(acc, bad[i]), E_INVALIDARG);
        ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_NEXT, bad[i], &v),
                     E_INVALIDARG);
    }
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_null_out_pointers_are_e_pointer)
{
    IAccessible *acc = get_acc(t.log);
    LONG x, y, w, h;
    BSTR b = NULL;

    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_iaccessible, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accName(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accValue(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accDescription(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accRole(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accState(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accParent(acc, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accChildCount(acc, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accChild(acc, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accFocus(acc, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accSelection(acc, NULL), E_POINTER);
    ck_assert_hr(IAccessible_get_accHelpTopic(acc, &b, self_id, NULL), E_POINTER);
    ck_assert_hr(IAccessible_accHitTest(acc, 0, 0, NULL), E_POINTER);
    ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_FIRSTCHILD, self_id, NULL),
                 E_POINTER);
    ck_assert_hr(IAccessible_accLocation(acc, NULL, &y, &w, &h, self_id), E_POINTER);
    ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, NULL, self_id), E_POINTER);
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_has_no_children_actions_or_extra_texts)
{
    IAccessible *acc = get_acc(t.log);
    LONG n = -1;
    IDispatch *d = (IDispatch *)(uintptr_t)1;
    BSTR b = (BSTR)(uintptr_t)1;
    VARIANT v;
    UINT count = 99;

    ck_assert_hr(IAccessible_get_accChildCount(acc, &n), S_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_hr(IAccessible_get_accChild(acc, child_i4(1), &d), E_INVALIDARG);
    ck_assert_ptr_null(d);
    ck_assert_hr(IAccessible_get_accDescription(acc, self_id, &b), S_FALSE);
    ck_assert_ptr_null(b);
    ck_assert_hr(IAccessible_get_accHelp(acc, self_id, &b), S_FALSE);
    ck_assert_ptr_null(b);
    ck_assert_hr(IAccessible_get_accKeyboardShortcut(acc, self_id, &b), S_FALSE);
    ck_assert_ptr_null(b);
    ck_assert_hr(IAccessible_get_accDefaultAction(acc, self_id, &b), S_FALSE);
    ck_assert_ptr_null(b);
    ck_assert_hr(IAccessible_get_accSelection(acc, &v), S_FALSE);
    ck_assert_int_eq(V_VT(&v), VT_EMPTY);
    ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_FIRSTCHILD, self_id, &v), S_FALSE);
    ck_assert_int_eq(V_VT(&v), VT_EMPTY);
    ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_LASTCHILD, self_id, &v), S_FALSE);
    ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_NEXT, self_id, &v),
                 DISP_E_MEMBERNOTFOUND);
    ck_assert_hr(IAccessible_accNavigate(acc, 1000, self_id, &v), E_INVALIDARG);
    /* The documented answer of an edit field: it has no action. */
    ck_assert_hr(IAccessible_accDoDefaultAction(acc, self_id), DISP_E_MEMBERNOTFOUND);
    ck_assert_hr(IAccessible_put_accValue(acc, self_id, NULL), DISP_E_MEMBERNOTFOUND);
    ck_assert_hr(IAccessible_put_accName(acc, self_id, NULL), DISP_E_MEMBERNOTFOUND);
    /* IDispatch: not implemented. */
    ck_assert_hr(IAccessible_GetTypeInfoCount(acc, &count), E_NOTIMPL);
    ck_assert_uint_eq(count, 0);
    ITypeInfo *ti = (ITypeInfo *)(uintptr_t)1;
    ck_assert_hr(IAccessible_GetTypeInfo(acc, 0, 0, &ti), E_NOTIMPL);
    ck_assert_ptr_null(ti);
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_query_interface_gives_one_object)
{
    IAccessible *acc = get_acc(t.log);
    void *unk = NULL, *disp = NULL, *acc2 = NULL, *other = (void *)1;

    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_iunknown, &unk), S_OK);
    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_idispatch, &disp), S_OK);
    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_iaccessible, &acc2), S_OK);
    ck_assert_ptr_eq(unk, acc);
    ck_assert_ptr_eq(disp, acc);
    ck_assert_ptr_eq(acc2, acc);
    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_iolewindow, &other),
                 E_NOINTERFACE);
    ck_assert_ptr_null(other);
    IUnknown_Release((IUnknown *)unk);
    IDispatch_Release((IDispatch *)disp);
    IAccessible_Release((IAccessible *)acc2);
    IAccessible_Release(acc);
}
END_TEST

START_TEST(test_logacc_parent_is_the_window_object)
{
    IAccessible *acc = get_acc(t.log);
    IDispatch *parent = NULL;
    IAccessible *pacc = NULL;
    IOleWindow *ow = NULL;
    HWND found = NULL;

    /* Wine 8's window object answers E_NOTIMPL to nearly everything (its
     * role included), so it is recognised by its window: IOleWindow, which
     * it and Windows' implement. */
    ck_assert_hr(IAccessible_get_accParent(acc, &parent), S_OK);
    ck_assert_ptr_nonnull(parent);
    ck_assert_hr(IDispatch_QueryInterface(parent, &iid_iaccessible, (void **)&pacc),
                 S_OK);
    ck_assert_ptr_ne(pacc, acc);
    ck_assert_hr(IAccessible_QueryInterface(pacc, &iid_iolewindow, (void **)&ow), S_OK);
    ck_assert_hr(IOleWindow_GetWindow(ow, &found), S_OK);
    ck_assert_ptr_eq(found, t.log);
    IOleWindow_Release(ow);
    IAccessible_Release(pacc);
    IDispatch_Release(parent);
    found = NULL;
    /* Which is how oleacc finds the window of an object. */
    ck_assert_hr(WindowFromAccessibleObject(acc, &found), S_OK);
    ck_assert_ptr_eq(found, t.log);
    IAccessible_Release(acc);
}
END_TEST

/* A call made on another thread with the object's own pointer (what a
 * multithreaded apartment would do): it must not read the model there. */
typedef struct OffThread {
    IAccessible *acc;
    HRESULT value_hr, role_hr;
    BSTR value;
} OffThread;

static DWORD WINAPI off_thread(void *p)
{
    OffThread *o = p;
    VARIANT v;
    o->value_hr = IAccessible_get_accValue(o->acc, self_id, &o->value);
    o->role_hr = IAccessible_get_accRole(o->acc, self_id, &v);
    return 0;
}

START_TEST(test_logacc_refuses_calls_off_the_ui_thread)
{
    OffThread o = {get_acc(t.log), S_OK, S_OK, (BSTR)(uintptr_t)1};
    int calls = t.value_calls;
    HANDLE th = CreateThread(NULL, 0, off_thread, &o, 0, NULL);
    ck_assert(th != NULL);
    ck_assert(tp_wait(th, 5000));
    CloseHandle(th);
    ck_assert_hr(o.value_hr, RPC_E_WRONG_THREAD);
    ck_assert_ptr_null(o.value);
    ck_assert_hr(o.role_hr, RPC_E_WRONG_THREAD);
    ck_assert_int_eq(t.value_calls, calls);
    IAccessible_Release(o.acc);
}
END_TEST

/* --- WM_GETOBJECT ---------------------------------------------------------- */

/* The object an LRESULT of logacc_get_object stands for (which must be
 * unmarshalled once, or its references leak). */
static IAccessible *from_lresult(LRESULT r)
{
    IAccessible *acc = NULL;
    ck_assert_msg(r > 0, "logacc_get_object: 0x%llx", (unsigned long long)r);
    ck_assert_hr(ObjectFromLresult(r, &iid_iaccessible, 0, (void **)&acc), S_OK);
    ck_assert_ptr_nonnull(acc);
    return acc;
}

START_TEST(test_logacc_get_object_answers_objid_client_only)
{
    /* Zero-extended (what the system sends on 64-bit) and sign-extended
     * (what a cast of OBJID_CLIENT gives) both name the client. */
    LPARAM zero_ext = (LPARAM)(DWORD)OBJID_CLIENT;
    LPARAM sign_ext = (LPARAM)(LONG)OBJID_CLIENT;
    IAccessible *a1 = from_lresult(logacc_get_object(t.acc, 0, zero_ext));
    IAccessible *a2 = from_lresult(logacc_get_object(t.acc, (WPARAM)-1, sign_ext));
    IAccessible *a3 = get_acc(t.log);
    ck_assert_ptr_eq(a1, a2);
    ck_assert_ptr_eq(a1, a3);
    IAccessible_Release(a1);
    IAccessible_Release(a2);
    IAccessible_Release(a3);

    ck_assert_int_eq(logacc_get_object(t.acc, 0, (LPARAM)(DWORD)OBJID_WINDOW), 0);
    ck_assert_int_eq(logacc_get_object(t.acc, 0, (LPARAM)(LONG)OBJID_WINDOW), 0);
    ck_assert_int_eq(logacc_get_object(t.acc, 0, (LPARAM)(DWORD)OBJID_VSCROLL), 0);
    ck_assert_int_eq(logacc_get_object(t.acc, 0, (LPARAM)(DWORD)OBJID_CARET), 0);
    ck_assert_int_eq(logacc_get_object(t.acc, 0, 1), 0);
    ck_assert_int_eq(logacc_get_object(NULL, 0, zero_ext), 0);

    /* The window object is still the system's. */
    IAccessible *win = NULL;
    ck_assert_hr(AccessibleObjectFromWindow(t.log, (DWORD)OBJID_WINDOW,
                                            &iid_iaccessible, (void **)&win),
                 S_OK);
    ck_assert_ptr_nonnull(win);
    ck_assert_ptr_ne(win, a1);
    IAccessible_Release(win);
}
END_TEST

START_TEST(test_logacc_lresult_nobody_unmarshals_does_not_outlive_the_window)
{
    /* A reader that gave up before unmarshalling leaves COM holding
     * references for it; the window's end drops them. */
    IAccessible *acc = get_acc(t.log);
    ck_assert_uint_eq(refs_of(acc), 2);
    LRESULT r = logacc_get_object(t.acc, 0, (LPARAM)(DWORD)OBJID_CLIENT);
    ck_assert_msg(r > 0, "logacc_get_object: 0x%llx", (unsigned long long)r);
    ck_assert_uint_gt(refs_of(acc), 2);

    DestroyWindow(t.top);
    pump();
    ck_assert_uint_eq(refs_of(acc), 1);
    ck_assert_uint_eq(IAccessible_Release(acc), 0);
    /* The atom naming the marshalled data is the reader's to delete. */
    GlobalDeleteAtom((ATOM)r);
}
END_TEST

/* --- after the window ------------------------------------------------------ */

START_TEST(test_logacc_held_past_destroy_answers_disconnected_and_frees)
{
    IAccessible *acc = get_acc(t.log);
    /* Ours and the control's. */
    ck_assert_uint_eq(refs_of(acc), 2);

    DestroyWindow(t.top);
    pump();
    ck_assert_ptr_null(t.acc);
    ck_assert_uint_eq(refs_of(acc), 1);

    int calls = t.value_calls;
    BSTR b = (BSTR)(uintptr_t)1;
    VARIANT v;
    LONG x, y, w, h, n;
    IDispatch *d = (IDispatch *)(uintptr_t)1;
    ck_assert_hr(IAccessible_get_accValue(acc, self_id, &b), RPC_E_DISCONNECTED);
    ck_assert_ptr_null(b);
    ck_assert_hr(IAccessible_get_accName(acc, self_id, &b), RPC_E_DISCONNECTED);
    ck_assert_ptr_null(b);
    V_VT(&v) = VT_BSTR;
    ck_assert_hr(IAccessible_get_accRole(acc, self_id, &v), RPC_E_DISCONNECTED);
    ck_assert_int_eq(V_VT(&v), VT_EMPTY);
    ck_assert_hr(IAccessible_get_accState(acc, self_id, &v), RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, &h, self_id),
                 RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_get_accParent(acc, &d), RPC_E_DISCONNECTED);
    ck_assert_ptr_null(d);
    ck_assert_hr(IAccessible_get_accChildCount(acc, &n), RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_get_accFocus(acc, &v), RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_accHitTest(acc, 0, 0, &v), RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_accSelect(acc, SELFLAG_TAKEFOCUS, self_id),
                 RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_accDoDefaultAction(acc, self_id), RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_accNavigate(acc, NAVDIR_FIRSTCHILD, self_id, &v),
                 RPC_E_DISCONNECTED);
    ck_assert_hr(IAccessible_GetIDsOfNames(acc, &iid_iunknown, NULL, 0, 0, NULL),
                 RPC_E_DISCONNECTED);
    /* Even with bad arguments: the object is gone first. */
    ck_assert_hr(IAccessible_get_accValue(acc, child_i4(7), NULL), RPC_E_DISCONNECTED);
    ck_assert_int_eq(t.value_calls, calls);

    /* References still count: QueryInterface works, and the last Release
     * frees the object. */
    void *unk = NULL;
    ck_assert_hr(IAccessible_QueryInterface(acc, &iid_iunknown, &unk), S_OK);
    ck_assert_uint_eq(IUnknown_Release((IUnknown *)unk), 1);
    ck_assert_uint_eq(IAccessible_Release(acc), 0);
}
END_TEST

START_TEST(test_logacc_window_gone_before_anyone_asked_frees_at_once)
{
    /* Only the control's reference: logacc_detach drops it. Nothing to
     * assert but that nothing crashes and nothing is asked. */
    DestroyWindow(t.top);
    pump();
    ck_assert_ptr_null(t.acc);
    ck_assert_int_eq(t.value_calls, 0);
}
END_TEST

/* --- from another process ---------------------------------------------- */

/* What a reader in another process hears from COM once the object was
 * disconnected: CO_E_OBJNOTCONNECTED or RPC_E_DISCONNECTED on Windows; Wine
 * 8's ole32 answers a call for an IPID it no longer knows with
 * RPC_S_UNKNOWN_IF (0x800706b5). */
static bool is_disconnected(HRESULT hr)
{
    return hr == RPC_E_DISCONNECTED || hr == CO_E_OBJNOTCONNECTED ||
           hr == HRESULT_FROM_WIN32(RPC_S_UNKNOWN_IF);
}

static HWND host_window(const char *name)
{
    wchar_t title[300];
    MultiByteToWideChar(CP_UTF8, 0, name, -1, title, 300);
    HWND h = FindWindowW(L"ChatLogAccHost", title);
    ck_assert_msg(h != NULL, "logacc_host's window '%s' not found", name);
    return h;
}

START_TEST(test_logacc_reads_from_another_process_and_disconnects)
{
    char name[128];
    tp_unique_name(name, sizeof name, "logacc");
    /* "<name>Done": the test has finished with the host's object. */
    char done_name[300];
    snprintf(done_name, sizeof done_name, "%sDone", name);
    HANDLE done = CreateEventA(NULL, TRUE, FALSE, done_name);
    ck_assert(done != NULL);
    HANDLE proc = tp_spawn_ready("logacc_host.exe", name, name);
    HWND hwnd = host_window(name);

    long role = 0, state = 0;
    wchar_t got[64], want[300];
    wchar_t *value = NULL;
    MultiByteToWideChar(CP_UTF8, 0, name, -1, want, 300);
    ck_assert(acc_read(hwnd, &role, got, 64, &value, &state));
    ck_assert_int_eq(role, ROLE_SYSTEM_TEXT);
    ck_assert_msg(wcscmp(got, L"Chat log") == 0, "name '%s'", u8(got));
    ck_assert_msg(value && wcscmp(value, want) == 0, "value '%s', want '%s'", u8(value),
                  u8(want));
    ck_assert_int_eq(state & (STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE),
                     STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE);
    free(value);

    /* The value follows the model (here the host's title). */
    const wchar_t *line = L"[12:03] <d\u00e9> \u0645\u0631\u062d\u0628\u0627 again";
    ck_assert(SendMessageW(hwnd, WM_SETTEXT, 0, (LPARAM)line));
    ck_assert(acc_read(hwnd, NULL, NULL, 0, &value, NULL));
    ck_assert_msg(value && wcscmp(value, line) == 0, "value '%s', want '%s'", u8(value),
                  u8(line));
    free(value);

    /* A reader holding the object past the window's end. */
    IAccessible *acc = get_acc(hwnd);
    LONG x, y, w, h;
    RECT r;
    ck_assert(GetWindowRect(hwnd, &r));
    ck_assert_hr(IAccessible_accLocation(acc, &x, &y, &w, &h, self_id), S_OK);
    ck_assert_int_eq(x, r.left);
    ck_assert_int_eq(w, r.right - r.left);
    SendMessageW(hwnd, WM_CLOSE, 0, 0);
    ck_assert(!IsWindow(hwnd));
    /* logacc_detach disconnected the object from COM: the call does not
     * reach it, and COM answers for it. */
    BSTR b = NULL;
    HRESULT hr = IAccessible_get_accValue(acc, self_id, &b);
    ck_assert_msg(is_disconnected(hr), "get_accValue after the window's end: 0x%08lx",
                  (unsigned long)hr);
    ck_assert_ptr_null(b);
    VARIANT v;
    hr = IAccessible_get_accRole(acc, self_id, &v);
    ck_assert_msg(is_disconnected(hr), "get_accRole after the window's end: 0x%08lx",
                  (unsigned long)hr);
    IAccessible_Release(acc);

    SetEvent(done);
    CloseHandle(done);
    /* 4: the host's value callback ran after logacc_detach. */
    ck_assert_uint_eq(tp_exit_code(proc, 10000), 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("logacc");
    TCase *tc = tcase_create("msaa");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_logacc_reads_as_text_named_chat_log_with_the_log_as_value);
    tcase_add_test(tc, test_logacc_value_is_read_afresh_when_the_text_changes);
    tcase_add_test(tc, test_logacc_state_is_focused_only_with_the_keyboard_focus);
    tcase_add_test(tc, test_logacc_location_is_the_window_rect_on_screen);
    tcase_add_test(tc, test_logacc_hit_test_is_self_inside_and_nothing_outside);
    tcase_add_test(tc, test_logacc_rejects_every_child_id_but_self);
    tcase_add_test(tc, test_logacc_null_out_pointers_are_e_pointer);
    tcase_add_test(tc, test_logacc_has_no_children_actions_or_extra_texts);
    tcase_add_test(tc, test_logacc_query_interface_gives_one_object);
    tcase_add_test(tc, test_logacc_parent_is_the_window_object);
    tcase_add_test(tc, test_logacc_refuses_calls_off_the_ui_thread);
    tcase_add_test(tc, test_logacc_get_object_answers_objid_client_only);
    tcase_add_test(tc,
                   test_logacc_lresult_nobody_unmarshals_does_not_outlive_the_window);
    tcase_add_test(tc, test_logacc_held_past_destroy_answers_disconnected_and_frees);
    tcase_add_test(tc, test_logacc_window_gone_before_anyone_asked_frees_at_once);
    tcase_add_test(tc, test_logacc_reads_from_another_process_and_disconnects);
    suite_add_tcase(s, tc);
    return s;
}
