/* objsec.c: private security for named kernel objects (see objsec.h). */
#include "win/objsec.h"

#include <aclapi.h>

/* The current user's SID, into the caller's TOKEN_USER buffer. */
static DWORD current_user(BYTE *buf, DWORD size, PSID *sid)
{
    HANDLE token;
    DWORD got, err = 0;

    if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token) &&
        !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return GetLastError();
    if (!GetTokenInformation(token, TokenUser, buf, size, &got))
        err = GetLastError();
    CloseHandle(token);
    if (err == 0)
        *sid = ((TOKEN_USER *)buf)->User.Sid;
    return err;
}

DWORD objsec_private(ObjSecurity *o)
{
    PSID me;
    DWORD err;

    ZeroMemory(o, sizeof *o);
    if ((err = current_user(o->token.bytes, sizeof o->token.bytes, &me)) != 0)
        return err;
    /* Protected: no entry is inherited from a parent directory's defaults. */
    if (!InitializeAcl(&o->dacl.acl, sizeof o->dacl.bytes, ACL_REVISION) ||
        !AddAccessAllowedAce(&o->dacl.acl, ACL_REVISION, GENERIC_ALL, me) ||
        !InitializeSecurityDescriptor(&o->sd, SECURITY_DESCRIPTOR_REVISION) ||
        !SetSecurityDescriptorOwner(&o->sd, me, FALSE) ||
        !SetSecurityDescriptorDacl(&o->sd, TRUE, &o->dacl.acl, FALSE) ||
        !SetSecurityDescriptorControl(&o->sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED))
        return GetLastError();
    o->sa.nLength = sizeof o->sa;
    o->sa.lpSecurityDescriptor = &o->sd;
    o->sa.bInheritHandle = FALSE;
    return 0;
}

ObjSecVerdict objsec_judge(PSID owner, PACL dacl, PSID me)
{
    ACCESS_ALLOWED_ACE *ace;

    /* The owner keeps WRITE_DAC whatever the DACL says, and an unprivileged
     * process cannot make anyone but itself the owner: so an object another
     * account made with our DACL still has that account as its owner. */
    if (owner == NULL || me == NULL || !IsValidSid(owner) || !EqualSid(owner, me))
        return OBJSEC_FOREIGN;
    /* No DACL at all is default security: everyone has every right. */
    if (dacl != NULL && dacl->AceCount == 1 && GetAce(dacl, 0, (void **)&ace) &&
        ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
        EqualSid((PSID)&ace->SidStart, me))
        return OBJSEC_PRIVATE;
    return OBJSEC_FOREIGN;
}

ObjSecVerdict objsec_check(HANDLE h, DWORD *err)
{
    BYTE buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    PSID me, owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;

    *err = current_user(buf, sizeof buf, &me);
    if (*err != 0)
        return OBJSEC_ERROR;
    *err = GetSecurityInfo(h, SE_KERNEL_OBJECT,
                           OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
                           NULL, &dacl, NULL, &sd);
    if (*err != ERROR_SUCCESS)
        return OBJSEC_ERROR;
    ObjSecVerdict v = objsec_judge(owner, dacl, me);
    LocalFree(sd);
    return v;
}
