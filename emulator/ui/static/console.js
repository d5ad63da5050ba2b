// The console: the tenant's state through the control API (/__emulator), for trainers and
// journey developers. Beyond loopback the control API needs its token: open the console once
// with ?token=<token> (printed at start); it is kept for this browser tab.
import { el } from './common.js';
import { drawJourney } from './journey-svg.js';

const tokenParam = new URLSearchParams(location.search).get('token');
if (tokenParam) sessionStorage.setItem('aic-emulator-token', tokenParam);
const view = document.getElementById('view');
const nav = document.getElementById('nav');

async function control(path, options) {
  const headers = {};
  const token = sessionStorage.getItem('aic-emulator-token');
  if (token) headers['x-aic-emulator-token'] = token;
  const init = { method: (options && options.method) || 'GET', headers: headers };
  if (options && options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch('/__emulator/' + path, init);
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.message || response.status + ' ' + response.statusText);
  return json;
}

const json = (value) => el('pre', {}, JSON.stringify(value, null, 2));
const row = (...cells) => el('tr', {}, ...cells.map((cell) => (cell instanceof Node && cell.tagName === 'TD' ? cell : el('td', {}, cell instanceof Node ? cell : String(cell ?? '')))));
const head = (...names) => el('thead', {}, el('tr', {}, ...names.map((name) => el('th', { scope: 'col' }, name))));
const button = (label, onClick, secondary) => {
  const node = el('button', { type: 'button', class: secondary ? 'secondary' : '' }, label);
  node.addEventListener('click', onClick);
  return node;
};

const sections = {
  async Sessions() {
    const search = el('input', { id: 'session-search', type: 'text', placeholder: '_id or userName' });
    const table = el('table', { id: 'sessions' });
    const count = el('p', { id: 'session-count' });
    const refresh = async () => {
      const { result } = await control('sessions');
      const term = search.value.trim().toLowerCase();
      const shown = result.filter((s) => !term || String(s.username).toLowerCase().includes(term) || String(s.userName || '').toLowerCase().includes(term));
      count.textContent = shown.length + ' of ' + result.length + ' live sessions';
      table.replaceChildren(
        head('userName', '_id', 'realm', 'latest access', 'idle until', ''),
        ...shown.map((s) => row(s.userName, s.username, s.realm, s.latestAccessTime, s.maxIdleExpirationTime, button('Invalidate', async () => {
          await control('sessions/' + encodeURIComponent(s.sessionHandle), { method: 'DELETE' });
          await refresh();
        }, true))),
      );
      table.dataset.count = String(shown.length);
      invalidateAll.disabled = shown.length === 0;
      invalidateAll.onclick = async () => {
        for (const s of shown) await control('sessions/' + encodeURIComponent(s.sessionHandle), { method: 'DELETE' }).catch(() => undefined);
        await refresh();
      };
    };
    const invalidateAll = button('Invalidate all shown', () => undefined, true);
    search.addEventListener('input', () => void refresh());
    view.replaceChildren(el('label', { for: 'session-search' }, 'Find sessions'), search, button('Refresh', () => void refresh()), invalidateAll, count, table);
    await refresh();
  },
  async Users() {
    const { result } = await control('users');
    view.replaceChildren(el('table', {}, head('userName', '_id', 'realm', ''), ...result.map((u) => row(u.userName, u._id, u.realm, el('details', {}, el('summary', {}, 'JSON'), json(u))))));
  },
  async Journeys() {
    const { result } = await control('journeys');
    const detail = el('div', { id: 'journey-detail' });
    const list = el('table', {}, head('journey', 'realm', 'nodes', 'findings', ''), ...result.map((j) => row(
      j.name, j.realm, j.nodes,
      j.problems.filter((p) => p.severity === 'error').length + ' errors, ' + j.problems.filter((p) => p.severity === 'warning').length + ' warnings',
      button('Show', () => void showJourney(detail, j.realm, j.name), true),
    )));
    view.replaceChildren(list, detail);
  },
  async Runs() {
    const { result } = await control('runs');
    const detail = el('div', { id: 'run-detail' });
    const runs = result.slice().reverse();
    view.replaceChildren(
      el('table', { id: 'runs' }, head('journey', 'status', 'steps', 'user', 'started', ''), ...runs.map((r) => row(r.journey, r.status, r.steps, r.user ? r.user.userName : '', r.startedAt, button('Show', () => void showRun(detail, r.id), true)))),
      detail,
    );
  },
  async Journal() {
    const { result } = await control('journal');
    view.replaceChildren(el('table', {}, head('time', 'kind', 'method', 'url', 'status', 'ms'), ...result.slice().reverse().map((e) => row(e.time, e.kind, e.method, e.url, e.status, e.durationMs))));
  },
  async Clock() {
    const { now } = await control('clock');
    const seconds = el('input', { id: 'advance', type: 'number', value: '60', min: '1' });
    view.replaceChildren(
      el('p', {}, 'Tenant time: ', el('strong', { id: 'now' }, now)),
      el('label', { for: 'advance' }, 'Advance by (seconds)'), seconds,
      button('Advance', async () => {
        await control('clock', { method: 'POST', body: { advanceSeconds: Number(seconds.value) } });
        await sections.Clock();
      }),
    );
  },
  async 'Faults & stubs'() {
    const [faults, stubs] = await Promise.all([control('faults'), control('stubs')]);
    const addForm = (kind, example) => {
      const id = 'new-' + kind;
      const text = el('textarea', { id: id, rows: '3' }, JSON.stringify(example));
      return el('div', {}, el('label', { for: id }, 'Add a ' + kind.replace(/s$/, '') + ' (JSON)'), text, button('Add', async () => {
        await control(kind, { method: 'POST', body: JSON.parse(text.value) });
        await sections['Faults & stubs']();
      }));
    };
    const list = (kind, items) => el('table', {}, head('', 'JSON'), ...items.map((item) => row(button('Delete', async () => {
      await control(kind + '/' + item.id, { method: 'DELETE' });
      await sections['Faults & stubs']();
    }, true), json(item))));
    view.replaceChildren(
      el('h2', {}, 'Faults'), list('faults', faults.result), addForm('faults', { action: 'logoutByUser', status: 500, times: 1 }),
      el('h2', {}, 'Stubs'), list('stubs', stubs.result), addForm('stubs', { method: 'POST', url: 'https://api.example.com/*', status: 200, body: { ok: true } }),
    );
  },
  async ESVs() {
    const { result } = await control('esvs');
    view.replaceChildren(el('table', {}, head('ESV', 'value'), ...result.map((e) => row(e.name, e.value))));
  },
  async Tenant() {
    view.replaceChildren(json(await control('tenant')));
  },
};

