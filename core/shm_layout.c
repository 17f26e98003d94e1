/* shm_layout.c: platform-free rules for the shared chat state's bytes. */
#include "core/shm_layout.h"

#include <limits.h>
#include <string.h>

#include "core/utf8.h"

void shm_layout_init(SharedChatData *d)
{
    memset(d, 0, sizeof *d);
    memcpy(d->lastMessage, SHM_INITIAL_MESSAGE, sizeof SHM_INITIAL_MESSAGE);
}

size_t shm_layout_set_message(SharedChatData *d, const char *text, size_t len)
{
    size_t n = utf8_cut(text, len, SHM_MESSAGE_MAX);

    memcpy(d->lastMessage, text, n);
    memset(d->lastMessage + n, 0, SHM_MESSAGE_SIZE - n);
    return n;
}

size_t shm_layout_make_safe(SharedChatData *d)
{
    d->lastMessage[SHM_MESSAGE_MAX] = '\0';
    return strlen(d->lastMessage);
}

int shm_layout_step_count(int count, int delta)
{
    if (count < 0)
        return count; /* already wrong: do not make it look plausible */
    if (delta > 0)
        return count == INT_MAX ? count : count + 1;
    if (delta < 0)
        return count == 0 ? 0 : count - 1;
    return count;
}

/* prefix + name + suffix into out, all of it or nothing. */
static bool join_name(const char *prefix, const char *name, const char *suffix, char *out,
                      size_t size)
{
    size_t p = strlen(prefix), n = strlen(name), s = strlen(suffix);
    size_t need = p + n + s + 1; /* includes the NUL */

    if (n == 0 || need > SHM_NAME_MAX || need > size) {
        if (size > 0)
            out[0] = '\0';
        return false;
    }
    memcpy(out, prefix, p);
    memcpy(out + p, name, n);
    memcpy(out + p + n, suffix, s + 1);
    return true;
}

bool shm_layout_mutex_name(const char *name, char *out, size_t size)
{
    return join_name("", name, SHM_MUTEX_SUFFIX, out, size);
}

bool shm_layout_object_name(const char *name, const char *suffix, char *out, size_t size)
{
    return join_name(strchr(name, '\\') ? "" : SHM_NAMESPACE, name, suffix, out, size);
}
