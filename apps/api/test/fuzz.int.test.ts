import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { testRuntimes } from '@cairn/testing';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

/** The JSON Schema subset TypeBox writes into the OpenAPI document. */
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

/** Strings that have broken services before: SQL, NUL bytes, escapes, huge and odd unicode. */
const nasty = fc.constantFrom(
  "' OR 1=1 --",
  "'); drop table chunks; --",
  '\u0000',
  '\\',
  '%00%27',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '𝓈𝓉𝒶𝒻𝒻 🧗‍♀️ ﷽',
  '\uD800',
  ' ',
  '',
  'x'.repeat(5000),
  '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11',
  '00000000-0000-0000-0000-000000000000',
  'NaN',
  '-1',
  '1e309',
);

const anyString = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), nasty);

/**
 * Values that fit the schema most of the time (so that requests get past validation and
 * reach the handlers), and values that do not (wrong types, extra fields, nulls).
 */
function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), anyString, fc.constant({}), fc.constant([]));
  if (depth > 4) return wrong;
  let fitting: fc.Arbitrary<unknown>;
  if (schema.const !== undefined) fitting = fc.constant(schema.const);
  else if (schema.enum) fitting = fc.constantFrom(...schema.enum);
  else if (schema.anyOf) fitting = fc.oneof(...schema.anyOf.map((option) => arbitraryFor(option, depth + 1)));
  else if (schema.allOf)
    fitting = fc
      .tuple(...schema.allOf.map((part) => arbitraryFor(part, depth + 1)))
      .map((parts) => Object.assign({}, ...parts.filter((part) => typeof part === 'object')));
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object': {
        const entries = Object.entries(schema.properties ?? {});
        const required = new Set(schema.required ?? []);
        const record = Object.fromEntries(entries.map(([name, property]) => [name, arbitraryFor(property, depth + 1)]));
        fitting = fc
          .record(record, { requiredKeys: entries.map(([name]) => name).filter((name) => required.has(name)) })
          .chain((value) =>
            fc.oneof(
              { weight: 4, arbitrary: fc.constant(value) },
              { weight: 1, arbitrary: fc.dictionary(anyString, wrong, { maxKeys: 2 }).map((extra) => ({ ...value, ...extra })) },
            ),
          );
        break;
      }
      case 'array':
        fitting = fc.array(arbitraryFor(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
        break;
      case 'integer':
        fitting = fc.oneof(
          fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }),
          fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER),
        );
        break;
      case 'number':
        fitting = fc.oneof(
          fc.double({ noNaN: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 }),
          fc.constantFrom(0, -0, 1e308),
        );
        break;
      case 'boolean':
        fitting = fc.boolean();
        break;
      case 'null':
        fitting = fc.constant(null);
        break;
      case 'string':
        fitting =
          schema.pattern === '^https?://'
            ? fc.oneof(
                fc.webUrl(),
                anyString.map((text) => `http://${text}`),
              )
            : anyString;
        break;
      default:
        fitting = fc.anything({ maxDepth: 2 });
    }
  }
  return fc.oneof({ weight: 5, arbitrary: fitting }, { weight: 1, arbitrary: wrong });
}

interface Operation {
  method: string;
  path: string;
  body?: Schema;
  query: [string, Schema][];
  params: string[];
}

/** Every operation of the OpenAPI document, with the schemas of its body and query. */
function operationsOf(document: {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: { in: string; name: string; schema: Schema }[] }
    >
  >;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      body: operation.requestBody?.content['application/json']?.schema,
      query: (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, parameter.schema] as [string, Schema]),
      params: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
    })),
  );
}

const sqlText =
  /\b(select|insert|update|delete)\b[\s\S]{0,80}\b(from|into|set|where)\b|syntax error|relation "|violates|duplicate key|column "|pg_|sqlstate/i;
const stackText = /\n\s+at |\.ts:\d+|node_modules|TypeError|ReferenceError/;

const adminKey = 'fuzz-admin-key-0123456789abcdef';

/** A path segment; a lone surrogate becomes the invalid UTF-8 it would be on the wire. */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

