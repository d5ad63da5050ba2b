/**
 * The callbacks scripts ask for, by the `callbacksBuilder` method (next-gen) or the JDK class
 * (legacy `Action.send(new NameCallback(...))`) that made them, turned into AM's callback JSON.
 */
import { Callbacks, type CallbackSpec } from '../../state/journeys/callbacks.js';
import { NodeProcessException } from './node.js';

export interface ScriptCallback {
  method: string;
  args: unknown[];
}

// As Rhino prints a script's value: an object is `[object Object]` there too.
// eslint-disable-next-line @typescript-eslint/no-base-to-string
const str = (value: unknown, fallback = '') => (value === undefined || value === null ? fallback : String(value));
const int = (value: unknown, fallback = 0) =>
  typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
const list = (value: unknown) => (Array.isArray(value) ? value.map((item) => String(item)) : []);

/** JDK ConfirmationCallback option types → the options they show. */
const OPTION_TYPES: Record<number, string[]> = { 0: ['Yes', 'No'], 1: ['Yes', 'No', 'Cancel'], 2: ['OK', 'Cancel'] };

function confirmation(args: unknown[]): CallbackSpec {
  // (messageType, options[], default) | (prompt, messageType, options[], default)
  // | (messageType, optionType, default) | (prompt, messageType, optionType, default)
  const withPrompt = typeof args[0] === 'string';
  const [prompt, messageType, optionsOrType, defaultOption] = withPrompt ? args : ['', ...args];
  if (Array.isArray(optionsOrType))
    return Callbacks.confirmation(list(optionsOrType), int(defaultOption), int(messageType), str(prompt));
  const optionType = int(optionsOrType);
  return Callbacks.confirmation(
    OPTION_TYPES[optionType] ?? [],
    int(defaultOption),
    int(messageType),
    str(prompt),
    optionType,
  );
}

export function scriptCallback(callback: ScriptCallback): CallbackSpec {
  const a = callback.args;
  switch (callback.method) {
    case 'nameCallback':
      return Callbacks.name(str(a[0]), str(a[1]));
    case 'passwordCallback':
      return Callbacks.password(str(a[0]));
    case 'textOutputCallback':
      return Callbacks.textOutput(int(a[0]), str(a[1]));
    case 'scriptTextOutputCallback':
      return Callbacks.textOutput(4, str(a[0]));
    case 'confirmationCallback':
      return confirmation(a);
    case 'choiceCallback':
      return Callbacks.choice(str(a[0]), list(a[1]), int(a[2]));
    case 'hiddenValueCallback':
      return Callbacks.hiddenValue(str(a[0]), str(a[1]));
    case 'textInputCallback':
      return Callbacks.textInput(str(a[0]), str(a[1]));
    case 'redirectCallback':
      // (url, data, method[, statusParameter, redirectBackUrlCookie]); the legacy RedirectCallback
      // adds its trackingCookie sixth (sandbox/runtime/java.ts).
      return Callbacks.redirect(
        str(a[0]),
        a[2] === undefined || a[2] === null ? null : str(a[2]),
        a[1] && typeof a[1] === 'object' && !Array.isArray(a[1]) ? (a[1] as Record<string, unknown>) : null,
        a[5] === true,
      );
    case 'metadataCallback':
      return Callbacks.metadata(a[0] ?? {});
    case 'pollingWaitCallback':
      return Callbacks.pollingWait(int(a[0], 8000), str(a[1]));
    case 'suspendedTextOutputCallback':
      return Callbacks.suspendedTextOutput(int(a[0]), str(a[1]));
    case 'stringAttributeInputCallback':
      return Callbacks.attributeInput('String', str(a[0]), str(a[1]), str(a[2]), a[3] === true);
    case 'numberAttributeInputCallback':
      return Callbacks.attributeInput(
        'Number',
        str(a[0]),
        str(a[1]),
        typeof a[2] === 'number' ? a[2] : null,
        a[3] === true,
      );
    case 'booleanAttributeInputCallback':
      return Callbacks.attributeInput('Boolean', str(a[0]), str(a[1]), a[2] === true, a[3] === true);
    case 'validatedUsernameCallback':
      return Callbacks.validatedUsername(str(a[0], 'Username'), a[1] ?? {});
    case 'validatedPasswordCallback':
      return Callbacks.validatedPassword(str(a[0], 'Password'), a[2] ?? {});
    case 'termsAndConditionsCallback':
      return Callbacks.termsAndConditions(str(a[0]), str(a[1]), str(a[2]));
    default:
      throw new NodeProcessException(
        `the script asked for a callback the emulator does not support: ${callback.method}`,
      );
  }
}
