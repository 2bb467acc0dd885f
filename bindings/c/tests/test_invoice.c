/* The invoice capability from C: the same vectors as Rust, Python and Kotlin. Decimals are
 * strings; whole invoices travel as their versioned JSON form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tillit.h"

static int failures = 0;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = '\0';
    fclose(f);
    return buf;
}

static void expect_string(tillit_status st, char *got, const char *want) {
    CHECK(st == TILLIT_OK);
    CHECK(got != NULL && strcmp(got, want) == 0);
    tillit_string_free(got);
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : "tests/data";
    char *out = NULL;
    int digit = -1;
    tillit_status st;

    st = tillit_org_number_parse("NO 988 077 917 MVA", &out);
    expect_string(st, out, "988077917");
    out = NULL;
    CHECK(tillit_org_number_parse("988077918", &out) == TILLIT_ERR_INVOICE_IDENTIFIER);
    CHECK(out == NULL);
    {
        char msg[256];
        size_t len = 0;
        CHECK(tillit_last_error_message(msg, sizeof msg, &len) == TILLIT_OK);
        CHECK(strstr(msg, "should be 7") != NULL);
    }
    CHECK(tillit_org_number_check_digit("12345678", &digit) == TILLIT_OK && digit == 5);
    CHECK(tillit_org_number_parse(NULL, &out) == TILLIT_ERR_NULL_ARGUMENT);

    st = tillit_account_number_parse("8601.11.17947", &out);
    expect_string(st, out, "86011117947");
    out = NULL;
    CHECK(tillit_account_number_parse("86011117949", &out) == TILLIT_ERR_INVOICE_IDENTIFIER);
    st = tillit_account_number_iban("86011117947", &out);
    expect_string(st, out, "NO9386011117947");
    out = NULL;

    st = tillit_kid_generate("234567", "mod10", &out);
    expect_string(st, out, "2345676");
    out = NULL;
    st = tillit_kid_generate("1234567890", "mod11", &out);
    expect_string(st, out, "12345678903");
    out = NULL;
    st = tillit_kid_generate("40", "mod11", &out);
    expect_string(st, out, "40-");
    out = NULL;
    CHECK(tillit_kid_validate("2345676", "mod10") == TILLIT_OK);
    CHECK(tillit_kid_validate("2345670", "mod10") == TILLIT_ERR_INVOICE_IDENTIFIER);
    CHECK(tillit_kid_validate("40-", "mod11") == TILLIT_OK);
    CHECK(tillit_kid_validate("40-", "crc") == TILLIT_ERR_INVALID_ARGUMENT);

    char path[1024];
    snprintf(path, sizeof path, "%s/invoice_peppol_no_example.json", data);
    char *example = read_file(path);
    CHECK(example != NULL);
    if (example) {
        char *totals = NULL;
        CHECK(tillit_invoice_totals_json(example, &totals) == TILLIT_OK);
        CHECK(totals && strstr(totals, "\"vat_total\":\"365.28\"") != NULL);
        CHECK(totals && strstr(totals, "\"tax_inclusive\":\"1801.78\"") != NULL);
        CHECK(totals && strstr(totals, "\"rounding\":\"0.22\"") != NULL);
        CHECK(totals && strstr(totals, "\"payable\":\"802.00\"") != NULL);
        tillit_string_free(totals);

        char *problems = NULL;
        CHECK(tillit_invoice_problems_json(example, &problems) == TILLIT_OK);
        CHECK(problems && strcmp(problems, "[]") == 0);
        tillit_string_free(problems);

        char *credit = NULL;
        CHECK(tillit_credit_note_full_json(example, "K-1", "2013-07-01", &credit) == TILLIT_OK);
        CHECK(credit && strstr(credit, "\"credit_note\"") != NULL);
        if (credit) {
            char *ctotals = NULL;
            CHECK(tillit_invoice_totals_json(credit, &ctotals) == TILLIT_OK);
            CHECK(ctotals && strstr(ctotals, "\"vat_total\":\"365.28\"") != NULL);
            tillit_string_free(ctotals);
        }
        tillit_string_free(credit);
        free(example);
    }

    char *problems = NULL;
    CHECK(tillit_invoice_problems_json("{\"version\":1,\"invoice\":{\"numbr\":1}}", &problems) ==
          TILLIT_ERR_INVOICE_JSON);
    CHECK(problems == NULL);

    st = tillit_late_interest("100000", "2023-06-20", "2023-07-10", &out);
    expect_string(st, out, "616.44");

    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("test_invoice: all checks passed\n");
    return 0;
}
