#!/usr/bin/env node
/**
 * The `aic-emulator` command.
 *
 *   aic-emulator start [--port 8080] [--host 127.0.0.1] [--config tenant.yaml] [--cookie-name <15 hex>]
 *                      [--store memory|redis] [--redis-url redis://...] [--redis-prefix <prefix>]
 *                      [--redis-timeout <ms>] [--state-file <file>]
 *
 * `start` serves the demo tenant (or the config's), prints the URL, the front door (`/`), the
 * sign-in page and the console at the addresses people use, the cookie name and the demo
 * credentials, and shuts down cleanly on SIGINT/SIGTERM: in-flight requests finish first, then
 * the state file (if any) is written.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createEmulator, type Emulator } from './create-emulator.js';
import { ConfigError } from '../config/config.js';
import { formatLint, lintPaths } from './lint-report.js';
import type { StoreConfig } from '../scaling/backend.js';
import { DEMO_SERVICE_ACCOUNT_ID } from '../config/demo-service-account.js';
import type { AddressInfo } from 'node:net';
import { reachableUrls } from '../http/ui/addresses.js';
import { CONSOLE_PATH, mainRealm, signInPath } from '../http/ui/front-door.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return port;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000)
    throw new InvalidArgumentError('a timeout is an integer number of milliseconds from 50 to 60000');
  return ms;
}

interface StoreFlags {
  store?: string;
  redisUrl?: string;
  redisPrefix?: string;
  redisTimeout?: number;
  stateFile?: string;
}

/**
 * The store the flags ask for (undefined: the config's). `--redis-url`, `--redis-prefix` and `--redis-timeout` imply
 * `--store redis`, `--state-file` the memory store; mixing the two is a mistake worth a message.
 */
function storeFromFlags(flags: StoreFlags): StoreConfig | undefined {
  const redisFlags =
    flags.redisUrl !== undefined || flags.redisPrefix !== undefined || flags.redisTimeout !== undefined;
  const kind = flags.store ?? (redisFlags ? 'redis' : flags.stateFile !== undefined ? 'memory' : undefined);
  if (kind === undefined) return undefined;
  if (kind === 'redis') {
    if (flags.stateFile !== undefined)
      throw new ConfigError('--state-file is for the memory store: with --store redis the state is kept in Redis');
    return { kind, redisUrl: flags.redisUrl, keyPrefix: flags.redisPrefix, timeoutMs: flags.redisTimeout };
  }
  if (kind === 'memory') {
    if (redisFlags) throw new ConfigError('--redis-url, --redis-prefix and --redis-timeout go with --store redis');
    return { kind, stateFile: flags.stateFile };
  }
  throw new ConfigError(`--store is memory or redis, not ${JSON.stringify(kind)}`);
}

function banner(emulator: Emulator): string {
  const { tenant, demoPasswords } = emulator;
  const lines = [
    `aic-emulator: tenant listening at ${emulator.url}`,
    ...pageLines(emulator),
    `  cookie name   ${emulator.cookieName}`,
    `  realms        ${tenant.realms
      .list()
      .map((realm) => realm.path)
      .join(', ')}`,
    `  admin token   Authorization: Bearer ${emulator.adminToken}`,
    `  control API   ${emulator.url}/__emulator/tenant`,
    `  store         ${emulator.store}`,
  ];
  if (emulator.controlToken !== undefined)
    lines.push(`  control token X-Aic-Emulator-Token: ${emulator.controlToken}  (needed beyond loopback)`);
  // The demo users' passwords: the README's on loopback, made at start beyond it.
  if (demoPasswords) {
    lines.push(`  demo users    (password ${demoPasswords.users})`);
    for (const user of tenant.users.list()) {
      if (!user.admin) lines.push(`    ${user.realm.padEnd(8)} ${user.userName.padEnd(12)} _id ${user._id}`);
    }
    const admin = tenant.users.list().find((user) => user.admin);
    if (admin) lines.push(`  tenant admin  ${admin.userName} / ${demoPasswords.admin} (realm ${admin.realm})`);
  }
  lines.push(...oauth2Lines(emulator));
  const [userName, password] = demoPasswords ? ['demo', demoPasswords.users] : ['<userName>', '<password>'];
  lines.push(
    `  try           curl -s -X POST -H 'X-OpenAM-Username: ${userName}' -H 'X-OpenAM-Password: ${password}' \\`,
    `                  -H 'Accept-API-Version: resource=2.0, protocol=1.0' '${emulator.url}/am/json/realms/root/realms/alpha/authenticate'`,
  );
  return lines.join('\n');
}

