/*
 * Retention through the C ABI: the vectors of tests/data/retention_vectors.json (the same
 * rows Rust, Python and Kotlin check), the planner against single-record calls, the audit
 * sentence, disclosure, and the error paths (NULL arguments, invalid dates and codes).
 * The tables below were generated from the JSON file; keep them in step when it changes.
 */
#include <limits.h>
#include <stdlib.h>

#include "check.h"

typedef struct {
    uint8_t action;
    uint8_t reason;
    tillit_date fiscal_year_end;
    tillit_date retained_through;
    tillit_date eligible_from;
    bool has_fiscal_year_end;
    int has_action_from;
    tillit_date action_from;
} expected;

static int same_date(tillit_date a, tillit_date b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static void check_decision(const tillit_retention_decision *d, const expected *e) {
    CHECK(d->action == e->action);
    CHECK(d->reason == e->reason);
    CHECK(d->has_fiscal_year_end == e->has_fiscal_year_end);
    if (e->has_fiscal_year_end) {
        CHECK(same_date(d->fiscal_year_end, e->fiscal_year_end));
    }
    CHECK(same_date(d->retained_through, e->retained_through));
    CHECK(same_date(d->eligible_from, e->eligible_from));
    CHECK(d->has_action_from == (e->has_action_from != 0));
    if (e->has_action_from) {
        CHECK(same_date(d->action_from, e->action_from));
    }
}

static const struct { tillit_date start; uint16_t years, months; bool from_event; tillit_date end; } counting[] = {
    {{2023, 2, 28}, 5, 0, false, {2028, 2, 29}},
    {{2024, 6, 30}, 3, 6, false, {2027, 12, 31}},
    {{2024, 2, 29}, 5, 0, false, {2029, 2, 28}},
    {{2024, 2, 29}, 4, 0, false, {2028, 2, 29}},
    {{2024, 12, 31}, 10, 0, false, {2034, 12, 31}},
    {{2023, 6, 30}, 3, 6, false, {2026, 12, 31}},
    {{2023, 12, 31}, 3, 6, false, {2027, 6, 30}},
    {{2024, 8, 31}, 3, 6, false, {2028, 2, 29}},
    {{2025, 8, 31}, 3, 6, false, {2029, 2, 28}},
    {{2024, 9, 30}, 5, 0, false, {2029, 9, 30}},
    {{2024, 4, 30}, 3, 6, false, {2027, 10, 31}},
    {{2023, 10, 31}, 3, 6, false, {2027, 4, 30}},
    {{2020, 2, 29}, 10, 0, false, {2030, 2, 28}},
    {{2019, 2, 28}, 15, 0, false, {2034, 2, 28}},
    {{2019, 2, 28}, 1, 0, false, {2020, 2, 29}},
    {{2024, 12, 31}, 0, 0, false, {2024, 12, 31}},
    {{2024, 2, 29}, 10, 0, true, {2034, 2, 28}},
    {{2024, 3, 15}, 10, 0, true, {2034, 3, 15}},
    {{2024, 1, 31}, 0, 1, true, {2024, 2, 29}},
    {{2023, 1, 31}, 0, 1, true, {2023, 2, 28}},
    {{2024, 8, 31}, 3, 6, true, {2028, 2, 29}},
    {{2024, 5, 31}, 0, 4, true, {2024, 9, 30}},
    {{2024, 3, 30}, 0, 11, true, {2025, 2, 28}},
    {{2028, 2, 29}, 4, 0, true, {2032, 2, 29}},
    {{2024, 12, 31}, 10, 0, true, {2034, 12, 31}},
    {{2024, 2, 28}, 10, 0, true, {2034, 2, 28}},
    {{2024, 6, 30}, 0, 6, true, {2024, 12, 30}},
    {{2024, 1, 1}, 0, 0, true, {2024, 1, 1}},
    {{2015, 11, 30}, 3, 3, true, {2019, 2, 28}},
    {{2019, 2, 28}, 1, 0, true, {2020, 2, 28}},
};

static const struct { tillit_date date; uint8_t end_month; tillit_date expected; } fiscal_years[] = {
    {{2024, 3, 15}, 12, {2024, 12, 31}},
    {{2024, 12, 31}, 12, {2024, 12, 31}},
    {{2025, 1, 1}, 12, {2025, 12, 31}},
    {{2024, 2, 29}, 2, {2024, 2, 29}},
    {{2024, 3, 1}, 2, {2025, 2, 28}},
    {{2023, 3, 1}, 2, {2024, 2, 29}},
    {{2024, 6, 30}, 6, {2024, 6, 30}},
    {{2024, 7, 1}, 6, {2025, 6, 30}},
    {{2024, 1, 15}, 6, {2024, 6, 30}},
    {{2024, 9, 10}, 8, {2025, 8, 31}},
    {{2024, 11, 30}, 11, {2024, 11, 30}},
};

static const struct { const char *policy; tillit_date date; const tillit_date *booking_date; uint8_t end_month; const tillit_date *fiscal_year_end; bool legal_hold; tillit_date today; expected expect; } invoices[] = {
    {"seed", {2024, 3, 15}, NULL, 12, NULL, false, {2026, 12, 3}, {0, 0, {2024, 12, 31}, {2034, 12, 31}, {2035, 1, 1}, true, 1, {2035, 1, 1}}},
    {"seed", {2024, 3, 15}, NULL, 12, NULL, false, {2034, 12, 31}, {0, 0, {2024, 12, 31}, {2034, 12, 31}, {2035, 1, 1}, true, 1, {2035, 1, 1}}},
    {"seed", {2024, 3, 15}, NULL, 12, NULL, false, {2035, 1, 1}, {2, 1, {2024, 12, 31}, {2034, 12, 31}, {2035, 1, 1}, true, 1, {2035, 1, 1}}},
    {"bookkeeping_act", {2023, 3, 10}, NULL, 2, NULL, false, {2029, 3, 1}, {2, 1, {2024, 2, 29}, {2029, 2, 28}, {2029, 3, 1}, true, 1, {2029, 3, 1}}},
    {"seed", {2024, 12, 20}, &(tillit_date){2025, 1, 5}, 12, NULL, false, {2035, 6, 1}, {0, 0, {2025, 12, 31}, {2035, 12, 31}, {2036, 1, 1}, true, 1, {2036, 1, 1}}},
    {"seed", {2023, 6, 1}, NULL, 12, &(tillit_date){2024, 12, 31}, false, {2034, 6, 1}, {0, 0, {2024, 12, 31}, {2034, 12, 31}, {2035, 1, 1}, true, 1, {2035, 1, 1}}},
    {"seed", {2010, 5, 5}, NULL, 12, NULL, true, {2026, 12, 3}, {0, 11, {2010, 12, 31}, {2020, 12, 31}, {2021, 1, 1}, true, 0, {0, 0, 0}}},
    {"bookkeeping_act", {2024, 6, 30}, NULL, 6, NULL, false, {2029, 6, 30}, {0, 0, {2024, 6, 30}, {2029, 6, 30}, {2029, 7, 1}, true, 1, {2029, 7, 1}}},
};

static const struct { const char *policy; tillit_date date; uint8_t end_month; bool documents_sale; bool account_active; const tillit_date *notice_sent; bool legal_hold; tillit_date today; expected expect; } attachments[] = {
    {"seed", {2024, 3, 15}, 12, false, false, NULL, false, {2028, 6, 1}, {1, 4, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2028, 7, 1}}},
    {"seed", {2024, 3, 15}, 12, false, false, NULL, false, {2028, 5, 31}, {0, 2, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2028, 7, 1}}},
    {"seed", {2024, 3, 15}, 12, false, true, &(tillit_date){2028, 6, 1}, false, {2030, 1, 1}, {0, 3, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 0, {0, 0, 0}}},
    {"seed", {2024, 3, 15}, 12, false, false, &(tillit_date){2028, 6, 1}, false, {2028, 7, 1}, {2, 6, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2028, 7, 1}}},
    {"seed", {2024, 3, 15}, 12, false, false, &(tillit_date){2028, 6, 15}, false, {2028, 7, 1}, {0, 5, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2028, 7, 15}}},
    {"seed", {2024, 3, 15}, 12, false, false, NULL, false, {2030, 1, 1}, {1, 4, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2030, 1, 31}}},
    {"bookkeeping_act", {2024, 3, 15}, 12, true, false, &(tillit_date){2029, 12, 1}, false, {2030, 1, 1}, {2, 6, {2024, 12, 31}, {2029, 12, 31}, {2030, 1, 1}, true, 1, {2030, 1, 1}}},
    {"bookkeeping_act", {2024, 3, 15}, 12, false, false, &(tillit_date){2029, 12, 1}, false, {2030, 1, 1}, {2, 6, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 1, {2029, 12, 31}}},
    {"seed", {2024, 3, 15}, 12, false, false, &(tillit_date){2028, 6, 1}, true, {2029, 1, 1}, {0, 11, {2024, 12, 31}, {2028, 6, 30}, {2028, 7, 1}, true, 0, {0, 0, 0}}},
    {"seed", {2024, 6, 30}, 6, false, false, &(tillit_date){2027, 12, 1}, false, {2028, 1, 1}, {2, 6, {2024, 6, 30}, {2027, 12, 31}, {2028, 1, 1}, true, 1, {2028, 1, 1}}},
};

