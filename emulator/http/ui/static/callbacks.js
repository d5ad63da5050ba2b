/**
 * Renders one `/authenticate` step (its header, description and callbacks) as an
 * accessible form, and writes the user's answers back into the step's JSON on submit. Every
 * control has a label; buttons and fields are native, so the keyboard works as everywhere.
 */
import { el, clear, navigableUrl, pretty } from './common.js';

let fieldCounter = 0;
const nextId = (prefix) => prefix + '-' + ++fieldCounter;

export function output(callback, name) {
  const entry = (callback.output || []).find((item) => item.name === name);
  return entry ? entry.value : undefined;
}

function setInput(callback, suffix, value) {
  const inputs = callback.input || [];
  const entry = inputs.find((item) => /^IDToken\d+/.test(item.name) && item.name.replace(/^IDToken\d+/, '') === suffix);
  if (entry) entry.value = value;
}

function inputValue(callback, suffix) {
  const entry = (callback.input || []).find((item) => item.name.replace(/^IDToken\d+/, '') === (suffix || ''));
  return entry ? entry.value : undefined;
}

/** failedPolicies are JSON strings: {"policyRequirement": "...", "params": {...}}. */
function policyText(policy) {
  let parsed = policy;
  if (typeof policy === 'string') {
    try {
      parsed = JSON.parse(policy);
    } catch (error) {
      return policy;
    }
  }
  if (!parsed || typeof parsed !== 'object') return String(policy);
  const params =
    parsed.params && Object.keys(parsed.params).length
      ? ' (' +
        Object.entries(parsed.params)
          .map(([k, v]) => k + ' ' + JSON.stringify(v))
          .join(', ') +
        ')'
      : '';
  return (parsed.policyRequirement || JSON.stringify(parsed)) + params;
}

function failedPolicies(callback, describedBy) {
  const failed = output(callback, 'failedPolicies');
  if (!Array.isArray(failed) || failed.length === 0) return null;
  return el(
    'ul',
    { class: 'policies', id: describedBy, role: 'alert' },
    failed.map((policy) => el('li', { text: policyText(policy) })),
  );
}

/** A labelled <input>; answers {node, collect}. */
function textField(callback, options) {
  const id = nextId('field');
  const errorsId = id + '-policies';
  const policies = failedPolicies(callback, errorsId);
  const input = el('input', {
    id,
    name: (callback.input && callback.input[0] && callback.input[0].name) || id,
    type: options.type || 'text',
    value: options.value === undefined || options.value === null ? '' : String(options.value),
    autocomplete: options.autocomplete,
    autocapitalize: options.type === 'password' ? undefined : 'none',
    spellcheck: 'false',
    required: options.required,
    'aria-describedby': policies ? errorsId : undefined,
    'aria-invalid': policies ? 'true' : undefined,
  });
  const node = el(
    'div',
    { class: 'field' },
    el('label', { for: id, text: options.label + (options.required ? ' *' : '') }),
    input,
    policies,
  );
  return {
    node,
    focusable: input,
    collect: () =>
      setInput(
        callback,
        '',
        options.type === 'number' ? (input.value === '' ? null : Number(input.value)) : input.value,
      ),
  };
}

function checkboxField(callback, label, checked, suffix) {
  const id = nextId('check');
  const errorsId = id + '-policies';
  const policies = failedPolicies(callback, errorsId);
  const input = el('input', {
    id,
    type: 'checkbox',
    checked: Boolean(checked),
    'aria-describedby': policies ? errorsId : undefined,
  });
  return {
    node: el('div', { class: 'field checkbox' }, input, el('label', { for: id, text: label }), policies),
    focusable: input,
    collect: () => setInput(callback, suffix || '', input.checked),
  };
}

const MESSAGE_CLASS = { 0: 'info', 1: 'warning', 2: 'error' };

function textOutput(callback) {
  const type = String(output(callback, 'messageType'));
  const message = output(callback, 'message');
  if (type === '4') {
    // AIC's login UI runs these scripts; the emulator's page shows them instead.
    return {
      node: el(
        'details',
        { class: 'script-output' },
        el('summary', { text: 'A script sent by the journey (the emulator’s page does not run it)' }),
        el('pre', { text: String(message) }),
      ),
    };
  }
  return {
    node: el('p', {
      class: ['message', MESSAGE_CLASS[type] || 'info'],
      role: type === '2' ? 'alert' : undefined,
      text: String(message === undefined ? '' : message),
    }),
  };
}