describe('fuzzing every route from its schema (fast-check, PGlite)', () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let operations: Operation[];
  const failures: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    const config = loadConfig({ CAIRN_ADMIN_KEY: adminKey, INGEST_MAX_QUEUED_RUNS: '5' });
    runtime = await openRuntime({ ...config, dataDir: '' }, { answers: true });
    app = await buildApp(runtime);
    await app.ready();
    operations = operationsOf(app.swagger() as never);
  }, 60_000);

  afterAll(async () => {
    console.log(`fuzz: ${operations?.length} operations, ${requests} requests, ${failures.length} with a 5xx or internals in the body`);
    await app?.close();
    await runtime?.close();
  });

  it('covers every documented operation', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.path}`);
    for (const expected of [
      'POST /v1/search',
      'POST /v1/ask',
      'POST /v1/chat/completions',
      'POST /v1/feedback',
      'GET /v1/feedback',
      'POST /v1/sources',
      'PATCH /v1/sources/{id}',
      'POST /v1/ingest/runs',
      'POST /v1/keys',
      'DELETE /v1/keys/{id}',
      'GET /metrics',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('answers generated requests with no 5xx, and no SQL text or stack in any body', async () => {
    for (const operation of operations) {
      const slow = ['/v1/ask', '/v1/chat/completions', '/v1/ingest/runs'].includes(operation.path) && operation.method === 'POST';
      const request = fc.record({
        body: operation.body ? arbitraryFor(operation.body) : fc.constant(undefined),
        query: fc.array(fc.tuple(fc.constantFrom(...(operation.query.length ? operation.query.map(([name]) => name) : ['x'])), anyString), {
          maxLength: 3,
        }),
        params: fc.array(fc.oneof(fc.uuid(), anyString), { minLength: operation.params.length, maxLength: operation.params.length }),
        stream: fc.boolean(),
        key: fc.constantFrom(adminKey, adminKey, 'not-a-key', undefined),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ body, query, params, stream, key }) => {
          let url = operation.path;
          operation.params.forEach((name, index) => (url = url.replace(`{${name}}`, pathSegment(params[index] ?? ''))));
          const search = new URLSearchParams(query).toString();
          requests += 1;
          const response = await app.inject({
            method: operation.method as 'GET',
            url: search ? `${url}?${search}` : url,
            headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(stream ? { accept: 'text/event-stream' } : {}) },
            ...(body !== undefined
              ? {
                  payload: JSON.stringify(body),
                  headers: {
                    'content-type': 'application/json',
                    ...(key ? { authorization: `Bearer ${key}` } : {}),
                    ...(stream ? { accept: 'text/event-stream' } : {}),
                  },
                }
              : {}),
          });
          // Error bodies must hold no SQL and no stack; answers and lists may quote any text, but never a stack trace.
          const failed = response.statusCode >= 400;
          const problem =
            response.statusCode >= 500
              ? `status ${response.statusCode}`
              : failed && sqlText.test(response.body)
                ? 'SQL text'
                : (failed ? stackText : /\n\s+at \S+ \(/).test(response.body)
                  ? 'a stack'
                  : undefined;
          if (problem)
            failures.push(
              `${operation.method} ${url}?${search} ${JSON.stringify(body)?.slice(0, 300)} -> ${problem}: ${response.body.slice(0, 300)}`,
            );
          return problem === undefined;
        }),
        { numRuns: slow ? 40 : 120, seed: 20261124 + operations.indexOf(operation), endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

/** The characters no text field takes (docs/errors.md, `invalid_text`). */
const invalidCharacters = [
  '\u0000',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

/** Where a string may sit in a body of this schema: a path of property names and array indexes. */
function stringPaths(schema: Schema | undefined, path: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (!schema || depth > 6) return [];
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  return [
    ...(type.includes('string') && schema.const === undefined && !schema.enum ? [path] : []),
    ...Object.entries(schema.properties ?? {}).flatMap(([name, property]) => stringPaths(property, [...path, name], depth + 1)),
    ...(schema.items ? stringPaths(schema.items, [...path, 0], depth + 1) : []),
    ...[...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap((option) => stringPaths(option, path, depth + 1)),
  ];
}

/** A body with `value` at `path` (and nothing else): the text check runs before the schema's. */
function bodyWith(path: (string | number)[], value: string): unknown {
  return path.reduceRight<unknown>((inner, step) => (typeof step === 'number' ? [inner] : { [step]: inner }), value);
}

describe.each(testRuntimes)('fuzzing every string of every route with NUL, lone surrogates and bidi controls ($name)', (testRuntime) => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let operations: Operation[];
  let drop: () => Promise<void>;
  let requests = 0;

  beforeAll(async () => {
    const created = await testRuntime.create();
    drop = created.drop;
    const config = loadConfig({
      CAIRN_ADMIN_KEY: adminKey,
      CAIRN_STARTER_CORPUS: 'off',
      ...(created.databaseUrl ? { DATABASE_URL: created.databaseUrl } : {}),
    });
    runtime = await openRuntime({ ...config, dataDir: created.databaseUrl ? config.dataDir : '' }, { answers: true });
    app = await buildApp(runtime);
    await app.ready();
    operations = operationsOf(app.swagger() as never);
  }, 60_000);

  afterAll(async () => {
    console.log(`invalid text fuzz: ${requests} requests, each a 400 invalid_text (or, for a lone surrogate in a URL, a 4xx)`);
    await app?.close();
    await runtime?.close();
    await drop?.();
  });

  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

  it('refuses each in every body string with 400 invalid_text', async () => {
    const fields = operations.flatMap((operation) => stringPaths(operation.body).map((path) => ({ operation, path })));
    // Every route that takes text in its body is covered, down to the chat messages' parts.
    const covered = new Set(fields.map(({ operation, path }) => `${operation.method} ${operation.path} ${path.join('.')}`));
    for (const expected of [
      'POST /v1/ask question',
      'POST /v1/chat/completions messages.0.content.0.text',
      'POST /v1/feedback comment',
      'POST /v1/keys name',
      'POST /v1/sources baseUrl',
      'PATCH /v1/sources/{id} seeds.0',
    ])
      expect(covered).toContain(expected);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...invalidCharacters),
        fc.string({ maxLength: 20 }),
        async ({ operation, path }, before, character, after) => {
          const url = operation.path.replace(/\{[^}]+\}/g, '6c8e1c4e-1d7e-4c55-9a34-0d7b6bbd0f11');
          requests += 1;
          const response = await app.inject({
            method: operation.method as 'POST',
            url,
            headers,
            payload: JSON.stringify(bodyWith(path, `${before}${character}${after}`)),
          });
          expect(response.statusCode, `${operation.method} ${url} ${path.join('.')}: ${response.body}`).toBe(400);
          expect(response.json().error.code).toBe('invalid_text');
        },
      ),
      { numRuns: fields.length * 12, seed: 20261204 },
    );
  }, 120_000);

  it('refuses each in every query value and path parameter, never with a 5xx', async () => {
    const parameters = operations.flatMap((operation) => [
      ...operation.query.map(([name]) => ({ operation, where: 'query' as const, name })),
      ...operation.params.map((name) => ({ operation, where: 'path' as const, name })),
    ]);
    expect(parameters.length).toBeGreaterThan(3);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...parameters),
        fc.string({ maxLength: 10 }),
        fc.constantFrom(...invalidCharacters),
        async ({ operation, where, name }, before, character) => {
          const lone = character >= '\uD800' && character <= '\uDFFF';
          // A lone surrogate cannot be sent in a URL: it is not UTF-8. Its nearest, the bytes a broken client would send:
          const encoded = lone ? `${encodeURIComponent(before)}%ED%A0%80` : encodeURIComponent(`${before}${character}`);
          let url = operation.path.replace(/\{[^}]+\}/g, (match) => (match === `{${name}}` && where === 'path' ? encoded : 'x'));
          if (where === 'query') url += `?${name}=${encoded}`;
          requests += 1;
          const response = await app.inject({ method: operation.method as 'GET', url, headers: { authorization: headers.authorization } });
          const what = `${operation.method} ${url}: ${response.body}`;
          expect(response.statusCode, what).toBeLessThan(500);
          expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
          if (!lone) expect(response.json().error.code, what).toBe('invalid_text');
        },
      ),
      { numRuns: parameters.length * 12, seed: 20261205 },
    );
  }, 120_000);

  it('refuses a body with a __proto__ key as invalid_json, saying that such a key is refused (it is valid JSON)', async () => {
    for (const payload of ['{"query":"feedback","__proto__":{"admin":true}}', '{"query":"feedback","constructor":{"prototype":{"x":1}}}']) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/search',
        payload,
        headers: { 'content-type': 'application/json', authorization: headers.authorization },
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json().error, payload).toMatchObject({ code: 'invalid_json', message: expect.stringMatching(/__proto__/) });
    }
  });

  it('refuses a JSON body whose bytes are not UTF-8 as invalid_json, where each bad byte was stored as U+FFFD', async () => {
    const bodies = [
      Buffer.concat([Buffer.from('{"query":"caf'), Buffer.from([0xe9]), Buffer.from(' staff engineer"}')]),
      Buffer.concat([Buffer.from('{"query":"feedback '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"query":"overlong '), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"query":"cut short '), Buffer.from([0xe2, 0x82])]),
    ];
    for (const payload of bodies) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/search',
        payload,
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: headers.authorization },
      });
      expect(response.statusCode, payload.toString('latin1')).toBe(400);
      expect(response.json().error, payload.toString('latin1')).toMatchObject({
        code: 'invalid_json',
        message: expect.stringMatching(/not valid UTF-8/),
      });
    }
    const fine = await app.inject({
      method: 'POST',
      url: '/v1/search',
      payload: Buffer.from('{"query":"café, naïve 1:1s — 🙂 feedback"}', 'utf8'),
      headers: { 'content-type': 'application/json', authorization: headers.authorization },
    });
    expect(fine.statusCode).toBe(200);
  });

  it('answers a path that is not UTF-8, or a segment longer than any id, in the one error shape without echoing it', async () => {
    const long = 'a'.repeat(10_000);
    for (const url of ['/v1/conversations/%ED%A0%80', '/v1/conversations/%FF%FE', `/v1/conversations/${long}`, `/v1/ingest/runs/${long}`]) {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: headers.authorization } });
      expect(response.statusCode, url.slice(0, 40)).toBe(400);
      expect(response.json(), url.slice(0, 40)).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
      expect(response.body).not.toContain('aaaaaaaaaa');
    }
  });
});
