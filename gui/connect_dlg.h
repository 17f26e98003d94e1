/* connect_dlg.h: File > Connect...: server, port and user name, checked
 * before the dialog closes, with a message that says what is wrong. */
#ifndef CHAT_GUI_CONNECT_DLG_H
#define CHAT_GUI_CONNECT_DLG_H

#include <stdbool.h>
#include <windows.h>

#include "core/client_opts.h"

typedef struct ConnectTarget {
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    char user[PROTO_NAME_BUF];
} ConnectTarget;

/* Modal. t holds the current values on entry and the new ones when the user
 * chose Connect (true); unchanged on Cancel (false). */
bool connect_dialog(HWND owner, ConnectTarget *t);

/* The dialog's check, platform-free in spirit: true, or false with a
 * sentence in err. Exposed for tests. */
bool connect_validate(const char *host, const char *port, const char *user, ConnectTarget *t,
                      char *err, size_t errsize);

#endif
