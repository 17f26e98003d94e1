/* soak.c: soak.exe, the soak test's driver (issue #6): runs a real
 * chat_server.exe, 50 scripted clients (bot.c), 5 chat_client.exe windows
 * polling at 10 ms, a process that takes the shared mutex for short spells
 * and one killed while holding it now and then, for a bounded time; then
 * checks deliveries, the shared count, handle and GDI/USER growth and clean
 * exits, and prints a table. Exit code 0 only when every check passes.
 *
 *   soak [--minutes N] [--seed N] [--self-test] [--logs DIR]
 *        [--server-exe PATH] [--client-exe PATH]
 *   soak --locker NAME | --die-holding NAME     (its own helper processes)
 *
 * --self-test injects faults on the driver's side only (a message dropped,
 * one duplicated, two swapped on receipt; handles leaked into the server
 * and a window with DuplicateHandle; an unannounced client at a quiet
 * moment) and exits 0 only when every one of them made its check FAIL.
 * Every wait is bounded; every child is in a job that dies with us. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "soak.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui/messages.h"
#include "gui/window.h"
#include "resources/resource.h"
#include "shm/shm.h"
#include "win/clock.h"

#define SAMPLE_EVERY_MS 10000
#define MAX_SAMPLES 4096
#define MAX_QUIET 256
#define HANDLE_SLACK 10 /* "a small constant": handles, GDI objects */
#define WINDOW_SLACK 2  /* windows */
#define NET_CONNECTED_STATE                                                            \
    3 /* gui/net.h NET_CONNECTED; the header needs the GUI's build */

/* --- child processes ------------------------------------------------------ */

static HANDLE job;
static char logs_dir[MAX_PATH] = ".";

static void log_path(char *out, size_t size, const char *file)
{
    snprintf(out, size, "%s\\%s", logs_dir, file);
}

/* Starts `exe args` with stdout and stderr in logs\<log>, inside the job. */
static HANDLE spawn(const char *exe, const char *args, const char *log)
{
    char cmd[2048], path[MAX_PATH];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};

    log_path(path, sizeof path, log);
    HANDLE out = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             &sa, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (out == INVALID_HANDLE_VALUE) {
        soak_error("cannot create %s: %lu", path, GetLastError());
        return NULL;
    }
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out;
    si.hStdError = out;
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, args);
    BOOL ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL,
                             &si, &pi);
    DWORD err = GetLastError();
    CloseHandle(out);
    if (!ok) {
        soak_error("cannot start %s: %lu", cmd, err);
        return NULL;
    }
    AssignProcessToJobObject(job, pi.hProcess);
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static bool alive(HANDLE p)
{
    return p != NULL && WaitForSingleObject(p, 0) == WAIT_TIMEOUT;
}

/* Waits at most ms for p to end; its exit code, or -1 if it did not. */
static long exit_code(HANDLE p, DWORD ms)
{
    DWORD code = 0;
    if (p == NULL || WaitForSingleObject(p, ms) != WAIT_OBJECT_0 ||
        !GetExitCodeProcess(p, &code))
        return -1;
    return (long)code;
}

/* --- helper modes: the mutex's other users --------------------------------- */

static HANDLE open_mutex(const char *name)
{
    char m[SHM_NAME_MAX];
    shm_layout_mutex_name(name, m, sizeof m);
    return OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, m);
}

/* Takes the lock for 1-40 ms every 20-300 ms until NAME"SoakStop" is set. */
static int locker_main(const char *name)
{
    char ev[SHM_NAME_MAX + 16];
    unsigned rng = GetCurrentProcessId() * 2654435761u | 1u;
    unsigned long spells = 0, abandoned = 0, timeouts = 0;

    snprintf(ev, sizeof ev, "%sSoakStop", name);
    HANDLE stop = OpenEventA(SYNCHRONIZE, FALSE, ev);
    HANDLE m = open_mutex(name);
    if (stop == NULL || m == NULL) {
        fprintf(stderr, "locker: cannot open %s: %lu\n", stop ? "the mutex" : ev,
                GetLastError());
        return 3;
    }
    for (;;) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        if (WaitForSingleObject(stop, 20 + rng % 281) == WAIT_OBJECT_0)
            break;
        DWORD w = WaitForSingleObject(m, 5000);
        if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED) {
            abandoned += w == WAIT_ABANDONED;
            spells++;
            Sleep(1 + (rng >> 8) % 40);
            ReleaseMutex(m);
        } else {
            timeouts++;
        }
    }
    printf("locker: spells=%lu abandoned=%lu timeouts=%lu\n", spells, abandoned,
           timeouts);
    return 0;
}

/* Takes the lock, says so (NAME"SoakHeld"), and waits to be killed. */
static int die_holding_main(const char *name)
{
    char ev[SHM_NAME_MAX + 16];
    snprintf(ev, sizeof ev, "%sSoakHeld", name);
    HANDLE held = OpenEventA(EVENT_MODIFY_STATE, FALSE, ev);
    HANDLE m = open_mutex(name);
    if (held == NULL || m == NULL)
        return 3;
    DWORD w = WaitForSingleObject(m, 10000);
    if (w != WAIT_OBJECT_0 && w != WAIT_ABANDONED)
        return 4;
    SetEvent(held);
    Sleep(60000); /* killed long before */
    return 5;
}

/* --- the windows ----------------------------------------------------------- */

typedef struct Gui {
    HANDLE proc;
    HWND hwnd;
    int sent;                             /* messages given to it */
    bool seen_offline;                    /* not connected at a quiet moment */
    unsigned long busy, recovered, ticks; /* its statistics at the end */
} Gui;

static Gui guis[SOAK_GUIS];

static HWND find_window(HANDLE proc)
{
    return chat_window_find(GetProcessId(proc));
}

