/**
 * What AIC's ESV API knows of each ESV beyond the value scripts read: description, expression
 * type, who changed it when, values waiting for a restart, a secret's versions. The value the
 * runtime reads stays in the tenant's EsvStore; the catalog keeps the rest, for this process
 * (docs/fidelity.md, "ESVs and managed users over REST"). An ESV of the store the catalog never
 * saw (the config's, the control API's) shows as a loaded variable, or as a secret when its name
 * says it is one (the store's masking rule).
 *
 * Changes wait for a restart, as on AIC: a variable written here, or a new version of a secret
 * used in placeholders, is `loaded: false` until `restart()` writes it into the store.
 */
import { isSecretName, type EsvStore } from './esvs.js';
import { isoMillis, type TenantClock } from '../core/clock.js';

export const EXPRESSION_TYPES = [
  'string',
  'array',
  'bool',
  'int',
  'number',
  'object',
  'list',
  'keyvaluelist',
  'base64encodedinlined',
] as const;
export const ENCODINGS = ['generic', 'pem', 'base64hmac', 'base64aes'] as const;

/** Who changed an ESV that was not changed through this API (the config, the control API). */
export const EMULATOR_CHANGER = 'aic-emulator';

interface VariableRecord {
  description: string;
  expressionType: string;
  lastChangeDate: string;
  lastChangedBy: string;
  /** The value written and not yet loaded (base64), if any. */
  pending?: string;
}

export interface SecretVersion {
  version: number;
  createDate: string;
  status: 'ENABLED' | 'DISABLED' | 'DESTROYED';
  valueBase64: string;
}

interface SecretRecord {
  description: string;
  encoding: string;
  useInPlaceholders: boolean;
  lastChangeDate: string;
  lastChangedBy: string;
  versions: SecretVersion[];
  /** The version the runtime holds (0: none). */
  loadedVersion: number;
}

export interface VariableView {
  _id: string;
  description: string;
  expressionType: string;
  lastChangeDate: string;
  lastChangedBy: string;
  loaded: boolean;
  valueBase64: string;
}

export interface SecretView {
  _id: string;
  activeVersion: string;
  description: string;
  encoding: string;
  lastChangeDate: string;
  lastChangedBy: string;
  loaded: boolean;
  loadedVersion: string;
  useInPlaceholders: boolean;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

export class EsvCatalog {
  private readonly variables = new Map<string, VariableRecord>();
  private readonly secrets = new Map<string, SecretRecord>();
  /**
   * Deleted here but still in the store (the runtime keeps them), with the store's revision at the
   * delete: no longer listed, until something sets them again (the config, the control API,
   * another instance).
   */
  private readonly deletions = new Map<string, number>();
  /** When the catalog started to look at the store: the change date of ESVs it never saw change. */
  private since: string;

  constructor(
    private readonly esvs: EsvStore,
    private readonly clock: TenantClock,
  ) {
    this.since = this.now();
  }

  private deleted(name: string): boolean {
    const at = this.deletions.get(name);
    return at !== undefined && at === this.esvs.revision(name);
  }

  private now(): string {
    return isoMillis(this.clock.now());
  }

  /** Forgets everything (a tenant reset starts again from the config). */
  clear(): void {
    this.variables.clear();
    this.secrets.clear();
    this.deletions.clear();
    this.since = this.now();
  }

  /** Is the store's ESV one the API shows as a variable (not a secret, by the catalog or by its name)? */
  private storeVariable(name: string): boolean {
    return !this.deleted(name) && !this.secrets.has(name) && (this.variables.has(name) || !isSecretName(name));
  }

  // Variables

  variableNames(): string[] {
    const names = new Set<string>();
    for (const [name] of this.esvs.entries()) if (this.storeVariable(name)) names.add(name);
    for (const [name, record] of this.variables) if (record.pending !== undefined) names.add(name);
    return [...names].sort();
  }

