/* args.h: the small command-line toolkit both programs parse with:
 * "--opt value" and "--opt=value" forms, strict numbers.
 *
 * Contract: platform-free, no allocation, no output. */
#ifndef CHAT_CORE_ARGS_H
#define CHAT_CORE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ArgIter {
    int argc;
    char **argv;
    int i;                 /* the next argv index to read */
    char opt[40];          /* the current option, without "=value" */
    const char *inline_value; /* the text after "=", or NULL */
} ArgIter;

/* Starts after argv[0]. */
void args_init(ArgIter *it, int argc, char **argv);

/* Moves to the next argument; false at the end. it->opt is the argument
 * itself, or the part before "=" for "--opt=value". */
bool args_next(ArgIter *it);

/* The current option's value: the inline "=value" or the next argument.
 * NULL when there is none (the error message is the caller's). */
const char *args_value(ArgIter *it);

/* True when the option has an inline value it does not take ("--help=x"). */
bool args_has_inline(const ArgIter *it);

typedef enum ArgKind {
    ARG_HELP,    /* --help, -h or /? */
    ARG_VERSION, /* --version */
    ARG_FLAG,    /* one of `flags` */
    ARG_VALUE,   /* one of `valued`, and *val is its value */
    ARG_ERROR,   /* unknown, or a value missing: err says which and why */
} ArgKind;

/* Sorts the current argument into one of the kinds above; `flags` and
 * `valued` are NULL-terminated lists of option names. */
ArgKind args_classify(ArgIter *it, const char *const *flags, const char *const *valued,
                      const char **val, char *err, size_t errsize);

/* A shared memory name for --shm-name: copied to out when it and its mutex
 * name fit; else false and err filled. */
bool args_shm_name(const char *val, char *out, size_t size, char *err, size_t errsize);

/* Strict decimal in [lo, hi]: digits only, no sign, no spaces. */
bool args_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

#endif
