// Checks a segment before anything is saved: the shape (rules.ts), the size of the tree, and the
// custom attributes it names against the shop's definitions. Errors name the rule by position
// ("rule 2.1") so the owner can find it in the builder.
import { inArray } from "drizzle-orm";
import type { z } from "zod";
import { attributeDefinitions } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError, type FieldError } from "../errors";
import { depth, leaves, MAX_CONDITIONS, MAX_DEPTH, SegmentInputSchema, type SegmentInput } from "./rules";

/** "rules.conditions.1.conditions.0.value" → "rule 2.1, value". */
export function ruleLabel(path: readonly PropertyKey[]): string {
  const numbers: number[] = [];
  let rest: string | undefined;
  for (let i = 0; i < path.length; i++) {
    if (path[i] === "conditions" && typeof path[i + 1] === "number") {
      numbers.push((path[i + 1] as number) + 1);
      i++;
    } else if (path[i] !== "rules") rest = String(path[i]);
  }
  if (path[0] !== "rules") return String(path.join("."));
  const where = numbers.length ? `rule ${numbers.join(".")}` : "the top group";
  return rest ? `${where}, ${rest}` : where;
}

function fieldErrors(error: z.ZodError): FieldError[] {
  // An unknown key is named by itself, so the sender sees which one to remove.
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ field: ruleLabel([...i.path, key]), message: "Unknown field; remove it." }))
      : [{ field: ruleLabel(i.path), message: i.message }],
  );
}

const tooDeep = () =>
  new AppError("invalid_input", `The segment was not saved: groups can be nested ${MAX_DEPTH} deep at most.`, { fields: [{ field: "rules", message: "Too deeply nested." }] });
const tooMany = () =>
  new AppError("invalid_input", `The segment was not saved: use at most ${MAX_CONDITIONS} conditions.`, { fields: [{ field: "rules", message: "Too many conditions." }] });

/**
 * Measures the raw rule tree before it is validated, without recursion and stopping at the first
 * excess, so that a tree thousands of levels deep or wide is refused with a sentence instead of
 * exhausting the stack or the time of the validator.
 */
function checkRuleTreeSize(input: unknown): void {
  const rules = input && typeof input === "object" && "rules" in input ? input.rules : undefined;
  const stack: { node: unknown; depth: number }[] = [{ node: rules, depth: 1 }];
  let items = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!node || typeof node !== "object" || !("match" in node) || !("conditions" in node) || !Array.isArray(node.conditions)) continue;
    if (depth > MAX_DEPTH) throw tooDeep();
    items += node.conditions.length;
    // Groups count as items too, so many nearly empty groups are as limited as many conditions.
    if (items > 2 * MAX_CONDITIONS) throw tooMany();
    for (const child of node.conditions) stack.push({ node: child, depth: depth + 1 });
  }
}

export function parseSegmentInput(input: unknown): SegmentInput {
  checkRuleTreeSize(input);
  const parsed = SegmentInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    throw new AppError("invalid_input", `The segment was not saved: ${fields.map((f) => `${f.field}: ${f.message}`).join(" ")}`, { fields });
  }
  const segment = parsed.data;
  if (depth(segment.rules) > MAX_DEPTH) throw tooDeep();
  if (leaves(segment.rules).length > MAX_CONDITIONS) throw tooMany();
  return segment;
}

/** Full check: shape, then every custom attribute must be defined for the shop and not sensitive. */
export async function validateSegmentInput(tx: ShopTx, input: unknown): Promise<SegmentInput> {
  const segment = parseSegmentInput(input);
  const keys = [...new Set(leaves(segment.rules).flatMap((c) => (c.field === "attribute" ? [c.key] : [])))];
  if (keys.length === 0) return segment;
  const defined = await tx.select().from(attributeDefinitions).where(inArray(attributeDefinitions.key, keys));
  const byKey = new Map(defined.map((d) => [d.key, d]));
  const fields: FieldError[] = [];
  const walk = (conditions: SegmentInput["rules"]["conditions"], prefix: number[]) =>
    conditions.forEach((c, i) => {
      const at = [...prefix, i + 1];
      if ("match" in c) return walk(c.conditions, at);
      if (c.field !== "attribute") return;
      const def = byKey.get(c.key);
      if (!def) fields.push({ field: `rule ${at.join(".")}, key`, message: `There is no custom attribute "${c.key}" in this shop.` });
      else if (def.sensitive) {
        fields.push({ field: `rule ${at.join(".")}, key`, message: `"${def.label}" is marked sensitive; segments cannot use it.` });
      }
    });
  walk(segment.rules.conditions, []);
  if (fields.length) {
    throw new AppError("invalid_input", `The segment was not saved: ${fields.map((f) => `${f.field}: ${f.message}`).join(" ")}`, { fields });
  }
  return segment;
}
