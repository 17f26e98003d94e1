/* objsec.h: named kernel objects that only the current user can open.
 *
 * The original chat system created its mapping and mutex with default
 * security: any process that could reach the session's namespace could write
 * the segment or hold its lock for good. A chat server creates every named
 * object it owns (mapping, mutex, stop event, alive mutex) with
 * objsec_private(): its owner is the current user and its protected DACL has
 * one entry, granting the current user all access. Nobody else gets any, not
 * even read access; the user's own processes (the clients) still open it.
 *
 * An object of that name that already existed is one a chat server of this
 * user made only if its owner is the current user and its DACL is exactly
 * that: objsec_check() tells, from a handle with READ_CONTROL (a handle from
 * CreateXxx has it). Anything else is a squatter (another account that
 * copied the DACL stays the owner, with WRITE_DAC), or the original server,
 * which uses default security.
 *
 * Contract: ADVAPI32 (tokens and security descriptors live there), nothing
 * allocated that outlives a call; thread-safe. */
#ifndef CHAT_WIN_OBJSEC_H
#define CHAT_WIN_OBJSEC_H

#include <windows.h>

typedef struct ObjSecurity {
    SECURITY_ATTRIBUTES sa; /* pass &sa to CreateFileMapping, CreateMutex... */
    SECURITY_DESCRIPTOR sd; /* absolute: points into the buffers below, so the
                               struct must not be copied or moved once made */
    union {
        ACL acl;
        BYTE bytes[sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + SECURITY_MAX_SID_SIZE];
    } dacl;
    union {
        TOKEN_USER user;
        BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    } token;
} ObjSecurity;

/* Fills *o for the current user. Returns 0, or the Win32 error. */
DWORD objsec_private(ObjSecurity *o);

typedef enum ObjSecVerdict {
    OBJSEC_PRIVATE, /* the DACL objsec_private makes, for the current user */
    OBJSEC_FOREIGN, /* any other DACL, or none at all (default security) */
    OBJSEC_ERROR,   /* could not be read: *err says why */
} ObjSecVerdict;

/* Reads the owner and the DACL of the object behind h (which needs
 * READ_CONTROL) and judges them with objsec_judge. */
ObjSecVerdict objsec_check(HANDLE h, DWORD *err);

/* The decision itself, on a descriptor's parts: OBJSEC_PRIVATE only when
 * `owner` is `me` and `dacl` is exactly one allow entry for `me`. Any of them
 * may be NULL (then FOREIGN). Apart from the reading so that it can be tested
 * on crafted descriptors: Wine has one user, so no other account can make an
 * object there. */
ObjSecVerdict objsec_judge(PSID owner, PACL dacl, PSID me);

#endif
