/**
 * The emulator console at /__emulator/ui (console.html), a page over the control API (same-origin
 * fetches under /__emulator/). Views by hash: #/sessions, #/users, #/journeys[/<realm>/<name>],
 * #/runs[?user&journey&status][/<id>|/latest], #/journal, #/outbox[?to=<address>], #/clock, #/faults, #/stubs,
 * #/esvs, #/oauth2[?user=<_id>], #/tenant, #/handout.
 *
 * Two roles (issue 21). The trainer has the control API (its token beyond loopback) and every view.
 * An attendee opens the console in the browser they signed in with: without the token, the console
 * reads `/__emulator/me/...` with their session cookie and shows their own sessions, runs, journal
 * and mail, nothing else, and nothing that changes the tenant. Views where things change under the
 * trainer's eyes refresh by themselves (polling, REFRESH_MS), as does the store's status line.
 */
import { el, append, clear, pretty, journeyUrl, normalizeRealm, realmName, errorMessage, fetchJson } from './common.js';
import { drawJourney } from './journey-svg.js';

const main = document.getElementById('main');
/** Appends children, skipping null/undefined/false (Node.append would write "null"). */
const put = (node, ...children) => append(node, children);
const liveStatus = document.getElementById('status');

/**
 * Beyond loopback (or when configured) the control API needs its token, printed at start: open
 * the console once with ?token=<token>, or enter it when asked; it is kept for this browser tab
 * and taken out of the address bar.
 */
const TOKEN_KEY = 'aic-emulator-token';
const TOKEN_HEADER = 'x-aic-emulator-token';
{
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

class ApiError extends Error {
  constructor(status, json) {
    super(errorMessage(json, status));
    this.status = status;
    this.json = json;
  }
}

/** A control API call: '/__emulator/' + path; throws ApiError with AM's message on 4xx/5xx. */
async function api(path, options) {
  const opts = options || {};
  const init = { method: opts.method || 'GET', cache: 'no-store', headers: { Accept: 'application/json' } };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) init.headers[TOKEN_HEADER] = token;
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  const { status, json } = await fetchJson('/__emulator/' + path, init);
  if (status < 200 || status > 299) throw new ApiError(status, json);
  return json;
}

// ---------------------------------------------------------------- roles

/** 'trainer' (the control API answers), 'attendee' (only the session cookie's own view), or 'none'. */
let role = 'trainer';
/** The attendee's `GET me`: {user, session}. */
let me;
/** Why the control API refused this browser (its 401), shown to a browser with no role. */
let refusal;
const ATTENDEE_VIEWS = new Set(['sessions', 'runs', 'journal', 'outbox']);

