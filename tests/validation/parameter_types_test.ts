/**
 * parameterTypes against nova's parameter_types.py: the same JSON, key for
 * key (testdata/parameter_types.json, dumped from nova), and the same
 * generated regex texts (UTF-16 SHA-256 computed with /usr/bin/python3).
 */
import assert from "node:assert/strict";
import { parameterTypes as pt } from "../../lib/validation/mod.ts";

const nova = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/parameter_types.json", import.meta.url)),
) as Record<string, unknown>;

for (const [name, schema] of Object.entries(nova)) {
  Deno.test(`parameterTypes.${name} is nova's, keys in nova's order`, () => {
    let ours = (pt as Record<string, unknown>)[name];
    assert.ok(ours !== undefined, `parameterTypes.${name} is missing`);
    if (name === "description") {
      ours = { ...(ours as object), pattern: "<valid_description_regex>" };
    }
    assert.equal(JSON.stringify(ours), JSON.stringify(schema));
  });
}

async function utf16Sha256(text: string): Promise<string> {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[2 * i] = text.charCodeAt(i) & 0xff;
    bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** [name, regex text, length, sha256 of its UTF-16-LE bytes] */
const REGEXES: [string, string, number, string][] = [
  [
    "valid_name_regex",
    pt.validNameRegex.regex,
    2543,
    "63625b7929e02bc8a0a468e92b353f0f7aadc9d3f29fa46ac955bf5cdcf03fc7",
  ],
  [
    "valid_az_name_regex",
    pt.validAzNameRegex.regex,
    2546,
    "7c96b8b00664d14f5e624c9775835b7ac902e593d23ccf50bb5b3780670dab56",
  ],
  [
    "valid_az_name_leading_trailing_spaces_regex",
    pt.validAzNameLeadingTrailingSpacesRegex.regex,
    8825,
    "e62061b9bdf46cc28ba780c2f9a5af1ebc80167ac06a71a9cf5ebb3317a20ff0",
  ],
  [
    "valid_name_leading_trailing_spaces_regex",
    pt.validNameLeadingTrailingSpacesRegex.regex,
    8798,
    "98415110b8fe21c84d217a2edc6f09a9be03daa197867e7c951c228ba0580d16",
  ],
  [
    "valid_description_regex",
    pt.validDescriptionRegex,
    980,
    "b6ea0a7155235d6c539ea085ad7959caec1088e1bb6d6105317c4d332163bc71",
  ],
];

for (const [name, text, length, hash] of REGEXES) {
  Deno.test(`${name} is nova's text, character for character`, async () => {
    assert.equal(text.length, length);
    assert.equal(await utf16Sha256(text), hash);
  });
}

Deno.test("valid_name_regex starts and ends as nova's does (re.escape, the U+FFFE quirk)", () => {
  const text = pt.validNameRegex.regex;
  assert.ok(text.startsWith("^(?![\x00-\\ \x7f-\xa0\xad\u0378-\u0379\u0380-\u0383"));
  assert.ok(text.endsWith("\uffe7\uffef-\ufffb\ufffe-\ufffe])$"));
  assert.equal(pt.validDescriptionRegex.slice(0, 8), "^[\\ -\\~\xa0");
});

Deno.test("the name reasons are nova's texts", () => {
  assert.equal(
    pt.validNameRegex.reason,
    "printable characters. Can not start or end with whitespace.",
  );
  assert.equal(
    pt.validAzNameRegex.reason,
    "printable characters except :.Can not start or end with whitespace.",
  );
  assert.equal(
    pt.validNameLeadingTrailingSpacesRegex.reason,
    "printable characters with at least one non space character",
  );
  assert.equal(
    pt.validAzNameLeadingTrailingSpacesRegex.reason,
    "printable characters except :, with at least one non space character",
  );
});

Deno.test("singleParam() is multiParams() plus maxItems 1", () => {
  assert.deepEqual(pt.singleParam({ type: "string" }), {
    type: "array",
    items: { type: "string" },
    maxItems: 1,
  });
});

Deno.test("pyFloat() marks a Python float constant", () => {
  assert.equal(pt.pyFloat(2).value, 2);
});
