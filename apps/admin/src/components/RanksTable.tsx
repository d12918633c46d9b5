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

/** The stages of retrieval, in the order they run, with what a passage's rank at each means. */
export const stages = [
  { key: 'vector', label: 'Dense', meaning: 'rank in the dense (vector) list' },
  { key: 'keyword', label: 'Keyword', meaning: 'rank in the keyword (BM25) list' },
  { key: 'page', label: 'Page', meaning: "rank of the passage's page, by the evidence of its passages in both lists" },
  { key: 'fused', label: 'Fused', meaning: 'rank after fusing the lists (reciprocal rank fusion) and the page evidence' },
  { key: 'reranked', label: 'Reranked', meaning: 'rank after the reranker, among the fused top 50' },
] as const satisfies readonly { key: keyof Ranks; label: string; meaning: string }[];

const rankText = (rank: number | null | undefined) => (rank == null ? '—' : String(rank));

/**
 * Passages in result order with their rank at each stage of retrieval (dense, keyword,
 * page, fused, reranked) and their fused score, and a legend of what each rank means.
 * `reranker` names the reranker that ran (`features-v1`, `llm`), when it is known.
 */
export function RanksTable({ rows, caption, reranker }: { rows: readonly RankedRow[]; caption: string; reranker?: string | null }) {
  return (
    <>
      <div className="table-scroll">
        <table className="ranks">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="stage">
                Rank
              </th>
              {stages.map((stage) => (
                <th key={stage.key} scope="col" className="stage" title={stage.meaning}>
                  {stage.label}
                </th>
              ))}
              <th scope="col">Score</th>
              <th scope="col">Passage</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td className="stage">{row.rank}</td>
                {stages.map((stage) => (
                  <td key={stage.key} className="stage" data-stage={stage.key}>
                    {rankText(row.ranks[stage.key])}
                  </td>
                ))}
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
      <dl className="ranks-legend" aria-label="What the ranks mean">
        <div>
          <dt>Rank</dt>
          <dd>the place in the results (after reranking, with at most two passages of a page)</dd>
        </div>
        {stages.map((stage) => (
          <div key={stage.key}>
            <dt>{stage.label}</dt>
            <dd>
              {stage.meaning}
              {stage.key === 'reranked' && reranker ? ` (${reranker})` : ''}
            </dd>
          </div>
        ))}
        <div>
          <dt>—</dt>
          <dd>not in that list, or the stage did not run (a single list, no reranker)</dd>
        </div>
        <div>
          <dt>Score</dt>
          <dd>the fused score (a single list&apos;s own score when one list is searched)</dd>
        </div>
      </dl>
    </>
  );
}
