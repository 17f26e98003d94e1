/* fuzz_session.c: core/session.c and core/room.c, the server's protocol
 * engine, driven as the server drives it: reads of any bytes cut anywhere,
 * time passing, the host saying go, wait or stop, the peer closing.
 *
 * Outside bytes: everything a chat client sends, and when.
 * Input: a list of steps, each an opcode byte and its operands:
 *   0 N B[N]  receive N (1..255) bytes, then run
 *   1 T M     T ms pass, then tick (M & 1: more bytes wait on the socket)
 *   2 G       the host's check answers G % 3 (go, wait, stop) from now on
 *   3         the peer closes (only once nothing is held, as the server)
 *   4         run again
 *
 * Invariants: never a chat line before the join, never two joins; every
 * chat line is "NAME: TEXT\n" with the joined name and the cleaned text
 * (no C0 but TAB, never empty), at most PROTO_OUT_MAX bytes; nothing is said
 * while the host says stop, nor while it says wait but by the idle flush or
 * the close; a reply is one of the four lines; lines said after the join,
 * the too-long ones counted, never outrun the rate the input chose (its
 * burst plus its rate times the time passed); once
 * the session ends nothing more happens, and a session that joined leaves
 * the room exactly once; a deadline, when there is one, is never in the
 * past of the last read for the idle flush. */
#include <stdint.h>
#include <string.h>

#include "core/room.h"
#include "core/session.h"
#include "fuzz/fuzz_common.h"

typedef struct Host {
    Room room;
    SessionGo go;
    bool joined;
    int joins;
    bool in_run; /* inside session_run, where wait holds every message */
    int lines;   /* lines handled since the join (says and too-long replies) */
    const Session *s;
} Host;

FUZZ_MODEL static SessionGo h_check(void *ctx)
{
    return ((Host *)ctx)->go;
}

FUZZ_MODEL static SessionJoin h_join(void *ctx, const char *name, const char *line, size_t len)
{
    Host *h = ctx;
    FUZZ_CHECK(!h->joined && h->go != SESSION_STOP && (!h->in_run || h->go == SESSION_GO));
    char want[PROTO_OUT_MAX];
    size_t n = proto_format_joined(want, sizeof want, name);
    FUZZ_CHECK(len == n && memcmp(line, want, n) == 0);
    RoomJoin j = room_join(&h->room, name);
    if (j != ROOM_JOINED)
        return j == ROOM_FULL ? SESSION_JOIN_FULL : SESSION_JOIN_TAKEN;
    h->joined = true;
    h->joins++;
    return SESSION_JOINED;
}

FUZZ_MODEL static void h_say(void *ctx, const char *text, size_t tlen, const char *line,
                             size_t len)
{
    Host *h = ctx;
    size_t nlen = strlen(h->s->name);
    FUZZ_CHECK(h->joined && h->go != SESSION_STOP && (!h->in_run || h->go == SESSION_GO));
    h->lines++;
    FUZZ_CHECK(tlen > 0 && tlen <= PROTO_LINE_MAX && len <= PROTO_OUT_MAX);
    for (size_t i = 0; i < tlen; i++) {
        unsigned char c = (unsigned char)text[i];
        FUZZ_CHECK(c >= 0x20 || c == '\t');
    }
    FUZZ_CHECK(len == nlen + 2 + tlen + 1);
    FUZZ_CHECK(memcmp(line, h->s->name, nlen) == 0 && memcmp(line + nlen, ": ", 2) == 0);
    FUZZ_CHECK(memcmp(line + nlen + 2, text, tlen) == 0 && line[len - 1] == '\n');
}

FUZZ_MODEL static void h_reply(void *ctx, SessionReply what, const char *line, size_t len)
{
    Host *h = ctx;
    FUZZ_CHECK(len > 8 && memcmp(line, "*** ", 4) == 0 && memcmp(line + len - 5, " ***\n", 5) == 0);
    FUZZ_CHECK(what == REPLY_TOO_LONG || what == REPLY_NAME_TAKEN || what == REPLY_NO_HELLO ||
               what == REPLY_SLOWED || what == REPLY_FULL);
    if (what == REPLY_TOO_LONG)
        h->lines++;
    FUZZ_CHECK(what != REPLY_SLOWED || (h->joined && rate_limited(&h->s->rate)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Session s;
    Host h;
    unsigned long long now = 1000;
    SessionEnd end = SESSION_ON;

    memset(&h, 0, sizeof h);
    FUZZ_CHECK(room_init(&h.room, 4));
    /* Someone is in the chat already: a hello with that name is refused. */
    FUZZ_CHECK(room_join(&h.room, "alice") == ROOM_JOINED);
    h.go = SESSION_GO;
    h.s = &s;
    SessionHost host = {&h, h_check, h_join, h_say, h_reply};
    session_init(&s, now, size % 3);
    /* Unlimited, or 1-3 lines a second with a burst of 0-2 lines. */
    unsigned rate = (unsigned)(size % 4), burst = (unsigned)(size / 4 % 3);
    session_set_rate(&s, rate, burst, now);
    const unsigned long long start = now;

    for (size_t i = 0; i < size && end == SESSION_ON;) {
        uint8_t op = data[i++] % 5;
        if (op == 0 && i < size) {
            size_t n = data[i++];
            if (n == 0 || i + n > size || session_has_input(&s))
                continue;
            memcpy(s.in, data + i, n);
            i += n;
            session_received(&s, n, now);
            h.in_run = true;
            end = session_run(&s, &host, now);
            h.in_run = false;
        } else if (op == 1 && i + 1 < size) {
            now += (unsigned long long)data[i] * 7;
            bool more = data[i + 1] & 1;
            i += 2;
            unsigned long long dl = session_deadline(&s, more || session_has_input(&s));
            FUZZ_CHECK(dl == 0 || dl >= s.last_rx_ms);
            end = session_tick(&s, &host, now, more || session_has_input(&s));
        } else if (op == 2 && i < size) {
            h.go = (SessionGo)(data[i++] % 3);
        } else if (op == 3) {
            if (!session_has_input(&s))
                end = session_closed(&s, &host);
        } else if (op == 4) {
            h.in_run = true;
            end = session_run(&s, &host, now);
            h.in_run = false;
        }
        /* The close may make a legacy client's last line a message at once:
         * one past the rate, the session over. */
        if (rate && burst)
            FUZZ_CHECK((unsigned long long)h.lines <= burst + (op == 3) + rate * (now - start) / 1000);
        FUZZ_CHECK(end != SESSION_STOPPED || h.go == SESSION_STOP);
    }
    FUZZ_CHECK(h.joins <= 1 && h.joined == s.joined);
    /* The server's leave: exactly once for a session that joined. */
    if (h.joined)
        FUZZ_CHECK(room_leave(&h.room, s.name));
    FUZZ_CHECK(room_count(&h.room) == 1 && room_has(&h.room, "alice"));
    room_free(&h.room);
    return 0;
}
