// The end-user page the demo tenant signs people in to (its successUrl): who I am, my session,
// sign out, and the Single Logout journey that ends every session of mine.
import { amPath, amFetch, el } from './common.js';

const realm = new URLSearchParams(location.search).get('realm') || '/alpha';
const base = amPath(realm);
const app = document.getElementById('app');
const loginUrl = '/am/XUI/?realm=' + encodeURIComponent(realm);

async function show() {
  const who = await amFetch(base + '/users?_action=idFromSession', { method: 'POST', version: 'protocol=1.0,resource=2.0' });
  if (who.status !== 200) {
    location.assign(loginUrl);
    return;
  }
  const id = who.json.id;
  const [user, session] = await Promise.all([
    amFetch(base + '/users/' + encodeURIComponent(id), { version: 'protocol=2.0,resource=4.0' }),
    amFetch(base + '/sessions/?_action=getSessionInfo', { method: 'POST', version: 'resource=4.0, protocol=1.0' }),
  ]);
  const first = (name) => (Array.isArray(user.json[name]) ? user.json[name][0] : user.json[name]) ?? '';
  const terminate = '/am/XUI/?realm=' + encodeURIComponent(realm) + '&authIndexType=service&authIndexValue=TerminateSession';
  const signOut = el('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    await amFetch(base + '/sessions/?_action=logout', { method: 'POST', version: 'resource=3.1, protocol=1.0' });
    location.assign(loginUrl);
  });
  app.replaceChildren(
    el('h1', {}, 'Hello, ' + (first('givenName') || first('username') || id)),
    el('table', {},
      el('tr', {}, el('th', { scope: 'row' }, 'User name'), el('td', { id: 'username' }, first('username'))),
      el('tr', {}, el('th', { scope: 'row' }, '_id'), el('td', { id: 'user-id' }, id)),
      el('tr', {}, el('th', { scope: 'row' }, 'Mail'), el('td', {}, first('mail'))),
      el('tr', {}, el('th', { scope: 'row' }, 'Realm'), el('td', {}, who.json.realm)),
      el('tr', {}, el('th', { scope: 'row' }, 'Session idle until'), el('td', {}, session.json.maxIdleExpirationTime ?? '')),
      el('tr', {}, el('th', { scope: 'row' }, 'Session ends at'), el('td', {}, session.json.maxSessionExpirationTime ?? '')),
    ),
    signOut,
    el('a', { class: 'button secondary', href: terminate }, 'End all my sessions (TerminateSession journey)'),
  );
}

void show();
