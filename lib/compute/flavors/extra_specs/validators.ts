/**
 * Extra spec validation (microversion 2.86): a known name must carry a
 * value of its kind; an unknown name in a known namespace is refused;
 * anything else passes.
 *
 * Mirrors nova/api/validation/extra_specs/validators.py (`validate`) and
 * base.py (`ExtraSpecValidator`).
 *
 * @module
 */

import { HttpError } from "../../../errors.ts";
import { pyRegex } from "../../../validation/mod.ts";
import { pyInt } from "../../../validation/pynum.ts";
import { VALIDATOR_SPECS, type ValidatorSpec, type ValueSpec } from "./known.ts";

/** A validator with its name and value regexes compiled (`__post_init__`). */
interface Compiled {
  readonly spec: ValidatorSpec;
  /** `name_regex` as Python writes it (with `(?P<x>...)` groups). */
  readonly nameRegex: string;
  readonly name: RegExp;
  readonly value: RegExp | null;
}

let compiled: { byName: Map<string, Compiled>; all: Compiled[]; namespaces: RegExp[] } | null =
  null;

/** `re.fullmatch(pattern, s)` as a JS RegExp. */
function fullmatch(pattern: string): RegExp {
  return pyRegex(`\\A(?:${pattern})\\Z`);
}

function compile(spec: ValidatorSpec): Compiled {
  let nameRegex = spec.name;
  for (const [param, pattern] of spec.parameters ?? []) {
    nameRegex = nameRegex.replace(`{${param}}`, `(?P<${param}>${pattern})`);
  }
  const value = spec.value.type === "str" && spec.value.pattern
    ? fullmatch(spec.value.pattern)
    : null;
  return { spec, nameRegex, name: fullmatch(nameRegex), value };
}

/** `load_validators()`: the registry and the namespaces of the regexes that have one. */
function registry(): NonNullable<typeof compiled> {
  if (compiled) return compiled;
  const byName = new Map<string, Compiled>();
  const namespaces = new Set<string>();
  for (const spec of VALIDATOR_SPECS) {
    const c = compile(spec);
    byName.set(spec.name, c);
    if (c.nameRegex.includes(":")) namespaces.add(c.nameRegex.split(":", 1)[0]);
  }
  compiled = {
    byName,
    all: [...byName.values()],
    namespaces: [...namespaces].map(fullmatch),
  };
  return compiled;
}

/** nova.exception.ValidationError: a 400 with the text as it is. */
function invalid(message: string): HttpError {
  return new HttpError(400, message);
}

/**
 * `validators.validate(name, value)`.
 *
 * @throws {HttpError} 400 with nova's "Validation failed; ..." text
 */
export function validateExtraSpec(name: string, value: string): void {
  const reg = registry();
  const exact = reg.byName.get(name);
  if (exact) return validateWith(exact, name, value);
  for (const c of reg.all) {
    if (c.name.test(name)) return validateWith(c, name, value);
  }
  if (!name.includes(":")) return;
  const namespace = name.split(":", 1)[0];
  if (!reg.namespaces.some((ns) => ns.test(namespace))) return;
  throw invalid(
    `Validation failed; extra spec '${name}' does not appear to be a valid extra spec.`,
  );
}

/** `ExtraSpecValidator.validate(name, value)`. */
function validateWith(c: Compiled, name: string, value: string): void {
  if (!c.name.test(name)) {
    throw invalid(
      `Validation failed; expected a name of format '${c.spec.name}' but got '${name}'.`,
    );
  }
  const rule = c.spec.value;
  if (rule.type === "int") return validateInt(rule, value);
  if (rule.type === "bool") return validateBool(value);
  validateStr(c, rule, value);
}

function validateStr(c: Compiled, rule: ValueSpec, value: string): void {
  if (rule.pattern !== undefined) {
    if (!c.value!.test(value)) {
      throw invalid(`Validation failed; '${value}' is not of the format '${rule.pattern}'.`);
    }
  } else if (rule.enum && !rule.enum.includes(value)) {
    throw invalid(`Validation failed; '${value}' is not one of: ${rule.enum.join(", ")}.`);
  }
}

function validateInt(rule: ValueSpec, value: string): void {
  const parsed = pyInt(value);
  if (parsed === null) {
    throw invalid(`Validation failed; '${value}' is not a valid integer value.`);
  }
  // NOTE(parity): the messages print int(value), not the text sent ("007" → '7').
  const shown = parsed.toString();
  if (rule.max !== undefined && rule.max < parsed) {
    throw invalid(
      `Validation failed; '${shown}' is greater than the max value of '${rule.max}'.`,
    );
  }
  if (rule.min !== undefined && rule.min > parsed) {
    throw invalid(`Validation failed; '${shown}' is less than the min value of '${rule.min}'.`);
  }
}

const TRUE_STRINGS = ["1", "t", "true", "on", "y", "yes"];
const FALSE_STRINGS = ["0", "f", "false", "off", "n", "no"];

/** oslo_utils.strutils.bool_from_string(value, strict=True): true, false, or null (ValueError). */
export function boolFromString(value: string): boolean | null {
  const lowered = value.trim().toLowerCase();
  if (TRUE_STRINGS.includes(lowered)) return true;
  if (FALSE_STRINGS.includes(lowered)) return false;
  return null;
}

function validateBool(value: string): void {
  if (boolFromString(value) === null) {
    throw invalid(`Validation failed; '${value}' is not a valid boolean-like value.`);
  }
}
