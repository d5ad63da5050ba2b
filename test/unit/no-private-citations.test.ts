/**
 * Comments cite public sources (AIC's and PingAM's docs, AM's source in OpenIdentityPlatform/OpenAM
 * and ForgeRock/am-external, the SDKs, AIC traffic recorded by frodo's tests), never the project's
 * private reference notes: those live outside the repository (`../shared/reference`), so a clone or
 * the published package has nothing a citation of them could point at. This scans the sources that
 * ship or document the wire (emulator/, client/, contracts/) and, when it is built and up to date,
 * the package's build output (dist/emulator, dist/client: compiled code keeps its comments, and the
 * source maps inline the sources), and fails on:
 * - a path into the private notes (`../shared`, `shared/reference`);
 * - a notes file named as a source (`<name>-facts`, with or without a `§` section);
 * - a bare section sign with a number (`§2.7`), unless it cites an RFC (`RFC 2047 §6.2`);
 * - an appendix recording named by its number (`[real A4]`, `recorded traffic A1-A5`, `(A4)`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/optional.js';

/**
 * Files allowed to still cite the private notes while someone else is changing them (none today). An entry must
 * leave the list once its file is fixed: the third test fails while a listed file no longer cites anything, so an
 * entry cannot outlive its reason.
 */
const STILL_TO_DO: readonly string[] = [];

const SCANNED = ['emulator', 'client', 'contracts'];
const BUILT = ['dist/emulator', 'dist/client'];
const TEXT = /\.(?:[cm]?[jt]s|json|md|html|css|map)$/;

const CITATIONS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a path into the private notes', pattern: /\.\.\/shared\b|shared\/reference/ },
  { what: 'a notes file named as a source', pattern: /[A-Za-z0-9]-facts\b/ },
  { what: 'a bare section number', pattern: /(?<!RFC \d+ )§\s?\d/ },
  {
    what: 'a recording named by its appendix number',
    pattern: /\[real(?:-classic)?[ ,]+A\d|\b(?:recording|recordings|traffic) A\d|\(A\d\)/,
  },
];

function filesUnder(folder: string): string[] {
  const root = join(PROJECT_ROOT, folder);
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (TEXT.test(entry.name)) found.push(relative(PROJECT_ROOT, path).split(sep).join('/'));
    }
  };
  walk(root);
  return found.sort();
}

/** `file:line: what — text` for every citation in the file. */
function citationsIn(file: string): string[] {
  const found: string[] = [];
  readFileSync(join(PROJECT_ROOT, file), 'utf8')
    .split('\n')
    .forEach((line, index) => {
      for (const { what, pattern } of CITATIONS) {
        if (pattern.test(line)) found.push(`${file}:${index + 1}: ${what} — ${line.trim().slice(0, 160)}`);
      }
    });
  return found;
}

/** The source a built file comes from: `dist/x/y.js`, `.d.ts`, `.js.map` → `x/y.ts`; copied files keep their name. */
function sourceOf(built: string): string | undefined {
  const path = built.replace(/^dist\//, '');
  const compiled = /^(.*)\.(?:d\.ts|js\.map|d\.ts\.map|js)$/.exec(path);
  for (const candidate of compiled ? [`${compiled[1]}.ts`, path] : [path]) {
    if (existsSync(join(PROJECT_ROOT, candidate))) return candidate;
  }
  return undefined;
}

describe('no citations of the private reference', () => {
  const sources = SCANNED.flatMap(filesUnder);

  it('scans the sources (the walk finds them)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources).toContain('client/am-client.ts');
  });

  it('no source outside the still-to-do list cites the private notes', () => {
    const cited = sources.filter((file) => !STILL_TO_DO.includes(file)).flatMap(citationsIn);
    expect(cited).toEqual([]);
  });

  it('every file on the still-to-do list still cites them (remove it once fixed)', () => {
    const clean = STILL_TO_DO.filter((file) => !existsSync(join(PROJECT_ROOT, file)) || citationsIn(file).length === 0);
    expect(clean).toEqual([]);
  });

  const built = BUILT.flatMap(filesUnder);
  it.skipIf(built.length === 0)('the built package cites none either, where it is up to date with its source', () => {
    const cited = built
      .filter((file) => {
        const source = sourceOf(file);
        if (source === undefined || STILL_TO_DO.includes(source)) return false;
        // A build older than its source says nothing about the source as it is now.
        return statSync(join(PROJECT_ROOT, file)).mtimeMs >= statSync(join(PROJECT_ROOT, source)).mtimeMs;
      })
      .flatMap(citationsIn);
    expect(cited).toEqual([]);
  });
});
