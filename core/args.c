/* args.c: command-line toolkit (see args.h). */
#include "core/args.h"

#include "core/proto.h"

#include <stdio.h>
#include <string.h>

#include "core/shm_layout.h"

void args_init(ArgIter *it, int argc, char **argv)
{
    it->argc = argc;
    it->argv = argv;
    it->i = 1;
    it->opt[0] = '\0';
    it->inline_value = NULL;
}

bool args_next(ArgIter *it)
{
    if (it->i >= it->argc)
        return false;
    const char *arg = it->argv[it->i++];
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    if (n >= sizeof it->opt)
        n = sizeof it->opt - 1; /* an unknown option either way */
    memcpy(it->opt, arg, n);
    it->opt[n] = '\0';
    it->inline_value = eq ? eq + 1 : NULL;
    return true;
}

const char *args_value(ArgIter *it)
{
    if (it->inline_value)
        return it->inline_value;
    if (it->i < it->argc)
        return it->argv[it->i++];
    return NULL;
}

bool args_has_inline(const ArgIter *it)
{
    return it->inline_value != NULL;
}

bool args_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > hi)
            return false;
    }
    if (v < lo)
        return false;
    *out = v;
    return true;
}

static bool listed(const char *opt, const char *const *names)
{
    for (; names && *names; names++)
        if (strcmp(opt, *names) == 0)
            return true;
    return false;
}

ArgKind args_classify(ArgIter *it, const char *const *flags, const char *const *valued,
                      const char **val, char *err, size_t errsize)
{
    const char *opt = it->opt;

    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0 || strcmp(opt, "/?") == 0)
        return ARG_HELP;
    if (strcmp(opt, "--version") == 0)
        return ARG_VERSION;
    if (listed(opt, flags))
        return ARG_FLAG;
    if (!listed(opt, valued)) {
        snprintf(err, errsize, "unknown option '%.200s' (try --help)", it->argv[it->i - 1]);
        return ARG_ERROR;
    }
    if ((*val = args_value(it)) == NULL) {
        snprintf(err, errsize, "%s needs a value (try --help)", opt);
        return ARG_ERROR;
    }
    return ARG_VALUE;
}

bool args_shm_name(const char *val, char *out, size_t size, char *err, size_t errsize)
{
    /* The longest object name made from it: the namespace, the name and the
     * longest suffix (the instance event's: "Instance" and 8 hex digits). */
    char longest[SHM_NAME_MAX];
    const char *bs = strchr(val, '\\');
    /* A backslash only ends a namespace: Local\Name or Global\Name. */
    if (bs != NULL && (strchr(bs + 1, '\\') != NULL || bs[1] == '\0' ||
                       !((bs - val == 5 && strncmp(val, "Local", 5) == 0) ||
                         (bs - val == 6 && strncmp(val, "Global", 6) == 0)))) {
        snprintf(err, errsize,
                 "--shm-name: a '\\' may only follow Local or Global at the start");
        return false;
    }
    static const char instance[] = PROTO_INSTANCE_SUFFIX "00000000";
    if (!shm_layout_object_name(val, instance, longest, sizeof longest) || strlen(val) >= size) {
        snprintf(err, errsize, "--shm-name: the name must be 1 to %d characters",
                 (int)(SHM_NAME_MAX - (sizeof SHM_NAMESPACE - 1) - sizeof instance));
        return false;
    }
    memcpy(out, val, strlen(val) + 1);
    return true;
}
