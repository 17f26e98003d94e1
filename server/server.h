/* server.h: the chat server: accepts chat clients over TCP, runs each
 * one's session with the platform-free protocol engine (core/session.h)
 * against the chat-wide room (core/room.h), and keeps the shared chat state
 * (shm/shm.h) current. This file's code owns the threads, the sockets, the
 * queues, the segment and the exit codes; the protocol rules are the
 * engine's.
 *
 * Threads: the main thread accepts and writes the shared segment (the
 * client threads only change the state in memory and wake it), and one
 * thread per client runs its session. A client thread
 * owns its socket and is the only one to read, write or close it; other
 * threads only append to the client's bounded outgoing queue and wake it.
 * The client list lock is held only to walk the list and append to queues,
 * never across a socket call; the shared-memory mutex only for the copy,
 * by the main thread, waited for at most SERVER_SHM_WAIT_MS.
 *
 * Contract: server_run blocks until server_request_stop (from any thread,
 * including a console control handler) and then shuts down in under a
 * second: every client gets PROTO_LINE_SHUTDOWN, every session ends between
 * two messages, every socket is closed. server_close then takes back the
 * count this server added to the shared state and frees everything; no
 * client thread outlives what it uses, and nothing is logged after the
 * "stopped" line. */
#ifndef CHAT_SERVER_SERVER_H
#define CHAT_SERVER_SERVER_H

#include "core/server_opts.h"

/* Per-client outgoing queue bound; a client past it is disconnected. */
#define SERVER_QUEUE_CAP (256 * 1024)

/* How long the main thread waits for the shared segment's lock at a time,
 * and how often it retries while another process holds it. */
#define SERVER_SHM_WAIT_MS 20
#define SERVER_SHM_RETRY_MS 100

/* After a write of the segment, changes that follow within this long are
 * gathered into one write at its end: a busy chat costs the segment at
 * most one lock and copy (and the main thread one wake) per settle, not per
 * line. Readers poll every 100 ms by default; this is far below that. */
#define SERVER_SHM_SETTLE_MS 5

/* While bytes wait for a client's full socket, send() is tried again this
 * long after the last try, doubling up to the max, FD_WRITE or not
 * (server.c, write_retry). */
#define SERVER_WRITE_RETRY_MIN_MS 50
#define SERVER_WRITE_RETRY_MAX_MS 1000

/* Stopping: each client gets this long to take its shutdown line, and the
 * server waits this long for all of them (then it ends without freeing what
 * a stuck thread could still touch). */
#define SERVER_STOP_DRAIN_MS 300
#define SERVER_STOP_WAIT_MS 700

typedef struct Server Server;

/* chat_server.exe's exit codes. 5 is never used: Wine reports a crashed
 * program to the shell as 5. */
enum {
    SERVER_EXIT_OK = 0,
    SERVER_EXIT_FAILURE = 1, /* Winsock, memory, or another system failure */
    SERVER_EXIT_USAGE = 2,   /* a bad option */
    SERVER_EXIT_RUNNING = 3, /* another chat server owns this shared memory */
    SERVER_EXIT_SHM = 4,     /* the shared memory's names are taken by objects
                                a chat server did not make, denied to us, or
                                the segment is too small */
    SERVER_EXIT_PORT = 6,    /* the port cannot be listened on (taken) */
};

/* Opens the shared memory and the listening socket. On failure prints one
 * line on stderr, sets *exit_code to one of the codes above and returns
 * NULL. Every named object it creates is private to the current user
 * (win/objsec.h). */
Server *server_open(const ServerOptions *opt, int *exit_code);

/* Serves until stopped, then shuts the sessions down. Returns 0. */
int server_run(Server *srv);

/* After server_run: frees the server (the shared state's count taken back),
 * logs "stopped" and closes the log. */
void server_close(Server *srv);

/* Safe from any thread, any number of times, until server_close. */
void server_request_stop(Server *srv);

#endif
