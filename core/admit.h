/* admit.h: who may hold a connection that has not said hello yet.
 *
 * A connection counts here from its accept until its hello is answered (it
 * joins, or is refused) or it ends: at most `per_address` at once from one
 * address and `total` in all, apart from the joined clients' --max-clients.
 * So silent connections, however many one address opens, can neither fill
 * the chat nor keep another address from joining: past its own share an
 * address is refused at once, while every other address still has room.
 *
 * Addresses are 16-byte keys (IPv6, an IPv4 address as ::ffff:a.b.c.d), so
 * a dual-stack socket's mapped addresses count with their IPv4 form.
 *
 * Contract: platform-free; one allocation of `total` slots at admit_init;
 * not thread-safe (the server calls it under its list lock). */
#ifndef CHAT_CORE_ADMIT_H
#define CHAT_CORE_ADMIT_H

#include <stdbool.h>

#define ADMIT_KEY_SIZE 16

typedef enum AdmitResult {
    ADMIT_OK,
    ADMIT_ADDRESS_FULL, /* this address holds per_address already */
    ADMIT_ALL_FULL,     /* `total` are waiting in all */
} AdmitResult;

typedef struct AdmitSlot {
    unsigned char key[ADMIT_KEY_SIZE];
    int n; /* 0: free */
} AdmitSlot;

typedef struct Admit {
    AdmitSlot *slots; /* one per address with a connection waiting */
    int total, per_address;
    int waiting;      /* connections counted, all addresses */
} Admit;

/* False when out of memory. per_address and total at least 1. */
bool admit_init(Admit *a, int per_address, int total);
void admit_free(Admit *a);

/* A connection from `key` wants to wait for its hello. */
AdmitResult admit_enter(Admit *a, const unsigned char key[ADMIT_KEY_SIZE]);

/* A connection admitted from `key` joined, was refused, or ended. */
void admit_leave(Admit *a, const unsigned char key[ADMIT_KEY_SIZE]);

/* Connections waiting from `key` (0 when none). */
int admit_count(const Admit *a, const unsigned char key[ADMIT_KEY_SIZE]);

/* An IPv4 address (4 bytes, network order) as its key. */
void admit_key_ipv4(unsigned char key[ADMIT_KEY_SIZE], const unsigned char addr[4]);

#endif
