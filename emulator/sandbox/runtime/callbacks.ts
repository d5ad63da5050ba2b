import type { Rt, JavaList, ScriptCallback } from './types.js';

/**
 * Callbacks: what the client answered (next-gen `callbacks`, typed getters; legacy `callbacks`, a
 * list of the JDK callback objects) and the callbacks a script asks for (`callbacksBuilder`).
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installCallbacks(rt: Rt): void {
  const { input, Object: _Object, String: _String, Number: _Number } = rt;

  /** What the main thread turns into AM callbacks: a builder method and its arguments. */
  const builderCallbacks: ScriptCallback[] = [];

  function makeCallbacksBuilder(): object {
    const methods = [
      'nameCallback',
      'passwordCallback',
      'textOutputCallback',
      'scriptTextOutputCallback',
      'confirmationCallback',
      'choiceCallback',
      'hiddenValueCallback',
      'textInputCallback',
      'redirectCallback',
      'metadataCallback',
      'pollingWaitCallback',
      'suspendedTextOutputCallback',
      'stringAttributeInputCallback',
      'numberAttributeInputCallback',
      'booleanAttributeInputCallback',
      'validatedUsernameCallback',
      'validatedPasswordCallback',
      'termsAndConditionsCallback',
    ];
    const builder: any = {};
    for (const method of methods) {
      builder[method] = (...args: any[]) => {
        builderCallbacks.push({ method, args: args.map((arg) => rt.toJson(arg)) });
        rt.actionUsed = true;
      };
    }
    return _Object.freeze(builder);
  }

  const submitted = input.callbacks.map((callback) => ({
    type: callback.type,
    output: callback.output,
    value: (suffix = '') => {
      const entry = callback.values.find(([s]) => s === suffix);
      return entry ? entry[1] : null;
    },
    outputValue: (name: string) => callback.output.find((o) => o.name === name)?.value ?? null,
  }));
  const ofType = (...types: string[]) => submitted.filter((callback) => types.includes(callback.type));
  const asIndex = (value: any) =>
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? _Number(value.trim())
        : 0;
  const list = (items: readonly any[]) => new rt.JavaList(items);

  /** Next-gen `callbacks`: typed getters over what the client answered. */
  function makeScriptedCallbacks(): object {
    return _Object.freeze({
      isEmpty: () => submitted.length === 0,
      getNameCallbacks: () => list(ofType('NameCallback').map((c) => _String(c.value() ?? ''))),
      getPasswordCallbacks: () => list(ofType('PasswordCallback').map((c) => _String(c.value() ?? ''))),
      getTextInputCallbacks: () => list(ofType('TextInputCallback').map((c) => _String(c.value() ?? ''))),
      getConfirmationCallbacks: () => list(ofType('ConfirmationCallback').map((c) => asIndex(c.value()))),
      getChoiceCallbacks: () => list(ofType('ChoiceCallback').map((c) => [asIndex(c.value())])),
      getHiddenValueCallbacks: () =>
        new rt.JavaMap(
          ofType('HiddenValueCallback').map((c) => [_String(c.outputValue('id')), c.value()]),
          false,
        ),
      getStringAttributeInputCallbacks: () => list(ofType('StringAttributeInputCallback').map((c) => c.value())),
      getNumberAttributeInputCallbacks: () => list(ofType('NumberAttributeInputCallback').map((c) => c.value())),
      getBooleanAttributeInputCallbacks: () =>
        list(ofType('BooleanAttributeInputCallback').map((c) => c.value() === true || c.value() === 'true')),
      getValidatedUsernameCallbacks: () =>
        list(
          ofType('ValidatedCreateUsernameCallback').map((c) => ({
            value: c.value(),
            validateOnly: c.value('validateOnly') === true,
          })),
        ),
      getValidatedPasswordCallbacks: () =>
        list(
          ofType('ValidatedCreatePasswordCallback').map((c) => ({
            value: c.value(),
            validateOnly: c.value('validateOnly') === true,
          })),
        ),
      getTermsAndConditionsCallbacks: () =>
        list(ofType('TermsAndConditionsCallback').map((c) => c.value() === true || c.value() === 'true')),
    });
  }

  /** Legacy `callbacks`: a Java list of the JDK callback objects, answered. */
  function makeLegacyCallbacks(): JavaList {
    return list(
      submitted.map((c) => {
        switch (c.type) {
          case 'NameCallback':
            return { getName: () => c.value(), getPrompt: () => c.outputValue('prompt') };
          case 'PasswordCallback':
            return {
              getPassword: () => new rt.CharArray(_String(c.value() ?? '')),
              getPrompt: () => c.outputValue('prompt'),
            };
          case 'TextInputCallback':
            return { getText: () => c.value(), getPrompt: () => c.outputValue('prompt') };
          case 'ConfirmationCallback':
            return {
              getSelectedIndex: () => asIndex(c.value()),
              getOptions: () => list(c.outputValue('options') ?? []),
            };
          case 'ChoiceCallback':
            return {
              getSelectedIndexes: () => [asIndex(c.value())],
              getChoices: () => list(c.outputValue('choices') ?? []),
            };
          case 'HiddenValueCallback':
            return { getValue: () => c.value(), getId: () => c.outputValue('id') };
          case 'TextOutputCallback':
            return {
              getMessage: () => c.outputValue('message'),
              getMessageType: () => _Number(c.outputValue('messageType')),
            };
          default:
            return { getType: () => c.type, getValue: () => c.value() };
        }
      }),
    );
  }

  rt.builderCallbacks = builderCallbacks;
  rt.makeCallbacksBuilder = makeCallbacksBuilder;
  rt.makeScriptedCallbacks = makeScriptedCallbacks;
  rt.makeLegacyCallbacks = makeLegacyCallbacks;
}
