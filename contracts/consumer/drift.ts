/**
 * The committed pact is the contract: under `npm test` the consumer tests write a fresh one to a
 * temporary folder, and this compares the two. A difference means the client's contract changed
 * without the committed pact being regenerated (`npm run contracts:consumer`) for review.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { COMMITTED_PACTS, PACT_FILE } from './pact-setup.js';

/** The parts of a pact that are the contract: interactions by description, without Pact's own bookkeeping. */
export function contractOf(file: string): unknown {
  const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions: Record<string, unknown>[] };
  return pact.interactions
    .map((interaction) => {
      const { key: _key, ...rest } = interaction;
      return rest;
    })
    .sort((a, b) => String(a['description']).localeCompare(String(b['description'])));
}

export function expectNoDrift(freshDir: string): void {
  const committed = join(COMMITTED_PACTS, PACT_FILE);
  if (!existsSync(committed)) throw new Error(`no committed pact at ${committed}: run npm run contracts:consumer`);
  expect(
    contractOf(join(freshDir, PACT_FILE)),
    'the client’s contract differs from contracts/pacts: run npm run contracts:consumer and review the diff',
  ).toEqual(contractOf(committed));
}
