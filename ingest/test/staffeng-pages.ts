/** The public site the mirror and static-build tests publish to (never fetched: `.example`). */
export const publicSite = 'https://staffeng.example/';

function paragraph(topic: string): string {
  return `<p>${topic} is a recurring theme for staff engineers, who spend much of their week setting direction, sponsoring others and writing down the decisions that would otherwise be argued about again in every planning meeting. Doing it well takes patience and a willingness to be wrong in public.</p>`;
}

/**
 * A page of a static build of the public site, as Hugo writes it with `baseURL` set to the
 * public address: its canonical link (when given) and some of its links are absolute URLs
 * of the public site, whatever host serves it.
 */
export function staffengPage(options: { title: string; canonical: string | null; topic: string; links?: string[] }): string {
  const links = (options.links ?? []).map((href) => `<a href="${href}">${href}</a>`).join(' and ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${options.title} | StaffEng</title>
    ${options.canonical ? `<link rel="canonical" href="${options.canonical}">` : ''}
    <meta name="author" content="Will Larson">
  </head>
  <body>
    <header><nav><a href="${publicSite}">StaffEng</a></nav></header>
    <main>
      <article>
        <h1>${options.title}</h1>
        ${paragraph(options.topic)}
        <h2 id="in-practice">In practice</h2>
        ${paragraph(`${options.topic} in practice`)}
        ${links ? `<p>Read on: ${links}.</p>` : ''}
      </article>
    </main>
  </body>
</html>
`;
}

/** A listing page (a home or tags page): no article, only links. */
export function staffengListing(links: string[]): string {
  const items = links.map((href) => `<li><a href="${href}">${href}</a></li>`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>StaffEng</title></head><body><main><ul>${items}</ul></main></body></html>\n`;
}
