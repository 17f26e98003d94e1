/* acc_read.h: what a screen reader reads of a window, for the Win32 suites:
 * the MSAA client object (AccessibleObjectFromWindow, OBJID_CLIENT) of a
 * window of this process or of another one, its role, name, value and
 * state in one call.
 *
 * Contract: any thread; COM is initialised for the call (apartment-
 * threaded) and uninitialised after it when the thread had not done so
 * itself. Returns false, with a line on stderr naming the step and its
 * HRESULT, when any call fails. Every out pointer may be NULL (not read). */
#ifndef CHAT_TESTS_ACC_READ_H
#define CHAT_TESTS_ACC_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

/* role: ROLE_SYSTEM_... (42 for text). name: copied into name_cap wide
 * characters, truncated and always terminated; empty when the object has
 * no name. value: a malloc'd copy the caller frees, or NULL when the object
 * has no value (S_FALSE). state: STATE_SYSTEM_... bits. */
bool acc_read(HWND hwnd, long *role, wchar_t *name, size_t name_cap,
              wchar_t **value /* malloc'd, caller frees */, long *state);

#endif
