/**
 * QuickJS's error messages in Rhino's words, where scripts and their authors meet them most
 * (AIC runs scripts on Rhino, whose messages journey developers search for).
 * Anything not listed keeps QuickJS's own wording, prefixed by the error's name.
 */
export function rhinoMessage(
  name: string,
  message: string,
  source: string,
  position: { line: number; column: number } | undefined,
): string {
  let match = /^cannot read property '([^']*)' of (null|undefined)$/.exec(message);
  if (match) return `TypeError: Cannot read property "${match[1]}" from ${match[2]}`;
  // A computed key (`u[k]`): QuickJS does not say which; Rhino would.
  match = /^cannot read property of (null|undefined)$/.exec(message);
  if (match) return `TypeError: Cannot read property from ${match[1]}`;
  match = /^'([^']*)' is not defined$/.exec(message);
  if (match) return `ReferenceError: "${match[1]}" is not defined.`;
  match = /^cannot set property '([^']*)' of (null|undefined)$/.exec(message);
  if (match) return `TypeError: Cannot set property "${match[1]}" of ${match[2]}`;
  if (name === 'TypeError' && message === 'not a function') {
    // QuickJS does not name the function; its position does: the name just before the call.
    const called = position ? calledName(source, position) : undefined;
    return called ? `TypeError: Cannot find function ${called}.` : 'TypeError: not a function';
  }
  if (name === 'Error' && message !== '' && !message.includes(':')) return `Error: ${message}`;
  return name ? `${name}: ${message}` : message;
}

/** The identifier right before the `(` at a 1-based line and column of the source, if any. */
function calledName(source: string, position: { line: number; column: number }): string | undefined {
  let offset = 0;
  for (let line = 1; line < position.line; line += 1) {
    const next = source.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  let end = offset + position.column - 1;
  // The column points at the call's `(`; step back over spaces to the name's last character.
  while (end > offset && /\s/.test(source[end - 1] ?? '')) end -= 1;
  let start = end;
  while (start > offset && start > end - 256 && /[\w$]/.test(source[start - 1] ?? '')) start -= 1;
  const name = source.slice(start, end);
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
}
