/*
 * A tiny test harness for the C test programs: each CHECK counts a pass or a failure with its
 * file and line, and TEST_SUMMARY prints "N passed, N failed" and returns the exit status.
 */
#ifndef TILLIT_CHECK_H
#define TILLIT_CHECK_H

#include <stdio.h>
#include <string.h>

#include "tillit.h"

static int check_passed = 0;
static int check_failed = 0;

static inline void check_report(int ok, const char *expr, const char *file, int line) {
    if (ok) {
        check_passed++;
    } else {
        char message[1024];
        message[0] = '\0';
        tillit_last_error_message(message, sizeof message, NULL);
        fprintf(stderr, "%s:%d: check failed: %s (last tillit error: %s)\n", file, line, expr,
                message);
        check_failed++;
    }
}

#define CHECK(expr) check_report((expr) ? 1 : 0, #expr, __FILE__, __LINE__)
#define CHECK_OK(call) CHECK((call) == TILLIT_OK)
#define CHECK_STATUS(call, status) CHECK((call) == (status))

/* Copies the last error message into a static buffer, for assertions on its text. */
static inline const char *last_error(void) {
    static char message[2048];
    message[0] = '\0';
    tillit_last_error_message(message, sizeof message, NULL);
    return message;
}

#define TEST_SUMMARY(name)                                                                 \
    do {                                                                                   \
        printf("%s: %d passed, %d failed\n", (name), check_passed, check_failed);          \
        return check_failed == 0 ? 0 : 1;                                                  \
    } while (0)

#endif
