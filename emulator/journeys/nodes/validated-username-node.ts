/**
 * Platform Username (AM: ValidatedUsernameNode.java). Without input validation it asks with a
 * NameCallback ("User Name"); with it, a ValidatedCreateUsernameCallback carrying the username
 * policies, and a `validateOnly` answer is checked and asked again. Shared `username` and
 * `objectAttributes.<usernameAttribute>` ← the value.
 */
import { Callbacks, stringValue } from '../../state/journeys/callbacks.js';
import { ask, outcome, type NodeType } from './node.js';

const POLICIES = {
  policyRequirements: [
    'REQUIRED',
    'VALID_TYPE',
    'VALID_USERNAME',
    'CANNOT_CONTAIN_CHARACTERS',
    'MIN_LENGTH',
    'MAX_LENGTH',
  ],
  fallbackPolicies: null,
  name: 'userName',
  policies: [
    { policyRequirements: ['REQUIRED'], policyId: 'required' },
    { policyRequirements: ['VALID_TYPE'], policyId: 'valid-type', params: { types: ['string'] } },
    { policyId: 'valid-username', policyRequirements: ['VALID_USERNAME'] },
    {
      policyId: 'cannot-contain-characters',
      params: { forbiddenChars: ['/'] },
      policyRequirements: ['CANNOT_CONTAIN_CHARACTERS'],
    },
    { policyId: 'minimum-length', params: { minLength: 1 }, policyRequirements: ['MIN_LENGTH'] },
    { policyId: 'maximum-length', params: { maxLength: 255 }, policyRequirements: ['MAX_LENGTH'] },
  ],
  conditionalPolicies: null,
};

export const ValidatedUsernameNode: NodeType = {
  type: 'ValidatedUsernameNode',
  outcomes: () => ['outcome'],
  async process(context) {
    const attribute =
      typeof context.config['usernameAttribute'] === 'string' ? context.config['usernameAttribute'] : 'userName';
    const validate = context.config['validateInput'] === true;
    const answer = context.callbacks.find(
      (callback) => callback.type === (validate ? 'ValidatedCreateUsernameCallback' : 'NameCallback'),
    );
    const value = stringValue(answer);
    const ask_ = (failed: string[] = []) =>
      ask([validate ? Callbacks.validatedUsername('Username', POLICIES, failed) : Callbacks.name('User Name')]);
    if (value === undefined || value.trim() === '')
      return ask_(answer && validate ? ['{"policyRequirement":"REQUIRED"}'] : []);
    if (validate) {
      const failed: string[] = [];
      if (value.includes('/'))
        failed.push('{"params":{"forbiddenChars":["/"]},"policyRequirement":"CANNOT_CONTAIN_CHARACTERS"}');
      if (value.length > 255) failed.push('{"params":{"maxLength":255},"policyRequirement":"MAX_LENGTH"}');
      const validateOnly = answer?.values.get('validateOnly') === true || answer?.values.get('validateOnly') === 'true';
      if (failed.length > 0 || validateOnly) return ask_(failed);
    }
    context.nodeState.putShared('username', value);
    context.nodeState.putObjectAttribute('shared', attribute, value);
    return outcome('outcome');
  },
};
