/**
 * Journey state as AM keeps it between nodes (AM: NodeState.java, AuthTreeExecutor): shared state
 * (kept for the whole journey), transient state (kept until the journey next sends callbacks) and
 * secure state (transient values AM encrypts), plus where the journey stands.
 *
 * Everything here is plain JSON, so a journey session can be stored anywhere and a script worker
 * can be handed a copy.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface TreeState {
  shared: JsonObject;
  transient: JsonObject;
  secure: JsonObject;
  /** The node the journey resumes at (the one that sent callbacks). */
  currentNodeId: string | undefined;
  /** The state of inner trees in progress, by the Inner Tree Evaluator node that runs them. */
  inner: Record<string, TreeState>;
  /** What a node keeps for itself between steps (a Page Node's callback layout), by node id. */
  nodeData: Record<string, JsonValue>;
  /** Accumulated by nodes, applied to the session on success. */
  sessionProperties: Record<string, string>;
  maxIdleMinutes?: number;
  maxSessionMinutes?: number;
  /** The user's `_id`, once a node has identified them. */
  identifiedUserId?: string;
  /** The journey is suspended at `currentNodeId` (AM's `Action.suspend`), until resumed. */
  suspended?: boolean;
  /** A persistent cookie to set when the journey's session is made (Set Persistent Cookie). */
  persistentCookie?: PersistentCookieSpec;
}

/** AM's persistent cookie settings, as a Set Persistent Cookie node asks for the cookie. */
export interface PersistentCookieSpec {
  name: string;
  maxLifeSeconds: number;
  idleTimeoutSeconds: number;
  secure: boolean;
  httpOnly: boolean;
  /** A cookie re-issued by Persistent Cookie Decision keeps the first one's expiry (epoch ms). */
  expiresAt?: number;
}

export function newTreeState(shared: JsonObject = {}): TreeState {
  return {
    shared,
    transient: {},
    secure: {},
    currentNodeId: undefined,
    inner: {},
    nodeData: {},
    sessionProperties: {},
  };
}

/**
 * AM's NodeState over a TreeState: reads look in transient, then secure, then shared; writes go
 * where they are told. The same semantics back the nodes and both script engines' `nodeState`.
 */
export class NodeState {
  constructor(private readonly state: TreeState) {}

  get(key: string): JsonValue | undefined {
    if (Object.hasOwn(this.state.transient, key)) return this.state.transient[key];
    if (Object.hasOwn(this.state.secure, key)) return this.state.secure[key];
    if (Object.hasOwn(this.state.shared, key)) return this.state.shared[key];
    return undefined;
  }

  isDefined(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    return [
      ...new Set([
        ...Object.keys(this.state.shared),
        ...Object.keys(this.state.secure),
        ...Object.keys(this.state.transient),
      ]),
    ];
  }

  putShared(key: string, value: JsonValue): this {
    setOwn(this.state.shared, key, value);
    return this;
  }

  putTransient(key: string, value: JsonValue): this {
    setOwn(this.state.transient, key, value);
    return this;
  }

  remove(key: string): void {
    delete this.state.shared[key];
    delete this.state.transient[key];
    delete this.state.secure[key];
  }

  /** A value inside `objectAttributes`, looked up in all three states (transient first). */
  objectAttribute(name: string): JsonValue | undefined {
    for (const part of [this.state.transient, this.state.secure, this.state.shared]) {
      const container = part['objectAttributes'];
      if (container && typeof container === 'object' && !Array.isArray(container) && Object.hasOwn(container, name))
        return container[name];
    }
    return undefined;
  }

  putObjectAttribute(where: 'shared' | 'transient', name: string, value: JsonValue): void {
    const part = where === 'shared' ? this.state.shared : this.state.transient;
    const container = part['objectAttributes'];
    const next: JsonObject =
      container && typeof container === 'object' && !Array.isArray(container) ? { ...container } : {};
    setOwn(next, name, value);
    part['objectAttributes'] = next;
  }
}

/** Assigns without ever touching a prototype, whatever the key (`__proto__` from a script included). */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
