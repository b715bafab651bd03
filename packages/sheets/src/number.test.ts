import { describe, expect, it } from "vitest";
import { formatBytes, groupThousands, plainNumber } from "./number";

describe("plainNumber", () => {
  it.each([
    [912345678, "912345678"],
    [123456789012, "123456789012"],
    [1.5, "1.5"],
    [-42, "-42"],
    [-0, "0"],
    [1e21, "1000000000000000000000"],
    [1.2345e25, "12345000000000000000000000"],
    [-1.5e22, "-15000000000000000000000"],
    [1e-7, "0.0000001"],
    [-2.5e-8, "-0.000000025"],
    [1.23e-10, "0.000000000123"],
    [0.30000000000000004, "0.30000000000000004"],
  ])("%d → %s", (value, expected) => {
    expect(plainNumber(value)).toBe(expected);
    expect(Number(plainNumber(value))).toBe(value === 0 ? 0 : value);
  });

  it("refuses NaN and Infinity", () => {
    expect(() => plainNumber(Number.NaN)).toThrow(RangeError);
    expect(() => plainNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("message number formats", () => {
  it("groups thousands with a dot", () => {
    expect(groupThousands(20_000)).toBe("20.000");
    expect(groupThousands(1_234_567)).toBe("1.234.567");
    expect(groupThousands(999)).toBe("999");
  });

  it("shows byte limits in MB or KB with a decimal comma", () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MB");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1,5 MB");
    expect(formatBytes(512 * 1024)).toBe("512 KB");
    expect(formatBytes(100)).toBe("100 byte");
  });
});
