/* log_bench.exe: the chat log's costs under Wine, as figures: the
 * custom-drawn view (gui/logview.h over core/chatlog.h) against the EDIT
 * control it replaced (bench/edit_log.h, the baseline kept for comparison),
 * fed the same input in the same way. One MODE per process, so the two never
 * share a heap; bench/run-log-bench runs both and prints the table.
 *
 * Usage: log_bench.exe edit|view PHASES [--lines N] [--mem-lines N]
 *                      [--paint-samples N] [--reader client|raw]
 * PHASES, a comma list run in order in one process:
 *   flood   a feeder thread writes N lines (default 200,000) into a loopback
 *           socket as fast as it can; the UI thread reads them as the client
 *           does and shows them. --reader client (default): gui/net.c itself
 *           (NET_READ_BUDGET a FD_READ, a paint waiting done first, a read
 *           put off while input or a timer waits); --reader raw: one recv() of up to 64 KB a FD_READ, never
 *           yielding (the reader the issue describes: it shows what the log
 *           alone costs, where the client's reader also waits for its timer).
 *           Lines/s shown (N over the time from the first line appended to
 *           the last one appended and painted), and how fast the UI thread
 *           answered a ping (SendMessageTimeout WM_NULL from another thread,
 *           every 10 ms). The EDIT keeps its 3,000-line trim here, the view
 *           its default 100,000-line scrollback.
 *   memory  working set and private bytes before and after --mem-lines lines
 *           (default 100,000) of 60 characters, after the empty control was
 *           made. The EDIT runs WITHOUT its 3,000-line trim here, so both hold
 *           every line.
 *   rewrap  with --mem-lines lines in the log (filled as for memory, unless
 *           memory ran just before): from SetWindowPos (another width) until
 *           the window has repainted, and the slowest ping meanwhile; for the
 *           view also the time to lay out every line if forced.
 *   paint   the median of --paint-samples (50) InvalidateRect + UpdateWindow
 *           of an 800x600 log of wrapped 300-character lines.
 * Prints words for people and "result KEY VALUE" lines for run-log-bench.
 * Needs a display; exits 1 when a phase could not run to its end. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
/* GetProcessMemoryInfo as KERNEL32's K32GetProcessMemoryInfo (Windows 7+). */
#define PSAPI_VERSION 2
#include <psapi.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/edit_log.h"
#include "bench/percentile.h"
#include "core/chatlog.h"
#include "core/compose.h"
#include "core/framer.h"
#include "gui/logview.h"
#include "gui/messages.h"
#include "gui/net.h"
#include "gui/text.h"
#include "win/clock.h"

#define LOG_W 800 /* the log's size: the window's client area */
#define LOG_H 600
#define NARROW_W 400 /* the re-wrap's other width: 60-character lines wrap */
#define LOG_ID 100
#define PING_EVERY_MS 10
#define PING_TIMEOUT_MS 600000
#define PING_TARGET_MS 50.0
#define RAW_READ (64 * 1024)
#define USER "bench" /* our own name: lines from it are ours, mentions of it marked */
#define PAINT_LINES 200
#define PAINT_TEXT 292           /* + "userNN: " = 300 characters */
#define MEM_TEXT 52              /* + "userNN: " = 60 characters */
#define SETTLE_MS 300            /* messages pumped before a reading */
#define WM_APP_RAW (WM_APP + 20) /* the raw reader's WSAAsyncSelect events */

typedef enum Mode { MODE_EDIT, MODE_VIEW } Mode;

static double now_us(void)
{
    return (double)win_clock_us();
}

#ifdef __GNUC__
#define BENCH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BENCH_PRINTF(f, a)
#endif