async function detectRole() {
  try {
    await api('clock');
    role = 'trainer';
    return;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      role = 'trainer';
      return;
    }
    refusal = error;
  }
  const answer = await fetchJson('/__emulator/me', { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (answer.status === 200) {
    role = 'attendee';
    me = answer.json;
  } else role = 'none';
  for (const item of document.querySelectorAll('nav a[data-view]'))
    item.parentElement.hidden = role !== 'trainer' && !(role === 'attendee' && ATTENDEE_VIEWS.has(item.dataset.view));
  const who = document.getElementById('who');
  if (who)
    who.textContent =
      role === 'attendee'
        ? 'Signed in as ' + me.user.userName + ' · your own view'
        : 'Not signed in · no control token';
}

/** A data path of the role's: an attendee reads their own under `me/`. */
const dataPath = (path) => (role === 'attendee' ? 'me/' + path : path);

/** Where an attendee signs in to come back here (the sign-in page follows a same-site goto). */
function signInHref() {
  return (
    '/am/XUI/?realm=/alpha&goto=' +
    encodeURIComponent(window.location.pathname + window.location.search + window.location.hash)
  );
}

/** What a browser without the token and without a session is offered: the token, or a sign-in. */
function noAccess(section) {
  put(
    section,
    refusal ? errorBox(refusal) : null,
    notice('Attendees: sign in to see your own sessions and runs. The trainer: enter the control token.'),
    el('p', {}, el('a', { class: 'button primary', id: 'attendee-sign-in', href: signInHref(), text: 'Sign in' })),
    tokenForm(),
  );
}

/**
 * Asks before a destructive action, naming what it will remove (issue 21); false when declined.
 * The browser's own dialog: keyboard- and screen-reader-friendly, and it cannot be clicked through.
 */
function confirmed(message) {
  return window.confirm(message);
}

const plural = (count, one, many) => count + ' ' + (count === 1 ? one : many || one + 's');

// ---------------------------------------------------------------- refreshing by itself

const REFRESH_MS = 2000;
/** What the current view watches: a probe whose answer changing re-renders it. */
let watched;

/** The view re-renders by itself when `probe()`'s answer differs from `initial` (what it shows). */
function watch(probe, initial) {
  watched = { mine: generation, probe, last: JSON.stringify(initial) };
}

/** What the view's fields hold: when it changes, the user is typing, and the view is not replaced. */
function fieldValues() {
  return JSON.stringify(
    [...main.querySelectorAll('input, select, textarea')].map((field) =>
      field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value,
    ),
  );
}

function typing() {
  return watched !== undefined && watched.fields !== undefined && watched.fields !== fieldValues();
}

async function refreshTick() {
  refreshStoreStatus();
  const current = watched;
  if (!current || current.mine !== generation || typing() || document.hidden) return;
  let now;
  try {
    now = JSON.stringify(await current.probe());
  } catch (error) {
    return;
  }
  if (current !== watched || current.mine !== generation || now === current.last) return;
  const scroll = window.scrollY;
  await render({ quiet: true });
  window.scrollTo(0, scroll);
}

/** The store's state in the header (issue 20's readiness probe, which needs no token). */
async function refreshStoreStatus() {
  const line = document.getElementById('store-status');
  if (!line) return;
  let answer;
  try {
    answer = await fetchJson('/__emulator/ready', { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (error) {
    answer = { status: 0, json: undefined };
  }
  const checks = (answer.json && (answer.json.checks || (answer.json.detail && answer.json.detail.checks))) || {};
  const failing = Object.entries(checks)
    .filter(([, check]) => check && check.ok === false)
    .map(([name, check]) => name + ': ' + (check.detail || 'not ok'));
  const ready = answer.status === 200;
  line.dataset.state = ready ? 'ready' : 'unavailable';
  line.textContent = ready
    ? 'Store ready' + (Object.keys(checks).length ? ' (' + Object.keys(checks).join(', ') + ')' : '')
    : answer.status === 0
      ? 'The emulator does not answer'
      : 'Store unavailable' + (failing.length ? ': ' + failing.join('; ') : '');
}

function announce(text) {
  liveStatus.textContent = '';
  liveStatus.textContent = text;
}

const errorBox = (error) =>
  el('p', { class: 'message error', role: 'alert', text: error instanceof Error ? error.message : String(error) });
const notice = (text, kind) => el('p', { class: ['message', kind || 'info'], role: 'status', text });

/** Runs an action from a button: disables it, reports errors next to it, then calls done(). */
function action(label, run, options) {
  const opts = options || {};
  const button = el('button', {
    type: opts.submit ? 'submit' : 'button',
    class: opts.class || 'secondary',
    text: label,
    'aria-label': opts.ariaLabel,
  });
  if (!opts.submit) button.addEventListener('click', () => perform(button, run, opts.feedback));
  return button;
}

async function perform(button, run, feedback) {
  button.disabled = true;
  if (feedback) clear(feedback);
  try {
    await run();
  } catch (error) {
    if (feedback && feedback.isConnected) feedback.append(errorBox(error));
    else if (button.isConnected) button.after(errorBox(error));
    announce(error.message);
  } finally {
    button.disabled = false;
  }
}

function table(caption, headers, rows, options) {
  const opts = options || {};
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { class: opts.class, id: opts.id },
      el('caption', { text: caption }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          headers.map((header) => el('th', { scope: 'col', text: header })),
        ),
      ),
      el('tbody', {}, rows),
    ),
  );
}

/** A tenant time: the time of day shown, the whole ISO time in the tooltip and datetime. */
function timeCell(iso, extra) {
  if (!iso) return el('td');
  const text = String(iso)
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return el(
    'td',
    { class: 'nowrap' },
    el('time', { datetime: iso, title: iso + (extra ? ' · ' + extra : ''), text: text.slice(11) }),
  );
}

const cell = (value, cls) => el('td', { class: cls, text: value === undefined || value === null ? '' : String(value) });
const mono = (value) => cell(value, 'mono');
const jsonDetails = (label, value, open) =>
  el('details', { class: 'json', open }, el('summary', { text: label }), el('pre', { text: pretty(value) }));

function field(label, input) {
  if (!input.id) input.id = 'f-' + Math.random().toString(36).slice(2);
  return el(
    'div',
    { class: input.type === 'checkbox' ? 'field checkbox' : 'field' },
    input.type === 'checkbox'
      ? [input, el('label', { for: input.id, text: label })]
      : [el('label', { for: input.id, text: label }), input],
  );
}

function realmOptions(realms, selected, includeAll) {
  return [
    includeAll ? el('option', { value: '', text: 'All realms', selected: !selected }) : null,
    realms.map((realm) => el('option', { value: realm.path, text: realm.path, selected: selected === realm.path })),
  ];
}

let tenantCache;
async function tenant(refresh) {
  if (!tenantCache || refresh) tenantCache = await api('tenant');
  return tenantCache;
}

function heading(section, title, intro) {
  put(section, el('h1', { id: 'view-title', text: title }));
  if (intro) put(section, el('p', { class: 'hint', text: intro }));
  document.title = title + ' · aic-emulator console';
}

// ---------------------------------------------------------------- sessions

async function mySessionsView(section) {
  heading(
    section,
    'Your sessions',
    'The sessions of ' + me.user.userName + ' (_id ' + me.user._id + '), as AM keeps them.',
  );
  const load = async () => (await api('me/sessions')).result;
  const sessions = await load();
  put(
    section,
    el('p', {
      role: 'status',
      id: 'session-count',
      text: sessions.length ? plural(sessions.length, 'session') + '.' : 'No sessions: you are signed out everywhere.',
    }),
    sessions.length
      ? table(
          'Your sessions',
          ['userName', '_id (username)', 'Journey', 'Signed in', 'Idle timeout', 'Expires'],
          sessions.map((s) =>
            el(
              'tr',
              { dataset: { handle: s.sessionHandle, username: s.username } },
              cell(s.userName),
              mono(s.username),
              cell(s.service),
              timeCell(s.creationTime),
              timeCell(s.maxIdleExpirationTime, 'last access ' + s.latestAccessTime),
              timeCell(s.maxSessionExpirationTime),
            ),
          ),
          { id: 'sessions-table' },
        )
      : null,
  );
  watch(load, sessions);
}

async function sessionsView(section, route) {
  if (role === 'attendee') return mySessionsView(section);
  heading(
    section,
    'Sessions',
    'Find a user’s sessions by their _id (Users › Raw JSON) or their userName, as in the AM console’s Sessions tab.',
  );
  const q = (route.query.get('q') || '').trim();
  const realm = route.query.get('realm') || '';
  const { realms } = await tenant();
  const search = el('input', {
    id: 'session-search',
    type: 'search',
    value: q,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'e.g. 25cff7e1-… or demo',
  });
  const realmSelect = el('select', { id: 'session-realm' }, realmOptions(realms, realm, true));
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Sessions' },
    field('User _id or userName', search),
    field('Realm', realmSelect),
    el(
      'div',
      { class: 'buttons' },
      el('button', { type: 'submit', class: 'primary', text: 'Search' }),
      el('a', { class: 'button secondary', href: '#/sessions', text: 'Show all' }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (search.value.trim()) query.set('q', search.value.trim());
    if (realmSelect.value) query.set('realm', realmSelect.value);
    const target = '#/sessions' + (query.toString() ? '?' + query.toString() : '');
    if (window.location.hash === target) render();
    else window.location.hash = target;
  });
  const results = el('div', { id: 'session-results' });
  put(section, form, results);

  const realmQuery = realm ? '&realm=' + encodeURIComponent(realm) : '';
  const fetchSessions = async () => {
    let sessions;
    if (q) {
      const [byId, byName] = await Promise.all([
        api('sessions?username=' + encodeURIComponent(q) + realmQuery),
        api('sessions?userName=' + encodeURIComponent(q) + realmQuery),
      ]);
      const seen = new Set();
      sessions = [...byId.result, ...byName.result].filter(
        (s) => !seen.has(s.sessionHandle) && seen.add(s.sessionHandle),
      );
    } else {
      sessions = (await api('sessions' + (realm ? '?realm=' + encodeURIComponent(realm) : ''))).result;
    }
    sessions.sort((a, b) => String(a.creationTime).localeCompare(String(b.creationTime)));
    return sessions;
  };
  const load = async (known) => {
    const sessions = known || (await fetchSessions());
    watch(fetchSessions, sessions);
    const feedback = el('div');
    const users = [...new Set(sessions.map((s) => s.userName || s.username))];
    const invalidateAll = action(
      q ? 'Invalidate all sessions of “' + q + '”' : 'Invalidate all sessions',
      async () => {
        if (
          !confirmed(
            'Invalidate ' +
              plural(sessions.length, 'session') +
              ' of ' +
              plural(users.length, 'user') +
              ' (' +
              users.slice(0, 10).join(', ') +
              (users.length > 10 ? ', …' : '') +
              ')? They are signed out and must sign in again.',
          )
        )
          return;
        if (q) {
          await api('sessions?username=' + encodeURIComponent(q) + realmQuery, { method: 'DELETE' });
          await api('sessions?userName=' + encodeURIComponent(q) + realmQuery, { method: 'DELETE' });
        } else await api('sessions' + (realm ? '?realm=' + encodeURIComponent(realm) : ''), { method: 'DELETE' });
        announce('Sessions invalidated');
        await load();
      },
      { class: 'danger', feedback },
    );
    const rows = sessions.map((s) =>
      el(
        'tr',
        { dataset: { handle: s.sessionHandle, username: s.username } },
        cell(s.userName),
        mono(s.username),
        cell(s.realm),
        cell(s.service),
        timeCell(s.creationTime),
        timeCell(s.maxIdleExpirationTime, 'last access ' + s.latestAccessTime),
        timeCell(s.maxSessionExpirationTime),
        el('td', { class: 'mono truncate', title: s.sessionHandle, text: s.sessionHandle }),
        el(
          'td',
          {},
          action(
            'Invalidate',
            async () => {
              if (
                !confirmed(
                  'Invalidate the session of ' + (s.userName || s.username) + ' signed in at ' + s.creationTime + '?',
                )
              )
                return;
              await api('sessions/' + encodeURIComponent(s.sessionHandle), { method: 'DELETE' });
              announce('Session invalidated');
              await load();
            },
            {
              class: 'danger small',
              ariaLabel: 'Invalidate the session of ' + (s.userName || s.username) + ' created ' + s.creationTime,
              feedback,
            },
          ),
        ),
      ),
    );
    const summary =
      sessions.length === 0
        ? el('p', {
            class: 'empty',
            role: 'status',
            id: 'session-count',
            text: q ? 'No sessions found for “' + q + '”.' : 'No sessions.',
          })
        : el('p', {
            role: 'status',
            id: 'session-count',
            text:
              sessions.length + (sessions.length === 1 ? ' session' : ' sessions') + (q ? ' of “' + q + '”' : '') + '.',
          });
    put(
      clear(results),
      summary,
      feedback,
      sessions.length
        ? table(
            q ? 'Sessions of ' + q : 'All sessions',
            [
              'userName',
              '_id (username)',
              'Realm',
              'Journey',
              'Signed in',
              'Idle timeout',
              'Expires',
              'Session handle',
              '',
            ],
            rows,
            { id: 'sessions-table' },
          )
        : null,
      el(
        'div',
        { class: 'buttons' },
        action('Refresh', () => load()),
        sessions.length ? invalidateAll : null,
      ),
    );
  };
  await load();
  if (!q) search.focus();
}

// ---------------------------------------------------------------- users

async function usersView(section) {
  heading(
    section,
    'Users',
    'The tenant’s identities (passwords are never shown). A user’s _id is what AM’s Sessions search and logoutByUser take.',
  );
  const { realms } = await tenant();
  const { result } = await api('users');
  const rows = result.map((user) =>
    el(
      'tr',
      { dataset: { id: user._id } },
      cell(user.userName),
      mono(user._id),
      cell(user.realm),
      cell([user.givenName, user.sn].filter(Boolean).join(' ')),
      cell(user.mail),
      cell(user.admin ? 'admin' : ''),
      el('td', {}, el('a', { href: '#/sessions?q=' + encodeURIComponent(user._id), text: 'Sessions' })),
      el('td', {}, jsonDetails('Raw JSON', user)),
    ),
  );
  put(
    section,
    table(result.length + ' users', ['userName', '_id', 'Realm', 'Name', 'Email', '', '', ''], rows, {
      id: 'users-table',
    }),
  );

  const inputs = {
    realm: el('select', {}, realmOptions(realms, '/alpha', false)),
    userName: el('input', { required: true, autocomplete: 'off' }),
    password: el('input', { type: 'password', required: true, autocomplete: 'new-password' }),
    givenName: el('input', { autocomplete: 'off' }),
    sn: el('input', { autocomplete: 'off' }),
    mail: el('input', { type: 'email', autocomplete: 'off' }),
    // What the Single Logout journeys read, filled in so that a user added here takes the how-to's
    // Success branches (issue 21): an external token (Part 2), a logout URL the room can reach (Part 4).
    frUnindexedString2: el('input', { autocomplete: 'off', value: 'workshop-external-token' }),
    frUnindexedString3: el('input', {
      autocomplete: 'off',
      value: '/am/XUI/?realm=/alpha&authIndexType=service&authIndexValue=Login',
    }),
  };
  const feedback = el('div');
  const form = el(
    'form',
    { class: 'stacked' },
    field('Realm', inputs.realm),
    field('userName', inputs.userName),
    field('Password', inputs.password),
    field('givenName', inputs.givenName),
    field('sn', inputs.sn),
    field('mail', inputs.mail),
    field('frUnindexedString2 (the external application’s token, Part 2)', inputs.frUnindexedString2),
    field('frUnindexedString3 (the logout URL, Part 4)', inputs.frUnindexedString3),
    feedback,
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Add the user' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(
      form.querySelector('button[type=submit]'),
      async () => {
        const body = {};
        for (const [name, input] of Object.entries(inputs)) if (input.value !== '') body[name] = input.value;
        const created = await api('users', { method: 'POST', body });
        announce('User ' + created.userName + ' added');
        await render();
      },
      feedback,
    );
  });
  put(
    section,
    el('details', { class: 'card' }, el('summary', { text: 'Add a user (one per workshop attendee)' }), form),
    attendeesForm(realms),
  );
}

