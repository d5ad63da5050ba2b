/**
 * Request bodies read as JSON, by the AM routes and the control API alike. The server takes every
 * body raw, whatever its content type (server.ts); a route that reads one as JSON reads it here:
 * no body (or only whitespace) is undefined, a body nested too deep or that is not JSON is a 400.
 * The two APIs word those 400s differently (AM's messages are CREST's), hence `messages`.
 */
import { AmError } from './am/errors.js';

/** The deepest nesting of arrays and objects accepted in a JSON body (Jackson's default). */
export const MAX_JSON_NESTING = 1000;

export interface JsonBodyMessages {
  /** The body is not JSON. */
  readonly notJson: string;
  /** The body nests arrays and objects deeper than MAX_JSON_NESTING. */
  readonly tooDeep: string;
}

/** A body refused by readJsonBody; `problem` says why, for a route that answers one of them otherwise. */
export class JsonBodyError extends AmError {
  constructor(
    readonly problem: 'not-json' | 'too-deep',
    message: string,
  ) {
    super(400, message);
  }
}

/**
 * The body as JSON, or undefined when there is none. `raw` is what the server's body parser
 * handed on: a Buffer, or undefined for a request without a body.
 */
export function readJsonBody(raw: unknown, messages: JsonBodyMessages): unknown {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  // Jackson refuses documents nested deeper than 1000 levels (StreamReadConstraints). The
  // emulator needs the same bound: V8 parses far deeper nesting than JSON.stringify and
  // structuredClone can walk, so a deep value kept from a body (journey state, a fault, a user)
  // would later fail with a stack overflow, a 500. Checked before parsing.
  // A text shorter than the limit cannot open that many arrays and objects: no need to look.
  if (text.length > MAX_JSON_NESTING && jsonNestingExceeds(text, MAX_JSON_NESTING))
    throw new JsonBodyError('too-deep', messages.tooDeep);
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonBodyError('not-json', messages.notJson);
  }
}

/**
 * True when a JSON text nests arrays and objects deeper than `limit`. Counted in one pass
 * without recursion (brackets inside strings do not count), before the text is parsed.
 */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return false;
}
