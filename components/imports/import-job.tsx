"use client";
// Follows an import running on the server: a progress bar while it runs, then its result.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatCount } from "@/components/format";
import { FormMessage } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress-bar";

interface Job {
  status: "running" | "done" | "failed";
  fileName: string;
  kind: string;
  progress: { rows: number; bytesRead: number; bytes: number } | null;
  error: string | null;
  result: {
    importId: string;
    total: number;
    imported: number;
    updated: number;
    unchanged: number;
    rejected: number;
    errors: { row: number; column: string; message: string }[];
    ignoredColumns: { column: string; reason: string }[];
    notes: string[];
  } | null;
}

export function ImportJob({ id }: { id: string }) {
  const router = useRouter();
  const [job, setJob] = useState<Job | null>(null);
  const [lost, setLost] = useState(false);

  useEffect(() => {
    let stop = false;
    async function poll() {
      const res = await fetch(`/api/imports/jobs/${id}`, { cache: "no-store" }).catch(() => null);
      if (stop) return;
      if (!res?.ok) {
        setLost(true);
        return;
      }
      const next = (await res.json()) as Job;
      setJob(next);
      if (next.status === "running") setTimeout(poll, 400);
      else router.refresh();
    }
    void poll();
    return () => {
      stop = true;
    };
  }, [id, router]);

  if (lost) return <FormMessage>This import is no longer followed here; its result is in the history below.</FormMessage>;
  if (!job) return <ProgressBar label="Starting the import" value={null} />;
  if (job.status === "running") {
    const p = job.progress;
    return (
      <div className="space-y-2" aria-live="polite">
        <ProgressBar label={`Importing ${job.fileName}`} value={p && p.bytes ? p.bytesRead / p.bytes : null} />
        <p className="text-sm text-slate-600">{formatCount(p?.rows ?? 0)} rows so far. You can leave this page; the import goes on.</p>
      </div>
    );
  }
  if (job.status === "failed" || !job.result) return <FormMessage>{job.error ?? "The import failed; nothing was changed."}</FormMessage>;
  const r = job.result;
  return (
    <div className="space-y-3" aria-live="polite">
      <FormMessage tone="success">
        {job.fileName}: {formatCount(r.imported)} new, {formatCount(r.updated)} updated ({formatCount(r.unchanged)} unchanged), {formatCount(r.rejected)} rejected of {formatCount(r.total)} rows.
      </FormMessage>
      {r.errors.length > 0 && (
        <div>
          <h3 className="mb-1 text-sm font-semibold">Rows that were not imported</h3>
          <ul className="max-h-60 space-y-1 overflow-auto text-sm">
            {r.errors.slice(0, 50).map((e) => (
              <li key={e.row}>
                Row {e.row}, {e.column}: {e.message}
              </li>
            ))}
          </ul>
          <a className="mt-2 inline-block text-sm font-medium text-brand-700 underline" href={`/api/imports/${r.importId}/rejected`}>
            Download the rejected rows (CSV with an error column)
          </a>
        </div>
      )}
      {r.ignoredColumns.length > 0 && (
        <p className="text-sm text-slate-600">
          Ignored, not stored: {r.ignoredColumns.map((c) => `“${c.column}”${c.reason === "sensitive" ? " (sensitive category)" : ""}`).join(", ")}.
        </p>
      )}
      {r.notes.map((n) => (
        <p key={n} className="text-sm text-slate-600">
          {n}
        </p>
      ))}
      <Link href={job.kind === "orders" || job.kind === "customers" ? "/customers" : "/"} className="text-sm font-medium text-brand-700 underline">
        See your customers
      </Link>
    </div>
  );
}