/**
 * The front door (`/`), the sign-in page and the console, at the addresses people will use: on
 * loopback its URL; beyond it every address of the machine the server listens on (a workshop's
 * attendees type one of them), the loopback URL being for the trainer's own browser.
 */
function pageLines(emulator: Emulator): string[] {
  const address = emulator.server.server.address() as AddressInfo | null;
  const urls = address ? reachableUrls(address) : { loopback: [emulator.url], network: [] };
  const shared = urls.network.length > 0;
  const base = urls.network[0] ?? urls.loopback[0] ?? emulator.url;
  const lines = shared
    ? urls.network.map(
        (url, index) =>
          `  ${index === 0 ? 'front door  ' : '            '}  ${url}/${index === 0 ? '  (for everyone)' : ''}`,
      )
    : [`  front door    ${base}/  (open it first: the pages, the users, what is emulated)`];
  if (shared && urls.loopback[0] !== undefined) lines.push(`                ${urls.loopback[0]}/  (on this machine)`);
  if (address && !shared && (address.address === '0.0.0.0' || address.address === '::'))
    lines.push('                (no network address found on this machine: only loopback reaches it)');
  lines.push(
    `  sign-in page  ${base}${signInPath(mainRealm(emulator.tenant.realms.list()))}`,
    `  console       ${base}${CONSOLE_PATH}${emulator.controlToken !== undefined ? '  (asks for the control token)' : ''}`,
  );
  return lines;
}

/**
 * Where a browser app should point (an app on `http://localhost:<its port>` is then same-site with
 * the tenant, so its cookie is sent; on 127.0.0.1 it would be another site), and the OAuth2 clients.
 */
