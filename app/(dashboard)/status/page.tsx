import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDatabase } from "@/lib/db/client";
import { getSystemStatus } from "@/lib/shops/get-system-status";

export const metadata: Metadata = { title: "System status" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** For whoever runs the shop's copy of Regulars: the database it uses, that it answers, its schema version. */
export default async function StatusPage() {
  await requireShop();
  const status = await getSystemStatus(await getDatabase());
  const rows: [string, string][] = [
    ["Database", status.database],
    ["Answered in", `${status.roundTripMs} ms`],
    ["Migrations applied", `${status.migrations}${status.lastMigrationAt ? `, the last written ${when.format(status.lastMigrationAt)} UTC` : ""}`],
  ];
  return (
    <>
      <PageHeader title="System status" description="The database this copy of Regulars uses and whether it answers." />
      <Card>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-slate-600">{k}</dt>
              <dd className="text-slate-900" data-testid={`status-${k.toLowerCase().replace(/\s+/g, "-")}`}>
                {v}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
    </>
  );
}