// ---------------------------------------------------------------- attendees and their handout

const HANDOUT_KEY = 'aic-emulator-handout';

/** The attendees this tab created, with their passwords (kept for the tab only: no answer shows them again). */
function handoutList() {
  try {
    return JSON.parse(sessionStorage.getItem(HANDOUT_KEY) || '[]');
  } catch (error) {
    return [];
  }
}

/** Users for a workshop in one go (POST users/bulk): a count, or a CSV; then their handout. */
function attendeesForm(realms) {
  const realm = el('select', { id: 'attendees-realm' }, realmOptions(realms, '/alpha', false));
  const count = el('input', { id: 'attendees-count', type: 'number', min: '1', max: '500', step: '1', value: '' });
  const prefix = el('input', { id: 'attendees-prefix', value: 'attendee', autocomplete: 'off' });
  const csv = el('textarea', {
    id: 'attendees-csv',
    rows: '4',
    placeholder: 'userName,password,givenName,sn,mail (one line each; only userName is needed)',
  });
  const feedback = el('div');
  const form = el(
    'form',
    { class: 'stacked' },
    el('p', {
      class: 'hint',
      text:
        'Each attendee gets a password made for them (unless the CSV gives one) and what the Single Logout ' +
        'journeys read (frUnindexedString2, the external token; frUnindexedString3, the logout URL), so the ' +
        'how-to takes its Success branches. Their passwords are shown once, on the handout.',
    }),
    field('Realm', realm),
    field('How many attendees', count),
    field('Prefix of their user names', prefix),
    field('Or a CSV', csv),
    feedback,
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Add the attendees' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(
      form.querySelector('button[type=submit]'),
      async () => {
        const body = { realm: realm.value };
        if (csv.value.trim()) body.csv = csv.value;
        else {
          body.count = Number(count.value);
          body.prefix = prefix.value.trim();
        }
        const answer = await api('users/bulk', { method: 'POST', body });
        const kept = handoutList().concat(answer.created.map((user) => ({ ...user, realm: answer.realm })));
        sessionStorage.setItem(HANDOUT_KEY, JSON.stringify(kept));
        announce(plural(answer.created.length, 'attendee') + ' added');
        window.location.hash = '#/handout';
      },
      feedback,
    );
  });
  return el(
    'details',
    { class: 'card' },
    el('summary', { text: 'Add attendees (a count or a CSV) and print their handout' }),
    form,
  );
}

/** The trainer's printable handout: each attendee's credentials and the addresses they use. */
async function handoutView(section) {
  heading(
    section,
    'Handout',
    'One card per attendee this browser tab added: print it (the browser’s Print) and hand out the cards.',
  );
  const attendees = handoutList();
  const settings = await tenant();
  const port = window.location.port ? ':' + window.location.port : '';
  const origins = [window.location.origin].concat(
    settings.hosts.map((host) => window.location.protocol + '//' + host + port),
  );
  const origin = el('input', { id: 'handout-origin', list: 'handout-origins', value: window.location.origin });
  const list = el(
    'datalist',
    { id: 'handout-origins' },
    [...new Set(origins)].map((value) => el('option', { value })),
  );
  const cards = el('div', { class: 'handout', id: 'handout-cards' });
  const draw = () => {
    const base = origin.value.replace(/\/+$/, '');
    put(
      clear(cards),
      attendees.map((attendee) =>
        el(
          'article',
          { class: 'card handout-card', dataset: { user: attendee.userName } },
          el('h2', { text: [attendee.givenName, attendee.sn].filter(Boolean).join(' ') || attendee.userName }),
          el(
            'dl',
            { class: 'facts' },
            el('dt', { text: 'User name' }),
            el('dd', { class: 'mono', text: attendee.userName }),
            el('dt', { text: 'Password' }),
            el('dd', { class: 'mono', text: attendee.password }),
            el('dt', { text: 'Sign in' }),
            el('dd', {
              class: 'mono',
              text: base + '/am/XUI/?realm=' + attendee.realm + '&authIndexType=service&authIndexValue=Login',
            }),
            el('dt', { text: 'Your page' }),
            el('dd', { class: 'mono', text: base + '/enduser/?realm=' + attendee.realm }),
            el('dt', { text: 'Your sessions and runs' }),
            el('dd', { class: 'mono', text: base + '/__emulator/ui' }),
          ),
        ),
      ),
    );
  };
  origin.addEventListener('input', draw);
  draw();
  put(
    section,
    attendees.length
      ? el(
          'div',
          { class: 'toolbar no-print' },
          field('Address the attendees use', origin),
          list,
          el(
            'div',
            { class: 'buttons' },
            action('Print', async () => window.print(), { class: 'primary' }),
            action(
              'Forget this list',
              async () => {
                if (
                  !confirmed(
                    'Forget the ' +
                      plural(attendees.length, 'attendee') +
                      ' of this handout? Their passwords are not shown anywhere else (the users stay).',
                  )
                )
                  return;
                sessionStorage.removeItem(HANDOUT_KEY);
                await render();
              },
              { class: 'danger' },
            ),
          ),
        )
      : el('p', { class: 'empty', text: 'No attendees added from this tab yet: Users › Add attendees.' }),
    cards,
  );
}

// ---------------------------------------------------------------- journeys

function problemList(problems) {
  if (!problems.length) return el('p', { class: 'message success', id: 'lint-findings', text: 'No problems found.' });
  return el(
    'ul',
    { class: 'problems', id: 'lint-findings' },
    problems.map((problem) =>
      el(
        'li',
        { class: problem.severity },
        el('span', { class: ['badge', problem.severity], text: problem.severity }),
        ' ',
        [problem.journey, problem.node, problem.script].filter(Boolean).join(' › '),
        problem.journey || problem.node ? ': ' : '',
        problem.message,
      ),
    ),
  );
}