function oauth2Lines(emulator: Emulator): string[] {
  const { tenant } = emulator;
  const appUrl = /^http:\/\/127\.0\.0\.1:/.test(emulator.url)
    ? emulator.url.replace('127.0.0.1', 'localhost')
    : emulator.url;
  const clients = tenant.oauth2Clients
    .list()
    .map(
      (client) =>
        `${client.realm} ${client.clientId}${client.clientSecret ? ` / ${client.clientSecret}` : ' (public)'}`,
    );
  const accounts = tenant.config.oauth2.serviceAccounts.map((account) =>
    account.id === DEMO_SERVICE_ACCOUNT_ID
      ? `${account.name} ${account.id} (private key: DEMO_SERVICE_ACCOUNT_JWK, in the package and the README)`
      : `${account.name} ${account.id}`,
  );
  return [
    `  browser apps  ${appUrl}  (SDK baseUrl ${appUrl}/am/, realmPath alpha)`,
    `  OIDC          ${appUrl}/am/oauth2/realms/root/realms/alpha/.well-known/openid-configuration`,
    // One client a line: a secret never runs into the next client's name.
    ...clients.map((client, index) => `  ${index === 0 ? 'OAuth2      ' : '            '}  ${client}`),
    ...(accounts.length > 0 ? [`  service acct  ${accounts.join(', ')}`] : []),
  ];
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('aic-emulator')
    .description('An offline emulator of a PingOne Advanced Identity Cloud tenant (AM surface)');

  program
    .command('start')
    .description('serve a tenant over HTTP')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one; default $PORT or 8080)', parsePort)
    .option('-H, --host <host>', 'interface to listen on', '127.0.0.1')
    .option('-c, --config <file>', 'tenant config file (JSON or YAML), merged over the demo tenant')
    .option('--cookie-name <name>', 'the tenant cookie name (15 lowercase hex characters)')
    .option('--log-level <level>', 'server log level (fatal, error, warn, info, debug)', 'warn')
    .option(
      '-i, --import <path>',
      'journey export file or folder to import (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--store <kind>', 'where the state lives: memory (default) or redis (several instances, one tenant)')
    .option('--redis-url <url>', 'the Redis of --store redis (default redis://127.0.0.1:6379)')
    .option('--redis-prefix <prefix>', "the tenant's Redis key prefix (default aic:<cookie name>:)")
    .option(
      '--redis-timeout <ms>',
      'how long a request waits for Redis before it is answered as unavailable (default 2000)',
      parseTimeout,
    )
    .option(
      '--state-file <file>',
      'memory store: load the state from this file at start, save it on shutdown and on POST /__emulator/state/save',
    )
    .action(
      async (
        options: {
          port?: number;
          host: string;
          config?: string;
          cookieName?: string;
          logLevel: string;
          import: string[];
        } & StoreFlags,
      ) => {
        let port = options.port;
        if (port === undefined) {
          try {
            port = process.env['PORT'] ? parsePort(process.env['PORT']) : 8080;
          } catch {
            process.stderr.write(
              `aic-emulator: PORT=${process.env['PORT']} is not a port (an integer from 0 to 65535)\n`,
            );
            process.exit(2);
          }
        }
        let emulator: Emulator;
        try {
          const store = storeFromFlags(options);
          emulator = await createEmulator({
            ...(store ? { store } : {}),
            port,
            host: options.host,
            ...(options.config ? { config: options.config } : {}),
            ...(options.cookieName ? { cookieName: options.cookieName } : {}),
            ...(options.import.length > 0 ? { journeys: options.import } : {}),
            logger: { level: options.logLevel },
          });
        } catch (error) {
          if (error instanceof ConfigError) {
            process.stderr.write(`aic-emulator: ${error.message}\n`);
            process.exit(2);
          }
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
            process.stderr.write(`aic-emulator: cannot listen on ${options.host}:${port} (${code}); try --port 0\n`);
            process.exit(2);
          }
          throw error;
        }
        process.stdout.write(`${banner(emulator)}\n`);
        const journeyLines = journeySummary(emulator);
        if (journeyLines) process.stdout.write(`${journeyLines}\n`);
        let stopping = false;
        const stop = (signal: 'SIGINT' | 'SIGTERM') => {
          if (stopping) {
            // A second signal means now: do not wait for in-flight requests.
            process.stdout.write(`aic-emulator: ${signal} again, stopping now\n`);
            process.exit(signal === 'SIGINT' ? 130 : 143);
          }
          stopping = true;
          process.stdout.write(`aic-emulator: ${signal}, finishing in-flight requests and stopping\n`);
          emulator.close().then(
            () => {
              if (emulator.stateFile !== undefined)
                process.stdout.write(`aic-emulator: state saved to ${emulator.stateFile}\n`);
              process.exit(0);
            },
            (error: unknown) => {
              process.stderr.write(`aic-emulator: error while stopping: ${String(error)}\n`);
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGTERM', () => stop('SIGTERM'));
      },
    );

  program
    .command('lint')
    .description('check journey exports for what AIC would refuse or the emulator cannot run')
    .argument('<paths...>', 'export files or folders')
    .option('--realm <realm>', 'the realm to read them into (default: the one each export names, else alpha)')
    .option('--json', 'print the problems as JSON')
    .action((paths: string[], options: { realm?: string; json?: boolean }) => {
      const report = lintPaths(paths, options.realm);
      const text = options.json ? `${JSON.stringify(report, null, 2)}\n` : formatLint(report);
      const code = report.some((entry) => entry.problems.some((problem) => problem.severity === 'error')) ? 1 : 0;
      // Exit once the report has drained: exiting right after the write cut a report piped into
      // another program at the pipe's buffer (64 KiB). A reader that goes away (EPIPE) ends it too.
      process.exitCode = code;
      process.stdout.on('error', () => process.exit(code));
      process.stdout.write(text, () => process.exit(code));
    });

  await program.parseAsync(argv);
}

function journeySummary(emulator: Emulator): string {
  const lines: string[] = [];
  for (const realm of emulator.tenant.realms.list()) {
    const names = [...emulator.tenant.journeys.of(realm.path).trees.keys()];
    if (names.length > 0) lines.push(`    ${realm.path.padEnd(8)} ${names.join(', ')}`);
  }
  return lines.length > 0 ? `  journeys\n${lines.join('\n')}` : '';
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`aic-emulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