const STANDARD_OPTIONS = {
  0: [
    ['Yes', 0],
    ['No', 1],
  ],
  1: [
    ['Yes', 0],
    ['No', 1],
    ['Cancel', 2],
  ],
  2: [
    ['OK', 3],
    ['Cancel', 2],
  ],
};

function confirmation(callback) {
  const options = output(callback, 'options');
  const optionType = Number(output(callback, 'optionType'));
  const defaultOption = Number(output(callback, 'defaultOption'));
  const choices =
    Array.isArray(options) && options.length > 0
      ? options.map((label, index) => [String(label), index])
      : STANDARD_OPTIONS[optionType] || [['OK', 3]];
  const prompt = output(callback, 'prompt');
  const buttons = choices.map(([label, value]) =>
    el('button', {
      type: 'submit',
      class: value === defaultOption ? 'primary' : 'secondary',
      dataset: { confirmationValue: String(value) },
      text: label,
    }),
  );
  let chosen = choices.some(([, value]) => value === defaultOption) ? defaultOption : choices[0][1];
  return {
    node: el(
      'div',
      { class: 'confirmation' },
      prompt ? el('p', { class: 'prompt', text: String(prompt) }) : null,
      el('div', { class: 'buttons', role: 'group', 'aria-label': prompt ? String(prompt) : 'Choose' }, buttons),
    ),
    buttons: true,
    focusable: buttons[0],
    onSubmitter: (submitter) => {
      if (submitter && buttons.includes(submitter)) chosen = Number(submitter.dataset.confirmationValue);
    },
    collect: () => setInput(callback, '', chosen),
  };
}

function choice(callback) {
  const choices = output(callback, 'choices') || [];
  const current = inputValue(callback, '');
  const selected = Number(current === undefined ? output(callback, 'defaultChoice') : current);
  const name = nextId('choice');
  const legendId = name + '-legend';
  const radios = choices.map((label, index) => {
    const id = name + '-' + index;
    const input = el('input', { type: 'radio', id, name, value: String(index), checked: index === selected });
    return { input, node: el('div', { class: 'radio' }, input, el('label', { for: id, text: String(label) })) };
  });
  return {
    node: el(
      'fieldset',
      { class: 'field choice', 'aria-labelledby': legendId },
      el('legend', { id: legendId, text: String(output(callback, 'prompt') || 'Choose one') }),
      radios.map((radio) => radio.node),
    ),
    focusable: radios[0] && radios[0].input,
    collect: () => {
      const checked = radios.findIndex((radio) => radio.input.checked);
      setInput(callback, '', checked < 0 ? selected : checked);
    },
  };
}

function hiddenValue(callback) {
  const id = String(output(callback, 'id') || nextId('hidden'));
  const value = output(callback, 'value');
  const input = el('input', { type: 'hidden', id, value: value === undefined || value === null ? '' : String(value) });
  return { node: input, collect: () => setInput(callback, '', input.value) };
}

function redirect(callback) {
  const url = navigableUrl(output(callback, 'redirectUrl'));
  const method = String(output(callback, 'redirectMethod') || 'GET').toUpperCase();
  const data = output(callback, 'redirectData') || {};
  const node = el(
    'p',
    { class: 'message info', role: 'status' },
    url
      ? ['Redirecting to ', el('a', { href: url, text: url }), '…']
      : 'The journey asked for a redirect to an address this page cannot open.',
  );
  return {
    node,
    buttons: true,
    afterMount: () => {
      if (!url) return;
      if (method === 'POST') {
        const form = el(
          'form',
          { method: 'post', action: url, class: 'hidden-form' },
          Object.entries(data).map(([name, value]) => el('input', { type: 'hidden', name, value: String(value) })),
        );
        document.body.append(form);
        form.submit();
      } else {
        window.location.assign(url);
      }
    },
  };
}

