/** The how-to's Terminate Sessions script, read unmodified from the seed in ../shared. */
import { readFileSync } from 'node:fs';
import { sharedPath } from './optional.js';

export function seedTerminateSessionsScript(): string {
  const text = readFileSync(sharedPath('seeds', '000_c5048c1beba15fac.txt'), 'utf8');
  const start = text.indexOf('```javascript\n');
  const end = text.indexOf('\n```', start + 1);
  if (start < 0 || end < 0) throw new Error('the seed has no javascript block');
  return text.slice(start + '```javascript\n'.length, end + 1);
}
