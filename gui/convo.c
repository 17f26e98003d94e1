/* convo.c: send box, chat log, pacing and connection (see convo.h). */
#include "gui/convo.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "gui/logview.h"
#include "gui/messages.h"
#include "gui/text.h"
#include "resources/resource.h"
#include "win/clock.h"

#define CONVO_COUNTER_FROM 100 /* bytes left when the counter appears */
#define INPUT_LIMIT CONVO_INPUT_LIMIT

static unsigned long long now_ms(void)
{
    return GetTickCount64();
}

/* --- what the user is told ------------------------------------------------ */

/* A problem with what is in the send box: a balloon at the box. */
static void tell_input(Convo *c, const char *text)
{
    balloon_show(&c->balloon, c->input, "Not sent", text);
    MessageBeep(MB_ICONWARNING);
}

/* How many bytes the send box has left, shown near the limit only; true
 * when the counter appeared or went. */
static bool show_counter(Convo *c)
{
    wchar_t wide[INPUT_LIMIT + 1];
    char utf8[INPUT_LIMIT * 3 + 1], text[80] = "";
    GetWindowTextW(c->input, wide, INPUT_LIMIT + 1);
    int left = COMPOSE_MAX_BYTES - (int)text_wide_to_utf8(wide, utf8, sizeof utf8);
    if (left < 0)
        snprintf(text, sizeof text, "%d byte%s too long", -left, left == -1 ? "" : "s");
    else if (left <= CONVO_COUNTER_FROM)
        snprintf(text, sizeof text, "%d byte%s left", left, left == 1 ? "" : "s");
    wchar_t w[80];
    text_utf8_to_wide(text, w, 80);
    BOOL show = text[0] != 0;
    if (show)
        SetWindowTextW(c->counter, w);
    if (IsWindowVisible(c->counter) == show)
        return false;
    ShowWindow(c->counter, show ? SW_SHOWNA : SW_HIDE);
    return true;
}

bool convo_input_changed(Convo *c)
{
    balloon_hide(&c->balloon); /* it was about what the box held before */
    return show_counter(c);
}

/* The connection part, the pending count and the Send button, updated only
 * when something about them changed. */
static void show_connection(Convo *c)
{
    char text[600];
    ConnFacts f;
    net_facts(&c->net, &f);
    f.user = c->pacer.name;
    f.pending = pacer_pending(&c->pacer);
    conn_status(&f, text, sizeof text);
    statusbar_set(c->bar, STATUS_CONNECTION, text);
    BOOL can_send = net_connected(&c->net);
    if (IsWindowEnabled(c->send) != can_send)
        EnableWindow(c->send, can_send);
}

/* --- the chat log ----------------------------------------------------------- */

/* Puts a line into the chat view; it paints once per batch (log_flush). */
static void log_add(Convo *c, const char *line, size_t len, LineEnd end, bool local)
{
    logview_add_line(c->log, line, len, end, local, c->pacer.name);
}

/* The lines added since the last flush are painted together. */
static void log_flush(Convo *c)
{
    logview_flush(c->log);
    c->stats->line_us = win_clock_us();
}

/* One of our own notices in the log ("--- Connected to ..."), at once. */
static void notice(Convo *c, const char *text)
{
    char line[1600];
    int n = snprintf(line, sizeof line, "--- %s", text);
    log_add(c, line, n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1,
            LINE_WHOLE, true);
    log_flush(c);
}

void convo_notice(Convo *c, const char *text)
{
    notice(c, text);
}

DWORD convo_save_log(Convo *c, const wchar_t *path)
{
    int len = GetWindowTextLengthW(c->log);
    wchar_t *wide = malloc(((size_t)len + 1) * sizeof *wide);
    int bytes = 0;
    char *utf8 = NULL;
    DWORD err = ERROR_NOT_ENOUGH_MEMORY, put = 0;
    if (wide) {
        len = GetWindowTextW(c->log, wide, len + 1);
        bytes = len ? WideCharToMultiByte(CP_UTF8, 0, wide, len, NULL, 0, NULL, NULL) : 0;
        utf8 = malloc((size_t)bytes + 1);
    }
    if (utf8) {
        if (bytes)
            WideCharToMultiByte(CP_UTF8, 0, wide, len, utf8, bytes, NULL, NULL);
        HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                               FILE_ATTRIBUTE_NORMAL, NULL);
        if (f == INVALID_HANDLE_VALUE) {
            err = GetLastError();
        } else {
            err = WriteFile(f, utf8, (DWORD)bytes, &put, NULL) && put == (DWORD)bytes
                      ? ERROR_SUCCESS
                      : GetLastError();
            if (!CloseHandle(f) && err == ERROR_SUCCESS)
                err = GetLastError();
            if (err != ERROR_SUCCESS)
                DeleteFileW(path); /* no half-written log left behind */
        }
    }
    free(utf8);
    free(wide);
    return err;
}

