/**
 * The front door, `GET /`: what a newcomer opens first. It names the workshop pages (the sign-in
 * page, the end-user page, the console), the addresses the emulator is reached at (every
 * non-loopback address of the machine when it listens on `0.0.0.0` or `::`, and the one the
 * browser used), the users the tenant started with, and what the emulator emulates and what it
 * does not. Printed, it is an attendee's handout.
 *
 * It is readable without any token, as the sign-in page is, so it shows nothing a token guards:
 * not the control token, not the admin token, no made secret. A password is shown only when it is
 * one the README publishes (the demo tenant's) and the server listens on loopback only; beyond
 * loopback the demo passwords are made at start and printed on the terminal that started it.
 * On loopback it answers only requests addressed to the tenant's own host names, as the console
 * and its assets (the stylesheet) do: a DNS-rebound page reads nothing here.
 *
 * Rendered on the server (no script): what it shows depends only on the tenant and the request.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpServices } from '../services.js';
import { AmError } from '../am/errors.js';
import { sendAmError } from '../error-reply.js';
import { addressedToOwnHost } from '../own-host.js';
import { DEMO_ADMIN_PASSWORD, DEMO_PASSWORD } from '../../config/demo-tenant.js';
import { PAGE_HEADERS } from './routes.js';
import { reachableUrls, type ReachableUrls } from './addresses.js';

export interface FrontDoorOptions {
  hosts: () => string[];
  /** True while the server listens on a loopback address only. */
  loopbackOnly: () => boolean;
  /** The control token, if one is needed: only whether there is one shows on the page. */
  controlToken: () => string | undefined;
}

/** Users listed per page at most: a load test's tenant may hold thousands. */
const MAX_USERS = 30;

/** The passwords the README publishes: the only ones the page may show, and only on loopback. */
const PUBLISHED_PASSWORDS = new Set([DEMO_PASSWORD, DEMO_ADMIN_PASSWORD]);

export function registerFrontDoor(app: FastifyInstance, services: HttpServices, options: FrontDoorOptions): void {
  app.get('/', (request, reply) => {
    if (!addressedToOwnHost(request, options))
      return sendAmError(
        reply,
        new AmError(
          403,
          `The emulator's pages answer requests addressed to the tenant's own host names, not to ${JSON.stringify(request.hostname)}`,
        ),
      );
    const address = app.server.address() as AddressInfo | null;
    const html = renderFrontDoor(services, {
      loopbackOnly: options.loopbackOnly(),
      tokenNeeded: options.controlToken() !== undefined,
      urls: address ? reachableUrls(address) : { loopback: [], network: [] },
      browserUrl: browserUrl(request),
    });
    return reply.headers(PAGE_HEADERS).header('content-type', 'text/html; charset=utf-8').send(html);
  });
}

/** `http://<the Host header>` when it is a host name or address with an optional port; else undefined. */
function browserUrl(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  if (typeof host !== 'string' || host.length > 260) return undefined;
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/.test(host)) return undefined;
  return `${request.protocol}://${host.toLowerCase()}`;
}

