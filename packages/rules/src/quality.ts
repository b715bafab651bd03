import type { AgencyCode, Decision } from "@pledgewatch/core";
import { z } from "zod";

/** A labelled item: the input plus what a person decided it is (the dev set's and our fixtures' format). */
export const LabelSchema = z.object({
  violation: z.boolean(),
  types: z.array(z.string()).default([]),
  /** Agencies that could rightly own the case; the first is the usual owner. */
  agencies: z.array(z.enum(["CT", "VHTT", "YT"])).default([]),
});
export type Label = z.infer<typeof LabelSchema>;

export interface Quality {
  items: number;
  positives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Share of true positives whose agency is one of the labelled agencies. */
  agencyAccuracy: number;
  /** Share of true positives whose agency is the labelled usual owner. */
  agencyOwnerAccuracy: number;
  falsePositiveIds: string[];
  falseNegativeIds: string[];
  wrongAgencyIds: string[];
}

export function measure(pairs: ReadonlyArray<{ decision: Decision; label: Label }>): Quality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let agencyOk = 0;
  let ownerOk = 0;
  const falsePositiveIds: string[] = [];
  const falseNegativeIds: string[] = [];
  const wrongAgencyIds: string[] = [];
  for (const { decision, label } of pairs) {
    if (decision.flagged && label.violation) {
      tp++;
      const agency = decision.agency as AgencyCode;
      if (label.agencies.length === 0 || label.agencies.includes(agency)) agencyOk++;
      else wrongAgencyIds.push(decision.id);
      if (label.agencies.length === 0 || label.agencies[0] === agency) ownerOk++;
    } else if (decision.flagged) {
      fp++;
      falsePositiveIds.push(decision.id);
    } else if (label.violation) {
      fn++;
      falseNegativeIds.push(decision.id);
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    items: pairs.length,
    positives: tp + fn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    agencyAccuracy: ratio(agencyOk, tp),
    agencyOwnerAccuracy: ratio(ownerOk, tp),
    falsePositiveIds,
    falseNegativeIds,
    wrongAgencyIds,
  };
}
