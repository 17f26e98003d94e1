/* shm_compat.c: the original system's init_shared_memory() and
 * cleanup_shared_memory(), on top of the instance API (see shm.h). */
#include "shm/shm.h"

static ChatShm *default_shm;

bool init_shared_memory(void)
{
    if (default_shm)
        return true;
    return !SHM_FAILED(shm_create(SHM_DEFAULT_NAME, &default_shm));
}

void cleanup_shared_memory(void)
{
    shm_close(default_shm);
    default_shm = NULL;
}

ChatShm *shm_default(void)
{
    return default_shm;
}
