/**
 * Environment secrets and variables (ESVs). Created as `esv-cookie`; scripts read them as
 * `systemEnv.getProperty("esv.cookie")` (AIC docs, "ESVs in scripts"): the name with `-` read as `.`.
 */
import { ChangeFeed } from '../core/change-feed.js';

/** AIC's rule for an ESV's id (its ESV REST API's `variableId`/`secretId`): 1 to 124 of `[a-z0-9_-]` after `esv-`. */
export const ESV_NAME_PATTERN = /^esv-[a-z0-9_-]{1,124}$/;
const SECRET_NAME = /secret|password|passwd|token|key|credential/i;

/** Does the name say the ESV is a secret (the config keeps no other mark)? */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class EsvError extends Error {}

/** An ESV set (created or changed). `clear()` is a reset's or a restore's, and says nothing. */
export interface EsvChange {
  type: 'set';
  name: string;
  value: string;
  /** Made a secret otherwise than by its name (madeSecret): other instances must know it too. */
  secret: boolean;
}

export class EsvStore {
  private readonly values = new Map<string, string>();
  /** ESVs made secrets otherwise than by their names: the ESV REST API's secrets. */
  private readonly secretNames = new Set<string>();
  /** secretValues(), worked out again only after a change (it is read for every node a journey runs). */
  private secrets: string[] | undefined;
  /** How many times each ESV was set: lets a reader tell a value set again from the one it saw. */
  private readonly revisions = new Map<string, number>();
  readonly changes = new ChangeFeed<EsvChange>();

  /** Sets an ESV; `options.secret` marks it a secret whatever its name (its value is masked). */
  set(name: string, value: string, options: { secret?: boolean } = {}): void {
    if (typeof name !== 'string' || !ESV_NAME_PATTERN.test(name)) {
      throw new EsvError(
        `ESV names start with "esv-" and go on with 1 to 124 lowercase letters, digits, "_" or "-": ${JSON.stringify(name)}`,
      );
    }
    if (typeof value !== 'string') throw new EsvError('an ESV value must be a string');
    this.values.set(name, value);
    this.revisions.set(name, (this.revisions.get(name) ?? 0) + 1);
    if (options.secret === true) this.secretNames.add(name);
    this.secrets = undefined;
    this.changes.emit({ type: 'set', name, value, secret: this.secretNames.has(name) });
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** 0 for an ESV never set; one more at every set. */
  revision(name: string): number {
    return this.revisions.get(name) ?? 0;
  }

  /** Looks an ESV up the way scripts name it: `esv.cookie` finds `esv-cookie`. */
  getForScript(property: string): string | undefined {
    return this.values.get(property.replace(/\./g, '-'));
  }

  entries(): [string, string][] {
    return [...this.values.entries()];
  }

  /**
   * Values of the ESVs whose names say they are secrets (`secret`, `password`, `token`, `key`,
   * `credential`): AIC keeps secrets and variables apart, the config does not, so the name
   * decides. The runs view masks these wherever a script prints them.
   */
  secretValues(): string[] {
    // Each as written and as a URL carries it (a script that puts a secret in a query string).
    this.secrets ??= [...this.values.entries()]
      .filter(([name, value]) => this.isSecret(name) && value.length >= 4)
      .flatMap(([, value]) => {
        const encoded = encodeURIComponent(value);
        return encoded === value ? [value] : [value, encoded];
      });
    return this.secrets;
  }

  /** Made a secret otherwise than by its name (the ESV REST API's secrets). */
  madeSecret(name: string): boolean {
    return this.secretNames.has(name);
  }

  /** The ESVs made secrets otherwise than by their names. */
  madeSecrets(): string[] {
    return [...this.secretNames];
  }

  /** Is the ESV a secret (by its name, or made one): its value is never shown. */
  isSecret(name: string): boolean {
    return SECRET_NAME.test(name) || this.secretNames.has(name);
  }

  clear(): void {
    this.values.clear();
    this.revisions.clear();
    this.secretNames.clear();
    this.secrets = undefined;
  }
}
