/* fuzz_framer.c: core/framer.c, the line splitter in front of every byte a
 * chat client sends the server (cap 4096) and every byte a server sends the
 * client (cap 65536).
 *
 * Outside bytes: the TCP stream itself, cut into recv()-sized chunks the way
 * the input says. Input: [config][repeat][stream...]
 *   config bits 0-3: a third, tiny cap (1-16) that reaches the edges fast
 *   config bit 4:    framer_feed_all with a callback (the server's and the
 *                    client's way; a line holding "/quit" ends the session
 *                    and the framer starts over) instead of framer_feed
 *   config bits 5-6: chunks of 1 + (first byte % 16), single bytes (both
 *                    64 times larger for an amplified stream), the whole
 *                    stream at once, or 16384 (the client's recv)
 *   config bit 7:    framer_flush after every chunk (an idle partial line,
 *                    as the server's 60 ms timer does); it is always called
 *                    at the end (the peer closed)
 *   repeat:          0xF0-0xFF feed the stream 2^(repeat & 15) times, so
 *                    a short input can make a line longer than 64 KB (at
 *                    most 2 * cap + a copy, so small caps stay fast); any
 *                    other value feeds it 1 + (repeat & 3) times
 *
 * Invariants, for each cap: every event is the one a byte-at-a-time
 * reference model of framer.h's contract gives, with the same bytes; a line
 * is at most cap bytes and holds no "\n"; FRAME_TOO_LONG carries exactly cap
 * bytes and comes at most once per overlong line; each call consumes 1..len
 * bytes and a FRAME_LINE ends on its "\n"; framer_pending and framer_flush
 * agree with the model; bytes are conserved in the model (emitted + "\r"
 * dropped + "\n" + discarded + held == fed). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/framer.h"
#include "core/proto.h"
#include "fuzz/fuzz_common.h"

/* The reference: framer.h's rules applied one byte at a time. */
typedef struct Ref {
    size_t cap;
    unsigned char *cur; /* the line so far: cap + 2 bytes */
    size_t len;
    int discarding;
    unsigned char *line; /* the last event's bytes: cap + 1 bytes */
    size_t line_len;
    size_t fed, emitted, crs, newlines, discarded;
} Ref;

FUZZ_MODEL static void ref_init(Ref *r)
{
    r->len = 0;
    r->discarding = 0;
    r->fed = r->emitted = r->crs = r->newlines = r->discarded = 0;
}

FUZZ_MODEL static void ref_conserved(const Ref *r)
{
    FUZZ_CHECK(r->fed == r->emitted + r->crs + r->newlines + r->discarded + r->len);
    FUZZ_CHECK(r->len <= r->cap + 1);
}

/* Hands out the held line, one trailing "\r" dropped. */
FUZZ_MODEL static void ref_take(Ref *r)
{
    size_t n = r->len;
    if (n > 0 && r->cur[n - 1] == '\r') {
        n--;
        r->crs++;
    }
    memcpy(r->line, r->cur, n);
    r->line_len = n;
    r->emitted += n;
    r->len = 0;
}

FUZZ_MODEL static FrameEvent ref_byte(Ref *r, unsigned char b)
{
    r->fed++;
    if (r->discarding) {
        r->discarded++;
        if (b == '\n')
            r->discarding = 0;
        return FRAME_NONE;
    }
    if (b == '\n') {
        r->newlines++;
        ref_take(r);
        return FRAME_LINE;
    }
    r->cur[r->len++] = b;
    /* One byte past cap may wait only if it is a "\r" (of "\r\n"). */
    if (r->len > r->cap + 1 || (r->len == r->cap + 1 && b != '\r')) {
        memcpy(r->line, r->cur, r->cap);
        r->line_len = r->cap;
        r->emitted += r->cap;
        r->discarded += r->len - r->cap;
        r->len = 0;
        r->discarding = 1;
        return FRAME_TOO_LONG;
    }
    return FRAME_NONE;
}

FUZZ_MODEL static int ref_flush(Ref *r)
{
    r->discarding = 0;
    if (r->len == 0)
        return 0;
    ref_take(r);
    return 1;
}

