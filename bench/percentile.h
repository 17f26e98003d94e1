/* percentile.h: the percentile both window benchmarks report (header-only:
 * two small functions shared by two programs). */
#ifndef CHAT_BENCH_PERCENTILE_H
#define CHAT_BENCH_PERCENTILE_H

#include <stdlib.h>

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (0..1) of v[0..n), nearest rank; sorts v. */
static double bench_pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return v[(int)(p * (n - 1) + 0.5)];
}

#endif