interface View {
  loopbackOnly: boolean;
  /** Whether the console asks for the control token. */
  tokenNeeded: boolean;
  urls: ReachableUrls;
  browserUrl: string | undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/** `/alpha` → `/am/XUI/?realm=/alpha` (the realm's default journey). */
export const signInPath = (realm: string) => `/am/XUI/?realm=${encodeURIComponent(realm).replace(/%2F/g, '/')}`;
const endUserPath = (realm: string) => `/enduser/?realm=${encodeURIComponent(realm).replace(/%2F/g, '/')}`;
export const CONSOLE_PATH = '/__emulator/ui';

/** The realm a newcomer signs in to: the first identity realm (alpha on the demo tenant), else root. */
export function mainRealm(realms: readonly { path: string }[]): string {
  return (realms.find((realm) => realm.path !== '/') ?? realms[0])?.path ?? '/';
}

export function renderFrontDoor(services: HttpServices, view: View): string {
  const { tenant } = services;
  const realms = tenant.realms.list();
  const realm = mainRealm(realms);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>aic-emulator</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/__emulator/ui/assets/style.css" />
  </head>
  <body>
    <header class="topbar"><span class="brand">aic-emulator</span><span class="context">an offline PingOne Advanced Identity Cloud tenant</span></header>
    <main id="main" class="front-main">
      <section class="card" aria-labelledby="pages-title" id="pages">
        <h1 id="pages-title">Start here</h1>
        <p>This emulator is one tenant, on this machine, with no account and no network needed. Its pages:</p>
        <ul class="doors">
          <li><a class="button primary" href="${esc(signInPath(realm))}">Sign-in page</a>
            <span>runs the sign-in journey of realm <code>${esc(realm)}</code> over AM's real <code>/authenticate</code> protocol, as AIC's hosted sign-in page does</span></li>
          <li><a class="button secondary" href="${esc(endUserPath(realm))}">End-user page</a>
            <span>where a signed-in user lands: who you are, your <code>_id</code> and your session</span></li>
          <li><a class="button secondary" href="${CONSOLE_PATH}">Console</a>
            <span>the tenant seen from the inside: sessions, journey runs drawn on their journey, the request journal, mail, faults, the clock. ${
              !view.tokenNeeded
                ? 'It needs no token here (loopback).'
                : view.loopbackOnly
                  ? 'It shows a signed-in user their own sessions, runs and mail; all of it needs the control token that the tenant’s config sets.'
                  : 'Attendees: sign in first, then the console shows your own sessions, journey runs and mail (read only). The trainer opens it with the control token, which only the terminal that started the emulator shows.'
            }</span></li>
        </ul>
${realmTable(realms.map((realm) => realm.path))}
      </section>
${addresses(view)}
${users(services, view)}
${scope()}
    </main>
  </body>
</html>
`;
}

function realmTable(realms: string[]): string {
  if (realms.length < 2) return '';
  const rows = realms
    .map(
      (realm) =>
        `<tr><td><code>${esc(realm)}</code></td><td><a href="${esc(signInPath(realm))}">sign in to ${esc(realm)}</a></td><td><a href="${esc(endUserPath(realm))}">end-user page of ${esc(realm)}</a></td></tr>`,
    )
    .join('\n            ');
  return `        <div class="table-wrap">
          <table class="compact">
            <caption>Every realm</caption>
            <thead><tr><th scope="col">Realm</th><th scope="col">Sign-in page</th><th scope="col">End-user page</th></tr></thead>
            <tbody>
            ${rows}
            </tbody>
          </table>
        </div>`;
}

function addresses(view: View): string {
  const { urls } = view;
  const link = (url: string) => `<li><a class="mono" href="${esc(url)}/">${esc(url)}/</a></li>`;
  const items: string[] = [];
  if (view.browserUrl !== undefined) {
    items.push(
      `<p>You opened this page at <a class="mono" href="${esc(view.browserUrl)}/">${esc(view.browserUrl)}/</a>.</p>`,
    );
  }
  if (urls.network.length > 0) {
    items.push(
      `<p>From other machines on the network (give these to the room):</p>\n        <ul class="addresses" id="network-addresses">\n          ${urls.network.map(link).join('\n          ')}\n        </ul>`,
    );
  } else if (!view.loopbackOnly) {
    items.push(`<p>This machine has no network address other than loopback.</p>`);
  }
  if (urls.loopback.length > 0) {
    items.push(
      `<p>On this machine:</p>\n        <ul class="addresses" id="loopback-addresses">\n          ${urls.loopback.map(link).join('\n          ')}\n        </ul>`,
    );
  }
  if (view.loopbackOnly) {
    const port = /:(\d+)$/.exec(urls.loopback[0] ?? '')?.[1];
    items.push(
      `<p class="hint">It listens on loopback only: nobody else can reach it. A browser app should name it <code>http://localhost${port ? `:${port}` : ''}</code> (the same site as an app on <code>localhost</code>). For a workshop, start it with <code>--host 0.0.0.0</code>: this page then lists the machine’s addresses.</p>`,
    );
  }
  return `      <section class="card" aria-labelledby="addresses-title" id="addresses">
        <h2 id="addresses-title">Addresses</h2>
        ${items.join('\n        ')}
      </section>`;
}

/**
 * The users the tenant started with (the config's, the demo users by default) that it still has;
 * users added since (a workshop's attendees) are not listed: anyone can read this page.
 */
