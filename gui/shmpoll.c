/* shmpoll.c: the client's shared-state tick (see shmpoll.h). */
#include "gui/shmpoll.h"

#include <stdio.h>
#include <windows.h>

void shmpoll_init(ShmPoll *p, const char *name, ChatStats *stats)
{
    p->stats = stats;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->shm = NULL;
    p->server.alive = NULL;
    p->next_attach_ms = p->next_alive_ms = 0;
    p->recovered_until_ms = 0;
    view_init(&p->view);
}

static void try_attach(ShmPoll *p, unsigned long long now)
{
    char why[300];

    p->next_attach_ms = now + SHMPOLL_ATTACH_PERIOD_MS;
    p->stats->attaches++;
    ShmResult r = shm_attach(p->name, &p->shm);
    if (r.status == SHM_E_NO_SERVER)
        view_update(&p->view, VIEW_WAITING, NULL, NULL);
    else if (SHM_FAILED(r))
        view_update(&p->view, VIEW_ERROR, NULL, shm_strerror(r, why, sizeof why));
    else if (presence_watch_open(&p->server, p->name)) {
        /* Other clients keep a dead server's segment and mutex in existence:
         * ask at once, or its stale state would show as live. */
        if (!presence_watch_alive(&p->server)) {
            shmpoll_close(p);
            view_update(&p->view, VIEW_WAITING, NULL, NULL);
            return;
        }
        p->next_alive_ms = now + SHMPOLL_ATTACH_PERIOD_MS;
    }
}

/* Once a second: the segment outlives its server while we hold it, so ask
 * whether the server still runs (shm/presence.h). When it does not, let go
 * of the segment and wait for a server again. The original server has no
 * such sign: then nothing is asked. */
static void check_server(ShmPoll *p, unsigned long long now)
{
    if (p->server.alive == NULL || now < p->next_alive_ms)
        return;
    p->next_alive_ms = now + SHMPOLL_ATTACH_PERIOD_MS;
    if (presence_watch_alive(&p->server))
        return;
    shmpoll_close(p);
    p->next_attach_ms = now + SHMPOLL_ATTACH_PERIOD_MS; /* not straight back */
    view_update(&p->view, VIEW_WAITING, NULL, NULL);
}

void shmpoll_tick(ShmPoll *p, unsigned long long now)
{
    SharedChatData snap;
    char why[300];

    if (p->shm == NULL) {
        if (now < p->next_attach_ms)
            return;
        try_attach(p, now);
        if (p->shm == NULL)
            return;
    } else {
        check_server(p, now);
        if (p->shm == NULL)
            return;
    }
    ShmResult r = shm_snapshot(p->shm, SHMPOLL_LOCK_TIMEOUT_MS, &snap);
    switch (r.status) {
    case SHM_OK:
        p->stats->snapshots++;
        view_update(&p->view, now < p->recovered_until_ms ? VIEW_RECOVERED : VIEW_LIVE, &snap,
                    NULL);
        break;
    case SHM_ABANDONED:
        p->stats->snapshots++;
        p->stats->recovered++;
        p->recovered_until_ms = now + SHMPOLL_RECOVERED_SHOW_MS;
        view_update(&p->view, VIEW_RECOVERED, &snap, NULL);
        break;
    case SHM_E_BUSY:
        p->stats->busy++;
        view_update(&p->view, VIEW_BUSY, NULL, NULL);
        break;
    default: /* the handles went bad: start over */
        view_update(&p->view, VIEW_ERROR, NULL, shm_strerror(r, why, sizeof why));
        shmpoll_close(p);
        break;
    }
}

void shmpoll_close(ShmPoll *p)
{
    shm_close(p->shm);
    p->shm = NULL;
    presence_watch_close(&p->server);
}
