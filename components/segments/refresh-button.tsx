"use client";
// Starts a refresh and follows it: a progress bar naming the step, then the page reloads its data.
// A refresh already running (after an import, or from another tab) is picked up on arrival.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress-bar";

interface Job {
  status: "running" | "done" | "failed";
  progress: { step: string; done: number; total: number } | null;
  error: string | null;
}

export function RefreshButton({ canRefresh }: { canRefresh: boolean }) {
  const router = useRouter();
  const [job, setJob] = useState<Job | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const follow = useCallback(
    async (first?: Job) => {
      let current = first ?? null;
      for (;;) {
        if (current) setJob(current);
        if (current && current.status !== "running") break;
        await new Promise((r) => setTimeout(r, current ? 400 : 0));
        const res = await fetch("/api/segments/refresh", { cache: "no-store" }).catch(() => null);
        if (!res?.ok) return setProblem("Lost track of the refresh; reload the page to see its result.");
        current = (await res.json()) as Job | null;
        if (!current) return;
      }
      router.refresh();
    },
    [router],
  );

  useEffect(() => {
    let live = true;
    void fetch("/api/segments/refresh", { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<Job | null>) : null))
      .then((j) => {
        if (live && j?.status === "running") void follow(j);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [follow]);

  async function start() {
    setProblem(null);
    const res = await fetch("/api/segments/refresh", { method: "POST" }).catch(() => null);
    if (!res?.ok) {
      const body = (await res?.json().catch(() => null)) as { detail?: string } | null;
      return setProblem(body?.detail ?? "The refresh could not start. Try again in a moment.");
    }
    await follow((await res.json()) as Job);
  }

  const running = job?.status === "running";
  return (
    <div className="flex min-w-64 flex-col items-end gap-2" aria-live="polite">
      {canRefresh && (
        <Button onClick={start} disabled={running}>
          {running ? "Refreshing…" : "Refresh now"}
        </Button>
      )}
      {running && (
        <div className="w-64">
          <ProgressBar label={job.progress?.step ?? "Starting"} value={job.progress ? job.progress.done / job.progress.total : null} />
        </div>
      )}
      {job?.status === "failed" && <FormMessage>{job.error ?? "The refresh failed; the previous segments are unchanged."}</FormMessage>}
      {problem && <FormMessage>{problem}</FormMessage>}
    </div>
  );
}
