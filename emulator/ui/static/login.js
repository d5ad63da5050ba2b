// The XUI-like login page: drives /authenticate step by step, as AIC's login UI does, and renders
// each step's callbacks as a form. On success it follows successUrl; on failure gotoOnFail when
// given, else detail.failureUrl (journey-facts §1.6); otherwise it shows the error.
import { amPath, amFetch, el } from './common.js';

const params = new URLSearchParams(location.search);
const realm = params.get('realm') || '/alpha';
const query = new URLSearchParams();
for (const name of ['authIndexType', 'authIndexValue', 'goto', 'gotoOnFail', 'ForceAuth', 'noSession', 'locale']) {
  if (params.has(name)) query.set(name, params.get(name));
}
const url = amPath(realm) + '/authenticate' + (query.toString() ? '?' + query.toString() : '');
const app = document.getElementById('app');

async function post(body) {
  return amFetch(url, { method: 'POST', version: 'protocol=1.0,resource=2.1', body: body });
}

function outputValue(callback, name) {
  const found = (callback.output || []).find((item) => item.name === name);
  return found ? found.value : undefined;
}

function setInput(callback, value, index) {
  const input = (callback.input || [])[index || 0];
  if (input) input.value = value;
}

/** A form field for one callback; returns a function that writes its answer back into the step. */
function field(callback, index, submit) {
  const id = 'cb' + index;
  const prompt = outputValue(callback, 'prompt') || '';
  const wrap = el('div', { class: 'callback', 'data-type': callback.type });
  switch (callback.type) {
    case 'NameCallback':
    case 'TextInputCallback':
    case 'ValidatedCreateUsernameCallback':
    case 'StringAttributeInputCallback': {
      const input = el('input', { id: id, type: 'text', name: id, autocomplete: callback.type === 'NameCallback' ? 'username' : 'off', value: String(outputValue(callback, 'value') ?? (callback.input && callback.input[0] ? callback.input[0].value : '') ?? '') });
      wrap.append(el('label', { for: id }, prompt || callback.type), input);
      return { node: wrap, read: () => setInput(callback, input.value) };
    }
    case 'PasswordCallback':
    case 'ValidatedCreatePasswordCallback': {
      const input = el('input', { id: id, type: 'password', name: id, autocomplete: 'current-password' });
      wrap.append(el('label', { for: id }, prompt || 'Password'), input);
      return { node: wrap, read: () => setInput(callback, input.value) };
    }
    case 'BooleanAttributeInputCallback':
    case 'TermsAndConditionsCallback': {
      const input = el('input', { id: id, type: 'checkbox', name: id });
      input.checked = outputValue(callback, 'value') === true;
      const text = callback.type === 'TermsAndConditionsCallback' ? (outputValue(callback, 'terms') || 'I accept the terms and conditions') : prompt;
      wrap.append(el('label', { for: id }, input, ' ' + text));
      return { node: wrap, read: () => setInput(callback, input.checked) };
    }
    case 'ChoiceCallback': {
      const select = el('select', { id: id, name: id });
      (outputValue(callback, 'choices') || []).forEach((choice, i) => select.append(el('option', { value: String(i) }, String(choice))));
      select.value = String(outputValue(callback, 'defaultChoice') ?? 0);
      wrap.append(el('label', { for: id }, prompt), select);
      return { node: wrap, read: () => setInput(callback, Number(select.value)) };
    }
    case 'ConfirmationCallback': {
      const options = outputValue(callback, 'options') || [];
      options.forEach((option, i) => {
        const button = el('button', { type: 'button', class: i === 0 ? '' : 'secondary' }, String(option));
        button.addEventListener('click', () => {
          setInput(callback, i);
          submit();
        });
        wrap.append(button);
      });
      return { node: wrap, read: () => undefined, confirms: true };
    }
    case 'TextOutputCallback':
    case 'SuspendedTextOutputCallback': {
      const type = String(outputValue(callback, 'messageType'));
      const kind = type === '1' ? 'warning' : type === '2' ? 'error' : 'info';
      wrap.append(el('p', { class: 'message ' + kind }, String(outputValue(callback, 'message') ?? '')));
      return { node: wrap, read: () => undefined };
    }
    case 'HiddenValueCallback':
      return { node: wrap, read: () => undefined };
    case 'RedirectCallback':
      return { node: wrap, read: () => undefined, redirect: outputValue(callback, 'redirectUrl') };
    default:
      wrap.append(el('p', {}, 'Unsupported callback ' + callback.type + ':'), el('pre', {}, JSON.stringify(callback, null, 2)));
      return { node: wrap, read: () => undefined };
  }
}

function renderStep(step) {
  app.replaceChildren();
  app.append(el('h1', {}, step.header || 'Sign In'));
  if (step.description) {
    // The description is the journey author's text (it may carry HTML on AIC): shown as text here.
    const description = el('p', { class: 'description' });
    description.textContent = step.description.replace(/<[^>]*>/g, '');
    app.append(description);
  }
  const form = el('form', { 'aria-label': step.header || 'Sign In', novalidate: '' });
  let submitted = false;
  const submit = () => {
    if (submitted) return;
    submitted = true;
    for (const item of fields) item.read();
    void next(step);
  };
  const fields = (step.callbacks || []).map((callback, i) => field(callback, i, submit));
  const redirect = fields.find((item) => item.redirect);
  if (redirect) {
    location.assign(redirect.redirect);
    return;
  }
  for (const item of fields) form.append(item.node);
  if (!fields.some((item) => item.confirms)) form.append(el('button', { type: 'submit' }, 'Next'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  app.append(form);
  const first = form.querySelector('input, select, button');
  if (first) first.focus();
}

function fail(json) {
  const gotoOnFail = params.get('gotoOnFail');
  const failureUrl = json && json.detail && json.detail.failureUrl;
  if (gotoOnFail) return location.assign(gotoOnFail);
  if (failureUrl) return location.assign(failureUrl);
  app.replaceChildren(
    el('h1', {}, 'Sign In'),
    el('p', { class: 'error', role: 'alert' }, (json && json.message) || 'Login failure'),
    el('a', { class: 'button', href: location.pathname + location.search }, 'Try again'),
  );
}

async function next(body) {
  const { status, json } = await post(body);
  if (status === 200 && json.authId) return renderStep(json);
  if (status === 200 && 'successUrl' in json) return location.assign(new URL(json.successUrl, location.origin).href);
  return fail(json);
}

void next({});
