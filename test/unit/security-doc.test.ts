/**
 * docs/security.md names, for every protection, the test that shows it. This keeps those names
 * true: each cited test file exists, and each quoted test name (up to an ellipsis or a `%s`
 * placeholder) stands in that file. A renamed or deleted test fails here, not silently in the doc.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/optional.js';

const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'security.md'), 'utf8');

/** Each table row's last cell, read as "`file` "name", "name"; `file` …" with "same file" allowed. */
function citations(): { file: string; name: string }[] {
  const found: { file: string; name: string }[] = [];
  for (const line of doc.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|');
    const shownBy = cells[cells.length - 2] ?? '';
    let file: string | undefined;
    for (const part of shownBy.split(/(`test\/[^`]+\.ts`|same file)/)) {
      const cited = /^`(test\/[^`]+\.ts)`$/.exec(part);
      if (cited) {
        file = cited[1];
        continue;
      }
      if (part === 'same file' || file === undefined) continue;
      for (const match of part.matchAll(/"([^"]+)"/g)) {
        const name = (match[1] ?? '').split(/…|%s|\.\.\.|\(…\)/)[0]?.trim() ?? '';
        if (name !== '') found.push({ file, name: name.slice(0, 60) });
      }
    }
  }
  return found;
}

describe('docs/security.md', () => {
  const cited = citations();

  it('cites tests (the table is read as intended)', () => {
    expect(cited.length).toBeGreaterThan(40);
  });

  it.each(cited.map((citation) => [`${citation.file}: ${citation.name}`, citation] as const))(
    '%s',
    (_label, citation) => {
      const path = join(PROJECT_ROOT, citation.file);
      expect(existsSync(path), `${citation.file} does not exist`).toBe(true);
      expect(readFileSync(path, 'utf8')).toContain(citation.name);
    },
  );
});
