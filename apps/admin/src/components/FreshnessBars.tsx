import { Bar, BarChart, XAxis, YAxis, type BarShapeProps } from 'recharts';

export interface FreshnessSegment {
  key: string;
  label: string;
  pages: number;
  /** For the colour: the youngest bucket, the ones between, the stale one, the vanished pages. */
  tone: 'fresh' | 'aging' | 'stale' | 'vanished';
}

const noMargin = { top: 0, right: 0, bottom: 0, left: 0 };

/**
 * The drawing of a freshness bar: one recharts bar per segment with pages, stacked, coloured
 * by class (`tone-fresh`, …) from the stylesheet. Each segment's numbers are in its tooltip
 * (an SVG title); the chart around it carries the accessible name. Loaded on demand with
 * recharts (see FreshnessChart).
 */
export function FreshnessBars({ segments, width, height }: { segments: readonly FreshnessSegment[]; width: number; height: number }) {
  const shown = segments.filter((segment) => segment.pages > 0);
  const total = shown.reduce((sum, segment) => sum + segment.pages, 0);
  const row = Object.fromEntries(shown.map((segment) => [segment.key, segment.pages]));
  return (
    <BarChart
      layout="vertical"
      width={width}
      height={height}
      data={[row]}
      margin={noMargin}
      barCategoryGap={0}
      accessibilityLayer={false}
      aria-hidden="true"
    >
      <XAxis type="number" hide domain={[0, Math.max(total, 1)]} />
      <YAxis type="category" hide />
      {shown.map((segment) => (
        <Bar
          key={segment.key}
          dataKey={segment.key}
          stackId="pages"
          isAnimationActive={false}
          shape={(bar: BarShapeProps) => (
            <rect className={`tone-${segment.tone}`} data-tone={segment.tone} x={bar.x} y={bar.y} width={bar.width} height={bar.height}>
              <title>{`${segment.pages} ${segment.pages === 1 ? 'page' : 'pages'} ${segment.label}`}</title>
            </rect>
          )}
        />
      ))}
    </BarChart>
  );
}
