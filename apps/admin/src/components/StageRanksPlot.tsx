import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { axisTick } from './axis-tick.js';
import type { RankedRow } from './RanksTable.js';
import { columns, seriesIndex, seriesKey, seriesLabel, stageRankData } from './stage-ranks-data.js';

const ticks = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** A stage's ranks when hovered or reached with the arrow keys: each result's rank there, best first, in its line's colour. */
function StageTooltip({ active, label, payload }: Pick<TooltipContentProps, 'active' | 'label' | 'payload'>) {
  if (!active || !payload?.length) return null;
  const items = payload.filter((item) => typeof item.value === 'number').sort((a, b) => Number(a.value) - Number(b.value));
  return (
    <div className="chart-tooltip">
      <strong>{label}</strong>
      <ol className="chart-tooltip-items">
        {items.map((item) => (
          <li key={String(item.dataKey)}>
            <span className="chart-tooltip-rank">{item.value}</span>{' '}
            <svg className="legend-swatch" width={10} height={10} aria-hidden="true">
              <rect className={`series-swatch series-${seriesIndex(String(item.dataKey)) % 10}`} width={10} height={10} rx={2} />
            </svg>{' '}
            {item.name}
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * The drawing of the stage ranks: a recharts line chart with a line per passage through the
 * stages (a stage that did not see it skipped), rank 1 at the top on a log scale, each line
 * coloured from the stylesheet (`series-0` … `series-9`) and labelled with its place at the
 * right. Loaded on demand with recharts (see StageRanksChart).
 */
export function StageRanksPlot({ rows, height, label }: { rows: readonly RankedRow[]; height: number; label: string }) {
  const { worst, data } = stageRankData(rows);
  const last = columns.length - 1;
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
      <LineChart data={data} role="img" aria-label={label} margin={{ top: 4, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid className="chart-grid" vertical={false} />
        <XAxis
          dataKey="stage"
          orientation="top"
          interval={0}
          tickLine={false}
          axisLine={false}
          padding={{ left: 16, right: 24 }}
          tick={axisTick}
        />
        <YAxis
          type="number"
          scale="log"
          domain={[1, worst]}
          reversed
          ticks={ticks.filter((tick) => tick <= worst)}
          interval={0}
          width={34}
          tickLine={false}
          axisLine={false}
          tick={axisTick}
          padding={{ top: 8, bottom: 8 }}
          allowDataOverflow
        />
        <Tooltip content={StageTooltip} isAnimationActive={false} cursor={{ className: 'chart-cursor-line' }} />
        {rows.map((row, index) => (
          <Line
            key={row.key}
            dataKey={seriesKey(index)}
            name={seriesLabel(row)}
            type="linear"
            connectNulls
            isAnimationActive={false}
            className={`series series-${index % 10}`}
            dot={{ r: 3.5, className: `series-dot series-${index % 10}` }}
            activeDot={{ r: 5, className: `series-dot series-${index % 10}` }}
            label={({ x, y, index: point }) =>
              point === last ? (
                <text key="label" x={Number(x) + 8} y={Number(y) + 4} className={`series-label series-${index % 10}`}>
                  {row.rank}
                </text>
              ) : null
            }
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
