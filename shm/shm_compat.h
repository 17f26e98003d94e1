/* shm_compat.h: the shared-memory calls of the original system's style,
 * kept for code written against it, for the tests and for the benchmarks:
 * the product's server publishes the whole state at once (shm_publish).
 *
 * Contract: as shm.h's write calls (under the named mutex, waiting at most
 * the handle's write timeout); the default segment is process-wide and not
 * thread-safe to create or clean up. */
#ifndef CHAT_SHM_SHM_COMPAT_H
#define CHAT_SHM_SHM_COMPAT_H

#include <stdbool.h>
#include <stddef.h>

#include "shm/shm.h"

/* Count up / down by one under the lock. Down never goes below 0. The handle
 * remembers what it added, so shm_close can take it back. */
ShmResult shm_client_joined(ChatShm *shm);
ShmResult shm_client_left(ChatShm *shm);

/* lastMessage = text[0..len): at most 1023 bytes cut on a UTF-8 character
 * boundary, NUL-terminated (see shm_layout_set_message). */
ShmResult shm_post_message(ChatShm *shm, const char *text, size_t len);

/* The original system's interface, kept for code written against it: a
 * process-wide server-side segment named SHM_DEFAULT_NAME. init creates or
 * opens and initialises it (true on success; calling it again is a no-op);
 * cleanup closes it. shm_default() is that handle, or NULL. */
bool init_shared_memory(void);
void cleanup_shared_memory(void);
ChatShm *shm_default(void);

#endif
