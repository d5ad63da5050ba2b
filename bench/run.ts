/**
 * `npm run bench [-- name...]`: runs the benchmarks (all, or those named) and prints Markdown.
 * Every figure is a ratio against a baseline measured in the same run, because the machines
 * that run this are shared and noisy.
 */
import { cpus } from 'node:os';

const BENCHES: Record<string, () => Promise<{ run(): Promise<string> }>> = {
  'store-scale': () => import('./store-scale.js'),
  journeys: () => import('./journeys.js'),
  throughput: () => import('./throughput.js'),
  startup: () => import('./startup.js'),
  million: () => import('./million.js'),
  'redis-store': () => import('./redis-store.js'),
  journal: () => import('./journal.js'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
  const unknown = names.filter((name) => !(name in BENCHES));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.stdout.write(
    `## npm run bench (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})\n\n`,
  );
  for (const name of names) {
    const bench = await (BENCHES[name] as () => Promise<{ run(): Promise<string> }>)();
    process.stdout.write(`${await bench.run()}\n\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
