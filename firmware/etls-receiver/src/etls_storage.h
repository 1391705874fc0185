/* The storage backend a board gives the etls-frame receiver: one file transfer at a time. Every call
 * returns 0 or a negative ETLS_ERR_* code. The new file must not replace the live one before commit(). */
#ifndef ETLS_STORAGE_H
#define ETLS_STORAGE_H

#include <stdint.h>

typedef struct etls_storage {
    /** Short name for the HELLO reply, e.g. "posix", "fatfs", "simplelink", "esp-idf". */
    const char *name;
    void *ctx;
    /** Creates a temporary (or failsafe) file that will become `name`, `size` bytes long. */
    int (*begin)(void *ctx, const char *name, uint32_t size);
    int (*write)(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len);
    /** Reads the temporary file back for VERIFY; NULL when the storage cannot read it before commit. */
    int (*read)(void *ctx, uint32_t offset, uint8_t *data, uint32_t len);
    /** Makes the new file the live one in one step (rename, or closing a failsafe file). */
    int (*commit)(void *ctx);
    /** Drops the new file; the live one stays as it was. */
    void (*abort)(void *ctx);
} etls_storage;

#endif
