import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PLEDGE_FAMILIES } from "../reference/signer-groups";
import { compareQuarterIds, isQuarterId } from "./quarters";
import type { PledgeTemplate } from "./template";
import {
  PLEDGE_TEMPLATES,
  templateById,
  templateFor,
  templateHash,
  templateKey,
  templateText,
} from "./templates";

/**
 * The published versions. A signed pledge points at its template version and its document hash covers
 * this text, so a published version must never change. If this test fails because you edited a template:
 * revert the edit and add version N+1 of the family with `appliesFrom` set to a later quarter instead
 * (docs/pledge-templates.md). Adding a version means adding its pin here.
 */
const PUBLISHED: Readonly<Record<string, string>> = {
  "platform@1": "02a93cebdd3c54868eaf0a614be8c162a1e186674f4412e1f54f7f519fb62836",
  "media@1": "6efdba27b039a23071c00ab66ff5dcbe4590a7fecc54ad48c1ab3858da0f3470",
  "public_figure@1": "d6d6621911a9f3fab1ad32f6239a12540cbeb3e12ea9361643f2ec3925fe7ba4",
  "medical@1": "442c8812a5abb6a66ae3cd18a769cf12fe80431d5c6f3de8938e538ce3010b27",
};

/**
 * What else of a published version must not change: its first quarter (decides who signs what) and its
 * declaration fields (labels are printed on signed documents), as SHA-256 of their JSON.
 */
const NO_DECLARATIONS = "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"; // "[]"
const PUBLISHED_EXTRAS: Readonly<Record<string, { appliesFrom: string; declarationsSha256: string }>> = {
  "platform@1": {
    appliesFrom: "2026-Q1",
    declarationsSha256: "1cf92806fb159ca2ce9cccdf165383378fc322c88c1735502865c28b00e39aa2",
  },
  "media@1": { appliesFrom: "2026-Q1", declarationsSha256: NO_DECLARATIONS },
  "public_figure@1": { appliesFrom: "2026-Q1", declarationsSha256: NO_DECLARATIONS },
  "medical@1": { appliesFrom: "2026-Q1", declarationsSha256: NO_DECLARATIONS },
};

const PLATFORM_DECLARATION_IDS = [
  "sellerObligations",
  "violationTools",
  "takedownContactName",
  "takedownContactEmail",
  "takedownContactPhone",
  "takedownResponseHours",
];

const EDIT_MESSAGE = (key: string) =>
  `published pledge template ${key} changed. A published version never changes: revert the edit and add ` +
  "version N+1 of the family with appliesFrom = a later quarter (see docs/pledge-templates.md).";

function allStrings(t: PledgeTemplate): string[] {
  return [
    t.title,
    t.appliesFrom,
    ...t.preamble,
    ...t.commitments,
    t.closing,
    ...t.sources,
    ...t.declarations.flatMap((d) => [d.id, d.label, d.hint]),
  ];
}

/** The invariants of any template list: versions 1..n per family, appliesFrom strictly increasing. */
function expectWellFormedList(list: readonly PledgeTemplate[]): void {
  for (const family of PLEDGE_FAMILIES) {
    const versions = list.filter((t) => t.family === family).sort((a, b) => a.version - b.version);
    expect(
      versions.map((t) => t.version),
      `${family}: versions are 1, 2, … without gaps or repeats`,
    ).toEqual(versions.map((_, i) => i + 1));
    for (let i = 1; i < versions.length; i++) {
      const [before, after] = [versions[i - 1] as PledgeTemplate, versions[i] as PledgeTemplate];
      expect(
        compareQuarterIds(before.appliesFrom, after.appliesFrom),
        `${templateKey(after)} must apply from a quarter after ${templateKey(before)}`,
      ).toBeLessThan(0);
    }
  }
}

