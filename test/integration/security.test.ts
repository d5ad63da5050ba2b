/**
 * Protections of docs/security.md not shown elsewhere: bounded run history, secret ESVs masked
 * in the runs view, and hostile exports (cyclic inner journeys, deep JSON, enormous scripts) met
 * with an import error or a node error, never harm to the emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from '../helpers/http.js';
import { journey } from '../helpers/journey.js';
import { runScript } from '../helpers/script-journey.js';
import { startEmulator } from '../helpers/tenant.js';

const SECRET = 'sup3r-s3cret-value-42';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    config: { runHistorySize: 3, esvs: { 'esv-api-secret': SECRET, 'esv-greeting': 'hello' } },
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const importExport = (exported: unknown) =>
  http(`${emulator.url}/__emulator/import`, {
    method: 'POST',
    body: typeof exported === 'string' ? exported : JSON.stringify(exported),
  });
const healthy = async () => expect((await http(`${emulator.url}/__emulator/health`)).json).toEqual({ status: 'ok' });

describe('bounded records', () => {
  it('the run history is bounded: the oldest runs are dropped, and then not found', async () => {
    for (let i = 0; i < 5; i += 1) await journey(emulator, 'Login').start();
    const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as { id: string }[];
    expect(runs).toHaveLength(3);
    const first = await journey(emulator, 'Login').start();
    expect(first.response.status).toBe(200);
    const after = (await http(`${emulator.url}/__emulator/runs`)).json.result as { id: string }[];
    expect(after.map((run) => run.id)).not.toContain(runs[0]?.id);
    expect((await http(`${emulator.url}/__emulator/runs/${runs[0]?.id}`)).status).toBe(404);
  });
});

describe('secrets in the runs view', () => {
  it('a secret ESV a script logs, or puts in shared state, is masked in the run; a plain one is not', async () => {
    const run = await runScript(
      emulator,
      'var s = systemEnv.getProperty("esv.api.secret"); logger.error("calling with " + s + " and " + systemEnv.getProperty("esv.greeting")); nodeState.putShared("result", "k=" + s); outcome = "done";',
    );
    expect(run.outcome).toBe('done');
    const text = JSON.stringify(run.logs) + JSON.stringify(run.result);
    expect(text).not.toContain(SECRET);
    expect(run.logs[0]?.message).toContain('hello');
    expect(String(run.result)).toMatch(/^k=/);
  });
});

describe('hostile exports', () => {
  it('inner journeys that call each other in a cycle end in a node error, not a stack overflow of the emulator', async () => {
    const a = 'd0000000-0000-4000-8000-00000000000a';
    const b = 'd0000000-0000-4000-8000-00000000000b';
    const inner = (name: string, id: string, target: string) =>
      treeExport({
        name,
        description: 'cycle',
        entry: id,
        nodes: [
          {
            id,
            type: 'InnerTreeEvaluatorNode',
            name: `to ${target}`,
            x: 1,
            y: 1,
            connections: { true: END.success, false: END.failure },
            config: { tree: target },
          },
        ],
      });
    const imported = await importExport({
      trees: { CycleA: inner('CycleA', a, 'CycleB'), CycleB: inner('CycleB', b, 'CycleA') },
    });
    expect(imported.status).toBe(200);
    const step = await journey(emulator, 'CycleA').start();
    expect([401, 501]).toContain(step.response.status);
    expect(step.body).toMatchObject({ code: step.response.status });
    await healthy();
  });

  it('a deeply nested export is reported as a problem, not a crash', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await importExport(`{"trees":{"Deep":{"tree":${deep}}}}`);
    expect(response.status).toBe(200);
    expect(response.json.imported).toEqual([]);
    expect(response.json.problems.length).toBeGreaterThan(0);
    await healthy();
  });

  it('an enormous script is refused at import without being parsed, and the journey does not run', async () => {
    const source = `var x = 0;\n${'x = x + 1;\n'.repeat(400_000)}outcome = "done";`;
    const id = 'e0000000-0000-4000-8000-0000000000ee';
    const script = 'e0000000-0000-4000-8000-0000000000ef';
    const exported = {
      trees: {
        Huge: treeExport({
          name: 'Huge',
          description: 'a 4 MB script',
          entry: id,
          nodes: [
            {
              id,
              type: 'ScriptedDecisionNode',
              name: 'Huge',
              x: 1,
              y: 1,
              connections: { done: END.failure },
              config: { script, outcomes: ['done'], inputs: ['*'], outputs: ['*'] },
            },
          ],
          scripts: [
            {
              id: script,
              name: 'huge',
              description: '',
              source,
              context: 'SCRIPTED_DECISION_NODE',
              evaluatorVersion: '2.0',
            },
          ],
        }),
      },
    };
    const response = await importExport(exported);
    expect(response.status).toBe(200);
    expect(response.json.problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('more than the emulator runs (1048576)'),
      }),
    );
    const step = await journey(emulator, 'Huge').start();
    expect(step.response.status).toBe(501);
    await healthy();
  });
});
