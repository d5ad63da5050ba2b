/**
 * Journey callbacks (AIC docs' callback pages; AIC's login steps as recorded by frodo's tests):
 * each is `{type, output: [{name, value}], input: [{name: "IDToken<N>[suffix]", value}], _id?}`. A
 * client answers a step by filling `input[].value` and posting the whole step back, so a callback
 * object here is a typed view over that JSON: it reads outputs by name and writes inputs in place.
 * Nothing is rebuilt on the way back, so a callback type this module does not know still
 * round-trips unchanged, and so does any field AM adds.
 */

export interface NameValue {
  name: string;
  value: unknown;
}

/** A callback as AM sends it. */
export interface CallbackJson {
  type: string;
  output: NameValue[];
  input?: NameValue[];
  _id?: number;
  [extra: string]: unknown;
}

/**
 * Any callback; the typed ones below add accessors for their outputs. `V` is what `setValue`
 * takes (`never` for output-only callbacks, which have nothing to set).
 */
export class Callback<V = unknown> {
  constructor(readonly json: CallbackJson) {}

  get type(): string {
    return this.json.type;
  }

  /** The `_id` AM numbers callbacks with (absent on some AIC journeys, as recorded in 2026). */
  get id(): number | undefined {
    return this.json._id;
  }

  get outputs(): readonly NameValue[] {
    return this.json.output;
  }

  get inputs(): readonly NameValue[] {
    return this.json.input ?? [];
  }

  /** The value of output `name`, or undefined. */
  getOutputValue(name: string): unknown {
    return this.json.output.find((output) => output.name === name)?.value;
  }

  /**
   * The input an answer goes to. `key` is a suffix (`''` for `IDToken<N>`, `'validateOnly'` for
   * `IDToken<N>validateOnly`) or a full input name.
   */
  private input(key: string): NameValue | undefined {
    const inputs = this.json.input ?? [];
    const exact = inputs.find((input) => input.name === key);
    if (exact) return exact;
    const bySuffix = inputs.find(
      (input) => /^IDToken\d+/.test(input.name) && input.name.replace(/^IDToken\d+/, '') === key,
    );
    if (bySuffix) return bySuffix;
    // Inputs not named IDToken<N> (custom callbacks): the first one is the main one.
    return key === '' ? inputs[0] : undefined;
  }

  getInputValue(key = ''): unknown {
    return this.input(key)?.value;
  }

  /** Sets input `key` (see {@link Callback.getInputValue}); throws when the callback has no such input. */
  setInputValue(value: unknown, key = ''): this {
    const input = this.input(key);
    if (!input) {
      const names = (this.json.input ?? []).map((item) => item.name);
      throw new TypeError(
        `${this.type} has no input ${key === '' ? '' : `"${key}" `}to set (inputs: ${names.length ? names.join(', ') : 'none'})`,
      );
    }
    input.value = value;
    return this;
  }

  /** Sets the callback's main input. */
  setValue(value: V): this {
    return this.setInputValue(value);
  }

  protected stringOutput(name: string): string | undefined {
    const value = this.getOutputValue(name);
    return typeof value === 'string' ? value : undefined;
  }

  protected numberOutput(name: string): number | undefined {
    const value = this.getOutputValue(name);
    if (typeof value === 'number') return value;
    // TextOutputCallback's messageType is a string on the wire ("0"); numbers elsewhere.
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    return undefined;
  }

  protected booleanOutput(name: string): boolean | undefined {
    const value = this.getOutputValue(name);
    return typeof value === 'boolean' ? value : undefined;
  }

  protected stringArrayOutput(name: string): string[] {
    const value = this.getOutputValue(name);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  }
}

/** Callbacks with a prompt. */
class PromptCallback<V> extends Callback<V> {
  get prompt(): string | undefined {
    return this.stringOutput('prompt');
  }
}

export class NameCallback extends PromptCallback<string> {
  setName(name: string): this {
    return this.setValue(name);
  }
}

export class PasswordCallback extends PromptCallback<string> {
  setPassword(password: string): this {
    return this.setValue(password);
  }
}

export class TextInputCallback extends PromptCallback<string> {
  get defaultText(): string | undefined {
    return this.stringOutput('defaultText');
  }
}

