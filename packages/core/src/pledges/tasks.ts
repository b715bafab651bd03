import { z } from "zod";
import { type Principal, PrincipalSchema } from "../auth/roles";
import type { Party } from "../parties/model";
import type { Logger } from "../ports";
import { type SignerGroup, SignerGroupSchema } from "../reference/signer-groups";
import { defineTask } from "../tasks";
import { EMAIL_SIGNED_COPY_TASK, INVITE_MANY_TASK, type SigningService } from "./service";

/** A page of the parties a staff member may see, for inviting many. */
export type PartyLister = (
  actor: Principal,
  filter: { group?: SignerGroup | undefined; province?: string | undefined },
  cursor: string | undefined,
) => Promise<{ items: Party[]; next?: string | undefined }>;

/** The pledges' background tasks: the signed copy e-mailed, many parties invited. */
export function pledgeTasks(signing: SigningService, listParties: PartyLister, logger: Logger) {
  return [
    defineTask({
      type: EMAIL_SIGNED_COPY_TASK,
      schema: z.object({ documentCode: z.string().min(1) }),
      run: async (p) => signing.emailSignedCopy(p.documentCode),
    }),
    defineTask({
      type: INVITE_MANY_TASK,
      schema: z.object({
        actor: PrincipalSchema,
        filter: z
          .object({ group: SignerGroupSchema.optional(), province: z.string().optional() })
          .default({}),
      }),
      async run({ actor, filter }) {
        const result = await signing.runInviteMany(actor, filter, (cursor) =>
          listParties(actor, filter, cursor),
        );
        logger.info("invitations sent", { ...result });
      },
    }),
  ];
}