function terms(callback) {
  const id = nextId('terms');
  const version = output(callback, 'version');
  const text = String(output(callback, 'terms') || '');
  const box = checkboxField(
    callback,
    'I accept the terms and conditions' + (version ? ' (version ' + version + ')' : ''),
    inputValue(callback, '') === true,
  );
  return {
    node: el(
      'div',
      { class: 'terms-block' },
      el('div', { class: 'terms', id, tabindex: '0', role: 'region', 'aria-label': 'Terms and conditions', text }),
      box.node,
    ),
    focusable: box.focusable,
    collect: box.collect,
  };
}

function pollingWait(callback, submit) {
  const wait = Number(output(callback, 'waitTime')) || 5000;
  return {
    node: el('p', {
      class: 'message info',
      role: 'status',
      text: String(output(callback, 'message') || 'Please wait…'),
    }),
    buttons: true,
    afterMount: () => {
      window.setTimeout(submit, wait);
    },
  };
}

function unknown(callback) {
  const fields = (callback.input || []).map((input) => {
    const suffix = input.name.replace(/^IDToken\d+/, '');
    const id = nextId('unknown');
    if (typeof input.value === 'boolean') {
      const box = el('input', { type: 'checkbox', id, checked: input.value });
      return {
        node: el('div', { class: 'field checkbox' }, box, el('label', { for: id, text: input.name })),
        collect: () => setInput(callback, suffix, box.checked),
      };
    }
    const field = el('input', {
      id,
      type: typeof input.value === 'number' ? 'number' : 'text',
      value:
        input.value === null || input.value === undefined
          ? ''
          : typeof input.value === 'object'
            ? JSON.stringify(input.value)
            : String(input.value),
    });
    return {
      node: el('div', { class: 'field' }, el('label', { for: id, text: input.name }), field),
      collect: () => setInput(callback, suffix, typeof input.value === 'number' ? Number(field.value) : field.value),
    };
  });
  return {
    node: el(
      'div',
      { class: 'unknown-callback' },
      el(
        'details',
        {},
        el('summary', { text: callback.type + ' (shown as JSON: this page has no form for it)' }),
        el('pre', { text: pretty(callback) }),
      ),
      fields.map((field) => field.node),
    ),
    collect: () => fields.forEach((field) => field.collect()),
  };
}

function attributeInput(callback, kind) {
  const name = output(callback, 'name');
  const prompt = String(output(callback, 'prompt') || name || 'Value');
  const required = output(callback, 'required') === true;
  const value = inputValue(callback, '') === undefined ? output(callback, 'value') : inputValue(callback, '');
  if (kind === 'Boolean') return checkboxField(callback, prompt + (required ? ' *' : ''), value === true);
  return textField(callback, {
    label: prompt,
    value,
    required,
    type: kind === 'Number' ? 'number' : name === 'mail' ? 'email' : 'text',
    autocomplete:
      name === 'mail' ? 'email' : name === 'givenName' ? 'given-name' : name === 'sn' ? 'family-name' : undefined,
  });
}

function renderCallback(callback, submit) {
  switch (callback.type) {
    case 'NameCallback':
      return textField(callback, {
        label: String(output(callback, 'prompt') || 'User Name'),
        value: inputValue(callback, ''),
        autocomplete: 'username',
      });
    case 'PasswordCallback':
      return textField(callback, {
        label: String(output(callback, 'prompt') || 'Password'),
        type: 'password',
        autocomplete: 'current-password',
      });
    case 'TextInputCallback':
      return textField(callback, {
        label: String(output(callback, 'prompt') || 'Text'),
        value: inputValue(callback, '') || output(callback, 'defaultText') || '',
      });
    case 'ValidatedCreateUsernameCallback':
      return textField(callback, {
        label: String(output(callback, 'prompt') || 'Username'),
        value: inputValue(callback, ''),
        autocomplete: 'username',
      });
    case 'ValidatedCreatePasswordCallback':
      return textField(callback, {
        label: String(output(callback, 'prompt') || 'Password'),
        type: output(callback, 'echoOn') === true ? 'text' : 'password',
        autocomplete: 'new-password',
      });
    case 'TextOutputCallback':
    case 'SuspendedTextOutputCallback':
      return textOutput(callback);
    case 'ConfirmationCallback':
      return confirmation(callback);
    case 'ChoiceCallback':
      return choice(callback);
    case 'HiddenValueCallback':
      return hiddenValue(callback);
    case 'RedirectCallback':
      return redirect(callback);
    case 'BooleanAttributeInputCallback':
      return attributeInput(callback, 'Boolean');
    case 'StringAttributeInputCallback':
      return attributeInput(callback, 'String');
    case 'NumberAttributeInputCallback':
      return attributeInput(callback, 'Number');
    case 'TermsAndConditionsCallback':
      return terms(callback);
    case 'PollingWaitCallback':
      return pollingWait(callback, submit);
    case 'MetadataCallback':
      return { node: null };
    default:
      return unknown(callback);
  }
}