static const struct { const char *policy; tillit_date last_activity; bool active; const tillit_date *latest; bool legal_hold; tillit_date today; expected expect; } accounts[] = {
    {"seed", {2024, 2, 29}, false, &(tillit_date){2035, 1, 1}, false, {2034, 6, 1}, {0, 9, {0, 0, 0}, {2034, 2, 28}, {2034, 3, 1}, false, 1, {2035, 1, 1}}},
    {"seed", {2024, 2, 29}, false, &(tillit_date){2035, 1, 1}, false, {2035, 1, 1}, {3, 10, {0, 0, 0}, {2034, 2, 28}, {2034, 3, 1}, false, 1, {2035, 1, 1}}},
    {"seed", {2020, 5, 10}, false, NULL, false, {2030, 5, 10}, {0, 8, {0, 0, 0}, {2030, 5, 10}, {2030, 5, 11}, false, 1, {2030, 5, 11}}},
    {"seed", {2020, 5, 10}, false, NULL, false, {2030, 5, 11}, {3, 10, {0, 0, 0}, {2030, 5, 10}, {2030, 5, 11}, false, 1, {2030, 5, 11}}},
    {"seed", {2010, 1, 1}, true, NULL, false, {2026, 12, 3}, {0, 7, {0, 0, 0}, {2020, 1, 1}, {2020, 1, 2}, false, 0, {0, 0, 0}}},
    {"bookkeeping_act", {2026, 1, 15}, false, &(tillit_date){2031, 1, 1}, false, {2026, 12, 3}, {0, 9, {0, 0, 0}, {2026, 1, 15}, {2026, 1, 16}, false, 1, {2031, 1, 1}}},
    {"seed", {2010, 1, 1}, false, NULL, true, {2026, 12, 3}, {0, 11, {0, 0, 0}, {2020, 1, 1}, {2020, 1, 2}, false, 0, {0, 0, 0}}},
};