async function journeysView(section, route) {
  if (route.segments.length >= 3) return journeyView(section, route.segments[1], route.segments.slice(2).join('/'));
  heading(
    section,
    'Journeys',
    'The journeys of each realm, with what AIC would reject in them. Open one to see its drawing and its recent runs.',
  );
  const realm = route.query.get('realm') || '';
  const { result } = await api('journeys' + (realm ? '?realm=' + encodeURIComponent(realm) : ''));
  const rows = result.map((journey) => {
    const errors = journey.problems.filter((p) => p.severity === 'error').length;
    const warnings = journey.problems.length - errors;
    return el(
      'tr',
      { dataset: { journey: journey.name, realm: journey.realm } },
      el(
        'td',
        {},
        el('a', {
          href: '#/journeys/' + encodeURIComponent(realmName(journey.realm)) + '/' + encodeURIComponent(journey.name),
          text: journey.name,
        }),
      ),
      cell(journey.realm),
      cell(journey.description),
      cell(journey.nodes),
      el(
        'td',
        {},
        errors || warnings
          ? el('span', {
              class: ['badge', errors ? 'error' : 'warning'],
              text:
                (errors ? errors + ' error' + (errors > 1 ? 's' : '') : '') +
                (errors && warnings ? ', ' : '') +
                (warnings ? warnings + ' warning' + (warnings > 1 ? 's' : '') : ''),
            })
          : el('span', { class: 'badge ok', text: 'clean' }),
      ),
      cell(journey.enabled ? '' : 'disabled'),
      el(
        'td',
        {},
        el('a', {
          href: journeyUrl(journey.realm, journey.name),
          text: 'Run',
          'aria-label': 'Run ' + journey.name + ' in ' + journey.realm,
        }),
      ),
    );
  });
  put(
    section,
    table(result.length + ' journeys', ['Journey', 'Realm', 'Description', 'Nodes', 'Lint', '', ''], rows, {
      id: 'journeys-table',
    }),
  );
}

async function journeyView(section, realm, name) {
  const detail = await api('journeys/' + encodeURIComponent(realm) + '/' + encodeURIComponent(name));
  const tree = detail.tree;
  heading(section, name, tree.description || undefined);
  const selected = el(
    'div',
    { class: 'node-detail', 'aria-live': 'polite' },
    el('p', { class: 'hint', text: 'Select a node (click, or Tab then Enter) to see its configuration.' }),
  );
  const select = (nodeId) => {
    const node = tree.nodes[nodeId];
    put(
      clear(selected),
      el('h3', { text: node.displayName + ' (' + node.nodeType + ')' }),
      el('pre', {
        text: pretty({
          id: nodeId,
          connections: node.connections,
          config: detail.nodes[nodeId] ? detail.nodes[nodeId].config : null,
        }),
      }),
    );
  };
  put(
    section,
    el(
      'p',
      { class: 'meta' },
      'Realm ' +
        detail.realm +
        ' · ' +
        Object.keys(tree.nodes).length +
        ' nodes' +
        (tree.enabled ? '' : ' · disabled') +
        ' · ',
      el('a', {
        class: 'button primary small',
        id: 'run-journey',
        href: journeyUrl(detail.realm, name),
        text: 'Run it',
      }),
      ' ',
      el('a', { href: '#/journeys', text: 'All journeys' }),
    ),
    el(
      'div',
      { class: 'drawing' },
      drawJourney(tree, { configs: detail.nodes, stubbed: detail.stubbed, onSelect: select }),
    ),
    stubLegend(detail.stubbed),
    selected,
    el('h2', { text: 'Lint findings' }),
    problemList(detail.problems),
  );
  const runs = (await api('runs')).result.filter((run) => run.journey === name && run.realm === detail.realm).reverse();
  put(
    section,
    el('h2', { text: 'Recent runs' }),
    runs.length
      ? el(
          'ul',
          { class: 'runs' },
          runs.slice(0, 20).map((run) =>
            el(
              'li',
              {},
              el('a', {
                href: '#/runs/' + run.id,
                text: run.startedAt + ' · ' + run.status + (run.user ? ' · ' + run.user.userName : ''),
              }),
            ),
          ),
        )
      : el('p', { class: 'empty', text: 'No runs yet.' }),
  );
}

// ---------------------------------------------------------------- runs

const statusBadge = (status) =>
  el('span', {
    class: [
      'badge',
      status === 'success' ? 'ok' : status === 'in-progress' || status === 'suspended' ? 'info' : 'error',
    ],
    text: status,
  });

const RUN_STATUSES = ['', 'in-progress', 'suspended', 'success', 'failure', 'error'];

/** The runs query of a route's filters (user only for the trainer: an attendee's are theirs). */
function runsQuery(query) {
  const params = new URLSearchParams();
  for (const name of role === 'attendee' ? ['journey', 'status'] : ['user', 'journey', 'status'])
    if (query.get(name)) params.set(name, query.get(name));
  return params.toString();
}

async function runsView(section, route) {
  if (route.segments[1] === 'latest') return latestRunView(section, route);
  if (route.segments[1]) return runView(section, route.segments[1]);
  heading(
    section,
    role === 'attendee' ? 'Your runs' : 'Runs',
    'Journey runs, newest first: open one to see the path it took, each node’s state changes and its scripts’ logs.',
  );
  const inputs = {
    user: el('input', { id: 'runs-user', type: 'search', value: route.query.get('user') || '', autocomplete: 'off' }),
    journey: el('input', {
      id: 'runs-journey',
      type: 'search',
      value: route.query.get('journey') || '',
      autocomplete: 'off',
    }),
    status: el(
      'select',
      { id: 'runs-status' },
      RUN_STATUSES.map((status) =>
        el('option', { value: status, selected: status === (route.query.get('status') || ''), text: status || 'any' }),
      ),
    ),
  };
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Runs' },
    role === 'attendee' ? null : field('User (_id or userName)', inputs.user),
    field('Journey', inputs.journey),
    field('Status', inputs.status),
    el(
      'div',
      { class: 'buttons' },
      el('button', { type: 'submit', class: 'primary', text: 'Filter' }),
      el('a', { class: 'button secondary', href: '#/runs', text: 'Show all' }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, input] of Object.entries(inputs)) if (input.value.trim()) query.set(name, input.value.trim());
    const target = '#/runs' + (runsQuery(query) ? '?' + runsQuery(query) : '');
    if (window.location.hash === target) render();
    else window.location.hash = target;
  });
  const queryString = runsQuery(route.query);
  const load = async () => (await api(dataPath('runs') + (queryString ? '?' + queryString : ''))).result;
  const result = await load();
  watch(load, result);
  const runs = result.slice().reverse();
  const rows = runs.map((run) =>
    el(
      'tr',
      { dataset: { run: run.id, journey: run.journey, status: run.status } },
      cell(run.startedAt),
      el(
        'td',
        {},
        el('a', { href: '#/runs/' + run.id, text: run.journey }),
        run.journeyVersion ? el('span', { class: 'muted mono', text: ' ' + run.journeyVersion.slice(0, 7) }) : null,
      ),
      cell(run.realm),
      el('td', {}, statusBadge(run.status)),
      cell(run.steps),
      el(
        'td',
        {},
        run.user
          ? role === 'attendee'
            ? run.user.userName
            : el('a', { href: '#/runs?user=' + encodeURIComponent(run.user._id), text: run.user.userName })
          : '',
      ),
      cell(
        run.decidedBy ? run.decidedBy.displayName + (run.decidedBy.outcome ? ' → ' + run.decidedBy.outcome : '') : '',
      ),
      cell(run.error, 'wrap'),
    ),
  );
  put(
    section,
    form,
    runs.length
      ? table(
          plural(runs.length, 'run'),
          ['Started', 'Journey', 'Realm', 'Status', 'Steps', 'User', 'Decided by', 'Error'],
          rows,
          { id: 'runs-table' },
        )
      : el('p', {
          class: 'empty',
          text: queryString
            ? 'No runs match.'
            : 'No runs yet: run a journey from the Journeys view or the sign-in page.',
        }),
  );
}

/** A run's link opened where nobody is signed in (the sign-in page's "See why"): sign in, come back. */
function signInForRun(section) {
  heading(section, 'Your run');
  put(
    section,
    notice('Sign in to see your runs: the run of a failed sign-in is yours once you are signed in.'),
    el('p', {}, el('a', { class: 'button primary', id: 'attendee-sign-in', href: signInHref(), text: 'Sign in' })),
    refusal ? el('details', {}, el('summary', { text: 'The trainer' }), tokenForm()) : null,
  );
}

