/* admit.c: connections waiting for their hello, per address (see admit.h). */
#include "core/admit.h"

#include <stdlib.h>
#include <string.h>

bool admit_init(Admit *a, int per_address, int total)
{
    memset(a, 0, sizeof *a);
    a->per_address = per_address > 0 ? per_address : 1;
    a->total = total > 0 ? total : 1;
    a->slots = calloc((size_t)a->total, sizeof *a->slots);
    return a->slots != NULL;
}

void admit_free(Admit *a)
{
    free(a->slots);
    a->slots = NULL;
}

static AdmitSlot *find(const Admit *a, const unsigned char key[ADMIT_KEY_SIZE])
{
    for (int i = 0; i < a->total; i++)
        if (a->slots[i].n > 0 && memcmp(a->slots[i].key, key, ADMIT_KEY_SIZE) == 0)
            return &a->slots[i];
    return NULL;
}

AdmitResult admit_enter(Admit *a, const unsigned char key[ADMIT_KEY_SIZE])
{
    AdmitSlot *s = find(a, key);
    if (s && s->n >= a->per_address)
        return ADMIT_ADDRESS_FULL;
    if (a->waiting >= a->total)
        return ADMIT_ALL_FULL;
    /* Fewer than `total` wait, so a new address finds a free slot. */
    for (int i = 0; s == NULL && i < a->total; i++)
        if (a->slots[i].n == 0) {
            s = &a->slots[i];
            memcpy(s->key, key, ADMIT_KEY_SIZE);
        }
    s->n++;
    a->waiting++;
    return ADMIT_OK;
}

void admit_leave(Admit *a, const unsigned char key[ADMIT_KEY_SIZE])
{
    AdmitSlot *s = find(a, key);
    if (s == NULL)
        return; /* never admitted: nothing to give back */
    s->n--;
    a->waiting--;
}

int admit_count(const Admit *a, const unsigned char key[ADMIT_KEY_SIZE])
{
    const AdmitSlot *s = find(a, key);
    return s ? s->n : 0;
}

void admit_key_ipv4(unsigned char key[ADMIT_KEY_SIZE], const unsigned char addr[4])
{
    memset(key, 0, ADMIT_KEY_SIZE);
    key[10] = key[11] = 0xff;
    memcpy(key + 12, addr, 4);
}
