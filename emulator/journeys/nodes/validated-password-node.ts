/**
 * Platform Password (AM: ValidatedPasswordNode.java). A PasswordCallback ("Password"), or with
 * validation a ValidatedCreatePasswordCallback. Transient `password` and
 * `objectAttributes.<passwordAttribute>` ← the value (transient: it is gone once the journey next
 * asks for input).
 */
import { Callbacks, stringValue } from '../../state/journeys/callbacks.js';
import { ask, outcome, type NodeType } from './node.js';

const POLICIES = {
  policyRequirements: [
    'VALID_TYPE',
    'MIN_LENGTH',
    'AT_LEAST_X_CAPITAL_LETTERS',
    'AT_LEAST_X_NUMBERS',
    'CANNOT_CONTAIN_OTHERS',
  ],
  fallbackPolicies: null,
  name: 'password',
  policies: [
    { policyRequirements: ['VALID_TYPE'], policyId: 'valid-type', params: { types: ['string'] } },
    { policyId: 'minimum-length', params: { minLength: 8 }, policyRequirements: ['MIN_LENGTH'] },
    { policyId: 'at-least-X-capitals', params: { numCaps: 1 }, policyRequirements: ['AT_LEAST_X_CAPITAL_LETTERS'] },
    { policyId: 'at-least-X-numbers', params: { numNums: 1 }, policyRequirements: ['AT_LEAST_X_NUMBERS'] },
  ],
  conditionalPolicies: null,
};

export const ValidatedPasswordNode: NodeType = {
  type: 'ValidatedPasswordNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const attribute =
      typeof context.config['passwordAttribute'] === 'string' ? context.config['passwordAttribute'] : 'password';
    const validate = context.config['validateInput'] === true;
    const answer = context.callbacks.find(
      (callback) => callback.type === (validate ? 'ValidatedCreatePasswordCallback' : 'PasswordCallback'),
    );
    const value = stringValue(answer);
    if (value === undefined || value === '')
      return ask([validate ? Callbacks.validatedPassword('Password', POLICIES) : Callbacks.password('Password')]);
    if (validate) {
      const failed: string[] = [];
      if (value.length < 8) failed.push('{"params":{"minLength":8},"policyRequirement":"MIN_LENGTH"}');
      if (!/[A-Z]/.test(value))
        failed.push('{"params":{"numCaps":1},"policyRequirement":"AT_LEAST_X_CAPITAL_LETTERS"}');
      if (!/[0-9]/.test(value)) failed.push('{"params":{"numNums":1},"policyRequirement":"AT_LEAST_X_NUMBERS"}');
      const validateOnly = answer?.values.get('validateOnly') === true || answer?.values.get('validateOnly') === 'true';
      if (failed.length > 0 || validateOnly) return ask([Callbacks.validatedPassword('Password', POLICIES, failed)]);
    }
    context.nodeState.putTransient('password', value);
    context.nodeState.putObjectAttribute('transient', attribute, value);
    return outcome('outcome');
  },
};
