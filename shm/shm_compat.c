/* shm_compat.c: the original system's style of calls (see shm_compat.h),
 * on top of the instance API. */
#include "shm/shm_compat.h"

#include "shm/shm_int.h"

ShmResult shm_client_joined(ChatShm *shm)
{
    return shm__write(shm, SHM_OP_JOIN, 0, NULL, 0, shm->write_timeout_ms);
}

ShmResult shm_client_left(ChatShm *shm)
{
    return shm__write(shm, SHM_OP_LEAVE, 0, NULL, 0, shm->write_timeout_ms);
}

ShmResult shm_post_message(ChatShm *shm, const char *text, size_t len)
{
    return shm__write(shm, SHM_OP_POST, 0, text, len, shm->write_timeout_ms);
}


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
