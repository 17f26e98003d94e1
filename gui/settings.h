/* settings.h: what the client remembers between runs (server, user name,
 * window placement), in %APPDATA%\ChatClient\chat_client.ini.
 *
 * Contract: loading never fails (missing or malformed values keep the
 * defaults); saving reports failure but the caller may ignore it. The
 * environment variable CHAT_CLIENT_INI, when set, names another file (tests
 * and portable installs). Single-threaded (the UI thread). */
#ifndef CHAT_GUI_SETTINGS_H
#define CHAT_GUI_SETTINGS_H

#include <stdbool.h>
#include <windows.h>

#include "core/client_opts.h"

typedef struct Settings {
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    char user[PROTO_NAME_BUF]; /* empty: none saved */
    bool have_placement;
    WINDOWPLACEMENT placement;
} Settings;

/* Fills s from the file; host/port default to the client defaults. */
void settings_load(Settings *s);

bool settings_save(const Settings *s);

#endif