async function showJourney(target, realm, name, run) {
  const journey = await control('journeys/' + encodeURIComponent(realm.replace(/^\//, '') || 'root') + '/' + encodeURIComponent(name));
  const runLink = '/am/XUI/?realm=' + encodeURIComponent(realm) + '&authIndexType=service&authIndexValue=' + encodeURIComponent(name);
  target.replaceChildren(
    el('h2', {}, name),
    drawJourney(journey.tree, run),
    el('p', {}, el('a', { class: 'button', href: runLink }, 'Run it')),
    journey.problems.length ? el('ul', {}, ...journey.problems.map((p) => el('li', { class: p.severity === 'error' ? 'error' : '' }, p.severity + ': ' + p.message))) : el('p', { class: 'success' }, 'No lint findings.'),
  );
}

async function showRun(target, id) {
  const run = await control('runs/' + encodeURIComponent(id));
  const drawing = el('div', {});
  target.replaceChildren(
    el('h2', {}, 'Run of ' + run.journey + ': ' + run.status + (run.error ? ' (' + run.error + ')' : '')),
    drawing,
    el('table', {}, head('node', 'outcome', 'state changes', 'logs'), ...run.visits.map((v) => row(
      v.displayName + ' (' + v.nodeType + ')' + (v.journey !== run.journey ? ' in ' + v.journey : ''),
      v.outcome ?? (v.callbacks ? 'asked: ' + v.callbacks.join(', ') : v.error ?? ''),
      v.shared.concat(v.transient).map((c) => c.key + ' = ' + JSON.stringify(c.after)).join('\n'),
      v.logs.map((l) => l.level + ': ' + l.message).join('\n'),
    ))),
  );
  await showJourney(drawing, run.realm, run.journey, run);
}

function select(name) {
  for (const item of nav.children) item.setAttribute('aria-current', item.textContent === name ? 'page' : 'false');
  sections[name]().catch((error) => view.replaceChildren(el('p', { class: 'error', role: 'alert' }, String(error.message || error))));
}

for (const name of Object.keys(sections)) nav.append(button(name, () => select(name), true));
select(new URLSearchParams(location.search).get('section') || 'Sessions');
