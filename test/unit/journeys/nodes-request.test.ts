/**
 * Nodes that copy the request into shared state (am-external 8.0.2, auth-nodes): Query Parameter
 * and Request Header, with their config validators' checks at import.
 */
import { describe, expect, it } from 'vitest';
import { nodeType } from '../../../emulator/journeys/nodes/index.js';
import { NodeProcessException } from '../../../emulator/journeys/nodes/node.js';
import { NodeHarness, outcomeOf } from '../../helpers/node-context.js';

describe('QueryParameterNode', () => {
  const config = {
    allowedQueryParameters: { lang: 'language', scopes: 'requestedScopes', missing: 'notThere', tag: 'tags' },
    queryParametersToBeDelimited: ['scopes'],
  };

  it('each allowed parameter’s values into its shared key: lists, split at commas when delimited, empty when absent', async () => {
    const harness = new NodeHarness();
    const query = 'lang=fr%2BCA&scopes=openid,profile,&tag=a&tag=b&other=x';
    expect(outcomeOf(await harness.process('QueryParameterNode', config, { query }))).toBe('outcome');
    expect(harness.state.shared).toEqual({
      // URLSearchParams decoded %2B to "+"; AM's URLDecoder decodes once more: a space.
      language: ['fr CA'],
      requestedScopes: ['openid', 'profile'],
      notThere: [],
      tags: ['a', 'b'],
    });
  });

  it('a value that does not URL-decode: a NodeProcessException', async () => {
    const harness = new NodeHarness();
    await expect(harness.process('QueryParameterNode', config, { query: 'lang=%25E0' })).rejects.toThrow(
      NodeProcessException,
    );
  });

  it('bad configuration at import, in AM’s words', () => {
    const check = (value: Record<string, unknown>) => nodeType('QueryParameterNode')?.check?.(value);
    expect(check({})).toEqual(['No parameters configured - this node is redundant']);
    expect(check({ allowedQueryParameters: { a: 'b' }, queryParametersToBeDelimited: ['c'] })).toEqual([
      'Invalid parameter to be delimited configured',
    ]);
    expect(check(config)).toEqual([]);
  });
});

describe('RequestHeaderNode', () => {
  const config = {
    allowedHeaders: { 'User-Agent': 'agent', 'X-Groups': 'groups', 'X-None': 'none' },
    headersToBeDelimited: ['X-Groups'],
  };

  it('each allowed header (any case) into its shared key, delimited when configured, empty when absent', async () => {
    const harness = new NodeHarness();
    const headers = { 'user-agent': 'Mozilla/5.0 (X11, Linux)', 'x-groups': 'admins,staff' };
    expect(outcomeOf(await harness.process('RequestHeaderNode', config, { headers }))).toBe('outcome');
    expect(harness.state.shared).toEqual({
      agent: ['Mozilla/5.0 (X11, Linux)'],
      groups: ['admins', 'staff'],
      none: [],
    });
  });

  it('bad configuration at import, in AM’s words', () => {
    const check = (value: Record<string, unknown>) => nodeType('RequestHeaderNode')?.check?.(value);
    expect(check({ allowedHeaders: {} })).toEqual(['No headers configured - this node is redundant']);
    expect(check({ allowedHeaders: { a: 'b' }, headersToBeDelimited: ['c'] })).toEqual([
      'Invalid header to be delimited configured',
    ]);
    expect(check(config)).toEqual([]);
  });
});
