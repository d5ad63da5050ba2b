/**
 * Callbacks on the `/authenticate` wire (PingOne AIC docs' callback pages; AIC's login steps as
 * recorded in frodo-lib's test recordings; AM: MessageNode.java): what nodes ask for, how a step
 * renders them, and how the answers a client sends back are read.
 *
 * A step renders each callback as `{type, output: [{name, value}], input: [{name, value}], _id}`.
 * Input names are `IDToken<N>` where N is the callback's 1-based position among all the step's
 * callbacks (output-only ones count too), with a suffix for extra inputs (`IDToken1validateOnly`).
 */

export interface CallbackSpec {
  readonly type: string;
  readonly output: { name: string; value: unknown }[];
  /** Inputs by suffix: `''` is `IDToken<N>`, `'validateOnly'` is `IDToken<N>validateOnly`. */
  readonly inputs: { suffix: string; value: unknown }[];
}

/** A callback as the client sent it back: its type and its input values by suffix. */
export interface SubmittedCallback {
  readonly type: string;
  readonly output: { name: string; value: unknown }[];
  /** Input values by suffix (`''` for the main one). */
  readonly values: Map<string, unknown>;
}

export interface RenderedCallback {
  type: string;
  output: { name: string; value: unknown }[];
  input?: { name: string; value: unknown }[];
  _id: number;
}

export function renderCallbacks(callbacks: readonly CallbackSpec[]): RenderedCallback[] {
  return callbacks.map((callback, index) => ({
    type: callback.type,
    output: callback.output.map((output) => ({ ...output })),
    ...(callback.inputs.length > 0
      ? { input: callback.inputs.map((input) => ({ name: `IDToken${index + 1}${input.suffix}`, value: input.value })) }
      : {}),
    _id: index,
  }));
}

export class CallbackMismatch extends Error {}

/**
 * Reads the callbacks a client sent back against those the step asked for: same number, same
 * types, in order. Input values are taken by name (`IDToken<N>[suffix]`); a missing one keeps the
 * value the step offered.
 */
export function readSubmitted(sent: readonly CallbackSpec[], body: unknown): SubmittedCallback[] {
  if (!Array.isArray(body)) throw new CallbackMismatch('the request has no "callbacks" array');
  if (body.length !== sent.length)
    throw new CallbackMismatch(`the journey asked for ${sent.length} callbacks and the request answers ${body.length}`);
  return sent.map((spec, index) => {
    const raw = body[index] as { type?: unknown; input?: unknown } | null;
    if (!raw || typeof raw !== 'object') throw new CallbackMismatch(`callback ${index} is not an object`);
    if (raw.type !== spec.type)
      throw new CallbackMismatch(`callback ${index} should be a ${spec.type}, not ${String(raw.type)}`);
    const values = new Map<string, unknown>(spec.inputs.map((input) => [input.suffix, input.value]));
    const inputs = Array.isArray(raw.input) ? raw.input : [];
    for (const input of inputs) {
      if (!input || typeof input !== 'object') continue;
      const { name, value } = input as { name?: unknown; value?: unknown };
      if (typeof name !== 'string') continue;
      const match = /^IDToken(\d+)(.*)$/.exec(name);
      if (!match || Number(match[1]) !== index + 1) continue;
      const suffix = match[2] as string;
      if (values.has(suffix)) values.set(suffix, value);
    }
    return { type: spec.type, output: spec.output, values };
  });
}

const out = (name: string, value: unknown) => ({ name, value });

/**
 * The callbacks nodes and scripts build, with AM's JSON for each (AIC docs' callback pages, recorded
 * AIC steps, and the ForgeRock JavaScript SDK's mock responses, e2e/mock-api/src/app/responses.js).
 */
