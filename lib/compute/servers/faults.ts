/**
 * Instance faults as nova records them: the exception's message (at most
 * 255 characters), its code (500 unless the nova exception carries
 * another), and for 500s the traceback as details, shown to admins only.
 *
 * Mirrors nova/compute/utils.py `exception_to_dict`,
 * `_get_fault_details`, `add_instance_fault_from_exc`.
 *
 * @module
 */

import { NovaException } from "./errors.ts";

/** A fault ready to store. */
export interface FaultRecord {
  code: number;
  message: string;
  details: string;
  host: string;
}

/** A Python stack frame: file (below dist-packages), line, function, source line. */
export type Frame = readonly [file: string, line: number, fn: string, code: string];

// NOTE(parity): nova stores the Python traceback of the failure; novalet
// writes the frames of the nova code path it reproduces, in the same form.
const PACKAGES = "/usr/lib/python3/dist-packages/";

/** `traceback.format_exception` text for `err` raised through `frames`. */
export function pythonTraceback(frames: readonly Frame[], err: Error): string {
  const lines = ["Traceback (most recent call last):\n"];
  for (const [file, line, fn, code] of frames) {
    lines.push(`  File "${PACKAGES}${file}", line ${line}, in ${fn}\n    ${code}\n`);
  }
  lines.push(`${pythonClassOf(err)}: ${err.message}\n`);
  return lines.join("");
}

function pythonClassOf(err: Error): string {
  if (err.constructor.name.includes(".")) return err.constructor.name;
  return err instanceof NovaException ? `nova.exception.${err.constructor.name}` : err.name;
}

const BUILTIN_ERRORS: ReadonlySet<unknown> = new Set([
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
  AggregateError,
]);

/**
 * What a fault may say of `err`. A JavaScript error of novalet's own (a
 * bug: TypeError, ...) is shown as Python's bare `Exception` with a pointer
 * to the log, never with its own text (which names novalet's internals).
 */
function shown(err: Error): Error {
  if (!BUILTIN_ERRORS.has(err.constructor) || err instanceof NovaException) return err;
  const generic = new Error("Unexpected error, see the nova-compute log");
  generic.name = "Exception";
  Object.defineProperty(generic, "constructor", { value: { name: "Exception" } });
  return generic;
}

/** `exception_to_dict` + `_get_fault_details`: the fault of `err` on `host`. */
export function faultFromError(raised: Error, host: string, frames: readonly Frame[]): FaultRecord {
  const err = shown(raised);
  const code = err instanceof NovaException ? err.code : 500;
  const message = err instanceof NovaException ? err.message : err.constructor.name;
  return {
    code,
    message: truncate(message, 255),
    details: code === 500 ? pythonTraceback(frames, err) : "",
    host,
  };
}

/** `utils.safe_truncate`: at most `length` characters. */
function truncate(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : chars.slice(0, length).join("");
}
