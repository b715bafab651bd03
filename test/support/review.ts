import type { CaseIntake, FlaggingService, FlagItem } from "@pledgewatch/core";

let counter = 0;

/**
 * A flagged listing of Công Thương's queue in Ninh Bình (counterfeit slang), opened as a case through the
 * real intake: for tests of the review routes that need a case to act on, not a capture to make.
 */
export async function flaggedCase(
  p: { flagging: Pick<FlaggingService, "evaluate">; intake: CaseIntake },
  options: { captureId?: string; province?: string; partyId?: string; item?: Partial<FlagItem> } = {},
): Promise<string> {
  counter++;
  const item: FlagItem = {
    id: `it-case-${Date.now().toString(36)}-${counter}`,
    kind: "listing",
    platform: "shopee",
    title: `Giày Nike Air Force 1 rep 1:1 like auth mẫu ${counter}`,
    text: "Hàng rep 1:1, fake loại 1, bao check.",
    price: 350000,
    seller: "Kho Giày Sỉ",
    category: "Giày dép",
    url: `https://shopee.vn/p/case-${counter}`,
    ...options.item,
  };
  const evaluation = await p.flagging.evaluate(item);
  if (!evaluation.flagged) throw new Error(`test item ${item.id} was not flagged`);
  const opened = await p.intake({
    item,
    evaluation,
    source: { kind: "seed" },
    province: options.province ?? "37",
    ...(options.captureId ? { captureId: options.captureId, pageNo: 1 } : {}),
    ...(options.partyId ? { partyId: options.partyId } : {}),
  });
  if (!opened) throw new Error("no case opened");
  return opened.case.id;
}