static const struct { const char *policy; uint8_t kind; tillit_date today; tillit_date cutoff; } cutoffs[] = {
    {"seed", 0, {2035, 1, 1}, {2024, 12, 31}},
    {"seed", 0, {2034, 12, 31}, {2024, 11, 30}},
    {"seed", 0, {2035, 1, 15}, {2024, 12, 31}},
    {"seed", 1, {2035, 1, 1}, {2031, 6, 30}},
    {"seed", 3, {2034, 3, 1}, {2024, 2, 29}},
    {"seed", 3, {2034, 2, 28}, {2024, 2, 27}},
    {"bookkeeping_act", 2, {2030, 1, 1}, {2024, 12, 31}},
    {"bookkeeping_act", 0, {2029, 3, 1}, {2024, 2, 29}},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static tillit_retention_policy *policy(const char *name) {
    tillit_retention_policy *p = NULL;
    CHECK_OK(tillit_retention_policy_new(name, &p));
    return p;
}

static void test_vectors(void) {
    for (size_t i = 0; i < COUNT(counting); i++) {
        tillit_date end = {0, 0, 0};
        CHECK_OK(tillit_retention_add_period(counting[i].start, counting[i].years, counting[i].months,
                                             counting[i].from_event, &end));
        CHECK(same_date(end, counting[i].end));
    }
    for (size_t i = 0; i < COUNT(fiscal_years); i++) {
        tillit_date end = {0, 0, 0};
        CHECK_OK(tillit_retention_fiscal_year_end(fiscal_years[i].end_month, fiscal_years[i].date, &end));
        CHECK(same_date(end, fiscal_years[i].expected));
    }
    for (size_t i = 0; i < COUNT(invoices); i++) {
        tillit_retention_policy *p = policy(invoices[i].policy);
        tillit_retention_decision d;
        CHECK_OK(tillit_retention_invoice(p, invoices[i].date, invoices[i].booking_date, invoices[i].end_month,
                                          invoices[i].fiscal_year_end, invoices[i].legal_hold, invoices[i].today,
                                          &d));
        check_decision(&d, &invoices[i].expect);
        CHECK(d.kind == 0);
        tillit_retention_policy_free(p);
    }
    for (size_t i = 0; i < COUNT(attachments); i++) {
        tillit_retention_policy *p = policy(attachments[i].policy);
        tillit_retention_decision d;
        CHECK_OK(tillit_retention_attachment(p, attachments[i].date, attachments[i].end_month,
                                             attachments[i].documents_sale, attachments[i].account_active,
                                             attachments[i].notice_sent, attachments[i].legal_hold,
                                             attachments[i].today, &d));
        check_decision(&d, &attachments[i].expect);
        tillit_retention_policy_free(p);
    }
    for (size_t i = 0; i < COUNT(accounts); i++) {
        tillit_retention_policy *p = policy(accounts[i].policy);
        tillit_retention_decision d;
        CHECK_OK(tillit_retention_account(p, accounts[i].last_activity, accounts[i].active, accounts[i].latest,
                                          accounts[i].legal_hold, accounts[i].today, &d));
        check_decision(&d, &accounts[i].expect);
        CHECK(d.kind == 3);
        tillit_retention_policy_free(p);
    }
    for (size_t i = 0; i < COUNT(cutoffs); i++) {
        tillit_retention_policy *p = policy(cutoffs[i].policy);
        tillit_date cutoff = {0, 0, 0};
        CHECK_OK(tillit_retention_cutoff(p, cutoffs[i].kind, cutoffs[i].today, &cutoff));
        CHECK(same_date(cutoff, cutoffs[i].cutoff));
        tillit_retention_policy_free(p);
    }
}

static void test_explain(void) {
    tillit_retention_policy *p = policy("seed");
    tillit_retention_decision d;
    CHECK_OK(tillit_retention_invoice(p, (tillit_date){2024, 3, 15}, NULL, 12, NULL, false,
                                      (tillit_date){2026, 12, 3}, &d));
    char *text = NULL;
    CHECK_OK(tillit_retention_explain(p, &d, &text));
    CHECK(text != NULL && strstr(text, "retained through 2034-12-31") != NULL);
    CHECK(text != NULL && strstr(text, "bokf") != NULL);
    tillit_string_free(text);
    tillit_retention_policy_free(p);
}

/* Day numbers since 1970-01-01 for a few dates. */
#define DAY_2016_05_02 16923
#define DAY_2024_03_15 19797
#define DAY_2024_02_29 19782

static void test_plan(void) {
    tillit_retention_policy *p = policy("seed");
    uint8_t kind[] = {0, 0, 1};
    int32_t date[] = {DAY_2016_05_02, DAY_2024_03_15, DAY_2024_03_15};
    uint32_t account[] = {0, 0, 0};
    uint8_t active[] = {0};
    int32_t last_activity[] = {DAY_2024_02_29};
    tillit_retention_records records = {3, kind, date, account, NULL, NULL, NULL, NULL};
    tillit_retention_accounts accounts = {1, active, last_activity, NULL, NULL};
    uint8_t action[3], reason[3], account_action[1], account_reason[1];
    int32_t fye[3], eligible[3], from[3], account_fye[1], account_eligible[1], account_from[1];
    tillit_retention_plan_columns record_out = {action, reason, fye, eligible, from};
    tillit_retention_plan_columns account_out = {account_action, account_reason, account_fye, account_eligible,
                                                 account_from};
    tillit_date today = {2028, 6, 1};
    CHECK_OK(tillit_retention_plan(p, &records, &accounts, today, &record_out, &account_out));

    /* Each row agrees with the single-record call. */
    tillit_retention_decision d;
    CHECK_OK(tillit_retention_invoice(p, (tillit_date){2016, 5, 2}, NULL, 12, NULL, false, today, &d));
    CHECK(action[0] == d.action && action[0] == 2);
    CHECK_OK(tillit_retention_invoice(p, (tillit_date){2024, 3, 15}, NULL, 12, NULL, false, today, &d));
    CHECK(action[1] == d.action && reason[1] == d.reason);
    CHECK_OK(tillit_retention_attachment(p, (tillit_date){2024, 3, 15}, 12, false, false, NULL, false, today, &d));
    CHECK(action[2] == d.action && action[2] == 1);
    CHECK(account_action[0] == 0 && account_reason[0] == 8);
    CHECK(account_fye[0] == INT_MIN);

    /* A bad account row fails and leaves the outputs alone. */
    uint32_t bad_account[] = {0, 5, 0};
    tillit_retention_records bad = {3, kind, date, bad_account, NULL, NULL, NULL, NULL};
    action[0] = 77;
    CHECK_STATUS(tillit_retention_plan(p, &bad, &accounts, today, &record_out, &account_out),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "account 5 does not exist") != NULL);
    CHECK(action[0] == 77);
    tillit_retention_policy_free(p);
}

