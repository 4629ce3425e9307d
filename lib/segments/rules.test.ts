import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { describeRules } from "./compile-rules";
import { parseSegmentInput } from "./validate-rules";

const errorOf = (input: unknown) => {
  try {
    parseSegmentInput(input);
  } catch (e) {
    if (isAppError(e, "invalid_input")) return e;
    throw e;
  }
  throw new Error("expected the segment to be refused");
};

describe("segment rules", () => {
  it("accepts nested AND/OR groups over the allowed fields and reads them back in words", () => {
    const segment = parseSegmentInput({
      name: "Coffee regulars",
      rules: {
        match: "all",
        conditions: [
          { field: "orderCount", op: "gte", value: 3 },
          { match: "any", conditions: [{ field: "categoryBought", value: "Coffee" }, { field: "eventSeen", event: "product.viewed", withinDays: 7 }] },
          { field: "consent", channel: "email" },
        ],
      },
    });
    // The purpose defaults to marketing, the only purpose a segment of buyers is usually for.
    expect(describeRules(segment.rules)).toBe(
      "order count at least 3 and (bought from Coffee or viewed a product in the last 7 days) and agreed to marketing by email",
    );
  });

  it("names the rule, by its position, that has an unknown field", () => {
    const e = errorOf({ name: "x", rules: { match: "all", conditions: [{ field: "orderCount", op: "gt", value: 1 }, { field: "religion", op: "is", value: "x" }] } });
    expect(e.fields[0]?.field).toBe("rule 2, field");
    expect(e.fields[0]?.message).toMatch(/^Unknown field\. Use one of: order count/);
    expect(e.message).toMatch(/^The segment was not saved: rule 2, field: Unknown field/);
  });

  it("refuses wrong types, values out of range and unknown keys, naming each", () => {
    const e = errorOf({
      name: "x",
      rules: {
        match: "any",
        conditions: [
          { field: "orderCount", op: "gt", value: "three" },
          { field: "pAlive", op: "lt", value: 7 },
          { match: "all", conditions: [{ field: "eventSeen", event: "product.viewed", withinDays: 2.5 }] },
          { field: "totalSpent", op: "gt", value: 10, sql: "1=1" },
        ],
      },
    });
    expect(e.fields.map((f) => f.field)).toEqual(["rule 1, value", "rule 2, value", "rule 3.1, withinDays", "rule 4"]);
    expect(e.fields[1]?.message).toBe("chance still a customer must be between 0 and 1 (between 0 and 1).");
    expect(e.fields[2]?.message).toBe("Use a whole number of days.");
  });

  it("refuses empty groups and a missing name", () => {
    const e = errorOf({ name: " ", rules: { match: "all", conditions: [{ match: "any", conditions: [] }] } });
    expect(e.fields).toEqual([
      { field: "name", message: "Give the segment a name." },
      { field: "rule 1, conditions", message: "A group needs at least one condition." },
    ]);
  });

  it("has no field for sensitive categories and refuses attributes that name one", () => {
    const e = errorOf({ name: "x", rules: { match: "all", conditions: [{ field: "attribute", key: "Health condition", op: "is", value: "asthma" }] } });
    expect(e.fields).toEqual([{ field: "rule 1, key", message: "This attribute names a sensitive category; segments cannot use it." }]);
    for (const field of ["ethnicity", "health", "religion", "sexuality", "politics", "location"]) {
      expect(errorOf({ name: "x", rules: { match: "all", conditions: [{ field, op: "is", value: "x" }] } }).fields[0]?.message).toMatch(/^Unknown field/);
    }
  });

  it("limits nesting depth", () => {
    const deep = { match: "all", conditions: [{ match: "any", conditions: [{ match: "all", conditions: [{ match: "any", conditions: [{ field: "orderCount", op: "gt", value: 1 }] }] }] }] };
    expect(errorOf({ name: "x", rules: deep }).message).toMatch(/nested 3 deep at most/);
  });
});

describe("rule trees sent to be broken", () => {
  const nest = (levels: number) => {
    let group: unknown = { field: "orderCount", op: "gt", value: 1 };
    for (let i = 0; i < levels; i++) group = { match: "all", conditions: [group] };
    return group;
  };

  it("refuses a tree thousands of levels deep with a sentence, not a crash", () => {
    for (const levels of [4, 5_000, 200_000]) {
      const e = errorOf({ name: "x", rules: nest(levels) });
      expect(e.message).toBe("The segment was not saved: groups can be nested 3 deep at most.");
      expect(e.fields).toEqual([{ field: "rules", message: "Too deeply nested." }]);
    }
  });

  it("refuses a group with thousands of conditions before checking each", () => {
    const wide = { match: "any", conditions: Array.from({ length: 100_000 }, () => ({ field: "orderCount", op: "gt", value: 1 })) };
    expect(errorOf({ name: "x", rules: wide }).message).toBe("The segment was not saved: use at most 30 conditions.");
    const emptyGroups = { match: "any", conditions: Array.from({ length: 1_000 }, () => ({ match: "all", conditions: [] })) };
    expect(errorOf({ name: "x", rules: emptyGroups }).message).toBe("The segment was not saved: use at most 30 conditions.");
  });

  it("names unknown keys beside the segment's own fields", () => {
    const e = errorOf({ name: "x", owner: "me", rules: { match: "all", conditions: [{ field: "orderCount", op: "gt", value: 1 }] } });
    expect(e.fields).toEqual([{ field: "owner", message: "Unknown field; remove it." }]);
  });

  it("still reads junk in place of groups as field errors", () => {
    for (const rules of [null, 7, "all", [], { match: "all", conditions: "x" }, { match: "all", conditions: [null, 3, "x"] }]) {
      expect(errorOf({ name: "x", rules }).code).toBe("invalid_input");
    }
  });
});
