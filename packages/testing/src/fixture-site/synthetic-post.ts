import type { FixturePost } from './fixture-post.js';

/** mulberry32: a tiny seeded generator, so page `n` reads the same on every run and machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = [
  'The platform team',
  'A new engineering manager',
  'Every staff engineer',
  'The on-call rotation',
  'Quarterly planning',
  'A database migration',
  'The incident review',
  'The hiring loop',
  'A written strategy',
  'The architecture review',
  'Each product team',
  'The reliability budget',
  'A design document',
  'The promotion committee',
  'The deploy pipeline',
  'A reorganization',
  'The roadmap',
  'Cross-team work',
  'The interview rubric',
  'A service ownership map',
];
const verbs = [
  'depends on',
  'slowly erodes',
  'quietly rewards',
  'makes room for',
  'gets clearer with',
  'should start from',
  'tends to hide',
  'costs less than',
  'benefits from',
  'outlasts',
  'competes with',
  'is judged by',
  'rarely survives',
  'works best with',
  'exposes the lack of',
  'turns into',
];
const objects = [
  'a shared vocabulary',
  'honest estimates',
  'small reversible decisions',
  'a clear owner',
  'written context',
  'fewer handoffs',
  'a steady review cadence',
  'explicit trade-offs',
  'measured outcomes',
  'a realistic staffing plan',
  'calm escalation paths',
  'a single source of truth',
  'predictable release trains',
  'thoughtful sponsorship',
  'a backlog nobody reads',
  'well-run retrospectives',
  'documented exceptions',
  'a narrow scope',
];
const endings = [
  '',
  '',
  ' over a few quarters',
  ' when headcount is flat',
  ' once the team doubles',
  ' during a reorganization',
  ' in the first month',
  ' after a major outage',
  ' across time zones',
  ' when priorities shift weekly',
];
const headings = [
  'Why this matters',
  'Where teams get stuck',
  'A working model',
  'Measuring progress',
  'Common failure modes',
  'What to try next',
  'Trade-offs worth naming',
  'Getting buy-in',
  'Staffing the work',
  'Closing thoughts',
  'Signals to watch',
  'A worked example',
];

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The `number`-th generated post (`/bench/<number>/`): a title, an introduction and five
 * sections of varied sentences. Deterministic and cheap (tens of microseconds), so the
 * fixture site can build each one when it is requested.
 */
export function syntheticPost(number: number): FixturePost {
  const random = seededRandom(Math.imul(number, 2654435761) ^ 0x5eed);
  const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
  const sentence = () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)}${pick(endings)}.`;
  const paragraph = () => `<p>${Array.from({ length: 3 + Math.floor(random() * 3) }, sentence).join(' ')}</p>`;

  const shuffled = [...headings];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  const sections = shuffled.slice(0, 5).map((heading, index) => {
    const list = index % 2 === 1 ? `\n<ul>\n${Array.from({ length: 3 }, () => `<li>${sentence()}</li>`).join('\n')}\n</ul>` : '';
    return `<h2 id="${slug(heading)}">${heading}</h2>\n${paragraph()}\n${paragraph()}${list}`;
  });
  const topic = pick(objects);
  const publishedAt = new Date(Date.UTC(2020, 0, 1) + number * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    path: `/bench/${number}/`,
    title: `Bench note ${number}: ${topic.charAt(0).toUpperCase()}${topic.slice(1)}`,
    description: sentence(),
    author: 'Will Larson',
    publishedAt,
    body: `\n${paragraph()}\n${sections.join('\n')}\n`,
  };
}
