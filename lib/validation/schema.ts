/**
 * A JSON Schema Draft 4 validator that fails the way nova's does: nova's
 * `_SchemaValidator` (nova/api/validation/validators.py) on jsonschema 4.10's
 * `Draft4Validator`.
 *
 * jsonschema yields errors lazily and nova raises the first one, so the
 * reported error is the first failing keyword in the schema's key order,
 * depth first: `{'type': ..., 'pattern': ..., 'minimum': ...}` reports the
 * type before the pattern before the minimum. Each schema object is compiled
 * once into closures (cached by identity); keywords that cannot fail for a
 * value's type cost one `typeof`.
 *
 * Schemas are plain objects written like nova's Python dicts, in the same
 * key order (it decides which error wins). A Python float constant that is
 * integral (`3.40282e+38`) is written `new PyFloat(...)` so messages print it
 * as Python does.
 *
 * @module
 */

import { PyFloat } from "../response.ts";
import { FORMAT_CHECKERS, type FormatResult } from "./formats.ts";
import { numberFromStr } from "./pynum.ts";
import { pyRegex } from "./pyregex.ts";
import {
  isPyDict,
  isPyInt,
  isPyNumber,
  jsonschemaEquals,
  numericValue,
  pyEquals,
  pyRepr,
  pyStr,
  pyTypeName,
} from "./repr.ts";
import { codePointLength, compareCodePoints } from "./unicode.ts";
import { PyException } from "./errors.ts";

/** A JSON Schema object: keywords in nova's order. */
export type ObjectSchema = { readonly [keyword: string]: unknown };

/** A JSON Schema: an object of keywords, or `true`/`false`. */
export type Schema = boolean | ObjectSchema;

/** One jsonschema `ValidationError`, as far as nova's message needs it. */
export interface SchemaError {
  /** `error.message`. */
  message: string;
  /** `error.path`: keys and indexes from the root to the failing value. */
  path: (string | number)[];
  /** `error.instance`: the value the failing keyword looked at. */
  instance: unknown;
  /** The reason of an `InvalidName` raised by a name format checker (`error.cause`). */
  invalidName?: string;
}

/** A compiled schema: the first error for a value, or null. */
export type Validator = (instance: unknown) => SchemaError | null;

/** Compile options. */
export interface CompileOptions {
  /**
   * nova's `relax_additional_properties` (legacy v2 requests):
   * `_soft_validate_additional_properties` replaces `additionalProperties`.
   */
  relaxAdditionalProperties?: boolean;
}

type Obj = Record<string, unknown>;
type Check = (instance: unknown) => SchemaError | null;
type KeywordCompiler = (value: unknown, schema: Obj, ctx: Context) => Check | null;

const UNSET = Symbol("unset");

interface Context {
  root: Schema;
  relax: boolean;
  compiled: Map<unknown, Validator>;
}

const strictCache = new WeakMap<object, Validator>();
const relaxedCache = new WeakMap<object, Validator>();

/** Compiles `schema` (cached per schema object and mode). */
export function compileSchema(schema: Schema, options: CompileOptions = {}): Validator {
  const relax = options.relaxAdditionalProperties === true;
  if (typeof schema === "boolean") return compileNode(schema, newContext(schema, relax));
  const cache = relax ? relaxedCache : strictCache;
  let hit = cache.get(schema);
  if (!hit) {
    hit = compileNode(schema, newContext(schema, relax));
    cache.set(schema, hit);
  }
  return hit;
}

function newContext(root: Schema, relax: boolean): Context {
  return { root, relax, compiled: new Map() };
}

function fail(message: string): SchemaError {
  return { message, path: [], instance: UNSET };
}

/** `iter_errors` for one schema: its keywords in order, first error wins. */
function compileNode(schema: unknown, ctx: Context): Validator {
  const known = ctx.compiled.get(schema);
  if (known) return known;
  let checks: Check[] = [];
  const node: Validator = (instance) => {
    for (let i = 0; i < checks.length; i++) {
      const err = checks[i](instance);
      if (err) {
        if (err.instance === UNSET) err.instance = instance;
        return err;
      }
    }
    return null;
  };
  ctx.compiled.set(schema, node);
  checks = keywordChecks(schema, ctx);
  return node;
}

