// Marketing spend per channel and month, for acquisition cost and return on campaigns. A month
// and channel given twice in one file is an error on the later row, not a silent sum.
import { and, eq, inArray } from "drizzle-orm";
import { spend } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { cell, RowRejection, type KindWriter } from "./kind-writer";
import { parseAmount, parseMonth } from "./parse-values";
import type { RowOutcome } from "./schemas";

interface SpendRow {
  month: string;
  channel: string;
  amountMinor: number;
}

export const spendWriter: KindWriter<SpendRow> = {
  parse(cells, ctx) {
    const month = cell(ctx, "month", cells, parseMonth);
    if (!month) throw new RowRejection(ctx.columnOf("month"), "The month is empty.");
    const channel = cells.channel?.trim().toLowerCase().replace(/\s+/g, "_");
    if (!channel) throw new RowRejection(ctx.columnOf("channel"), "The channel is empty.");
    if (channel.length > 60) throw new RowRejection(ctx.columnOf("channel"), "The channel name is longer than 60 characters.");
    const amountMinor = cell(ctx, "amount", cells, (t) => parseAmount(t, ctx.settings));
    if (amountMinor === null) throw new RowRejection(ctx.columnOf("amount"), "The amount is empty.");
    if (amountMinor < 0) throw new RowRejection(ctx.columnOf("amount"), "Spend cannot be negative.");
    return { month, channel, amountMinor };
  },

  async write(tx: ShopTx, rows, ctx) {
    const outcomes = new Map<number, RowOutcome>();
    const seen = (ctx.memo.get("spend") as Map<string, number> | undefined) ?? new Map<string, number>();
    ctx.memo.set("spend", seen);
    const months = [...new Set(rows.map((r) => r.value.month))];
    const stored = await tx.select().from(spend).where(inArray(spend.month, months));
    const byKey = new Map(stored.map((s) => [`${s.channel}|${s.month}`, s]));
    for (const { row, value: v } of rows) {
      const key = `${v.channel}|${v.month}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        outcomes.set(row, { column: ctx.columnOf("month"), error: `${v.channel} in ${v.month.slice(0, 7)} is already on row ${earlier} of this file.` });
        continue;
      }
      seen.set(key, row);
      const before = byKey.get(key);
      if (!before) {
        await tx.insert(spend).values({ shopId: ctx.shopId, ...v, updatedAt: ctx.now });
        outcomes.set(row, "imported");
      } else if (before.amountMinor === v.amountMinor) {
        outcomes.set(row, "unchanged");
      } else {
        await tx.update(spend).set({ amountMinor: v.amountMinor, updatedAt: ctx.now }).where(and(eq(spend.channel, v.channel), eq(spend.month, v.month)));
        outcomes.set(row, "updated");
      }
    }
    return outcomes;
  },
};
