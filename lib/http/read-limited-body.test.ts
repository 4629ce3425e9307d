import { describe, expect, it } from "vitest";
import { declaredLength, readLimitedText } from "./read-limited-body";

/** A body that never ends, counting how much of it was read. */
function endless() {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1;
      controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("reading a body with a limit", () => {
  it("reads a body within the limit", async () => {
    const body = new Response(JSON.stringify({ a: "é" })).body;
    await expect(readLimitedText(body, 100, "too large")).resolves.toBe('{"a":"é"}');
  });

  it("stops at the limit even when the body never ends and no length was declared", async () => {
    const { stream, pulled } = endless();
    await expect(readLimitedText(stream, 10 * 1024, "The body is too large.")).rejects.toMatchObject({ code: "payload_too_large", message: "The body is too large." });
    expect(pulled()).toBeLessThan(20);
  });

  it("names a body that is not UTF-8 and a Content-Length that is not a number", async () => {
    await expect(readLimitedText(new Response(new Uint8Array([0xff, 0xfe, 0x41])).body, 100, "")).rejects.toMatchObject({ code: "invalid_input", message: "The body is not UTF-8 text." });
    expect(declaredLength(null)).toBeNull();
    expect(declaredLength("42")).toBe(42);
    expect(() => declaredLength("12abc")).toThrow(expect.objectContaining({ code: "invalid_input" }));
  });
});