const ALLOWED = new Set(['A', 'BR', 'P', 'STRONG', 'B', 'EM', 'I', 'SPAN', 'UL', 'OL', 'LI', 'SMALL', 'DIV']);

/**
 * A step's description is HTML in AIC (the Login page's links). Only plain formatting and links
 * survive here; AIC's hash links (#/service/Registration) become this page's journey URLs.
 */
export function safeDescription(html, journeyHref) {
  const parsed = new DOMParser().parseFromString('<body>' + String(html) + '</body>', 'text/html');
  const copy = (source, target) => {
    for (const child of source.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) target.append(child.textContent);
      else if (child.nodeType === Node.ELEMENT_NODE) {
        if (!ALLOWED.has(child.tagName)) {
          copy(child, target);
          continue;
        }
        const clean = document.createElement(child.tagName.toLowerCase());
        if (child.tagName === 'A') {
          const href = child.getAttribute('href') || '';
          const service = /^#\/service\/([^/?#]+)/.exec(href);
          const target = service ? journeyHref(decodeURIComponent(service[1])) : navigableUrl(href);
          if (target) clean.setAttribute('href', target);
        }
        copy(child, clean);
        target.append(clean);
      }
    }
  };
  const fragment = document.createDocumentFragment();
  copy(parsed.body, fragment);
  return fragment;
}

/**
 * The form of a step. onSubmit(step) receives a copy of the step with the answers filled in.
 * Answers {form, focus()}.
 */
export function renderStep(step, options) {
  const answer = structuredClone(step);
  const headerId = nextId('step-header');
  let submitter;
  const submit = () => {
    for (const part of parts) if (part.onSubmitter) part.onSubmitter(submitter);
    for (const part of parts) if (part.collect) part.collect();
    options.onSubmit(answer);
  };
  const parts = (answer.callbacks || []).map((callback) => renderCallback(callback, submit));
  const hasButtons = parts.some((part) => part.buttons);
  // A suspended journey waits for its email link: nothing to submit (as platform-ui shows it).
  const suspended = (answer.callbacks || []).some((callback) => callback.type === 'SuspendedTextOutputCallback');
  const description = step.description
    ? el('div', { class: 'step-description' }, safeDescription(step.description, options.journeyHref))
    : null;
  const form = el(
    'form',
    { class: 'step', 'aria-labelledby': headerId, novalidate: true },
    el('h1', { id: headerId, text: step.header || options.title || 'Sign In' }),
    description,
    options.notice ? el('p', { class: 'message error', role: 'alert', text: options.notice }) : null,
    parts.map((part) => part.node),
    hasButtons || suspended
      ? null
      : el('div', { class: 'buttons' }, el('button', { type: 'submit', class: 'primary', text: 'Next' })),
  );
  form.addEventListener('click', (event) => {
    const button = event.target.closest ? event.target.closest('button[type=submit]') : null;
    if (button) submitter = button;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (event.submitter) submitter = event.submitter;
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    submit();
  });
  return {
    form,
    focus: () => {
      const first = parts.find((part) => part.focusable && part.focusable.type !== 'hidden');
      const target = first ? first.focusable : form.querySelector('button');
      if (target) target.focus();
    },
    mounted: () => {
      for (const part of parts) if (part.afterMount) part.afterMount();
    },
  };
}

export { clear };