static void result(const char *key, const char *fmt, ...) BENCH_PRINTF(2, 3);
static void result(const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("result %s ", key);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

/* --- the log under test: one of the two, behind the same two calls ---------------- */

static struct {
    Mode mode;
    HWND top, log;
    EditLog edit;  /* MODE_EDIT */
    size_t filled; /* lines of MEM_TEXT put in by fill_mem (0: other) */
} B;

static void log_add(const char *line, size_t len, LineEnd end)
{
    if (B.mode == MODE_EDIT)
        edit_log_add(&B.edit, line, len, end);
    else
        logview_add_line(B.log, line, len, end, false, USER); /* what the client does */
}

static void log_flush(void)
{
    if (B.mode == MODE_EDIT)
        edit_log_flush(&B.edit);
    else
        logview_flush(B.log);
}

static size_t log_lines(void)
{
    if (B.mode == MODE_EDIT) /* the text ends with CRLF: one empty line after it */
        return (size_t)SendMessageW(B.log, EM_GETLINECOUNT, 0, 0) - 1;
    return chatlog_count(logview_model(B.log));
}

/* --- input: the same lines for both modes ----------------------------------------- */

static const char *const words[] = {
    "hello", "the",     "build", "is",     "green",  "again",   "did",    "you",
    "see",   "this",    "patch", "works",  "under",  "wine",    "now",    "lunch",
    "at",    "noon",    "sure",  "thanks", "review", "please",  "merge",  "coffee",
    "later", "meeting", "moved", "to",     "three",  "o'clock", "server", "restarted",
    "fine",  "here",    "what",  "about",  "tests",  "flaky",   "one",    "fixed",
};
static unsigned rng;

static unsigned rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) & 0x7fff;
}

/* "userNN: " and then words: `text` characters exactly when `exact`, else
 * words until at least `text`; when `link`, a link among them. Returns the
 * length (out holds text + 96 bytes). */
static size_t make_line(char *out, size_t text, bool exact, bool link)
{
    size_t n = (size_t)sprintf(out, "user%02u: ", rnd() % 50), start = n;
    bool linked = !link;
    while (n - start < text) {
        if (!linked && n - start > 10) {
            n += (size_t)sprintf(out + n, "https://example.com/issues/%u ",
                                 rnd() % 10000);
            linked = true;
            continue;
        }
        const char *w = words[rnd() % (sizeof words / sizeof *words)];
        n += (size_t)sprintf(out + n, "%s ", w);
    }
    if (exact) {
        n = start + text;
        if (out[n - 1] == ' ')
            out[n - 1] = '.';
    } else if (out[n - 1] == ' ') {
        n--;
    }
    out[n] = '\0';
    return n;
}

/* The flood's stream: N lines of about 50 characters of text, one in eight
 * with a link, each with its "\n". */
static char *make_stream(long lines, size_t *len)
{
    size_t cap = (size_t)lines * 160 + 1, n = 0;
    char *s = malloc(cap);
    if (s == NULL)
        return NULL;
    rng = 1;
    for (long i = 0; i < lines; i++) {
        n += make_line(s + n, 50, false, i % 8 == 3);
        s[n++] = '\n';
    }
    *len = n;
    return s;
}

/* Adds `lines` lines of `text` characters of text as the client would get
 * them: in batches of what one NET_READ_BUDGET read holds, a flush each, the window's
 * messages (its paint) handled in between. */
/* The read budget in words, checked against gui/net.h. */
#define NET_BUDGET_TEXT "64 KB"
_Static_assert(NET_READ_BUDGET == 64 * 1024, "NET_BUDGET_TEXT says 64 KB");

static void fill(size_t lines, size_t text)
{
    char line[PAINT_TEXT + 128];
    size_t batch = NET_READ_BUDGET / (text + 10 + 1), in_batch = 0;
    MSG m;
    rng = 2;
    for (size_t i = 0; i < lines; i++) {
        size_t n = make_line(line, text, true, false);
        log_add(line, n, LINE_WHOLE);
        if (++in_batch == batch || i + 1 == lines) {
            log_flush();
            in_batch = 0;
            while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
                TranslateMessage(&m);
                DispatchMessageW(&m);
            }
        }
    }
    UpdateWindow(B.log);
}

/* Handles the window's messages (and pings) for ms milliseconds. */
static void pump_for(DWORD ms)
{
    double until = now_us() + ms * 1000.0;
    MSG m;
    for (;;) {
        while (PeekMessageW(&m, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&m);
            DispatchMessageW(&m);
        }
        double left = until - now_us();
        if (left <= 0)
            return;
        MsgWaitForMultipleObjects(0, NULL, FALSE, (DWORD)(left / 1000) + 1,
                                  QS_ALLINPUT);
    }
}

/* --- the pinger: how soon the UI thread answers ----------------------------------- */

typedef struct Ping {
    double sent_us, took_us;
} Ping;

