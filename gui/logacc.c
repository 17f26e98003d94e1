/* logacc.c: the chat log's accessible object (see logacc.h): IAccessible in
 * plain C, one static vtable and a reference count, answering for a window
 * until logacc_detach and for nothing after it. */
#define COBJMACROS
#define CONST_VTABLE /* the vtable below is const, as it should be */
#include "gui/logacc.h"

#include <oleacc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <wchar.h>

/* Spelled out: MinGW's import libraries resolve IID_IAccessible to garbage
 * (../shared/WINE-NOTES.md), and every call made with it then fails with
 * E_NOINTERFACE. The other two are spelled out alike so that this file
 * needs no GUID from any library. */
static const IID iid_iaccessible = {
    0x618736e0, 0x3c3d, 0x11cf, {0x81, 0x0c, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};
static const IID iid_idispatch = {
    0x00020400, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const IID iid_iunknown = {
    0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

struct LogAcc {
    IAccessible iface; /* first: an IAccessible * is a LogAcc * */
    LONG refs;
    /* Set by logacc_detach, on the UI thread; from then on hwnd, value and
     * ctx are never used again. volatile: a COM call may read it from an
     * RPC thread (see on_ui_thread). */
    volatile LONG detached;
    HWND hwnd;
    DWORD thread; /* the window's thread: the only one that may use it */
    wchar_t *name;
    LogAccValue value;
    void *ctx;
};

static LogAcc *from_iface(IAccessible *iface)
{
    return (LogAcc *)iface;
}

/* The window and the model belong to the UI thread. Calls arrive there when
 * that thread is a single-threaded apartment (it called CoInitialize or
 * OleInitialize); were it left in the process's multithreaded apartment
 * (another thread initialised COM that way), calls would arrive on RPC
 * threads and must not read the model: they fail instead of racing. */
static bool on_ui_thread(const LogAcc *a)
{
    return GetCurrentThreadId() == a->thread;
}

/* Child ids: this object has no children, so only CHILDID_SELF (VT_I4 0)
 * names anything. */
static bool is_self(const VARIANT *v)
{
    return V_VT(v) == VT_I4 && V_I4(v) == CHILDID_SELF;
}

/* What every method that needs the live window checks first. */
static HRESULT usable(const LogAcc *a)
{
    if (a->detached)
        return RPC_E_DISCONNECTED;
    if (!on_ui_thread(a))
        return RPC_E_WRONG_THREAD;
    return S_OK;
}

/* Out parameters are set before anything can fail: a COM stub marshals
 * them back whatever the result, and a stale BSTR or VARIANT would be read
 * as one. */
static void clear_bstr(BSTR *out)
{
    if (out)
        *out = NULL;
}

static void clear_variant(VARIANT *out)
{
    if (out)
        V_VT(out) = VT_EMPTY;
}

/* The common prologue of the get_acc... properties that take a child id
 * and return a BSTR. */
static HRESULT bstr_prologue(IAccessible *iface, VARIANT child, BSTR *out)
{
    clear_bstr(out);
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    if (!out)
        return E_POINTER;
    if (!is_self(&child))
        return E_INVALIDARG;
    return S_OK;
}

/* A text property the log has none of: S_FALSE and NULL. */
static HRESULT no_text(IAccessible *iface, VARIANT child, BSTR *out)
{
    HRESULT hr = bstr_prologue(iface, child, out);
    return hr == S_OK ? S_FALSE : hr;
}

/* An action or a change a read-only text does not have: what the
 * documentation says an edit field answers. */
static HRESULT not_supported(IAccessible *iface, VARIANT child)
{
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    return is_self(&child) ? DISP_E_MEMBERNOTFOUND : E_INVALIDARG;
}

/* --- IUnknown --------------------------------------------------------- */

static HRESULT STDMETHODCALLTYPE acc_query_interface(IAccessible *iface, REFIID riid,
                                                     void **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!riid)
        return E_INVALIDARG;
    /* Answered after logacc_detach as well: COM's identity rules want the
     * same IUnknown for the object's whole life, and nothing here touches
     * the window. */
    if (IsEqualIID(riid, &iid_iunknown) || IsEqualIID(riid, &iid_idispatch) ||
        IsEqualIID(riid, &iid_iaccessible)) {
        *out = iface;
        IAccessible_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE acc_add_ref(IAccessible *iface)
{
    return (ULONG)InterlockedIncrement(&from_iface(iface)->refs);
}

/* The last reference can go on any thread (an RPC thread releasing a
 * stub): freeing touches only the object's own memory. */
static ULONG STDMETHODCALLTYPE acc_release(IAccessible *iface)
{
    LogAcc *a = from_iface(iface);
    LONG left = InterlockedDecrement(&a->refs);
    if (left == 0) {
        free(a->name);
        free(a);
    }
    return (ULONG)left;
}

/* --- IDispatch: not implemented (clients use the IAccessible vtable; no
 * type library is registered for this object) -------------------------- */

static HRESULT STDMETHODCALLTYPE acc_get_type_info_count(IAccessible *iface,
                                                         UINT *count)
{
    if (count)
        *count = 0;
    if (from_iface(iface)->detached)
        return RPC_E_DISCONNECTED;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE acc_get_type_info(IAccessible *iface, UINT index,
                                                   LCID lcid, ITypeInfo **info)
{
    (void)index;
    (void)lcid;
    if (info)
        *info = NULL;
    if (from_iface(iface)->detached)
        return RPC_E_DISCONNECTED;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE acc_get_ids_of_names(IAccessible *iface, REFIID riid,
                                                      LPOLESTR *names, UINT count,
                                                      LCID lcid, DISPID *ids)
{
    (void)riid;
    (void)names;
    (void)count;
    (void)lcid;
    (void)ids;
    if (from_iface(iface)->detached)
        return RPC_E_DISCONNECTED;
    return E_NOTIMPL;
}

static HRESULT STDMETHODCALLTYPE acc_invoke(IAccessible *iface, DISPID id, REFIID riid,
                                            LCID lcid, WORD flags, DISPPARAMS *params,
                                            VARIANT *result, EXCEPINFO *excep,
                                            UINT *arg_err)
{
    (void)id;
    (void)riid;
    (void)lcid;
    (void)flags;
    (void)params;
    (void)excep;
    (void)arg_err;
    clear_variant(result);
    if (from_iface(iface)->detached)
        return RPC_E_DISCONNECTED;
    return E_NOTIMPL;
}

/* --- IAccessible: the tree ------------------------------------------- */

/* The parent of a window's client object is the window object, as for a
 * standard control: the system's own, which DefWindowProc provides. */
static HRESULT STDMETHODCALLTYPE acc_get_parent(IAccessible *iface, IDispatch **parent)
{
    LogAcc *a = from_iface(iface);
    if (parent)
        *parent = NULL;
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!parent)
        return E_POINTER;
    return AccessibleObjectFromWindow(a->hwnd, (DWORD)OBJID_WINDOW, &iid_idispatch,
                                      (void **)parent);
}

static HRESULT STDMETHODCALLTYPE acc_get_child_count(IAccessible *iface, LONG *count)
{
    if (count)
        *count = 0;
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    return count ? S_OK : E_POINTER;
}

/* No children: every id is invalid (E_INVALIDARG), CHILDID_SELF included,
 * which is not a child. */
static HRESULT STDMETHODCALLTYPE acc_get_child(IAccessible *iface, VARIANT child,
                                               IDispatch **out)
{
    (void)child;
    if (out)
        *out = NULL;
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    return out ? E_INVALIDARG : E_POINTER;
}

/* --- IAccessible: properties ------------------------------------------ */

static HRESULT STDMETHODCALLTYPE acc_get_name(IAccessible *iface, VARIANT child,
                                              BSTR *out)
{
    HRESULT hr = bstr_prologue(iface, child, out);
    if (hr != S_OK)
        return hr;
    *out = SysAllocString(from_iface(iface)->name);
    return *out ? S_OK : E_OUTOFMEMORY;
}

/* The lines the callback gives, read afresh on every call; a callback that
 * gives NULL means an empty log. */
static HRESULT STDMETHODCALLTYPE acc_get_value(IAccessible *iface, VARIANT child,
                                               BSTR *out)
{
    LogAcc *a = from_iface(iface);
    HRESULT hr = bstr_prologue(iface, child, out);
    if (hr != S_OK)
        return hr;
    if (!a->value)
        return S_FALSE;
    wchar_t *text = a->value(a->ctx);
    *out = SysAllocString(text ? text : L"");
    free(text);
    return *out ? S_OK : E_OUTOFMEMORY;
}

/* The properties the log has no text for: S_FALSE and NULL, as a standard
 * EDIT's proxy answers them. */
static HRESULT STDMETHODCALLTYPE acc_get_description(IAccessible *iface, VARIANT child,
                                                     BSTR *out)
{
    return no_text(iface, child, out);
}

static HRESULT STDMETHODCALLTYPE acc_get_help(IAccessible *iface, VARIANT child,
                                              BSTR *out)
{
    return no_text(iface, child, out);
}

static HRESULT STDMETHODCALLTYPE acc_get_keyboard_shortcut(IAccessible *iface,
                                                           VARIANT child, BSTR *out)
{
    return no_text(iface, child, out);
}

/* Text has no default action. */
static HRESULT STDMETHODCALLTYPE acc_get_default_action(IAccessible *iface,
                                                        VARIANT child, BSTR *out)
{
    return no_text(iface, child, out);
}

static HRESULT STDMETHODCALLTYPE acc_get_help_topic(IAccessible *iface, BSTR *file,
                                                    VARIANT child, LONG *topic)
{
    if (topic)
        *topic = 0;
    HRESULT hr = bstr_prologue(iface, child, file);
    if (hr != S_OK)
        return hr;
    return topic ? S_FALSE : E_POINTER;
}

static HRESULT STDMETHODCALLTYPE acc_get_role(IAccessible *iface, VARIANT child,
                                              VARIANT *role)
{
    clear_variant(role);
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    if (!role)
        return E_POINTER;
    if (!is_self(&child))
        return E_INVALIDARG;
    V_VT(role) = VT_I4;
    V_I4(role) = ROLE_SYSTEM_TEXT;
    return S_OK;
}

/* Read-only and focusable, like a read-only EDIT; focused when it has the
 * keyboard focus; and, as the system's proxies report a window, invisible
 * when hidden and unavailable when disabled. */
static HRESULT STDMETHODCALLTYPE acc_get_state(IAccessible *iface, VARIANT child,
                                               VARIANT *state)
{
    LogAcc *a = from_iface(iface);
    clear_variant(state);
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!state)
        return E_POINTER;
    if (!is_self(&child))
        return E_INVALIDARG;
    LONG s = STATE_SYSTEM_READONLY | STATE_SYSTEM_FOCUSABLE;
    if (GetFocus() == a->hwnd)
        s |= STATE_SYSTEM_FOCUSED;
    if (!IsWindowVisible(a->hwnd))
        s |= STATE_SYSTEM_INVISIBLE;
    if (!IsWindowEnabled(a->hwnd))
        s |= STATE_SYSTEM_UNAVAILABLE;
    V_VT(state) = VT_I4;
    V_I4(state) = s;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE acc_get_focus(IAccessible *iface, VARIANT *out)
{
    LogAcc *a = from_iface(iface);
    clear_variant(out);
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!out)
        return E_POINTER;
    if (GetFocus() != a->hwnd)
        return S_FALSE;
    V_VT(out) = VT_I4;
    V_I4(out) = CHILDID_SELF;
    return S_OK;
}

/* The object itself is never "selected" (text selection is not an MSAA
 * selection): nothing, S_FALSE. */
static HRESULT STDMETHODCALLTYPE acc_get_selection(IAccessible *iface, VARIANT *out)
{
    clear_variant(out);
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    return out ? S_FALSE : E_POINTER;
}

/* --- IAccessible: methods --------------------------------------------- */

/* SELFLAG_TAKEFOCUS alone moves the keyboard focus here, as the system's
 * proxies do for a focusable window; there is nothing else to select. */
static HRESULT STDMETHODCALLTYPE acc_select(IAccessible *iface, LONG flags,
                                            VARIANT child)
{
    LogAcc *a = from_iface(iface);
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!is_self(&child))
        return E_INVALIDARG;
    if (flags != SELFLAG_TAKEFOCUS)
        return DISP_E_MEMBERNOTFOUND;
    SetFocus(a->hwnd);
    return GetFocus() == a->hwnd ? S_OK : S_FALSE;
}

/* The window's rectangle in screen coordinates. */
static HRESULT STDMETHODCALLTYPE acc_location(IAccessible *iface, LONG *left, LONG *top,
                                              LONG *width, LONG *height, VARIANT child)
{
    LogAcc *a = from_iface(iface);
    LONG *outs[4] = {left, top, width, height};
    for (int i = 0; i < 4; i++)
        if (outs[i])
            *outs[i] = 0;
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!left || !top || !width || !height)
        return E_POINTER;
    if (!is_self(&child))
        return E_INVALIDARG;
    RECT r;
    if (!GetWindowRect(a->hwnd, &r))
        return HRESULT_FROM_WIN32(GetLastError());
    *left = r.left;
    *top = r.top;
    *width = r.right - r.left;
    *height = r.bottom - r.top;
    return S_OK;
}

/* No children to go to: S_FALSE. Among siblings, the window object (the
 * parent) navigates, as it does for every control: not supported here. */
static HRESULT STDMETHODCALLTYPE acc_navigate(IAccessible *iface, LONG dir,
                                              VARIANT start, VARIANT *end)
{
    clear_variant(end);
    HRESULT hr = usable(from_iface(iface));
    if (FAILED(hr))
        return hr;
    if (!end)
        return E_POINTER;
    if (!is_self(&start))
        return E_INVALIDARG;
    switch (dir) {
    case NAVDIR_FIRSTCHILD:
    case NAVDIR_LASTCHILD:
        return S_FALSE;
    case NAVDIR_UP:
    case NAVDIR_DOWN:
    case NAVDIR_LEFT:
    case NAVDIR_RIGHT:
    case NAVDIR_NEXT:
    case NAVDIR_PREVIOUS:
        return DISP_E_MEMBERNOTFOUND;
    default:
        return E_INVALIDARG;
    }
}

/* A screen point inside the window is this object; outside, nothing. */
static HRESULT STDMETHODCALLTYPE acc_hit_test(IAccessible *iface, LONG x, LONG y,
                                              VARIANT *out)
{
    LogAcc *a = from_iface(iface);
    clear_variant(out);
    HRESULT hr = usable(a);
    if (FAILED(hr))
        return hr;
    if (!out)
        return E_POINTER;
    RECT r;
    POINT pt = {x, y};
    if (!GetWindowRect(a->hwnd, &r) || !PtInRect(&r, pt))
        return S_FALSE;
    V_VT(out) = VT_I4;
    V_I4(out) = CHILDID_SELF;
    return S_OK;
}

/* No action, and neither the name nor the value can be set. */
static HRESULT STDMETHODCALLTYPE acc_do_default_action(IAccessible *iface, VARIANT child)
{
    return not_supported(iface, child);
}

static HRESULT STDMETHODCALLTYPE acc_put_name(IAccessible *iface, VARIANT child, BSTR name)
{
    (void)name;
    return not_supported(iface, child);
}

static HRESULT STDMETHODCALLTYPE acc_put_value(IAccessible *iface, VARIANT child, BSTR value)
{
    (void)value;
    return not_supported(iface, child);
}

static const IAccessibleVtbl acc_vtbl = {
    acc_query_interface,
    acc_add_ref,
    acc_release,
    acc_get_type_info_count,
    acc_get_type_info,
    acc_get_ids_of_names,
    acc_invoke,
    acc_get_parent,
    acc_get_child_count,
    acc_get_child,
    acc_get_name,
    acc_get_value,
    acc_get_description,
    acc_get_role,
    acc_get_state,
    acc_get_help,
    acc_get_help_topic,
    acc_get_keyboard_shortcut,
    acc_get_focus,
    acc_get_selection,
    acc_get_default_action,
    acc_select,
    acc_location,
    acc_navigate,
    acc_hit_test,
    acc_do_default_action,
    acc_put_name,
    acc_put_value,
};

/* --- the module's functions ------------------------------------------- */

LogAcc *logacc_new(HWND hwnd, const wchar_t *name, LogAccValue value, void *ctx)
{
    LogAcc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    size_t n = wcslen(name ? name : L"") + 1;
    a->name = malloc(n * sizeof *a->name);
    if (!a->name) {
        free(a);
        return NULL;
    }
    wmemcpy(a->name, name ? name : L"", n);
    a->iface.lpVtbl = &acc_vtbl;
    a->refs = 1;
    a->hwnd = hwnd;
    a->thread = GetWindowThreadProcessId(hwnd, NULL);
    a->value = value;
    a->ctx = ctx;
    return a;
}

/* lParam carries the object id as a DWORD: the system zero-extends it to
 * 64 bits, other senders sign-extend OBJID_CLIENT (-4); comparing the low
 * 32 bits takes both, as the documentation of WM_GETOBJECT asks. */
LRESULT logacc_get_object(LogAcc *acc, WPARAM wp, LPARAM lp)
{
    if (!acc || acc->detached || (DWORD)lp != (DWORD)OBJID_CLIENT)
        return 0;
    return LresultFromObject(&iid_iaccessible, wp, (IUnknown *)&acc->iface);
}

/* CoDisconnectObject drops the references COM's stubs hold for other
 * processes: those of a reader that never releases the object, and those
 * of an LRESULT nobody unmarshalled (the reader gave up waiting). Without
 * it they would keep the object alive for as long as the process runs.
 * Readers then hear from COM itself that the object is gone
 * (CO_E_OBJNOTCONNECTED or RPC_E_DISCONNECTED); pointers held in this
 * apartment reach the object, which says RPC_E_DISCONNECTED. */
void logacc_detach(LogAcc *acc)
{
    if (!acc)
        return;
    InterlockedExchange(&acc->detached, 1);
    acc->hwnd = NULL;
    acc->value = NULL;
    acc->ctx = NULL;
    CoDisconnectObject((IUnknown *)&acc->iface, 0);
    IAccessible_Release(&acc->iface); /* the control's; last, as the call
                                         above may drop others first */
}
