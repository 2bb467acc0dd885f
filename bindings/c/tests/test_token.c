/*
 * Reset tokens through the C ABI: the whole flow on the memory and the SQLite store, the
 * same status for known and unknown addresses, and each token error as its own status code.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static const char *BASE = "https://app.example.no/glemt-passord";
static const char *HASH_A = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";
static const char *HASH_B = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0eHg$b3RoZXJoYXNob3RoZXJoYXM";
static const char *GOOD = "en lang og god passordsetning";
static const int64_t T0 = 1764000000;

static void flow(tillit_password_reset *reset) {
    char *link = NULL, *token = NULL, *account = NULL, *hash = NULL;

    /* Unknown address: success, and no mail. */
    CHECK_OK(tillit_password_reset_request(reset, "nobody@example.no", NULL, NULL, "ip", T0,
                                           &link, &token));
    CHECK(link == NULL && token == NULL);

    CHECK_OK(tillit_password_reset_request(reset, "kari@example.no", "acct-1", HASH_A, "ip", T0,
                                           &link, &token));
    CHECK(link != NULL && token != NULL);
    CHECK(link != NULL && strncmp(link, BASE, strlen(BASE)) == 0);
    CHECK(token != NULL && strncmp(token, "tlr1_", 5) == 0);

    /* A mail scanner opens the link: nothing is used. */
    CHECK_OK(tillit_password_reset_peek(reset, link, NULL, T0 + 1, &account));
    CHECK(account != NULL && strcmp(account, "acct-1") == 0);
    tillit_string_free(account);
    account = NULL;

    CHECK_STATUS(tillit_password_reset_peek(reset, token, NULL, T0 + 1800, &account),
                 TILLIT_ERR_TOKEN_EXPIRED);
    CHECK(account == NULL);
    CHECK_STATUS(tillit_password_reset_consume(reset, token, HASH_B, T0 + 1, &account),
                 TILLIT_ERR_TOKEN_INVALID);
    CHECK_STATUS(tillit_password_reset_peek(reset, "tlr1_nonsense", NULL, T0, &account),
                 TILLIT_ERR_TOKEN_INVALID);
    CHECK_STATUS(tillit_password_reset_complete(reset, token, "kort", "kurt", HASH_A, T0 + 1, &hash),
                 TILLIT_ERR_PASSWORD_POLICY);
    CHECK(strstr(last_error(), "new password refused") != NULL);
    CHECK(hash == NULL);

    CHECK_OK(tillit_password_reset_complete(reset, token, GOOD, GOOD, HASH_A, T0 + 2, &hash));
    CHECK(hash != NULL && strncmp(hash, "$argon2id$v=19$", 15) == 0);
    tillit_string_free(hash);
    hash = NULL;
    CHECK_STATUS(tillit_password_reset_complete(reset, token, GOOD, GOOD, HASH_A, T0 + 3, &hash),
                 TILLIT_ERR_TOKEN_USED);
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_TOKEN_USED), "TILLIT_ERR_TOKEN_USED") == 0);
    tillit_string_free(link);
    tillit_string_free(token);

    uint64_t revoked = 99;
    CHECK_OK(tillit_password_reset_revoke_all(reset, "acct-1", &revoked));
    CHECK(revoked == 0);

    /* Half an account is a usage error; NULL outputs are refused before any work. */
    CHECK_STATUS(tillit_password_reset_request(reset, "a@b.no", "acct", NULL, "ip", T0, &link,
                                               &token),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_password_reset_request(reset, "a@b.no", NULL, NULL, "ip", T0, NULL,
                                               &token),
                 TILLIT_ERR_NULL_ARGUMENT);
}

static void throttling(void) {
    uint8_t key[32] = {0};
    tillit_password_reset *reset = NULL;
    CHECK_OK(tillit_password_reset_new_memory(key, sizeof key, BASE, &reset));
    char *link = NULL, *token = NULL;
    for (int i = 0; i < 20; i++) {
        CHECK_OK(tillit_password_reset_request(reset, "x@example.no", NULL, NULL, "ip-t", T0,
                                               &link, &token));
    }
    CHECK_STATUS(tillit_password_reset_request(reset, "x@example.no", NULL, NULL, "ip-t", T0,
                                               &link, &token),
                 TILLIT_ERR_THROTTLED);
    CHECK_STATUS(tillit_password_reset_request(reset, "kari@example.no", "a", HASH_A, "ip-t", T0,
                                               &link, &token),
                 TILLIT_ERR_THROTTLED);
    tillit_password_reset_free(reset);
}

int main(void) {
    uint8_t key[32];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)i;

    tillit_password_reset *memory = NULL;
    CHECK_STATUS(tillit_password_reset_new_memory(key, 31, BASE, &memory),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_password_reset_new_memory(key, 32, "http://plain.example.no", &memory),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(memory == NULL);
    CHECK_OK(tillit_password_reset_new_memory(key, sizeof key, BASE, &memory));
    flow(memory);
    tillit_password_reset_free(memory);
    tillit_password_reset_free(NULL);

    char dir[] = "/tmp/tillit-c-token-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/tokens.db", dir);
    tillit_password_reset *sqlite = NULL;
    CHECK_OK(tillit_password_reset_new_sqlite(path, key, sizeof key, BASE, &sqlite));
    flow(sqlite);
    tillit_password_reset_free(sqlite);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    unlink(path);
    rmdir(dir);

    throttling();
    TEST_SUMMARY("test_token");
}
