/* fuzz_pacer.c: core/pacer.c, which decides when the client may send the
 * next message to a server of the original kind, from the lines that
 * server sends back.
 *
 * Outside bytes: every line the server sends (anything at all, including
 * near-copies of our own echo and join line), the messages the user queues,
 * the user name, and the timing of it all. Input: NAME NUL, then a program
 * of one-byte operations (op % 10): 0 session start, 1 session end,
 * 2 push (L, L bytes; L = 255 pushes 1025 bytes, one too many), 3 a line
 * (L, L bytes), 4 our join line, 5 the echo of the message in flight (exact,
 * a byte short, a byte long or one byte changed), 6 pacer_next, 7 time
 * passes (B * 8 ms), 8 a new name (L, L bytes), 9 drop the front message.
 *
 * Invariants: after every operation the pacer agrees with a model written
 * from pacer.h: the same state, deadline and pending messages in the same
 * order with the same bytes (nothing dropped, reordered or duplicated: a
 * message leaves only on its exact echo, its echo timeout, or drop_front
 * while offline); pacer_next hands out the front message and only in the
 * ready state; a push succeeds exactly when the message fits and fewer than
 * 64 wait; the name is what the server makes of the hello "USERNAME:NAME"
 * (proto_parse_hello over the whole name, not a prefix). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/pacer.h"
#include "core/proto.h"
#include "fuzz/fuzz_common.h"

typedef struct Model {
    PacerState state;
    unsigned long long wait_until;
    char name[PROTO_NAME_BUF];
    char msgs[PACER_MAX_PENDING][PACER_MSG_MAX + 2];
    size_t lens[PACER_MAX_PENDING];
    int count; /* msgs[0] is the front: a plain array, shifted on pop */
} Model;

static Pacer pacer;
static Model model;

/* The server's name for a client that says "USERNAME:" + name. */
static void server_name(const char *name, size_t len, char out[PROTO_NAME_BUF])
{
    const size_t plen = sizeof PROTO_HELLO_PREFIX - 1;
    char *hello = malloc(plen + len + 1);
    FUZZ_CHECK(hello != NULL);
    memcpy(hello, PROTO_HELLO_PREFIX, plen);
    memcpy(hello + plen, name, len);
    proto_parse_hello(hello, plen + len, out);
    free(hello);
}

FUZZ_MODEL static void m_pop(Model *m)
{
    if (m->count == 0)
        return;
    memmove(m->msgs[0], m->msgs[1], sizeof m->msgs[0] * (size_t)(m->count - 1));
    memmove(m->lens, m->lens + 1, sizeof m->lens[0] * (size_t)(m->count - 1));
    m->count--;
}

FUZZ_MODEL static void m_timeouts(Model *m, unsigned long long now)
{
    if (m->state == PACER_JOINING && now >= m->wait_until) {
        m->state = PACER_READY;
    } else if (m->state == PACER_IN_FLIGHT && now >= m->wait_until) {
        m_pop(m);
        m->state = PACER_READY;
    }
}

FUZZ_MODEL static int m_is_join(const Model *m, const char *line, size_t len)
{
    size_t n = strlen(m->name);
    /* "*** " NAME " joined the chat ***" */
    return len == n + 4 + 20 && memcmp(line, "*** ", 4) == 0 &&
           memcmp(line + 4, m->name, n) == 0 &&
           memcmp(line + 4 + n, " joined the chat ***", 20) == 0;
}

FUZZ_MODEL static int m_is_echo(const Model *m, const char *line, size_t len)
{
    size_t n = strlen(m->name);
    return m->count > 0 && len == n + 2 + m->lens[0] && memcmp(line, m->name, n) == 0 &&
           memcmp(line + n, ": ", 2) == 0 &&
           memcmp(line + n + 2, m->msgs[0], m->lens[0]) == 0;
}

static void check_same(void)
{
    FUZZ_CHECK(pacer_state(&pacer) == model.state);
    FUZZ_CHECK(strcmp(pacer.name, model.name) == 0);
    FUZZ_CHECK(pacer_pending(&pacer) == model.count);
    FUZZ_CHECK(pacer_pending(&pacer) >= 0 &&
               pacer_pending(&pacer) <= PACER_MAX_PENDING);
    FUZZ_CHECK(pacer_deadline(&pacer) ==
               (model.state == PACER_JOINING || model.state == PACER_IN_FLIGHT
                    ? model.wait_until
                    : 0));
    for (int i = 0; i < model.count; i++) {
        size_t len = 99999;
        const char *msg = pacer_pending_at(&pacer, i, &len);
        FUZZ_CHECK(msg != NULL && len == model.lens[i]);
        FUZZ_CHECK(memcmp(msg, model.msgs[i], len) == 0 && msg[len] == '\0');
    }
    FUZZ_CHECK(pacer_pending_at(&pacer, model.count, NULL) == NULL);
    FUZZ_CHECK(pacer_pending_at(&pacer, -1, NULL) == NULL);
}

