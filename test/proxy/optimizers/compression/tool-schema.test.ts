import { describe, expect, it } from 'vitest';
import { minifySchema, minifyToolDefinitions } from '../../../../proxy/optimizers/compression/tool-schema.ts';

// Tests poke into deep request shapes; full typing would only restate the fixtures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Get Weather',
  type: 'object',
  properties: {
    city_name: {
      title: 'City Name',
      type: 'string',
      description: '  The   city.\n\n\n\nUse the English name.  ',
    },
    title: { type: 'string', title: 'A headline shown to readers' },
    unit: { type: 'string', enum: ['c', 'f'], default: 'c', title: 'Unit' },
    nested: {
      type: 'array',
      items: { type: 'object', properties: { title: { type: 'string', title: 'Title' } } },
    },
  },
  required: ['city_name'],
  additionalProperties: false,
};

describe('tool schema minification', () => {
  it('drops $schema and titles that restate the name, keeps everything meaningful', () => {
    const out = minifySchema(schema, 'get_weather') as Json;
    expect(out['$schema']).toBeUndefined();
    expect(out['title']).toBeUndefined();
    expect(out['properties']['city_name']).toEqual({
      type: 'string',
      description: 'The city.\n\nUse the English name.',
    });
    // A property called "title" is a name, not a keyword; its informative title stays.
    expect(out['properties']['title']).toEqual({ type: 'string', title: 'A headline shown to readers' });
    expect(out['properties']['unit']).toEqual({ type: 'string', enum: ['c', 'f'], default: 'c' });
    expect(out['properties']['nested']['items']['properties']['title']).toEqual({ type: 'string' });
    expect(out['required']).toEqual(['city_name']);
    expect(out['additionalProperties']).toBe(false);
  });

  it('never rewrites data under enum, const, default or examples', () => {
    const data = { type: 'string', enum: ['a  b', '$schema'], examples: [{ title: 'x' }], const: 'a  b' };
    expect(minifySchema(data, 'x')).toBe(data);
  });

  it('minifies all three tool formats and leaves non-function tools alone', () => {
    const chat = minifyToolDefinitions('chat', {
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather.  ', parameters: schema },
        },
      ],
    }) as Json;
    expect(chat['tools'][0]['function']['description']).toBe('Weather.');
    expect(chat['tools'][0]['function']['parameters']['$schema']).toBeUndefined();
    const anthropic = minifyToolDefinitions('messages', {
      tools: [
        { name: 'get_weather', input_schema: schema, cache_control: { type: 'ephemeral' } },
        { type: 'web_search_20250305', name: 'web_search' },
      ],
    }) as Json;
    expect(anthropic['tools'][0]['input_schema']['title']).toBeUndefined();
    expect(anthropic['tools'][0]['cache_control']).toEqual({ type: 'ephemeral' });
    expect(anthropic['tools'][1]).toEqual({ type: 'web_search_20250305', name: 'web_search' });
    const responses = minifyToolDefinitions('responses', {
      tools: [{ type: 'function', name: 'get_weather', parameters: schema }, { type: 'web_search' }],
    }) as Json;
    expect(responses['tools'][0]['parameters']['$schema']).toBeUndefined();
    expect(responses['tools'][1]).toEqual({ type: 'web_search' });
  });

  it('returns the same body when the tools are already minimal', () => {
    const body = {
      tools: [
        { type: 'function', function: { name: 'f', description: 'Does f.', parameters: { type: 'object' } } },
      ],
    };
    expect(minifyToolDefinitions('chat', body)).toBe(body);
  });
});
