/*
 * The C ABI's conventions: version string, status names, the last-error message protocol,
 * NULL arguments, and a panic that comes back as TILLIT_ERR_PANIC instead of an abort.
 */
#include <stdlib.h>

#include "check.h"

int main(void) {
    char *version = NULL;
    CHECK_OK(tillit_version(&version));
    CHECK(version != NULL && strlen(version) >= 5);
    tillit_string_free(version);
    tillit_string_free(NULL);

    CHECK_STATUS(tillit_version(NULL), TILLIT_ERR_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "out") != NULL);

    CHECK(strcmp(tillit_status_name(TILLIT_OK), "TILLIT_OK") == 0);
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_PANIC), "TILLIT_ERR_PANIC") == 0);

    /* The message protocol: ask for the length, then fetch with a buffer of that size. */
    size_t needed = 0;
    CHECK_STATUS(tillit_last_error_message(NULL, 0, &needed), TILLIT_ERR_BUFFER_TOO_SMALL);
    CHECK(needed > 0);
    char *buffer = malloc(needed + 1);
    CHECK_OK(tillit_last_error_message(buffer, needed + 1, NULL));
    CHECK(strlen(buffer) == needed);
    free(buffer);
    char tiny[2];
    CHECK_STATUS(tillit_last_error_message(tiny, sizeof tiny, NULL), TILLIT_ERR_BUFFER_TOO_SMALL);

    CHECK_STATUS(tillit_test_panic(), TILLIT_ERR_PANIC);
    CHECK(strstr(last_error(), "deliberate panic") != NULL);
    /* The library still works after a caught panic. */
    char *again = NULL;
    CHECK_OK(tillit_version(&again));
    tillit_string_free(again);

    TEST_SUMMARY("test_core");
}
