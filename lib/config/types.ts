/**
 * Option declarations in oslo.config's terms: a type, a default, bounds or
 * choices, and whether SIGHUP may change the value (`mutable`).
 *
 * @module
 */

export type OptKind = "str" | "int" | "float" | "bool" | "list" | "port" | "multistr";

interface BaseOpt<K extends OptKind, T> {
  readonly kind: K;
  readonly default: T;
  readonly help: string;
  readonly mutable?: boolean;
  readonly secret?: boolean;
  readonly deprecatedNames?: readonly string[];
  /** Shown in the sample instead of the default value (for computed defaults). */
  readonly sampleDefault?: string;
}

export interface StrOpt extends BaseOpt<"str", string | null> {
  readonly choices?: readonly string[];
}
export interface IntOpt extends BaseOpt<"int", number | null> {
  readonly min?: number;
  readonly max?: number;
}
export type FloatOpt = BaseOpt<"float", number | null> & { readonly min?: number };
export type BoolOpt = BaseOpt<"bool", boolean | null>;
export type ListOpt = BaseOpt<"list", readonly string[] | null>;
export type PortOpt = BaseOpt<"port", number | null>;
export type MultiStrOpt = BaseOpt<"multistr", readonly string[]>;

export type Opt = StrOpt | IntOpt | FloatOpt | BoolOpt | ListOpt | PortOpt | MultiStrOpt;

/** The value type an option declaration produces. */
export type OptValue<O> = O extends { readonly default: infer T } ? T : never;

export type OptGroup = Readonly<Record<string, Opt>>;

type Extra<O extends Opt> = Omit<O, "kind" | "default" | "help">;

// Each builder has two overloads so that an option with a non-null default
// reads as non-nullable (`conf.wsgi.default_pool_size: number`).
export function strOpt(
  def: string,
  help: string,
  extra?: Extra<StrOpt>,
): StrOpt & { default: string };
export function strOpt(def: null, help: string, extra?: Extra<StrOpt>): StrOpt;
export function strOpt(def: string | null, help: string, extra: Extra<StrOpt> = {}): StrOpt {
  return { kind: "str", default: def, help, ...extra };
}
export function intOpt(
  def: number,
  help: string,
  extra?: Extra<IntOpt>,
): IntOpt & { default: number };
export function intOpt(def: null, help: string, extra?: Extra<IntOpt>): IntOpt;
export function intOpt(def: number | null, help: string, extra: Extra<IntOpt> = {}): IntOpt {
  return { kind: "int", default: def, help, ...extra };
}
export function floatOpt(
  def: number,
  help: string,
  extra?: Extra<FloatOpt>,
): FloatOpt & { default: number };
export function floatOpt(def: null, help: string, extra?: Extra<FloatOpt>): FloatOpt;
export function floatOpt(def: number | null, help: string, extra: Extra<FloatOpt> = {}): FloatOpt {
  return { kind: "float", default: def, help, ...extra };
}
export function boolOpt(
  def: boolean,
  help: string,
  extra?: Extra<BoolOpt>,
): BoolOpt & { default: boolean };
export function boolOpt(def: null, help: string, extra?: Extra<BoolOpt>): BoolOpt;
export function boolOpt(def: boolean | null, help: string, extra: Extra<BoolOpt> = {}): BoolOpt {
  return { kind: "bool", default: def, help, ...extra };
}
export function listOpt(
  def: readonly string[],
  help: string,
  extra?: Extra<ListOpt>,
): ListOpt & { default: readonly string[] };
export function listOpt(def: null, help: string, extra?: Extra<ListOpt>): ListOpt;
export function listOpt(
  def: readonly string[] | null,
  help: string,
  extra: Extra<ListOpt> = {},
): ListOpt {
  return { kind: "list", default: def, help, ...extra };
}
export function portOpt(
  def: number,
  help: string,
  extra?: Extra<PortOpt>,
): PortOpt & { default: number };
export function portOpt(def: null, help: string, extra?: Extra<PortOpt>): PortOpt;
export function portOpt(def: number | null, help: string, extra: Extra<PortOpt> = {}): PortOpt {
  return { kind: "port", default: def, help, ...extra };
}
export function multiStrOpt(
  def: readonly string[],
  help: string,
  extra: Extra<MultiStrOpt> = {},
): MultiStrOpt {
  return { kind: "multistr", default: def, help, ...extra };
}
