/* settings.h: what the client remembers between runs (server, user name,
 * window placement), in %APPDATA%\ChatClient\chat_client.ini.
 *
 * The file is UTF-16 (a byte-order mark makes the profile API read and
 * write it as Unicode), so any name round-trips; a file an older version
 * wrote in the ANSI code page is converted on the first save. The window's
 * size is kept in 96-DPI units, so a size saved on one display reopens the
 * same on another; its position is in screen pixels.
 *
 * Contract: loading never fails (missing or malformed values keep the
 * defaults); saving reports failure but the caller may ignore it. The two
 * halves are saved apart: the connection only when the user chose it (so
 * a command line, or a second instance, never overwrites what another one
 * saved), the placement on every close. The environment variable
 * CHAT_CLIENT_INI, when set, names another file (tests); otherwise a file
 * SETTINGS_PORTABLE_MARKER beside chat_client.exe makes it portable: its
 * settings are chat_client.ini beside it, and nothing goes to %APPDATA%
 * (in a folder whose ini path would pass MAX_PATH, none are kept).
 * Single-threaded (the UI thread). */
#ifndef CHAT_GUI_SETTINGS_H
#define CHAT_GUI_SETTINGS_H

#include <stdbool.h>
#include <windows.h>

#include "core/client_opts.h"
#include "core/theme.h"

/* Beside chat_client.exe: keep the settings beside it (portable mode). */
#define SETTINGS_PORTABLE_MARKER L"portable.txt"

typedef struct SettingsPlacement {
    int x, y;              /* top-left of the restored window, screen pixels */
    int width96, height96; /* its size at 96 DPI */
    bool maximized;
} SettingsPlacement;

typedef struct Settings {
    char host[CLIENT_HOST_MAX];
    unsigned short port;
    char user[PROTO_NAME_BUF]; /* empty: none saved */
    bool have_placement;
    SettingsPlacement placement;
    bool people_hidden; /* View > People unchecked */
    ThemeChoice theme;  /* View > Theme */
    /* View > Font... for the chat log: face empty means the system's
     * message font; the size in tenths of a point (so it follows the DPI). */
    wchar_t font_face[LF_FACESIZE];
    int font_points10, font_weight;
    bool font_italic;
    unsigned scrollback; /* lines the chat log keeps (Scrollback=) */
} Settings;

/* Fills s from the file; host/port default to the client defaults. */
void settings_load(Settings *s);

/* Whether the settings can be kept: the file's folder made and the file
 * opened for writing now (a portable copy in a read-only or too deep
 * folder cannot). False with `why` filled in: what stands in the way, in
 * words, for the user. */
bool settings_writable(char *why, size_t cap);

/* Writes the server and the user name. */
bool settings_save_connection(const Settings *s);

/* Writes the placement (when have_placement) and what the View menu
 * shows (people, theme, font). */
bool settings_save_placement(const Settings *s);

#endif
