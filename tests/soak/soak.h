/* soak.h: the soak test's shared state (issue #6): the messages sent, the
 * scripted clients' sessions and what each received, the quiet-moment
 * handshake between the driver and the clients, and the driver's modules.
 *
 * Threads: the driver's main thread orchestrates and samples; each of the
 * SOAK_BOTS scripted clients is a thread of its own with its own socket.
 * The message table is append-only (an index is claimed with an interlocked
 * increment, written by its sender before the text goes out, so a receiver
 * never sees an index whose entry is not written); a session belongs to its
 * bot's thread until the bots have been joined, then to the verifier.
 * Times are microseconds of win_clock_us(), one clock for every thread. */
#ifndef CHAT_TESTS_SOAK_H
#define CHAT_TESTS_SOAK_H

#include <winsock2.h>
#include <stdbool.h>
#include <stddef.h>
#include <windows.h>

#define SOAK_BOTS 50                         /* scripted clients */
#define SOAK_GUIS 5                          /* chat_client.exe windows */
#define SOAK_SENDERS (SOAK_BOTS + SOAK_GUIS) /* sender ids: bots, then windows */
#define SOAK_NAME_MAX 32
#define SOAK_NEVER (~0ull) /* a time that has not happened */

/* One message: who sent it, when, and the earliest moment any scripted
 * client had it back (the sender's own echo included). The server's
 * broadcast of a message had begun before anyone received it, so
 * first_rx bounds that moment from above. */
typedef struct SoakMsg {
    int sender;                 /* 0..SOAK_SENDERS-1 */
    int session;                /* the sender's session index, -1 for a window */
    unsigned seq;               /* per sender, from 1, in send order */
    unsigned long long sent_us; /* taken before the text was handed over */
    volatile LONG64 first_rx;   /* SOAK_NEVER until someone has it */
} SoakMsg;

typedef enum SoakLeave {
    LEAVE_NONE,  /* still connected (never at the end) */
    LEAVE_QUIT,  /* "/quit", then read to the server's close */
    LEAVE_FIN,   /* shutdown(SD_SEND), then read to the server's close */
    LEAVE_RESET, /* after its last message's echo: an abortive close (RST) */
    LEAVE_LOST,  /* the connection failed under it: an error */
} SoakLeave;

/* One connection of a scripted client, from hello to close. */
typedef struct SoakSession {
    int bot;
    char name[SOAK_NAME_MAX];
    unsigned long long joined_us; /* its own join line received */
    /* From this moment it no longer owes receipts: it sent "/quit" or FIN
     * (and then read to the end), or, for an abortive close, it sent the
     * last message whose echo it waited for. SOAK_NEVER while connected. */
    unsigned long long leave_us;
    SoakLeave how;
    unsigned *rx; /* message indexes, in arrival order */
    size_t nrx, caprx;
    unsigned last_seq[SOAK_SENDERS];
    unsigned dups_seen, reordered, bad_lines;
    bool welcomed; /* the roster and shared-memory lines after its join came */
    char first_bad[160];
    long held; /* self-test: a message held back to swap, or -1 */
} SoakSession;

typedef struct SoakState {
    /* Messages. */
    SoakMsg *msgs;
    LONG nmsgs;
    LONG capmsgs;
    unsigned next_seq[SOAK_SENDERS];
    /* Sessions. */
    SoakSession *sessions;
    LONG nsessions;
    LONG capsessions;
    /* Run control. */
    unsigned short port;
    volatile LONG stopping;  /* bots: leave and end */
    volatile LONG quiet;     /* bots: park connected and idle */
    volatile LONG parked;    /* bots parked now */
    HANDLE resume;           /* manual-reset: quiet moment over */
    volatile LONG connected; /* bots in a session now */
    volatile LONG errors;
    CRITICAL_SECTION err_lock;
    char first_error[300];
    /* Self-test: faults the receive side injects (see soak_inject_*). */
    volatile LONG inject_drop, inject_dup, inject_swap;
    /* Statistics. */
    volatile LONG sent_by_bots, bursts_multi, joins, leaves[5];
} SoakState;

extern SoakState soak;

/* --- bot.c: the scripted clients ----------------------------------------- */

/* Starts SOAK_BOTS threads; the handles go into threads[]. */
bool soak_bots_start(HANDLE threads[SOAK_BOTS], unsigned seed);

/* Parks every bot connected and idle (quiet moment); false when they did
 * not all park within timeout_ms. */
bool soak_quiet_begin(DWORD timeout_ms);
void soak_quiet_end(void);

/* Claims the next message index for `sender`; fills the entry. -1 when the
 * table is full. */
int soak_msg_new(int sender, int session);

/* "soak G S Q PAD": the text of message g, and its check on receipt. */
size_t soak_msg_text(unsigned g, char *out, size_t size);

/* A failure worth a FAIL line (first one kept in words). */
void soak_error(const char *fmt, ...);

/* --- probe.c: what a process holds ---------------------------------------- */

typedef struct SoakCounters {
    long handles_api; /* GetProcessHandleCount, -1 when it failed */
    long gdi_api;     /* GetGuiResources(GR_GDIOBJECTS), -1 when it failed */
    long user_api;    /* GetGuiResources(GR_USEROBJECTS) */
    unsigned long gdi_api_err, user_api_err;
    long handles;        /* the handle table's count (wineserver side), -1 n/a */
    long gdi;            /* live entries in its GDI handle table, -1 n/a */
    long windows;        /* its windows, children included, -1 n/a */
    long long ws_kb;     /* working set, -1 n/a */
    long long commit_kb; /* pagefile usage (committed private memory), -1 n/a */
} SoakCounters;

/* One snapshot of the system's handle table, then per-process counts. */
void soak_probe_refresh(void);
void soak_probe(HANDLE proc, bool gui, SoakCounters *out);
bool soak_under_wine(void);

/* --- verify.c: deliveries -------------------------------------------------- */

typedef struct SoakVerdict {
    unsigned long long msgs, msgs_gui, required, delivered, lost, dups, reordered, bad,
        unechoed, extra;
    char lost_example[200], dup_example[200], order_example[200], bad_example[200];
} SoakVerdict;

void soak_verify(SoakVerdict *v);

#endif
