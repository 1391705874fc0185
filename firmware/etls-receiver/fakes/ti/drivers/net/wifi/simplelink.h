/* A small stand-in for TI's <ti/drivers/net/wifi/simplelink.h>: only the sl_Fs* API the receiver uses,
 * so the SimpleLink backend compiles and runs on the host (fakes/fake_sl_fs.c). Not TI's header. */
#ifndef FAKE_SIMPLELINK_H
#define FAKE_SIMPLELINK_H

#include <stddef.h>

typedef unsigned char _u8;
typedef signed char _i8;
typedef unsigned short _u16;
typedef signed short _i16;
typedef unsigned int _u32;
typedef signed int _i32;

#define SL_ERROR_FS_FILE_NOT_EXISTS (-10341)
#define SL_ERROR_FS_FILE_ALREADY_EXISTS (-10264)
#define SL_ERROR_FS_NO_AVAILABLE_BLOCKS (-10353)
#define SL_ERROR_FS_INVALID_HANDLE (-10324)

#ifdef ETLS_SL_API_V1
/* host driver 1.x (CC3100, CC3200) */
#define _FS_FILE_OPEN_FLAG_COMMIT 0x1u
#define FS_MODE_OPEN_READ 0x0u
#define FS_MODE_OPEN_WRITE 0x1u
#define FS_MODE_OPEN_CREATE(maxSizeInBytes, accessModeFlags) \
    ((_u32)(3u << 12) | ((_u32)(accessModeFlags) << 16) | (((_u32)(maxSizeInBytes) / 256u) & 0xFFFu))
_i32 sl_FsOpen(const _u8 *pFileName, const _u32 AccessModeAndMaxSize, _u32 *pToken, _i32 *pFileHandle);
#else
/* host driver 2.x and later (CC3220, CC3235, CC3120, CC3135) */
#define SL_FS_READ ((_u32)0x0u << 12)
#define SL_FS_WRITE ((_u32)0x1u << 12)
#define SL_FS_CREATE ((_u32)0x2u << 12)
#define SL_FS_OVERWRITE ((_u32)0x3u << 12)
#define SL_FS_CREATE_FAILSAFE ((_u32)0x1u << 17)
#define SL_FS_CREATE_SECURE ((_u32)0x1u << 18)
#define SL_FS_CREATE_MAX_SIZE(MaxFileSize) ((((_u32)(MaxFileSize) + 255u) / 256u) & 0xFFFu)
_i32 sl_FsOpen(const _u8 *pFileName, const _u32 AccessModeAndMaxSize, _u32 *pToken);
#endif

_i16 sl_FsClose(const _i32 FileHdl, const _u8 *pCeritificateFileName, const _u8 *pSignature, const _u32 SignatureLen);
_i32 sl_FsRead(const _i32 FileHdl, _u32 Offset, _u8 *pData, _u32 Len);
_i32 sl_FsWrite(const _i32 FileHdl, _u32 Offset, _u8 *pData, _u32 Len);
_i16 sl_FsDel(const _u8 *pFileName, const _u32 Token);

/* fake only: where the simulated serial flash keeps its files */
void fake_sl_set_root(const char *dir);

#endif
