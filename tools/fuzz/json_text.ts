/**
 * JSON text for the fuzzer: values serialized as JSON.stringify would,
 * plus what it cannot write: raw tokens (`NaN`, `Infinity`, a 400-digit
 * integer, `1e400`) and objects with duplicate keys.
 *
 * @module
 */

/** A token written as is. */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object written from its pairs, in order, duplicate keys included. */
export class Pairs {
  constructor(readonly pairs: [string, unknown][]) {}
}

/** A value the fuzzer builds: JSON values, {@link Raw} tokens and {@link Pairs} objects. */
export type FuzzValue = unknown;

/** The JSON text of `value` (indentation none, `", "` and `": "` separators as Python writes them). */
export function toJsonText(value: FuzzValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function write(value: FuzzValue, out: string[]): void {
  if (value instanceof Raw) out.push(value.text);
  else if (value instanceof Pairs) writePairs(value.pairs, out);
  else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(", ");
      write(item, out);
    });
    out.push("]");
  } else if (value !== null && typeof value === "object") {
    writePairs(Object.entries(value), out);
  } else if (typeof value === "bigint") out.push(value.toString());
  else if (value === undefined) out.push("null");
  else out.push(JSON.stringify(value));
}

function writePairs(pairs: [string, unknown][], out: string[]): void {
  out.push("{");
  pairs.forEach(([k, v], i) => {
    if (i > 0) out.push(", ");
    out.push(JSON.stringify(k), ": ");
    write(v, out);
  });
  out.push("}");
}

/** Whether `value` holds a {@link Raw} token or {@link Pairs} anywhere (not plain JSON). */
export function hasSpecials(value: FuzzValue): boolean {
  if (value instanceof Raw || value instanceof Pairs) return true;
  if (Array.isArray(value)) return value.some(hasSpecials);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasSpecials);
  return false;
}
