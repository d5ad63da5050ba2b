/**
 * The emulator as the bench runs it: the demo tenant in a process of its own (pinned to one core
 * by the bench), a session of demo's made ready, its details printed as one JSON line.
 */
import { createEmulator } from '../../emulator/index.js';

const emulator = await createEmulator({ port: 0 });
const user = emulator.tenant.users.findByUserName('/alpha', 'demo');
if (!user) throw new Error('no demo user');
const session = await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/enduser/?realm=/alpha' });
// An access token of demo's, through the code flow of the public demo client, for userinfo.
const OAUTH2 = `${emulator.url}/am/oauth2/realms/root/realms/alpha`;
const redirectUri = 'http://localhost/callback';
const authorized = await fetch(
  `${OAUTH2}/authorize?client_id=sdkPublicClient&response_type=code&scope=openid%20profile%20email&redirect_uri=${encodeURIComponent(redirectUri)}`,
  { redirect: 'manual', headers: { cookie: `${emulator.cookieName}=${session.tokenId}` } },
);
const code = new URL(authorized.headers.get('location') ?? '').searchParams.get('code') ?? '';
const tokens = (await (
  await fetch(`${OAUTH2}/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: 'sdkPublicClient',
    }),
  })
).json()) as { access_token: string };
const clientSecret = emulator.tenant.oauth2Clients.get('/alpha', 'demoConfidentialClient')?.clientSecret ?? '';
process.stdout.write(
  `${JSON.stringify({ url: emulator.url, cookieName: emulator.cookieName, adminToken: emulator.adminToken, tokenId: session.tokenId, userId: user._id, accessToken: tokens.access_token, clientSecret })}\n`,
);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
