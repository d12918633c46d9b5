import { describe, expect, it } from 'vitest';
import { carriedRows, renderTables, type Row } from '../bench/compare/report.js';

const rows: Row[] = [
  {
    section: 1,
    label: 'search latency · local-512 · 100,000 · pglite',
    figure: 'Cairn p50 9.1 ms',
    target: '≤ 1.0× LangChain p50',
    status: 'met',
  },
  {
    section: 1,
    label: 'search latency · local-512 · 10,000 · pglite',
    figure: 'Cairn p50 5.2 ms',
    target: '≤ 1.0× LangChain p50',
    status: 'MISSED',
  },
  { section: 2, label: 'recall@10 ef_search 40 · local-512 · 100,000 · pglite', figure: 'a | b', target: '≥ 0.95', status: 'MISSED' },
  { section: 4, label: 'bulk load, index after · local-512 · 100,000 · pglite', figure: 'Cairn 80 s', target: '— (reported)', status: '—' },
  { section: 5, label: '/healthz vs bare node:http · pglite', figure: '0.18×', target: '≥ 0.9× bare Node', status: 'MISSED' },
];
const header = '```text\nCairn against LangChain and bare Postgres/Node, 2026-11-24T09:46:14.320Z\n```';
const file = `# Benchmarks\n\n<!-- compare.bench.ts: start -->\n${header}\n\n${renderTables(rows)}\n<!-- compare.bench.ts: end -->\n`;

describe('carriedRows (a BENCH_SKIP run keeps the rows it did not measure)', () => {
  it('takes exactly the rows not measured again, with their sections, marked with the run that measured them', () => {
    const carried = carriedRows(file, new Set([rows[1]!.label, rows[4]!.label]));
    expect(carried.map((row) => row.label)).toEqual([rows[0]!.label, rows[2]!.label, rows[3]!.label]);
    expect(carried.map((row) => row.section)).toEqual([1, 2, 4]);
    expect(carried[1]).toEqual({ ...rows[2], figure: 'a | b (run of 2026-11-24T09:46)' });
    // Carried twice, marked once.
    const again = `# Benchmarks\n\n<!-- compare.bench.ts: start -->\n${header.replace('09:46', '11:02')}\n\n${renderTables(carried)}\n<!-- compare.bench.ts: end -->\n`;
    expect(carriedRows(again, new Set())[0]!.figure).toBe('Cairn p50 9.1 ms (run of 2026-11-24T09:46)');
  });

  it('carries nothing without a section, or when every row was measured again', () => {
    expect(carriedRows('# Benchmarks\n', new Set())).toEqual([]);
    expect(carriedRows(file, new Set(rows.map((row) => row.label)))).toEqual([]);
  });
});
