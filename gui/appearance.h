/* appearance.h: how the window looks: the theme Windows asks for, a dark
 * title bar where Windows has one, and the chat log's font (View > Font...).
 *
 * Contract: UI thread. Nothing here is imported that Windows 7 or Wine
 * lacks: the registry (ADVAPI32, which the client does not import) and DWM
 * are loaded at run time, and the undocumented dark-mode calls are never
 * made: only the documented DWM attribute, on a Windows build that has it,
 * never under Wine (where the same numbers mean other things). */
#ifndef CHAT_GUI_APPEARANCE_H
#define CHAT_GUI_APPEARANCE_H

#include <stdbool.h>
#include <windows.h>

#include "core/theme.h"
#include "gui/settings.h"

/* Windows' AppsUseLightTheme (1 light, 0 dark), or -1 when it is not set. */
int appearance_apps_use_light(void);

/* Whether choice means dark now. */
bool appearance_is_dark(ThemeChoice choice);

/* A dark or light title bar (Windows 10 1809 and later only). */
void appearance_title_bar(HWND hwnd, bool dark);

/* The chat log's font from the settings at dpi, or NULL for the system
 * message font. The caller deletes it. */
HFONT appearance_log_font(const Settings *s, UINT dpi);

/* View > Font...: the standard font dialog, starting from `current`; on OK
 * the choice goes into s (size in points, so it follows the DPI) and true
 * is returned. */
bool appearance_choose_font(HWND owner, Settings *s, HFONT current, UINT dpi);

#endif