export const Callbacks = {
  name: (prompt: string, defaultName = ''): CallbackSpec => ({
    type: 'NameCallback',
    output: [out('prompt', prompt)],
    inputs: [{ suffix: '', value: defaultName }],
  }),
  password: (prompt: string): CallbackSpec => ({
    type: 'PasswordCallback',
    output: [out('prompt', prompt)],
    inputs: [{ suffix: '', value: '' }],
  }),
  /** messageType: 0 information, 1 warning, 2 error, 4 script (sent as a string). */
  textOutput: (messageType: number, message: string): CallbackSpec => ({
    type: 'TextOutputCallback',
    output: [out('message', message), out('messageType', String(messageType))],
    inputs: [],
  }),
  confirmation: (
    options: string[],
    defaultOption: number,
    messageType = 0,
    prompt = '',
    optionType = -1,
    /** The input's value as sent: AM's `selectedIndex` where a node set one (the Polling Wait node's 100). */
    selectedIndex = 0,
  ): CallbackSpec => ({
    type: 'ConfirmationCallback',
    output: [
      out('prompt', prompt),
      out('messageType', messageType),
      out('options', options),
      out('optionType', optionType),
      out('defaultOption', defaultOption),
    ],
    inputs: [{ suffix: '', value: selectedIndex }],
  }),
  choice: (prompt: string, choices: string[], defaultChoice: number): CallbackSpec => ({
    type: 'ChoiceCallback',
    output: [out('prompt', prompt), out('choices', choices), out('defaultChoice', defaultChoice)],
    inputs: [{ suffix: '', value: defaultChoice }],
  }),
  textInput: (prompt: string, defaultText = ''): CallbackSpec => ({
    type: 'TextInputCallback',
    output: [out('prompt', prompt), ...(defaultText ? [out('defaultText', defaultText)] : [])],
    inputs: [{ suffix: '', value: defaultText }],
  }),
  hiddenValue: (id: string, value: string): CallbackSpec => ({
    type: 'HiddenValueCallback',
    output: [out('value', value), out('id', id)],
    inputs: [{ suffix: '', value: id }],
  }),
  /**
   * AM's RestAuthRedirectCallbackHandler.convertToJson (its test, RestAuthRedirectCallbackHandlerTest):
   * redirectUrl, redirectMethod, trackingCookie, then redirectData when the callback has any (an
   * empty map included, null left out).
   */
  redirect: (
    redirectUrl: string,
    redirectMethod: string | null = 'GET',
    redirectData: Record<string, unknown> | null = null,
    trackingCookie = false,
  ): CallbackSpec => ({
    type: 'RedirectCallback',
    output: [
      out('redirectUrl', redirectUrl),
      out('redirectMethod', redirectMethod),
      out('trackingCookie', trackingCookie),
      ...(redirectData !== null ? [out('redirectData', redirectData)] : []),
    ],
    inputs: [],
  }),
  metadata: (data: unknown): CallbackSpec => ({ type: 'MetadataCallback', output: [out('data', data)], inputs: [] }),
  pollingWait: (waitTime: number, message: string): CallbackSpec => ({
    type: 'PollingWaitCallback',
    output: [out('waitTime', String(waitTime)), out('message', message)],
    inputs: [],
  }),
  suspendedTextOutput: (messageType: number, message: string): CallbackSpec => ({
    type: 'SuspendedTextOutputCallback',
    output: [out('message', message), out('messageType', String(messageType))],
    inputs: [],
  }),
  validatedUsername: (prompt: string, policies: unknown, failedPolicies: string[] = []): CallbackSpec => ({
    type: 'ValidatedCreateUsernameCallback',
    output: [
      out('policies', policies),
      out('failedPolicies', failedPolicies),
      out('validateOnly', false),
      out('prompt', prompt),
    ],
    inputs: [
      { suffix: '', value: '' },
      { suffix: 'validateOnly', value: false },
    ],
  }),
  validatedPassword: (prompt: string, policies: unknown, failedPolicies: string[] = []): CallbackSpec => ({
    type: 'ValidatedCreatePasswordCallback',
    output: [
      out('echoOn', false),
      out('policies', policies),
      out('failedPolicies', failedPolicies),
      out('validateOnly', false),
      out('prompt', prompt),
    ],
    inputs: [
      { suffix: '', value: '' },
      { suffix: 'validateOnly', value: false },
    ],
  }),
  attributeInput: (
    kind: 'String' | 'Boolean' | 'Number',
    name: string,
    prompt: string,
    value: unknown,
    required: boolean,
    failedPolicies: string[] = [],
  ): CallbackSpec => ({
    type: `${kind}AttributeInputCallback`,
    output: [
      out('name', name),
      out('prompt', prompt),
      out('required', required),
      out('policies', {}),
      out('failedPolicies', failedPolicies),
      out('validateOnly', false),
      out('value', value),
    ],
    inputs: [
      { suffix: '', value },
      { suffix: 'validateOnly', value: false },
    ],
  }),
  /**
   * A security question to define (AM's KbaCreateCallback; the ForgeRock SDKs' recorded steps:
   * output `prompt`, `predefinedQuestions`, `allowUserDefinedQuestions`; inputs
   * `IDToken<N>question` and `IDToken<N>answer`), with the values a re-sent step keeps.
   */
  kbaCreate: (
    prompt: string,
    predefinedQuestions: string[],
    allowUserDefinedQuestions: boolean,
    question = '',
    answer = '',
  ): CallbackSpec => ({
    type: 'KbaCreateCallback',
    output: [
      out('prompt', prompt),
      out('predefinedQuestions', predefinedQuestions),
      out('allowUserDefinedQuestions', allowUserDefinedQuestions),
    ],
    inputs: [
      { suffix: 'question', value: question },
      { suffix: 'answer', value: answer },
    ],
  }),
  termsAndConditions: (version: string, terms: string, createDate: string): CallbackSpec => ({
    type: 'TermsAndConditionsCallback',
    output: [out('version', version), out('terms', terms), out('createDate', createDate)],
    inputs: [{ suffix: '', value: false }],
  }),
} as const;

/** The selected index of a submitted ConfirmationCallback: a number or a numeric string (AM parses both). */
export function selectedIndex(callback: SubmittedCallback | undefined): number | undefined {
  const value = callback?.values.get('');
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function stringValue(callback: SubmittedCallback | undefined, suffix = ''): string | undefined {
  const value = callback?.values.get(suffix);
  // Whatever a client sent, as text (AM reads the JSON value as a string).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
}