void convo_clear_log(Convo *c)
{
    logview_clear(c->log);
}

/* --- pacing and sending ------------------------------------------------------ */

/* Sends whatever the pacer allows now, then arms the timer for its next
 * deadline. */
static void pump(Convo *c)
{
    const char *msg;
    size_t len;
    while (net_connected(&c->net) && pacer_next(&c->pacer, now_ms(), &msg, &len)) {
        if (!net_send_line(&c->net, msg, len))
            break; /* the session is lost; the message stays queued */
    }
    KillTimer(c->hwnd, CONVO_TIMER_PACE);
    unsigned long long dl = pacer_deadline(&c->pacer), now = now_ms();
    if (dl)
        SetTimer(c->hwnd, CONVO_TIMER_PACE, dl > now ? (UINT)(dl - now) : 1, NULL);
    show_connection(c);
}

static void history_add(Convo *c, const char *utf8)
{
    if (c->hist_count == CONVO_HISTORY) {
        memmove(c->history[0], c->history[1], sizeof c->history[0] * (CONVO_HISTORY - 1));
        c->hist_count--;
    }
    snprintf(c->history[c->hist_count++], sizeof c->history[0], "%s", utf8);
    c->hist_pos = c->hist_count;
}

void convo_send(Convo *c)
{
    wchar_t wide[INPUT_LIMIT + 1];
    char utf8[INPUT_LIMIT * 3 + 1], why[300];

    GetWindowTextW(c->input, wide, INPUT_LIMIT + 1);
    text_wide_to_utf8(wide, utf8, sizeof utf8);
    size_t len = strlen(utf8);
    ComposeCheck check = compose_check(utf8, len);

    if (check == COMPOSE_EMPTY)
        return;
    if (!net_connected(&c->net)) {
        tell_input(c, "Not connected: the message stays in the box until it can be sent.");
        return;
    }
    if (check == COMPOSE_QUIT) {
        unsigned gen = c->session_gen;
        int answer = MessageBoxW(c->hwnd,
                                 L"The message contains /quit: the server ends your session "
                                 L"when it sees that.\n\nSend it anyway?",
                                 L"Chat", MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2);
        if (answer != IDYES)
            return;
        /* The box was modal: the connection may have been lost meanwhile. A
         * /quit queued while offline would end whichever session comes
         * next, on this server or another one. */
        if (!net_connected(&c->net) || c->session_gen != gen) {
            tell_input(c, "The connection was lost or changed meanwhile: the message stays in "
                          "the box.");
            return;
        }
    } else if (check != COMPOSE_OK) {
        compose_explain(check, len, why, sizeof why);
        tell_input(c, why);
        return;
    }
    if (!pacer_push(&c->pacer, utf8, len)) {
        tell_input(c, "Too many messages are waiting for the server: try again in a moment.");
        return;
    }
    balloon_hide(&c->balloon);
    history_add(c, utf8);
    SetWindowTextW(c->input, L"");
    pump(c);
}

/* Up and Down in the send box recall earlier messages; what was being
 * typed is kept as the newest entry, so Down comes back to it. */
static LRESULT CALLBACK input_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id,
                                   DWORD_PTR data)
{
    Convo *c = (Convo *)data;
    (void)id;
    if (msg == WM_KEYDOWN && (wp == VK_UP || wp == VK_DOWN) && c->hist_count > 0) {
        wchar_t w[INPUT_LIMIT + 1] = L"";
        if (c->hist_pos == c->hist_count) { /* leaving the draft: keep it */
            GetWindowTextW(hwnd, w, INPUT_LIMIT + 1);
            text_wide_to_utf8(w, c->draft, sizeof c->draft);
        }
        if (wp == VK_UP && c->hist_pos > 0)
            c->hist_pos--;
        else if (wp == VK_DOWN && c->hist_pos < c->hist_count)
            c->hist_pos++;
        text_utf8_to_wide(c->hist_pos < c->hist_count ? c->history[c->hist_pos] : c->draft, w,
                          INPUT_LIMIT + 1);
        SetWindowTextW(hwnd, w);
        int end = GetWindowTextLengthW(hwnd);
        SendMessageW(hwnd, EM_SETSEL, end, end);
        return 0;
    }
    if (msg == WM_KILLFOCUS)
        balloon_hide(&c->balloon);
    if (msg == WM_NCDESTROY)
        RemoveWindowSubclass(hwnd, input_proc, 1);
    return DefSubclassProc(hwnd, msg, wp, lp);
}

