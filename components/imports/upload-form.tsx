"use client";
// Uploads a CSV with a progress bar, then opens the preview of its columns.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress-bar";

const KINDS = [
  { value: "customers", label: "Customers", hint: "Shopify or WooCommerce customer export, or the customers template" },
  { value: "orders", label: "Orders", hint: "one row per order or per line item" },
  { value: "consent", label: "Consent evidence", hint: "who agreed to what, when, and where it was collected" },
  { value: "spend", label: "Marketing spend", hint: "month, channel, amount" },
];

export function UploadForm() {
  const router = useRouter();
  const [kind, setKind] = useState("customers");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  function upload(file: File) {
    setError(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/imports/uploads");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || "{}");
      if (xhr.status === 201) router.push(`/imports/new?upload=${body.uploadId}&kind=${kind}`);
      else {
        setProgress(null);
        setError(body.detail ?? "The upload failed.");
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setError("The upload failed: the connection was lost. Try again.");
    };
    xhr.send(file);
  }

  return (
    <form
      aria-label="Upload a file to import"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const file = (e.currentTarget.elements.namedItem("file") as HTMLInputElement).files?.[0];
        if (!file) setError("Choose a CSV file first.");
        else upload(file);
      }}
    >
      {error && <FormMessage>{error}</FormMessage>}
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-700">What is in the file?</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {KINDS.map((k) => (
            <label key={k.value} className="flex cursor-pointer gap-2 rounded-lg border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
              <input type="radio" name="kind" value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} />
              <span>
                <span className="font-medium">{k.label}</span>
                <span className="block text-xs text-slate-500">{k.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input id="import-file" name="file" type="file" accept=".csv,.txt,text/csv" className="block text-sm" />
      </div>
      {kind === "customers" && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Consent is created only from an explicit column such as “Accepts Email Marketing” = yes. Without such a column, nobody in the file gets consent.
        </p>
      )}
      {progress !== null && <ProgressBar label="Uploading" value={progress} />}
      <Button type="submit" disabled={progress !== null}>
        Upload and preview
      </Button>
    </form>
  );
}
