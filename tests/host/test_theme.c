/* test_theme.c: the light and dark colours are readable (WCAG contrast of
 * every pair the chat view draws), names keep a stable colour, and the
 * theme choice resolves and reads back (core/theme.h). */
#include <stdio.h>

#include "common/check_main.h"
#include "core/theme.h"

#define AA 4.5 /* WCAG 2 AA for normal text */

static void readable(uint32_t fg, uint32_t bg, const char *what)
{
    double c = theme_contrast(fg, bg);
    ck_assert_msg(c >= AA, "%s: #%06X on #%06X is %.2f", what, (unsigned)fg,
                  (unsigned)bg, c);
}

START_TEST(test_theme_contrast_is_wcag)
{
    ck_assert_double_eq_tol(theme_contrast(0x000000, 0xFFFFFF), 21.0, 1e-9);
    ck_assert_double_eq_tol(theme_contrast(0xFFFFFF, 0x000000), 21.0, 1e-9);
    ck_assert_double_eq_tol(theme_contrast(0x777777, 0x777777), 1.0, 1e-12);
    /* Known values: #767676 on white is the lightest grey that passes. */
    ck_assert_double_eq_tol(theme_contrast(0x767676, 0xFFFFFF), 4.54, 0.01);
    ck_assert_double_eq_tol(theme_contrast(0x777777, 0xFFFFFF), 4.48, 0.01);
    ck_assert_double_eq_tol(theme_contrast(0xFF0000, 0xFFFFFF), 4.00, 0.01);
    ck_assert_double_eq_tol(theme_contrast(0x0000FF, 0x000000), 2.44, 0.01);
    /* Only the low 24 bits count. */
    ck_assert_double_eq_tol(theme_contrast(0xFF000000, 0xFFFFFF), 21.0, 1e-9);
}
END_TEST

START_TEST(test_theme_every_drawn_pair_is_readable)
{
    for (int d = 0; d < 2; d++) {
        const ThemeColors *t = theme_colors(d);
        uint32_t backs[] = {t->back, t->own_back, t->mention_back};
        const char *bn[] = {"back", "own_back", "mention_back"};
        uint32_t fores[] = {t->text, t->dim, t->link, t->local};
        const char *fn[] = {"text", "dim", "link", "local"};
        char what[64];
        for (int b = 0; b < 3; b++)
            for (int f = 0; f < 4; f++) {
                snprintf(what, sizeof what, "%s %s on %s", d ? "dark" : "light", fn[f],
                         bn[b]);
                readable(fores[f], backs[b], what);
            }
        readable(t->sel_text, t->sel_back, d ? "dark selection" : "light selection");
        readable(t->text, t->match_back, d ? "dark match" : "light match");
        readable(t->text, t->current_back, d ? "dark current" : "light current");
        /* The marker is a line, not text, but must show on the background. */
        ck_assert(theme_contrast(t->marker, t->back) >= 3.0);
    }
    /* Light is light, dark is dark. */
    ck_assert(theme_contrast(theme_colors(false)->back, 0xFFFFFF) < 1.1);
    ck_assert_uint_eq(theme_colors(true)->back, 0x1E1E1E);
    ck_assert(theme_colors(false) != theme_colors(true));
}
END_TEST

START_TEST(test_theme_name_palettes_are_readable_on_every_line_background)
{
    for (int d = 0; d < 2; d++) {
        const uint32_t *p;
        const ThemeColors *t = theme_colors(d);
        size_t n = theme_name_palette(d, &p);
        ck_assert_uint_ge(n, 8);
        ck_assert_uint_eq(theme_name_palette(d, NULL), n);
        for (size_t i = 0; i < n; i++) {
            readable(p[i], t->back, "name on back");
            readable(p[i], t->own_back, "name on own_back");
            readable(p[i], t->mention_back, "name on mention_back");
            for (size_t j = 0; j < i; j++)
                ck_assert_uint_ne(p[i], p[j]);
        }
    }
}
END_TEST

/* FNV-1a over the units, written here apart from theme.c. */
static uint32_t fnv(const uint16_t *s, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x01000193u;
    }
    return h;
}

