import { lazy, Suspense } from 'react';
import type { FreshnessBucket } from '../api/types.js';
import type { FreshnessSegment } from './FreshnessBars.js';

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
const FreshnessBars = lazy(() => import('./FreshnessBars.js').then((module) => ({ default: module.FreshnessBars })));

/**
 * A source's freshness as one stacked bar, drawn with recharts (loaded on demand, so that the
 * pages without charts do not wait for it; the empty track shows meanwhile): its pages by age
 * since their last crawl, stale ones in the warning colour and vanished ones apart. The numbers
 * are in its accessible name, in each segment's tooltip and in the table below the sources.
 */
export function FreshnessChart({ name, freshness, vanished }: { name: string; freshness: readonly FreshnessBucket[]; vanished: number }) {
  const segments = freshnessSegments(freshness, vanished);
  const total = segments.reduce((sum, segment) => sum + segment.pages, 0);
  return (
    <div className="freshness-chart" role="img" aria-label={`Freshness of ${name}: ${freshnessSummary(segments)}`} data-total={total}>
      <Suspense fallback={null}>
        <FreshnessBars segments={segments} width={width} height={height} />
      </Suspense>
    </div>
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
