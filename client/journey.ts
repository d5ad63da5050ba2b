/**
 * A journey on `/authenticate` (AIC docs, "Log in over REST"): each answer is either a step
 * (`authId` and callbacks to fill) or the end (`tokenId`, `successUrl`, `realm`). A failed journey
 * is an `AmError` (401 `Login failure`, with `detail.failureUrl` when the journey set one), thrown
 * by the client, so the result type only has the two shapes a journey can continue with.
 */
import {
  createCallback,
  type Callback,
  type CallbackJson,
  type CallbackType,
  type CallbackTypeMap,
  type CallbackValue,
} from './callbacks.js';

/** A step as AM sends it: `authId`, `callbacks`, and optionally `header`, `description`, `stage`, `template`. */
export interface StepJson {
  authId: string;
  callbacks: CallbackJson[];
  header?: string;
  description?: string;
  stage?: string;
  template?: string;
  [extra: string]: unknown;
}

/** Values for {@link JourneyStep.fill}: one value for the first callback of a type, or an array for several in order. */
export type FillValues = { [K in CallbackType]?: CallbackValue<K> | CallbackValue<K>[] } & Record<string, unknown>;

export class JourneyStep {
  readonly type = 'step' as const;
  /** The step's JSON, with the answers filled in so far; `next()` posts it back as it is. */
  readonly json: StepJson;
  readonly callbacks: readonly Callback[];
  /**
   * The `/authenticate` path and query the journey started with. Continuations go to the same URL,
   * as AIC's SDK and UI post them, so that `authIndexType`/`authIndexValue` and options such as
   * `noSession` or `ForceAuth` hold for the whole journey.
   */
  readonly path: string;

  constructor(json: StepJson, path: string) {
    this.json = structuredClone(json);
    this.callbacks = this.json.callbacks.map((callback) => createCallback(callback));
    this.path = path;
  }

  get authId(): string {
    return this.json.authId;
  }

  get header(): string | undefined {
    return typeof this.json.header === 'string' ? this.json.header : undefined;
  }

  get description(): string | undefined {
    return typeof this.json.description === 'string' ? this.json.description : undefined;
  }

  get stage(): string | undefined {
    return typeof this.json.stage === 'string' ? this.json.stage : undefined;
  }

  /** The types of the step's callbacks, in order. */
  get callbackTypes(): string[] {
    return this.callbacks.map((callback) => callback.type);
  }

  /** All callbacks of a type, in order. */
  callbacksOf<K extends CallbackType>(type: K): CallbackTypeMap[K][];
  callbacksOf(type: string): Callback[];
  callbacksOf(type: string): Callback[] {
    return this.callbacks.filter((callback) => callback.type === type);
  }

  /** The `nth` (0-based) callback of a type; throws, naming what the step has, when there is none. */
  callback<K extends CallbackType>(type: K, nth?: number): CallbackTypeMap[K];
  callback(type: string, nth?: number): Callback;
  callback(type: string, nth = 0): Callback {
    const found = this.callbacksOf(type)[nth];
    if (!found)
      throw new TypeError(
        `the step has no ${type}${nth > 0 ? ` #${nth}` : ''} (callbacks: ${this.callbackTypes.join(', ') || 'none'})`,
      );
    return found;
  }

  /**
   * Fills callbacks by type: `step.fill({ NameCallback: 'demo', PasswordCallback: 'secret' })`.
   * An array fills several callbacks of a type in order:
   * `{ BooleanAttributeInputCallback: [true, false] }`.
   */
  fill(values: FillValues): this {
    for (const [type, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const targets = this.callbacksOf(type);
      const list = Array.isArray(value) ? value : [value];
      if (list.length > targets.length) {
        throw new TypeError(
          `the step has ${targets.length} ${type} and ${list.length} values were given (callbacks: ${this.callbackTypes.join(', ')})`,
        );
      }
      list.forEach((item, index) => (targets[index] as Callback).setValue(item));
    }
    return this;
  }

  toJSON(): StepJson {
    return this.json;
  }
}

/** The end of a successful journey. `tokenId` is absent with `noSession=true`. */
export interface JourneySuccess {
  readonly type: 'success';
  readonly tokenId: string | undefined;
  readonly successUrl: string;
  readonly realm: string;
}

export type JourneyResult = JourneyStep | JourneySuccess;

/** Reads an answer of `/authenticate`; undefined when it is neither a step nor a success. */
export function toJourneyResult(body: unknown, path: string): JourneyResult | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record['authId'] === 'string' && Array.isArray(record['callbacks']))
    return new JourneyStep(record as StepJson, path);
  if (typeof record['successUrl'] === 'string' || typeof record['tokenId'] === 'string') {
    return {
      type: 'success',
      tokenId: typeof record['tokenId'] === 'string' ? record['tokenId'] : undefined,
      successUrl: typeof record['successUrl'] === 'string' ? record['successUrl'] : '',
      realm: typeof record['realm'] === 'string' ? record['realm'] : '',
    };
  }
  return undefined;
}

/**
 * `login()` is a one-request (zero-page) login; when the journey asks for more than a username and
 * password (a second factor, terms, progressive profiling), this is thrown with the step, which
 * `client.next(error.step)` continues.
 */
export class AmLoginIncompleteError extends Error {
  override readonly name = 'AmLoginIncompleteError';
  readonly step: JourneyStep;

  constructor(step: JourneyStep) {
    super(`the journey asks for more than a username and password: ${step.callbackTypes.join(', ')}`);
    this.step = step;
  }
}
