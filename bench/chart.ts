/**
 * A small SVG bar chart of throughput per endpoint against its baseline, written by the
 * throughput bench next to bench/results.md (no chart library: two bars per row and labels).
 */
export interface ChartRow {
  name: string;
  baseline: number;
  measured: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function throughputChart(rows: ChartRow[], title: string): string {
  const width = 760;
  const labelWidth = 300;
  const barArea = width - labelWidth - 90;
  const rowHeight = 46;
  const top = 40;
  const height = top + rows.length * rowHeight + 30;
  const max = Math.max(...rows.flatMap((row) => [row.baseline, row.measured]), 1);
  const bar = (value: number) => Math.max(1, Math.round((value / max) * barArea));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    parts.push(
      `<text x="10" y="${y + 20}">${escape(row.name)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${bar(row.baseline)}" height="16" fill="#b0b7c3"/>`,
      `<text x="${labelWidth + bar(row.baseline) + 6}" y="${y + 12}">${row.baseline.toFixed(0)} req/s (bare Fastify)</text>`,
      `<rect x="${labelWidth}" y="${y + 19}" width="${bar(row.measured)}" height="16" fill="#2f6fde"/>`,
      `<text x="${labelWidth + bar(row.measured) + 6}" y="${y + 31}">${row.measured.toFixed(0)} req/s (${(row.measured / row.baseline).toFixed(2)}×)</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
