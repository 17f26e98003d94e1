/* connect_dlg.h: File > Connect...: server, port and user name, checked
 * before the dialog closes, with a message that says what is wrong. */
#ifndef CHAT_GUI_CONNECT_DLG_H
#define CHAT_GUI_CONNECT_DLG_H

#include <stdbool.h>
#include <windows.h>

#include "core/connect_form.h"

/* Modal. t holds the current values on entry and the new ones when the user
 * chose Connect (true); unchanged on Cancel (false). `prompt`, when not
 * NULL, is a sentence shown above the boxes (why the dialog is asking). */
bool connect_dialog(HWND owner, ConnectTarget *t, const char *prompt);

#endif
