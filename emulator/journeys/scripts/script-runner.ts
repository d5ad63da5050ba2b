/**
 * Runs journey scripts for the nodes that have them (Scripted Decision, Configuration Provider):
 * checks the source against Rhino's dialect once per version of it, builds the job (the node's
 * state, the request, the tenant's ESVs), runs it in the worker pool, and hands back what the
 * script did, or a NodeProcessException in AM's words when it failed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EsvStore } from '../../state/esvs.js';
import type { ScriptDef } from '../../state/journeys/model.js';
import type { NodeContext, ScriptRunOptions } from '../nodes/node.js';
import { NodeProcessException } from '../nodes/node.js';
import type { Session } from '../../state/sessions/session.js';
import { checkDialect, type DialectResult } from './rhino-dialect.js';
import { ScriptPool } from '../../sandbox/pool.js';
import type { ScriptJob, ScriptOutcome } from '../../sandbox/protocol.js';
import { IN_PROCESS_HEADER, NESTED_RUN_HEADER, scriptHost, type ScriptHostTenant } from './host.js';
import { checkOutcome } from './outcome-limits.js';

/** What the script runner uses of the tenant (the Tenant satisfies it). */
export interface ScriptRunnerTenant extends ScriptHostTenant {
  readonly cookieName: string;
  readonly esvs: EsvStore;
}

export interface ScriptLimits {
  /**
   * How long one script run may take, wall clock, its host calls included, in ms. AIC sets no
   * script timeout (its exported scripting engine configuration says `serverTimeout 0`: frodo-cli's
   * test/e2e/exports/all-separate/cloud/global/scripttype/); the emulator must protect itself.
   */
  timeoutMs: number;
  /** How long one host call (httpClient, identities) may wait, in ms; never past the run's limit. */
  hostCallTimeoutMs: number;
  /** Heap limit of one script run (QuickJS's, every allocation counted), in MiB. */
  memoryMb: number;
  /** Scripts that may run at the same time. */
  workers: number;
  /** Workers at most, counting those started while others wait on host calls. */
  maxWorkers: number;
  /** Scripts that may be running inside each other's host calls (a script calling a journey that runs a script...). */
  maxNesting: number;
}

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = {
  timeoutMs: 10_000,
  hostCallTimeoutMs: 5_000,
  memoryMb: 96,
  workers: 2,
  maxWorkers: 8,
  maxNesting: 3,
};

/** Headers of the tenant's own machinery, which a script does not see in `requestHeaders`. */
const INTERNAL_HEADERS = new Set([IN_PROCESS_HEADER, NESTED_RUN_HEADER]);

export class ScriptRunner {
  private pool: ScriptPool | undefined;
  private readonly dialects = new Map<string, DialectResult & { hash: string }>();

  constructor(
    private readonly tenant: ScriptRunnerTenant,
    private readonly limits: ScriptLimits,
  ) {}

  /** The dialect check of a script (cached while its source is unchanged). */
  dialect(script: ScriptDef): DialectResult & { hash: string } {
    const hash = createHash('sha1').update(script.source).digest('hex');
    const cached = this.dialects.get(script.id);
    if (cached && cached.hash === hash) return cached;
    const result = { ...checkDialect(script.source), hash };
    this.dialects.set(script.id, result);
    return result;
  }

