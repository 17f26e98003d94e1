/* verify.c: after the run, which session owed which message, and did it get
 * it exactly once, in order per sender.
 *
 * Session R owes message M when
 *   R had its own join line before M was sent (R.joined_us <= M.sent_us:
 *   the server marks a client joined before it sends the join line, so R was
 *   in the broadcast for M), and
 *   M's broadcast had begun before R started leaving
 *   (upper(M) < R.leave_us), where upper(M) is the earliest moment any
 *   scripted client had M back (its sender's echo included). The server
 *   appends a message to every joined client's queue in
 *   one pass under its list lock, and a client leaves that list only under
 *   the same lock after its leaving was read, so R's queue got M.
 * Both bounds lean towards owing less, never more: a FAIL is a real loss. */
#include "soak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static bool contains(const unsigned *sorted, size_t n, unsigned g)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && sorted[lo] == g;
}

static unsigned long long upper(const SoakMsg *m)
{
    return (unsigned long long)m->first_rx;
}

static const char *sender_name(const SoakMsg *m, char *buf, size_t size)
{
    if (m->sender < SOAK_BOTS)
        snprintf(buf, size, "%s", soak.sessions[m->session].name);
    else
        snprintf(buf, size, "gui%d", m->sender - SOAK_BOTS);
    return buf;
}

void soak_verify(SoakVerdict *v)
{
    LONG nmsgs = soak.nmsgs, nsess = soak.nsessions;
    char who[SOAK_NAME_MAX];

    memset(v, 0, sizeof *v);
    for (LONG g = 0; g < nmsgs; g++) {
        const SoakMsg *m = &soak.msgs[g];
        if (m->sender < SOAK_BOTS)
            v->msgs++;
        else
            v->msgs_gui++;
        if (upper(m) == SOAK_NEVER) {
            if (v->unechoed++ == 0)
                snprintf(v->lost_example, sizeof v->lost_example,
                         "message %ld from %s came back to no one", (long)g,
                         sender_name(m, who, sizeof who));
        }
    }

    for (LONG i = 0; i < nsess; i++) {
        SoakSession *s = &soak.sessions[i];
        unsigned *sorted = NULL;
        if (s->nrx) {
            sorted = malloc(s->nrx * sizeof *sorted);
            if (sorted == NULL) {
                soak_error("out of memory verifying");
                return;
            }
            memcpy(sorted, s->rx, s->nrx * sizeof *sorted);
            qsort(sorted, s->nrx, sizeof *sorted, cmp_unsigned);
        }
        size_t unique = 0;
        for (size_t k = 0; k < s->nrx; k++) {
            if (k > 0 && sorted[k] == sorted[k - 1]) {
                if (v->dups++ == 0)
                    snprintf(v->dup_example, sizeof v->dup_example,
                             "%s got message %u (from %s) twice", s->name, sorted[k],
                             sender_name(&soak.msgs[sorted[k]], who, sizeof who));
            } else {
                unique++;
            }
        }
        if (s->reordered && v->reordered == 0)
            snprintf(v->order_example, sizeof v->order_example,
                     "%s: %u message(s) arrived after a later one from the same sender",
                     s->name, s->reordered);
        v->reordered += s->reordered;
        if (s->bad_lines && v->bad == 0)
            snprintf(v->bad_example, sizeof v->bad_example, "%s", s->first_bad);
        v->bad += s->bad_lines;

        unsigned long long owed_here = 0, got_here = 0;
        for (LONG g = 0; g < nmsgs; g++) {
            const SoakMsg *m = &soak.msgs[g];
            if (!(s->joined_us <= m->sent_us && upper(m) < s->leave_us))
                continue;
            owed_here++;
            if (contains(sorted, s->nrx, (unsigned)g)) {
                got_here++;
            } else if (v->lost++ == 0) {
                snprintf(
                    v->lost_example, sizeof v->lost_example,
                    "%s never got message %ld from %s (sent %.3f s after it joined)",
                    s->name, (long)g, sender_name(m, who, sizeof who),
                    (double)(m->sent_us - s->joined_us) / 1e6);
            }
        }
        v->required += owed_here;
        v->delivered += got_here;
        /* What it had without owing it: sent before its join line came, or
         * while it was leaving. Counted, never a failure. */
        v->extra += unique - got_here;
        free(sorted);
    }
    /* delivered + lost == required by construction. */
}
