// @ts-check
// Generates web/shared/api/types.gen.ts, the TypeScript types of the livedesk API, from the
// schemas of docs/openapi.yaml (components.schemas, WebSocket frames included).
//
//   node scripts/gen-api.mjs           writes the file   (npm run gen:api)
//   node scripts/gen-api.mjs --check   fails when the committed file is not what it would write
//                                      (npm run check:api, part of npm run typecheck)
//
// Only the parts of JSON Schema that openapi.yaml uses are understood: $ref, allOf, oneOf,
// anyOf, const, enum, type (also as a list with 'null'), properties with required,
// additionalProperties and items. Anything else becomes `unknown`, never a guess.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** @typedef {Record<string, any>} Schema */

/** Where the spec is read from and the types are written to. */
export const SPEC = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));
/** The generated file. */
export const OUT = fileURLToPath(new URL('../shared/api/types.gen.ts', import.meta.url));

const HEADER = `// Generated from docs/openapi.yaml by web/scripts/gen-api.mjs: do not edit.
// Change the spec and run \`npm run gen:api\`; \`npm run check:api\` (in \`npm run typecheck\`)
// fails when this file is out of date.`;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The schema keywords a schema of the spec may use (others are a mistake, see tsType). */
const KEYWORDS = new Set(['$ref', 'allOf', 'oneOf', 'anyOf', 'const', 'enum', 'type', 'format', 'description', 'title',
  'properties', 'required', 'additionalProperties', 'items', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'default', 'example', 'examples',
  'readOnly', 'writeOnly', 'deprecated', 'contentMediaType', 'contentEncoding']);

/**
 * The TypeScript source for an OpenAPI document's text: one exported type per schema of
 * components.schemas, in the document's order, each with its description as a doc comment.
 * @param {string} yamlText
 * @returns {string}
 */
export function generate(yamlText) {
  const doc = parse(yamlText);
  /** @type {Record<string, Schema>} */
  const schemas = doc?.components?.schemas ?? {};
  const out = [HEADER];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!IDENT.test(name)) throw new Error(`schema name ${name} is not a TypeScript identifier`);
    out.push('');
    out.push(...docComment(schema.description ?? `The ${name} schema of the API.`, ''));
    out.push(declare(name, schema));
  }
  // Request and answer bodies written inline in the paths get a name of their operation.
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    for (const [method, op] of Object.entries(/** @type {Record<string, Schema>} */ (item ?? {}))) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const base = op.operationId[0].toUpperCase() + op.operationId.slice(1);
      const where = `${method.toUpperCase()} ${path}`;
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body && !body.$ref) {
        out.push('', ...docComment(`The body of ${where} (${op.summary ?? op.operationId}).`, ''), declare(base + 'Request', body));
      }
      for (const status of ['200', '201']) {
        const answer = op.responses?.[status]?.content?.['application/json']?.schema;
        if (answer && !answer.$ref) {
          out.push('', ...docComment(`The answer of ${where} (${op.summary ?? op.operationId}).`, ''), declare(base + 'Response', answer));
          break;
        }
      }
    }
  }
  return out.join('\n') + '\n';
}

/**
 * One exported declaration: an interface for a plain object, a type alias otherwise.
 * @param {string} name
 * @param {Schema} schema
 */
function declare(name, schema) {
  return objectLike(schema) ? `export interface ${name} ${objectType(schema, '')}` : `export type ${name} = ${tsType(schema, '')};`;
}

/**
 * Whether a schema is a plain object with properties (written as an interface).
 * @param {Schema} s
 */
function objectLike(s) {
  return s && typeof s === 'object' && s.properties && !s.oneOf && !s.anyOf && !s.allOf;
}

/**
 * The TypeScript type of a schema, written at the given indentation.
 * @param {Schema | undefined} s
 * @param {string} indent
 * @returns {string}
 */
