/**
 * The emulator as the bench runs it: the demo tenant in a process of its own (pinned to one core
 * by the bench), a session of demo's made ready, its details printed as one JSON line.
 */
import { createEmulator } from '../../emulator/index.js';

const emulator = await createEmulator({ port: 0 });
const user = emulator.tenant.users.findByUserName('/alpha', 'demo');
if (!user) throw new Error('no demo user');
const session = await emulator.tenant.createSession(user, { service: 'Login', successUrl: '/enduser/?realm=/alpha' });
process.stdout.write(
  `${JSON.stringify({ url: emulator.url, cookieName: emulator.cookieName, adminToken: emulator.adminToken, tokenId: session.tokenId, userId: user._id })}\n`,
);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