static void on_line(const char *line, size_t len, unsigned long long now)
{
    pacer_on_line(&pacer, line, len, now);
    m_timeouts(&model, now);
    if (model.state == PACER_JOINING && m_is_join(&model, line, len)) {
        model.state = PACER_READY;
    } else if (model.state == PACER_IN_FLIGHT && m_is_echo(&model, line, len)) {
        m_pop(&model);
        model.state = PACER_READY;
    }
}

/* The next L bytes of the program (fewer at its end). */
static const char *take(const uint8_t **p, const uint8_t *end, size_t *len)
{
    const char *s;
    size_t want = *p < end ? **p : 0;
    if (*p < end)
        (*p)++;
    if (want > (size_t)(end - *p))
        want = (size_t)(end - *p);
    s = (const char *)*p;
    *p += want;
    *len = want;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    const uint8_t *nul = memchr(data, '\0', size);
    size_t nlen = nul ? (size_t)(nul - data) : size;
    unsigned long long now = 1000000;
    char name[400], buf[PACER_MSG_MAX + PROTO_NAME_BUF + 8];

    if (nlen >= sizeof name)
        nlen = sizeof name - 1;
    memcpy(name, data, nlen);
    name[nlen] = '\0';
    p = nul ? nul + 1 : end;

    pacer_init(&pacer, name);
    memset(&model, 0, sizeof model);
    model.state = PACER_OFFLINE;
    server_name(name, nlen, model.name);
    check_same();

    while (p < end) {
        unsigned op = *p++ % 10u;
        const char *s;
        size_t len;

        switch (op) {
        case 0:
            pacer_session_start(&pacer, now);
            model.state = PACER_JOINING;
            model.wait_until = now + PACER_JOIN_WAIT_MS;
            break;
        case 1:
            pacer_session_end(&pacer);
            model.state = PACER_OFFLINE;
            break;
        case 2: {
            bool ok, want;
            if (p < end && *p == 255) {
                p++;
                memset(buf, 'x', PACER_MSG_MAX + 1);
                s = buf;
                len = PACER_MSG_MAX + 1;
            } else {
                s = take(&p, end, &len);
            }
            ok = pacer_push(&pacer, s, len);
            want = len <= PACER_MSG_MAX && model.count < PACER_MAX_PENDING;
            FUZZ_CHECK(ok == want);
            if (want) {
                memcpy(model.msgs[model.count], s, len);
                model.lens[model.count++] = len;
            }
            break;
        }
        case 3:
            s = take(&p, end, &len);
            on_line(s, len, now);
            break;
        case 4:
            len = proto_format_joined(buf, sizeof buf, model.name);
            FUZZ_CHECK(len > 0);
            on_line(buf, len - 1, now);
            break;
        case 5: {
            unsigned how = p < end ? *p++ % 4u : 0;
            size_t n = strlen(model.name);
            memcpy(buf, model.name, n);
            memcpy(buf + n, ": ", 2);
            len = n + 2;
            if (model.count > 0) {
                memcpy(buf + len, model.msgs[0], model.lens[0]);
                len += model.lens[0];
            }
            if (how == 1 && len > 0)
                len--;
            else if (how == 2)
                buf[len++] = 'x';
            else if (how == 3 && len > 0)
                buf[len / 2] ^= 0x20;
            on_line(buf, len, now);
            break;
        }
        case 6: {
            const char *msg = NULL;
            size_t mlen = 0;
            bool got = pacer_next(&pacer, now, &msg, &mlen);
            m_timeouts(&model, now);
            FUZZ_CHECK(got == (model.state == PACER_READY && model.count > 0));
            if (got) {
                FUZZ_CHECK(mlen == model.lens[0] &&
                           memcmp(msg, model.msgs[0], mlen) == 0);
                model.state = PACER_IN_FLIGHT;
                model.wait_until = now + PACER_ECHO_WAIT_MS;
            } else {
                FUZZ_CHECK(msg == NULL && mlen == 0);
            }
            break;
        }
        case 7:
            now += (unsigned long long)(p < end ? *p++ : 0) * 8u;
            break;
        case 8:
            s = take(&p, end, &len);
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, s, len);
            name[len] = '\0';
            len = strlen(name); /* the pacer takes a C string */
            pacer_set_name(&pacer, name);
            server_name(name, len, model.name);
            break;
        default: {
            bool ok = pacer_drop_front(&pacer);
            bool want = model.count > 0 && model.state == PACER_OFFLINE;
            FUZZ_CHECK(ok == want);
            if (want)
                m_pop(&model);
            break;
        }
        }
        check_same();
    }
    return 0;
}