function users(services: HttpServices, view: View): string {
  const { tenant } = services;
  const started = tenant.config.users.flatMap((seed) => {
    const realm = tenant.realms.resolve(seed.realm);
    const user = realm ? tenant.users.findByUserName(realm.path, seed.userName) : undefined;
    return user ? [user] : [];
  });
  const shown = started.slice(0, MAX_USERS);
  const published = (password: string) => view.loopbackOnly && PUBLISHED_PASSWORDS.has(password);
  const rows = shown
    .map((user) => {
      const password = published(user.password)
        ? `<code class="password">${esc(user.password)}</code>`
        : `<span class="muted">${view.loopbackOnly ? 'set by the config' : 'ask the trainer'}</span>`;
      return `<tr><td><code>${esc(user.realm)}</code></td><td class="mono">${esc(user.userName)}</td><td>${user.admin ? 'tenant administrator' : 'user'}</td><td>${password}</td></tr>`;
    })
    .join('\n            ');
  const more =
    started.length > shown.length
      ? `<p class="hint">and ${started.length - shown.length} more (the console lists them all).</p>`
      : '';
  const note = view.loopbackOnly
    ? `<p class="hint">On loopback the demo tenant has the passwords the README publishes: they are for this machine only.</p>`
    : `<p class="message info" id="passwords-note">This instance is reachable beyond loopback, so its demo passwords were made when it started, and only the terminal that started it shows them (the trainer’s). Anyone on the network can read this page: it shows no password.</p>`;
  const table =
    shown.length === 0
      ? `<p class="empty">The tenant has none of the users it started with any more.</p>`
      : `<div class="table-wrap">
          <table class="compact" id="users-table">
            <caption>Users the tenant started with</caption>
            <thead><tr><th scope="col">Realm</th><th scope="col">User name</th><th scope="col">Kind</th><th scope="col">Password</th></tr></thead>
            <tbody>
            ${rows}
            </tbody>
          </table>
        </div>`;
  return `      <section class="card" aria-labelledby="users-title" id="users">
        <h2 id="users-title">Users to sign in with</h2>
        ${[table, more, note].filter(Boolean).join('\n        ')}
        <p class="hint">Users added since the start (a workshop’s attendees) are not listed here: the trainer hands out their credentials (the console’s Handout).</p>
      </section>`;
}

/** What the emulator emulates and what it does not: README "What it emulates", docs/fidelity.md. */
function scope(): string {
  return `      <section class="card" aria-labelledby="scope-title" id="scope">
        <h2 id="scope-title">What it emulates</h2>
        <ul>
          <li>AM's REST API: <code>/authenticate</code> (journeys step by step, zero-page login), <code>/sessions</code>, <code>/users</code>, <code>/serverinfo</code>, with AIC's paths, versions, cookies and error answers</li>
          <li>Journeys imported from real exports, run node by node; scripted decision nodes in AIC's Rhino dialect (legacy and next-gen bindings), their <code>httpClient</code> calls answered by the tenant or by stubs</li>
          <li>AM's OAuth 2.0 / OpenID Connect provider under <code>/am/oauth2/</code> (discovery, authorization code with PKCE, client credentials, refresh, userinfo, introspection, revocation, end session), for the vendor SDKs and any OIDC client</li>
          <li>ESVs (<code>/environment</code>), IDM's managed users (<code>/openidm/managed/&lt;realm&gt;_user</code>) and config (<code>/openidm/config</code>)</li>
          <li>AM's config REST for journeys, nodes and scripts, so that frodo lists, exports and imports them</li>
          <li>Social sign-in against offline identity providers; email (suspend links, one-time passcodes) kept in the emulator's outbox</li>
        </ul>
        <h2 id="not-emulated-title">What it does not</h2>
        <ul>
          <li>SAML 2.0 and WS-Federation</li>
          <li>Multi-factor authentication beyond one-time passcodes by email: no push, WebAuthn or passkeys, OATH authenticator apps, SMS</li>
          <li>LDAP and external identity stores; IDM connectors, mappings and workflows</li>
          <li>AIC's log API and analytics (the console's journal and runs show what happened)</li>
          <li>AIC's admin console: the sign-in and end-user pages here are small look-alikes</li>
          <li>Real email, SMS or calls to other hosts (scripts get stubs unless outbound network is allowed); TLS</li>
        </ul>
        <p class="hint">Where AIC's documentation is silent, the emulator's choices are listed in the project's <code>docs/fidelity.md</code>.</p>
      </section>`;
}
