/* balloon.h: a balloon tip pointing at a control, for a problem with what
 * the user typed ("Not connected: the message stays in the box"), where the
 * eyes already are, instead of a beep and a line in the status bar. A
 * tracking tooltip of our own (EM_SHOWBALLOONTIP's look, on every system
 * and under Wine), gone after BALLOON_SHOW_MS, on the next keystroke, when
 * the window loses the focus or another one replaces it.
 *
 * Contract: the window's thread; the owner forwards its WM_TIMER with id
 * BALLOON_TIMER to balloon_on_timer. */
#ifndef CHAT_GUI_BALLOON_H
#define CHAT_GUI_BALLOON_H

#include <stdbool.h>
#include <windows.h>

#define BALLOON_TIMER 104
#define BALLOON_SHOW_MS 10000

typedef struct Balloon {
    HWND owner; /* the top-level window: owns the tip and the timer */
    HWND tip;   /* created on first use */
    bool shown;
} Balloon;

void balloon_init(Balloon *b, HWND owner);

/* Shows title and text (UTF-8) under control `at`, replacing any shown. */
void balloon_show(Balloon *b, HWND at, const char *title, const char *text);

void balloon_hide(Balloon *b);

void balloon_on_timer(Balloon *b);

/* Destroys the tip (the window is closing). */
void balloon_free(Balloon *b);

#endif
