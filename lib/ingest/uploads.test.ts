import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteUpload, readUploadMeta, saveUpload, storedUploadBytes, UPLOAD_TTL_MS, uploadPath } from "./uploads";

const KB = 1024;
const chunks = (n: number, size = KB) => (async function* () {
  for (let i = 0; i < n; i++) yield new Uint8Array(size).fill(65);
})();
const filesOf = (shopId: string) => fs.readdirSync(path.join(process.env.REGULARS_ROOT!, ".data/uploads", shopId));

describe("uploads", () => {
  const before = process.env.REGULARS_ROOT;
  beforeAll(() => {
    process.env.REGULARS_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-uploads-"));
  });
  afterAll(() => {
    process.env.REGULARS_ROOT = before;
  });

  it("stores a file for its shop only", async () => {
    const shopId = randomUUID();
    const meta = await saveUpload(shopId, "../../customers.csv", chunks(3), { quotaBytes: 100 * KB });
    expect(meta).toMatchObject({ fileName: "customers.csv", bytes: 3 * KB });
    expect(readUploadMeta(shopId, meta.uploadId).bytes).toBe(3 * KB);
    expect(() => uploadPath(randomUUID(), meta.uploadId)).toThrow(expect.objectContaining({ code: "not_found" }));
    deleteUpload(shopId, meta.uploadId);
    expect(storedUploadBytes(shopId)).toBe(0);
  });

  it("stops a file over the size limit while it streams in, keeping no part of it", async () => {
    const shopId = randomUUID();
    await expect(saveUpload(shopId, "big.csv", chunks(50), { quotaBytes: 100 * KB, maxBytes: 10 * KB })).rejects.toMatchObject({
      code: "payload_too_large",
      message: expect.stringMatching(/split it into smaller files/),
    });
    expect(filesOf(shopId)).toEqual([]);
    // A declared size over the limit is refused before anything is read.
    await expect(saveUpload(shopId, "big.csv", chunks(1), { quotaBytes: 100 * KB, maxBytes: 10 * KB, declaredBytes: 11 * KB })).rejects.toMatchObject({ code: "payload_too_large" });
  });

  it("keeps uploads sent at the same time within the quota together", async () => {
    const shopId = randomUUID();
    // Six files of 6 KB arrive at once for a quota of 20 KB: each would fit alone, three fit together.
    const slow = async function* () {
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        yield new Uint8Array(KB).fill(65);
      }
    };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => saveUpload(shopId, "a.csv", slow(), { quotaBytes: 20 * KB })));
    const kept = results.filter((r) => r.status === "fulfilled");
    expect(kept).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "insufficient_storage" });
    expect(storedUploadBytes(shopId)).toBeLessThanOrEqual(20 * KB);
    expect(filesOf(shopId).filter((f) => f.endsWith(".csv"))).toHaveLength(3);
    // Sizes declared up front count at once, before any byte arrives: 18 KB kept, two of 15 KB declared, room for one.
    const declared = await Promise.allSettled([0, 1].map(() => saveUpload(shopId, "b.csv", slow(), { quotaBytes: 40 * KB, declaredBytes: 15 * KB })));
    expect(declared.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("refuses what would take the shop over its quota, saying what to do, and lets other shops upload", async () => {
    const shopId = randomUUID();
    const quota = { quotaBytes: 10 * KB };
    await saveUpload(shopId, "a.csv", chunks(6), quota);
    const refused = await saveUpload(shopId, "b.csv", chunks(6), quota).catch((e) => e);
    expect(refused).toMatchObject({ code: "insufficient_storage", status: 507 });
    expect(refused.message).toMatch(/Import or discard the files you uploaded .* raise UPLOAD_QUOTA_MB/);
    // Only the first file is kept (and its few bytes of description).
    expect(storedUploadBytes(shopId)).toBeGreaterThanOrEqual(6 * KB);
    expect(storedUploadBytes(shopId)).toBeLessThan(7 * KB);
    await expect(saveUpload(shopId, "c.csv", chunks(1), { ...quota, declaredBytes: 5 * KB })).rejects.toMatchObject({ code: "insufficient_storage" });
    await expect(saveUpload(randomUUID(), "b.csv", chunks(6), quota)).resolves.toMatchObject({ bytes: 6 * KB });
  });

  it("forgets uploads left unimported for a day, so they no longer count", async () => {
    const shopId = randomUUID();
    const meta = await saveUpload(shopId, "old.csv", chunks(4), { quotaBytes: 10 * KB });
    expect(storedUploadBytes(shopId)).toBeGreaterThanOrEqual(4 * KB);
    expect(storedUploadBytes(shopId, Date.now() + UPLOAD_TTL_MS + 60_000)).toBe(0);
    expect(() => uploadPath(shopId, meta.uploadId)).toThrow(expect.objectContaining({ code: "not_found" }));
  });
});