START_TEST(test_theme_name_colour_is_a_stable_hash)
{
    const uint16_t alice[] = {'a', 'l', 'i', 'c', 'e'};
    const uint16_t a[] = {'a'};
    const uint16_t arabic[] = {0x0645, 0x0631, 0x062D, 0x0628, 0x0627};
    const uint32_t *light, *dark;
    size_t n = theme_name_palette(false, &light);
    ck_assert_uint_eq(theme_name_palette(true, &dark), n);
    /* Known hashes: the colour must not change between versions. */
    ck_assert_uint_eq(fnv(a, 1), 0xE40C292Cu);
    ck_assert_uint_eq(fnv(alice, 5), 0x872213E7u);
    ck_assert_uint_eq(theme_name_color(a, 1, false), light[0xE40C292Cu % n]);
    ck_assert_uint_eq(theme_name_color(alice, 5, false), light[0x872213E7u % n]);
    ck_assert_uint_eq(theme_name_color(alice, 5, true), dark[0x872213E7u % n]);
    ck_assert_uint_eq(theme_name_color(arabic, 5, true), dark[fnv(arabic, 5) % n]);
    ck_assert_uint_eq(theme_name_color(NULL, 3, false), light[0x811C9DC5u % n]);
    /* Names spread over the palette. */
    int used[64] = {0}, kinds = 0;
    for (uint16_t c = 'a'; c <= 'z'; c++) {
        uint16_t name[2] = {'u', c};
        uint32_t col = theme_name_color(name, 2, false);
        for (size_t i = 0; i < n; i++)
            if (light[i] == col && !used[i]++)
                kinds++;
    }
    ck_assert_int_ge(kinds, (int)n / 2);
}
END_TEST

START_TEST(test_theme_choice_resolves_and_reads_back)
{
    ck_assert(!theme_is_dark(THEME_SYSTEM, -1)); /* unset: light */
    ck_assert(!theme_is_dark(THEME_SYSTEM, 1));
    ck_assert(theme_is_dark(THEME_SYSTEM, 0));
    ck_assert(!theme_is_dark(THEME_SYSTEM, 7));
    ck_assert(!theme_is_dark(THEME_LIGHT, 0));
    ck_assert(theme_is_dark(THEME_DARK, 1));
    ck_assert(theme_is_dark(THEME_DARK, -1));
    ck_assert(!theme_is_dark((ThemeChoice)42, 1));
    for (int c = THEME_SYSTEM; c <= THEME_DARK; c++)
        ck_assert_int_eq(theme_choice_parse(theme_choice_name((ThemeChoice)c)), c);
    ck_assert_str_eq(theme_choice_name(THEME_SYSTEM), "System");
    ck_assert_str_eq(theme_choice_name(THEME_LIGHT), "Light");
    ck_assert_str_eq(theme_choice_name(THEME_DARK), "Dark");
    ck_assert_str_eq(theme_choice_name((ThemeChoice)-3), "System");
    ck_assert_int_eq(theme_choice_parse("dark"), THEME_DARK);
    ck_assert_int_eq(theme_choice_parse("LIGHT"), THEME_LIGHT);
    ck_assert_int_eq(theme_choice_parse("Darker"), THEME_SYSTEM);
    ck_assert_int_eq(theme_choice_parse("Dar"), THEME_SYSTEM);
    ck_assert_int_eq(theme_choice_parse(""), THEME_SYSTEM);
    ck_assert_int_eq(theme_choice_parse(NULL), THEME_SYSTEM);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("theme");
    tcase_add_test(tc, test_theme_contrast_is_wcag);
    tcase_add_test(tc, test_theme_every_drawn_pair_is_readable);
    tcase_add_test(tc, test_theme_name_palettes_are_readable_on_every_line_background);
    tcase_add_test(tc, test_theme_name_colour_is_a_stable_hash);
    tcase_add_test(tc, test_theme_choice_resolves_and_reads_back);
    suite_add_tcase(s, tc);
    return s;
}
