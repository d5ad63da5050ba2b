/**
 * Who is calling the token, introspection and revocation endpoints: a client named by HTTP Basic
 * credentials (`client_secret_basic`), by `client_id` and `client_secret` in the form
 * (`client_secret_post`), or by `client_id` alone (a Public client). As AM answers a failure:
 * `invalid_client` "Client authentication failed", 400, or 401 with a Basic challenge when the
 * client used Basic.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { OAuth2Client } from '../state/oauth2/clients.js';
import { OAuth2Error } from './oauth2-error.js';
import type { OAuth2Services } from './services.js';

interface Presented {
  clientId: string;
  secret: string | undefined;
  basic: boolean;
}

const FAILED = 'Client authentication failed';

export function authenticateClient(
  services: OAuth2Services,
  realm: string,
  authorization: string | undefined,
  form: URLSearchParams,
): OAuth2Client {
  const presented = presentedCredentials(authorization, form, realm);
  const fail = () =>
    presented.basic
      ? new OAuth2Error('invalid_client', FAILED, 401, { 'www-authenticate': `Basic realm="${realm}"` })
      : new OAuth2Error('invalid_client', FAILED);
  const client = services.clients.get(realm, presented.clientId);
  if (!client) throw fail();
  // A Public client has no secret to check: what it sends as one is ignored (frodo sends
  // `idmAdminClient:doesnotmatter`).
  if (client.clientType === 'Public') return client;
  if (presented.secret === undefined || !sameSecret(presented.secret, client.clientSecret ?? '')) throw fail();
  return client;
}

function presentedCredentials(authorization: string | undefined, form: URLSearchParams, realm: string): Presented {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    // One way of authenticating per request (RFC 6749 §2.3).
    if (form.has('client_id')) throw new OAuth2Error('invalid_request', FAILED);
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new OAuth2Error('invalid_client', FAILED, 401, { 'www-authenticate': `Basic realm="${realm}"` });
    return {
      clientId: safeDecode(decoded.slice(0, colon)),
      secret: safeDecode(decoded.slice(colon + 1)),
      basic: true,
    };
  }
  const clientId = form.get('client_id');
  if (!clientId) throw new OAuth2Error('invalid_client', FAILED);
  return { clientId, secret: form.get('client_secret') ?? undefined, basic: false };
}

/** RFC 6749 §2.3.1 form-encodes the id and secret inside Basic; a bare `%` is kept as it is. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
