/*
 * A stand-in for Windows' bcryptprimitives.dll, for running apppass's
 * Windows build under Wine in CI (scripts/wine.sh) and nowhere else.
 *
 * Why: every Windows binary built with Go 1.24 or later imports ProcessPrng
 * from bcryptprimitives.dll for its random numbers. Debian's Wine 8 has no
 * such DLL, so a Go program stops before main. This DLL exports ProcessPrng
 * and fills the buffer from advapi32's RtlGenRandom (SystemFunction036),
 * which Wine has. Real Windows has the real DLL; this file never ships.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng fills data with size random bytes; it always succeeds on
 * Windows, so it reports failure only if the generator does. Buffers larger
 * than a ULONG are filled in pieces. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
