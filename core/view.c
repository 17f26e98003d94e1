/* view.c: the client's view of the shared state (see view.h). */
#include "core/view.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

void view_init(ViewState *v)
{
    memset(v, 0, sizeof *v);
    v->link = VIEW_WAITING;
}

void view_update(ViewState *v, ViewLink link, const SharedChatData *snap,
                 const char *error)
{
    const char *why = error ? error : "";
    /* A longer reason is cut on a character boundary, not at a byte: the
     * status bar text must stay UTF-8 (fuzz_utf8 found the split). */
    size_t n = utf8_cut(why, strlen(why), sizeof v->error - 1);

    v->link = link;
    memcpy(v->error, why, n);
    v->error[n] = '\0';
    if (snap) {
        v->have_data = true;
        v->count = snap->connectedClients;
        /* The copy is made safe already; terminate again anyway, since this
         * module must not depend on its caller for memory safety. */
        memcpy(v->message, snap->lastMessage, sizeof v->message);
        v->message[sizeof v->message - 1] = '\0';
    } else if (link != VIEW_BUSY) {
        v->have_data = false;
        v->count = 0;
        v->message[0] = '\0';
    }
}

void view_from_server(ViewState *v, int count, const char *last)
{
    size_t n = strlen(last);
    n = utf8_cut(last, n, sizeof v->message - 1);
    v->link = count < 0 ? VIEW_SERVER_NO_COUNT : VIEW_SERVER;
    v->error[0] = '\0';
    v->have_data = true;
    v->count = count < 0 ? 0 : count;
    memcpy(v->message, last, n);
    v->message[n] = '\0';
}

void view_unknown(ViewState *v, ViewLink link)
{
    v->link = link;
    v->error[0] = '\0';
    v->have_data = false;
    v->count = 0;
    v->message[0] = '\0';
}

bool view_count_plausible(int count)
{
    return count >= 0 && count <= VIEW_COUNT_MAX;
}

void view_label(const ViewState *v, char *out, size_t size)
{
    if (v->link == VIEW_SERVER_NO_COUNT)
        snprintf(out, size, "Connected clients: \xE2\x80\x94 (the server does not say)");
    else if (v->link == VIEW_SERVER_PENDING)
        snprintf(out, size, "Connected clients: \xE2\x80\x94 (asking the server)");
    else if (v->link == VIEW_ELSEWHERE)
        snprintf(out, size, "Connected clients: \xE2\x80\x94 (not connected)");
    else if (!v->have_data)
        snprintf(out, size, "Connected clients: \xE2\x80\x94 (%s)",
                 v->link == VIEW_ERROR ? "shared memory unavailable" : "server not running");
    else if (!view_count_plausible(v->count))
        snprintf(out, size, "Connected clients: %d (invalid)", v->count);
    else
        snprintf(out, size, "Connected clients: %d", v->count);
}

void view_status(const ViewState *v, char *out, size_t size)
{
    const char *state;
    switch (v->link) {
    case VIEW_WAITING: state = "no chat server on this machine"; break;
    case VIEW_LIVE: state = "live"; break;
    case VIEW_BUSY: state = "busy (showing the last copy)"; break;
    case VIEW_RECOVERED: state = "recovered from an abandoned lock"; break;
    case VIEW_SERVER:
        snprintf(out, size, "From the server: live");
        return;
    case VIEW_SERVER_NO_COUNT:
        snprintf(out, size, "From the server (people unknown)");
        return;
    case VIEW_SERVER_PENDING:
    case VIEW_ELSEWHERE:
        out[0] = '\0';
        return;
    default: state = "error"; break;
    }
    int n = snprintf(out, size, "Shared memory: %s", state);
    if (n < 0 || (size_t)n >= size)
        return;
    if (v->link == VIEW_ERROR)
        snprintf(out + n, size - (size_t)n, ": %s", v->error);
    else if (v->have_data && !view_count_plausible(v->count))
        snprintf(out + n, size - (size_t)n, "; warning: the segment holds an invalid "
                 "client count (%d)", v->count);
}

const char *view_message(const ViewState *v)
{
    return v->have_data ? v->message : "";
}

bool view_message_cut(const ViewState *v)
{
    /* Writers cut on a character (utf8_cut), so a longer text cut there
     * ends up to 3 bytes short of the field: 1020 bytes may be cut. */
    return strlen(view_message(v)) >= SHM_MESSAGE_MAX - 3;
}

void view_texts(const ViewState *v, ViewTexts *out)
{
    view_label(v, out->label, sizeof out->label);
    view_status(v, out->status, sizeof out->status);
    snprintf(out->message, sizeof out->message, "%s", view_message(v));
    out->message_cut = view_message_cut(v);
}

ViewChanges view_texts_diff(const ViewTexts *before, const ViewTexts *after)
{
    ViewChanges c;
    c.label = strcmp(before->label, after->label) != 0;
    c.message = strcmp(before->message, after->message) != 0 ||
                before->message_cut != after->message_cut;
    c.status = strcmp(before->status, after->status) != 0;
    return c;
}

ViewChanges view_diff(const ViewState *before, const ViewState *after)
{
    ViewTexts a, b;
    view_texts(before, &a);
    view_texts(after, &b);
    return view_texts_diff(&a, &b);
}
