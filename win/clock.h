/* clock.h: one clock for every process of the machine, in microseconds
 * (QueryPerformanceCounter), so times taken in two processes compare. */
#ifndef CHAT_WIN_CLOCK_H
#define CHAT_WIN_CLOCK_H

unsigned long long win_clock_us(void);

#endif
