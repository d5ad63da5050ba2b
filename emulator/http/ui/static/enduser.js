/**
 * The small end-user page at /enduser/ (enduser.html) (the demo realm's default successUrl). It
 * asks AM who the browser's session belongs to (`users?_action=idFromSession`, then
 * `users/<id>`), shows that session (`sessions?_action=getSessionInfo`), signs out
 * (`sessions?_action=logout`) and links to the Single Logout journeys.
 */
import { el, clear, amCall, normalizeRealm, realmJsonPath, journeyUrl, pretty, errorMessage } from './common.js';

const params = new URLSearchParams(window.location.search);
const realm = normalizeRealm(params.get('realm') || '/alpha');
const base = realmJsonPath(realm);
const main = document.getElementById('main');
document.getElementById('context').textContent = 'Realm ' + realm;

function definitionList(entries) {
  return el(
    'dl',
    { class: 'facts' },
    entries
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value, id]) => [
        el('dt', { text: term }),
        el('dd', { id, class: id ? 'mono' : undefined, text: String(value) }),
      ]),
  );
}

function signedOut(message) {
  document.body.dataset.state = 'signed-out';
  clear(main).append(
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'signed-out' },
      el('h1', { id: 'signed-out', text: 'You are not signed in' }),
      message ? el('p', { class: 'message info', text: message }) : null,
      el('p', {}, el('a', { class: 'button primary', href: journeyUrl(realm, 'Login'), text: 'Sign in' })),
    ),
  );
}

async function load() {
  const who = await amCall(base + '/users?_action=idFromSession', { version: 'protocol=1.0,resource=2.0', body: {} });
  if (who.status === 401 || who.status === 403) return signedOut();
  if (who.status !== 200 || !who.json || !who.json.id) return signedOut(errorMessage(who.json, who.status));
  const id = who.json.id;
  const [user, session] = await Promise.all([
    amCall(base + '/users/' + encodeURIComponent(id), { method: 'GET', version: 'protocol=2.1,resource=3.0' }),
    amCall(base + '/sessions?_action=getSessionInfo', { version: 'resource=4.0, protocol=1.0', body: {} }),
  ]);
  const profile = user.status === 200 && user.json ? user.json : {};
  const fullName = [profile.givenName, profile.sn].filter(Boolean).join(' ') || profile.userName || id;
  document.body.dataset.state = 'signed-in';
  const signOut = el('button', {
    type: 'button',
    class: 'secondary',
    text: 'Sign out',
    onclick: () => logout(signOut),
  });
  const info = session.status === 200 && session.json ? session.json : {};
  clear(main).append(
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'who' },
      el('h1', { id: 'who', text: 'Hello, ' + fullName }),
      definitionList([
        ['User name', profile.userName || profile.username],
        ['_id', id, 'my-id'],
        ['Email', profile.mail],
        ['Realm', who.json.realm],
        ['Signed in with', who.json.fullLoginURL],
      ]),
      el(
        'details',
        {},
        el('summary', { text: 'Raw JSON (GET users/' + id + ')' }),
        el('pre', { text: pretty(user.json) }),
      ),
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'my-session' },
      el('h2', { id: 'my-session', text: 'My session' }),
      info.username
        ? definitionList([
            ['Universal id', info.universalId],
            ['Realm', info.realm],
            ['Last access', info.latestAccessTime],
            ['Idle timeout at', info.maxIdleExpirationTime],
            ['Expires at', info.maxSessionExpirationTime],
          ])
        : el('p', { class: 'message warning', text: 'This browser’s session is no longer valid.' }),
      el(
        'details',
        {},
        el('summary', { text: 'Raw JSON (sessions?_action=getSessionInfo)' }),
        el('pre', { text: pretty(session.json) }),
      ),
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'actions' },
      el('h2', { id: 'actions', text: 'Sign out' }),
      el(
        'div',
        { class: 'buttons' },
        signOut,
        el('a', {
          class: 'button primary',
          href: journeyUrl(realm, 'TerminateSession'),
          text: 'End all my sessions (TerminateSession journey)',
        }),
        el('a', {
          class: 'button secondary',
          href: journeyUrl(realm, 'LogoutRedirect'),
          text: 'Sign out with a redirect (LogoutRedirect journey)',
        }),
      ),
      el(
        'p',
        { class: 'hint' },
        'Find this session in the ',
        el('a', { href: '/__emulator/ui#/sessions?q=' + encodeURIComponent(id), text: 'emulator console' }),
        ' by your _id.',
      ),
    ),
  );
}

async function logout(button) {
  button.disabled = true;
  const answer = await amCall(base + '/sessions?_action=logout', { version: 'resource=3.1, protocol=1.0', body: {} });
  if (answer.status !== 200) {
    button.disabled = false;
    main.prepend(el('p', { class: 'message error', role: 'alert', text: errorMessage(answer.json, answer.status) }));
    return;
  }
  window.location.assign(journeyUrl(realm));
}

load();
