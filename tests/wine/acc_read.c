/* acc_read.c: a window's accessible object read as a screen reader reads
 * it (see acc_read.h). */
#define COBJMACROS
#include "acc_read.h"

#include <oleacc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Spelled out: MinGW's import libraries resolve IID_IAccessible to garbage
 * and the call then fails with E_NOINTERFACE (../shared/WINE-NOTES.md). */
static const IID iid_iaccessible = {
    0x618736e0, 0x3c3d, 0x11cf, {0x81, 0x0c, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};

static bool failed(const char *what, HRESULT hr)
{
    fprintf(stderr, "acc_read: %s failed: 0x%08lx\n", what, (unsigned long)hr);
    return false;
}

/* A VT_I4 property (role, state). */
static bool read_i4(IAccessible *acc,
                    HRESULT(STDMETHODCALLTYPE *get)(IAccessible *, VARIANT, VARIANT *),
                    const char *what, long *out)
{
    VARIANT self, v;
    V_VT(&self) = VT_I4;
    V_I4(&self) = CHILDID_SELF;
    VariantInit(&v);
    HRESULT hr = get(acc, self, &v);
    if (hr != S_OK || V_VT(&v) != VT_I4) {
        VariantClear(&v);
        return failed(what, hr == S_OK ? DISP_E_TYPEMISMATCH : hr);
    }
    *out = V_I4(&v);
    return true;
}

/* A BSTR property (name, value): NULL in *out when the object has none. */
static bool read_bstr(IAccessible *acc,
                      HRESULT(STDMETHODCALLTYPE *get)(IAccessible *, VARIANT, BSTR *),
                      const char *what, BSTR *out)
{
    VARIANT self;
    V_VT(&self) = VT_I4;
    V_I4(&self) = CHILDID_SELF;
    *out = NULL;
    HRESULT hr = get(acc, self, out);
    if (FAILED(hr)) {
        SysFreeString(*out);
        *out = NULL;
        return failed(what, hr);
    }
    return true;
}

static bool read_all(IAccessible *acc, long *role, wchar_t *name, size_t name_cap,
                     wchar_t **value, long *state)
{
    if (role && !read_i4(acc, acc->lpVtbl->get_accRole, "get_accRole", role))
        return false;
    if (state && !read_i4(acc, acc->lpVtbl->get_accState, "get_accState", state))
        return false;
    if (name && name_cap > 0) {
        BSTR b;
        if (!read_bstr(acc, acc->lpVtbl->get_accName, "get_accName", &b))
            return false;
        size_t n = b ? SysStringLen(b) : 0;
        if (n >= name_cap)
            n = name_cap - 1;
        if (n)
            wmemcpy(name, b, n);
        name[n] = L'\0';
        SysFreeString(b);
    }
    if (value) {
        BSTR b;
        if (!read_bstr(acc, acc->lpVtbl->get_accValue, "get_accValue", &b))
            return false;
        if (b) {
            size_t n = SysStringLen(b);
            *value = malloc((n + 1) * sizeof **value);
            if (*value) {
                wmemcpy(*value, b, n);
                (*value)[n] = L'\0';
            }
            SysFreeString(b);
            if (!*value)
                return failed("malloc", E_OUTOFMEMORY);
        }
    }
    return true;
}

bool acc_read(HWND hwnd, long *role, wchar_t *name, size_t name_cap, wchar_t **value,
              long *state)
{
    if (value)
        *value = NULL;
    if (name && name_cap > 0)
        name[0] = L'\0';
    /* Unmarshalling the object needs an apartment. S_FALSE (already one of
     * this kind) must be balanced as well; RPC_E_CHANGED_MODE (the thread is
     * multithreaded) works as it is and must not be. */
    HRESULT init = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    IAccessible *acc = NULL;
    HRESULT hr = AccessibleObjectFromWindow(hwnd, (DWORD)OBJID_CLIENT, &iid_iaccessible,
                                            (void **)&acc);
    bool ok;
    if (FAILED(hr) || !acc)
        ok = failed("AccessibleObjectFromWindow", FAILED(hr) ? hr : E_POINTER);
    else
        ok = read_all(acc, role, name, name_cap, value, state);
    if (!ok && value) {
        free(*value);
        *value = NULL;
    }
    if (acc)
        IAccessible_Release(acc);
    if (SUCCEEDED(init))
        CoUninitialize();
    return ok;
}
