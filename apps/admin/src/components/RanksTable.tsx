import type { Ranks } from '../api/types.js';

export interface RankedRow {
  key: string;
  rank: number;
  score: number;
  ranks: Ranks;
  title: string;
  heading: string;
  url: string;
  source: string;
  note?: string;
}

const rankText = (rank: number | null) => (rank === null ? '—' : String(rank));

/** Passages with their fused rank and score beside their ranks in the dense and keyword lists. */
export function RanksTable({ rows, caption }: { rows: readonly RankedRow[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table className="ranks">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Fused rank</th>
            <th scope="col">Dense rank</th>
            <th scope="col">Keyword rank</th>
            <th scope="col">Score</th>
            <th scope="col">Passage</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td>{row.rank}</td>
              <td>{rankText(row.ranks.vector)}</td>
              <td>{rankText(row.ranks.keyword)}</td>
              <td>{row.score.toFixed(4)}</td>
              <td>
                <a href={row.url} target="_blank" rel="noopener noreferrer">
                  {row.heading || row.title}
                </a>{' '}
                <span className="muted">({row.source})</span>
                {row.note && <span className="badge">{row.note}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
