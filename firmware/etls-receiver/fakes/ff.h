/* A small stand-in for ChaN's FatFs <ff.h>: the declarations the FatFs backend uses, so it compiles on
 * the host. On the board, use the ff.h of your FatFs port. */
#ifndef FAKE_FF_H
#define FAKE_FF_H

typedef unsigned int UINT;
typedef unsigned char BYTE;
typedef unsigned long DWORD;
typedef DWORD FSIZE_t;
typedef char TCHAR;

typedef struct {
    FSIZE_t fptr;
    void *impl;
} FIL;

typedef enum {
    FR_OK = 0, FR_DISK_ERR, FR_INT_ERR, FR_NOT_READY, FR_NO_FILE, FR_NO_PATH, FR_INVALID_NAME, FR_DENIED,
    FR_EXIST, FR_INVALID_OBJECT, FR_WRITE_PROTECTED, FR_INVALID_DRIVE, FR_NOT_ENABLED, FR_NO_FILESYSTEM
} FRESULT;

#define FA_READ 0x01
#define FA_WRITE 0x02
#define FA_CREATE_ALWAYS 0x08

FRESULT f_open(FIL *fp, const TCHAR *path, BYTE mode);
FRESULT f_close(FIL *fp);
FRESULT f_read(FIL *fp, void *buff, UINT btr, UINT *br);
FRESULT f_write(FIL *fp, const void *buff, UINT btw, UINT *bw);
FRESULT f_lseek(FIL *fp, FSIZE_t ofs);
FRESULT f_sync(FIL *fp);
FRESULT f_unlink(const TCHAR *path);
FRESULT f_rename(const TCHAR *path_old, const TCHAR *path_new);

#endif