static struct {
    HANDLE thread, stop;
    HWND target;
    Ping *v;
    volatile LONG n;
    LONG cap;
} P;

static DWORD WINAPI pinger(void *arg)
{
    (void)arg;
    double next = now_us();
    for (;;) {
        DWORD_PTR r;
        double t0 = now_us();
        SendMessageTimeoutW(P.target, WM_NULL, 0, 0, SMTO_NORMAL, PING_TIMEOUT_MS, &r);
        double t1 = now_us();
        if (P.n < P.cap) {
            P.v[P.n].sent_us = t0;
            P.v[P.n].took_us = t1 - t0;
            InterlockedIncrement(&P.n);
        }
        next += PING_EVERY_MS * 1000.0;
        if (next < t1)
            next = t1; /* a slow answer: the next ping at once */
        double wait = next - now_us();
        if (WaitForSingleObject(P.stop, wait > 0 ? (DWORD)(wait / 1000) : 0) !=
            WAIT_TIMEOUT)
            return 0;
    }
}

static bool ping_start(HWND target)
{
    if (P.v == NULL) {
        P.cap = 400000; /* over an hour at 10 ms */
        P.v = malloc(sizeof *P.v * (size_t)P.cap);
        P.stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    }
    if (P.v == NULL || P.stop == NULL)
        return false;
    P.n = 0;
    P.target = target;
    ResetEvent(P.stop);
    P.thread = CreateThread(NULL, 0, pinger, NULL, 0, NULL);
    return P.thread != NULL;
}

/* Stops the pinger; the UI thread must answer its last ping meanwhile. */
static void ping_stop(void)
{
    SetEvent(P.stop);
    while (MsgWaitForMultipleObjects(1, &P.thread, FALSE, INFINITE, QS_ALLINPUT) !=
           WAIT_OBJECT_0)
        pump_for(0);
    CloseHandle(P.thread);
    P.thread = NULL;
}

typedef struct PingStats {
    int count;
    double max_ms, p99_ms, p50_ms;
} PingStats;

/* The pings that were waiting for an answer at some time in [a, b]. */
static PingStats ping_stats(double a, double b)
{
    PingStats s = {0, 0, 0, 0};
    double *ms = malloc(sizeof *ms * (size_t)(P.n ? P.n : 1));
    if (ms == NULL)
        return s;
    for (LONG i = 0; i < P.n; i++)
        if (P.v[i].sent_us <= b && P.v[i].sent_us + P.v[i].took_us >= a)
            ms[s.count++] = P.v[i].took_us / 1000.0;
    if (s.count) {
        s.p50_ms = bench_pct(ms, s.count, 0.5);
        s.p99_ms = bench_pct(ms, s.count, 0.99);
        s.max_ms = ms[s.count - 1];
    }
    free(ms);
    return s;
}

static void print_pings(const char *what, const char *key, PingStats s)
{
    printf("  pings answered %s: %d, p50 %.1f ms, p99 %.1f ms, slowest %.1f ms "
           "(target <= %.0f ms)\n",
           what, s.count, s.p50_ms, s.p99_ms, s.max_ms, PING_TARGET_MS);
    char k[64];
    snprintf(k, sizeof k, "%s_ping_max_ms", key);
    result(k, "%.1f", s.max_ms);
    snprintf(k, sizeof k, "%s_ping_p99_ms", key);
    result(k, "%.1f", s.p99_ms);
}

/* --- flood ------------------------------------------------------------------------ */

static struct {
    bool raw; /* --reader raw */
    char *stream;
    size_t stream_len;
    SOCKET listener;
    HANDLE feeder, release; /* release: the UI has every line, the feeder may close */
    double fed_us;          /* when the feeder's last send() returned */
    int feed_err;
    Net net;
    bool net_live;
    ChatStats stats;
    SOCKET raw_sock;
    LineFramer framer;
    char *linebuf;
    long want, got;
    unsigned long batches;
    unsigned long deferred; /* reads gui/net.c put off to its NET_TIMER_READ */
    double log_us;          /* time spent in log_add and log_flush */
    double t_first, t_end;
    bool done, failed;
} F;