/* A window counter (WM_APP_STATS); `ok` false when it did not answer. */
static unsigned long gui_stat(Gui *g, WindowStat which, bool *ok)
{
    DWORD_PTR r = 0;
    BOOL answered = g->hwnd && SendMessageTimeoutW(g->hwnd, WM_APP_STATS, which, 0,
                                                   SMTO_ABORTIFHUNG, 2000, &r);
    if (ok)
        *ok = answered;
    return answered ? (unsigned long)r : 0;
}

static bool gui_connected(Gui *g)
{
    bool ok;
    return gui_stat(g, STAT_NET_STATE, &ok) == NET_CONNECTED_STATE && ok;
}

/* The number the window's label shows, or -1. */
static long gui_label_count(Gui *g)
{
    wchar_t text[200];
    DWORD_PTR r;
    HWND ctl = GetDlgItem(g->hwnd, IDC_COUNT);
    text[0] = L'\0';
    if (ctl == NULL || !SendMessageTimeoutW(ctl, WM_GETTEXT, 200, (LPARAM)text,
                                            SMTO_ABORTIFHUNG, 2000, &r))
        return -1;
    long n;
    return swscanf(text, L"Connected clients: %ld", &n) == 1 ? n : -1;
}

/* Types message g into window k's send box and clicks Send, as a user would
 * (the click by PostMessage, as it arrives from the mouse). */
static bool gui_send(int k, unsigned g)
{
    char text[200];
    wchar_t wide[200];
    DWORD_PTR r;
    Gui *gui = &guis[k];

    soak_msg_text(g, text, sizeof text);
    MultiByteToWideChar(CP_UTF8, 0, text, -1, wide, 200);
    HWND input = GetDlgItem(gui->hwnd, IDC_INPUT),
         send = GetDlgItem(gui->hwnd, IDC_SEND);
    if (!input || !send ||
        !SendMessageTimeoutW(input, WM_SETTEXT, 0, (LPARAM)wide, SMTO_ABORTIFHUNG, 2000,
                             &r) ||
        !PostMessageW(gui->hwnd, WM_COMMAND, MAKEWPARAM(IDC_SEND, BN_CLICKED),
                      (LPARAM)send)) {
        soak_error("gui%d did not take message %u", k, g);
        return false;
    }
    gui->sent++;
    return true;
}

/* --- samples --------------------------------------------------------------- */

typedef struct Sample {
    double t; /* seconds since the bots started */
    long bots_connected;
    SoakCounters server;
    SoakCounters gui[SOAK_GUIS];
} Sample;

typedef struct Quiet {
    double t;
    const char *what;
    long expected, got, settle_ms;
    long labels_ok; /* windows whose label showed `expected` */
    long labels_of; /* windows asked */
    SoakCounters server;
} Quiet;

static Sample *samples;
static int nsamples;
static Quiet quiets[MAX_QUIET];
static int nquiet;
static HANDLE server_proc;
static ChatShm *shm;
static unsigned long long t0_us;

static double now_s(void)
{
    return (double)(win_clock_us() - t0_us) / 1e6;
}

static void take_sample(void)
{
    if (nsamples >= MAX_SAMPLES)
        return;
    Sample *s = &samples[nsamples++];
    soak_probe_refresh();
    s->t = now_s();
    s->bots_connected = soak.connected;
    soak_probe(server_proc, false, &s->server);
    for (int k = 0; k < SOAK_GUIS; k++)
        soak_probe(guis[k].proc, true, &s->gui[k]);
}

/* Every sample, one line each, for plotting a trend the table only sums up:
 * logs\samples.csv. */
static void write_samples(void)
{
    char path[MAX_PATH];
    log_path(path, sizeof path, "samples.csv");
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    fprintf(f, "t,bots,server_handles,server_ws_kb,server_commit_kb");
    for (int k = 0; k < SOAK_GUIS; k++)
        fprintf(f, ",gui%d_handles,gui%d_gdi,gui%d_windows,gui%d_ws_kb,gui%d_commit_kb",
                k, k, k, k, k);
    fputc('\n', f);
    for (int i = 0; i < nsamples; i++) {
        const Sample *s = &samples[i];
        fprintf(f, "%.1f,%ld,%ld,%lld,%lld", s->t, s->bots_connected, s->server.handles,
                s->server.ws_kb, s->server.commit_kb);
        for (int k = 0; k < SOAK_GUIS; k++)
            fprintf(f, ",%ld,%ld,%ld,%lld,%lld", s->gui[k].handles, s->gui[k].gdi,
                    s->gui[k].windows, s->gui[k].ws_kb, s->gui[k].commit_kb);
        fputc('\n', f);
    }
    fclose(f);
}

static long driver_recovered; /* our own snapshots that found an abandoned lock */

/* The count read through the shared memory, or -1. */
static long shared_count(void)
{
    SharedChatData d;
    ShmResult r = shm_snapshot(shm, 2000, &d);
    driver_recovered += r.status == SHM_ABANDONED;
    return SHM_FAILED(r) ? -1 : d.connectedClients;
}

/* Everything is still: waits (5 s at most) for the shared count and (3 s
 * more at most) for every connected window's label to show `expected`. */