function keywordChecks(schema: unknown, ctx: Context): Check[] {
  if (schema === true) return [];
  if (schema === false) return [(i) => fail(`False schema does not allow ${pyRepr(i)}`)];
  if (!isPyDict(schema)) {
    // jsonschema fails when a value reaches a schema that is no dict, with an
    // AttributeError (a 500 in nova). nova's slips under `properties` are
    // skipped (see propertiesCheck); any other one answers 400 in runValidator.
    const error = `'${pyTypeName(schema)}' object has no attribute 'get'`;
    return [() => {
      throw new PyException("AttributeError", error);
    }];
  }
  // NOTE(parity): jsonschema's `extend()` (how nova builds its validator) drops
  // Draft 4's "ignore $ref siblings" rule: `$ref` is one keyword among the others.
  const checks: Check[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const make = KEYWORDS[keyword];
    const check = make ? make(value, schema, ctx) : null;
    if (check) checks.push(check);
  }
  return checks;
}

/** `descend(instance, schema, path)`: validate a child and prefix its path. */
function descend(
  validator: Validator,
  instance: unknown,
  key: string | number,
): SchemaError | null {
  const err = validator(instance);
  if (err) err.path.unshift(key);
  return err;
}

// ---------------------------------------------------------------- types

const TYPE_CHECKS: Record<string, (v: unknown) => boolean> = {
  array: Array.isArray,
  boolean: (v) => typeof v === "boolean",
  integer: isPyInt,
  null: (v) => v === null || v === undefined,
  number: isPyNumber,
  object: isPyDict,
  string: (v) => typeof v === "string",
};

function typeCheck(value: unknown): Check {
  const types = typeof value === "string" ? [value] : value as string[];
  const tests = types.map((t) => {
    const test = TYPE_CHECKS[t];
    if (!test) throw new TypeError(`Unknown type ${pyRepr(t)}`);
    return test;
  });
  const names = types.map(pyRepr).join(", ");
  return (i) => {
    for (let k = 0; k < tests.length; k++) if (tests[k](i)) return null;
    return fail(`${pyRepr(i)} is not of type ${names}`);
  };
}

// ---------------------------------------------------------------- objects

/**
 * A property whose schema is a schema. nova has slips where it is not
 * (aggregates and quota sets: `'properties': {'type': 'object', ...}`):
 * jsonschema crashes on a body with that key (an AttributeError, nova's
 * 500); novalet treats the key as no property at all, so that
 * `additionalProperties: False` refuses it ("'type' was unexpected").
 */
function isPropertySchema(schema: unknown): boolean {
  return isPyDict(schema) || typeof schema === "boolean";
}

function propertiesCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const props = Object.entries(value as Obj).filter(([, v]) => isPropertySchema(v))
    .map(([k, v]) => [k, compileNode(v, ctx)] as const);
  return (i) => {
    if (!isPyDict(i)) return null;
    for (const [key, validator] of props) {
      if (!Object.hasOwn(i, key)) continue;
      const err = descend(validator, i[key], key);
      if (err) return err;
    }
    return null;
  };
}

function patternPropertiesCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const pats = Object.entries(value as Obj).map(([p, v]) =>
    [pyRegex(p), compileNode(v, ctx)] as const
  );
  return (i) => {
    if (!isPyDict(i)) return null;
    for (const [regex, validator] of pats) {
      for (const key in i) {
        if (!regex.test(key)) continue;
        const err = descend(validator, i[key], key);
        if (err) return err;
      }
    }
    return null;
  };
}

/** `_utils.find_additional_properties` as a reusable predicate over a schema. */
function additionalFinder(schema: Obj): (i: Obj) => string[] {
  const props = isPyDict(schema.properties)
    ? Object.fromEntries(Object.entries(schema.properties).filter(([, v]) => isPropertySchema(v)))
    : {};
  const patterns = isPyDict(schema.patternProperties)
    ? Object.keys(schema.patternProperties).map(pyRegex)
    : [];
  return (i) => {
    const extras: string[] = [];
    for (const key in i) {
      if (Object.hasOwn(props, key)) continue;
      if (patterns.some((p) => p.test(key))) continue;
      extras.push(key);
    }
    return extras;
  };
}

function sortedReprs(items: string[]): string {
  return [...items].sort(compareCodePoints).map(pyRepr).join(", ");
}

function additionalPropertiesCheck(value: unknown, schema: Obj, ctx: Context): Check | null {
  if (ctx.relax) return softAdditionalProperties(value, schema);
  const find = additionalFinder(schema);
  if (isPyDict(value)) {
    const validator = compileNode(value, ctx);
    return (i) => {
      if (!isPyDict(i)) return null;
      // NOTE(parity): jsonschema walks a Python set here (hash order); we walk
      // the request's key order.
      for (const key of find(i)) {
        const err = descend(validator, i[key], key);
        if (err) return err;
      }
      return null;
    };
  }
  if (value) return null;
  const patterns = isPyDict(schema.patternProperties)
    ? sortedReprs(Object.keys(schema.patternProperties))
    : null;
  return (i) => {
    if (!isPyDict(i)) return null;
    const extras = find(i);
    if (!extras.length) return null;
    if (patterns !== null) {
      const verb = extras.length === 1 ? "does" : "do";
      return fail(`${sortedReprs(extras)} ${verb} not match any of the regexes: ${patterns}`);
    }
    return fail(unexpectedMessage("properties", sortedReprs(extras), extras.length));
  };
}

