/*
 * Erasure requests and anonymisation through the C ABI: the vectors of the Rust doc example
 * (seed policy, 2026-12-03), legal holds, active accounts, in-place wiping of personal
 * strings, and the error paths (NULL arguments, bad dates, bad receivables).
 */
#include <stdlib.h>

#include "check.h"

static const tillit_date TODAY = {2026, 12, 3};

static int same_date(tillit_date a, tillit_date b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static int all_zero(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static void erasure_now_and_later(const tillit_retention_policy *policy) {
    tillit_erasure_invoice invoices[2] = {
        {.date = {2013, 5, 2}, .end_month = 12, .legal_hold = false},
        {.date = {2024, 3, 15}, .end_month = 12, .legal_hold = false},
    };
    tillit_erasure_item answers[2];
    uint8_t buyer_timing = 99;
    tillit_date buyer_from = {0, 0, 0};
    CHECK_OK(tillit_retention_erasure(policy, invoices, 2, NULL, 0, TODAY, answers, NULL,
                                      &buyer_timing, &buyer_from));
    CHECK(answers[0].timing == TILLIT_ERASURE_NOW);
    CHECK(answers[1].timing == TILLIT_ERASURE_LATER);
    CHECK(same_date(answers[1].erase_from, (tillit_date){2035, 1, 1}));
    CHECK(same_date(answers[1].decision.eligible_from, (tillit_date){2035, 1, 1}));
    CHECK(buyer_timing == TILLIT_ERASURE_LATER);
    CHECK(same_date(buyer_from, (tillit_date){2035, 1, 1}));

    /* Only the old invoice: everything can go now. */
    CHECK_OK(tillit_retention_erasure(policy, invoices, 1, NULL, 0, TODAY, answers, NULL,
                                      &buyer_timing, &buyer_from));
    CHECK(buyer_timing == TILLIT_ERASURE_NOW);

    const char *duty = tillit_erasure_legal_duty();
    CHECK(duty != NULL && strstr(duty, "17(3)(b)") != NULL);
}

static void holds_and_active_accounts(const tillit_retention_policy *policy) {
    tillit_erasure_invoice held = {.date = {2013, 5, 2}, .end_month = 12, .legal_hold = true};
    tillit_erasure_attachment attachment = {
        .date = {2013, 5, 2},
        .end_month = 12,
        .account_active = true,
    };
    tillit_erasure_item invoice_answer, attachment_answer;
    uint8_t buyer_timing = 99;
    tillit_date buyer_from;
    CHECK_OK(tillit_retention_erasure(policy, &held, 1, &attachment, 1, TODAY, &invoice_answer,
                                      &attachment_answer, &buyer_timing, &buyer_from));
    CHECK(invoice_answer.timing == TILLIT_ERASURE_OPEN);
    CHECK(buyer_timing == TILLIT_ERASURE_OPEN);
    CHECK(attachment_answer.timing != TILLIT_ERASURE_NOW);
}

static void erasure_errors(const tillit_retention_policy *policy) {
    tillit_erasure_invoice bad = {.date = {2023, 2, 30}, .end_month = 12};
    tillit_erasure_item answer;
    uint8_t timing;
    tillit_date from;
    CHECK_STATUS(tillit_retention_erasure(policy, &bad, 1, NULL, 0, TODAY, &answer, NULL,
                                          &timing, &from),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "invoices[0].date") != NULL);
    tillit_erasure_invoice wrong_month = {.date = {2023, 2, 1}, .end_month = 13};
    CHECK_STATUS(tillit_retention_erasure(policy, &wrong_month, 1, NULL, 0, TODAY, &answer,
                                          NULL, &timing, &from),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_retention_erasure(NULL, NULL, 0, NULL, 0, TODAY, NULL, NULL, &timing,
                                          &from),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_retention_erasure(policy, NULL, 1, NULL, 0, TODAY, &answer, NULL,
                                          &timing, &from),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK(strstr(last_error(), "invoices") != NULL);
    tillit_erasure_invoice ok = {.date = {2020, 1, 1}, .end_month = 12};
    CHECK_STATUS(tillit_retention_erasure(policy, &ok, 1, NULL, 0, TODAY, NULL, NULL, &timing,
                                          &from),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_retention_erasure(policy, &ok, 1, NULL, 0, TODAY, &answer, NULL, NULL,
                                          &from),
                 TILLIT_ERR_NULL_ARGUMENT);
}

static char *copy(const char *s) {
    char *out = malloc(strlen(s) + 1);
    strcpy(out, s);
    return out;
}

static void anonymise_buyer(void) {
    tillit_receivable receivable = {
        .amount = "1250.00",
        .currency = "NOK",
        .issued = {2015, 1, 5},
        .due = {2015, 1, 19},
        .has_settled = true,
        .settled = {2015, 1, 18},
    };
    tillit_buyer buyer = {
        .id = 7,
        .name = copy("Kari Nordmann"),
        .address = copy("Storgata 1, 0155 Oslo"),
        .identifier = NULL,
        .email = copy("kari@example.no"),
        .phone = NULL,
        .notes = copy("prefers e-mail"),
        .receivables = &receivable,
        .receivables_len = 1,
        .created = {2015, 1, 5},
    };
    tillit_anonymised_buyer out;
    CHECK_OK(tillit_buyer_anonymise(&buyer, &out));
    CHECK(out.id == 7);
    CHECK(out.receivables == &receivable && out.receivables_len == 1);
    CHECK(same_date(out.created, (tillit_date){2015, 1, 5}));
    CHECK(all_zero(buyer.name, strlen("Kari Nordmann")));
    CHECK(all_zero(buyer.address, strlen("Storgata 1, 0155 Oslo")));
    CHECK(all_zero(buyer.email, strlen("kari@example.no")));
    CHECK(all_zero(buyer.notes, strlen("prefers e-mail")));
    /* The receivable itself is untouched. */
    CHECK(strcmp(receivable.amount, "1250.00") == 0);

    /* A bad receivable is refused before anything is wiped. */
    strcpy(buyer.name, "Ola");
    tillit_receivable bad = receivable;
    bad.amount = "1 250 kr";
    buyer.receivables = &bad;
    CHECK_STATUS(tillit_buyer_anonymise(&buyer, &out), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "receivables[0].amount") != NULL);
    CHECK(strcmp(buyer.name, "Ola") == 0);
    bad = receivable;
    memcpy(bad.currency, "nok", 4);
    CHECK_STATUS(tillit_buyer_anonymise(&buyer, &out), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "ISO 4217") != NULL);

    buyer.receivables = NULL;
    buyer.receivables_len = 0;
    char *name = buyer.name;
    buyer.name = NULL;
    CHECK_STATUS(tillit_buyer_anonymise(&buyer, &out), TILLIT_ERR_NULL_ARGUMENT);
    buyer.name = name;
    CHECK_STATUS(tillit_buyer_anonymise(NULL, &out), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_buyer_anonymise(&buyer, NULL), TILLIT_ERR_NULL_ARGUMENT);

    free(buyer.name);
    free(buyer.address);
    free(buyer.email);
    free(buyer.notes);
}

static void anonymise_product(void) {
    char *name = copy("Kari's private lessons");
    char *description = copy("for Kari N.");
    CHECK_OK(tillit_product_anonymise(name, description));
    CHECK(all_zero(name, strlen("Kari's private lessons")));
    CHECK(all_zero(description, strlen("for Kari N.")));
    CHECK_OK(tillit_product_anonymise(NULL, NULL));
    free(name);
    free(description);
}

int main(void) {
    tillit_retention_policy *policy = NULL;
    CHECK_OK(tillit_retention_policy_new("seed", &policy));
    erasure_now_and_later(policy);
    holds_and_active_accounts(policy);
    erasure_errors(policy);
    tillit_retention_policy_free(policy);
    anonymise_buyer();
    anonymise_product();
    TEST_SUMMARY("erasure");
}