static void check_quiet(const char *what, long expected, bool labels)
{
    if (nquiet >= MAX_QUIET)
        return;
    Quiet *q = &quiets[nquiet++];
    q->t = now_s();
    q->what = what;
    q->expected = expected;
    ULONGLONG start = GetTickCount64();
    do {
        q->got = shared_count();
        if (q->got == expected)
            break;
        Sleep(50);
    } while (GetTickCount64() - start < 5000);
    q->settle_ms = (long)(GetTickCount64() - start);
    if (labels) {
        ULONGLONG end = GetTickCount64() + 3000;
        for (;;) {
            q->labels_ok = q->labels_of = 0;
            for (int k = 0; k < SOAK_GUIS; k++) {
                if (!alive(guis[k].proc))
                    continue;
                q->labels_of++;
                q->labels_ok += gui_label_count(&guis[k]) == expected;
            }
            if (q->labels_ok == q->labels_of || GetTickCount64() >= end)
                break;
            Sleep(50);
        }
    } else {
        q->labels_ok = q->labels_of = -1;
    }
    soak_probe_refresh();
    soak_probe(server_proc, false, &q->server);
}

static long guis_connected(void)
{
    long n = 0;
    for (int k = 0; k < SOAK_GUIS; k++) {
        if (gui_connected(&guis[k]))
            n++;
        else
            guis[k].seen_offline = true;
    }
    return n;
}

/* Waits (10 s at most) until no window has a message pending. */
static void guis_drain(void)
{
    ULONGLONG end = GetTickCount64() + 10000;
    for (;;) {
        unsigned long pending = 0;
        for (int k = 0; k < SOAK_GUIS; k++)
            pending += gui_stat(&guis[k], STAT_PENDING, NULL);
        if (pending == 0)
            return;
        if (GetTickCount64() >= end) {
            soak_error("windows still have %lu message(s) pending after 10 s", pending);
            return;
        }
        Sleep(50);
    }
}

/* --- the self-test's extra faults ------------------------------------------- */

static bool inject;
static bool leaked;
static HANDLE leak_source;

/* Copies `n` handles into `proc`: a leak as seen from outside. */
static void leak_into(HANDLE proc, int n)
{
    for (int i = 0; i < n; i++) {
        HANDLE dup;
        DuplicateHandle(GetCurrentProcess(), leak_source, proc, &dup, 0, FALSE,
                        DUPLICATE_SAME_ACCESS);
    }
}

/* A client nobody announced, joined during a quiet moment; closed after. */
static SOCKET rogue_join(void)
{
    struct sockaddr_in a;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(soak.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    send(s, "USERNAME:rogue\n", 15, 0);
    Sleep(500);
    return s;
}

/* --- the run ---------------------------------------------------------------- */

typedef struct Options {
    double seconds;
    unsigned seed;
    char server_exe[MAX_PATH], client_exe[MAX_PATH], self_exe[MAX_PATH];
} Options;

static unsigned main_rng = 1;
static unsigned mrnd(unsigned n)
{
    main_rng ^= main_rng << 13;
    main_rng ^= main_rng >> 17;
    main_rng ^= main_rng << 5;
    return n ? main_rng % n : 0;
}

static unsigned short free_port(void)
{
    struct sockaddr_in a;
    int alen = sizeof a;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &alen);
    closesocket(s);
    return ntohs(a.sin_port);
}

typedef struct Run {
    char name[64];
    HANDLE locker;
    long locker_exit, server_exit, gui_exit[SOAK_GUIS];
    bool alive_at_end[SOAK_GUIS + 2]; /* server, windows, locker */
    bool reached_end;
    int die_kills, die_no_lock;
    char locker_stats[200];
    long locker_abandoned, server_recovered;
    double bots_started_s, run_s;
} Run;

static Run run;

/* One quiet moment in the middle of the run: bots parked connected, the
 * windows idle; count, labels and the server's handles. */
static bool quiet_moment(const char *what)
{
    guis_drain();
    if (!soak_quiet_begin(30000)) {
        soak_error("only %ld of %d bots parked within 30 s", soak.parked, SOAK_BOTS);
        soak_quiet_end();
        return false;
    }
    SOCKET rogue = INVALID_SOCKET;
    if (inject && nquiet == 1)
        rogue = rogue_join();
    Sleep(300);
    check_quiet(what, SOAK_BOTS + guis_connected(), true);
    if (rogue != INVALID_SOCKET)
        closesocket(rogue);
    soak_quiet_end();
    return true;
}

static bool start_system(const Options *o)
{
    char args[600];

    /* The bots talk faster than a person may and connect all at once; the
     * soak is about load, the limits have tests of their own. */
    snprintf(args, sizeof args, "--port %u --shm-name %s --rate 0 --per-address 1000", soak.port,
             run.name);
    server_proc = spawn(o->server_exe, args, "server.log");
    if (server_proc == NULL)
        return false;
    /* Up when its shared memory exists and it accepts a connection. */
    ULONGLONG end = GetTickCount64() + 15000;
    while (shm == NULL && GetTickCount64() < end && alive(server_proc)) {
        if (SHM_FAILED(shm_attach(run.name, &shm)))
            Sleep(100);
    }
    if (shm == NULL) {
        soak_error("chat_server.exe did not come up (see server.log)");
        return false;
    }
    for (int k = 0; k < SOAK_GUIS; k++) {
        char ini[MAX_PATH], log[32];
        snprintf(log, sizeof log, "gui%d.ini", k);
        log_path(ini, sizeof ini, log);
        SetEnvironmentVariableA("CHAT_CLIENT_INI", ini); /* its own settings */
        snprintf(log, sizeof log, "gui%d.log", k);
        snprintf(
            args, sizeof args,
            "--server 127.0.0.1:%u --user gui%d --interval 10 --shm-name %s --stats",
            soak.port, k, run.name);
        guis[k].proc = spawn(o->client_exe, args, log);
        if (guis[k].proc == NULL)
            return false;
    }
    end = GetTickCount64() + 30000;
    for (int k = 0; k < SOAK_GUIS; k++) {
        while (!guis[k].hwnd && GetTickCount64() < end && alive(guis[k].proc)) {
            Sleep(50);
            guis[k].hwnd = find_window(guis[k].proc);
        }
        while (guis[k].hwnd && !gui_connected(&guis[k]) && GetTickCount64() < end)
            Sleep(50);
        if (!guis[k].hwnd || !gui_connected(&guis[k])) {
            soak_error("gui%d did not show its window and connect within 30 s", k);
            return false;
        }
    }
    char ev[SHM_NAME_MAX + 16];
    snprintf(ev, sizeof ev, "%sSoakStop", run.name);
    CreateEventA(NULL, TRUE, FALSE, ev); /* kept open until we exit */
    snprintf(ev, sizeof ev, "%sSoakHeld", run.name);
    CreateEventA(NULL, FALSE, FALSE, ev);
    snprintf(args, sizeof args, "--locker %s", run.name);
    run.locker = spawn(o->self_exe, args, "locker.log");
    return run.locker != NULL;
}

