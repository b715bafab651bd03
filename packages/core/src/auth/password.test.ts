import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hashPassword("mật khẩu dài và an toàn");
    expect(hash.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(await verifyPassword("mật khẩu dài và an toàn", hash)).toBe(true);
    expect(await verifyPassword("mật khẩu dài và an toàn ", hash)).toBe(false);
  });

  it("treats composed and decomposed Vietnamese as the same password", async () => {
    const hash = await hashPassword("Hà Nội 2026".normalize("NFC"));
    expect(await verifyPassword("Hà Nội 2026".normalize("NFD"), hash)).toBe(true);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("refuses malformed or foreign hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword("x", "scrypt$NaN$8$1$c2FsdA$aGFzaA")).toBe(false);
  });
});
