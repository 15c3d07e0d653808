// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUT, SPEC, generate, tsType } from './gen-api.mjs';

describe('gen-api', () => {
  it('the committed types are what docs/openapi.yaml generates', () => {
    expect(readFileSync(OUT, 'utf8')).toBe(generate(readFileSync(SPEC, 'utf8')));
  });

  it('writes each kind of schema the spec uses', () => {
    expect(tsType({ type: ['string', 'null'] }, '')).toBe('string | null');
    expect(tsType({ type: 'string', enum: ['a', "it's"] }, '')).toBe(`'a' | 'it\\'s'`);
    expect(tsType({ const: 'pong' }, '')).toBe(`'pong'`);
    expect(tsType({ type: 'array', items: { enum: ['ru', 'en'] } }, '')).toBe(`('ru' | 'en')[]`);
    expect(tsType({ allOf: [{ $ref: '#/components/schemas/ID' }], description: 'x' }, '')).toBe('ID');
    expect(tsType({ oneOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] }, '')).toBe('A | null');
    expect(tsType({ type: 'object', additionalProperties: { type: 'string' } }, '')).toBe('Record<string, string>');
    expect(tsType({ type: 'object', additionalProperties: false }, '')).toBe('Record<string, never>');
    expect(tsType({ type: 'object', required: ['a'], properties: { a: { type: 'integer' }, 'b-c': { type: 'boolean' } } }, ''))
      .toBe(`{\n  a: number;\n  'b-c'?: boolean;\n}`);
    expect(tsType({ properties: { a: { type: 'string' } }, additionalProperties: true }, '')).toContain('[key: string]: unknown;');
  });

  it('an interface per object schema with the descriptions as doc comments, names for inline bodies', () => {
    const ts = generate(`
paths:
  /x:
    post:
      operationId: makeX
      summary: make an x
      requestBody: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}
      responses:
        '201': {content: {application/json: {schema: {$ref: '#/components/schemas/X'}}}}
components:
  schemas:
    X:
      type: object
      description: An x.
      required: [id]
      properties:
        id: {type: string, description: 'Its id, digits.'}
`);
    expect(ts).toContain('/** An x. */\nexport interface X {\n  /** Its id, digits. */\n  id: string;\n}');
    expect(ts).toContain('/** The body of POST /x (make an x). */\nexport interface MakeXRequest {\n  n?: number;\n}');
    expect(ts).not.toContain('MakeXResponse');
  });

  it('refuses a stray key: a plain scalar cut at a comma inside {…}', () => {
    expect(() => generate(`
components:
  schemas:
    V: {type: object, properties: {name: {type: string, description: The name, or «Гость»}}}
`)).toThrow(/unknown schema keyword/);
  });
});
