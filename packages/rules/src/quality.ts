import { type AgencyCode, type Decision, FLAG_TYPES, type FlagType } from "@pledgewatch/core";
import { z } from "zod";

/** A labelled item: the input plus what a person decided it is (the dev set's and our fixtures' format). */
export const LabelSchema = z.object({
  violation: z.boolean(),
  types: z.array(z.enum(FLAG_TYPES)).default([]),
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

/** Precision and recall of one violation type or one agency. */
export interface Share {
  /** Labelled items of this type (of this usual owner). */
  labelled: number;
  /** Of those, flagged. */
  caught: number;
  /** Items flagged with a reason of this type (flagged for this agency). */
  flagged: number;
  /** Of those, labelled violations. */
  right: number;
  precision: number;
  recall: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

function share(labelled: number, caught: number, flagged: number, right: number): Share {
  return {
    labelled,
    caught,
    flagged,
    right,
    precision: ratio(right, flagged),
    recall: ratio(caught, labelled),
  };
}

/**
 * Per violation type: recall counts the items labelled with the type that are flagged (for any reason:
 * the reviewer sees them); precision counts the flagged items with a reason of the type that are real
 * violations. Per agency: recall over the items whose usual owner it is, precision over the items flagged
 * for it. A flagged violation's own type need not be the reason's: a counterfeit bag priced at a tenth of
 * the original is rightly flagged by the price rule too.
 */
export function measureByType(pairs: ReadonlyArray<{ decision: Decision; label: Label }>): {
  types: Record<FlagType, Share>;
  agencies: Record<AgencyCode, Share>;
} {
  const types = {} as Record<FlagType, Share>;
  for (const type of FLAG_TYPES) {
    let labelled = 0;
    let caught = 0;
    let flagged = 0;
    let right = 0;
    for (const { decision, label } of pairs) {
      if (label.types.includes(type)) {
        labelled++;
        if (decision.flagged) caught++;
      }
      if (decision.flagged && decision.reasons.some((r) => r.flagType === type)) {
        flagged++;
        if (label.violation) right++;
      }
    }
    types[type] = share(labelled, caught, flagged, right);
  }
  const agencies = {} as Record<AgencyCode, Share>;
  for (const agency of ["CT", "VHTT", "YT"] as const) {
    let labelled = 0;
    let caught = 0;
    let flagged = 0;
    let right = 0;
    for (const { decision, label } of pairs) {
      if (label.violation && label.agencies[0] === agency) {
        labelled++;
        if (decision.flagged) caught++;
      }
      if (decision.flagged && decision.agency === agency) {
        flagged++;
        if (label.violation) right++;
      }
    }
    agencies[agency] = share(labelled, caught, flagged, right);
  }
  return { types, agencies };
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
