"""Writes keyword_cases.ts: schema/value pairs and the message nova's real
validator gives for each (None when it accepts the value).

    /usr/bin/python3 tests/validation/testdata/gen_keyword_cases.py > tests/validation/keyword_cases.ts
    deno fmt tests/validation/keyword_cases.ts
"""
import sys, json, warnings
warnings.filterwarnings("ignore")
import logging; logging.disable(logging.CRITICAL)
from nova.api.validation import parameter_types as P
from nova.api.validation import validators
from nova import exception


def run(schema, inst, is_body=True):
    try:
        validators._SchemaValidator(schema, False, is_body).validate(inst)
        return "OK"
    except exception.ValidationError as e:
        return "400:" + e.format_message()
    except Exception as e:
        return "EXC:" + type(e).__name__ + ":" + str(e)


def ts(o):
    if isinstance(o, float):
        r = repr(o)
        if r in ("inf", "-inf", "nan"): raise ValueError
        return f"new PyFloat({r})" if float(o).is_integer() else r
    if o is True: return "true"
    if o is False: return "false"
    if o is None: return "null"
    if isinstance(o, int): return str(o) if abs(o) < 2**53 else f"{o}n"
    if isinstance(o, str): return json.dumps(o)
    if isinstance(o, list): return "[" + ", ".join(ts(x) for x in o) + "]"
    if isinstance(o, dict): return "{ " + ", ".join(f"{json.dumps(k)}: {ts(v)}" for k, v in o.items()) + " }"
    raise TypeError(o)

def w(p): return {'type': 'object', 'properties': {'v': p}}
rows = []
def row(title, schema, inst, is_body=True):
    res = run(schema, inst, is_body)
    assert not res.startswith("EXC"), (title, res)
    rows.append((title, schema, inst, res[4:] if res.startswith("400:") else None))