  async run(
    script: ScriptDef,
    kind: 'decision' | 'config',
    context: NodeContext,
    options: ScriptRunOptions = {},
  ): Promise<ScriptOutcome> {
    const checked = this.dialect(script);
    const first = checked.errors[0];
    if (first) throw new NodeProcessException(`${first.message} (${script.name}#${first.line})`);
    const caller = this.callingRun(context.request.headers);
    const depth = (caller?.depth ?? 0) + 1;
    if (depth > this.limits.maxNesting) {
      throw new NodeProcessException(
        `the script was called from ${depth - 1} scripts running inside each other, more than the limit of ${this.limits.maxNesting}`,
      );
    }
    const deadline = Math.min(Date.now() + this.limits.timeoutMs, caller?.deadline ?? Infinity);
    const job: ScriptJob = {
      source: checked.source,
      scriptName: script.name,
      scriptId: script.id,
      engine: script.evaluatorVersion,
      kind,
      realm: context.realm.path,
      state: { shared: context.state.shared, transient: context.state.transient, secure: context.state.secure },
      inputs: stringList(context.config['inputs']) ?? stringList(context.config['scriptInputs']) ?? ['*'],
      outputs: stringList(context.config['outputs']) ?? ['*'],
      headers: headerPairs(context.request.headers).filter(([name]) => !INTERNAL_HEADERS.has(name)),
      parameters: [...groupPairs([...context.request.query.entries()])],
      cookies: cookiePairs(context.request.headers.cookie),
      cookieName: this.tenant.cookieName,
      existingSession: context.request.existingSession
        ? sessionProperties(context.request.existingSession, context.request.hostname)
        : null,
      esvs: Object.fromEntries(this.tenant.esvs.entries()),
      callbacks: context.callbacks.map((callback) => ({
        type: callback.type,
        output: callback.output,
        values: [...callback.values.entries()],
      })),
      loggerName: `scripts.${script.context}.${script.id}.(${script.name})`,
      timeoutMs: this.limits.timeoutMs,
      ...(options.properties ? { properties: structuredClone(options.properties) } : {}),
    };
    // 64 bytes for the crypto bindings, 16 more to seed Math.random, 16 more to seed
    // ThreadLocalSecureRandom (see sandbox/runtime/random.ts, utils.ts and java-classes.ts).
    (job as ScriptJob & { random: number[] }).random = [...randomBytes(96)];
    const { workers, maxWorkers, memoryMb, hostCallTimeoutMs } = this.limits;
    this.pool ??= new ScriptPool({
      size: workers,
      maxWorkers: Math.max(workers, maxWorkers),
      memoryMb,
      hostCallTimeoutMs,
    });
    const host = scriptHost({
      tenant: this.tenant,
      realm: context.realm,
      requestHostname: context.request.hostname,
      run: context.run,
      caller: { depth, deadline },
    });
    const answer = await this.pool.run(job, host, deadline);
    if (!answer.ok) {
      const { error } = answer;
      for (const line of answer.logs ?? []) context.run.log(line.level, line.message);
      throw new NodeProcessException(
        error.kind === 'script'
          ? `${error.message}${error.line !== undefined ? ` (${script.name}#${error.line})` : ''}`
          : error.message,
      );
    }
    // What the runtime wrote is the script's doing as much as ours: checked before the journey takes it.
    const result = checkOutcome(answer.result);
    for (const line of result.logs) context.run.log(line.level, line.message);
    return result;
  }

  /**
   * The script run whose call back into the tenant made this request, if one did: a run it starts
   * inherits its deadline (it cannot outlive the call waiting for it) and counts its depth. Read
   * only from the tenant's own in-process calls (their secret marker), never from a client's.
   */
  private callingRun(headers: IncomingHttpHeaders): { depth: number; deadline: number } | undefined {
    if (headers[IN_PROCESS_HEADER] !== this.tenant.inProcessSecret) return undefined;
    const match = /^(\d{1,3}):(\d{1,16})$/.exec(String(headers[NESTED_RUN_HEADER] ?? ''));
    return match ? { depth: Number(match[1]), deadline: Number(match[2]) } : undefined;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function headerPairs(headers: IncomingHttpHeaders): [string, string[]][] {
  return Object.entries(headers)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? value : [value]]);
}

function groupPairs(pairs: [string, string][]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return grouped;
}

function cookiePairs(header: string | undefined): [string, string][] {
  if (!header) return [];
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()]);
}

/**
 * The properties AM keeps on a session, as scripts' `existingSession` shows them (PingOne node
 * reference, "Get Session Data node"; AM: ScriptedNodeHelper.java).
 */
function sessionProperties(session: Session, hostname: string): Record<string, string> {
  return {
    AMCtxId: session.ctxId,
    amlbcookie: '01',
    authInstant: new Date(session.creationTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    AuthLevel: '0',
    CharSet: 'UTF-8',
    clientType: 'genericHTML',
    FullLoginURL: `/am/XUI/?realm=${encodeURIComponent(session.realm)}`,
    Host: hostname,
    HostName: hostname,
    Locale: 'en_US',
    Organization:
      session.realm === '/'
        ? 'ou=am-config'
        : `${session.realm
            .split('/')
            .filter(Boolean)
            .reverse()
            .map((name) => `o=${name}`)
            .join(',')},ou=services,ou=am-config`,
    Principal: session.universalId,
    Principals: session.userId,
    Service: session.service,
    successURL: session.successUrl,
    'sun.am.UniversalIdentifier': session.universalId,
    UserId: session.userId,
    UserProfile: 'Required',
    UserToken: session.userId,
    ...session.properties,
  };
}
