/*
 * Gapless invoice number series through the C ABI: numbers in order, a refusing callback
 * giving its number back, no gap and no repeat across threads, and NULL arguments refused.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#define THREADS 8
#define ISSUES_PER_THREAD 40
#define KEPT (THREADS * (ISSUES_PER_THREAD - ISSUES_PER_THREAD / 5))

/* Callbacks: keep every number, refuse with a given value, or record what they saw. */
static int32_t keep(void *ctx, uint64_t number) {
    (void)ctx;
    (void)number;
    return 0;
}

static int32_t refuse(void *ctx, uint64_t number) {
    uint64_t *seen = ctx;
    *seen = number;
    return 7;
}

static void sequence_and_refusal(tillit_number_series *series) {
    uint64_t next = 0, number = 0, seen = 0;

    CHECK_OK(tillit_number_series_next(series, "invoice", &next));
    CHECK(next == 1);
    for (uint64_t want = 1; want <= 3; want++) {
        CHECK_OK(tillit_number_series_issue(series, "invoice", keep, NULL, &number));
        CHECK(number == want);
    }
    CHECK_OK(tillit_number_series_issue(series, "credit-note", keep, NULL, &number));
    CHECK(number == 1);

    /* next does not take: asking twice gives the same number. */
    CHECK_OK(tillit_number_series_next(series, "invoice", &next));
    CHECK(next == 4);
    CHECK_OK(tillit_number_series_next(series, "invoice", &next));
    CHECK(next == 4);

    /* A refusal: the number goes back, and the output is left alone. */
    number = 99;
    CHECK_STATUS(tillit_number_series_issue(series, "invoice", refuse, &seen, &number),
                 TILLIT_ERR_ISSUE_REFUSED);
    CHECK(seen == 4);
    CHECK(number == 99);
    CHECK(strstr(last_error(), "refused number 4") != NULL);
    CHECK(strstr(last_error(), "returned 7") != NULL);
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_ISSUE_REFUSED), "TILLIT_ERR_ISSUE_REFUSED") == 0);
    CHECK_OK(tillit_number_series_next(series, "invoice", &next));
    CHECK(next == 4);
    CHECK_OK(tillit_number_series_issue(series, "invoice", keep, NULL, &number));
    CHECK(number == 4);

    /* Bad names. */
    char long_name[66];
    memset(long_name, 'x', 65);
    long_name[65] = '\0';
    CHECK_STATUS(tillit_number_series_next(series, "", &next), TILLIT_ERR_INVOICE);
    CHECK(strstr(last_error(), "invalid number series name") != NULL);
    CHECK_STATUS(tillit_number_series_issue(series, long_name, keep, NULL, &number),
                 TILLIT_ERR_INVOICE);
    CHECK_STATUS(tillit_number_series_next(series, "\xff", &next), TILLIT_ERR_INVALID_ARGUMENT);
}

static void null_arguments(tillit_number_series *series) {
    uint64_t number = 0;
    CHECK_STATUS(tillit_number_series_new_memory(NULL), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_open_sqlite(NULL, &series), TILLIT_ERR_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "`path`") != NULL);
    CHECK_STATUS(tillit_number_series_open_sqlite("/tmp/x.db", NULL), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_next(NULL, "invoice", &number), TILLIT_ERR_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "`series_handle`") != NULL);
    CHECK_STATUS(tillit_number_series_next(series, NULL, &number), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_next(series, "invoice", NULL), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_issue(NULL, "invoice", keep, NULL, &number),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_issue(series, NULL, keep, NULL, &number),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_number_series_issue(series, "invoice", NULL, NULL, &number),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "`callback`") != NULL);
    CHECK_STATUS(tillit_number_series_issue(series, "invoice", keep, NULL, NULL),
                 TILLIT_ERR_NULL_ARGUMENT);
    /* None of the refused calls took a number. */
    uint64_t before = 0, after = 0;
    CHECK_OK(tillit_number_series_next(series, "invoice", &before));
    CHECK_STATUS(tillit_number_series_issue(series, "invoice", keep, NULL, NULL),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_OK(tillit_number_series_next(series, "invoice", &after));
    CHECK(before == after);
    tillit_number_series_free(NULL);
}