export function tsType(s, indent) {
  if (!s || typeof s !== 'object') return 'unknown';
  for (const k of Object.keys(s)) {
    // A stray key is most often a plain YAML scalar cut at a comma inside {…}: quote it.
    if (!KEYWORDS.has(k) && !k.startsWith('x-')) throw new Error(`unknown schema keyword ${JSON.stringify(k)}`);
  }
  if (s.$ref) return refName(s.$ref);
  if (s.allOf) return join(s.allOf.map((/** @type {Schema} */ x) => tsType(x, indent)), ' & ');
  if (s.oneOf || s.anyOf) return join((s.oneOf ?? s.anyOf).map((/** @type {Schema} */ x) => tsType(x, indent)), ' | ');
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) return join(s.enum.map(literal), ' | ');
  if (Array.isArray(s.type)) {
    return join(s.type.map((/** @type {string} */ t) => (t === 'null' ? 'null' : tsType({ ...s, type: t }, indent))), ' | ');
  }
  switch (s.type) {
    case 'string': return 'string';
    case 'integer':
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': {
      const item = tsType(s.items, indent);
      return (/[|&]/.test(item) && !item.startsWith('{') ? `(${item})` : item) + '[]';
    }
    case 'object':
    case undefined:
      if (s.properties) return objectType(s, indent);
      if (s.type === 'object' || 'additionalProperties' in s) {
        const ap = s.additionalProperties;
        if (ap === false) return 'Record<string, never>';
        return `Record<string, ${ap && typeof ap === 'object' ? tsType(ap, indent) : 'unknown'}>`;
      }
      return 'unknown';
    default:
      return 'unknown';
  }
}

/**
 * An object literal type: each property with its doc comment, `?` when not required, and an
 * index signature when other keys are allowed explicitly (additionalProperties true or a schema).
 * @param {Schema} s
 * @param {string} indent
 */
function objectType(s, indent) {
  const inner = indent + '  ';
  const required = new Set(s.required ?? []);
  const lines = ['{'];
  for (const [key, prop] of Object.entries(/** @type {Record<string, Schema>} */ (s.properties))) {
    const desc = prop?.description;
    if (desc) lines.push(...docComment(desc, inner));
    const k = IDENT.test(key) ? key : literal(key);
    lines.push(`${inner}${k}${required.has(key) ? '' : '?'}: ${tsType(prop, inner)};`);
  }
  const ap = s.additionalProperties;
  if (ap === true || (ap && typeof ap === 'object')) lines.push(`${inner}[key: string]: unknown;`);
  lines.push(indent + '}');
  return lines.join('\n');
}

/**
 * A literal type of a JSON value: strings in single quotes, as the code base writes them.
 * @param {unknown} v
 */
function literal(v) {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(v);
}

/**
 * The name of a local reference (#/components/schemas/Name).
 * @param {string} ref
 */
function refName(ref) {
  const m = /^#\/components\/schemas\/([A-Za-z_$][A-Za-z0-9_$]*)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return m[1];
}

/**
 * Members joined by a separator, without repeats; one member stays as it is.
 * @param {string[]} parts
 * @param {string} sep
 */
function join(parts, sep) {
  const uniq = [...new Set(parts)];
  return uniq.length === 0 ? 'unknown' : uniq.join(sep);
}

/**
 * A doc comment of a description: its lines, trimmed at the end, with `*\/` made harmless.
 * @param {string} text
 * @param {string} indent
 * @returns {string[]}
 */
function docComment(text, indent) {
  const lines = String(text).replace(/\*\//g, '*\\/').trimEnd().split('\n').map((l) => l.trimEnd());
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/**
 * The command: write the file, or with --check compare it and exit 1 when it differs.
 * @param {string[]} args
 */
function main(args) {
  const want = generate(readFileSync(SPEC, 'utf8'));
  if (args.includes('--check')) {
    let have = '';
    try { have = readFileSync(OUT, 'utf8'); } catch { /* missing: differs */ }
    if (have !== want) {
      console.error('web/shared/api/types.gen.ts is out of date with docs/openapi.yaml: run `npm run gen:api` and commit it.');
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUT, want);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
