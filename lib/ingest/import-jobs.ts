// Imports started from the dashboard run in the background of the server process, so the owner
// can leave the page; the page polls the job for progress. The result is also kept in the
// shop's import history. (Progress is visible on the instance that runs the job.)
import type { Database } from "../db/client";
import { imports } from "../db/schema";
import { withShop } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { ImportAborted, runImport, type ImportProgress } from "./run-import";
import type { ImportOptions, ImportResult } from "./schemas";
import { hashFile } from "./read-csv";
import { startRefreshJob } from "../segments/refresh-jobs";
import { deleteUpload, readUploadMeta, uploadPath } from "./uploads";

export interface ImportJob {
  id: string;
  shopId: string;
  kind: ImportOptions["kind"];
  fileName: string;
  status: "running" | "done" | "failed";
  progress: ImportProgress | null;
  result: ImportResult | null;
  error: string | null;
  startedAt: string;
}

const holder = globalThis as unknown as { __regularsImportJobs?: Map<string, ImportJob> };
const jobs = (holder.__regularsImportJobs ??= new Map());

export function getImportJob(shopId: string, id: string): ImportJob {
  const job = jobs.get(id);
  if (!job || job.shopId !== shopId) throw notFound("Import");
  return job;
}

/** Starts importing an uploaded file; answers at once with the job to poll. */
export function startImportJob(input: {
  shopId: string;
  uploadId: string;
  options: Omit<ImportOptions, "fileName">;
  createdBy: string | null;
  database?: Database;
}): ImportJob {
  const { shopId, uploadId } = input;
  const running = jobs.get(uploadId);
  if (running?.status === "running") throw new AppError("conflict", "This file is already being imported.");
  const path = uploadPath(shopId, uploadId);
  const meta = readUploadMeta(shopId, uploadId);
  const job: ImportJob = {
    id: uploadId, shopId, kind: input.options.kind, fileName: meta.fileName, status: "running",
    progress: { rows: 0, bytesRead: 0, bytes: meta.bytes }, result: null, error: null, startedAt: new Date().toISOString(),
  };
  jobs.set(uploadId, job);
  const options = { ...input.options, fileName: meta.fileName };
  void runImport({ shopId, database: input.database }, path, options, { createdBy: input.createdBy, onProgress: (p) => (job.progress = p) })
    .then((result) => {
      job.result = result;
      job.status = "done";
      // New data: segments and predictions follow (in the background; the Segments page shows progress).
      if (result.imported + result.updated - result.unchanged > 0) startRefreshJob(shopId, "import", input.database);
    })
    .catch(async (e: unknown) => {
      job.status = "failed";
      job.error = e instanceof AppError || e instanceof ImportAborted ? e.message : "The import failed; nothing was changed. The server log has the details.";
      if (e instanceof ImportAborted) {
        if (!(e.cause instanceof AppError)) console.error(e.cause);
        return; // its record already says how far it got
      }
      if (!(e instanceof AppError)) console.error(e);
      // A file refused as a whole wrote nothing, but the attempt belongs in the history.
      const sha = await hashFile(path);
      await withShop(shopId, (tx) =>
        tx.insert(imports).values({ shopId, kind: options.kind, fileName: meta.fileName, fileSha256: sha, status: "failed", failure: job.error, createdBy: input.createdBy, finishedAt: new Date() }),
      input.database).catch((err: unknown) => console.error(err));
    })
    .finally(() => deleteUpload(shopId, uploadId));
  return job;
}