static DWORD WINAPI feeder(void *arg)
{
    (void)arg;
    char hello[600];
    size_t have = 0;
    SOCKET s = accept(F.listener, NULL, NULL);
    if (s == INVALID_SOCKET) {
        F.feed_err = WSAGetLastError();
        return 1;
    }
    /* The client's hello, read before the flood as a server would. */
    while (have < sizeof hello && memchr(hello, '\n', have) == NULL) {
        int got = recv(s, hello + have, (int)(sizeof hello - have), 0);
        if (got <= 0)
            break;
        have += (size_t)got;
    }
    for (size_t off = 0; off < F.stream_len;) {
        size_t chunk = F.stream_len - off < 65536 ? F.stream_len - off : 65536;
        int put = send(s, F.stream + off, (int)chunk, 0);
        if (put <= 0) {
            F.feed_err = WSAGetLastError();
            break;
        }
        off += (size_t)put;
    }
    F.fed_us = now_us();
    WaitForSingleObject(F.release, INFINITE);
    closesocket(s);
    return 0;
}

static void flood_finish(bool failed)
{
    if (F.done)
        return;
    F.done = true;
    F.failed = failed;
    PostMessageW(B.top, WM_NULL, 0, 0); /* wakes GetMessage */
}

static void on_line(void *ctx, const char *line, size_t len, LineEnd end)
{
    (void)ctx;
    double t0 = now_us();
    if (F.got == 0)
        F.t_first = t0;
    log_add(line, len, end);
    F.got++;
    F.log_us += now_us() - t0;
}

/* The end of one read: the lines go into the log together. After the last
 * one, the log is painted before the clock stops. */
static void on_batch_end(void *ctx)
{
    (void)ctx;
    double t0 = now_us();
    log_flush();
    F.batches++;
    if (!F.done && F.got >= F.want) {
        UpdateWindow(B.log);
        F.t_end = now_us();
        flood_finish(false);
    }
    F.log_us += now_us() - t0;
}

static void on_state(void *ctx)
{
    (void)ctx;
    if (!F.done && F.net.state != NET_CONNECTED && F.net.state != NET_CONNECTING &&
        F.net.state != NET_RESOLVING) {
        printf("flood: the connection ended after %ld lines: %s\n", F.got,
               F.net.reason);
        flood_finish(true);
    }
}

static bool raw_frame(void *ctx, FrameEvent ev, char *line, size_t len)
{
    on_line(ctx, line, len, ev == FRAME_TOO_LONG ? LINE_TOO_LONG : LINE_WHOLE);
    return true;
}

/* The reader the issue describes: one recv() of up to 64 KB a FD_READ,
 * split into lines, a flush per read. */
static void raw_on_socket(WPARAM wp, LPARAM lp)
{
    static char buf[RAW_READ];
    if ((SOCKET)wp != F.raw_sock || F.done)
        return;
    int err = WSAGETSELECTERROR(lp);
    switch (WSAGETSELECTEVENT(lp)) {
    case FD_CONNECT: {
        static const char hello[] = PROTO_HELLO_PREFIX USER "\n";
        if (err || send(F.raw_sock, hello, (int)sizeof hello - 1, 0) !=
                       (int)sizeof hello - 1) {
            printf("flood: the raw reader could not connect (%d)\n", err);
            flood_finish(true);
        }
        break;
    }
    case FD_READ: {
        int got = recv(F.raw_sock, buf, sizeof buf, 0);
        if (got > 0) {
            framer_feed_all(&F.framer, buf, (size_t)got, raw_frame, NULL);
            on_batch_end(NULL);
        } else if (got == 0 || WSAGetLastError() != WSAEWOULDBLOCK) {
            printf("flood: the connection ended after %ld lines\n", F.got);
            flood_finish(true);
        }
        break;
    }
    case FD_CLOSE:
        printf("flood: the connection closed after %ld lines\n", F.got);
        flood_finish(true);
        break;
    default:
        break;
    }
}

