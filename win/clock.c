/* clock.c: the machine-wide microsecond clock (see clock.h). */
#include "win/clock.h"

#include <windows.h>

unsigned long long win_clock_us(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq); /* fixed at boot: racing writers agree */
    QueryPerformanceCounter(&t);
    /* Split to keep t * 1e6 from overflowing. */
    return (unsigned long long)(t.QuadPart / freq.QuadPart * 1000000 +
                                t.QuadPart % freq.QuadPart * 1000000 / freq.QuadPart);
}