# type
row("type string ok", w({'type': 'string'}), {'v': 'x'})
row("type string vs int", w({'type': 'string'}), {'v': 1})
row("type integer vs bool", w({'type': 'integer'}), {'v': True})
row("type integer vs float", w({'type': 'integer'}), {'v': 1.0})
row("type number vs bool", w({'type': 'number'}), {'v': False})
row("type number float ok", w({'type': 'number'}), {'v': 1.5})
row("type list", w({'type': ['integer', 'string']}), {'v': None})
row("type null ok", w({'type': ['string', 'null']}), {'v': None})
row("type object vs list", {'type': 'object'}, [])
row("type object vs None", {'type': 'object'}, None)
row("type array vs dict", w({'type': 'array'}), {'v': {'a': [1, 2.5, None, True]}})
# properties / required / additionalProperties / patternProperties
row("required missing", {'type': 'object', 'required': ['a', 'b']}, {'b': 1})
row("required order", {'type': 'object', 'required': ['b', 'a']}, {})
row("required on non-object", w({'required': ['a']}), {'v': 1})
row("additionalProperties false one", {'type': 'object', 'properties': {'a': {}}, 'additionalProperties': False}, {'a': 1, 'zz': 2})
row("additionalProperties false sorted", {'type': 'object', 'additionalProperties': False}, {'b': 1, 'a': 2, 'B': 3})
row("additionalProperties schema", w({'type': 'object', 'properties': {'a': {}}, 'additionalProperties': {'type': 'integer'}}), {'v': {'a': 'x', 'b': 'y'}})
row("patternProperties value", w({'type': 'object', 'patternProperties': {'^x': {'type': 'string'}}}), {'v': {'xa': 1}})
row("patternProperties extras", w({'type': 'object', 'patternProperties': {'^x': {}, '^a': {}}, 'additionalProperties': False}), {'v': {'b': 1}})
row("patternProperties extras plural", w({'type': 'object', 'patternProperties': {'^_': {}}, 'additionalProperties': False}), {'v': {'c': 1, 'b': 2}})
row("properties first failing in schema order", {'type': 'object', 'properties': {'b': {'type': 'string'}, 'a': {'type': 'string'}}}, {'a': 1, 'b': 2})
row("keyword order: additionalProperties before properties", {'type': 'object', 'additionalProperties': False, 'properties': {'a': {'type': 'string'}}}, {'a': 1, 'x': 1})
row("keyword order: properties before required", {'type': 'object', 'properties': {'a': {'type': 'string'}}, 'required': ['b']}, {'a': 1})
row("nested path is innermost key", {'type': 'object', 'properties': {'a': {'type': 'object', 'properties': {'b': {'type': 'array', 'items': {'type': 'string'}}}}}}, {'a': {'b': ['x', 5]}})
row("minProperties", w({'minProperties': 2}), {'v': {'a': 1}})
row("maxProperties", w({'maxProperties': 1}), {'v': {'a': 1, 'b': 2}})
row("dependencies list", w({'dependencies': {'a': ['b', 'c']}}), {'v': {'a': 1, 'b': 1}})
row("dependencies schema", w({'dependencies': {'a': {'required': ['z']}}}), {'v': {'a': 1}})
# enum
row("enum strings", w({'enum': ['HARD', 'SOFT']}), {'v': 'soft'})
row("enum True is not 1", w({'enum': [1, 'a']}), {'v': True})
row("enum 1 is not True", w({'enum': [True]}), {'v': 1})
row("enum 1.0 equals 1", w({'enum': [1]}), {'v': 1.0})
row("enum dict", w({'enum': [{'a': 1}, None]}), {'v': {'a': 2}})
row("boolean enum ok", w(P.boolean), {'v': 'yes'})
row("boolean enum bad", w(P.boolean), {'v': 'y'})
# strings
row("minLength", w({'type': 'string', 'minLength': 1}), {'v': ''})
row("maxLength counts code points", w({'type': 'string', 'maxLength': 2}), {'v': '😀😀'})
row("maxLength too long", w({'type': 'string', 'maxLength': 2}), {'v': 'abc'})
row("pattern", w({'type': 'string', 'pattern': '^[0-9]+$'}), {'v': '12a'})
row("pattern dollar before final newline", w({'type': 'string', 'pattern': '^[0-9]+$'}), {'v': '12\n'})
row("pattern search not match", w({'type': 'string', 'pattern': '[0-9]'}), {'v': 'a1'})
row("pattern lookbehind", w({'type': 'string', 'pattern': '^(?! )[a-zA-Z0-9. _-]+(?<! )$'}), {'v': 'a '})
row("pattern ignored for ints", w({'type': ['integer', 'string'], 'pattern': '^[0-9]+$'}), {'v': -5})
# numbers (nova's minimum/maximum)
row("minimum", w({'minimum': 1}), {'v': 0})
row("minimum numeric string", w({'type': ['integer', 'string'], 'minimum': 1}), {'v': '0'})
row("minimum float string", w({'minimum': 1}), {'v': '0.5'})
row("minimum truncates floats", w({'minimum': 1}), {'v': 0.9})
row("minimum skips non-numbers", w({'minimum': 1}), {'v': 'abc'})
row("minimum bool is int", w({'minimum': 2}), {'v': True})
row("exclusiveMinimum", w({'minimum': 0, 'exclusiveMinimum': True}), {'v': 0})
row("maximum big int", w({'maximum': 0x7FFFFFFF}), {'v': '99999999999999999999'})
row("maximum float bound", w({'maximum': 3.40282e+38}), {'v': 1e39})
row("exclusiveMaximum", w({'maximum': 10, 'exclusiveMaximum': True}), {'v': '10'})
row("multipleOf int", w({'multipleOf': 3}), {'v': 7})
row("multipleOf float", w({'multipleOf': 0.5}), {'v': 0.75})
row("positive_integer string ok", w(P.positive_integer), {'v': '64'})
row("positive_integer zero", w(P.positive_integer), {'v': 0})
row("positive_integer empty", w(P.positive_integer), {'v': ''})
row("positive_integer negative string", w(P.positive_integer), {'v': '-1'})
# arrays
row("items schema", w({'type': 'array', 'items': {'type': 'integer'}}), {'v': [1, 'x']})
row("items list", w({'type': 'array', 'items': [{'type': 'string'}, {'type': 'integer'}]}), {'v': ['a', 'b']})
row("additionalItems false", w({'type': 'array', 'items': [{}], 'additionalItems': False}), {'v': [1, 3, 2]})
row("additionalItems schema", w({'type': 'array', 'items': [{}], 'additionalItems': {'type': 'string'}}), {'v': [1, 2]})
row("minItems", w({'type': 'array', 'minItems': 1}), {'v': []})
row("maxItems", w({'type': 'array', 'maxItems': 1}), {'v': ['a', 'b']})
row("uniqueItems", w({'type': 'array', 'uniqueItems': True}), {'v': [1, 2, 1]})
row("uniqueItems True and 1 differ", w({'type': 'array', 'uniqueItems': True}), {'v': [1, True]})
row("uniqueItems deep", w({'type': 'array', 'uniqueItems': True}), {'v': [{'a': [1]}, {'a': [1.0]}]})
# combinators
row("allOf first failing", w({'allOf': [{'type': 'string'}, {'minLength': 3}]}), {'v': 'ab'})
row("anyOf", w({'anyOf': [{'type': 'string'}, {'type': 'null'}]}), {'v': 1})
row("oneOf none", w({'oneOf': [{'type': 'string', 'format': 'uuid'}, {'type': 'string', 'maxLength': 0}]}), {'v': 'not-a-uuid'})
row("oneOf several", w({'oneOf': [{'type': 'string'}, {'minLength': 1}, {'maxLength': 9}]}), {'v': 'abc'})
row("not", w({'not': {'type': 'string'}}), {'v': 'x'})
row("$ref to definitions", {'definitions': {'pos': {'type': 'integer', 'minimum': 1}}, 'type': 'object', 'properties': {'v': {'$ref': '#/definitions/pos'}}}, {'v': 0})
row("$ref siblings still apply", {'definitions': {'any': {}}, 'type': 'object', 'properties': {'v': {'$ref': '#/definitions/any', 'type': 'string'}}}, {'v': 0})
row("false schema", w(False), {'v': 1})
# format
row("format uuid", w({'type': 'string', 'format': 'uuid'}), {'v': 'x'})
row("format uuid braces ok", w({'type': 'string', 'format': 'uuid'}), {'v': '{70a599e0-31e7-49b7-b260-868f441e862b}'})
row("format date-time", w({'type': 'string', 'format': 'date-time'}), {'v': '2020-02-30T00:00:00Z'})
row("format ipv4", w({'type': 'string', 'format': 'ipv4'}), {'v': '1.2.3.04'})
row("format ipv6", w({'type': 'string', 'format': 'ipv6'}), {'v': 'fe80::1%eth0'})
row("format base64", w({'type': 'string', 'format': 'base64'}), {'v': 'QQ='})
row("format regex", w({'type': 'string', 'format': 'regex'}), {'v': 'a(('})
row("format unknown passes", w({'type': 'string', 'format': 'hostname'}), {'v': '!!'})
row("format name", w(P.name), {'v': 'x\u200b'})
row("format name leading space", w(P.name), {'v': ' a'})
row("format name emoji", w(P.name), {'v': 'a😀'})
row("format name_with_leading_trailing_spaces", w(P.name_with_leading_trailing_spaces), {'v': '   '})
row("format az_name colon", w(P.az_name), {'v': 'a:b'})
row("format keypair name", w(P.keypair_name_special_chars), {'v': 'a.b'})
row("format keypair name 2.92", w(P.keypair_name_special_chars_292), {'v': 'a!b'})
# values printed like Python
row("value repr nested", w({'type': 'string'}), {'v': {'s': "it's", 'f': 1.0, 'n': None, 'l': [True, -0.5, 'é\n']}})
row("value str of string", w({'type': 'integer'}), {'v': 'ab\'c"'})
row("value float exponent", w({'type': 'string'}), {'v': 1e-05})
row("value big int", w({'type': 'string'}), {'v': 12345678901234567890})
row("description regex in message", w(P.description), {'v': 'a\x01'})

print("// Generated by testdata/gen_keyword_cases.py from nova's real validator; do not edit.")
print('import { PyFloat, type Schema } from "../../lib/validation/mod.ts";')
print()
print("/** The schema `{'type': 'object', 'properties': {'v': s}}`. */")
print("function w(s: Schema): Schema {")
print('  return { type: "object", properties: { v: s } };')
print("}")
print()
print("/** [title, schema, value, nova's message or null when valid]. */")
print("export const KEYWORD_CASES: [string, Schema, unknown, string | null][] = [")
for title, schema, inst, exp in rows:
    if set(schema) == {'type', 'properties'} and list(schema['properties']) == ['v'] and schema['type'] == 'object':
        shown = f"w({ts(schema['properties']['v'])})"
    else:
        shown = ts(schema)
    print(f"  [{json.dumps(title)}, {shown}, {ts(inst)}, {json.dumps(exp, ensure_ascii=False) if exp is not None else 'null'}],")
print("];")
