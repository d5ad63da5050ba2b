/**
 * Runs a script the way a journey would: one Scripted Decision node (outcomes `done` and
 * `other`), started over /authenticate. The script reports through shared state key `result`
 * (read back from the run's record) or fails the journey (the run's error says why).
 */
import type { Emulator } from '../../emulator/index.js';
import { END, treeExport } from '../../emulator/config/demo-journeys/build.js';
import { http } from './http.js';
import { journey } from './journey.js';

let counter = 0;

export interface ScriptRun {
  status: number;
  result: unknown;
  error: string | undefined;
  logs: { level: string; message: string }[];
  outcome: string | undefined;
}

export async function runScript(
  emulator: Emulator,
  source: string,
  options: { engine?: '1.0' | '2.0'; outcomes?: string[]; headers?: Record<string, string> } = {},
): Promise<ScriptRun> {
  counter += 1;
  const name = `ScriptProbe${counter}`;
  const node = `e0000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const script = `f0000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const outcomes = options.outcomes ?? ['done', 'other'];
  const exported = {
    trees: {
      [name]: treeExport({
        name,
        description: 'script probe',
        entry: node,
        nodes: [
          {
            id: node,
            type: 'ScriptedDecisionNode',
            name: 'Probe',
            x: 1,
            y: 1,
            connections: Object.fromEntries(outcomes.map((outcome) => [outcome, END.failure])),
            config: { script, outcomes, inputs: ['*'], outputs: ['*'] },
          },
        ],
        scripts: [
          {
            id: script,
            name: `probe-${counter}`,
            description: '',
            source,
            context: 'AUTHENTICATION_TREE_DECISION_NODE',
            evaluatorVersion: options.engine ?? '2.0',
          },
        ],
      }),
    },
  };
  await http(`${emulator.url}/__emulator/import`, { method: 'POST', body: JSON.stringify(exported) });
  // Every outcome leads to Failure: the probe is about the script, which the run record shows.
  const step = await journey(emulator, name, { ...(options.headers ? { headers: options.headers } : {}) }).start();
  const runs = (await http(`${emulator.url}/__emulator/runs`)).json.result as {
    journey: string;
    error?: string;
    visits: {
      outcome?: string;
      shared: { key: string; after?: unknown }[];
      logs: { level: string; message: string }[];
    }[];
  }[];
  const run = runs.filter((entry) => entry.journey === name).at(-1);
  const visit = run?.visits[0];
  return {
    status: step.response.status,
    result: visit?.shared.find((change) => change.key === 'result')?.after,
    error: run?.error,
    logs: visit?.logs ?? [],
    outcome: visit?.outcome,
  };
}
