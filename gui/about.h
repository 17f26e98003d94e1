/* about.h: the About box, showing the version from the VERSIONINFO
 * resource (so the version has one source: the CMake project version), and
 * what every dialog of the application shares with it. */
#ifndef CHAT_GUI_ABOUT_H
#define CHAT_GUI_ABOUT_H

#include <stddef.h>
#include <windows.h>

/* Modal; returns when the user closes it. */
void about_show(HWND owner);

/* Gives a dialog the application's icon in its title bar (a dialog has
 * none of its own; Wine would show its default one). */
void about_set_dialog_icon(HWND dlg);

/* What every dialog of the application does in WM_INITDIALOG: the icon,
 * and centred on its owner window (kept on the owner's monitor), not on the
 * screen. */
void about_prepare_dialog(HWND dlg);

/* "MAJOR.MINOR.PATCH" of this executable's VERSIONINFO, read with KERNEL32
 * only (VERSION.DLL is not one of our libraries). False if there is none. */
BOOL about_version(wchar_t *out, size_t cap);

#endif
