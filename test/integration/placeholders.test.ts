/**
 * Property placeholders in a node's configuration run as AM substitutes them: from the tenant's
 * ESVs when the node runs (an ESV changed through the control API applies to the next run), a
 * default when nothing resolves, and a clear error (lint and run) when an expression cannot resolve.
 */
import { describe, expect, it } from 'vitest';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';
import { startEmulatorClosedAfterEach } from '../helpers/tenant.js';

const start = startEmulatorClosedAfterEach();
const SUCCESS = '70e691a5-1e33-4ac3-a356-e7b6d60d92e0';
const FAILURE = 'e301438c-0bd0-429c-ab0c-66126501069a';
const NODE = 'c1000000-0000-4000-8000-000000000001';

function messageExport(name: string, message: string) {
  return {
    trees: {
      [name]: {
        tree: {
          _id: name,
          entryNodeId: NODE,
          nodes: {
            [NODE]: {
              nodeType: 'MessageNode',
              displayName: 'Greeting',
              connections: { true: SUCCESS, false: FAILURE },
            },
          },
        },
        nodes: {
          [NODE]: {
            _id: NODE,
            _type: { _id: 'MessageNode' },
            message: { en: message },
            messageYes: { en: '&{esv.yes.label|OK}' },
            messageNo: { en: 'No' },
          },
        },
      },
    },
  };
}

const shown = (body: { callbacks: { output: { name: string; value: unknown }[] }[] }) => ({
  message: body.callbacks[0]?.output[0]?.value,
  options: body.callbacks[1]?.output.find((output) => output.name === 'options')?.value,
});

describe('property placeholders in node configuration', () => {
  it('substituted from the ESVs when the node runs, so an ESV change applies; defaults used', async () => {
    const emulator = await start();
    const imported = await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(messageExport('Placeholders', 'Welcome to &{esv.brand.name} at https://&{fqdn}')),
    });
    // Not yet defined: a warning at import (the ESV may be created before the journey runs).
    expect(imported.json.problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('&{esv.brand.name}') }),
    ]);
    await http(`${emulator.url}/__emulator/esvs/esv-brand-name`, { method: 'PUT', body: '{"value":"Acme"}' });
    const host = new URL(emulator.url).hostname;
    const first = await journey(emulator, 'Placeholders').start();
    expect(shown(first.body)).toEqual({ message: `Welcome to Acme at https://${host}`, options: ['OK', 'No'] });

    await http(`${emulator.url}/__emulator/esvs/esv-brand-name`, { method: 'PUT', body: '{"value":"Zenith"}' });
    await http(`${emulator.url}/__emulator/esvs/esv-yes-label`, { method: 'PUT', body: '{"value":"Continue"}' });
    const second = await journey(emulator, 'Placeholders').start();
    expect(shown(second.body)).toEqual({
      message: `Welcome to Zenith at https://${host}`,
      options: ['Continue', 'No'],
    });
  });

  it('an expression that cannot resolve is a lint error at import and a run error naming it', async () => {
    const emulator = await start();
    const imported = await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(messageExport('Unresolvable', 'Go to &{am.not.a.property}')),
    });
    expect(imported.json.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        journey: 'Unresolvable',
        message: expect.stringContaining('&{am.not.a.property} (not a property the emulator resolves'),
      }),
    ]);
    // An ESV the tenant lacks is a warning at import (it may be created first); the run fails naming it.
    await http(`${emulator.url}/__emulator/import`, {
      method: 'POST',
      body: JSON.stringify(messageExport('MissingEsv', 'Welcome to &{esv.brand.name}')),
    });
    const run = await journey(emulator, 'MissingEsv').start();
    expect(run.response.status).toBe(401);
    expect(run.body.message).toBe('Login failure');
    const runs = await http(`${emulator.url}/__emulator/runs`);
    expect(JSON.stringify(runs.json)).toContain(
      'cannot resolve the configuration expression &{esv.brand.name} (no ESV esv-brand-name in this tenant, and no default)',
    );
  });
});
