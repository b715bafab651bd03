import { createInvitationAdmin } from "./invitation-admin";
import { createInviting } from "./inviting";
import { createPublicRegistry } from "./public-registry";
import { createSign } from "./sign";
import { createSignerAccess } from "./signer-access";
import { maskEmail, type SigningDeps, signingContext } from "./signing-context";
import { createStaffPledges } from "./staff-pledges";

export * from "./signing-context";

/**
 * Pledges from invitation to the public registry, one module per part: inviting (inviting.ts), staff's
 * handling of invitations (invitation-admin.ts), the signer's access by link and code (signer-access.ts),
 * signing and the signed copy (sign.ts), signed pledges for staff (staff-pledges.ts) and the public
 * registry (public-registry.ts). They share one context (signing-context.ts).
 */
export function createSigningService(deps: SigningDeps) {
  const ctx = signingContext(deps);
  return {
    maskEmail,
    ...createInviting(ctx),
    ...createInvitationAdmin(ctx),
    ...createStaffPledges(ctx),
    ...createSignerAccess(ctx),
    ...createSign(ctx),
    ...createPublicRegistry(ctx),
  };
}

export type SigningService = ReturnType<typeof createSigningService>;
