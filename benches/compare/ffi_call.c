/*
 * The cost of a trivial call through the C ABI: tillit_status_name() from the static library
 * against a local function behind a function pointer (so neither is inlined), in one run.
 * Prints JSON: {"tillit_ns": ..., "local_ns": ...}, each the median of 7 runs.
 *
 * Usage: ffi_call <calls per run>
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tillit.h"

static const char *local_name(enum tillit_status status) {
    return status == TILLIT_OK ? "TILLIT_OK" : "other";
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_ns(const char *(*volatile fn)(enum tillit_status), long calls) {
    double samples[7];
    volatile const char *sink = NULL;
    for (int run = 0; run < 7; run++) {
        double start = now_ns();
        for (long i = 0; i < calls; i++) {
            sink = fn((enum tillit_status)(i & 1 ? TILLIT_OK : TILLIT_ERR_INVALID_ARGUMENT));
        }
        samples[run] = (now_ns() - start) / (double)calls;
    }
    (void)sink;
    qsort(samples, 7, sizeof samples[0], compare);
    return samples[3];
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 10000000;
    if (calls <= 0) {
        fprintf(stderr, "usage: ffi_call <calls per run>\n");
        return 2;
    }
    double tillit_ns = median_ns(tillit_status_name, calls);
    double local_ns = median_ns(local_name, calls);
    printf("{\"tillit_ns\": %.3f, \"local_ns\": %.3f}\n", tillit_ns, local_ns);
    return 0;
}
