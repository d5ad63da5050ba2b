/**
 * The workshop pages, served by the emulator itself (no build server): XUI-like login pages at
 * `/am/XUI/` driving the real `/authenticate` protocol, a small end-user page at `/enduser/`
 * (the demo tenant's successUrl), and the console at `/__emulator/ui` (registered by
 * control/console.ts). The pages are plain HTML, CSS and JavaScript modules from `static/`
 * (copied next to the build by `npm run build`). The front door, `/`, is rendered by front-door.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors } from '../am/errors.js';
import { sendAmError } from '../error-reply.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The assets, read once: a handful of small files. */
const assets = new Map<string, { type: string; body: string }>();
function asset(name: string): { type: string; body: string } | undefined {
  if (!/^[a-z-]+\.(html|js|css)$/.test(name)) return undefined;
  let found = assets.get(name);
  if (!found) {
    const path = join(STATIC_DIR, name);
    if (!existsSync(path)) return undefined;
    found = { type: TYPES[extname(name)] as string, body: readFileSync(path, 'utf8') };
    assets.set(name, found);
  }
  return found;
}

/** The pages' own policy: scripts and styles from the emulator only, no framing. */
export const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

type Handler = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/** Serves the page or asset `name` from `static/` (a 404 when there is none by that name). */
export const page =
  (name: string): Handler =>
  (_request, reply) => {
    const found = asset(name);
    if (!found) return sendAmError(reply, Errors.notFound());
    return reply.headers(PAGE_HEADERS).header('content-type', found.type).send(found.body);
  };

/** The XUI-like login pages and the end-user page, at the server's root. */
export function registerPageRoutes(app: FastifyInstance): void {
  app.get('/am/XUI/', page('login.html'));
  // AIC's links name /am/XUI with or without the slash; the query (realm, journey) must survive.
  const withQuery = (path: string, url: string) => path + (url.includes('?') ? url.slice(url.indexOf('?')) : '');
  app.get('/am/XUI', (request, reply) => reply.redirect(withQuery('/am/XUI/', request.url), 302));
  app.get('/enduser/', page('enduser.html'));
  app.get('/enduser', (request, reply) => reply.redirect(withQuery('/enduser/', request.url), 302));
}
