/* logacc.h: the chat log's accessible object (MSAA IAccessible), so a
 * screen reader reads a custom-drawn control as it reads a standard one:
 * role "text", name "Chat log", value the lines in view, state read-only
 * and focusable (focused when it has the focus), the control's screen
 * rectangle as its location.
 *
 * Contract: UI thread only. The control calls logacc_get_object from its
 * WM_GETOBJECT and logacc_detach from WM_DESTROY; the object counts its
 * references and may outlive the window (a screen reader can hold it): once
 * detached it answers every call with CO_E_OBJNOTCONNECTED / RPC_E_DISCONNECTED
 * and never touches the window or the model again. */
#ifndef CHAT_GUI_LOGACC_H
#define CHAT_GUI_LOGACC_H

#include <windows.h>

/* The value: the text to read, allocated with malloc (the object frees
 * it), or NULL. */
typedef wchar_t *(*LogAccValue)(void *ctx);

typedef struct LogAcc LogAcc;

/* Creates the object for hwnd (one reference, the control's). NULL when
 * out of memory. name is copied. */
LogAcc *logacc_new(HWND hwnd, const wchar_t *name, LogAccValue value, void *ctx);

/* WM_GETOBJECT: the LRESULT for OBJID_CLIENT (LresultFromObject), else 0
 * (let DefWindowProc answer). */
LRESULT logacc_get_object(LogAcc *acc, WPARAM wp, LPARAM lp);

/* The window is going: drop the control's reference and cut the object
 * off from it. */
void logacc_detach(LogAcc *acc);

#endif
