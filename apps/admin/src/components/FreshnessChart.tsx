import type { FreshnessBucket } from '../api/types.js';

export interface FreshnessSegment {
  key: string;
  label: string;
  pages: number;
  /** For the colour: the youngest bucket, the ones between, the stale one, the vanished pages. */
  tone: 'fresh' | 'aging' | 'stale' | 'vanished';
}

/** A bucket's name: "under a day", "1–7 days", "30+ days (stale)". */
export function bucketLabel(bucket: FreshnessBucket): string {
  if (bucket.toDays === null) return `${bucket.fromDays}+ days${bucket.stale ? ' (stale)' : ''}`;
  if (bucket.fromDays === 0 && bucket.toDays === 1) return 'under a day';
  return `${bucket.fromDays}–${bucket.toDays} days`;
}

/** The segments of a source's freshness bar: its pages by age since the last crawl, youngest first, then the vanished ones. */
export function freshnessSegments(freshness: readonly FreshnessBucket[], vanished: number): FreshnessSegment[] {
  return [
    ...freshness.map((bucket, index) => ({
      key: `${bucket.fromDays}`,
      label: bucketLabel(bucket),
      pages: bucket.pages,
      tone: bucket.stale ? ('stale' as const) : index === 0 ? ('fresh' as const) : ('aging' as const),
    })),
    { key: 'vanished', label: 'vanished', pages: vanished, tone: 'vanished' as const },
  ];
}

/** "12 pages: 4 under a day, 6 1–7 days, 2 30+ days (stale), 1 vanished" (empty buckets left out). */
export function freshnessSummary(segments: readonly FreshnessSegment[]): string {
  const total = segments.reduce((sum, segment) => sum + segment.pages, 0);
  if (total === 0) return 'no pages yet';
  const parts = segments.filter((segment) => segment.pages > 0).map((segment) => `${segment.pages} ${segment.label}`);
  return `${total} pages: ${parts.join(', ')}`;
}

const width = 160;
const height = 14;

/**
 * A source's freshness as one stacked bar (inline SVG: no style attributes, so the CSP's
 * `style-src 'self'` holds): its pages by age since their last crawl, stale ones in the
 * warning colour and vanished ones apart. The numbers are in its accessible name, in each
 * segment's tooltip and in the table beside it.
 */
export function FreshnessChart({ name, freshness, vanished }: { name: string; freshness: readonly FreshnessBucket[]; vanished: number }) {
  const segments = freshnessSegments(freshness, vanished);
  const total = segments.reduce((sum, segment) => sum + segment.pages, 0);
  const summary = freshnessSummary(segments);
  const shown = segments.filter((segment) => segment.pages > 0);
  const widths = shown.map((segment) => (total === 0 ? 0 : (segment.pages / total) * width));
  const offsets = widths.map((_, index) => widths.slice(0, index).reduce((sum, value) => sum + value, 0));
  return (
    <svg
      className="freshness-chart"
      role="img"
      aria-label={`Freshness of ${name}: ${summary}`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      data-total={total}
    >
      <rect className="chart-track" x={0} y={0} width={width} height={height} rx={3} />
      {shown.map((segment, index) => (
        <rect
          key={segment.key}
          className={`tone-${segment.tone}`}
          data-tone={segment.tone}
          x={offsets[index]}
          y={0}
          width={widths[index]}
          height={height}
        >
          <title>{`${segment.pages} ${segment.pages === 1 ? 'page' : 'pages'} ${segment.label}`}</title>
        </rect>
      ))}
    </svg>
  );
}

/** What the colours of the freshness bars mean. */
export function FreshnessLegend({ staleAfterDays }: { staleAfterDays: number }) {
  const items = [
    ['fresh', 'crawled in the last day'],
    ['aging', `1 to ${staleAfterDays} days ago`],
    ['stale', `stale: over ${staleAfterDays} days`],
    ['vanished', 'vanished from the site'],
  ] as const;
  return (
    <ul className="chart-legend" aria-label="Freshness colours">
      {items.map(([tone, label]) => (
        <li key={tone}>
          <svg width={12} height={12} aria-hidden="true" className="legend-swatch">
            <rect className={`tone-${tone}`} width={12} height={12} rx={2} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