/* --- what the connection reports ---------------------------------------------- */

/* The log's story of the connection. A session counts as connected once
 * the server accepted it (a first line that is no refusal, or
 * CONVO_ACCEPT_MS without being closed): a server that accepts and closes
 * at once, or refuses the name, is a failed attempt, told once. */
static void tell_story(Convo *c)
{
    char text[800];
    ConnFacts f;
    net_facts(&c->net, &f);
    f.user = c->pacer.name;
    if (f.phase == CONN_CONNECTED && !c->accepted)
        f.phase = CONN_CONNECTING;
    if (conn_story_change(&c->story, &f, text, sizeof text))
        notice(c, text);
}

static void on_accepted(Convo *c)
{
    KillTimer(c->hwnd, CONVO_TIMER_ACCEPT);
    if (c->accepted || !net_connected(&c->net) || c->net.refusal[0])
        return;
    c->accepted = true;
    tell_story(c);
}

static void on_line(void *ctx, const char *line, size_t len, LineEnd end)
{
    Convo *c = ctx;
    /* The refusal is the session's first line; a line like it later is
     * someone's text (the original server passes newlines on). */
    bool first = c->session_lines++ == 0 && end == LINE_WHOLE;
    const char *why = NULL;
    bool refused = first && proto_is_refusal(line, len, &why);
    c->name_taken = first && proto_is_name_taken(line, len, c->pacer.name);
    if (refused) {
        /* Not connected after all: the close that follows says why, and
         * the line itself is not logged again on every retry. */
        net_refused(&c->net, why);
        if (c->accepted) { /* the timer took the silence for a welcome */
            c->accepted = false;
            c->story.last = CONN_CONNECTING;
        }
        bool again = strcmp(c->last_refusal, why) == 0;
        snprintf(c->last_refusal, sizeof c->last_refusal, "%s", why);
        if (again)
            return;
    }
    if (c->session_lines == 1 && !c->name_taken && !refused) {
        c->last_refusal[0] = '\0';
        c->was_in_chat = true; /* accepted under this name */
        c->ghost_told = false; /* a later refusal is news again */
        on_accepted(c);        /* "--- Connected" before the join line */
    }
    /* The welcome lines (who is in the chat, where the server's shared
     * memory is) show in the people list, not in the log. */
    bool welcome = end == LINE_WHOLE && roster_line(&c->roster, line, len);
    if (!welcome)
        log_add(c, line, len, end, false);
    pacer_on_line(&c->pacer, line, len, now_ms());
    if (compose_line_kind(line, len) == LINE_CHAT)
        c->chat_lines++;
    /* Someone else spoke: the taskbar button flashes at the end of the
     * read if we are elsewhere (once a read: a flood of lines made one
     * FlashWindowEx, a round trip to the server under Wine, per line). */
    if (compose_line_kind(line, len) == LINE_CHAT && !compose_is_from(line, len, c->pacer.name))
        c->flash_due = true;
}

/* The end of one read: the lines go into the log together, then whatever
 * their echoes released is sent. */
static void on_batch_end(void *ctx)
{
    Convo *c = ctx;
    roster_batch_end(&c->roster);
    log_flush(c);
    if (c->flash_due && GetForegroundWindow() != c->hwnd) {
        FLASHWINFO fi = {sizeof fi, c->hwnd, FLASHW_TRAY | FLASHW_TIMERNOFG, 0, 0};
        FlashWindowEx(&fi);
    }
    c->flash_due = false;
    pump(c);
}

/* The session is over, whoever ended it: the pacer goes offline (its
 * message in flight kept), the notes say what the user should know, and a
 * /quit that went out or waits at the front is the user leaving: it is
 * dropped, never sent to the next session. Returns true for that. */
static bool session_over(Convo *c)
{
    if (pacer_state(&c->pacer) == PACER_OFFLINE)
        return false;
    pacer_session_end(&c->pacer);
    size_t len;
    const char *front = pacer_pending_at(&c->pacer, 0, &len);
    /* The user confirmed a message with /quit and the server ended the
     * session on it (however late: the echo wait may have taken it off the
     * queue long before): that is leaving, not a lost connection to repair
     * by sending it again. */
    bool quit_front = front && proto_is_quit(front, len);
    if (!pacer_quit_sent(&c->pacer) && !quit_front)
        return false;
    if (quit_front)
        pacer_drop_front(&c->pacer);
    c->name_taken = false;
    notice(c, "You left the chat (/quit). File > Connect... joins again.");
    return true;
}

