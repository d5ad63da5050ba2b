/**
 * The two pages the authorize endpoint shows a browser: AM's "OAuth2 Error Page" (an error that
 * cannot go back to the client) and the form_post response mode's self-submitting form. Every
 * value is escaped.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);

export function errorPage(error: string, description: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>OAuth2 Error Page</title></head>
<body><h1>OAuth2 Error Page</h1><p>Error: ${escape(error)}</p><p>Description: ${escape(description)}</p></body></html>
`;
}

export function formPostPage(action: string, params: readonly (readonly [string, string])[]): string {
  const inputs = params
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Submit This Form</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escape(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>
`;
}