static bool flood_connect(unsigned short port)
{
    if (!F.raw) {
        NetEvents ev = {NULL, on_line, on_batch_end, on_state};
        if (!net_init(&F.net, B.top, &ev, &F.stats))
            return false;
        F.net_live = true;
        net_connect(&F.net, "127.0.0.1", port, USER);
        return true;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    F.linebuf = malloc(NET_LINE_MAX + 1);
    F.raw_sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (F.linebuf == NULL || F.raw_sock == INVALID_SOCKET)
        return false;
    framer_init(&F.framer, F.linebuf, NET_LINE_MAX);
    BOOL one = TRUE;
    setsockopt(F.raw_sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    if (WSAAsyncSelect(F.raw_sock, B.top, WM_APP_RAW,
                       FD_CONNECT | FD_READ | FD_CLOSE) != 0)
        return false;
    return connect(F.raw_sock, (struct sockaddr *)&a, sizeof a) == 0 ||
           WSAGetLastError() == WSAEWOULDBLOCK;
}

static bool phase_flood(long lines)
{
    const char *reader = F.raw ? "raw" : "client";
    struct sockaddr_in a;
    int alen = sizeof a;
    F.want = lines;
    F.stream = make_stream(lines, &F.stream_len);
    F.release = CreateEventW(NULL, TRUE, FALSE, NULL);
    F.listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (F.stream == NULL || F.release == NULL || F.listener == INVALID_SOCKET ||
        bind(F.listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(F.listener, 1) != 0 ||
        getsockname(F.listener, (struct sockaddr *)&a, &alen) != 0) {
        printf("flood: cannot listen on the loopback (%d)\n", WSAGetLastError());
        return false;
    }
    F.feeder = CreateThread(NULL, 0, feeder, NULL, 0, NULL);
    if (F.feeder == NULL || !ping_start(B.top) || !flood_connect(ntohs(a.sin_port))) {
        printf("flood: cannot start the feeder, the pinger or the reader\n");
        return false;
    }
    MSG m;
    while (!F.done && GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    ping_stop();
    SetEvent(F.release);
    if (F.net_live)
        net_disconnect(&F.net, false);
    if (F.raw_sock != INVALID_SOCKET && F.raw)
        closesocket(F.raw_sock);
    closesocket(
        F.listener); /* ends an accept() still waiting, if the reader never came */
    WaitForSingleObject(F.feeder, 10000);
    pump_for(50);
    if (F.failed || F.got < F.want) {
        printf("flood: only %ld of %ld lines arrived (feeder error %d)\n", F.got,
               F.want, F.feed_err);
        return false;
    }
    double s = (F.t_end - F.t_first) / 1e6;
    printf(
        "flood, %s reader (%s): %ld lines in %.3f s = %.0f lines/s shown; %lu reads "
        "(%.0f lines each on average); the feeder's last send() returned %+.3f s from "
        "the "
        "first line; the log holds %lu lines\n",
        reader,
        F.raw
            ? "one recv() of up to 64 KB a FD_READ, never yielding"
            : "gui/net.c: " NET_BUDGET_TEXT " a FD_READ, a waiting paint done first, put off "
              "while input or a timer waits",
        F.got, s, F.got / s, F.batches, (double)F.got / (double)F.batches,
        (F.fed_us - F.t_first) / 1e6, (unsigned long)log_lines());
    printf("  of those %.3f s, adding and flushing lines (log_add, log_flush, the last "
           "UpdateWindow) took %.3f s\n",
           s, F.log_us / 1e6);
    if (F.raw)
        printf("  nothing is painted until the socket is drained (posted FD_READs come "
               "before WM_PAINT), in either mode\n");
    else
        printf("  %lu of the %lu reads waited for gui/net.c's NET_TIMER_READ (%u ms) "
               "because "
               "input or a timer was pending\n",
               F.deferred, F.batches, USER_TIMER_MINIMUM);
    char k[64];
    snprintf(k, sizeof k, "flood_%s_lps", reader);
    result(k, "%.0f", F.got / s);
    snprintf(k, sizeof k, "flood_%s_s", reader);
    result(k, "%.3f", s);
    snprintf(k, sizeof k, "flood_%s", reader);
    print_pings("during the flood", k, ping_stats(F.t_first, F.t_end));
    if (F.net_live)
        net_free(&F.net);
    free(F.stream);
    free(F.linebuf);
    return true;
}

/* --- memory ----------------------------------------------------------------------- */

static const char *priv_source = "PrivateUsage";

/* Committed private memory, region by region: what Windows counts as
 * private bytes. Wine 8's GetProcessMemoryInfo leaves PrivateUsage 0. */
static double private_committed(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    double sum = 0;
    for (const char *at = NULL; VirtualQuery(at, &mbi, sizeof mbi) == sizeof mbi;
         at = (const char *)mbi.BaseAddress + mbi.RegionSize) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            sum += (double)mbi.RegionSize;
        if ((const char *)mbi.BaseAddress + mbi.RegionSize < at)
            break; /* wrapped around the address space */
    }
    return sum;
}

/* Working set and private bytes: K32GetProcessMemoryInfo (KERNEL32, Windows
 * 7 and later); private bytes from VirtualQuery when it says 0. */
static void memory_now(double *ws, double *priv)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc,
                         sizeof pmc);
    *ws = (double)pmc.WorkingSetSize;
    *priv = (double)pmc.PrivateUsage;
    if (pmc.PrivateUsage == 0) {
        priv_source =
            "committed MEM_PRIVATE regions (VirtualQuery): Wine reports PrivateUsage 0";
        *priv = private_committed();
    }
}

static void fill_mem(size_t lines)
{
    B.edit.trim = false; /* see the header: both hold every line */
    double t0 = now_us();
    fill(lines, MEM_TEXT);
    B.filled = lines;
    printf("  filled %lu lines of 60 characters in %.3f s (batches of a " NET_BUDGET_TEXT " read, "
           "messages handled between them)\n",
           (unsigned long)lines, (now_us() - t0) / 1e6);
}

static bool phase_memory(size_t lines, double ws_bare, double priv_bare)
{
    double ws0, priv0, ws1, priv1;
    pump_for(SETTLE_MS);
    memory_now(&ws0, &priv0);
    printf("memory (%s):%s\n", B.mode == MODE_EDIT ? "edit" : "view",
           B.mode == MODE_EDIT
               ? " the EDIT runs WITHOUT its 3,000-line trim here, so it "
                 "holds every line, as the view does"
               : "");
    printf("  the empty log control itself: working set +%.0f KB, private +%.0f KB\n",
           (ws0 - ws_bare) / 1024, (priv0 - priv_bare) / 1024);
    fill_mem(lines);
    pump_for(SETTLE_MS);
    memory_now(&ws1, &priv1);
    size_t held = log_lines();
    if (held != lines) {
        printf("  the log holds %lu lines, not %lu\n", (unsigned long)held,
               (unsigned long)lines);
        return false;
    }
    double per_ws = (ws1 - ws0) / (double)lines,
           per_priv = (priv1 - priv0) / (double)lines;
    printf(
        "  working set %.1f MB -> %.1f MB: %.0f bytes/line, %.0f beyond the text's 120 "
        "(60 UTF-16 characters)\n",
        ws0 / 1048576, ws1 / 1048576, per_ws, per_ws - 120);
    printf("  private bytes (%s) %.1f MB -> %.1f MB: %.0f bytes/line, %.0f beyond the "
           "text\n",
           priv_source, priv0 / 1048576, priv1 / 1048576, per_priv, per_priv - 120);
    result("mem_ws_per_line", "%.0f", per_ws);
    result("mem_ws_beyond", "%.0f", per_ws - 120);
    result("mem_priv_per_line", "%.0f", per_priv);
    result("mem_priv_beyond", "%.0f", per_priv - 120);
    return true;
}

/* --- re-wrap ---------------------------------------------------------------------- */

/* The window's outer size for a client area of w x h. */
static void resize_client(int w, int h)
{
    RECT r = {0, 0, w, h};
    AdjustWindowRectEx(&r, (DWORD)GetWindowLongW(B.top, GWL_STYLE), FALSE,
                       (DWORD)GetWindowLongW(B.top, GWL_EXSTYLE));
    SetWindowPos(B.top, NULL, 0, 0, r.right - r.left, r.bottom - r.top,
                 SWP_NOMOVE | SWP_NOZORDER | SWP_NOACTIVATE);
}

static void rewrap_once(int from_w, int to_w, const char *key)
{
    double t0 = now_us();
    resize_client(to_w, LOG_H);
    UpdateWindow(B.top);
    double t1 = now_us();
    pump_for(SETTLE_MS); /* whatever it put off is caught by the pings too */
    printf("  %d -> %d px: %.1f ms from SetWindowPos until repainted\n", from_w, to_w,
           (t1 - t0) / 1000);
    char k[64];
    snprintf(k, sizeof k, "%s_ms", key);
    result(k, "%.1f", (t1 - t0) / 1000);
    print_pings("from the resize until 300 ms after it", key,
                ping_stats(t0, t1 + SETTLE_MS * 1000.0));
}

static bool phase_rewrap(size_t lines)
{
    printf("re-wrap (%s), %lu lines of 60 characters in the log%s:\n",
           B.mode == MODE_EDIT ? "edit" : "view", (unsigned long)lines,
           B.mode == MODE_EDIT ? " (untrimmed, as for memory)" : "");
    if (B.filled != lines) {
        if (log_lines() != 0) {
            printf("  the log is not empty: run rewrap alone or right after memory\n");
            return false;
        }
        fill_mem(lines);
    }
    if (!ping_start(B.top))
        return false;
    pump_for(SETTLE_MS);
    rewrap_once(LOG_W, NARROW_W, "rewrap_narrow");
    rewrap_once(NARROW_W, LOG_W, "rewrap_wide");
    ping_stop();
    if (B.mode == MODE_VIEW) {
        /* The view lays out only what it shows: the figures above are what a
         * user waits for. Forcing every line's layout is what it would cost
         * if something asked for all of it (the UI thread is busy throughout). */
        ChatLog *m = logview_model(B.log);
        unsigned long long rows = 0;
        double t0 = now_us();
        for (uint64_t seq = chatlog_first_seq(m), last = chatlog_last_seq(m);
             seq && seq <= last; seq++)
            rows += chatlog_rows(m, seq);
        double ms = (now_us() - t0) / 1000;
        printf(
            "  forced layout of all %lu lines at %d px (chatlog_rows on every seq, not "
            "what a resize waits for): %.1f ms, %llu rows\n",
            (unsigned long)chatlog_count(m), LOG_W, ms, rows);
        result("rewrap_forced_ms", "%.1f", ms);
    }
    return true;
}

/* --- paint ------------------------------------------------------------------------ */

static bool phase_paint(int samples)
{
    if (log_lines() != 0) {
        printf("paint: the log is not empty: run paint in its own process\n");
        return false;
    }
    resize_client(LOG_W, LOG_H);
    fill(PAINT_LINES, PAINT_TEXT);
    pump_for(SETTLE_MS);
    double *v = malloc(sizeof *v * (size_t)samples);
    if (v == NULL)
        return false;
    for (int i = 0; i < samples; i++) {
        double t0 = now_us();
        InvalidateRect(B.log, NULL, TRUE);
        UpdateWindow(B.log);
        v[i] = (now_us() - t0) / 1000;
        pump_for(5);
    }
    double p50 = bench_pct(v, samples, 0.5);
    printf(
        "paint (%s): %d full repaints (InvalidateRect + UpdateWindow) of a %dx%d log "
        "of "
        "%d wrapped 300-character lines: median %.2f ms, fastest %.2f, slowest %.2f\n",
        B.mode == MODE_EDIT ? "edit" : "view", samples, LOG_W, LOG_H, PAINT_LINES, p50,
        v[0], v[samples - 1]);
    result("paint_median_ms", "%.2f", p50);
    free(v);
    return true;
}

/* --- the window ------------------------------------------------------------------- */

static LRESULT CALLBACK bench_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_SIZE:
        if (B.log)
            MoveWindow(B.log, 0, 0, LOWORD(lp), HIWORD(lp), TRUE);
        return 0;
    case WM_APP_RESOLVED:
        if (F.net_live)
            net_on_resolved(&F.net, wp, lp);
        return 0;
    case WM_APP_SOCKET:
        if (F.net_live)
            net_on_socket(&F.net, wp, lp);
        return 0;
    case WM_APP_NET:
        if (F.net_live)
            net_on_posted(&F.net);
        return 0;
    case WM_TIMER:
        if (F.net_live && wp == NET_TIMER_READ && !F.done)
            F.deferred++;
        if (F.net_live)
            net_on_timer(&F.net, wp);
        return 0;
    case WM_APP_RAW:
        raw_on_socket(wp, lp);
        return 0;
    default:
        return DefWindowProcW(hwnd, msg, wp, lp);
    }
}