/** A message to show; nothing to answer. `messageType`: 0 information, 1 warning, 2 error, 4 script. */
export class TextOutputCallback extends Callback<never> {
  get message(): string | undefined {
    return this.stringOutput('message');
  }

  get messageType(): number | undefined {
    return this.numberOutput('messageType');
  }
}

/** Like TextOutputCallback, shown while a journey is suspended (an email link). */
export class SuspendedTextOutputCallback extends TextOutputCallback {}

/** Buttons: the answer is the index of the option chosen. */
export class ConfirmationCallback extends PromptCallback<number> {
  get options(): string[] {
    return this.stringArrayOutput('options');
  }

  get defaultOption(): number | undefined {
    return this.numberOutput('defaultOption');
  }

  get optionType(): number | undefined {
    return this.numberOutput('optionType');
  }

  get messageType(): number | undefined {
    return this.numberOutput('messageType');
  }

  setOptionIndex(index: number): this {
    return this.setValue(index);
  }

  /** Chooses the option with this label; throws if there is none. */
  setOption(label: string): this {
    const index = this.options.indexOf(label);
    if (index < 0)
      throw new TypeError(`ConfirmationCallback has no option "${label}" (options: ${this.options.join(', ')})`);
    return this.setValue(index);
  }
}

/** A list: the answer is the index of the choice. */
export class ChoiceCallback extends PromptCallback<number> {
  get choices(): string[] {
    return this.stringArrayOutput('choices');
  }

  get defaultChoice(): number | undefined {
    return this.numberOutput('defaultChoice');
  }

  setChoiceIndex(index: number): this {
    return this.setValue(index);
  }

  /** Chooses the entry with this label; throws if there is none. */
  setChoice(label: string): this {
    const index = this.choices.indexOf(label);
    if (index < 0) throw new TypeError(`ChoiceCallback has no choice "${label}" (choices: ${this.choices.join(', ')})`);
    return this.setValue(index);
  }
}

/** A hidden form field: `id` names it, `value` is what the server put in it; the input defaults to the id. */
export class HiddenValueCallback extends Callback<string> {
  get fieldId(): string | undefined {
    return this.stringOutput('id');
  }

  get value(): string | undefined {
    return this.stringOutput('value');
  }
}

/** Send the user agent elsewhere; nothing to answer. */
export class RedirectCallback extends Callback<never> {
  get redirectUrl(): string | undefined {
    return this.stringOutput('redirectUrl');
  }

  get redirectMethod(): string | undefined {
    return this.stringOutput('redirectMethod');
  }

  get redirectData(): Record<string, unknown> | undefined {
    const value = this.getOutputValue('redirectData');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  }

  get trackingCookie(): boolean | undefined {
    return this.booleanOutput('trackingCookie');
  }
}

/** Data for the client (journey metadata); nothing to answer. */
export class MetadataCallback extends Callback<never> {
  get data(): unknown {
    return this.getOutputValue('data');
  }
}

/** Wait and resubmit; nothing to answer. `waitTime` in milliseconds (a string on the wire). */
export class PollingWaitCallback extends Callback<never> {
  get waitTime(): number | undefined {
    return this.numberOutput('waitTime');
  }

  get message(): string | undefined {
    return this.stringOutput('message');
  }
}

/** IDM-validated inputs share `policies`, `failedPolicies` and a `validateOnly` input. */
class PolicyCallback<V> extends PromptCallback<V> {
  get policies(): unknown {
    return this.getOutputValue('policies');
  }

  /** As AM sends them: usually JSON strings, one per failed policy. */
  get failedPolicies(): unknown[] {
    const value = this.getOutputValue('failedPolicies');
    return Array.isArray(value) ? (value as unknown[]) : [];
  }

  /** Asks AM to check the value against the policies without moving the journey on. */
  setValidateOnly(validateOnly: boolean): this {
    return this.setInputValue(validateOnly, 'validateOnly');
  }
}

export class ValidatedCreateUsernameCallback extends PolicyCallback<string> {}

export class ValidatedCreatePasswordCallback extends PolicyCallback<string> {
  get echoOn(): boolean | undefined {
    return this.booleanOutput('echoOn');
  }
}

