/* fuzz_utf8.c: core/utf8.c and the client's reading of the shared segment:
 * shm_layout_make_safe, view_update, view_text_is_utf8 (the "UTF-8, else
 * the ANSI code page" decision), view_label, view_status, view_message.
 *
 * Outside bytes: text from the network or written into the segment by any
 * process, in UTF-8 or an ANSI code page or neither; and the 1028 bytes of
 * a SharedChatData. Input: the bytes themselves; as a segment, the first 4
 * are connectedClients and the rest lastMessage, padded with 0xFF (no NUL
 * anywhere, as a hostile writer would leave it).
 *
 * Invariants: utf8_valid agrees with an independent decoder (fuzz_common.h)
 * on the input and on each prefix the cut makes; utf8_decode gives its
 * length and code point at every position (and leaves *cp alone where no
 * character starts); utf8_seq_len agrees with it on lead bytes; utf8_cut(s, len, max)
 * returns min(len, max) when len <= max and otherwise a value in [max - 3, max] that
 * never splits a well-formed character and keeps a valid text valid;
 * shm_layout_set_message keeps exactly utf8_cut(.., 1023) bytes and zeroes
 * the rest; shm_layout_make_safe leaves a NUL at byte 1023 and returns the
 * string's length; the view then shows that message (or "" without data),
 * NUL-terminated, at most 1023 bytes; the label and status texts are
 * NUL-terminated in every buffer size, prefixes of the full text, name the
 * count as read, and are valid UTF-8 whenever the error text given is;
 * view_diff sees no change between a view and itself. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/view.h"
#include "fuzz/fuzz_common.h"
#include "core/shm_layout.h"

FUZZ_MODEL static int ref_seq_len(unsigned char b)
{
    unsigned char s[4] = {b, 0, 0, 0};
    size_t k;
    /* The length of the shortest well-formed character b can start: try
     * the continuation bytes that make each length valid. */
    for (k = 1; k <= 4; k++) {
        static const unsigned char conts[] = {0x80, 0x90, 0xA0, 0xBF};
        for (size_t c = 0; c < sizeof conts; c++) {
            s[1] = s[2] = s[3] = conts[c];
            if (ref_utf8_char(s, k) == k)
                return (int)k;
        }
    }
    return 0;
}

static void check_cut(const unsigned char *s, size_t len, size_t max, int valid)
{
    size_t n = utf8_cut((const char *)s, len, max);

    if (len <= max) {
        FUZZ_CHECK(n == len);
        return;
    }
    FUZZ_CHECK(n <= max && n + 3 >= max);
    /* No well-formed character starting before n ends after it. */
    for (size_t i = n >= 3 ? n - 3 : 0; i < n; i++) {
        size_t k = ref_utf8_char(s + i, len - i);
        FUZZ_CHECK(k == 0 || i + k <= n);
    }
    if (valid) {
        FUZZ_CHECK(utf8_valid((const char *)s, n));
        /* and no shorter than it must be: the next character does not fit */
        FUZZ_CHECK(n + ref_utf8_char(s + n, len - n) > max);
    }
}

static void check_text(const unsigned char *s, size_t len)
{
    int valid = ref_utf8_valid(s, len);

    FUZZ_CHECK(utf8_valid((const char *)s, len) == (valid != 0));
    /* utf8_decode at every position: same length and code point. */
    for (size_t i = 0; i < len && i < 64; i++) {
        unsigned long cp = 0xDEADBEEF, want = 0xDEADBEEF;
        size_t k = ref_utf8_decode(s + i, len - i, &want);
        FUZZ_CHECK(utf8_decode((const char *)s + i, len - i, &cp) == (int)k);
        FUZZ_CHECK(cp == want); /* untouched when there is none */
    }
    FUZZ_CHECK(utf8_valid((const char *)s, len) == (valid != 0));
    if (len > 0)
        FUZZ_CHECK(utf8_seq_len(s[0]) == ref_seq_len(s[0]));

    /* Every cut of a short text; a few of a long one. */
    if (len <= 48) {
        for (size_t max = 0; max <= len; max++)
            check_cut(s, len, max, valid);
    } else {
        size_t maxes[] = {0,       1,       len / 2, len - 4,
                          len - 3, len - 2, len - 1, SHM_MESSAGE_MAX};
        for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++)
            check_cut(s, len, maxes[m], valid);
    }
}

static void check_set_message(const unsigned char *s, size_t len)
{
    SharedChatData d;
    size_t n;

    memset(&d, 0xFF, sizeof d);
    n = shm_layout_set_message(&d, (const char *)s, len);
    FUZZ_CHECK(n == utf8_cut((const char *)s, len, SHM_MESSAGE_MAX));
    FUZZ_CHECK(memcmp(d.lastMessage, s, n) == 0);
    for (size_t i = n; i < SHM_MESSAGE_SIZE; i++)
        FUZZ_CHECK(d.lastMessage[i] == '\0');
}

/* Text of `size` bytes must be the start of the text of a large buffer. */
typedef void (*TextFn)(const ViewState *v, char *out, size_t size);