static void test_errors_and_disclosure(void) {
    tillit_retention_policy *p = NULL;
    CHECK_STATUS(tillit_retention_policy_new("forever", &p), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(p == NULL);
    CHECK_STATUS(tillit_retention_policy_new(NULL, &p), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_retention_policy_custom("short", 4, 0, 3, 6, 5, 0, 0, 0, 30, &p), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "below the legal minimum") != NULL);
    p = policy("seed");
    tillit_retention_decision d;
    CHECK_STATUS(tillit_retention_invoice(p, (tillit_date){2024, 2, 30}, NULL, 12, NULL, false,
                                          (tillit_date){2026, 1, 1}, &d),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_retention_invoice(p, (tillit_date){2024, 2, 1}, NULL, 13, NULL, false,
                                          (tillit_date){2026, 1, 1}, &d),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_retention_invoice(NULL, (tillit_date){2024, 2, 1}, NULL, 12, NULL, false,
                                          (tillit_date){2026, 1, 1}, &d),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_retention_invoice(p, (tillit_date){2024, 2, 1}, NULL, 12, NULL, false,
                                          (tillit_date){2026, 1, 1}, NULL),
                 TILLIT_ERR_NULL_ARGUMENT);
    tillit_date cutoff;
    CHECK_STATUS(tillit_retention_cutoff(p, 9, (tillit_date){2026, 1, 1}, &cutoff), TILLIT_ERR_INVALID_ARGUMENT);
    tillit_retention_policy_free(p);
    tillit_retention_policy_free(NULL);

    bool allowed = true;
    char *reason = NULL;
    CHECK_OK(tillit_retention_disclosure(1, 1, NULL, &allowed, &reason));
    CHECK(!allowed && reason != NULL && strncmp(reason, "refused", 7) == 0);
    tillit_string_free(reason);
    CHECK_OK(tillit_retention_disclosure(4, 2, "24-1234 TVI-OTIR", &allowed, NULL));
    CHECK(allowed);
    CHECK_OK(tillit_retention_disclosure(4, 2, NULL, &allowed, NULL));
    CHECK(!allowed);
    CHECK_STATUS(tillit_retention_disclosure(9, 0, NULL, &allowed, NULL), TILLIT_ERR_INVALID_ARGUMENT);
}

int main(void) {
    test_vectors();
    test_explain();
    test_plan();
    test_errors_and_disclosure();
    TEST_SUMMARY("retention");
}