/** `#/runs/latest?journey&status`: the newest such run (the sign-in page links a failure here). */
async function latestRunView(section, route) {
  if (role === 'none') return signInForRun(section);
  const queryString = runsQuery(route.query);
  const runs = (await api(dataPath('runs') + (queryString ? '?' + queryString : ''))).result;
  const newest = runs.at(-1);
  if (!newest) {
    heading(section, 'Your run');
    return put(section, notice('No such run (yet): runs are kept for a while, then dropped.'));
  }
  return runView(section, newest.id);
}

function changesTable(title, changes) {
  if (!changes.length) return null;
  return table(
    title,
    ['Key', 'Before', 'After'],
    changes.map((change) =>
      el(
        'tr',
        {},
        mono(change.key),
        el('td', { class: 'mono' }, 'before' in change ? JSON.stringify(change.before) : el('em', { text: '(added)' })),
        el('td', { class: 'mono' }, 'after' in change ? JSON.stringify(change.after) : el('em', { text: '(removed)' })),
      ),
    ),
    { class: 'compact' },
  );
}

/** Says what a stubbed node is in the drawing above, when the journey has any. */
function stubLegend(stubbed) {
  if (!stubbed || !stubbed.length) return null;
  return el(
    'p',
    { class: 'legend stub-legend' },
    el('span', { class: 'swatch stubbed', 'aria-hidden': 'true' }),
    ' Stubbed: ' +
      stubbed.length +
      ' node(s) of a type the emulator cannot run. Each takes the outcome its node stub chooses ' +
      '(PUT /__emulator/node-stubs/<type>[/<node id>], or the config’s nodeStubs), else its first outcome.',
  );
}

function visitItem(visit, index) {
  const result =
    visit.outcome !== undefined
      ? '→ ' + visit.outcome
      : visit.error
        ? 'failed'
        : visit.callbacks
          ? 'asked for ' + visit.callbacks.join(', ')
          : '';
  const interesting =
    visit.shared.length || visit.transient.length || visit.logs.length || visit.outbound.length || visit.error;
  return el(
    'li',
    { class: ['visit', visit.error && 'failed'], dataset: { nodeId: visit.nodeId, journey: visit.journey } },
    el(
      'details',
      { open: Boolean(interesting) },
      el(
        'summary',
        {},
        el('span', { class: 'step-no', text: String(index + 1) }),
        ' ',
        el('strong', { text: visit.displayName }),
        ' ',
        el('span', { class: 'muted', text: '(' + visit.nodeType + ', ' + visit.journey + ') ' }),
        el('span', { class: 'outcome', text: result }),
        visit.stubbed ? el('span', { class: 'badge stubbed', text: ' stubbed (' + visit.stubbed + ')' }) : null,
        el('span', { class: 'muted', text: ' · ' + Number(visit.durationMs).toFixed(1) + ' ms' }),
      ),
      visit.error ? el('p', { class: 'message error', text: visit.error }) : null,
      changesTable('Shared state', visit.shared),
      changesTable('Transient state', visit.transient),
      visit.logs.length
        ? el(
            'div',
            { class: 'logs' },
            el('h4', { text: 'Script logs' }),
            el(
              'pre',
              { class: 'log' },
              visit.logs.map((line) =>
                el('span', {
                  class: ['log-line', line.level.toLowerCase()],
                  text: line.level.toUpperCase() + ' ' + line.message + '\n',
                }),
              ),
            ),
          )
        : null,
      visit.outbound.length
        ? table(
            'Outbound calls',
            ['Method', 'URL', 'Status', 'Served by', 'ms'],
            visit.outbound.map((call) =>
              el(
                'tr',
                {},
                cell(call.method),
                mono(call.url),
                cell(call.status !== undefined ? call.status : call.error),
                cell(call.servedBy),
                cell(Number(call.durationMs).toFixed(1)),
              ),
            ),
            { class: 'compact' },
          )
        : null,
    ),
  );
}

async function runView(section, id) {
  const run = await api(dataPath('runs/' + encodeURIComponent(id)));
  if (run.status === 'in-progress' || run.status === 'suspended')
    watch(() => api(dataPath('runs/' + encodeURIComponent(id))), run);
  heading(section, 'Run of ' + run.journey);
  put(
    section,
    el(
      'dl',
      { class: 'facts' },
      el('dt', { text: 'Status' }),
      el('dd', { id: 'run-status' }, statusBadge(run.status)),
      el('dt', { text: 'Realm' }),
      el('dd', { text: run.realm }),
      run.journeyVersion
        ? [
            el('dt', { text: 'Journey version' }),
            el('dd', {
              id: 'run-journey-version',
              class: 'mono',
              text: run.journeyVersion,
              title:
                'A digest of the tree, its nodes and their scripts when the run began: it changes with any redeployment.',
            }),
          ]
        : null,
      el('dt', { text: 'Started' }),
      el('dd', { text: run.startedAt }),
      el('dt', { text: 'Last step' }),
      el('dd', { text: run.updatedAt }),
      el('dt', { text: 'Steps (requests)' }),
      el('dd', { text: String(run.steps) }),
      run.user ? [el('dt', { text: 'User' }), el('dd', { text: run.user.userName + ' (' + run.user._id + ')' })] : null,
      run.decidedBy
        ? [
            el('dt', { text: 'Decided by' }),
            el(
              'dd',
              { id: 'run-decided-by' },
              el('a', {
                href: '#decider',
                text:
                  run.decidedBy.displayName +
                  (run.decidedBy.outcome !== undefined ? ' → ' + run.decidedBy.outcome : ' (failed)'),
              }),
              el('span', { class: 'muted', text: ' (' + run.decidedBy.nodeType + ', ' + run.decidedBy.journey + ')' }),
            ),
          ]
        : null,
      run.error ? [el('dt', { text: 'Error' }), el('dd', { class: 'message error', text: run.error })] : null,
    ),
    el(
      'div',
      { class: 'buttons' },
      action('Refresh', render),
      el('a', { class: 'button secondary', href: journeyUrl(run.realm, run.journey), text: 'Run it again' }),
      el('a', { class: 'button secondary', href: '#/runs', text: role === 'attendee' ? 'All your runs' : 'All runs' }),
    ),
  );

  const journeys = [run.journey];
  for (const visit of run.visits) if (!journeys.includes(visit.journey)) journeys.push(visit.journey);
  const drawings = await Promise.all(
    journeys.map(async (name) => {
      try {
        return {
          name,
          detail: await api(
            role === 'attendee'
              ? 'me/runs/' + encodeURIComponent(run.id) + '/journeys/' + encodeURIComponent(name)
              : 'journeys/' + encodeURIComponent(realmName(run.realm)) + '/' + encodeURIComponent(name),
          ),
        };
      } catch (error) {
        return { name, error };
      }
    }),
  );
  for (const { name, detail, error } of drawings) {
    put(section, el('h2', { text: name === run.journey ? 'The path through ' + name : 'Inner journey ' + name }));
    if (error) put(section, errorBox(error));
    else
      put(
        section,
        el(
          'div',
          { class: 'drawing' },
          drawJourney(detail.tree, {
            configs: detail.nodes,
            stubbed: detail.stubbed,
            visits: run.visits.filter((visit) => visit.journey === name),
          }),
        ),
        stubLegend(detail.stubbed),
      );
  }
  put(
    section,
    el('h2', { text: 'Nodes visited' }),
    el('ol', { class: 'visits', id: 'visits' }, run.visits.map(visitItem)),
  );
  // The node that decided the run: its visit is marked, and the fact above links to it.
  const decider =
    run.decidedBy &&
    [...section.querySelectorAll('li.visit')].reverse().find((item) => {
      return item.dataset.nodeId === run.decidedBy.nodeId && item.dataset.journey === run.decidedBy.journey;
    });
  if (decider) {
    decider.id = 'decider';
    decider.classList.add('decider');
  }
}

// ---------------------------------------------------------------- journal

