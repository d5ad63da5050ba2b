// Helpers shared by the workshop pages.

/** The AM JSON base path of a realm: `/alpha` → /am/json/realms/root/realms/alpha. */
export function amPath(realm) {
  const names = String(realm || '/').split('/').filter((name) => name !== '' && name !== 'root');
  return '/am/json/realms/root' + names.map((name) => '/realms/' + encodeURIComponent(name)).join('');
}

/** A request to AM from the page: the browser's cookies, the version header, JSON both ways. */
export async function amFetch(url, options) {
  const headers = { 'accept-api-version': options.version, 'x-requested-with': 'forgerock-sdk' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: options.method || 'GET', credentials: 'include', headers: headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  let json = {};
  try {
    json = await response.json();
  } catch {
    json = {};
  }
  return { status: response.status, json: json };
}

/** Makes an element: attributes, then children (strings become text). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue;
    if (name === 'value') node.value = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
