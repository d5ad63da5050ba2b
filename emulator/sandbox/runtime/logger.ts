import type { Rt } from './types.js';

/**
 * `logger`: legacy (`message`, `warning`, `error`) and next-gen (SLF4J's levels), with `{}`
 * placeholders; what is logged is kept, bounded, for finish.
 *
 * Runs inside the engine, as text (index.ts): it may use only `rt` and the engine's globals.
 */
export function installLogger(rt: Rt): void {
  const { Object: _Object, String: _String, Array: _Array, Error: _Error } = rt;
  const logs: { level: string; message: string }[] = [];
  // What a run may log: enough for any real script, bounded for a hostile one (and within the
  // runs view's 2000-character line, so the truncation note shows).
  const MAX_LOG_LINES = 1000;
  const MAX_LOG_CHARS = 1900;

  function format(template: any, args: any[]): string {
    let index = 0;
    const text = _String(template).replace(/\{\}/g, () => (index < args.length ? _String(args[index++]) : '{}'));
    return text;
  }

  function record(level: string, args: any[]): void {
    if (logs.length >= MAX_LOG_LINES) return;
    const [first, ...rest] = args;
    const message = format(
      first instanceof _Error ? `${first.name}: ${first.message}` : first,
      rest.length === 1 && _Array.isArray(rest[0]) ? rest[0] : rest,
    );
    logs.push({
      level,
      message:
        message.length > MAX_LOG_CHARS ? `${message.slice(0, MAX_LOG_CHARS)}… (${message.length} characters)` : message,
    });
  }

  function makeLogger(): object {
    if (rt.legacy) {
      return _Object.freeze({
        message: (...args: any[]) => record('message', args),
        warning: (...args: any[]) => record('warning', args),
        error: (...args: any[]) => record('error', args),
        messageEnabled: () => true,
        warningEnabled: () => true,
        errorEnabled: () => true,
      });
    }
    return _Object.freeze({
      trace: () => undefined,
      debug: (...args: any[]) => record('debug', args),
      info: (...args: any[]) => record('info', args),
      warn: (...args: any[]) => record('warn', args),
      error: (...args: any[]) => record('error', args),
      isTraceEnabled: () => false,
      isDebugEnabled: () => true,
      isInfoEnabled: () => true,
      isWarnEnabled: () => true,
      isErrorEnabled: () => true,
      getName: () => rt.input.loggerName,
    });
  }

  rt.logs = logs;
  rt.makeLogger = makeLogger;
}
