/* log.h: the server's console log: one line per event, local timestamp
 * first, written whole (lines of different threads never interleave) and
 * flushed at once, so a log file or pipe is current.
 *
 * Contract: thread-safe after log_init, and after log_close too (whose
 * callers' lines are dropped); text from the network is passed as a
 * "%s" argument, never as the format. */
#ifndef CHAT_SERVER_LOG_H
#define CHAT_SERVER_LOG_H

/* The longest text a line carries whole (a message as the log shows it):
 * every line has room for it beside its stamp, a client's id and name. */
#define LOG_TEXT_MAX 4200

void log_init(void);

/* printf-style; the timestamp and the newline are added. */
void log_line(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(gnu_printf, 1, 2)))
#endif
    ;

/* The last line was written: later calls write nothing. */
void log_close(void);

/* Writes `last` and closes, unless another thread holds the log for more
 * than ms (stuck writing to a console nobody reads): then returns without
 * either. */
void log_close_with(const char *last, unsigned ms);

#endif
