import { describe, expect, it } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import { fromGeminiSchema, toGeminiSchema } from '../../../proxy/translate/gemini-schema.ts';

const request = geminiCodec.decodeRequest(
  { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
  { model: 'm' },
);

describe('gemini schema conversion', () => {
  it('keeps the OpenAPI subset and strips or rewrites the rest', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'string', format: 'uuid', const: 'k' },
        at: { type: 'string', format: 'date-time' },
        size: { type: 'number', format: 'double', exclusiveMinimum: 0 },
        level: { type: 'integer', enum: [1, 2] },
        kind: { oneOf: [{ type: 'string' }, { $ref: '#/$defs/x' }, 'junk'] },
        tags: { type: ['array', 'null'], items: [{ type: 'string' }] },
        mixed: { type: ['string', 'number'] },
      },
      $defs: { x: { type: 'string' } },
    };
    expect(toGeminiSchema(schema)).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', enum: ['k'] },
        at: { type: 'string', format: 'date-time' },
        size: { type: 'number', format: 'double' },
        level: { type: 'integer' },
        kind: { anyOf: [{ type: 'string' }, {}] },
        tags: { type: 'array', nullable: true },
        mixed: {},
      },
    });
    expect(toGeminiSchema('junk')).toEqual({});
    expect(fromGeminiSchema(null)).toEqual({});
  });

  it('declares a function whose schema has no properties without parameters', () => {
    const wire = geminiCodec.encodeRequest({
      ...request,
      tools: [
        { name: 'ping', description: 'Ping', parameters: { type: 'object', additionalProperties: false } },
      ],
    });
    expect(wire.tools).toEqual([{ functionDeclarations: [{ name: 'ping', description: 'Ping' }] }]);
  });
});
