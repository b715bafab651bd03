import { describe, expect, it } from "vitest";
import { redactedPath } from "./log-redaction";

describe("paths in the logs", () => {
  it("hide signing tokens, takedown tokens and tip tracking codes, and nothing else", () => {
    expect(redactedPath("/sign/Zk3-9q_tokenvalue")).toBe("/sign/[redacted]");
    expect(redactedPath("/sign/Zk3-9q_tokenvalue/verify")).toBe("/sign/[redacted]/verify");
    expect(redactedPath("/takedown/abcDEF123")).toBe("/takedown/[redacted]");
    expect(redactedPath("/api/v1/tips/7KX3-M9QP-ABCD-EFGH")).toBe("/api/v1/tips/[redacted]");
    expect(redactedPath("/api/v1/tips/form-token")).toBe("/api/v1/tips/form-token");
    expect(redactedPath("/api/v1/pledges/CK-2026Q1-7KX3M9QP")).toBe("/api/v1/pledges/CK-2026Q1-7KX3M9QP");
    expect(redactedPath("/console/cases/c-1")).toBe("/console/cases/c-1");
  });
});
