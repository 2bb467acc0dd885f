/*
 * Sealed backups from C: opens the archives Rust wrote (tests/data/backup), seals and opens
 * round trips through FILE* and memory callbacks and through paths, and checks that damaged
 * archives, unknown keys and bad arguments come back as the documented status codes.
 * Run from the repository root.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A growable memory buffer that the write callback appends to and the read callback
 * consumes from `pos`. */
typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t pos;
} buffer;

static int buffer_write(void *user_data, const uint8_t *buf, size_t len) {
    buffer *b = user_data;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown) return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, buf, len);
    b->len += len;
    return 0;
}

static ptrdiff_t buffer_read(void *user_data, uint8_t *buf, size_t len) {
    buffer *b = user_data;
    size_t left = b->len - b->pos;
    size_t n = len < left ? len : left;
    memcpy(buf, b->data + b->pos, n);
    b->pos += n;
    return (ptrdiff_t)n;
}

static ptrdiff_t file_read(void *user_data, uint8_t *buf, size_t len) {
    FILE *f = user_data;
    size_t n = fread(buf, 1, len, f);
    if (n < len && ferror(f)) return -1;
    return (ptrdiff_t)n;
}

static int failing_write(void *user_data, const uint8_t *buf, size_t len) {
    (void)user_data;
    (void)buf;
    (void)len;
    return 5;
}

static buffer read_file(const char *path) {
    buffer b = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return b;
    uint8_t chunk[512];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buffer_write(&b, chunk, n);
    fclose(f);
    return b;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static int fixture_key(uint8_t out[32]) {
    buffer hex = read_file("tests/data/backup/fixture.key.hex");
    int ok = hex.len >= 64;
    for (size_t i = 0; ok && i < 32; i++) {
        int hi = hex_value((char)hex.data[2 * i]), lo = hex_value((char)hex.data[2 * i + 1]);
        if (hi < 0 || lo < 0) ok = 0;
        else out[i] = (uint8_t)(hi * 16 + lo);
    }
    free(hex.data);
    return ok;
}

static void test_rust_fixtures_open(void) {
    uint8_t material[32];
    CHECK(fixture_key(material));
    tillit_backup_key *key = NULL;
    CHECK_OK(tillit_backup_key_from_bytes("fixture-2026", material, sizeof material, &key));
    tillit_backup_key_ring *ring = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&ring));
    CHECK_OK(tillit_backup_key_ring_add_key(ring, key));
    CHECK_OK(tillit_backup_key_ring_add_passphrase(ring, "fixture-vault",
                                                   "korrekt hest batteri stift"));

    buffer expected = read_file("tests/data/backup/fixture.txt");
    CHECK(expected.len == 297);

    const char *archives[] = {"tests/data/backup/fixture.tlb",
                              "tests/data/backup/fixture-passphrase.tlb"};
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(archives[i], "rb");
        CHECK(f != NULL);
        if (!f) continue;
        buffer out = {0};
        uint64_t plaintext_bytes = 0;
        CHECK_OK(tillit_backup_open(file_read, f, buffer_write, &out, ring, TILLIT_BACKUP_DEFAULT,
                                    &plaintext_bytes));
        fclose(f);
        CHECK(plaintext_bytes == expected.len);
        CHECK(out.len == expected.len && memcmp(out.data, expected.data, out.len) == 0);
        free(out.data);
    }

    /* The same archive cut short: the status names it, and the message says truncated. */
    buffer archive = read_file("tests/data/backup/fixture.tlb");
    archive.len -= 40;
    buffer out = {0};
    CHECK_STATUS(tillit_backup_open(buffer_read, &archive, buffer_write, &out, ring,
                                    TILLIT_BACKUP_DEFAULT, NULL),
                 TILLIT_ERR_BACKUP_INTEGRITY);
    CHECK(strstr(last_error(), "authentication") != NULL || strstr(last_error(), "truncated"));
    free(out.data);
    free(archive.data);

    free(expected.data);
    tillit_backup_key_ring_free(ring);
    tillit_backup_key_free(key);
}

