// Parses samples.md, the Markdown tables the trainers append (src/train/metrics-log.ts):
//   ### <title> — step <n>
//   | example | prompt | prediction | truth | <score name> |
// Cells escape '|' as '\|' and newlines as '⏎', and are cut at 160 characters. A section or
// row that does not fit is reported as an error and skipped; this never throws.

export interface SampleRow {
  id: string;
  prompt: string;
  prediction: string;
  truth: string;
  /** the score columns, by header (today one: 'reward' or the metric the trainer named) */
  scores: Record<string, number | null>;
}

export interface SampleSection {
  title: string;
  step: number | null;
  rows: SampleRow[];
}

export interface ParsedSamples {
  sections: SampleSection[];
  errors: string[];
}

const HEADING = /^###\s+(.*?)(?:\s+—\s+step\s+(\d+))?\s*$/;

/** The cells of a table line, '\|' unescaped and '⏎' back to newlines. */
function cells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && body[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim().replace(/⏎/g, '\n'));
}

export function parseSamples(text: string): ParsedSamples {
  const sections: SampleSection[] = [];
  const errors: string[] = [];
  let cur: SampleSection | null = null;
  let header: string[] | null = null;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    const h = HEADING.exec(line);
    if (h) {
      cur = { title: h[1]!, step: h[2] === undefined ? null : Number(h[2]), rows: [] };
      sections.push(cur);
      header = null;
      return;
    }
    if (!line.startsWith('|')) return;
    if (!cur) {
      errors.push(`samples.md line ${i + 1}: a table row before any "### … — step N" heading`);
      return;
    }
    const c = cells(line);
    if (!header) {
      header = c;
      return;
    }
    if (c.every((x) => /^:?-+:?$/.test(x))) return; // the |---| rule
    const hd: string[] = header;
    if (c.length !== hd.length || hd.length < 5) {
      errors.push(`samples.md line ${i + 1}: ${c.length} cells where the header has ${hd.length}`);
      return;
    }
    const scores: Record<string, number | null> = {};
    for (let k = 4; k < hd.length; k++) {
      const v = Number(c[k]);
      scores[hd[k]!] = c[k] !== '' && Number.isFinite(v) ? v : null;
    }
    (cur as SampleSection).rows.push({ id: c[0]!, prompt: c[1]!, prediction: c[2]!, truth: c[3]!, scores });
  });
  return { sections, errors };
}
