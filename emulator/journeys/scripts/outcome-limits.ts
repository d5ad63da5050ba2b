/**
 * What a script hands back is checked before a journey takes it: its shape (the runtime wrote it,
 * but inside the script's engine, where the script could have changed what the runtime calls),
 * and its size. Paused journeys keep their state for minutes, the runs view keeps it for the
 * console, and every later node copies it, so a script's state is bounded here, with a journey
 * error that says which limit it passed (docs/fidelity.md, "Script limits": AIC documents none).
 */
import { NodeProcessException } from '../nodes/node.js';
import type { ScriptOutcome } from '../../sandbox/protocol.js';

/** The node state a script may leave (shared, transient and secure together), as JSON characters. */
export const MAX_STATE_CHARS = 1024 * 1024;
/** Callbacks one script may ask for. */
export const MAX_SCRIPT_CALLBACKS = 100;
/** Log lines kept from one run (the runtime keeps no more either). */
export const MAX_LOG_LINES = 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function malformed(what: string): never {
  throw new NodeProcessException(`the script's result is not well formed: ${what}`);
}

export function checkOutcome(value: unknown): ScriptOutcome {
  if (!isObject(value)) malformed('not an object');
  const { outcome, action, builderCallbacks, state, missingOutputs, config, logs } = value;
  if (!isObject(outcome) || typeof outcome['set'] !== 'boolean' || typeof outcome['type'] !== 'string')
    malformed('outcome');
  if (!isObject(config) || typeof config['set'] !== 'boolean' || typeof config['type'] !== 'string')
    malformed('config');
  if (!isObject(state) || !isObject(state['shared']) || !isObject(state['transient']) || !isObject(state['secure']))
    malformed('state');
  if (!isStringArray(missingOutputs)) malformed('missingOutputs');
  if (
    !Array.isArray(logs) ||
    !logs.every((line) => isObject(line) && typeof line['level'] === 'string' && typeof line['message'] === 'string')
  )
    malformed('logs');
  if (!Array.isArray(builderCallbacks) || !builderCallbacks.every(isCallback)) malformed('callbacks');
  if (action !== null && !isAction(action)) malformed('action');
  let callbacks = builderCallbacks.length;
  if (isObject(action))
    callbacks += (action['callbacks'] as unknown[]).length + (action['legacyCallbacks'] as unknown[]).length;
  if (callbacks > MAX_SCRIPT_CALLBACKS)
    throw new NodeProcessException(
      `the script asked for ${callbacks} callbacks, more than the limit of ${MAX_SCRIPT_CALLBACKS}`,
    );
  if (logs.length > MAX_LOG_LINES) malformed('logs');
  const stateChars = JSON.stringify(state).length;
  if (stateChars > MAX_STATE_CHARS) {
    throw new NodeProcessException(
      `the node state the script left (${stateChars} characters of JSON) is larger than the limit of ${MAX_STATE_CHARS}`,
    );
  }
  return value as unknown as ScriptOutcome;
}

function isCallback(value: unknown): boolean {
  return isObject(value) && typeof value['method'] === 'string' && Array.isArray(value['args']);
}

function isAction(value: unknown): boolean {
  if (!isObject(value)) return false;
  const {
    callbacks,
    legacyCallbacks,
    sessionProperties,
    removedSessionProperties,
    goTo,
    maxSessionTime,
    maxIdleTime,
    identifiedUser,
  } = value;
  if (!Array.isArray(callbacks) || !callbacks.every(isCallback)) return false;
  if (!Array.isArray(legacyCallbacks) || !legacyCallbacks.every(isCallback)) return false;
  if (!isObject(sessionProperties) || !Object.values(sessionProperties).every((item) => typeof item === 'string'))
    return false;
  if (!isStringArray(removedSessionProperties)) return false;
  if (goTo !== undefined && typeof goTo !== 'string') return false;
  // A timeout the script gave as something other than a number arrives as null (NaN in JSON).
  if (maxSessionTime !== undefined && maxSessionTime !== null && typeof maxSessionTime !== 'number') return false;
  if (maxIdleTime !== undefined && maxIdleTime !== null && typeof maxIdleTime !== 'number') return false;
  if (identifiedUser !== undefined && typeof identifiedUser !== 'string') return false;
  for (const key of ['errorMessage', 'lockoutMessage', 'header', 'description', 'stage'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return false;
  }
  return true;
}
