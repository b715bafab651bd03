import { describe, expect, it } from "vitest";
import { lazyPledgeRenderer, onFirstCall } from "./lazy";
import { sampleDocumentInput } from "./test-fixtures";
import { pdfText } from "./test-support";

describe("lazy document factories", () => {
  it("load their module on the first call and draw the same document", async () => {
    const render = lazyPledgeRenderer();
    const pdf = await render(sampleDocumentInput());
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(await pdfText(pdf)).toContain("Kính gửi");
  });

  it("load once for every call, concurrent ones included", async () => {
    let loads = 0;
    const double = onFirstCall(async () => {
      loads++;
      return async (n: number) => n * 2;
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(loads).toBe(1);
  });

  it("fail the calls of a load that failed, and load again on the next call", async () => {
    let loads = 0;
    const echo = onFirstCall(async () => {
      loads++;
      if (loads === 1) throw new Error("module not found");
      return async (s: string) => s;
    });
    await expect(echo("a")).rejects.toThrow("module not found");
    expect(await echo("b")).toBe("b");
    expect(loads).toBe(2);
  });
});
