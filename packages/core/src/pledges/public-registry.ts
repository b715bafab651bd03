import type { UploadedPdfVerdict } from "./document";
import { quarterId } from "./quarters";
import {
  DOCUMENT_CODE_PATTERN,
  type PublicPledgeView,
  type SigningContext,
  sha256Hex,
} from "./signing-context";

/** What the public sees: a document code checked, an uploaded PDF verified, the registry of a quarter. */
export function createPublicRegistry(ctx: SigningContext) {
  const { deps, signing, clock, publicView } = ctx;

  return {
    // ---- public ------------------------------------------------------------------------------------

    async verifyCodeLookup(documentCode: string): Promise<PublicPledgeView | null> {
      const code = documentCode.trim().toUpperCase();
      if (!DOCUMENT_CODE_PATTERN.test(code)) return null;
      const pledge = await signing.findPledgeByCode(code);
      return pledge ? publicView(pledge) : null;
    },

    /** What an uploaded PDF is: one of ours, unchanged, and which pledge; or why not. */
    async verifyUpload(
      pdf: Uint8Array,
    ): Promise<{ verdict: UploadedPdfVerdict; pledge: PublicPledgeView | null }> {
      const verdict = await deps.inspect(pdf);
      if (verdict.kind !== "ours_intact") return { verdict, pledge: null };
      const byHash = await signing.findPledgeByFileHash(sha256Hex(pdf));
      const pledge = byHash ?? (await signing.findPledgeByCode(verdict.documentCode));
      return { verdict, pledge: pledge ? await publicView(pledge) : null };
    },

    async publicRegistry(query: {
      quarter?: string | undefined;
      province?: string | undefined;
      family?: string | undefined;
      cursor?: string | undefined;
    }) {
      const quarter = query.quarter ?? quarterId(clock.now());
      const page = await signing.publicPledges({ ...query, quarter, limit: 50 });
      const items = await Promise.all(page.items.map(publicView));
      return { quarter, items, next: page.next };
    },

    currentQuarter(): string {
      return quarterId(clock.now());
    },
  };
}
