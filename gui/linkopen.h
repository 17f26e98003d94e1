/* linkopen.h: opening a link from the chat view: through the shell, on a
 * worker thread, so the window never waits for a browser to start.
 *
 * Contract: linkopen_init once on the UI thread before any open (it reads
 * the test seam: with CHAT_TEST_OPENER_LOG set, the address is appended to
 * that file instead of opened, and no browser starts). linkopen_open
 * returns at once; it refuses anything but an http:// or https:// address
 * of printable ASCII (false, nothing started). A failure of the shell is
 * said in a message box of the worker's own, which blocks nobody. */
#ifndef CHAT_GUI_LINKOPEN_H
#define CHAT_GUI_LINKOPEN_H

#include <stdbool.h>

void linkopen_init(void);
bool linkopen_open(const char *url);

#endif
