/* pacer.c: one message in flight at a time, so the original server never
 * sees two of ours in one recv() (see pacer.h). */
#include "core/pacer.h"

#include <string.h>

/* Our name exactly as the server will print it: the rule the server
 * applies to our hello, "anonymous" fallback included. */
void pacer_server_name(const char *name, char out[PROTO_NAME_BUF])
{
    proto_name_or_anonymous(name ? name : "", name ? strlen(name) : 0, out);
}

void pacer_init(Pacer *p, const char *name)
{
    p->state = PACER_OFFLINE;
    pacer_server_name(name, p->name);
    p->wait_until = 0;
    p->head = p->count = 0;
    p->quit_sent = false;
    p->front_sent = false;
}

void pacer_set_name(Pacer *p, const char *name)
{
    pacer_server_name(name, p->name);
}

static int slot(const Pacer *p, int i)
{
    return (p->head + i) % PACER_MAX_PENDING;
}

/* The message in flight was echoed or given up on. */
static void pop_front(Pacer *p)
{
    if (p->count == 0)
        return;
    p->head = slot(p, 1);
    p->count--;
    p->front_sent = false;
}

/* A wait that timed out ends as if its line had come: the server may be one
 * that never sends it, and holding every later message back would be
 * worse than the small risk of two messages sharing a recv(). */
static void apply_timeouts(Pacer *p, unsigned long long now_ms)
{
    if (p->state == PACER_JOINING && now_ms >= p->wait_until) {
        p->state = PACER_READY;
    } else if (p->state == PACER_IN_FLIGHT && now_ms >= p->wait_until) {
        pop_front(p);
        p->state = PACER_READY;
    }
}

void pacer_session_start(Pacer *p, unsigned long long now_ms)
{
    p->state = PACER_JOINING;
    p->wait_until = now_ms + PACER_JOIN_WAIT_MS;
    p->quit_sent = false;
}

void pacer_session_end(Pacer *p)
{
    /* The front message stays queued whether or not it was in flight: it
     * may never have reached the server, so it goes first next time. */
    p->state = PACER_OFFLINE;
    p->wait_until = 0;
}

bool pacer_push(Pacer *p, const char *msg, size_t len)
{
    int i;

    if (len > PACER_MSG_MAX || p->count >= PACER_MAX_PENDING)
        return false;
    i = slot(p, p->count);
    if (len)
        memcpy(p->msgs[i], msg, len);
    p->msgs[i][len] = '\0';
    p->lens[i] = len;
    p->count++;
    return true;
}

static bool is_our_join(const Pacer *p, const char *line, size_t len)
{
    char want[PROTO_NAME_BUF + 32];
    size_t n = proto_format_joined(want, sizeof want, p->name);
    /* n counts the "\n" that `line` arrives without. */
    return n > 0 && len == n - 1 && memcmp(line, want, len) == 0;
}

/* "NAME: TEXT" with our name and the text of the message in flight. Our
 * messages hold no control characters (compose_check), so the server's
 * cleaning leaves them as they are and the bytes compare as sent. */
static bool is_our_echo(const Pacer *p, const char *line, size_t len)
{
    size_t nlen = strlen(p->name), mlen;

    if (p->count == 0)
        return false;
    mlen = p->lens[p->head];
    return len == nlen + 2 + mlen && memcmp(line, p->name, nlen) == 0 &&
           memcmp(line + nlen, ": ", 2) == 0 &&
           memcmp(line + nlen + 2, p->msgs[p->head], mlen) == 0;
}

void pacer_on_line(Pacer *p, const char *line, size_t len, unsigned long long now_ms)
{
    apply_timeouts(p, now_ms);
    if (p->state == PACER_JOINING && is_our_join(p, line, len)) {
        p->state = PACER_READY;
    } else if (p->state == PACER_IN_FLIGHT && is_our_echo(p, line, len)) {
        pop_front(p);
        p->state = PACER_READY;
    }
}

bool pacer_next(Pacer *p, unsigned long long now_ms, const char **msg, size_t *len)
{
    apply_timeouts(p, now_ms);
    if (p->state != PACER_READY || p->count == 0) {
        *msg = NULL;
        *len = 0;
        return false;
    }
    /* It stays at the front until its echo (or the timeout) pops it. */
    *msg = p->msgs[p->head];
    *len = p->lens[p->head];
    if (proto_is_quit(*msg, *len))
        p->quit_sent = true;
    p->front_sent = true;
    p->state = PACER_IN_FLIGHT;
    p->wait_until = now_ms + PACER_ECHO_WAIT_MS;
    return true;
}

unsigned long long pacer_deadline(const Pacer *p)
{
    /* Also when nothing else is queued: the timeout still moves the state
     * on (and drops the message in flight from the pending list). */
    if (p->state == PACER_JOINING || p->state == PACER_IN_FLIGHT)
        return p->wait_until;
    return 0;
}

int pacer_pending(const Pacer *p)
{
    return p->count;
}

const char *pacer_pending_at(const Pacer *p, int i, size_t *len)
{
    if (i < 0 || i >= p->count) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = p->lens[slot(p, i)];
    return p->msgs[slot(p, i)];
}

PacerState pacer_state(const Pacer *p)
{
    return p->state;
}

bool pacer_drop_front(Pacer *p)
{
    if (p->count == 0 || p->state != PACER_OFFLINE)
        return false;
    pop_front(p);
    return true;
}

bool pacer_quit_sent(const Pacer *p)
{
    return p->quit_sent;
}

bool pacer_clear(Pacer *p)
{
    if (p->state != PACER_OFFLINE)
        return false;
    p->head = p->count = 0;
    p->front_sent = false;
    return true;
}

bool pacer_front_sent(const Pacer *p)
{
    return p->front_sent;
}
