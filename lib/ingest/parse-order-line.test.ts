import { describe, expect, it } from "vitest";
import { NO_STATE, settleOrderState, type OrderState } from "./parse-order-line";

const at = new Date("2024-05-12T13:00:00Z");
const state = (s: Partial<OrderState>): OrderState => ({ ...NO_STATE, ...s });

describe("where an order stands", () => {
  it.each([
    ["nothing said", state({}), { status: "paid", refundedMinor: 0, cancelledAt: null }],
    ["a part refunded", state({ refundedMinor: 3000 }), { status: "partially_refunded", refundedMinor: 3000 }],
    ["all refunded by amount", state({ status: "paid", refundedMinor: 8000 }), { status: "refunded", refundedMinor: 8000 }],
    ["refunded without an amount", state({ status: "refunded" }), { status: "refunded", refundedMinor: 8000 }],
    ["refunded, shipping kept", state({ status: "refunded", refundedMinor: 7500 }), { status: "refunded", refundedMinor: 7500 }],
    ["cancelled by date, whatever the status", state({ status: "paid", cancelledAt: at }), { status: "cancelled", cancelledAt: at }],
    ["pending with a refund stays pending", state({ status: "pending", refundedMinor: 100 }), { status: "pending", refundedMinor: 100 }],
  ])("%s", (_, given, expected) => {
    expect(settleOrderState(given, 8000)).toMatchObject(expected);
  });
});
