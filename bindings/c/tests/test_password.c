/*
 * The password capability through the C ABI: hashing, verification with upgrade, hostile
 * stored hashes, needs_rehash, the dummy verify and the new-password policy. Tiny argon2
 * parameters keep the run short under valgrind.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"

#define PW(s) (const uint8_t *)(s), strlen(s)

int main(void) {
    tillit_password_hasher *h = NULL;
    CHECK_OK(tillit_password_hasher_new(64, 1, 1, &h));
    CHECK(h != NULL);

    char *stored = NULL;
    CHECK_OK(tillit_password_hash(h, PW("correct horse battery staple"), &stored));
    CHECK(stored != NULL && strncmp(stored, "$argon2id$v=19$m=64,t=1,p=1$", 28) == 0);

    bool valid = false;
    char *new_hash = (char *)1;
    CHECK_OK(tillit_password_verify(h, PW("correct horse battery staple"), stored, &valid, &new_hash));
    CHECK(valid);
    CHECK(new_hash == NULL);
    CHECK_OK(tillit_password_verify(h, PW("wrong"), stored, &valid, NULL));
    CHECK(!valid);

    bool needs = true;
    CHECK_OK(tillit_password_needs_rehash(h, stored, &needs));
    CHECK(!needs);

    /* A stronger policy upgrades the weak hash on login. */
    tillit_password_hasher *strong = NULL;
    CHECK_OK(tillit_password_hasher_new(128, 2, 1, &strong));
    CHECK_OK(tillit_password_needs_rehash(strong, stored, &needs));
    CHECK(needs);
    CHECK_OK(tillit_password_verify(strong, PW("correct horse battery staple"), stored, &valid, &new_hash));
    CHECK(valid);
    CHECK(new_hash != NULL && strstr(new_hash, "m=128,t=2,p=1") != NULL);
    tillit_string_free(new_hash);
    tillit_password_hasher_free(strong);

    /* Hostile stored hashes: typed errors, outputs untouched. */
    const char *hostile[] = {
        "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2d$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "not a hash",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        valid = true;
        CHECK_STATUS(tillit_password_verify(h, PW("pw"), hostile[i], &valid, NULL), TILLIT_ERR_INVALID_HASH);
        CHECK(valid);
        CHECK(strlen(last_error()) > 0);
    }
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_INVALID_HASH), "TILLIT_ERR_INVALID_HASH") == 0);
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_BUSY), "TILLIT_ERR_BUSY") == 0);

    /* NULL arguments and bad input. */
    CHECK_STATUS(tillit_password_hash(NULL, PW("pw"), &stored), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_password_hash(h, NULL, 3, &stored), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_password_verify(h, PW("pw"), NULL, &valid, NULL), TILLIT_ERR_NULL_ARGUMENT);
    const uint8_t not_utf8[] = {0xff, 0xfe};
    char *never = NULL;
    CHECK_STATUS(tillit_password_hash(h, not_utf8, 2, &never), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(never == NULL);
    tillit_password_hasher *bad = NULL;
    CHECK_STATUS(tillit_password_hasher_new(64, 0, 1, &bad), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);

    /* Unknown users: same work, never valid. */
    valid = true;
    CHECK_OK(tillit_password_verify_unknown_user(h, PW("anything"), &valid));
    CHECK(!valid);

    /* NFC-equivalent spellings verify each other. */
    char *angstrom = NULL;
    CHECK_OK(tillit_password_hash(h, PW("\xc3\x85ngstr\xc3\xb6m"), &angstrom));
    CHECK_OK(tillit_password_verify(h, PW("A\xcc\x8angstro\xcc\x88m"), angstrom, &valid, NULL));
    CHECK(valid);
    tillit_string_free(angstrom);

    tillit_string_free(stored);
    tillit_password_hasher_free(h);
    tillit_password_hasher_free(NULL);

    /* The policy names each broken rule. */
    tillit_password_policy *policy = NULL;
    CHECK_OK(tillit_password_policy_new(false, &policy));
    char *rules = NULL;
    CHECK_OK(tillit_password_policy_check(policy, PW("violet kettle under the bridge"), NULL, 0, NULL, 0, &rules));
    CHECK(rules != NULL && strcmp(rules, "") == 0);
    tillit_string_free(rules);
    CHECK_OK(tillit_password_policy_check(policy, PW("password1"), PW("password2"), NULL, 0, &rules));
    CHECK(rules != NULL && strcmp(rules, "too_short,common,confirmation_mismatch") == 0);
    tillit_string_free(rules);
    const char *inputs[] = {"kari.nordmann@example.no", "Kari Nordmann"};
    CHECK_OK(tillit_password_policy_check(policy, PW("KARI.NORDMANN@example.no"), NULL, 0, inputs, 2, &rules));
    CHECK(rules != NULL && strcmp(rules, "matches_user_input") == 0);
    tillit_string_free(rules);
    tillit_password_policy_free(policy);

    TEST_SUMMARY("test_password");
}
