/**
 * What the login pages, the end-user page and the console share (ES modules run by the browser,
 * served as they are from /__emulator/ui/assets/): a DOM builder, realm paths, AM calls with the
 * browser's cookie jar, and the redirect rule for `goto`/`gotoOnFail`.
 */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * el('p', {class: 'x', text: 'hello', onclick: fn, 'aria-label': 'y'}, child, 'text', [more])
 * Children may be nodes, strings, arrays, or null/undefined/false (skipped).
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

function setAttributes(node, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class')
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in node && !(node instanceof SVGElement)) node.value = String(value);
    else if (
      name === 'checked' ||
      name === 'disabled' ||
      name === 'required' ||
      name === 'open' ||
      name === 'selected'
    ) {
      if (value) node.setAttribute(name, '');
      node[name] = Boolean(value);
    } else node.setAttribute(name, value === true ? '' : String(value));
  }
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** '/alpha', 'alpha', '/alpha/' -> '/alpha'; '', 'root', '/' -> '/'. */
export function normalizeRealm(realm) {
  let path = String(realm || '').trim();
  if (path === '' || path === 'root' || path === '/root') return '/';
  if (!path.startsWith('/')) path = '/' + path;
  path = path.replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

/** The realm's AM REST prefix: '/alpha' -> '/am/json/realms/root/realms/alpha'. */
export function realmJsonPath(realm) {
  const parts = normalizeRealm(realm).split('/').filter(Boolean);
  return '/am/json/realms/root' + parts.map((part) => '/realms/' + encodeURIComponent(part)).join('');
}

/** The realm as the control API names it in a path: '/' -> 'root', '/alpha' -> 'alpha'. */
export function realmName(realm) {
  const path = normalizeRealm(realm);
  return path === '/' ? 'root' : path.slice(1);
}

/** The login page URL of a journey. */
export function journeyUrl(realm, journey, extra) {
  const query = new URLSearchParams();
  query.set('realm', normalizeRealm(realm));
  if (journey) {
    query.set('authIndexType', 'service');
    query.set('authIndexValue', journey);
  }
  for (const [name, value] of Object.entries(extra || {}))
    if (value !== undefined && value !== null) query.set(name, value);
  return '/am/XUI/?' + query.toString().replace(/%2F/g, '/');
}

/**
 * An AM call as AIC's own UI makes it: JSON, the browser's cookies (credentials: 'include'),
 * the Accept-API-Version it names. Answers {status, json} and never throws for an HTTP status;
 * a network failure is {status: 0, json: {message}}.
 */
export async function amCall(path, options) {
  const init = {
    method: options.method || 'POST',
    credentials: 'include',
    cache: 'no-store',
    headers: { 'Accept-API-Version': options.version, 'X-Requested-With': 'forgerock-sdk' },
  };
  if (options.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  return fetchJson(path, init);
}

/**
 * fetch, answering {status, json, headers}: the body parsed as JSON (undefined when empty,
 * {message: text} when it is not JSON); a network failure is {status: 0, json: {message}}. Never throws.
 */
export async function fetchJson(path, init) {
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return {
      status: 0,
      json: { message: 'The emulator did not answer (' + (error && error.message ? error.message : error) + ')' },
    };
  }
  const text = await response.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    json = { message: text };
  }
  return { status: response.status, json, headers: response.headers };
}

/**
 * goto / gotoOnFail are followed only when they stay on this site (a relative path, or this
 * page's origin), as AM's redirect validation allows the tenant's own URLs only.
 */
export function sameSiteUrl(value) {
  if (typeof value !== 'string' || value === '') return undefined;
  let url;
  try {
    url = new URL(value, window.location.href);
  } catch (error) {
    return undefined;
  }
  if (url.origin !== window.location.origin) return undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href;
}

/** A URL the page may navigate to: http(s) only (a journey's URL is data, not script). */
export function navigableUrl(value) {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch (error) {
    return undefined;
  }
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

export function errorMessage(json, status) {
  if (json && typeof json.message === 'string' && json.message !== '') return json.message;
  return status ? 'The request failed (HTTP ' + status + ')' : 'The request failed';
}
