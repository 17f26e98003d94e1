/* check_main.c: the one main() of every Check suite. Each suite's file
 * defines make_suite(); this runs it and turns failures into the exit code. */
#include <check.h>
#include <stdlib.h>

#include "common/check_main.h"

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
