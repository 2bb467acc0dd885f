/*
 * Stateless reset tokens, reset links, token extraction and the reset page's headers through
 * the C ABI.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static const char *HASH_A = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
static const char *HASH_B = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0eHg$b3RoZXJoYXNob3RoZXJoYXM";
static const int64_t T0 = 1764000000;

static void stateless(void) {
    uint8_t secret_old[32], secret_new[32];
    memset(secret_old, 1, sizeof secret_old);
    memset(secret_new, 2, sizeof secret_new);
    tillit_stateless_key old_key = {"k1", secret_old, sizeof secret_old};
    tillit_stateless_key new_key = {"k2", secret_new, sizeof secret_new};

    tillit_stateless_tokens *old = NULL, *rotated = NULL, *fresh = NULL;
    CHECK_OK(tillit_stateless_tokens_new(&old_key, NULL, 0, 600, &old));
    CHECK_OK(tillit_stateless_tokens_new(&new_key, &old_key, 1, 0, &rotated));
    CHECK_OK(tillit_stateless_tokens_new(&new_key, NULL, 0, 0, &fresh));

    char *token = NULL, *account = NULL;
    int64_t expires = 0;
    CHECK_OK(tillit_stateless_tokens_issue(old, "acct-1", HASH_A, NULL, T0, &token));
    CHECK(token != NULL && strncmp(token, "tls1_", 5) == 0);

    /* The boundary: valid one second before expiry, expired at it. */
    CHECK_OK(tillit_stateless_tokens_verify(old, token, HASH_A, NULL, T0 + 599, &account, &expires));
    CHECK(account != NULL && strcmp(account, "acct-1") == 0);
    CHECK(expires == T0 + 600);
    tillit_string_free(account);
    account = NULL;
    CHECK_STATUS(tillit_stateless_tokens_verify(old, token, HASH_A, NULL, T0 + 600, &account, NULL),
                 TILLIT_ERR_TOKEN_EXPIRED);
    CHECK(account == NULL);

    /* Bound to the purpose and to the stored hash. */
    CHECK_STATUS(tillit_stateless_tokens_verify(old, token, HASH_A, "email-change", T0, &account, NULL),
                 TILLIT_ERR_TOKEN_INVALID);
    CHECK_STATUS(tillit_stateless_tokens_verify(old, token, HASH_B, NULL, T0, &account, NULL),
                 TILLIT_ERR_TOKEN_INVALID);

    /* A retired key still verifies; a ring without it does not. */
    CHECK_OK(tillit_stateless_tokens_verify(rotated, token, HASH_A, NULL, T0, &account, NULL));
    tillit_string_free(account);
    account = NULL;
    CHECK_STATUS(tillit_stateless_tokens_verify(fresh, token, HASH_A, NULL, T0, &account, NULL),
                 TILLIT_ERR_TOKEN_INVALID);

    /* Every changed character is refused. */
    size_t len = strlen(token);
    int refused = 0;
    for (size_t i = 0; i < len; i++) {
        char saved = token[i];
        token[i] = saved == 'A' ? 'B' : 'A';
        if (tillit_stateless_tokens_verify(old, token, HASH_A, NULL, T0, &account, NULL) != TILLIT_OK) {
            refused++;
        } else {
            tillit_string_free(account);
            account = NULL;
        }
        token[i] = saved;
    }
    CHECK(refused == (int)len);

    /* A short secret and a bad id are refused when made. */
    tillit_stateless_key short_key = {"k3", secret_new, 8};
    tillit_stateless_tokens *bad = NULL;
    CHECK_STATUS(tillit_stateless_tokens_new(&short_key, NULL, 0, 0, &bad), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);
    tillit_stateless_key bad_id = {"bad id!", secret_new, sizeof secret_new};
    CHECK(tillit_stateless_tokens_new(&bad_id, NULL, 0, 0, &bad) != TILLIT_OK);
    CHECK_STATUS(tillit_stateless_tokens_new(&new_key, NULL, 3, 0, &bad), TILLIT_ERR_NULL_ARGUMENT);
    CHECK(tillit_stateless_tokens_new(&new_key, NULL, 0, 5, &bad) != TILLIT_OK);

    /* The link carries the token back. */
    char *link = NULL, *extracted = NULL;
    CHECK_OK(tillit_reset_link("https://app.example.no/glemt-passord", false, token, &link));
    CHECK(link != NULL && strstr(link, "?token=tls1_") != NULL);
    CHECK_OK(tillit_stateless_tokens_verify(old, link, HASH_A, NULL, T0, &account, NULL));
    tillit_string_free(account);
    CHECK_OK(tillit_extract_token(link, &extracted));
    CHECK(extracted != NULL && strcmp(extracted, token) == 0);
    tillit_string_free(extracted);
    tillit_string_free(link);
    link = NULL;
    CHECK_OK(tillit_reset_link("https://app.example.no/glemt-passord", true, token, &link));
    CHECK(link != NULL && strstr(link, "#token=tls1_") != NULL);
    tillit_string_free(link);

    tillit_string_free(token);
    tillit_stateless_tokens_free(old);
    tillit_stateless_tokens_free(rotated);
    tillit_stateless_tokens_free(fresh);
    tillit_stateless_tokens_free(NULL);
}

static void links(void) {
    char *out = NULL;
    const char *unsafe_bases[] = {"http://app.example.no/reset", "https://user:pw@app.example.no/",
                                  "not a url", "https://app.example.no/reset#x"};
    for (size_t i = 0; i < sizeof unsafe_bases / sizeof unsafe_bases[0]; i++) {
        CHECK(tillit_reset_link(unsafe_bases[i], false, "tlr1_x", &out) != TILLIT_OK);
        CHECK(out == NULL);
    }
    const char *malformed[] = {"", "   ", "https://app.example.no/reset",
                               "https://app.example.no/reset?token=", "nonsense"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        CHECK_STATUS(tillit_extract_token(malformed[i], &out), TILLIT_ERR_TOKEN_INVALID);
        CHECK(out == NULL);
    }
    CHECK_STATUS(tillit_extract_token(NULL, &out), TILLIT_ERR_NULL_ARGUMENT);
}

static void headers(void) {
    const char *name = NULL, *value = NULL;
    int seen = 0;
    for (size_t i = 0; i < TILLIT_RESET_PAGE_HEADER_COUNT; i++) {
        CHECK_OK(tillit_reset_page_header(i, &name, &value));
        if (strcmp(name, "Referrer-Policy") == 0 && strcmp(value, "no-referrer") == 0) seen |= 1;
        if (strcmp(name, "Cache-Control") == 0 && strcmp(value, "no-store") == 0) seen |= 2;
        if (strcmp(name, "Strict-Transport-Security") == 0 && strncmp(value, "max-age=", 8) == 0)
            seen |= 4;
    }
    CHECK(seen == 7);
    CHECK_STATUS(tillit_reset_page_header(TILLIT_RESET_PAGE_HEADER_COUNT, &name, &value),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "out of range") != NULL);
    CHECK_STATUS(tillit_reset_page_header(0, NULL, &value), TILLIT_ERR_NULL_ARGUMENT);
}

int main(void) {
    stateless();
    links();
    headers();
    TEST_SUMMARY("test_links");
}