async function journalView(section, route) {
  heading(section, 'Request journal', 'AM requests and scripts’ outbound calls, newest first (secrets masked).');
  const filter = route.query.get('filter') || '';
  const input = el('input', {
    id: 'journal-filter',
    type: 'search',
    value: filter,
    placeholder: 'part of a URL, e.g. logoutByUser',
  });
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Journal' },
    field('Filter by URL', input),
    el(
      'div',
      { class: 'buttons' },
      el('button', { type: 'submit', class: 'primary', text: 'Filter' }),
      role === 'attendee'
        ? null
        : action(
            'Clear the journal',
            async () => {
              if (!confirmed('Clear the journal? Every recorded request and outbound call is removed, for everyone.'))
                return;
              await api('journal', { method: 'DELETE' });
              await render();
            },
            { class: 'danger' },
          ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = '#/journal' + (input.value ? '?filter=' + encodeURIComponent(input.value) : '');
  });
  const loadJournal = async () => (await api(dataPath('journal'))).result;
  const result = await loadJournal();
  watch(loadJournal, result);
  const entries = result
    .filter((entry) => !filter || entry.url.toLowerCase().includes(filter.toLowerCase()))
    .reverse()
    .slice(0, 300);
  const rows = entries.map((entry) =>
    el(
      'tr',
      { class: entry.kind },
      cell(entry.id),
      cell(entry.time),
      cell(entry.kind === 'am' ? 'AM' : 'outbound'),
      cell(entry.method),
      mono(entry.url),
      cell(entry.status),
      cell(entry.durationMs === undefined ? '' : Number(entry.durationMs).toFixed(1)),
      cell(entry.fault ? 'fault' : ''),
      el(
        'td',
        {},
        jsonDetails('Details', {
          requestHeaders: entry.requestHeaders,
          requestBody: entry.requestBody,
          responseBody: entry.responseBody,
        }),
      ),
    ),
  );
  put(
    section,
    form,
    entries.length
      ? table(entries.length + ' entries', ['#', 'Time', 'Kind', 'Method', 'URL', 'Status', 'ms', '', ''], rows, {
          id: 'journal-table',
        })
      : el('p', { class: 'empty', text: 'No entries.' }),
  );
}

// ---------------------------------------------------------------- outbox

async function outboxView(section, route) {
  heading(
    section,
    'Outbox',
    'The mail the tenant sent (Email Suspend, Email Template, one-time passcodes), newest first: follow a link as the recipient would.',
  );
  const to = route.query.get('to') || '';
  const input = el('input', {
    id: 'outbox-to',
    type: 'search',
    value: to,
    placeholder: 'an address, e.g. demo@example.com',
  });
  const form = el(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': 'Outbox' },
    field('Recipient', input),
    el(
      'div',
      { class: 'buttons' },
      el('button', { type: 'submit', class: 'primary', text: 'Filter' }),
      role === 'attendee'
        ? null
        : action(
            'Clear the outbox',
            async () => {
              if (!confirmed('Clear the outbox? Every message the tenant sent is removed, for everyone.')) return;
              await api('outbox', { method: 'DELETE' });
              await render();
            },
            { class: 'danger' },
          ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.location.hash = '#/outbox' + (input.value ? '?to=' + encodeURIComponent(input.value) : '');
  });
  const loadOutbox = async () =>
    role === 'attendee'
      ? (await api('me/outbox')).result.filter((message) => !to || message.to.toLowerCase() === to.toLowerCase())
      : (await api('outbox' + (to ? '?to=' + encodeURIComponent(to) : ''))).result;
  const result = await loadOutbox();
  watch(loadOutbox, result);
  const messages = result.slice().reverse();
  const items = messages.map((message) =>
    el(
      'article',
      { class: 'mail', dataset: { message: message.id, to: message.to } },
      el('h2', { text: message.subject || '(no subject)' }),
      el(
        'dl',
        { class: 'facts' },
        el('dt', { text: 'To' }),
        el('dd', { class: 'mono', text: message.to }),
        el('dt', { text: 'From' }),
        el('dd', { class: 'mono', text: message.from }),
        el('dt', { text: 'Sent' }),
        el('dd', { text: message.sentAt }),
        message.template
          ? [el('dt', { text: 'Template' }), el('dd', { text: message.template + ' (' + message.locale + ')' })]
          : null,
        message.runId
          ? [
              el('dt', { text: 'Sent by' }),
              el(
                'dd',
                {},
                el('a', {
                  href: '#/runs/' + message.runId,
                  text: (message.journey || 'run') + ' › ' + (message.node || ''),
                }),
              ),
            ]
          : null,
      ),
      message.links.length
        ? el(
            'ul',
            { class: 'mail-links' },
            message.links.map((link) =>
              el(
                'li',
                {},
                el('a', { href: link, target: '_blank', rel: 'noopener noreferrer', class: 'mono', text: link }),
              ),
            ),
          )
        : null,
      // The body as text: a message's HTML is never rendered into the console.
      el(
        'details',
        {},
        el('summary', { text: 'Body (' + message.mimeType + ')' }),
        el('pre', { class: 'mono', text: message.body }),
      ),
    ),
  );
  put(
    section,
    form,
    items.length ? el('div', { id: 'outbox-messages' }, items) : el('p', { class: 'empty', text: 'No mail yet.' }),
  );
}

// ---------------------------------------------------------------- clock

async function clockView(section) {
  heading(section, 'Clock', 'The tenant’s clock: sessions expire on it (30 minutes idle, 120 minutes in all).');
  const now = el('output', { id: 'clock-now', text: (await api('clock')).now });
  const feedback = el('div');
  const move = async (body) => {
    const answer = await api('clock', { method: 'POST', body });
    now.textContent = answer.now;
    announce('The tenant clock is now ' + answer.now);
  };
  const seconds = el('input', { id: 'clock-seconds', type: 'number', min: '0', step: '1', value: '60' });
  const advance = el(
    'form',
    { class: 'toolbar' },
    field('Advance by (seconds)', seconds),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Advance' })),
  );
  advance.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(advance.querySelector('button'), () => move({ advanceSeconds: Number(seconds.value) }), feedback);
  });
  const setTo = el('input', { id: 'clock-set', type: 'text', placeholder: '2026-07-10T00:00:00Z' });
  const set = el(
    'form',
    { class: 'toolbar' },
    field('Set to (ISO 8601, forward only)', setTo),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'secondary', text: 'Set' })),
  );
  set.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(set.querySelector('button'), () => move({ set: setTo.value }), feedback);
  });
  put(
    section,
    el('p', { class: 'big' }, 'Tenant time: ', now),
    advance,
    el(
      'div',
      { class: 'buttons' },
      action('+1 minute', () => move({ advanceSeconds: 60 }), { feedback }),
      action('+31 minutes (past the idle timeout)', () => move({ advanceSeconds: 31 * 60 }), { feedback }),
      action('+2 hours (past the session limit)', () => move({ advanceSeconds: 2 * 3600 }), { feedback }),
      action('Freeze', () => move({ frozen: true }), { feedback }),
      action('Let it run', () => move({ frozen: false }), { feedback }),
    ),
    set,
    feedback,
  );
}

// ---------------------------------------------------------------- faults and stubs

function parseBody(text) {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    return text;
  }
}

function numberOrUndefined(input) {
  return input.value === '' ? undefined : Number(input.value);
}

const METHODS = ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

