// Small Markdown helpers for reports.
export function table(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number): string =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export const pct = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(1)}%`;
