import { describe, expect, it } from "vitest";
import { EmailSchema, hashPassword, PasswordSchema, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and rejects others", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(hash).not.toContain("correct horse battery");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterx", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it.each([
    ["not a hash at all"],
    ["bcrypt$10$abc"],
    ["scrypt$32768$8$3$"],
  ])("treats a malformed stored hash %j as a mismatch", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });
});

describe("password policy", () => {
  it.each([
    ["short1", "Use at least 10 characters."],
    ["password123", "This password is too common; choose another."],
    ["aaaaaaaaaaaa", "Use more varied characters."],
    ["x".repeat(201), "Use at most 200 characters."],
  ])("refuses %j", (password, message) => {
    const result = PasswordSchema.safeParse(password);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it("accepts a reasonable passphrase", () => {
    expect(PasswordSchema.safeParse("bikes and coffee 42").success).toBe(true);
  });

  it("normalises emails and refuses malformed ones", () => {
    expect(EmailSchema.parse("  Owner@Example.COM ")).toBe("owner@example.com");
    expect(EmailSchema.safeParse("owner@").success).toBe(false);
  });
});
