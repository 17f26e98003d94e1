/* presence.h: whether a chat server runs on a shared-memory name, and the
 * request that it stop, in one place. Two named objects beside the segment:
 *   NAME + SHM_ALIVE_SUFFIX, a mutex the running server owns: free or
 *     abandoned means no server (the segment outlives its server while
 *     clients hold it, so its existence says nothing);
 *   NAME + SHM_STOP_SUFFIX, a manual-reset event the server waits on:
 *     `chat_server --stop` sets it (Windows has no SIGTERM for console
 *     programs), and only a running server holds it, so it also tells that
 *     one already owns the name.
 *   NAME + "Instance" + a random hex id, an event that exists while the
 *     server runs: the id goes to its clients (core/proto.h), so a window on
 *     this machine can tell this segment is the one of the server it is
 *     connected to, and not another's of the same name.
 * All are private to the user (win/objsec.h); ones someone else made are
 * refused like a squatted segment.
 *
 * Three roles: the server claims both (presence_claim) and releases them at
 * its end; `--stop` asks (presence_request_stop); a client watches
 * (presence_watch_*).
 *
 * Contract: every wait is bounded; not thread-safe per object (one owner). */
#ifndef CHAT_SHM_PRESENCE_H
#define CHAT_SHM_PRESENCE_H

#include <stdbool.h>

#include "core/proto.h"
#include "shm/shm.h"

typedef struct ShmPresence {
    void *stop;     /* HANDLE: the stop event, for the server to wait on */
    void *alive;    /* HANDLE: the alive mutex, owned while the server runs */
    void *instance; /* HANDLE: NAME + "Instance" + `id` (core/proto.h), an
                       event that exists while this server runs */
    char id[PROTO_INSTANCE_HEX + 1]; /* random, hex: told to its clients */
} ShmPresence;

/* Server. Creates (or takes over, when a dead chat server left them) both
 * objects and takes the alive mutex. SHM_E_RUNNING when another chat server
 * runs on the name (its stop event exists, or its alive mutex is held);
 * SHM_E_FOREIGN, SHM_E_ACCESS... as shm_create says. On failure *p holds
 * nothing. */
ShmResult presence_claim(const char *name, ShmPresence *p);

/* Server's end: the alive mutex released (clients see the server gone) and
 * both closed. Safe on a zeroed ShmPresence. */
void presence_release(ShmPresence *p);

/* Only the alive mutex released, nothing closed: for a server that must
 * leave its handles to threads that may still wait on them. */
void presence_gone(ShmPresence *p);

/* `chat_server --stop`: sets the stop event. SHM_E_NO_SERVER when no
 * server runs on the name. */
ShmResult presence_request_stop(const char *name);

/* Client: true when a server running on this machine on `name` is the one
 * that said it is instance `id` (its instance object exists here). */
bool presence_is_instance(const char *name, const char *id);

/* Client. */
typedef struct ShmWatch {
    void *alive; /* HANDLE opened for SYNCHRONIZE, or NULL */
} ShmWatch;

/* Opens the alive mutex of `name` (false when there is none: no server). */
bool presence_watch_open(ShmWatch *w, const char *name);

/* True while the server holds its alive mutex; false once it is free or
 * abandoned (the server stopped or died). Never waits. */
bool presence_watch_alive(ShmWatch *w);

void presence_watch_close(ShmWatch *w);

#endif