function unexpectedMessage(what: string, reprs: string, count: number): string {
  return `Additional ${what} are not allowed (${reprs} ${count === 1 ? "was" : "were"} unexpected)`;
}

/**
 * `_soft_validate_additional_properties`: for legacy v2 requests, extra
 * properties are deleted from the body, unless the schema has
 * patternProperties, where they are an error.
 */
function softAdditionalProperties(value: unknown, schema: Obj): Check | null {
  if (pyTruthy(value)) return null;
  const find = additionalFinder(schema);
  const hasPatterns = isPyDict(schema.patternProperties) &&
    Object.keys(schema.patternProperties).length > 0;
  return (i) => {
    if (!isPyDict(i)) return null;
    const extras = find(i);
    if (!extras.length) return null;
    if (hasPatterns) {
      // NOTE(parity): nova joins a set (hash order); we keep the request's order.
      return fail(unexpectedMessage("properties", extras.map(pyRepr).join(", "), extras.length));
    }
    for (const key of extras) delete i[key];
    return null;
  };
}

function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isPyDict(v)) return Object.keys(v).length > 0;
  return Boolean(v instanceof PyFloat ? v.value : v);
}

function requiredCheck(value: unknown): Check {
  const required = value as string[];
  return (i) => {
    if (!isPyDict(i)) return null;
    for (const prop of required) {
      if (!Object.hasOwn(i, prop)) return fail(`${pyRepr(prop)} is a required property`);
    }
    return null;
  };
}

function propertyCountCheck(value: unknown, max: boolean): Check {
  const limit = Number(numericValue(value));
  return (i) => {
    if (!isPyDict(i)) return null;
    const n = Object.keys(i).length;
    if (max && n > limit) return fail(`${pyRepr(i)} has too many properties`);
    if (!max && n < limit) return fail(`${pyRepr(i)} does not have enough properties`);
    return null;
  };
}

function dependenciesCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const deps = Object.entries(value as Obj).map(([prop, dep]) =>
    [prop, Array.isArray(dep) ? dep as string[] : compileNode(dep, ctx)] as const
  );
  return (i) => {
    if (!isPyDict(i)) return null;
    for (const [prop, dep] of deps) {
      if (!Object.hasOwn(i, prop)) continue;
      if (typeof dep === "function") {
        const err = dep(i);
        if (err) return err;
        continue;
      }
      const missing = dep.find((each) => !Object.hasOwn(i, each));
      if (missing !== undefined) {
        return fail(`${pyRepr(missing)} is a dependency of ${pyRepr(prop)}`);
      }
    }
    return null;
  };
}

// ---------------------------------------------------------------- arrays

function itemsCheck(value: unknown, _s: Obj, ctx: Context): Check {
  if (Array.isArray(value)) {
    const validators = value.map((v) => compileNode(v, ctx));
    return (i) => {
      if (!Array.isArray(i)) return null;
      const n = Math.min(i.length, validators.length);
      for (let k = 0; k < n; k++) {
        const err = descend(validators[k], i[k], k);
        if (err) return err;
      }
      return null;
    };
  }
  const validator = compileNode(value, ctx);
  return (i) => {
    if (!Array.isArray(i)) return null;
    for (let k = 0; k < i.length; k++) {
      const err = descend(validator, i[k], k);
      if (err) return err;
    }
    return null;
  };
}

function additionalItemsCheck(value: unknown, schema: Obj, ctx: Context): Check | null {
  // jsonschema: nothing to do unless `items` is a list.
  if (!Array.isArray(schema.items)) return null;
  const len = schema.items.length;
  if (isPyDict(value)) {
    const validator = compileNode(value, ctx);
    return (i) => {
      if (!Array.isArray(i)) return null;
      for (let k = len; k < i.length; k++) {
        const err = descend(validator, i[k], k);
        if (err) return err;
      }
      return null;
    };
  }
  if (value) return null;
  return (i) => {
    if (!Array.isArray(i) || i.length <= len) return null;
    const extras = pySorted(i.slice(len));
    return fail(unexpectedMessage("items", extras.map(pyRepr).join(", "), extras.length));
  };
}

