/**
 * An INI reader with the two dialects novalet needs:
 *
 * - oslo.config's (nova.conf): a section may appear more than once and is
 *   merged, a key may repeat (multi-valued options collect every value),
 *   matching quotes around a value are removed, keys keep their case;
 * - Python's ConfigParser (api-paste.ini): keys are lower-cased, a repeated
 *   section or key is an error.
 *
 * Both split a line on the first `=` or `:`, ignore lines starting with `#`
 * or `;`, and join indented continuation lines with a newline.
 *
 * @module
 */

/** One `key = value` line (with its continuation lines). */
export interface IniEntry {
  readonly key: string;
  value: string;
  readonly line: number;
}

/** A `[section]` with its entries in file order. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly entries: IniEntry[];
}

export interface IniOptions {
  /** ConfigParser lower-cases keys; oslo.config does not. */
  lowerKeys?: boolean;
  /** oslo.config merges repeated sections; ConfigParser rejects them. */
  mergeSections?: boolean;
  /** oslo.config strips one pair of matching quotes around a value. */
  stripQuotes?: boolean;
  /** Name used in error messages. */
  source?: string;
}

/** Parses INI text into sections, reporting the line of any syntax error. */
export function parseIni(text: string, options: IniOptions = {}): IniSection[] {
  const source = options.source ?? "<string>";
  const sections: IniSection[] = [];
  const byName = new Map<string, IniSection>();
  let current: IniSection | null = null;
  let last: IniEntry | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    const stripped = raw.trim();
    if (stripped === "") {
      last = null;
      continue;
    }
    if (/^\s/.test(raw) && last !== null && !/^[#;]/.test(stripped)) {
      last.value = last.value === "" ? stripped : `${last.value}\n${stripped}`;
      continue;
    }
    if (stripped[0] === "#" || stripped[0] === ";") continue;
    if (stripped[0] === "[") {
      const close = stripped.indexOf("]");
      if (close < 0) throw new SyntaxError(`Invalid section header at line ${lineNo} of ${source}`);
      const name = stripped.slice(1, close).trim();
      last = null;
      const existing = byName.get(name);
      if (existing) {
        if (!options.mergeSections) {
          throw new SyntaxError(`Section "${name}" repeated at line ${lineNo} of ${source}`);
        }
        current = existing;
      } else {
        current = { name, line: lineNo, entries: [] };
        sections.push(current);
        byName.set(name, current);
      }
      continue;
    }
    if (current === null) {
      throw new SyntaxError(`Line ${lineNo} of ${source} is outside any section`);
    }
    last = parseEntry(stripped, lineNo, source, options);
    if (!options.mergeSections && current.entries.some((e) => e.key === last!.key)) {
      throw new SyntaxError(
        `Option "${last.key}" repeated in [${current.name}] at line ${lineNo} of ${source}`,
      );
    }
    current.entries.push(last);
  }
  return sections;
}

function parseEntry(line: string, lineNo: number, source: string, options: IniOptions): IniEntry {
  const eq = line.indexOf("=");
  const colon = line.indexOf(":");
  const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  if (at <= 0) throw new SyntaxError(`No key and value at line ${lineNo} of ${source}`);
  let key = line.slice(0, at).trim();
  if (key === "") throw new SyntaxError(`Empty key at line ${lineNo} of ${source}`);
  if (options.lowerKeys) key = key.toLowerCase();
  let value = line.slice(at + 1).trim();
  if (
    options.stripQuotes && value.length >= 2 && value[0] === value.at(-1) &&
    (value[0] === '"' || value[0] === "'")
  ) {
    value = value.slice(1, -1);
  }
  return { key, value, line: lineNo };
}