describe("published pledge templates", () => {
  it("has version 1 of every family, applying from the first round (February 2026 = 2026-Q1)", () => {
    for (const family of PLEDGE_FAMILIES) {
      const v1 = templateById(family, 1);
      expect(v1.appliesFrom).toBe("2026-Q1");
      expect(templateFor(family, "2026-Q1")).toBe(v1);
    }
  });

  it("keeps every published version's text, hash-pinned", () => {
    const keys = PLEDGE_TEMPLATES.map(templateKey);
    expect(new Set(keys).size, "one template per family and version").toBe(keys.length);
    expect([...keys].sort(), "every published version has a pin, and every pin a version").toEqual(
      Object.keys(PUBLISHED).sort(),
    );
    for (const t of PLEDGE_TEMPLATES) {
      const key = templateKey(t);
      expect(templateHash(t), EDIT_MESSAGE(key)).toBe(PUBLISHED[key]);
    }
  });

  it("keeps every published version's first quarter and declaration fields", () => {
    expect(Object.keys(PUBLISHED_EXTRAS).sort()).toEqual(Object.keys(PUBLISHED).sort());
    for (const t of PLEDGE_TEMPLATES) {
      const key = templateKey(t);
      const declarationsSha256 = createHash("sha256").update(JSON.stringify(t.declarations)).digest("hex");
      expect({ appliesFrom: t.appliesFrom, declarationsSha256 }, EDIT_MESSAGE(key)).toEqual(
        PUBLISHED_EXTRAS[key],
      );
    }
  });

  it("has versions 1..n per family with appliesFrom increasing", () => {
    expectWellFormedList(PLEDGE_TEMPLATES);
    for (const t of PLEDGE_TEMPLATES) expect(isQuarterId(t.appliesFrom), templateKey(t)).toBe(true);
  });

  it("writes every text in NFC, with no empty, padded or double-spaced strings", () => {
    for (const t of PLEDGE_TEMPLATES) {
      for (const s of allStrings(t)) {
        expect(s.normalize("NFC"), `${templateKey(t)}: NFC`).toBe(s);
        expect(s.trim(), `${templateKey(t)}: not empty`).not.toBe("");
        expect(s, `${templateKey(t)}: trimmed`).toBe(s.trim());
        expect(s, `${templateKey(t)}: single spaces, one line`).not.toMatch(/ {2}|\n|\t/);
      }
      expect(templateText(t)).toBe(templateText(t).normalize("NFC"));
    }
  });

  it("follows the shape of a Vietnamese bản cam kết", () => {
    for (const t of PLEDGE_TEMPLATES) {
      const key = templateKey(t);
      expect(t.title, key).toMatch(/^BẢN CAM KẾT /);
      expect(t.title, `${key}: title in capitals`).toBe(t.title.toLocaleUpperCase("vi"));
      expect(t.preamble[0], key).toMatch(/^Căn cứ Nghị quyết số 397\/NQ-CP ngày 05\/12\/2025 của Chính phủ/);
      for (const basis of t.preamble.slice(0, -1)) expect(basis, key).toMatch(/^Căn cứ .*;$/);
      expect(t.preamble.at(-1), `${key}: who commits, then a colon`).toMatch(/cam kết .*:$/);
      expect(t.commitments.length, key).toBeGreaterThanOrEqual(5);
      for (const c of t.commitments) expect(c, key).toMatch(/^\p{Lu}.*\.$/u);
      expect(t.closing, key).toMatch(/chịu hoàn toàn trách nhiệm trước pháp luật/);
      // The shared duty of every family.
      expect(t.commitments[0], key).toMatch(
        /hàng giả, hàng nhái, hàng kém chất lượng, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ/,
      );
    }
  });

  it("says where every commitment comes from", () => {
    for (const t of PLEDGE_TEMPLATES) {
      const key = templateKey(t);
      expect(t.sources[0], key).toMatch(/^Căn cứ: /);
      t.commitments.forEach((_, i) => {
        expect(t.sources[i + 1], key).toMatch(new RegExp(`^Cam kết ${i + 1}: `));
      });
      expect(t.sources.at(-1), key).toMatch(/^Đoạn kết: /);
      expect(t.sources).toHaveLength(t.commitments.length + 2);
    }
  });

  it("collects the six platform declarations and nothing from the other families", () => {
    expect(templateById("platform", 1).declarations.map((d) => d.id)).toEqual(PLATFORM_DECLARATION_IDS);
    for (const family of PLEDGE_FAMILIES.filter((f) => f !== "platform")) {
      expect(templateById(family, 1).declarations, family).toEqual([]);
    }
  });

  it("cannot be edited in memory", () => {
    const t = templateById("media", 1);
    expect(() => {
      (t as unknown as { title: string }).title = "BẢN CAM KẾT KHÁC";
    }).toThrow(TypeError);
    expect(() => t.commitments.push("Thêm một cam kết.")).toThrow(TypeError);
    expect(() => {
      (t.preamble as string[])[0] = "Căn cứ khác;";
    }).toThrow(TypeError);
  });
});

