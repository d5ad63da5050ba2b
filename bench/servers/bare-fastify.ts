/**
 * The baseline: a bare Fastify process serving the same JSON the emulator answers, with no
 * AM logic at all. Started by the bench, pinned to one core; prints its URL.
 */
import Fastify from 'fastify';

const VALIDATE = {
  valid: true,
  sessionUid: '8b4ac2fb-e3a4-4a0d-9e3d-fc8e3c0fd4f9-1234',
  uid: '25cff7e1-0539-45b9-98cd-7f02b2463370',
  realm: '/alpha',
};
const SESSION_INFO = {
  username: '25cff7e1-0539-45b9-98cd-7f02b2463370',
  universalId: 'id=25cff7e1-0539-45b9-98cd-7f02b2463370,ou=user,o=alpha,ou=services,ou=am-config',
  realm: '/alpha',
  latestAccessTime: '2026-07-10T01:34:08Z',
  maxIdleExpirationTime: '2026-07-10T02:04:08Z',
  maxSessionExpirationTime: '2026-07-10T03:34:07Z',
  properties: { AMCtxId: 'b9275f8c-fa83-4455-bdac-d27e8d538a8f-215815' },
};

const app = Fastify({ logger: false });
app.post('/am/json/realms/root/realms/alpha/sessions/', async (request) => {
  const action = (request.query as Record<string, string>)['_action'];
  return action === 'getSessionInfo' ? SESSION_INFO : action === 'logoutByUser' ? { result: true } : VALIDATE;
});
app.post('/am/json/realms/root/realms/alpha/authenticate', async () => ({
  tokenId: 'x'.repeat(120),
  successUrl: '/enduser/?realm=/alpha',
  realm: '/alpha',
}));
app.get('/am/json/serverinfo/*', async () => ({ cookieName: '0123456789abcde' }));
// The OAuth2 answers, of the emulator's size: a token response and a user's claims.
app.post('/am/oauth2/realms/root/realms/alpha/access_token', async () => ({
  access_token: 'x'.repeat(700),
  scope: 'am-introspect-all-tokens',
  token_type: 'Bearer',
  expires_in: 3599,
}));
app.get('/am/oauth2/realms/root/realms/alpha/userinfo', async () => ({
  name: 'Demo User',
  family_name: 'User',
  given_name: 'Demo',
  email: 'demo@example.com',
  sub: '25cff7e1-0539-45b9-98cd-7f02b2463370',
  subname: '25cff7e1-0539-45b9-98cd-7f02b2463370',
}));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening at ${address}\n`);
