// Rows that repeat (a GRPO group's G copies of one prompt), found once.

/** The distinct rows in first-seen order, and for each row the index of its distinct row. */
export function distinctRows(rows: number[][]): { distinct: number[][]; rowOf: number[] } {
  const index = new Map<string, number>();
  const distinct: number[][] = [];
  const rowOf = rows.map((r) => {
    const k = r.join(',');
    if (!index.has(k)) {
      index.set(k, distinct.length);
      distinct.push(r);
    }
    return index.get(k)!;
  });
  return { distinct, rowOf };
}
