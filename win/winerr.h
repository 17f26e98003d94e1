/* winerr.h: Win32 error codes as words, for every module that shows a
 * system error to a person (PuTTY's win_strerror, without its cache).
 *
 * Contract: writes into the caller's buffer, never allocates that the caller
 * must free, thread-safe. */
#ifndef CHAT_WIN_WINERR_H
#define CHAT_WIN_WINERR_H

#include <stddef.h>

/* Writes "<system text> (error N)" into buf, trailing newline and period
 * stripped; "error N" alone when the system has no text for N. Returns buf. */
const char *win_strerror(unsigned long err, char *buf, size_t size);

#endif
