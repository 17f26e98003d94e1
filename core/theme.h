/* theme.h: the colours of the light and the dark theme, a stable colour
 * for each name, and the WCAG contrast that proves them readable.
 *
 * Contract: platform-free, pure. Colours are 0xRRGGBB. */
#ifndef CHAT_CORE_THEME_H
#define CHAT_CORE_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ThemeChoice {
    THEME_SYSTEM, /* follows Windows' AppsUseLightTheme */
    THEME_LIGHT,
    THEME_DARK,
} ThemeChoice;

typedef struct ThemeColors {
    uint32_t back;         /* the view's and panels' background */
    uint32_t text;         /* message text */
    uint32_t dim;          /* the time column, notices */
    uint32_t own_back;     /* the background of your own lines */
    uint32_t mention_back; /* a line that mentions you */
    uint32_t sel_back, sel_text;
    uint32_t match_back;   /* every search hit */
    uint32_t current_back; /* the hit F3 went to */
    uint32_t link;
    uint32_t marker;       /* the unread marker line */
    uint32_t local;        /* the client's own notices */
} ThemeColors;

/* The colours of a theme (dark: true for the dark one). Every text colour
 * has a contrast of at least 4.5 with the backgrounds it is drawn on. */
const ThemeColors *theme_colors(bool dark);

/* "System" resolved: dark when Windows says apps do not use the light
 * theme (apps_use_light is its AppsUseLightTheme value; -1 when unset,
 * which means light). */
bool theme_is_dark(ThemeChoice choice, int apps_use_light);

/* A name's colour: from a hash of its UTF-16 units, the same on every run
 * and machine, one of a palette readable (contrast >= 4.5) on the theme's
 * background, own and mention backgrounds. */
uint32_t theme_name_color(const uint16_t *name, size_t n, bool dark);
size_t theme_name_palette(bool dark, const uint32_t **colors);

/* The WCAG 2 contrast ratio of two colours (1.0 .. 21.0). */
double theme_contrast(uint32_t a, uint32_t b);

/* "System", "Light", "Dark" and back (settings); THEME_SYSTEM for anything
 * else. */
const char *theme_choice_name(ThemeChoice c);
ThemeChoice theme_choice_parse(const char *s);

#endif
