/* check_main.h: what every suite file provides to check_main.c. */
#ifndef CHAT_TESTS_CHECK_MAIN_H
#define CHAT_TESTS_CHECK_MAIN_H

#include <check.h>

/* Builds the suite this executable runs. */
Suite *make_suite(void);

#endif