static void test_round_trip_through_memory(void) {
    tillit_backup_key *key = NULL;
    CHECK_OK(tillit_backup_key_generate("c-2026", &key));
    char *id = NULL;
    CHECK_OK(tillit_backup_key_id(key, &id));
    CHECK(id != NULL && strcmp(id, "c-2026") == 0);
    tillit_string_free(id);

    buffer plain = {0};
    for (int i = 0; i < 1000; i++) {
        uint8_t byte = (uint8_t)(i * 7);
        buffer_write(&plain, &byte, 1);
    }
    buffer sealed = {0};
    uint64_t sealed_plain = 0;
    CHECK_OK(tillit_backup_seal(buffer_read, &plain, buffer_write, &sealed, key,
                                TILLIT_BACKUP_CHACHA20_POLY1305, 64, TILLIT_BACKUP_DEFAULT,
                                &sealed_plain));
    CHECK(sealed_plain == 1000);

    tillit_backup_key_ring *ring = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&ring));
    CHECK_OK(tillit_backup_key_ring_add_key(ring, key));
    CHECK_STATUS(tillit_backup_key_ring_add_key(ring, key), TILLIT_ERR_INVALID_ARGUMENT);

    buffer opened = {0};
    CHECK_OK(tillit_backup_open(buffer_read, &sealed, buffer_write, &opened, ring,
                                TILLIT_BACKUP_DEFAULT, NULL));
    CHECK(opened.len == plain.len && memcmp(opened.data, plain.data, plain.len) == 0);

    /* One flipped bit in the body. */
    sealed.pos = 0;
    sealed.data[sealed.len - 20] ^= 1;
    buffer damaged = {0};
    CHECK_STATUS(tillit_backup_open(buffer_read, &sealed, buffer_write, &damaged, ring,
                                    TILLIT_BACKUP_DEFAULT, NULL),
                 TILLIT_ERR_BACKUP_INTEGRITY);

    /* A ring without the key. */
    tillit_backup_key_ring *empty = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&empty));
    sealed.pos = 0;
    CHECK_STATUS(tillit_backup_open(buffer_read, &sealed, buffer_write, &damaged, empty,
                                    TILLIT_BACKUP_DEFAULT, NULL),
                 TILLIT_ERR_BACKUP_KEY);
    CHECK(strstr(last_error(), "c-2026") != NULL);

    /* A write callback that fails. */
    plain.pos = 0;
    CHECK_STATUS(tillit_backup_seal(buffer_read, &plain, failing_write, NULL, key,
                                    TILLIT_BACKUP_AES_256_GCM, 64, TILLIT_BACKUP_DEFAULT, NULL),
                 TILLIT_ERR_IO);

    free(damaged.data);
    free(opened.data);
    free(sealed.data);
    free(plain.data);
    tillit_backup_key_ring_free(empty);
    tillit_backup_key_ring_free(ring);
    tillit_backup_key_free(key);
}

static void test_files_and_passphrases(void) {
    const char *plain_path = "/tmp/tillit-c-test-backup-plain.bin";
    const char *sealed_path = "/tmp/tillit-c-test-backup-sealed.tlb";
    const char *opened_path = "/tmp/tillit-c-test-backup-opened.bin";
    FILE *f = fopen(plain_path, "wb");
    CHECK(f != NULL);
    if (!f) return;
    for (int i = 0; i < 100000; i++) fputc(i % 251, f);
    fclose(f);

    tillit_backup_key *key = NULL;
    CHECK_OK(tillit_backup_key_derive_from_passphrase("c-vault", "sju fine fjorder", 64, 1, 1,
                                                      &key));
    CHECK_OK(tillit_backup_seal_file(plain_path, sealed_path, key, TILLIT_BACKUP_AES_256_GCM,
                                     TILLIT_BACKUP_DEFAULT_CHUNK_SIZE, TILLIT_BACKUP_DEFAULT));
    tillit_backup_key_ring *ring = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&ring));
    CHECK_OK(tillit_backup_key_ring_add_passphrase(ring, "c-vault", "sju fine fjorder"));
    CHECK_OK(tillit_backup_open_file(sealed_path, opened_path, ring, TILLIT_BACKUP_DEFAULT));
    buffer a = read_file(plain_path), b = read_file(opened_path);
    CHECK(a.len == 100000 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    free(a.data);
    free(b.data);

    tillit_backup_key_ring *wrong = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&wrong));
    CHECK_OK(tillit_backup_key_ring_add_passphrase(wrong, "c-vault", "sju fine fjorder?"));
    CHECK_STATUS(tillit_backup_open_file(sealed_path, opened_path, wrong, TILLIT_BACKUP_DEFAULT),
                 TILLIT_ERR_BACKUP_INTEGRITY);

    CHECK_STATUS(tillit_backup_seal_file(plain_path, sealed_path, key, 9, 65536, 0),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_backup_seal_file(plain_path, sealed_path, key, 1, 10, 0),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tillit_backup_seal_file(NULL, sealed_path, key, 1, 65536, 0),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_backup_open(NULL, NULL, buffer_write, NULL, ring, TILLIT_BACKUP_DEFAULT,
                                    NULL),
                 TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_backup_key_generate("has space", &key), TILLIT_ERR_INVALID_ARGUMENT);

    tillit_backup_key_ring_free(wrong);
    tillit_backup_key_ring_free(ring);
    tillit_backup_key_free(key);
    remove(plain_path);
    remove(sealed_path);
    remove(opened_path);
}