/** An attribute of the user's profile (Attribute Collector): `name` is the attribute, `value` its current value. */
class AttributeInputCallback<V> extends PolicyCallback<V> {
  get attributeName(): string | undefined {
    return this.stringOutput('name');
  }

  get required(): boolean | undefined {
    return this.booleanOutput('required');
  }

  get currentValue(): unknown {
    return this.getOutputValue('value');
  }
}

export class StringAttributeInputCallback extends AttributeInputCallback<string> {}
export class BooleanAttributeInputCallback extends AttributeInputCallback<boolean> {}
export class NumberAttributeInputCallback extends AttributeInputCallback<number> {}

/** A security question and its answer (inputs `IDToken<N>question` and `IDToken<N>answer`). */
export class KbaCreateCallback extends PromptCallback<{ question: string; answer: string }> {
  get predefinedQuestions(): string[] {
    return this.stringArrayOutput('predefinedQuestions');
  }

  setQuestion(question: string): this {
    return this.setInputValue(question, 'question');
  }

  setAnswer(answer: string): this {
    return this.setInputValue(answer, 'answer');
  }

  override setValue(value: { question: string; answer: string }): this {
    return this.setQuestion(value.question).setAnswer(value.answer);
  }
}

/** Terms to accept: the answer is `true` when the user accepts them. */
export class TermsAndConditionsCallback extends Callback<boolean> {
  get version(): string | undefined {
    return this.stringOutput('version');
  }

  get terms(): string | undefined {
    return this.stringOutput('terms');
  }

  get createDate(): string | undefined {
    return this.stringOutput('createDate');
  }

  setAccepted(accepted: boolean): this {
    return this.setValue(accepted);
  }
}

/** The callback class for each type name this module knows. */
export interface CallbackTypeMap {
  NameCallback: NameCallback;
  PasswordCallback: PasswordCallback;
  TextInputCallback: TextInputCallback;
  TextOutputCallback: TextOutputCallback;
  SuspendedTextOutputCallback: SuspendedTextOutputCallback;
  ConfirmationCallback: ConfirmationCallback;
  ChoiceCallback: ChoiceCallback;
  HiddenValueCallback: HiddenValueCallback;
  RedirectCallback: RedirectCallback;
  MetadataCallback: MetadataCallback;
  PollingWaitCallback: PollingWaitCallback;
  ValidatedCreateUsernameCallback: ValidatedCreateUsernameCallback;
  ValidatedCreatePasswordCallback: ValidatedCreatePasswordCallback;
  StringAttributeInputCallback: StringAttributeInputCallback;
  BooleanAttributeInputCallback: BooleanAttributeInputCallback;
  NumberAttributeInputCallback: NumberAttributeInputCallback;
  KbaCreateCallback: KbaCreateCallback;
  TermsAndConditionsCallback: TermsAndConditionsCallback;
}

export type CallbackType = keyof CallbackTypeMap;

/** What `setValue` of a callback type takes. */
export type CallbackValue<K extends CallbackType> = CallbackTypeMap[K] extends Callback<infer V> ? V : never;

const CLASSES: { [K in CallbackType]: new (json: CallbackJson) => CallbackTypeMap[K] } = {
  NameCallback,
  PasswordCallback,
  TextInputCallback,
  TextOutputCallback,
  SuspendedTextOutputCallback,
  ConfirmationCallback,
  ChoiceCallback,
  HiddenValueCallback,
  RedirectCallback,
  MetadataCallback,
  PollingWaitCallback,
  ValidatedCreateUsernameCallback,
  ValidatedCreatePasswordCallback,
  StringAttributeInputCallback,
  BooleanAttributeInputCallback,
  NumberAttributeInputCallback,
  KbaCreateCallback,
  TermsAndConditionsCallback,
};

export function isKnownCallbackType(type: string): type is CallbackType {
  return Object.hasOwn(CLASSES, type);
}

/** The typed view of a callback; a type this module does not know gets the plain {@link Callback}. */
export function createCallback(json: CallbackJson): Callback {
  const type = json.type;
  if (isKnownCallbackType(type)) return new CLASSES[type](json);
  return new Callback(json);
}