describe("templateText and templateHash", () => {
  const sample: PledgeTemplate = {
    family: "media",
    version: 9,
    appliesFrom: "2030-Q1",
    title: "BẢN CAM KẾT",
    preamble: ["Căn cứ A;", "Đơn vị cam kết:"],
    commitments: ["Một.", "Hai."],
    closing: "Hết.",
    sources: ["ignored"],
    declarations: [],
  };

  it("joins title, preamble, numbered commitments and closing with newlines", () => {
    expect(templateText(sample)).toBe("BẢN CAM KẾT\nCăn cứ A;\nĐơn vị cam kết:\n1. Một.\n2. Hai.\nHết.");
  });

  it("hashes the NFC text, so NFD input gives the same hash", () => {
    const nfd: PledgeTemplate = { ...sample, title: sample.title.normalize("NFD") };
    expect(nfd.title).not.toBe(sample.title);
    expect(templateText(nfd)).toBe(templateText(sample));
    expect(templateHash(nfd)).toBe(templateHash(sample));
    expect(templateHash(sample)).toBe(
      createHash("sha256").update(templateText(sample), "utf8").digest("hex"),
    );
    expect(templateHash(sample)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with any word of the text but not with sources or declarations", () => {
    const base = templateHash(sample);
    expect(templateHash({ ...sample, commitments: ["Một.", "Hai!"] })).not.toBe(base);
    expect(templateHash({ ...sample, closing: "Hết" })).not.toBe(base);
    expect(templateHash({ ...sample, sources: ["other"] })).toBe(base);
  });
});

describe("templateFor", () => {
  const platformV1 = templateById("platform", 1);
  const platformV2: PledgeTemplate = {
    ...platformV1,
    version: 2,
    appliesFrom: "2026-Q3",
    commitments: [...platformV1.commitments, "Một cam kết mới của phiên bản 2."],
  };
  const withV2 = [...PLEDGE_TEMPLATES, platformV2];

  it("picks the highest version applying in the quarter", () => {
    expectWellFormedList(withV2);
    expect(templateFor("platform", "2026-Q1", withV2)).toBe(platformV1);
    expect(templateFor("platform", "2026-Q2", withV2)).toBe(platformV1);
    expect(templateFor("platform", "2026-Q3", withV2)).toBe(platformV2);
    expect(templateFor("platform", "2027-Q1", withV2)).toBe(platformV2);
    expect(templateFor("media", "2027-Q1", withV2)).toBe(templateById("media", 1));
    expect(templateById("platform", 2, withV2)).toBe(platformV2);
  });

  it("leaves the published list alone", () => {
    expect(templateFor("platform", "2027-Q1")).toBe(platformV1);
    expect(() => templateById("platform", 2)).toThrow(/no pledge template "platform" version 2/);
  });

  it("refuses quarters before the first version and bad quarter ids", () => {
    expect(() => templateFor("platform", "2025-Q4")).toThrow(
      'no pledge template for family "platform" applies in 2025-Q4: the first version applies from 2026-Q1',
    );
    expect(() => templateFor("medical", "2026-Q1", [])).toThrow(/the family has no template/);
    expect(() => templateFor("platform", "2026-1")).toThrow(/invalid quarter id/);
  });
});