async function faultsView(section) {
  heading(
    section,
    'Faults',
    'Answers injected on AM requests, matched by method, path suffix and _action: make logoutByUser fail and see the journey’s Failure path.',
  );
  const { result } = await api('faults');
  const feedback = el('div');
  const rows = result.map((fault) =>
    el(
      'tr',
      { dataset: { id: fault.id } },
      cell(fault.method || 'any'),
      mono(fault.path || ''),
      cell(fault.action || ''),
      cell(fault.reset ? 'drop connection' : fault.status),
      cell(fault.remaining === undefined ? '∞' : fault.remaining),
      cell(fault.hits),
      el('td', {}, jsonDetails('JSON', fault)),
      el(
        'td',
        {},
        action(
          'Delete',
          async () => {
            await api('faults/' + encodeURIComponent(fault.id), { method: 'DELETE' });
            await render();
          },
          {
            class: 'danger small',
            feedback,
            ariaLabel: 'Delete the fault on ' + (fault.action || fault.path || 'every request'),
          },
        ),
      ),
    ),
  );
  put(
    section,
    result.length
      ? table(result.length + ' faults', ['Method', 'Path', '_action', 'Answer', 'Left', 'Hits', '', ''], rows, {
          id: 'faults-table',
        })
      : el('p', { class: 'empty', text: 'No faults.' }),
    result.length
      ? el(
          'div',
          { class: 'buttons' },
          action(
            'Delete all faults',
            async () => {
              if (
                !confirmed(
                  'Delete all ' + plural(result.length, 'fault') + '? AM requests are answered normally again.',
                )
              )
                return;
              await api('faults', { method: 'DELETE' });
              await render();
            },
            { class: 'danger', feedback },
          ),
        )
      : null,
  );

  const inputs = {
    method: el(
      'select',
      { id: 'fault-method' },
      METHODS.map((m) => el('option', { value: m, text: m || 'any' })),
    ),
    path: el('input', { id: 'fault-path', placeholder: '/sessions' }),
    action: el('input', { id: 'fault-action', placeholder: 'logoutByUser' }),
    status: el('input', { id: 'fault-status', type: 'number', value: '500' }),
    body: el('textarea', {
      id: 'fault-body',
      rows: '3',
      placeholder: '{"code":500,"reason":"Internal Server Error","message":"boom"}',
    }),
    times: el('input', { id: 'fault-times', type: 'number', min: '1', placeholder: 'every time' }),
    delayMs: el('input', { id: 'fault-delay', type: 'number', min: '0' }),
    reset: el('input', { id: 'fault-reset', type: 'checkbox' }),
  };
  const form = el(
    'form',
    { class: 'stacked card', 'aria-labelledby': 'add-fault' },
    el('h2', { id: 'add-fault', text: 'Add a fault' }),
    field('Method', inputs.method),
    field('Path (suffix)', inputs.path),
    field('_action', inputs.action),
    field('Status', inputs.status),
    field('Body (JSON, or text sent as is)', inputs.body),
    field('Times', inputs.times),
    field('Delay (ms)', inputs.delayMs),
    field('Drop the connection instead of answering', inputs.reset),
    feedback,
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Add the fault' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(
      form.querySelector('button[type=submit]'),
      async () => {
        const body = {
          method: inputs.method.value || undefined,
          path: inputs.path.value || undefined,
          action: inputs.action.value || undefined,
          status: numberOrUndefined(inputs.status),
          body: parseBody(inputs.body.value),
          times: numberOrUndefined(inputs.times),
          delayMs: numberOrUndefined(inputs.delayMs),
          reset: inputs.reset.checked || undefined,
        };
        await api('faults', { method: 'POST', body: JSON.parse(JSON.stringify(body)) });
        announce('Fault added');
        await render();
      },
      feedback,
    );
  });
  put(section, form);
}

async function stubsView(section) {
  heading(
    section,
    'Stubs',
    'Answers for scripts’ outbound httpClient calls (a URL ending in * matches a prefix). Other hosts are refused unless allowOutbound is set.',
  );
  const { result } = await api('stubs');
  const feedback = el('div');
  const rows = result.map((stub) =>
    el(
      'tr',
      { dataset: { id: stub.id } },
      cell(stub.method || 'any'),
      mono(stub.url),
      cell(stub.status),
      cell(stub.remaining === undefined ? '∞' : stub.remaining),
      cell(stub.hits),
      el('td', {}, jsonDetails('JSON', stub)),
      el(
        'td',
        {},
        action(
          'Delete',
          async () => {
            await api('stubs/' + encodeURIComponent(stub.id), { method: 'DELETE' });
            await render();
          },
          { class: 'danger small', feedback, ariaLabel: 'Delete the stub of ' + stub.url },
        ),
      ),
    ),
  );
  put(
    section,
    result.length
      ? table(result.length + ' stubs', ['Method', 'URL', 'Status', 'Left', 'Hits', '', ''], rows, {
          id: 'stubs-table',
        })
      : el('p', { class: 'empty', text: 'No stubs.' }),
    result.length
      ? el(
          'div',
          { class: 'buttons' },
          action(
            'Delete all stubs',
            async () => {
              if (
                !confirmed(
                  'Delete all ' + plural(result.length, 'stub') + '? Scripts’ calls they answered are refused.',
                )
              )
                return;
              await api('stubs', { method: 'DELETE' });
              await render();
            },
            { class: 'danger', feedback },
          ),
        )
      : null,
  );

  const inputs = {
    method: el(
      'select',
      { id: 'stub-method' },
      METHODS.map((m) => el('option', { value: m, text: m || 'any' })),
    ),
    url: el('input', { id: 'stub-url', required: true, placeholder: 'https://api.example.com/logout' }),
    status: el('input', { id: 'stub-status', type: 'number', value: '200' }),
    body: el('textarea', { id: 'stub-body', rows: '3', placeholder: '{"ok":true}' }),
    times: el('input', { id: 'stub-times', type: 'number', min: '1', placeholder: 'every time' }),
    echoRequestBody: el('input', { id: 'stub-echo', type: 'checkbox' }),
  };
  const form = el(
    'form',
    { class: 'stacked card', 'aria-labelledby': 'add-stub' },
    el('h2', { id: 'add-stub', text: 'Add a stub' }),
    field('Method', inputs.method),
    field('URL', inputs.url),
    field('Status', inputs.status),
    field('Body (JSON, or text sent as is)', inputs.body),
    field('Times', inputs.times),
    field('Answer with the request’s body', inputs.echoRequestBody),
    feedback,
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Add the stub' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(
      form.querySelector('button[type=submit]'),
      async () => {
        const body = {
          method: inputs.method.value || undefined,
          url: inputs.url.value,
          status: numberOrUndefined(inputs.status),
          body: parseBody(inputs.body.value),
          times: numberOrUndefined(inputs.times),
          echoRequestBody: inputs.echoRequestBody.checked || undefined,
        };
        await api('stubs', { method: 'POST', body: JSON.parse(JSON.stringify(body)) });
        announce('Stub added');
        await render();
      },
      feedback,
    );
  });
  put(section, form);
}

// ---------------------------------------------------------------- ESVs and tenant

async function esvsView(section) {
  heading(
    section,
    'ESVs',
    'Environment secrets and variables: created as esv-cookie, read by scripts as esv.cookie (systemEnv.getProperty).',
  );
  const { result } = await api('esvs');
  put(
    section,
    table(
      result.length + ' ESVs',
      ['Name', 'Script name', 'Value'],
      result.map((esv) =>
        el(
          'tr',
          { dataset: { name: esv.name } },
          mono(esv.name),
          mono(esv.name.replace(/-/g, '.')),
          // A secret's value is never answered (issue 21): the control API sends `***`.
          esv.secret ? el('td', { class: 'muted', text: 'secret (never shown)' }) : mono(esv.value),
        ),
      ),
      { id: 'esvs-table' },
    ),
  );
  const name = el('input', { id: 'esv-name', required: true, placeholder: 'esv-external-url' });
  const value = el('input', { id: 'esv-value', placeholder: 'https://example.com', autocomplete: 'off' });
  // A value typed for a secret-sounding name is not shown on the projector either.
  const SECRET_NAME = /secret|password|passwd|token|key|credential/i;
  name.addEventListener('input', () => {
    value.type = SECRET_NAME.test(name.value) ? 'password' : 'text';
  });
  const feedback = el('div');
  const form = el(
    'form',
    { class: 'stacked card', 'aria-labelledby': 'set-esv' },
    el('h2', { id: 'set-esv', text: 'Set an ESV' }),
    field('Name', name),
    field('Value', value),
    feedback,
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Save' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    perform(
      form.querySelector('button[type=submit]'),
      async () => {
        await api('esvs/' + encodeURIComponent(name.value), { method: 'PUT', body: { value: value.value } });
        announce('ESV saved');
        await tenant(true);
        await render();
      },
      feedback,
    );
  });
  put(section, form);
}

