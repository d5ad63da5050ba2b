/**
 * Zero Page Login Collector (AM's ZeroPageLoginNode): takes `X-OpenAM-Username` and
 * `X-OpenAM-Password` from the request (RFC 2047 decoded) into shared `username` and transient
 * `password`: `true` when either header was there, `false` when neither was. With
 * `allowWithoutReferer` off, the request's Referer must be one of `referrerWhiteList`, else
 * `false`; with it on (the default) the Referer is not looked at.
 */
import { decodeRfc2047 } from '../../core/rfc2047.js';
import { outcome, type NodeType } from './node.js';

export const ZeroPageLoginNode: NodeType = {
  type: 'ZeroPageLoginNode',
  outcomes: () => ['true', 'false'],
  async process(context) {
    const { headers } = context.request;
    const username = single(headers['x-openam-username']);
    const password = single(headers['x-openam-password']);
    if (username === undefined && password === undefined) return outcome('false');
    if (context.config['allowWithoutReferer'] === false) {
      const referer = single(headers.referer);
      const allowList = Array.isArray(context.config['referrerWhiteList'])
        ? (context.config['referrerWhiteList'] as unknown[]).map(String)
        : [];
      if (referer === undefined || !allowList.includes(referer)) return outcome('false');
    }
    if (username !== undefined) context.nodeState.putShared('username', decodeRfc2047(username));
    if (password !== undefined) context.nodeState.putTransient('password', decodeRfc2047(password));
    return outcome('true');
  },
};

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