/* Kills a fresh process while it holds the shared mutex. */
static void kill_while_holding(const Options *o)
{
    char args[200], ev[SHM_NAME_MAX + 16];
    snprintf(ev, sizeof ev, "%sSoakHeld", run.name);
    HANDLE held = OpenEventA(SYNCHRONIZE, FALSE, ev);
    snprintf(args, sizeof args, "--die-holding %s", run.name);
    HANDLE p = spawn(o->self_exe, args, "die-holding.log");
    if (p == NULL || held == NULL) {
        if (held)
            CloseHandle(held);
        return;
    }
    if (WaitForSingleObject(held, 5000) == WAIT_OBJECT_0) {
        Sleep(5 + mrnd(150));
        run.die_kills++;
    } else {
        run.die_no_lock++;
    }
    TerminateProcess(p, 9);
    WaitForSingleObject(p, 5000);
    CloseHandle(p);
    CloseHandle(held);
}

/* When the steady state starts, for the growth checks: at 60 s, or half-way
 * through a run shorter than two minutes. */
static double steady_from(double seconds)
{
    return seconds < 120 ? seconds / 2 : 60;
}

static void main_loop(const Options *o)
{
    double end_s = o->seconds;
    double next_sample = 0, next_gui = 2, next_die = 5 + mrnd(10),
           next_print = 30; /* between quiet moments */
    double next_quiet = steady_from(end_s);

    for (;;) {
        double t = now_s();
        if (t >= end_s)
            break;
        if (!alive(server_proc)) {
            soak_error("chat_server.exe died at %.1f s (exit code %ld)", t,
                       exit_code(server_proc, 0));
            return;
        }
        for (int k = 0; k < SOAK_GUIS; k++)
            if (!alive(guis[k].proc)) {
                soak_error("gui%d died at %.1f s (exit code %ld)", k, t,
                           exit_code(guis[k].proc, 0));
                return;
            }
        if (soak.errors > 20) {
            soak_error("too many errors; ending the run early");
            return;
        }
        if (t >= next_sample) {
            take_sample();
            next_sample += SAMPLE_EVERY_MS / 1000.0;
            if (inject && !leaked && samples[nsamples - 1].t >= steady_from(end_s)) {
                leak_into(server_proc, 50); /* right after the baseline sample */
                leak_into(guis[0].proc, 50);
                leaked = true;
            }
        }
        if (t >= next_quiet && end_s - t > 15) {
            if (!quiet_moment("bots parked, all connected"))
                return;
            next_quiet += 60;
        }
        if (t >= next_gui) {
            int k = (int)mrnd(SOAK_GUIS);
            if (gui_connected(&guis[k]) && gui_stat(&guis[k], STAT_PENDING, NULL) < 3) {
                int g = soak_msg_new(SOAK_BOTS + k, -1);
                if (g >= 0)
                    gui_send(k, (unsigned)g);
            }
            next_gui = t + 1.0 + mrnd(3000) / 1000.0;
        }
        if (t >= next_die) {
            kill_while_holding(o);
            next_die = t + 15 + mrnd(20);
        }
        if (t >= next_print) {
            printf("soak: %3.0f s: %ld messages, %ld sessions, %ld bots connected, %ld "
                   "errors\n",
                   t, soak.nmsgs, soak.nsessions, soak.connected, soak.errors);
            fflush(stdout);
            next_print += 60;
        }
        Sleep(100);
    }
    run.reached_end = true;
}

