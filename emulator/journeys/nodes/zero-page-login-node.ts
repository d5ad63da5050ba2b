/**
 * Zero Page Login Collector: takes `X-OpenAM-Username` / `X-OpenAM-Password` from the request
 * (RFC 2047 decoded) into shared `username` and transient `password` → `true`; without them
 * `false`. A Referer must be allow-listed unless `allowWithoutReferer` (default true).
 */
import { zeroPageCredentials } from '../../am/authenticate/zero-page.js';
import { outcome, type NodeType } from './node.js';

export const ZeroPageLoginNode: NodeType = {
  type: 'ZeroPageLoginNode',
  outcomes: () => ['true', 'false'],
  async process(context) {
    const { headers } = context.request;
    const credentials = zeroPageCredentials(headers);
    if (!credentials) return outcome('false');
    const referer = typeof headers.referer === 'string' ? headers.referer : undefined;
    const allowWithout = context.config['allowWithoutReferer'] !== false;
    const allowList = Array.isArray(context.config['referrerWhiteList']) ? (context.config['referrerWhiteList'] as unknown[]).map(String) : [];
    if (referer === undefined ? !allowWithout : allowList.length > 0 && !allowList.includes(referer)) return outcome('false');
    context.nodeState.putShared('username', credentials.username);
    context.nodeState.putTransient('password', credentials.password);
    return outcome('true');
  },
};
