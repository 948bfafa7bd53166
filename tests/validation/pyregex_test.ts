/**
 * Python `re` patterns on JavaScript: which compile, and what `re.search`
 * finds (expected values from /usr/bin/python3).
 */
import assert from "node:assert/strict";
import {
  isPyRegex,
  PyException,
  pyRegex,
  UnsupportedRegexError,
} from "../../lib/validation/mod.ts";

/** [pattern, [subject, re.search(pattern, subject) is not None][]] */
const SEARCHES: [string, [string, boolean][]][] = [
  ["^[0-9]*$", [["", true], ["12", true], ["12\n", true], ["12\n\n", false], ["1a", false], [
    "٣",
    false,
  ]]],
  ["^(?! )[a-zA-Z0-9. _-]+(?<! )$", [["a b", true], [" a", false], ["a ", false], [
    "a-b_c.d",
    true,
  ]]],
  ["^[0-9]+(\\.[0-9]+)?$", [["1", true], ["1.5", true], ["1.", false], [".5", false]]],
  ["^[a-zA-Z0-9._-r/]*$", [["abc/r", true], ["q", true], ["s", true], ["`", true]]],
  [
    "(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$",
    [["/dev/vda", true], ["/dev/xvdb1", true], ["dev/vda", false], ["/dev/1", false]],
  ],
  ["^[a-zA-Z0-9-_:. ]{1,255}$", [["k:v. 1", true], ["", false], ["a/b", false], [
    "x".repeat(256),
    false,
  ]]],
  ["\\d+", [["٣", true], ["x", false]]],
  ["^\\w+$", [["abc_1", true], ["é", true], ["a-b", false]]],
  ["^\\s$", [["\x1c", true], ["\ufeff", false], ["\u3000", true]]],
  ["a.c", [["abc", true], ["a\nc", false]]],
  ["(?s)a.c", [["a\nc", true]]],
  ["(?m)^b$", [["a\nb\nc", true], ["ab", false]]],
  ["(?i)abc", [["ABC", true], ["aBc", true]]],
  ["(?x) a b  # comment", [["ab", true], ["a b", false]]],
  ["[]a]", [["]", true], ["a", true], ["b", false]]],
  ["[^]a]", [["]", false], ["b", true]]],
  ["a{", [["a{", true], ["a", false]]],
  ["a{,2}b", [["aab", true], ["b", true], ["x", false]]],
  ["(?P<x>a)(?P=x)", [["aa", true], ["ab", false]]],
  ["(a)\\1", [["aa", true], ["ab", false]]],
  ["^.{2}$", [["😀😀", true], ["ab", true], ["a", false]]],
  ["\\bfoo\\b", [["a foo b", true], ["afoo", false], ["é foo", true]]],
  ["[\\d-]+", [["1-2", true], ["a", false]]],
  ["(?=a)*b", [["b", true]]],
];

for (const [pattern, subjects] of SEARCHES) {
  Deno.test(`pyRegex(${JSON.stringify(pattern)}) searches like re.search`, () => {
    const regex = pyRegex(pattern);
    for (const [subject, found] of subjects) {
      assert.equal(regex.test(subject), found, JSON.stringify(subject));
    }
  });
}

/** [pattern, what re.compile does] */
const COMPILES: [string, "ok" | "error" | string][] = [
  ["(", "error"], // missing ), unterminated subpattern
  [")", "error"], // unbalanced parenthesis
  ["[a", "error"], // unterminated character set
  ["*a", "error"], // nothing to repeat
  ["a**", "error"], // multiple repeat
  ["a{3,1}", "error"], // min repeat greater than max repeat
  ["\\q", "error"], // bad escape \q
  ["(a)\\2", "error"], // invalid group reference 2
  ["(?P<n>a)(?P<n>b)", "error"], // redefinition of group name
  ["(?<=a+)b", "error"], // look-behind requires fixed-width pattern
  ["a(?i)b", "error"], // global flags not at the start of the expression
  ["(?L)x", "error"], // cannot use 'L' flag with a str pattern
  ["[z-a]", "error"], // bad character range z-a
  ["\\x4", "error"], // incomplete escape \x4
  ["[\\d-z]", "error"], // bad character range \d-z
  ["(?P=n)", "error"], // unknown group name 'n'
  ["\\8", "error"], // invalid group reference 8
  ["(?", "error"], // unexpected end of pattern
  ["(?#x", "error"], // missing ), unterminated comment
  ["\\400", "error"], // octal escape value \400 outside of range 0-0o377
  ["[", "error"], // unterminated character set
  ["a{99999999999}", "OverflowError"], // not a re.error: escapes nova's format checker
  ["(?a)(?u)x", "ValueError"], // raised by fix_flags, also not a re.error
  ["\\N{EM DASH}", "ok"],
  ["a*+", "ok"],
  ["(?>a)", "ok"],
  ["(a)(?(1)a|b)", "ok"],
  ["(?i:a)b", "ok"],
  ["", "ok"],
];

for (const [pattern, outcome] of COMPILES) {
  Deno.test(`isPyRegex(${JSON.stringify(pattern)}) is ${outcome} as in Python`, () => {
    if (outcome === "ok" || outcome === "error") {
      assert.equal(isPyRegex(pattern), outcome === "ok");
    } else {
      assert.throws(
        () => isPyRegex(pattern),
        (e) => e instanceof PyException && e.pyType === outcome,
      );
    }
  });
}

Deno.test("pyRegex() refuses valid Python it cannot translate", () => {
  for (const pattern of ["a*+", "(?>a)", "(a)(?(1)a|b)", "\\N{EM DASH}"]) {
    assert.throws(() => pyRegex(pattern), UnsupportedRegexError, pattern);
  }
});

Deno.test("pyRegex() compiles each pattern once", () => {
  assert.equal(pyRegex("^x+$"), pyRegex("^x+$"));
});