static void finish(HANDLE bots[SOAK_BOTS], bool bots_started)
{
    if (bots_started) {
        if (run.reached_end) {
            quiet_moment("end of run, all connected");
            take_sample();
        }
        InterlockedExchange(&soak.stopping, 1);
        soak_quiet_end(); /* nobody stays parked */
        DWORD w = WaitForMultipleObjects(SOAK_BOTS, bots, TRUE, 60000);
        if (w == WAIT_TIMEOUT)
            soak_error("bots did not all leave within 60 s");
        if (run.reached_end && alive(server_proc)) {
            Sleep(300);
            check_quiet("bots gone, windows connected", guis_connected(), true);
        }
    }
    run.alive_at_end[0] = alive(server_proc);
    for (int k = 0; k < SOAK_GUIS; k++) {
        run.alive_at_end[1 + k] = alive(guis[k].proc);
        guis[k].busy = gui_stat(&guis[k], STAT_BUSY, NULL);
        guis[k].recovered = gui_stat(&guis[k], STAT_RECOVERED, NULL);
        guis[k].ticks = gui_stat(&guis[k], STAT_TICKS, NULL);
    }
    run.alive_at_end[SOAK_GUIS + 1] = alive(run.locker);
    char ev[SHM_NAME_MAX + 16];
    snprintf(ev, sizeof ev, "%sSoakStop", run.name);
    HANDLE stop = OpenEventA(EVENT_MODIFY_STATE, FALSE, ev);
    if (stop) {
        SetEvent(stop);
        CloseHandle(stop);
    }
    run.locker_exit = exit_code(run.locker, 10000);

    /* Windows close as a user closes them; then the count must be 0. */
    for (int k = 0; k < SOAK_GUIS; k++)
        if (guis[k].hwnd)
            PostMessageW(guis[k].hwnd, WM_CLOSE, 0, 0);
    for (int k = 0; k < SOAK_GUIS; k++)
        run.gui_exit[k] = exit_code(guis[k].proc, 15000);
    if (run.reached_end && alive(server_proc))
        check_quiet("windows closed", 0, false);

    /* chat_server --stop does exactly this. */
    snprintf(ev, sizeof ev, "%s%s", run.name, "Stop");
    stop = OpenEventA(EVENT_MODIFY_STATE, FALSE, ev);
    if (stop) {
        SetEvent(stop);
        CloseHandle(stop);
    }
    run.server_exit = exit_code(server_proc, 10000);
    shm_close(shm);
    shm = NULL;

    char path[MAX_PATH], line[1200];
    log_path(path, sizeof path, "locker.log");
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(run.locker_stats, sizeof run.locker_stats, f))
            run.locker_stats[0] = '\0';
        run.locker_stats[strcspn(run.locker_stats, "\r\n")] = '\0';
        const char *a = strstr(run.locker_stats, "abandoned=");
        run.locker_abandoned = a ? atol(a + 10) : 0;
        fclose(f);
    }
    /* The server logs each write that found the lock abandoned. */
    log_path(path, sizeof path, "server.log");
    if ((f = fopen(path, "r")) != NULL) {
        while (fgets(line, sizeof line, f))
            run.server_recovered +=
                strstr(line, "recovered from an abandoned lock") != NULL;
        fclose(f);
    }
}

/* --- the table -------------------------------------------------------------- */

static int checks, failures;
static bool gui0_handles_failed, server_quiet_failed, server_windows_only_failed;