/* Shared by the threads: every number a callback kept, in the order they were kept. */
struct ledger {
    pthread_mutex_t lock;
    uint64_t kept[THREADS * ISSUES_PER_THREAD];
    size_t count;
    size_t refused;
};

struct worker {
    tillit_number_series *series;
    struct ledger *ledger;
    int call;
    int failures;
};

/* Keeps the number, except on every fifth call of its thread. */
static int32_t record(void *ctx, uint64_t number) {
    struct worker *w = ctx;
    int refusing = w->call % 5 == 4;
    pthread_mutex_lock(&w->ledger->lock);
    if (refusing) {
        w->ledger->refused++;
    } else {
        w->ledger->kept[w->ledger->count++] = number;
    }
    pthread_mutex_unlock(&w->ledger->lock);
    return refusing ? 1 : 0;
}

static void *run_worker(void *arg) {
    struct worker *w = arg;
    for (w->call = 0; w->call < ISSUES_PER_THREAD; w->call++) {
        uint64_t number = 0;
        enum tillit_status status =
            tillit_number_series_issue(w->series, "invoice", record, w, &number);
        int want_refusal = w->call % 5 == 4;
        if (status != (want_refusal ? TILLIT_ERR_ISSUE_REFUSED : TILLIT_OK)) w->failures++;
    }
    return NULL;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void threads_with_refusals(tillit_number_series *series) {
    static struct ledger ledger;
    memset(&ledger, 0, sizeof ledger);
    pthread_mutex_init(&ledger.lock, NULL);
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){.series = series, .ledger = &ledger};
        CHECK(pthread_create(&threads[i], NULL, run_worker, &workers[i]) == 0);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        failures += workers[i].failures;
    }
    pthread_mutex_destroy(&ledger.lock);

    CHECK(failures == 0);
    CHECK(ledger.count == KEPT);
    CHECK(ledger.refused == THREADS * (ISSUES_PER_THREAD / 5));
    qsort(ledger.kept, ledger.count, sizeof ledger.kept[0], compare_u64);
    int gapless = 1;
    for (size_t i = 0; i < ledger.count; i++) {
        if (ledger.kept[i] != i + 1) gapless = 0;
    }
    CHECK(gapless);
    uint64_t next = 0;
    CHECK_OK(tillit_number_series_next(series, "invoice", &next));
    CHECK(next == KEPT + 1);
}

static void remove_db(const char *path) {
    char side[300];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    unlink(path);
}

int main(void) {
    tillit_number_series *memory = NULL;
    CHECK_OK(tillit_number_series_new_memory(&memory));
    sequence_and_refusal(memory);
    null_arguments(memory);
    tillit_number_series_free(memory);

    memory = NULL;
    CHECK_OK(tillit_number_series_new_memory(&memory));
    threads_with_refusals(memory);
    tillit_number_series_free(memory);

    char dir[] = "/tmp/tillit-c-series-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], threaded[256];
    snprintf(path, sizeof path, "%s/numbers.db", dir);
    snprintf(threaded, sizeof threaded, "%s/threads.db", dir);

    tillit_number_series *sqlite = NULL;
    CHECK_OK(tillit_number_series_open_sqlite(path, &sqlite));
    sequence_and_refusal(sqlite);
    tillit_number_series_free(sqlite);

    /* The numbers outlive the handle. */
    sqlite = NULL;
    CHECK_OK(tillit_number_series_open_sqlite(path, &sqlite));
    uint64_t next = 0;
    CHECK_OK(tillit_number_series_next(sqlite, "invoice", &next));
    CHECK(next == 5);
    tillit_number_series_free(sqlite);

    sqlite = NULL;
    CHECK_OK(tillit_number_series_open_sqlite(threaded, &sqlite));
    threads_with_refusals(sqlite);
    tillit_number_series_free(sqlite);

    tillit_number_series *none = NULL;
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no/such/dir.db", dir);
    CHECK_STATUS(tillit_number_series_open_sqlite(missing, &none), TILLIT_ERR_INVOICE);
    CHECK(none == NULL);

    remove_db(path);
    remove_db(threaded);
    rmdir(dir);
    TEST_SUMMARY("test_number_series");
}