/* One framer and its model, fed the same chunks. */
typedef struct Run {
    LineFramer f;
    char *buf;
    Ref ref;
    int overlong_open; /* a FRAME_TOO_LONG came and its "\n" has not */
    /* framer_feed_all: the chunk being fed, and how far the model is in it */
    const unsigned char *chunk;
    size_t chunk_len, ref_pos;
    int session_ended;
} Run;

/* The checks on one event the framer handed out, model aside. */
FUZZ_MODEL static void check_event(Run *u, FrameEvent ev, const char *line, size_t n)
{
    FUZZ_CHECK(ev == FRAME_LINE || ev == FRAME_TOO_LONG);
    FUZZ_CHECK(n <= u->f.cap);
    FUZZ_CHECK(line >= u->buf && line + n <= u->buf + u->f.cap + 1);
    FUZZ_CHECK(memchr(line, '\n', n) == NULL);
    if (ev == FRAME_TOO_LONG) {
        FUZZ_CHECK(n == u->f.cap);
        FUZZ_CHECK(!u->overlong_open); /* once per overlong line */
    } else {
        FUZZ_CHECK(!u->overlong_open); /* the rest of it is discarded */
    }
}

FUZZ_MODEL static void check_same(const Run *u, FrameEvent ev, FrameEvent want,
                                  const char *line, size_t n)
{
    FUZZ_CHECK(ev == want);
    FUZZ_CHECK(n == u->ref.line_len);
    FUZZ_CHECK(same_bytes(line, u->ref.line, n));
}

FUZZ_MODEL static void feed_chunk(Run *u, const unsigned char *data, size_t len)
{
    while (len > 0) {
        FrameEvent ev, want = FRAME_NONE;
        const char *line = NULL;
        size_t n = 0, i;
        size_t used = framer_feed(&u->f, (const char *)data, len, &ev, &line, &n);

        FUZZ_CHECK(used >= 1 && used <= len);
        /* The model must give exactly one event (or none) in those bytes,
         * and only at their end for a line. */
        for (i = 0; i < used; i++) {
            FrameEvent e = ref_byte(&u->ref, data[i]);
            if (e != FRAME_NONE) {
                FUZZ_CHECK(want == FRAME_NONE);
                want = e;
            }
        }
        if (ev != FRAME_NONE) {
            check_event(u, ev, line, n);
            check_same(u, ev, want, line, n);
            if (ev == FRAME_LINE)
                FUZZ_CHECK(data[used - 1] == '\n');
            if (ev == FRAME_TOO_LONG)
                u->overlong_open = data[used - 1] != '\n';
        } else {
            FUZZ_CHECK(want == FRAME_NONE);
            if (data[used - 1] == '\n')
                u->overlong_open = 0;
        }
        ref_conserved(&u->ref);
        data += used;
        len -= used;
    }
}

/* framer_feed_all's callback: the model catches up to its next event. */
FUZZ_MODEL static bool on_line(void *ctx, FrameEvent ev, char *line, size_t n)
{
    Run *u = ctx;
    FrameEvent want = FRAME_NONE;

    while (want == FRAME_NONE && u->ref_pos < u->chunk_len) {
        want = ref_byte(&u->ref, u->chunk[u->ref_pos++]);
        /* framer_feed_all does not say where the "\n" that ends a too-long
         * line was: the model does (it stops discarding there). */
        if (want == FRAME_NONE && !u->ref.discarding)
            u->overlong_open = 0;
    }
    check_event(u, ev, line, n);
    check_same(u, ev, want, line, n);
    u->overlong_open = ev == FRAME_TOO_LONG;
    if (ev == FRAME_LINE && ref_contains(line, n, PROTO_QUIT, sizeof PROTO_QUIT - 1)) {
        u->session_ended = 1;
        return false;
    }
    return true;
}

