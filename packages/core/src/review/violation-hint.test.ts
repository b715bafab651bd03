import { describe, expect, it } from "vitest";
import { ruleViolationType, suggestedViolationType } from "./violation-hint";

const reason = (rule: string, weight = 0.5) => ({ rule, weight });

describe("the violation type a case's reasons point to (issue 24, item 9)", () => {
  it("maps rule families to violation types", () => {
    expect(ruleViolationType("counterfeit.slang")).toBe("counterfeit");
    expect(ruleViolationType("ip.pirated")).toBe("ip_infringement");
    expect(ruleViolationType("ip.lookalike-brand")).toBe("ip_infringement");
    expect(ruleViolationType("health.cure-near-disease")).toBe("health_claim");
    expect(ruleViolationType("ad.superlative")).toBe("false_advertising");
    expect(ruleViolationType("banned.goods")).toBe("prohibited_goods");
    expect(ruleViolationType("watch.brand-authorised-sellers")).toBe("counterfeit");
    expect(ruleViolationType("smuggled.signals")).toBe("smuggled_unknown_origin");
    expect(ruleViolationType("origin.unknown")).toBe("smuggled_unknown_origin");
    expect(ruleViolationType("price.below-reference")).toBeUndefined();
    expect(ruleViolationType("watch.seller")).toBeUndefined();
    expect(ruleViolationType("staff-made-rule")).toBeUndefined();
  });

  it("preselects counterfeit for a counterfeit flag, not false advertising", () => {
    expect(
      suggestedViolationType([reason("counterfeit.slang", 0.7), reason("price.below-reference", 0.4)]),
    ).toBe("counterfeit");
  });

  it("takes the type with the most weight, the first one on a tie", () => {
    expect(
      suggestedViolationType([
        reason("ad.superlative", 0.3),
        reason("health.drug-like-claim", 0.5),
        reason("health.missing-disclaimer", 0.2),
      ]),
    ).toBe("health_claim");
    expect(suggestedViolationType([reason("ad.superlative", 0.5), reason("counterfeit.slang", 0.5)])).toBe(
      "false_advertising",
    );
  });

  it("suggests none when no reason points to a type (the reviewer chooses)", () => {
    expect(suggestedViolationType([])).toBeUndefined();
    expect(suggestedViolationType([reason("price.below-reference"), reason("watch.seller")])).toBeUndefined();
  });
});
