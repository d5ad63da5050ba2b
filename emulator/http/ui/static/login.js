/**
 * The login page at /am/XUI/ (login.html). It drives the real `/authenticate` protocol as AIC's
 * platform login UI does (platform-ui's packages/platform-login/src/views/Login/index.vue): each step's
 * callbacks as a form; on success it follows `goto` (when it stays on this site) or the answer's `successUrl`;
 * on failure it follows `gotoOnFail` (same rule), else `detail.failureUrl`, else it shows the error and a restart.
 */
import {
  el,
  clear,
  amCall,
  normalizeRealm,
  realmJsonPath,
  journeyUrl,
  sameSiteUrl,
  navigableUrl,
  errorMessage,
} from './common.js';
import { renderStep } from './callbacks.js';

const AUTHENTICATE_VERSION = 'protocol=1.0,resource=2.1';
const FORWARDED = ['authIndexType', 'authIndexValue', 'goto', 'gotoOnFail', 'ForceAuth', 'noSession', 'locale'];

const params = new URLSearchParams(window.location.search);
const realm = normalizeRealm(params.get('realm') || '/');
const query = new URLSearchParams();
for (const name of FORWARDED) if (params.has(name)) query.set(name, params.get(name));
// AIC's older links name the journey in the hash: #/service/<journey>.
const hashService = /^#\/service\/([^/?#]+)/.exec(window.location.hash);
if (hashService && !query.has('authIndexValue')) {
  query.set('authIndexType', 'service');
  query.set('authIndexValue', decodeURIComponent(hashService[1]));
}
const journey = query.get('authIndexType') === 'service' ? query.get('authIndexValue') : null;
const endpoint = realmJsonPath(realm) + '/authenticate' + (query.toString() ? '?' + query.toString() : '');

const main = document.getElementById('main');
const context = document.getElementById('context');
context.textContent = 'Realm ' + realm + (journey ? ' · journey ' + journey : ' · the realm’s default journey');
document.title = (journey || 'Sign In') + ' · aic-emulator';

function busy(text) {
  main.setAttribute('aria-busy', 'true');
  clear(main).append(el('p', { class: 'message info', role: 'status', text }));
}

function show(node) {
  main.removeAttribute('aria-busy');
  clear(main).append(node);
}

// A resume link (an Email Suspend node's): its suspendedId goes with the first /authenticate call
// only, and leaves the address bar, as platform-ui's login page does (views/Login/index.vue).
let suspendedId = params.get('suspendedId');
let resuming = false;
if (suspendedId) {
  const clean = new URL(window.location.href);
  clean.searchParams.delete('suspendedId');
  window.history.replaceState(null, '', clean.href);
}

async function post(body) {
  resuming = Boolean(suspendedId);
  const target = suspendedId
    ? endpoint + (endpoint.includes('?') ? '&' : '?') + 'suspendedId=' + encodeURIComponent(suspendedId)
    : endpoint;
  suspendedId = null;
  return amCall(target, { method: 'POST', version: AUTHENTICATE_VERSION, body });
}

async function start(notice) {
  busy('Starting…');
  handle(await post({}), notice);
}

function handle(answer, notice) {
  const { status, json } = answer;
  if (status === 200 && json && json.authId) return renderCallbacks(json, notice);
  if (status === 200 && json && typeof json.successUrl === 'string') return succeeded(json);
  if (status === 401) return failed(json, answer.headers && answer.headers.get('x-aic-emulator-run'));
  return showError(errorMessage(json, status));
}

function renderCallbacks(step, notice) {
  if ((step.callbacks || []).some((callback) => callback.type === 'SuspendedTextOutputCallback'))
    document.body.dataset.outcome = 'suspended';
  const view = renderStep(step, {
    notice,
    title: journey || 'Sign In',
    journeyHref: (name) => journeyUrl(realm, name),
    onSubmit: async (answered) => {
      busy('Please wait…');
      handle(await post(answered));
    },
  });
  show(view.form);
  view.focus();
  view.mounted();
}

function go(url, reason) {
  document.body.dataset.outcome = reason;
  busy('Redirecting…');
  window.location.assign(url);
}

function succeeded(json) {
  const goto = sameSiteUrl(params.get('goto'));
  const target = goto || navigableUrl(json.successUrl);
  if (target) return go(target, 'success');
  document.body.dataset.outcome = 'success';
  show(
    el(
      'div',
      { class: 'step' },
      el('h1', { text: 'You are signed in' }),
      el('p', { text: 'The journey gave no address to go to next.' }),
    ),
  );
}

function failed(json, runId) {
  const detail = (json && json.detail) || {};
  // A resume link that failed: used already, or expired (platform-ui offers the journey again).
  if (resuming) return showError('This link has expired or has already been used. Please start again.');
  if (detail.errorCode === '110') return start('Your sign-in session timed out. Please start again.');
  const gotoOnFail = sameSiteUrl(params.get('gotoOnFail'));
  if (gotoOnFail) return go(gotoOnFail, 'failure');
  const failureUrl = navigableUrl(detail.failureUrl);
  if (failureUrl) return go(failureUrl, 'failure');
  document.body.dataset.outcome = 'failure';
  showError(errorMessage(json, 401), runLink(runId));
}

/**
 * From a failure to its cause (issue 21): the run, which shows the node that decided it. The
 * emulator names it in a header of its own (x-aic-emulator-run); the console shows it to its
 * user (signed in in this browser: a failed sign-in of theirs is theirs once they are) and to the
 * trainer. Without the header (a tenant that keeps no runs), the newest failed run of this journey.
 */
function runLink(runId) {
  let href;
  if (runId && /^[0-9a-f-]{36}$/.test(runId)) href = '/__emulator/ui#/runs/' + runId;
  else {
    const query = new URLSearchParams({ status: 'failure' });
    if (journey) query.set('journey', journey);
    href = '/__emulator/ui#/runs/latest?' + query.toString();
  }
  return el(
    'p',
    { class: 'hint' },
    el('a', { id: 'failure-run', href, text: 'See why: the run, and the node that decided it' }),
  );
}

function showError(message, after) {
  const restart = el('button', { type: 'button', class: 'primary', text: 'Start again', onclick: () => start() });
  show(
    el(
      'div',
      { class: 'step' },
      el('h1', { text: journey || 'Sign In' }),
      el('p', { class: 'message error', role: 'alert', text: message }),
      after || null,
      el('div', { class: 'buttons' }, restart),
    ),
  );
  restart.focus();
}

start();