  variable(name: string): VariableView | undefined {
    if (this.secrets.has(name)) return undefined;
    const record = this.variables.get(name);
    const value = this.esvs.get(name);
    if (record?.pending === undefined && (value === undefined || !this.storeVariable(name))) return undefined;
    return {
      _id: name,
      description: record?.description ?? '',
      expressionType: record?.expressionType ?? 'string',
      lastChangeDate: record?.lastChangeDate ?? this.since,
      lastChangedBy: record?.lastChangedBy ?? EMULATOR_CHANGER,
      loaded: record?.pending === undefined,
      valueBase64: record?.pending ?? base64(value ?? ''),
    };
  }

  /** Creates or changes a variable; its value waits for the restart. */
  putVariable(
    name: string,
    input: { valueBase64: string; description?: string; expressionType?: string },
    by: string,
  ): VariableView {
    const existing = this.variable(name);
    this.deletions.delete(name);
    this.variables.set(name, {
      description: input.description ?? existing?.description ?? '',
      expressionType: input.expressionType ?? existing?.expressionType ?? 'string',
      lastChangeDate: this.now(),
      lastChangedBy: by,
      pending: input.valueBase64,
    });
    return this.variable(name) as VariableView;
  }

  describeVariable(name: string, description: string, by: string): VariableView | undefined {
    const view = this.variable(name);
    if (!view) return undefined;
    const record = this.variables.get(name);
    this.variables.set(name, {
      description,
      expressionType: view.expressionType,
      lastChangeDate: this.now(),
      lastChangedBy: by,
      ...(record?.pending !== undefined ? { pending: record.pending } : {}),
    });
    return this.variable(name);
  }

  /** Deletes a variable from the API at once (never pending); the runtime keeps its loaded value. */
  deleteVariable(name: string): VariableView | undefined {
    const view = this.variable(name);
    if (!view) return undefined;
    this.variables.delete(name);
    if (this.esvs.get(name) !== undefined) this.deletions.set(name, this.esvs.revision(name));
    return view;
  }

  // Secrets

  secretNames(): string[] {
    const names = new Set(this.secrets.keys());
    for (const [name] of this.esvs.entries())
      if (isSecretName(name) && !this.deleted(name) && !this.variables.has(name)) names.add(name);
    return [...names].sort();
  }

  /** A secret's record: the catalog's, or one made for a store ESV named like a secret (version 1, loaded). */
  private secretRecord(name: string): SecretRecord | undefined {
    const record = this.secrets.get(name);
    if (record) return record;
    const value = this.esvs.get(name);
    if (value === undefined || !isSecretName(name) || this.deleted(name) || this.variables.has(name)) return undefined;
    return {
      description: '',
      encoding: 'generic',
      useInPlaceholders: true,
      lastChangeDate: this.since,
      lastChangedBy: EMULATOR_CHANGER,
      versions: [{ version: 1, createDate: this.since, status: 'ENABLED', valueBase64: base64(value) }],
      loadedVersion: 1,
    };
  }

  secret(name: string): SecretView | undefined {
    const record = this.secretRecord(name);
    if (!record) return undefined;
    const active = activeVersionOf(record);
    return {
      _id: name,
      activeVersion: String(active),
      description: record.description,
      encoding: record.encoding,
      lastChangeDate: record.lastChangeDate,
      lastChangedBy: record.lastChangedBy,
      loaded: record.loadedVersion === active,
      loadedVersion: record.loadedVersion === 0 ? '' : String(record.loadedVersion),
      useInPlaceholders: record.useInPlaceholders,
    };
  }

  /** Creates a secret (version 1). Undefined when one of that name exists. */
  createSecret(
    name: string,
    input: { valueBase64: string; description: string; encoding: string; useInPlaceholders: boolean },
    by: string,
  ): SecretView | undefined {
    if (this.secretRecord(name) || this.variable(name)) return undefined;
    const now = this.now();
    this.deletions.delete(name);
    this.secrets.set(name, {
      description: input.description,
      encoding: input.encoding,
      useInPlaceholders: input.useInPlaceholders,
      lastChangeDate: now,
      lastChangedBy: by,
      versions: [{ version: 1, createDate: now, status: 'ENABLED', valueBase64: input.valueBase64 }],
      // A secret not used in placeholders is loaded at once (it never reaches scripts).
      loadedVersion: input.useInPlaceholders ? 0 : 1,
    });
    return this.secret(name);
  }