FUZZ_MODEL static void feed_chunk_all(Run *u, const unsigned char *data, size_t len)
{
    u->chunk = data;
    u->chunk_len = len;
    u->ref_pos = 0;
    u->session_ended = 0;
    if (!framer_feed_all(&u->f, (const char *)data, len, on_line, u)) {
        FUZZ_CHECK(u->session_ended);
        /* The session is over, as the server ends it: start afresh. */
        framer_init(&u->f, u->buf, u->f.cap);
        ref_init(&u->ref);
        u->overlong_open = 0;
        return;
    }
    while (u->ref_pos < len) {
        FUZZ_CHECK(ref_byte(&u->ref, data[u->ref_pos++]) == FRAME_NONE);
        if (!u->ref.discarding)
            u->overlong_open = 0;
    }
    ref_conserved(&u->ref);
}

FUZZ_MODEL static void flush(Run *u)
{
    const char *line = NULL;
    size_t n = 0;
    int want = ref_flush(&u->ref);
    bool got = framer_flush(&u->f, &line, &n);

    FUZZ_CHECK(got == (want != 0));
    if (got) {
        check_same(u, FRAME_LINE, FRAME_LINE, line, n);
        FUZZ_CHECK(n <= u->f.cap && memchr(line, '\n', n) == NULL);
    }
    u->overlong_open = 0;
    FUZZ_CHECK(!framer_pending(&u->f));
    FUZZ_CHECK(!framer_flush(&u->f, &line, &n)); /* nothing left */
    ref_conserved(&u->ref);
}

FUZZ_MODEL static size_t chunk_len(unsigned mode, const unsigned char *s, size_t left,
                                   unsigned repeat)
{
    size_t n;
    switch (mode) {
    case 0:
        n = 1 + s[0] % 16u;
        break;
    case 1:
        n = 1;
        break;
    case 2:
        n = left;
        break;
    default:
        n = 16384;
        break;
    }
    /* An amplified stream in tiny reads only costs time: its point is the
     * long line, so it comes in reads 64 times larger. */
    if (repeat >= 16 && mode < 2)
        n *= 64;
    return n < left ? n : left;
}

/* The framers' storage: exactly cap + 1 bytes each, as framer.h asks, so
 * ASan sees a byte written past it (globals have redzones too). Static, as
 * 64 KB from the heap on every run costs more than the run. */
static char server_buf[PROTO_LINE_MAX + 1], client_buf[65536 + 1];
static unsigned char ref_cur[65536 + 2], ref_line[65536 + 1];

FUZZ_MODEL static void run_cap(size_t cap, char *buf, unsigned config,
                               const unsigned char *stream, size_t len, unsigned repeat)
{
    Run u;
    unsigned r;

    /* Feeding more than twice the cap again only costs time. */
    if (repeat > 1 && (size_t)repeat * len > 2 * cap + len)
        repeat = (unsigned)((2 * cap) / len) + 1;

    memset(&u, 0, sizeof u);
    u.buf = buf;
    u.ref.cap = cap;
    u.ref.cur = ref_cur;
    u.ref.line = ref_line;
    framer_init(&u.f, u.buf, cap);
    ref_init(&u.ref);

    for (r = 0; r < repeat; r++) {
        size_t at = 0;
        while (at < len) {
            size_t n = chunk_len((config >> 5) & 3u, stream + at, len - at, repeat);
            if (config & 0x10)
                feed_chunk_all(&u, stream + at, n);
            else
                feed_chunk(&u, stream + at, n);
            FUZZ_CHECK(framer_pending(&u.f) == (u.ref.len > 0 || u.ref.discarding));
            if (config & 0x80)
                flush(&u);
            at += n;
        }
    }
    flush(&u); /* the peer closed: a last unterminated message still counts */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned config, repeat;
    char *tiny;

    if (size < 2)
        return 0;
    config = data[0];
    repeat = data[1] >= 0xF0 ? 1u << (data[1] & 15u) : 1u + (data[1] & 3u);
    data += 2;
    size -= 2;
    if (size == 0)
        return 0;

    run_cap(PROTO_LINE_MAX, server_buf, config, data, size, repeat);
    run_cap(65536, client_buf, config, data, size, repeat);
    tiny = malloc(1 + (config & 15u) + 1);
    FUZZ_CHECK(tiny != NULL);
    run_cap(1 + (config & 15u), tiny, config, data, size, repeat);
    free(tiny);
    return 0;
}