static void row(const char *result, const char *check, const char *fmt, ...)
{
    char figures[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(figures, sizeof figures, fmt, ap);
    va_end(ap);
    if (strcmp(result, "PASS") == 0 || strcmp(result, "FAIL") == 0) {
        checks++;
        failures += strcmp(result, "FAIL") == 0;
    }
    printf("%-4s  %-38s %s\n", result, check, figures);
}

/* The first sample of the steady state. */
static int baseline_index(double seconds)
{
    double at = steady_from(seconds);
    for (int i = 0; i < nsamples; i++)
        if (samples[i].t >= at)
            return i;
    return nsamples ? nsamples - 1 : 0;
}

typedef long (*Pick)(const SoakCounters *);
static long pick_handles_api(const SoakCounters *c)
{
    return c->handles_api;
}
static long pick_handles(const SoakCounters *c)
{
    return c->handles;
}
static long pick_gdi_api(const SoakCounters *c)
{
    return c->gdi_api;
}
static long pick_gdi(const SoakCounters *c)
{
    return c->gdi;
}
static long pick_user_api(const SoakCounters *c)
{
    return c->user_api;
}
static long pick_windows(const SoakCounters *c)
{
    return c->windows;
}

/* Growth of one counter of window k (k < 0: the server) over the samples. */
typedef struct Series {
    long first, base, last, max, min;
    bool measured; /* some sample gave a positive value */
} Series;

static Series series(int k, Pick pick, int base)
{
    Series s = {-1, -1, -1, -1, -1, false};
    for (int i = 0; i < nsamples; i++) {
        const SoakCounters *c = k < 0 ? &samples[i].server : &samples[i].gui[k];
        long v = pick(c);
        if (v > 0)
            s.measured = true;
        if (i == 0)
            s.first = s.min = v;
        if (i == base)
            s.base = v;
        if (i >= base) {
            s.max = v > s.max ? v : s.max;
            s.min = v < s.min ? v : s.min;
        }
        s.last = v;
    }
    return s;
}

/* A Win32 counter and its substitute: the first one that measures anything
 * decides; a counter that only ever said 0 is named, never passed. */
static void growth_rows(const char *what, Pick api, const char *api_name, Pick sub,
                        const char *sub_name, long slack, int base, bool gui)
{
    char check[80];
    int from = gui ? 0 : -1, to = gui ? SOAK_GUIS : 0;
    bool none = true;
    for (int k = from; k < to; k++)
        none = none && !series(k, api, base).measured;
    if (none) {
        snprintf(check, sizeof check, "%s %s (%s)", gui ? "windows'" : "server", what,
                 api_name);
        row("n/a", check, "always %ld here: not implemented, not a check",
            series(from, api, base).first);
    }
    for (int k = from; k < to; k++) {
        char who[16];
        if (k < 0)
            snprintf(who, sizeof who, "server");
        else
            snprintf(who, sizeof who, "gui%d", k);
        Series a = series(k, api, base), s = series(k, sub, base);
        const Series *use = a.measured ? &a : &s;
        snprintf(check, sizeof check, "%s %s (%s)", who, what,
                 a.measured ? api_name : sub_name);
        if (!use->measured) {
            row("FAIL", check, "nothing measures it here");
            continue;
        }
        if (k == 0 && pick_handles == sub)
            gui0_handles_failed = use->last - use->base > slack;
        row(use->last - use->base <= slack ? "PASS" : "FAIL", check,
            "first %ld, at baseline %ld, last %ld, max %ld (growth %+ld, limit +%ld)",
            use->first, use->base, use->last, use->max, use->last - use->base, slack);
    }
}

static void print_table(const Options *o, const SoakVerdict *v, double bots_s)
{
    int base = baseline_index(o->seconds);
    printf("\n== soak: %.0f s (%.1f min), %d bots, %d windows at --interval 10, seed "
           "%u%s ==\n",
           o->seconds, o->seconds / 60, SOAK_BOTS, SOAK_GUIS, o->seed,
           inject ? ", SELF-TEST: faults injected" : "");
    printf("load: %llu messages from bots (%ld bursts sent in one send()), %llu from "
           "windows; "
           "%ld sessions (%ld joins; left by /quit %ld, FIN %ld, RST %ld, lost %ld); "
           "bots ran %.0f s\n",
           v->msgs, soak.bursts_multi, v->msgs_gui, soak.nsessions, soak.joins,
           soak.leaves[LEAVE_QUIT], soak.leaves[LEAVE_FIN], soak.leaves[LEAVE_RESET],
           soak.leaves[LEAVE_LOST], bots_s);
    printf("baseline for growth: the sample at %.0f s; samples every %d s: %d\n\n",
           nsamples ? samples[base].t : 0.0, SAMPLE_EVERY_MS / 1000, nsamples);
    printf("%-4s  %-38s %s\n", "", "check", "figures");

    bool deliveries_ok = v->lost == 0 && v->dups == 0 && v->reordered == 0 &&
                         v->bad == 0 && v->unechoed == 0 && v->required > 0;
    row(deliveries_ok ? "PASS" : "FAIL", "deliveries: exactly once, in order",
        "owed %llu, delivered %llu, lost %llu, duplicated %llu, out of order %llu, "
        "bad lines %llu, came back to no one %llu; not owed but received %llu",
        v->required, v->delivered, v->lost, v->dups, v->reordered, v->bad, v->unechoed,
        v->extra);
    if (v->lost_example[0])
        printf("%44s e.g. %s\n", "", v->lost_example);
    if (v->dup_example[0])
        printf("%44s e.g. %s\n", "", v->dup_example);
    if (v->order_example[0])
        printf("%44s e.g. %s\n", "", v->order_example);
    if (v->bad_example[0])
        printf("%44s e.g. %s\n", "", v->bad_example);
    row(soak.errors == 0 ? "PASS" : "FAIL", "no driver/bot errors", "%ld error(s)%s%s",
        soak.errors, soak.errors ? "; first: " : "", soak.first_error);

    int equal = 0, labels_bad = 0;
    long settle = 0;
    char list[900] = "";
    size_t used = 0;
    for (int i = 0; i < nquiet; i++) {
        const Quiet *q = &quiets[i];
        equal += q->got == q->expected;
        if (q->got == q->expected && q->settle_ms > settle)
            settle = q->settle_ms;
        labels_bad += q->labels_of >= 0 && q->labels_ok != q->labels_of;
        if (used < sizeof list - 60)
            used += (size_t)snprintf(
                list + used, sizeof list - used, "%s%ld%s%ld@%.0fs", i ? ", " : "",
                q->got, q->got == q->expected ? "=" : "!=", q->expected, q->t);
    }
    row(nquiet >= 3 && equal == nquiet ? "PASS" : "FAIL",
        "shared count at quiet moments",
        "%d/%d equal (read/expected@time: %s); slowest to settle %ld ms", equal, nquiet,
        list, settle);
    row(nquiet >= 3 && labels_bad == 0 ? "PASS" : "FAIL",
        "window labels at quiet moments",
        "%d quiet moment(s) where a label differed from the count", labels_bad);
    int offline = 0;
    for (int k = 0; k < SOAK_GUIS; k++)
        offline += guis[k].seen_offline;
    row(offline == 0 ? "PASS" : "FAIL", "windows connected at quiet moments",
        "%d window(s) found offline", offline);

    /* The server: handles at quiet moments (bots all connected), since the
     * baseline; and with only the windows connected, before vs after. */
    Series sq = {-1, -1, -1, -1, -1, false};
    bool api_measured = false;
    int qbase = -1;
    double qat = steady_from(o->seconds) - 1;
    for (int i = 0; i < nquiet; i++) {
        if (quiets[i].server.handles_api > 0)
            api_measured = true;
        if (strncmp(quiets[i].what, "bots parked", 11) != 0 &&
            strncmp(quiets[i].what, "end of run", 10) != 0)
            continue;
        long h = quiets[i].server.handles;
        if (h > 0)
            sq.measured = true;
        if (qbase < 0 && quiets[i].t >= qat) {
            qbase = i;
            sq.base = sq.max = h;
        }
        if (qbase >= 0)
            sq.max = h > sq.max ? h : sq.max;
        if (sq.first < 0)
            sq.first = h;
        sq.last = h;
    }
    if (!api_measured)
        row("n/a", "server handles (GetProcessHandleCount)",
            "always 0 under this system: not implemented, not a check");
    server_quiet_failed = !(sq.measured && sq.last - sq.base <= HANDLE_SLACK);
    row(!server_quiet_failed ? "PASS" : "FAIL", "server handles at quiet moments",
        "wineserver's table, all %d bots + windows connected: first %ld, at baseline "
        "%ld, "
        "last %ld, max %ld (growth %+ld, limit +%d)",
        SOAK_BOTS, sq.first, sq.base, sq.last, sq.max, sq.last - sq.base, HANDLE_SLACK);
    long before = nquiet > 0 && strcmp(quiets[0].what, "windows only, before bots") == 0
                      ? quiets[0].server.handles
                      : -1;
    long after = -1;
    for (int i = 0; i < nquiet; i++)
        if (strcmp(quiets[i].what, "bots gone, windows connected") == 0)
            after = quiets[i].server.handles;
    server_windows_only_failed =
        !(before > 0 && after > 0 && after - before <= HANDLE_SLACK);
    row(!server_windows_only_failed ? "PASS" : "FAIL", "server handles, windows only",
        "before the bots %ld, after every bot left %ld (growth %+ld, limit +%d)",
        before, after, after - before, HANDLE_SLACK);
    Series ss = series(-1, pick_handles, base);
    long cmin = 1 << 30, cmax = 0;
    for (int i = 0; i < nsamples; i++) {
        cmin = samples[i].bots_connected < cmin ? samples[i].bots_connected : cmin;
        cmax = samples[i].bots_connected > cmax ? samples[i].bots_connected : cmax;
    }
    row("info", "server handles, 10-s samples",
        "first %ld, last %ld, max %ld, while %ld-%ld bots were connected (varies with "
        "them)",
        ss.first, ss.last, ss.max, nsamples ? cmin : 0, cmax);

    growth_rows("handles", pick_handles_api, "GetProcessHandleCount", pick_handles,
                "wineserver's table", HANDLE_SLACK, base, true);
    growth_rows("GDI objects", pick_gdi_api, "GetGuiResources GDI", pick_gdi,
                "GDI handle table", HANDLE_SLACK, base, true);
    growth_rows("USER objects", pick_user_api, "GetGuiResources USER", pick_windows,
                "windows, EnumChildWindows", WINDOW_SLACK, base, true);
    if (nsamples)
        printf("%44s GetGuiResources' last error: %lu%s\n", "",
               samples[0].gui[0].gdi_api_err,
               samples[0].gui[0].gdi_api_err == ERROR_CALL_NOT_IMPLEMENTED
                   ? " (ERROR_CALL_NOT_IMPLEMENTED)"
                   : "");

    /* Memory is a figure, not a check: a window's log grows to its
     * 3000-line cap over the first minutes, the server's with the clients
     * connected. The commit half-way and at the end show a plateau (or not). */
    int half = base + (nsamples - 1 - base) / 2;
    for (int k = -1; k < SOAK_GUIS && nsamples > 0; k++) {
        const SoakCounters *b = k < 0 ? &samples[base].server : &samples[base].gui[k];
        const SoakCounters *h = k < 0 ? &samples[half].server : &samples[half].gui[k];
        const SoakCounters *l =
            k < 0 ? &samples[nsamples - 1].server : &samples[nsamples - 1].gui[k];
        char who[40], name[16];
        snprintf(who, sizeof who, "%s memory (KB)", k < 0 ? "server" : "windows'");
        if (k < 0)
            snprintf(name, sizeof name, "server");
        else
            snprintf(name, sizeof name, "gui%d", k);
        row("info", k <= 0 ? who : "",
            "%s: commit %lld at baseline, %lld at %.0f s, %lld at the end; "
            "working set %lld, %lld, %lld",
            name, b->commit_kb, h->commit_kb, samples[half].t, l->commit_kb, b->ws_kb,
            h->ws_kb, l->ws_kb);
    }

    bool all_alive =
        run.reached_end && run.alive_at_end[0] && run.alive_at_end[SOAK_GUIS + 1];
    for (int k = 0; k < SOAK_GUIS; k++)
        all_alive = all_alive && run.alive_at_end[1 + k];
    row(all_alive ? "PASS" : "FAIL", "every process alive at the end",
        "server %s, windows %d/%d, locker %s%s", run.alive_at_end[0] ? "yes" : "NO",
        run.alive_at_end[1] + run.alive_at_end[2] + run.alive_at_end[3] +
            run.alive_at_end[4] + run.alive_at_end[5],
        SOAK_GUIS, run.alive_at_end[SOAK_GUIS + 1] ? "yes" : "NO",
        run.reached_end ? "" : " (the run ended early)");
    bool clean = run.server_exit == 0 && run.locker_exit == 0;
    char codes[120];
    size_t cu = 0;
    for (int k = 0; k < SOAK_GUIS; k++) {
        clean = clean && run.gui_exit[k] == 0;
        cu += (size_t)snprintf(codes + cu, sizeof codes - cu, "%s%ld", k ? " " : "",
                               run.gui_exit[k]);
    }
    row(clean ? "PASS" : "FAIL", "clean exits (exit codes)",
        "server %ld (stop event), windows %s (WM_CLOSE), locker %ld (-1: did not exit)",
        run.server_exit, codes, run.locker_exit);
    unsigned long busy = 0, recovered = 0, ticks = 0;
    for (int k = 0; k < SOAK_GUIS; k++)
        busy += guis[k].busy, recovered += guis[k].recovered, ticks += guis[k].ticks;
    row("info", "shared mutex traffic",
        "%s; windows: %lu ticks (%.1f a second each; --interval 10 asks for 100), %lu "
        "busy "
        "(lock not free within 5 ms)",
        run.locker_stats[0] ? run.locker_stats : "locker: no statistics", ticks,
        bots_s > 0 ? ticks / bots_s / SOAK_GUIS : 0.0, busy);
    /* Each process killed while holding the lock abandons it once, and the
     * next owner, whoever it is, is told so exactly once. */
    long found = run.server_recovered + (long)recovered + run.locker_abandoned +
                 driver_recovered;
    row(run.die_kills > 0 && found == run.die_kills ? "PASS" : "FAIL",
        "abandoned locks recovered",
        "%d kills while holding it (%d never got it); recovered by the server %ld, "
        "windows %lu, "
        "locker %ld, driver %ld: %ld in all",
        run.die_kills, run.die_no_lock, run.server_recovered, recovered,
        run.locker_abandoned, driver_recovered, found);
}

/* --- main ------------------------------------------------------------------- */

static void beside_me(char *out, size_t size, const char *rel)
{
    char self[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
    char *slash = n ? strrchr(self, '\\') : NULL;
    if (slash)
        *slash = '\0';
    snprintf(out, size, "%s\\%s", slash ? self : ".", rel);
}

static int usage(void)
{
    fputs("usage: soak [--minutes N (1-600, default 10)] [--seconds N] [--seed N] "
          "[--self-test]\n"
          "            [--logs DIR] [--server-exe PATH] [--client-exe PATH]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    Options o;
    HANDLE bots[SOAK_BOTS];
    WSADATA wsa;

    if (argc == 3 && strcmp(argv[1], "--locker") == 0)
        return locker_main(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--die-holding") == 0)
        return die_holding_main(argv[2]);

    memset(&o, 0, sizeof o);
    o.seconds = 600;
    o.seed = (unsigned)GetTickCount();
    beside_me(o.server_exe, sizeof o.server_exe, "..\\..\\server\\chat_server.exe");
    beside_me(o.client_exe, sizeof o.client_exe, "..\\..\\gui\\chat_client.exe");
    GetModuleFileNameA(NULL, o.self_exe, sizeof o.self_exe);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--self-test") == 0) {
            inject = true;
            continue;
        }
        if (val == NULL)
            return usage();
        i++;
        if (strcmp(a, "--minutes") == 0 && atoi(val) >= 1 && atoi(val) <= 600)
            o.seconds = 60.0 * atoi(val);
        else if (strcmp(a, "--seconds") == 0 && atoi(val) >= 20 && atoi(val) <= 36000)
            o.seconds = atoi(val);
        else if (strcmp(a, "--seed") == 0)
            o.seed = (unsigned)strtoul(val, NULL, 10);
        else if (strcmp(a, "--logs") == 0)
            snprintf(logs_dir, sizeof logs_dir, "%s", val);
        else if (strcmp(a, "--server-exe") == 0)
            snprintf(o.server_exe, sizeof o.server_exe, "%s", val);
        else if (strcmp(a, "--client-exe") == 0)
            snprintf(o.client_exe, sizeof o.client_exe, "%s", val);
        else
            return usage();
    }
    main_rng = o.seed | 1u;
    setvbuf(stdout, NULL, _IONBF, 0);

    InitializeCriticalSection(&soak.err_lock);
    soak.resume = CreateEventA(NULL, TRUE, FALSE, NULL);
    soak.capmsgs = (LONG)(o.seconds * 200) + 10000;
    soak.capsessions = (LONG)(SOAK_BOTS * (o.seconds / 2 + 20));
    soak.msgs = calloc((size_t)soak.capmsgs, sizeof *soak.msgs);
    soak.sessions = calloc((size_t)soak.capsessions, sizeof *soak.sessions);
    samples = calloc(MAX_SAMPLES, sizeof *samples);
    if (!soak.msgs || !soak.sessions || !samples ||
        WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "soak: out of memory or no Winsock\n");
        return 3;
    }
    if (inject) {
        soak.inject_drop = soak.inject_dup = soak.inject_swap = 1;
        leak_source = CreateEventA(NULL, TRUE, FALSE, NULL);
    }

    /* Every child dies with us, whatever happens to us. */
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
    job = CreateJobObjectA(NULL, NULL);
    ZeroMemory(&li, sizeof li);
    li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (job == NULL || !SetInformationJobObject(job, JobObjectExtendedLimitInformation,
                                                &li, sizeof li)) {
        fprintf(stderr, "soak: cannot create the job object: %lu\n", GetLastError());
        return 3;
    }

    snprintf(run.name, sizeof run.name, "Soak-%lu-%lu", GetCurrentProcessId(),
             GetTickCount());
    soak.port = free_port();
    printf("soak: %.0f s, seed %u, port %u, shared memory %s, under %s, logs in %s\n",
           o.seconds, o.seed, soak.port, run.name,
           soak_under_wine() ? "Wine" : "Windows", logs_dir);
    t0_us = win_clock_us();
    bool started = start_system(&o);
    bool bots_started = false;
    if (started) {
        Sleep(500);
        check_quiet("windows only, before bots", SOAK_GUIS, true);
        t0_us = win_clock_us();
        bots_started = soak_bots_start(bots, o.seed);
        if (bots_started)
            main_loop(&o);
    }
    run.bots_started_s = now_s();
    finish(bots, bots_started);

    write_samples();
    SoakVerdict v;
    soak_verify(&v);
    print_table(&o, &v, run.bots_started_s);
    CloseHandle(job); /* kills whatever is left */

    printf("\nRESULT: %s (%d check%s, %d failed)\n", failures ? "FAIL" : "PASS", checks,
           checks == 1 ? "" : "s", failures);
    if (!inject)
        return failures ? 1 : 0;

    /* The self-test passes when each injected fault was caught. */
    long count_caught = 0;
    for (int i = 0; i < nquiet; i++)
        count_caught += quiets[i].got == quiets[i].expected + 1;
    struct {
        const char *what;
        bool caught;
    } caught[] = {
        {"a dropped message is reported lost", v.lost >= 1},
        {"a duplicated message is reported", v.dups >= 1},
        {"a swapped pair is reported out of order", v.reordered >= 1},
        {"50 handles leaked into the server fail its quiet-moment check",
         server_quiet_failed},
        {"... and its windows-only check", server_windows_only_failed},
        {"50 handles leaked into gui0 fail its check", gui0_handles_failed},
        {"an unannounced client makes the count differ", count_caught >= 1},
        {"the soak as a whole reports FAIL", failures > 0},
    };
    int missed = 0;
    printf("\nself-test:\n");
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        printf("  %s  %s\n", caught[i].caught ? "caught" : "MISSED", caught[i].what);
        missed += !caught[i].caught;
    }
    printf("SELF-TEST: %s\n", missed
                                  ? "FAIL (the soak let an injected fault through)"
                                  : "PASS (every injected fault made the soak fail)");
    return missed ? 1 : 0;
}
