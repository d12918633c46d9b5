import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from 'recharts';
import { timeAgo } from '../format.js';
import { axisTick } from './axis-tick.js';
import type { Run } from '../api/types.js';

export interface TimelineBar {
  id: string;
  status: Run['status'];
  /** The name of the run's source, for its lane. */
  lane: string;
  /** When the bar starts and ends, in milliseconds since the epoch. */
  range: [number, number];
  label: string;
}

const laneNameWidth = 150;
/** Shorter bars than this are drawn this wide, to be seen and hovered. */
const minimumBarWidth = 4;

const shorten = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** The axis's ticks: its start, two between, and now. */
export function timelineTicks(start: number, now: number): number[] {
  return [0, 1 / 3, 2 / 3, 1].map((fraction) => Math.round(start + fraction * (now - start)));
}

function TimelineTooltip({ active, payload }: Pick<TooltipContentProps, 'active' | 'payload'>) {
  const bar = active ? (payload?.[0]?.payload as TimelineBar | undefined) : undefined;
  return bar ? <div className="chart-tooltip">{bar.label}</div> : null;
}

/**
 * The drawing of the runs timeline: a recharts bar chart with a lane per run, each bar from
 * the run's start to its end, coloured by status from the stylesheet (`status-fill-…`), on
 * an axis from `start` to now. Hovering a lane, or focusing the chart and pressing the arrow
 * keys, shows the run's numbers. Loaded on demand with recharts (see RunsTimeline).
 */
export function RunsTimelinePlot({
  bars,
  start,
  now,
  label,
  height,
  axisHeight,
}: {
  bars: readonly TimelineBar[];
  start: number;
  now: number;
  label: string;
  height: number;
  axisHeight: number;
}) {
  const laneName = new Map(bars.map((bar) => [bar.id, bar.lane]));
  return (
    <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
      <BarChart
        layout="vertical"
        data={[...bars]}
        role="img"
        aria-label={label}
        margin={{ top: 0, right: 24, bottom: 0, left: 0 }}
        barCategoryGap={3}
      >
        <XAxis
          type="number"
          dataKey="range"
          domain={[start, now]}
          ticks={timelineTicks(start, now)}
          tickFormatter={(tick: number) => (tick >= now ? 'now' : timeAgo(new Date(tick).toISOString(), now))}
          allowDataOverflow
          height={axisHeight}
          tick={axisTick}
        />
        <YAxis
          type="category"
          dataKey="id"
          interval={0}
          width={laneNameWidth}
          axisLine={false}
          tickLine={false}
          tick={({ x, y, payload }) => (
            <text className="lane-name" x={x} y={y} dy="0.35em" textAnchor="end">
              {shorten(laneName.get(String(payload.value)) ?? '', 22)}
            </text>
          )}
        />
        <Tooltip content={TimelineTooltip} isAnimationActive={false} cursor={{ className: 'chart-cursor' }} />
        <Bar
          dataKey="range"
          isAnimationActive={false}
          background={{ className: 'chart-track' }}
          shape={(props: BarShapeProps) => {
            const bar = props.payload as TimelineBar;
            return (
              <rect
                className={`timeline-bar status-fill-${bar.status}`}
                data-status={bar.status}
                x={props.x}
                y={props.y}
                width={Math.max(props.width, minimumBarWidth)}
                height={props.height}
              />
            );
          }}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