static void on_state(void *ctx)
{
    Convo *c = ctx;
    bool connected = net_connected(&c->net);
    if (connected && pacer_state(&c->pacer) == PACER_OFFLINE) {
        pacer_session_start(&c->pacer, now_ms());
        roster_session(&c->roster, c->pacer.name);
        c->session_started_ms = now_ms();
        c->session_lines = 0;
        c->session_gen++;
        c->accepted = false;
        SetTimer(c->hwnd, CONVO_TIMER_ACCEPT, CONVO_ACCEPT_MS, NULL);
    } else if (!connected && session_over(c))
        net_disconnect(&c->net, false); /* stop retrying; reported back as NET_OFF */
    else if (!connected && c->name_taken) {
        c->name_taken = false;
        if (c->was_in_chat) {
            /* We were in this chat under this name: most likely the server
             * still holds our own earlier session (a dropped network, a
             * sleep), which it drops in time. Retrying goes on. */
            if (!c->ghost_told)
                notice(c, "The server still counts you in the chat from before: retrying "
                          "until it lets that session go (File > Connect... to choose "
                          "another name).");
            c->ghost_told = true;
        } else {
            /* Someone else has the name: retrying it would be refused again
             * and again. Stop, and let the window ask for another (a
             * dialog, opened from its own message, not from here). */
            net_disconnect(&c->net, false);
            PostMessageW(c->hwnd, WM_APP_NAME_TAKEN, 0, 0);
        }
    }
    if (!connected) {
        c->accepted = false;
        KillTimer(c->hwnd, CONVO_TIMER_ACCEPT);
    }
    tell_story(c);
    pump(c);
    if (c->ev.changed)
        c->ev.changed(c->ev.ctx); /* from net's report: never inside a convo_* call */
}

/* --- life cycle ----------------------------------------------------------------- */

bool convo_init(Convo *c, const ConvoControls *ctl, const ConvoEvents *events,
                StatusBar *bar, ChatStats *stats)
{
    NetEvents ev = {c, on_line, on_batch_end, on_state};
    HWND input = ctl->input, log = ctl->log;
    memset(c, 0, sizeof *c);
    c->hwnd = ctl->hwnd;
    c->log = log;
    c->input = input;
    c->send = ctl->send;
    c->counter = ctl->counter;
    c->ev = *events;
    balloon_init(&c->balloon, c->hwnd);
    roster_init(&c->roster);
    c->bar = bar;
    c->stats = stats;
    SendMessageW(input, EM_SETLIMITTEXT, INPUT_LIMIT, 0);
    SendMessageW(input, EM_SETCUEBANNER, TRUE, (LPARAM)L"Type a message and press Enter");
    SetWindowSubclass(input, input_proc, 1, (DWORD_PTR)c);
    pacer_init(&c->pacer, "");
    return net_init(&c->net, c->hwnd, &ev, stats);
}

/* What was typed for one server and name and is still queued must never go
 * to another server or under another name: each message is written into the
 * log as not sent (Up recalls it too), the queue is cleared, and the status
 * bar says so. Offline only (the pacer's queue is the pacer's). */
_Static_assert(COMPOSE_UNSENT_MAX >= 96 + CLIENT_HOST_MAX - 1 + 5 + PROTO_NAME_BUF - 1 +
                                        PACER_MSG_MAX,
               "a whole host, name and pending message fit an unsent line");

static void set_aside_unsent(Convo *c)
{
    int n = pacer_pending(&c->pacer);
    char line[COMPOSE_UNSENT_MAX + 1], note[CLIENT_HOST_MAX + PROTO_NAME_BUF + 200];

    for (int i = 0; i < n; i++) {
        size_t len;
        const char *msg = pacer_pending_at(&c->pacer, i, &len);
        /* The one that went out without an echo may have arrived. */
        bool maybe = i == 0 && pacer_front_sent(&c->pacer);
        log_add(c, line,
                compose_unsent(line, sizeof line, maybe, c->net.host, c->net.port,
                               c->pacer.name, msg, len),
                LINE_WHOLE, true);
    }
    log_flush(c);
    snprintf(note, sizeof note, "%d message%s typed for %s:%u as %s %s not sent (above).", n,
             n == 1 ? "" : "s", c->net.host, c->net.port, c->pacer.name,
             n == 1 ? "was" : "were");
    pacer_clear(&c->pacer);
    notice(c, note);
}