/* The system's message font, as the client's window gives its controls. */
static HFONT message_font(void)
{
    NONCLIENTMETRICSW ncm;
    ncm.cbSize = sizeof ncm;
    if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0))
        return CreateFontIndirectW(&ncm.lfMessageFont);
    return (HFONT)GetStockObject(DEFAULT_GUI_FONT);
}

static bool make_window(double *ws_bare, double *priv_bare)
{
    HINSTANCE inst = GetModuleHandleW(NULL);
    WNDCLASSW wc;
    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = bench_proc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = L"LogBenchWindow";
    if (!RegisterClassW(&wc) || (B.mode == MODE_VIEW && !logview_register(inst)))
        return false;
    DWORD style = WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN;
    RECT r = {0, 0, LOG_W, LOG_H};
    AdjustWindowRectEx(&r, style, FALSE, WS_EX_CONTROLPARENT);
    B.top = CreateWindowExW(WS_EX_CONTROLPARENT, wc.lpszClassName,
                            B.mode == MODE_EDIT ? L"log_bench edit" : L"log_bench view",
                            style, 20, 20, r.right - r.left, r.bottom - r.top, NULL,
                            NULL, inst, NULL);
    if (B.top == NULL)
        return false;
    ShowWindow(B.top, SW_SHOWNORMAL);
    UpdateWindow(B.top);
    pump_for(SETTLE_MS);
    memory_now(ws_bare, priv_bare);
    if (B.mode == MODE_EDIT) {
        B.log = edit_log_create(&B.edit, B.top, LOG_ID);
    } else {
        /* As gui/window.c makes it. */
        B.log = CreateWindowExW(WS_EX_CLIENTEDGE | WS_EX_CONTROLPARENT, LOGVIEW_CLASS,
                                L"Chat log",
                                WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL, 0, 0,
                                0, 0, B.top, (HMENU)(INT_PTR)LOG_ID, inst, NULL);
    }
    if (B.log == NULL)
        return false;
    SendMessageW(B.log, WM_SETFONT, (WPARAM)message_font(), TRUE);
    if (B.mode == MODE_VIEW)
        logview_set_max(B.log, CHATLOG_DEFAULT_LINES);
    GetClientRect(B.top, &r);
    MoveWindow(B.log, 0, 0, r.right, r.bottom, TRUE);
    UpdateWindow(B.top);
    return true;
}