/**
 * Python's `sorted()` for strings or numbers.
 *
 * NOTE(parity): other mixes raise TypeError as Python does, naming the
 * first pair timsort compares; lists are not compared element-wise.
 */
function pySorted(items: unknown[]): unknown[] {
  if (items.length < 2) return items;
  if (items.every((v) => typeof v === "string")) {
    return [...items as string[]].sort(compareCodePoints);
  }
  const numeric = (v: unknown) => typeof v === "boolean" || isPyNumber(v);
  if (items.every(numeric)) {
    return [...items].sort((a, b) => {
      const x = numericValue(a);
      const y = numericValue(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  throw new PyException(
    "TypeError",
    `'<' not supported between instances of '${pyTypeName(items[1])}' and '${
      pyTypeName(items[0])
    }'`,
  );
}

function itemCountCheck(value: unknown, max: boolean): Check {
  const limit = Number(numericValue(value));
  return (i) => {
    if (!Array.isArray(i)) return null;
    if (max ? i.length > limit : i.length < limit) {
      return fail(`${pyRepr(i)} is too ${max ? "long" : "short"}`);
    }
    return null;
  };
}

function uniqueItemsCheck(value: unknown): Check | null {
  if (!pyTruthy(value)) return null;
  return (i) => {
    if (!Array.isArray(i)) return null;
    for (let a = 1; a < i.length; a++) {
      for (let b = 0; b < a; b++) {
        if (jsonschemaEquals(i[a], i[b])) return fail(`${pyRepr(i)} has non-unique elements`);
      }
    }
    return null;
  };
}

// ---------------------------------------------------------------- scalars

function lengthCheck(value: unknown, max: boolean): Check {
  const limit = Number(numericValue(value));
  return (i) => {
    if (typeof i !== "string") return null;
    const n = codePointLength(i);
    if (max ? n > limit : n < limit) return fail(`${pyRepr(i)} is too ${max ? "long" : "short"}`);
    return null;
  };
}

function patternCheck(value: unknown): Check {
  const pattern = value as string;
  const regex = pyRegex(pattern);
  const shown = pyRepr(pattern);
  return (i) => {
    if (typeof i !== "string" || regex.test(i)) return null;
    return fail(`${pyRepr(i)} does not match ${shown}`);
  };
}

/**
 * nova's `_validate_minimum`/`_validate_maximum`: the value goes through
 * `int()`/`float()` first, so numeric strings are compared as numbers and
 * the message shows the converted number.
 */
function boundCheck(value: unknown, schema: Obj, max: boolean): Check {
  const bound = numericValue(value);
  const exclusive = pyTruthy(schema[max ? "exclusiveMaximum" : "exclusiveMinimum"]);
  const shown = pyRepr(value);
  const word = max ? "greater" : "less";
  const cmp = exclusive ? `${word} than or equal to` : `${word} than`;
  return (i) => {
    const n = boundNumber(i);
    if (n === null) return null;
    const x = numericValue(n);
    const failed = max
      ? (exclusive ? x >= bound : x > bound)
      : (exclusive ? x <= bound : x < bound);
    if (!failed) return null;
    return fail(`${pyRepr(n)} is ${cmp} the ${max ? "maximum" : "minimum"} of ${shown}`);
  };
}

/**
 * nova's `_number_from_str` for a bound check. nova answers 500 for an
 * infinite float (`int(inf)` raises OverflowError); novalet compares the
 * float itself ("inf is greater than the maximum of 2147483647").
 */
function boundNumber(instance: unknown): ReturnType<typeof numberFromStr> {
  try {
    return numberFromStr(instance);
  } catch (err) {
    if (!(err instanceof PyException) || err.pyType !== "OverflowError") throw err;
    return instance instanceof PyFloat ? instance : new PyFloat(Number(instance));
  }
}

function multipleOfCheck(value: unknown): Check {
  const isFloat = value instanceof PyFloat || !isPyInt(value);
  const db = numericValue(value);
  return (i) => {
    if (!isPyNumber(i)) return null;
    const x = numericValue(i);
    let failed: boolean;
    if (isFloat || typeof x !== typeof db) {
      const q = Number(x) / Number(db);
      failed = Math.trunc(q) !== q;
    } else failed = (x as number) % (db as number) !== 0;
    return failed ? fail(`${pyRepr(i)} is not a multiple of ${pyStr(value)}`) : null;
  };
}

function enumCheck(value: unknown): Check {
  const enums = value as unknown[];
  const shown = pyRepr(enums);
  return (i) => {
    const n = numericValue(i);
    // NOTE(parity): jsonschema "unbools" 0/1 so that True is not 1 (and 1 is not True).
    const found = n === 0 || n === 1
      ? enums.some((e) =>
        typeof i === "boolean" || typeof e === "boolean" ? i === e : pyEquals(i, e)
      )
      : enums.some((e) => pyEquals(i, e));
    return found ? null : fail(`${pyRepr(i)} is not one of ${shown}`);
  };
}

/** nova's `FormatChecker.check`: unknown formats pass; failures say "%r is not a %r". */
function formatCheck(value: unknown): Check | null {
  const format = value as string;
  const checker = FORMAT_CHECKERS[format];
  if (!checker) return null;
  const shown = pyRepr(format);
  return (i) => {
    const result = checkFormat(checker, i);
    if (result === true) return null;
    const err = fail(`${pyRepr(i)} is not a ${shown}`);
    if (result !== false) err.invalidName = result.invalidName;
    return err;
  };
}

/**
 * A checker's answer. nova answers 500 where Python raises something other
 * than a TypeError in a checker (UnicodeDecodeError for a non-ASCII
 * base64 value, OverflowError or ValueError compiling a `regex` value);
 * novalet takes such a value as not of the format (jsonschema's 400
 * "'x' is not a 'base64'"). A TypeError is nova's own 400 (runValidator).
 */
function checkFormat(checker: (i: unknown) => FormatResult, instance: unknown): FormatResult {
  try {
    return checker(instance);
  } catch (err) {
    if (err instanceof PyException && err.pyType !== "TypeError") return false;
    throw err;
  }
}

// ---------------------------------------------------------------- combinators

function allOfCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const validators = (value as unknown[]).map((v) => compileNode(v, ctx));
  return (i) => {
    for (const validator of validators) {
      const err = validator(i);
      if (err) return err;
    }
    return null;
  };
}

function anyOfCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const validators = (value as unknown[]).map((v) => compileNode(v, ctx));
  return (i) =>
    validators.some((validator) => validator(i) === null)
      ? null
      : fail(`${pyRepr(i)} is not valid under any of the given schemas`);
}

function oneOfCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const subschemas = value as unknown[];
  const validators = subschemas.map((v) => compileNode(v, ctx));
  return (i) => {
    const first = validators.findIndex((validator) => validator(i) === null);
    if (first < 0) return fail(`${pyRepr(i)} is not valid under any of the given schemas`);
    const more = subschemas.filter((_, k) => k > first && validators[k](i) === null);
    if (!more.length) return null;
    const reprs = [...more, subschemas[first]].map(pyRepr).join(", ");
    return fail(`${pyRepr(i)} is valid under each of ${reprs}`);
  };
}

function notCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const validator = compileNode(value, ctx);
  const shown = pyRepr(value);
  return (i) =>
    validator(i) === null ? fail(`${pyRepr(i)} should not be valid under ${shown}`) : null;
}