void convo_connect(Convo *c, const char *host, unsigned short port, const char *user)
{
    char name[PROTO_NAME_BUF];
    bool same_audience;

    pacer_server_name(user, name);
    same_audience = _stricmp(host, c->net.host) == 0 && port == c->net.port &&
                    strcmp(name, c->pacer.name) == 0;
    if (c->net.state == NET_CONNECTED) { /* leaving a chat is worth a line */
        char where[CLIENT_HOST_MAX + 16], text[CLIENT_HOST_MAX + 64];
        client_format_server(where, sizeof where, c->net.host, c->net.port);
        snprintf(text, sizeof text, "Disconnected from %s.", where);
        notice(c, text);
    }
    net_disconnect(&c->net, true);
    session_over(c); /* we ended it: net reports it later */
    /* Offline now: the same server and name get what is queued (sent again
     * if it was in flight, as after any lost connection); anyone else gets
     * none of it. */
    if (!same_audience && pacer_pending(&c->pacer) > 0)
        set_aside_unsent(c);
    if (!same_audience) { /* another server's last line is not this one's */
        c->roster.last[0] = '\0';
        c->roster.have_last = false;
    }
    pacer_set_name(&c->pacer, user);
    c->name_taken = c->ghost_told = c->was_in_chat = false;
    c->session_gen++;
    /* The hello carries the name exactly as the pacer expects to see it in
     * the join line and the echoes, whichever server cleans it. */
    net_connect(&c->net, host, port, c->pacer.name);
    char text[800];
    ConnFacts f;
    net_facts(&c->net, &f);
    f.user = c->pacer.name;
    conn_story_start(&c->story, &f, text, sizeof text);
    notice(c, text);
    show_connection(c);
}

void convo_disconnect(Convo *c)
{
    char where[CLIENT_HOST_MAX + 16], text[CLIENT_HOST_MAX + 64];
    bool was_on = c->net.state != NET_OFF;
    net_disconnect(&c->net, true);
    session_over(c); /* we ended it: net reports it later */
    if (was_on) {
        client_format_server(where, sizeof where, c->net.host, c->net.port);
        snprintf(text, sizeof text, "Disconnected from %s (File > Connect... to connect).",
                 where);
        notice(c, text);
    }
    pump(c);
}

void convo_retry_now(Convo *c)
{
    net_retry_now(&c->net);
}

void convo_close(Convo *c)
{
    KillTimer(c->hwnd, CONVO_TIMER_PACE);
    KillTimer(c->hwnd, CONVO_TIMER_ACCEPT);
    balloon_free(&c->balloon);
    net_disconnect(&c->net, true);
    net_free(&c->net);
    roster_free(&c->roster);
}

NetState convo_net_state(const Convo *c)
{
    return c->net.state;
}

unsigned convo_attempt(const Convo *c)
{
    return backoff_attempt(&c->net.backoff);
}

int convo_pending(const Convo *c)
{
    return pacer_pending(&c->pacer);
}

bool convo_can_disconnect(const Convo *c)
{
    return c->net.state != NET_OFF;
}

bool convo_handle(Convo *c, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_APP_RESOLVED:
        net_on_resolved(&c->net, wp, lp);
        return true;
    case WM_APP_SOCKET:
        net_on_socket(&c->net, wp, lp);
        return true;
    case WM_APP_NET:
        net_on_posted(&c->net);
        return true;
    case WM_TIMER:
        if (wp == NET_TIMER_CONNECT || wp == NET_TIMER_RETRY || wp == NET_TIMER_READ) {
            net_on_timer(&c->net, wp);
            return true;
        }
        if (wp == CONVO_TIMER_PACE) {
            pump(c);
            return true;
        }
        if (wp == CONVO_TIMER_ACCEPT) {
            /* A server that refused us last time says so again, however
             * slowly: only a first line that is no refusal is taken for
             * being let in (a flooded server was seen taking over a second
             * to say "full", and each retry told "Reconnected"). */
            if (c->last_refusal[0] == '\0')
                on_accepted(c);
            else
                KillTimer(c->hwnd, CONVO_TIMER_ACCEPT);
            return true;
        }
        if (wp == BALLOON_TIMER) {
            balloon_on_timer(&c->balloon);
            return true;
        }
        return false;
    default:
        return false;
    }
}
