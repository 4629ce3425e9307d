import { describe, expect, it } from "vitest";
import { BoundedMemo } from "./bounded-memo";

describe("BoundedMemo", () => {
  it("keeps the latest half of its limit at least, never more than its limit, and forgets the oldest first", () => {
    const memo = new BoundedMemo<number>(100);
    for (let i = 0; i < 1000; i++) {
      memo.set(`k${i}`, i);
      expect(memo.size).toBeLessThanOrEqual(100);
      for (let j = Math.max(0, i - 49); j <= i; j++) expect(memo.get(`k${j}`)).toBe(j);
    }
    expect(memo.has("k0")).toBe(false);
    expect(memo.get("k999")).toBe(999);
  });

  it("answers the latest value of a key set again", () => {
    const memo = new BoundedMemo<string>(4);
    memo.set("a", "first");
    memo.set("b", "x");
    memo.set("a", "second");
    expect(memo.get("a")).toBe("second");
  });
});