/** `$ref` to the root (`#`) or inside it (`#/definitions/x`, JSON pointer). */
function refCheck(value: unknown, _s: Obj, ctx: Context): Check {
  const ref = value as string;
  if (!ref.startsWith("#")) throw new TypeError(`Only local $ref is supported: ${ref}`);
  let target: unknown = ctx.root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    target = (target as Obj)[key];
    if (target === undefined) throw new TypeError(`Unresolvable JSON pointer: ${ref}`);
  }
  let validator: Validator | null = null;
  return (i) => (validator ??= compileNode(target, ctx))(i);
}

const KEYWORDS: Record<string, KeywordCompiler> = {
  "$ref": refCheck,
  additionalItems: additionalItemsCheck,
  additionalProperties: additionalPropertiesCheck,
  allOf: allOfCheck,
  anyOf: anyOfCheck,
  dependencies: dependenciesCheck,
  enum: enumCheck,
  format: formatCheck,
  items: itemsCheck,
  maxItems: (v) => itemCountCheck(v, true),
  maxLength: (v) => lengthCheck(v, true),
  maxProperties: (v) => propertyCountCheck(v, true),
  maximum: (v, s) => boundCheck(v, s, true),
  minItems: (v) => itemCountCheck(v, false),
  minLength: (v) => lengthCheck(v, false),
  minProperties: (v) => propertyCountCheck(v, false),
  minimum: (v, s) => boundCheck(v, s, false),
  multipleOf: multipleOfCheck,
  not: notCheck,
  oneOf: oneOfCheck,
  pattern: patternCheck,
  patternProperties: patternPropertiesCheck,
  properties: propertiesCheck,
  required: requiredCheck,
  type: typeCheck,
  uniqueItems: uniqueItemsCheck,
};
