/* args.c: command-line toolkit (see args.h). */
#include "core/args.h"

#include <string.h>

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