  /** The catalog's own record of a secret, made from the store's when the catalog never saw it change. */
  private ownSecret(name: string): SecretRecord | undefined {
    const record = this.secretRecord(name);
    if (record && !this.secrets.has(name)) this.secrets.set(name, record);
    return record;
  }

  describeSecret(name: string, description: string, by: string): boolean {
    const record = this.ownSecret(name);
    if (!record) return false;
    Object.assign(record, { description, lastChangeDate: this.now(), lastChangedBy: by });
    return true;
  }

  deleteSecret(name: string): SecretView | undefined {
    const view = this.secret(name);
    if (!view) return undefined;
    this.secrets.delete(name);
    if (this.esvs.get(name) !== undefined) this.deletions.set(name, this.esvs.revision(name));
    return view;
  }

  /** Versions, newest first (destroyed ones stay listed). */
  versions(name: string): SecretVersion[] | undefined {
    const record = this.secretRecord(name);
    return record ? [...record.versions].reverse() : undefined;
  }

  versionLoaded(name: string, version: SecretVersion): boolean {
    const record = this.secretRecord(name);
    return record !== undefined && record.loadedVersion >= version.version && version.status !== 'DESTROYED';
  }

  addVersion(name: string, valueBase64: string, by: string): SecretVersion | undefined {
    const record = this.ownSecret(name);
    if (!record) return undefined;
    const now = this.now();
    const version: SecretVersion = {
      version: (record.versions.at(-1)?.version ?? 0) + 1,
      createDate: now,
      status: 'ENABLED',
      valueBase64,
    };
    record.versions.push(version);
    Object.assign(record, { lastChangeDate: now, lastChangedBy: by });
    if (!record.useInPlaceholders) record.loadedVersion = version.version;
    return version;
  }

  /**
   * Sets a version's status. 'missing' for no such secret or version, 'latest' when the latest
   * would stop being enabled, 'destroyed' for a version destroyed before.
   */
  setVersionStatus(
    name: string,
    versionText: string,
    status: 'ENABLED' | 'DISABLED' | 'DESTROYED',
    by: string,
  ): SecretVersion | 'missing' | 'latest' | 'destroyed' {
    const record = this.ownSecret(name);
    const version = record?.versions.find((item) => String(item.version) === versionText);
    if (!record || !version) return 'missing';
    if (version.status === 'DESTROYED') return 'destroyed';
    if (status !== 'ENABLED' && version === record.versions.at(-1)) return 'latest';
    version.status = status;
    if (status === 'DESTROYED') version.valueBase64 = '';
    Object.assign(record, { lastChangeDate: this.now(), lastChangedBy: by });
    return version;
  }

  // Counts and the restart

  pendingCount(): { secrets: number; variables: number } {
    return {
      secrets: this.secretNames().filter((name) => this.secret(name)?.loaded === false).length,
      variables: this.variableNames().filter((name) => this.variable(name)?.loaded === false).length,
    };
  }

  /**
   * The restart: every value waiting is written into the store, where scripts read it. A secret
   * used in placeholders brings its active version; one that is not stays out of the store.
   */
  restart(): void {
    for (const [name, record] of this.variables) {
      if (record.pending === undefined) continue;
      this.esvs.set(name, decode(record.pending));
      delete record.pending;
    }
    for (const [name, record] of this.secrets) {
      const active = activeVersionOf(record);
      if (!record.useInPlaceholders || record.loadedVersion === active) continue;
      const version = record.versions.find((item) => item.version === active);
      if (version) this.esvs.set(name, decode(version.valueBase64), { secret: true });
      record.loadedVersion = active;
    }
  }
}

/** The active version: the latest (which can be neither disabled nor destroyed). */
function activeVersionOf(record: SecretRecord): number {
  return record.versions.at(-1)?.version ?? 0;
}