static void check_texts(const ViewState *v, TextFn fn, const char *prefix, int utf8_ok)
{
    char full[1024];
    size_t flen;

    memset(full, 0x55, sizeof full);
    fn(v, full, sizeof full);
    FUZZ_CHECK(nul_within(full, sizeof full));
    flen = strlen(full);
    FUZZ_CHECK(strncmp(full, prefix, strlen(prefix)) == 0);
    if (utf8_ok)
        FUZZ_CHECK(ref_utf8_valid((const unsigned char *)full, flen));
    for (size_t size = 1; size <= flen + 1; size += size < 24 ? 1 : 29) {
        char *out = malloc(size); /* exact size: ASan sees one byte past it */
        FUZZ_CHECK(out != NULL);
        fn(v, out, size);
        FUZZ_CHECK(nul_within(out, size));
        FUZZ_CHECK(strncmp(out, full, strlen(out)) == 0 && strlen(out) <= flen);
        free(out);
    }
}

static void check_view(const uint8_t *data, size_t size)
{
    SharedChatData seg, safe;
    ViewState v, before;
    char error[2048];
    size_t n, elen = size < sizeof error - 1 ? size : sizeof error - 1;
    int error_utf8;

    /* The segment as a hostile writer leaves it. */
    memset(&seg, 0xFF, sizeof seg);
    memcpy(&seg, data, size < sizeof seg ? size : sizeof seg);
    safe = seg;
    n = shm_layout_make_safe(&safe);
    FUZZ_CHECK(safe.lastMessage[SHM_MESSAGE_MAX] == '\0');
    FUZZ_CHECK(n == strlen(safe.lastMessage) && n <= SHM_MESSAGE_MAX);
    FUZZ_CHECK(memcmp(safe.lastMessage, seg.lastMessage, n) == 0);

    /* An error text from the input (shm_strerror's words in the window). */
    memcpy(error, data, elen);
    error[elen] = '\0';
    error_utf8 = ref_utf8_valid((const unsigned char *)error, strlen(error));

    view_init(&v);
    for (int link = VIEW_WAITING; link <= VIEW_ERROR; link++) {
        /* Live and recovered carry a snapshot: made safe, or raw (view.c
         * must not rely on its caller for that). */
        int with_snap = link == VIEW_LIVE || link == VIEW_RECOVERED;
        for (int raw = 0; raw <= with_snap; raw++) {
            const SharedChatData *snap = !with_snap ? NULL : raw ? &seg : &safe;
            const char *msg;
            char want[64];
            ViewChanges c;

            before = v;
            view_update(&v, (ViewLink)link, snap, link == VIEW_ERROR ? error : NULL);
            FUZZ_CHECK(nul_within(v.error, sizeof v.error));
            msg = view_message(&v);
            FUZZ_CHECK(nul_within(msg, SHM_MESSAGE_SIZE));
            if (snap) {
                FUZZ_CHECK(strcmp(msg, safe.lastMessage) == 0);
                FUZZ_CHECK(v.count == seg.connectedClients);
            } else if (link != VIEW_BUSY) {
                FUZZ_CHECK(msg[0] == '\0');
            }
            FUZZ_CHECK(utf8_valid(msg, strlen(msg)) ==
                       ref_utf8_valid((const unsigned char *)msg, strlen(msg)));

            check_texts(&v, view_label, "Connected clients: ", 1);
            check_texts(&v, view_status, "Shared memory: ", error_utf8);
            if (v.have_data && view_count_plausible(v.count)) {
                char label[64];
                snprintf(want, sizeof want, "Connected clients: %d", v.count);
                view_label(&v, label, sizeof label);
                FUZZ_CHECK(strcmp(label, want) == 0);
            }
            FUZZ_CHECK(view_count_plausible(v.count) ==
                       (v.count >= 0 && v.count <= VIEW_COUNT_MAX));

            c = view_diff(&v, &v);
            FUZZ_CHECK(!c.label && !c.message && !c.status);
            c = view_diff(&before, &v);
            FUZZ_CHECK(c.message == (strcmp(view_message(&before), msg) != 0));
        }
    }
}

/* The server's log line of a message: nothing a console obeys or hides is
 * left (every byte printable ASCII or part of a shown character), always
 * terminated within cap, and cut only with "..." at the end. */
static void check_escape(const uint8_t *data, size_t size)
{
    static char out[4200];
    size_t cap = size ? 4 + data[0] % 4196 : 4200;
    memset(out, 0x7E, sizeof out);
    size_t n = utf8_escape_visible((const char *)data, size, out, cap);
    if (n >= cap || out[n] != '\0' || (cap < sizeof out && out[cap] != 0x7E))
        abort();
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        int cl = utf8_decode(out + i, n - i, &cp);
        if (cl <= 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
            cp == 0x2029 || unicode_is_invisible(cp))
            abort();
        i += (size_t)cl;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_escape(data, size);
    check_text(data, size);
    check_set_message(data, size);
    check_view(data, size);
    return 0;
}
