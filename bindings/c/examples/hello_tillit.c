/* The smallest C program that uses tillit: print the version, handle errors the tillit way. */
#include <stdio.h>

#include "tillit.h"

int main(void) {
    char *version = NULL;
    tillit_status status = tillit_version(&version);
    if (status != TILLIT_OK) {
        char message[512];
        tillit_last_error_message(message, sizeof message, NULL);
        fprintf(stderr, "%s: %s\n", tillit_status_name(status), message);
        return 1;
    }
    printf("tillit %s\n", version);
    tillit_string_free(version);
    return 0;
}