async function tenantView(section) {
  heading(section, 'Tenant', 'The emulated tenant’s settings.');
  const settings = await tenant(true);
  const token = el('code', { id: 'admin-token', text: '••••••••' });
  let shown = false;
  const toggle = el('button', {
    type: 'button',
    class: 'secondary small',
    text: 'Show',
    'aria-controls': 'admin-token',
  });
  toggle.addEventListener('click', () => {
    shown = !shown;
    token.textContent = shown ? settings.adminToken : '••••••••';
    toggle.textContent = shown ? 'Hide' : 'Show';
  });
  const feedback = el('div');
  const keepUsers = el('input', { type: 'checkbox', id: 'reset-keep-users', checked: true });
  put(
    section,
    el(
      'dl',
      { class: 'facts' },
      el('dt', { text: 'Cookie name' }),
      el('dd', { class: 'mono', id: 'cookie-name', text: settings.cookieName }),
      el('dt', { text: 'Host names' }),
      el('dd', { class: 'mono', text: settings.hosts.join(', ') }),
      el('dt', { text: 'Admin bearer token' }),
      el('dd', {}, token, ' ', toggle),
    ),
    table(
      'Realms',
      ['Realm', 'Name', 'Default successUrl', ''],
      settings.realms.map((realm) =>
        el(
          'tr',
          {},
          mono(realm.path),
          cell(realm.name),
          mono(realm.successUrl),
          el('td', {}, el('a', { href: journeyUrl(realm.path), text: 'Sign-in page' })),
        ),
      ),
    ),
    jsonDetails('ESVs', settings.esvs),
    el('h2', { text: 'Reset' }),
    el('p', {
      class: 'hint',
      text:
        'Back to the configured start: ESVs, journeys and the clock as configured; no sessions, faults, stubs, ' +
        'journal, runs or mail. The users added since start (your attendees) are kept unless you untick the box.',
    }),
    el('p', {}, el('label', {}, keepUsers, ' Keep the users added since start')),
    feedback,
    el(
      'div',
      { class: 'buttons' },
      action(
        'Reset the tenant',
        async () => {
          const [sessions, faults, stubs, users] = await Promise.all([
            api('sessions'),
            api('faults'),
            api('stubs'),
            api('users'),
          ]);
          const removed = [
            'end ' + plural(sessions.result.length, 'session'),
            'remove ' + plural(faults.result.length, 'fault') + ' and ' + plural(stubs.result.length, 'stub'),
            'clear the journal, the runs and the outbox',
            'put ESVs, journeys and the clock back to their start',
            keepUsers.checked
              ? 'keep the users added since start'
              : 'remove every user added since start (the tenant has ' + plural(users.result.length, 'user') + ' now)',
          ];
          if (!confirmed('Reset the tenant? This will ' + removed.join('; ') + '.')) return;
          const answer = await api('reset', { method: 'POST', body: { keepUsers: keepUsers.checked } });
          await tenant(true);
          put(
            clear(feedback),
            notice(
              'The tenant is back to its start state' +
                (keepUsers.checked ? ', with the ' + plural(answer.keptUsers, 'user') + ' added since start.' : '.'),
              'success',
            ),
          );
        },
        { class: 'danger', feedback },
      ),
    ),
  );
}

// ---------------------------------------------------------------- OAuth2

/** A JWT's header and claims, decoded (not verified): what a developer wants to read in a token. */
function decodeJwt(text) {
  const parts = text.trim().split('.');
  if (parts.length !== 3) throw new Error('A JWT has three parts separated by dots.');
  const part = (value) => {
    const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  };
  return { header: part(parts[0]), claims: part(parts[1]) };
}

async function oauth2View(section, route) {
  heading(
    section,
    'OAuth2',
    'The realms’ OAuth2 clients, the grants users and clients hold (every token of a grant shares its authGrantId), and a decoder for the tokens your app received.',
  );
  const user = (route.query.get('user') || '').trim();
  const [{ result: clients }, { result: grants }] = await Promise.all([
    api('oauth2/clients'),
    api('oauth2/grants' + (user ? '?user=' + encodeURIComponent(user) : '')),
  ]);
  const feedback = el('div');
  const clientRows = clients.map((client) =>
    el(
      'tr',
      { dataset: { id: client.clientId } },
      cell(client.realm),
      mono(client.clientId),
      cell(client.clientType),
      cell(client.grantTypes.join(', ')),
      cell(client.scopes.join(' ')),
      el('td', {}, jsonDetails('JSON', client)),
      el(
        'td',
        {},
        action(
          'Delete',
          async () => {
            await api(
              'oauth2/clients/' + encodeURIComponent(client.clientId) + '?realm=' + encodeURIComponent(client.realm),
              { method: 'DELETE' },
            );
            await render();
          },
          { class: 'danger small', feedback, ariaLabel: 'Delete the client ' + client.clientId },
        ),
      ),
    ),
  );
  put(
    section,
    clients.length
      ? table(clients.length + ' clients', ['Realm', 'Client', 'Type', 'Grants', 'Scopes', '', ''], clientRows, {
          id: 'oauth2-clients-table',
        })
      : el('p', { class: 'empty', text: 'No OAuth2 clients.' }),
    feedback,
  );
  const grantRows = grants.map((grant) =>
    el(
      'tr',
      { dataset: { id: grant.authGrantId } },
      cell(grant.realm),
      mono(grant.clientId),
      grant.userId
        ? el('td', {}, el('a', { href: '#/sessions?q=' + encodeURIComponent(grant.userId), text: grant.userId }))
        : cell('(the client itself)'),
      cell(grant.scopes.join(' ')),
      timeCell(grant.createdAt),
      mono(grant.authGrantId),
    ),
  );
  put(
    section,
    el('h2', { text: user ? 'Grants of ' + user : 'Grants in force' }),
    grants.length
      ? table(grants.length + ' grants', ['Realm', 'Client', 'User', 'Scopes', 'Created', 'authGrantId'], grantRows, {
          id: 'oauth2-grants-table',
        })
      : el('p', { class: 'empty', text: 'No grants in force: sign in through an app to get one.' }),
  );

  const input = el('textarea', { id: 'jwt-input', rows: '4', spellcheck: 'false', placeholder: 'eyJ0eXAiOiJKV1Qi…' });
  const output = el('div', { id: 'jwt-output' });
  const form = el(
    'form',
    { class: 'stacked card', 'aria-labelledby': 'decode-token' },
    el('h2', { id: 'decode-token', text: 'Decode a token' }),
    field('An access, refresh or ID token (decoded here, in the page; not checked)', input),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Decode' })),
    output,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clear(output);
    try {
      const { header, claims } = decodeJwt(input.value);
      const times = ['iat', 'nbf', 'exp', 'auth_time']
        .filter((name) => typeof claims[name] === 'number')
        .map((name) => name + ' ' + new Date(claims[name] * 1000).toISOString());
      put(
        output,
        jsonDetails('Header', header, true),
        jsonDetails('Claims', claims, true),
        times.length ? el('p', { class: 'mono', text: times.join(' · ') }) : null,
      );
    } catch (error) {
      put(output, notice(error.message, 'error'));
    }
  });
  put(section, form);
}

// ---------------------------------------------------------------- routing

const VIEWS = {
  sessions: sessionsView,
  users: usersView,
  journeys: journeysView,
  runs: runsView,
  journal: journalView,
  outbox: outboxView,
  clock: clockView,
  faults: faultsView,
  stubs: stubsView,
  esvs: esvsView,
  oauth2: oauth2View,
  tenant: tenantView,
  handout: handoutView,
};

function currentRoute() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const cut = raw.indexOf('?');
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch (error) {
        return part;
      }
    });
  return { segments, query: new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1)) };
}

function tokenForm() {
  const input = el('input', { id: 'control-token', type: 'password', autocomplete: 'off', required: true });
  const form = el(
    'form',
    { class: 'toolbar card' },
    field('Control token (printed when the emulator started)', input),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Use the token' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    tenantCache = undefined;
    roleKnown = undefined;
    render();
  });
  return form;
}

let generation = 0;
let roleKnown;
async function render(options) {
  const quiet = Boolean(options && options.quiet);
  roleKnown ??= detectRole();
  await roleKnown;
  const route = currentRoute();
  let name = VIEWS[route.segments[0]] ? route.segments[0] : 'sessions';
  if (role === 'attendee' && !ATTENDEE_VIEWS.has(name)) name = 'sessions';
  for (const link of document.querySelectorAll('nav a[data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const mine = ++generation;
  watched = undefined;
  delete document.body.dataset.ready;
  const section = el('section', {
    class: 'view',
    dataset: { view: name },
    'aria-labelledby': 'view-title',
    'aria-busy': 'true',
  });
  put(clear(main), section);
  try {
    if (role === 'none' && name === 'runs' && route.segments[1]) signInForRun(section);
    else if (role === 'none') {
      heading(section, 'Console');
      noAccess(section);
    } else await VIEWS[name](section, route);
  } catch (error) {
    if (mine === generation) put(section, errorBox(error), error.status === 401 ? tokenForm() : null);
  } finally {
    section.removeAttribute('aria-busy');
    if (mine === generation) {
      if (watched && watched.mine === mine) watched.fields = fieldValues();
      document.body.dataset.ready = name;
      document.body.dataset.role = role;
      if (quiet) document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    }
  }
}

window.addEventListener('hashchange', () => {
  render();
  main.focus({ preventScroll: true });
});
render();
refreshStoreStatus();
setInterval(refreshTick, REFRESH_MS);
