/* session.c: one client's session on the server (see session.h). */
#include "core/session.h"

#include <string.h>

void session_init(Session *s, unsigned long long now_ms, unsigned hello_timeout_s)
{
    memset(s, 0, sizeof *s);
    s->last_rx_ms = now_ms;
    s->hello_timeout_s = hello_timeout_s;
    if (hello_timeout_s > 0)
        s->hello_deadline_ms = now_ms + hello_timeout_s * 1000ULL;
    framer_init(&s->framer, s->line, PROTO_LINE_MAX);
}

void session_set_rate(Session *s, unsigned rate, unsigned burst, unsigned long long now_ms)
{
    rate_init(&s->rate, rate, burst, now_ms);
}

void session_received(Session *s, size_t n, unsigned long long now_ms)
{
    s->in_off = 0;
    s->in_len = n <= sizeof s->in ? n : sizeof s->in;
    s->last_rx_ms = now_ms;
}

bool session_has_input(const Session *s)
{
    return s->in_off < s->in_len;
}

/* The hello: the first message of a session, whatever it holds. */
static SessionEnd hello(Session *s, const SessionHost *h, const char *msg, size_t len)
{
    char out[PROTO_OUT_MAX];

    proto_parse_hello(msg, len, s->name);
    switch (h->join(h->ctx, s->name, out, proto_format_joined(out, sizeof out, s->name))) {
    case SESSION_JOINED:
        break;
    case SESSION_JOIN_TAKEN:
        h->reply(h->ctx, REPLY_NAME_TAKEN, out,
                 proto_format_name_taken(out, sizeof out, s->name));
        return SESSION_NAME_TAKEN;
    case SESSION_JOIN_FULL:
        h->reply(h->ctx, REPLY_FULL, PROTO_LINE_FULL, sizeof PROTO_LINE_FULL - 1);
        return SESSION_FULL;
    }
    s->joined = true;
    return SESSION_ON;
}

/* One complete message: a line, an idle partial line, or the last one
 * before the peer closed. */
static SessionEnd message(Session *s, const SessionHost *h, char *msg, size_t len)
{
    char out[PROTO_OUT_MAX];

    if (!s->joined)
        return hello(s, h, msg, len);
    if (proto_is_quit(msg, len))
        return SESSION_QUIT;
    len = proto_clean_text(msg, len);
    if (len > 0)
        h->say(h->ctx, msg, len, out, proto_format_chat(out, sizeof out, s->name, msg, len));
    return SESSION_ON;
}

bool session_rate_waiting(const Session *s)
{
    return s->rate_wait;
}

/* May a joined client's next line be handled now? If not, it waits for the
 * rate, told once (again only after it has kept within the rate long
 * enough to earn its whole burst back). */
static bool within_rate(Session *s, const SessionHost *h, unsigned long long now_ms)
{
    if (!s->joined)
        return true;
    if (s->slow_told && rate_full(&s->rate, now_ms))
        s->slow_told = false;
    s->rate_wait = !rate_ready(&s->rate, now_ms);
    if (s->rate_wait && !s->slow_told) {
        char out[160];
        s->slow_told = true;
        h->reply(h->ctx, REPLY_SLOWED, out,
                 proto_format_slowed(out, sizeof out, s->rate.rate, s->rate.burst));
    }
    return !s->rate_wait;
}

SessionEnd session_run(Session *s, const SessionHost *h, unsigned long long now_ms)
{
    while (session_has_input(s)) {
        SessionGo go = h->check(h->ctx);
        if (go == SESSION_WAIT)
            return SESSION_ON;
        if (go == SESSION_STOP)
            return SESSION_STOPPED;
        if (!within_rate(s, h, now_ms))
            return SESSION_ON;
        bool counted = s->joined;
        FrameEvent ev;
        const char *line;
        size_t n;
        s->in_off += framer_feed(&s->framer, s->in + s->in_off, s->in_len - s->in_off, &ev,
                                 &line, &n);
        if (ev != FRAME_NONE && counted)
            rate_take(&s->rate, now_ms);
        if (ev == FRAME_TOO_LONG && s->joined) {
            h->reply(h->ctx, REPLY_TOO_LONG, PROTO_LINE_TOO_LONG,
                     sizeof PROTO_LINE_TOO_LONG - 1);
            continue;
        }
        /* Before the hello, even an oversized first line is the hello. */
        if (ev != FRAME_NONE) {
            SessionEnd end = message(s, h, (char *)line, n);
            if (end != SESSION_ON)
                return end;
        }
    }
    return SESSION_ON;
}

/* The partial line held by the framer as a message, if there is one. */
static SessionEnd flush(Session *s, const SessionHost *h)
{
    const char *line;
    size_t n;

    if (framer_flush(&s->framer, &line, &n))
        return message(s, h, (char *)line, n);
    return SESSION_ON;
}

SessionEnd session_tick(Session *s, const SessionHost *h, unsigned long long now_ms, bool more)
{
    /* A wait does not hold the idle flush back: nothing would end it (no
     * more bytes are coming), and its deadline, passed, would spin the
     * host's wait. One message past the flow control's mark is harmless. */
    if (!more && framer_pending(&s->framer) && now_ms - s->last_rx_ms >= SESSION_IDLE_FLUSH_MS) {
        if (h->check(h->ctx) == SESSION_STOP)
            return SESSION_STOPPED;
        if (!within_rate(s, h, now_ms))
            return SESSION_ON;
        if (s->joined)
            rate_take(&s->rate, now_ms);
        SessionEnd end = flush(s, h);
        if (end != SESSION_ON)
            return end;
    }
    if (!s->joined && s->hello_deadline_ms && now_ms >= s->hello_deadline_ms) {
        char out[100];
        h->reply(h->ctx, REPLY_NO_HELLO, out,
                 proto_format_no_hello(out, sizeof out, s->hello_timeout_s));
        return SESSION_NO_HELLO;
    }
    return SESSION_ON;
}

unsigned long long session_deadline(const Session *s, bool more)
{
    unsigned long long until = 0;

    if (!more && framer_pending(&s->framer))
        until = s->last_rx_ms + SESSION_IDLE_FLUSH_MS;
    if (!s->joined && s->hello_deadline_ms && (until == 0 || s->hello_deadline_ms < until))
        until = s->hello_deadline_ms;
    /* Held back by the rate: nothing moves before it allows (an idle line
     * included). */
    if (s->rate_wait && (until != 0 || session_has_input(s))) {
        unsigned long long allowed = rate_deadline(&s->rate);
        if (until < allowed)
            until = allowed;
    }
    return until;
}

SessionEnd session_closed(Session *s, const SessionHost *h)
{
    if (framer_pending(&s->framer) && h->check(h->ctx) == SESSION_STOP)
        return SESSION_STOPPED;
    SessionEnd end = flush(s, h);
    return end != SESSION_ON ? end : SESSION_CLOSED;
}
