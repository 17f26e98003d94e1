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

/* Strict decimal in [lo, hi]: digits only, no sign, no spaces. */
bool args_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);

#endif