/* Both flags, across three batches (40 chunks of 64 bytes and a few more), so the default
 * starts its second thread: archives sealed either way open either way, damage is reported the
 * same on one thread, and unknown flag bits are refused. */
static void test_one_thread_and_pipelined_agree(void) {
    tillit_backup_key *key = NULL;
    CHECK_OK(tillit_backup_key_generate("c-flags", &key));
    tillit_backup_key_ring *ring = NULL;
    CHECK_OK(tillit_backup_key_ring_new(&ring));
    CHECK_OK(tillit_backup_key_ring_add_key(ring, key));
    buffer plain = {0};
    for (int i = 0; i < 40 * 64 + 5; i++) {
        uint8_t byte = (uint8_t)(i % 241);
        buffer_write(&plain, &byte, 1);
    }
    const uint32_t flags[] = {TILLIT_BACKUP_DEFAULT, TILLIT_BACKUP_ONE_THREAD};
    for (size_t s = 0; s < 2; s++) {
        plain.pos = 0;
        buffer sealed = {0};
        CHECK_OK(tillit_backup_seal(buffer_read, &plain, buffer_write, &sealed, key,
                                    TILLIT_BACKUP_AES_256_GCM, 64, flags[s], NULL));
        for (size_t o = 0; o < 2; o++) {
            sealed.pos = 0;
            buffer opened = {0};
            uint64_t n = 0;
            CHECK_OK(tillit_backup_open(buffer_read, &sealed, buffer_write, &opened, ring,
                                        flags[o], &n));
            CHECK(n == plain.len);
            CHECK(opened.len == plain.len && memcmp(opened.data, plain.data, plain.len) == 0);
            free(opened.data);
        }
        sealed.pos = 0;
        sealed.data[sealed.len / 2] ^= 1;
        buffer damaged = {0};
        CHECK_STATUS(tillit_backup_open(buffer_read, &sealed, buffer_write, &damaged, ring,
                                        flags[s], NULL),
                     TILLIT_ERR_BACKUP_INTEGRITY);
        free(damaged.data);
        free(sealed.data);
    }

    plain.pos = 0;
    buffer ignored = {0};
    CHECK_STATUS(tillit_backup_seal(buffer_read, &plain, buffer_write, &ignored, key,
                                    TILLIT_BACKUP_AES_256_GCM, 64, 2, NULL),
                 TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(strstr(last_error(), "TILLIT_BACKUP_ONE_THREAD") != NULL);
    CHECK(ignored.len == 0);
    CHECK_STATUS(tillit_backup_open_file("/nonexistent", "/nonexistent.out", ring, 0x80),
                 TILLIT_ERR_INVALID_ARGUMENT);
    free(ignored.data);
    free(plain.data);
    tillit_backup_key_ring_free(ring);
    tillit_backup_key_free(key);
}

int main(void) {
    test_rust_fixtures_open();
    test_round_trip_through_memory();
    test_files_and_passphrases();
    test_one_thread_and_pipelined_agree();
    TEST_SUMMARY("test_backup");
}