/* --- main ------------------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: log_bench edit|view flood,memory,rewrap,paint [--lines N] "
                    "[--mem-lines N] [--paint-samples N] [--reader client|raw]\n");
    return 2;
}

int main(int argc, char **argv)
{
    long lines = 200000, mem_lines = 100000;
    int samples = 50;
    WSADATA wsa;
    if (argc < 3)
        return usage();
    if (strcmp(argv[1], "edit") == 0)
        B.mode = MODE_EDIT;
    else if (strcmp(argv[1], "view") == 0)
        B.mode = MODE_VIEW;
    else
        return usage();
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--lines") == 0)
            lines = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--mem-lines") == 0)
            mem_lines = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--paint-samples") == 0)
            samples = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--reader") == 0 && strcmp(argv[i + 1], "raw") == 0)
            F.raw = true;
        else if (strcmp(argv[i], "--reader") != 0 || strcmp(argv[i + 1], "client") != 0)
            return usage();
    }
    if (argc % 2 == 0 || lines < 1 || mem_lines < 1 || samples < 1)
        return usage();
    F.raw_sock = INVALID_SOCKET;
    double ws_bare, priv_bare;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0 || !make_window(&ws_bare, &priv_bare)) {
        printf("cannot create the window or start Winsock\n");
        return 1;
    }
    bool ok = true;
    char phases[256];
    snprintf(phases, sizeof phases, "%s", argv[2]);
    for (char *p = strtok(phases, ","); p && ok; p = strtok(NULL, ",")) {
        if (strcmp(p, "flood") == 0)
            ok = phase_flood(lines);
        else if (strcmp(p, "memory") == 0)
            ok = phase_memory((size_t)mem_lines, ws_bare, priv_bare);
        else if (strcmp(p, "rewrap") == 0)
            ok = phase_rewrap((size_t)mem_lines);
        else if (strcmp(p, "paint") == 0)
            ok = phase_paint(samples);
        else
            return usage();
        fflush(stdout);
    }
    DestroyWindow(B.top);
    edit_log_free(&B.edit);
    WSACleanup();
    printf("%s\n", ok ? "log_bench: done" : "log_bench: FAILED");
    return ok ? 0 : 1;
}
