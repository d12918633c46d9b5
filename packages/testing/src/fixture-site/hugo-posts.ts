import type { FixturePost } from './fixture-post.js';
import { hiddenTextPost } from './hidden-text-post.js';

const author = 'Will Larson';

/**
 * The Hugo section of the fixture site (`/posts/<slug>/`), newest first. The text is written
 * for the fixture. Internal links mostly drop the trailing slash, as hand-written Markdown
 * links on Hugo sites do; `managing-technical-debt` also carries tracking parameters and
 * fragments, and `running-incident-reviews` links to a moved URL.
 */
export const hugoPosts: FixturePost[] = [
  {
    path: '/posts/writing-engineering-strategy/',
    title: 'Writing an engineering strategy',
    description: 'A strategy is a diagnosis, a few guiding policies and the actions that follow from them.',
    author,
    publishedAt: '2023-05-01T00:00:00Z',
    body: `
<p>Most engineering organizations already have a strategy. It is just unwritten, which means every
new hire reverse-engineers it from code review comments and the order in which projects get cancelled.
Writing it down is less about inventing something new and more about making the existing choices
visible enough to argue with.</p>
<h2 id="start-with-a-diagnosis">Start with a diagnosis</h2>
<p>A useful strategy begins by describing the situation honestly. What is slowing the team down? Which
systems page people at night? Where do projects stall waiting on another group? A diagnosis that a
skeptical senior engineer would nod along to is worth more than an inspiring vision statement.</p>
<p>Keep the diagnosis short. If it runs past a page, it usually mixes observations with proposals,
and the proposals belong in the next part.</p>
<h2 id="choose-a-few-guiding-policies">Choose a few guiding policies</h2>
<p>Guiding policies are the decisions that make later decisions easy. They should be specific enough
that someone could disagree with them. "We value quality" is not a policy; "new services run on the
shared deployment platform unless the platform team agrees to an exception" is.</p>
<ul>
<li>Prefer policies that remove a recurring debate.</li>
<li>State the trade-off you are accepting, not only the benefit.</li>
<li>Name who can grant an exception, and how.</li>
</ul>
<h2 id="make-it-concrete">Make it concrete</h2>
<p>Policies become real through actions: a migration plan, a change to the architecture review, a
staffing decision. If nothing on next quarter's roadmap changes because of the strategy, it has not
been adopted yet. The <a href="/posts/planning-large-migrations">post on planning migrations</a>
covers one common way strategies turn into work.</p>
<h2 id="revisit-it">Revisit it</h2>
<p>Strategies age. Put a date on the document, note which assumptions would make you rewrite it,
and check those assumptions every six months or so. A strategy that is quietly ignored is worse than
one that is openly retired.</p>
`,
  },
  {
    path: '/posts/the-staff-engineer-role/',
    title: 'What a staff engineer actually does',
    description: 'Setting direction, sponsoring others and writing things down, and where the role goes wrong.',
    author,
    publishedAt: '2023-03-14T00:00:00Z',
    body: `
<p>The staff engineer title means different things at different companies, but the work tends to
cluster around a handful of activities that sit between writing code and managing people. None of
them show up neatly in a commit history, which is part of why the role is hard to explain.</p>
<h2 id="setting-technical-direction">Setting technical direction</h2>
<p>Someone has to decide which database the next five services will use, or whether the monolith is
split this year. Staff engineers often own those calls, or at least own the process that makes them.
Good direction is boring in hindsight: it prevents a dozen small divergent choices that would each have
been reasonable alone.</p>
<h2 id="sponsoring-others">Sponsoring others</h2>
<p>A large share of the job is making other engineers more effective. That means putting their names
on visible projects, reviewing their design documents carefully, and speaking up for them in rooms
they are not in yet. Mentoring advises; sponsorship spends your own credibility on someone else.</p>
<h2 id="writing-things-down">Writing things down</h2>
<p>Decisions that live only in meetings are remade every quarter. Short design documents, decision
records and the occasional <a href="/posts/writing-engineering-strategy">written strategy</a> let a
group of forty engineers act as if they had all been in the same conversation.</p>
<h2 id="where-the-role-goes-wrong">Where the role goes wrong</h2>
<ul>
<li>Becoming the only person who can approve changes to a critical system.</li>
<li>Spending every week on urgent escalations and none on the problems that cause them.</li>
<li>Treating the title as a reward rather than a set of responsibilities.</li>
</ul>
<p>Each of these is easy to slide into and hard to notice from the inside, so ask your manager and a
few peers to point them out when they see them.</p>
`,
  },
  {
    path: '/posts/managing-technical-debt/',
    title: 'Managing technical debt without a rewrite',
    description: 'Name the debt, pick what to pay down, and make room for it in the roadmap.',
    author,
    publishedAt: '2022-11-08T00:00:00Z',
    body: `
<p>Every team says it has too much technical debt, and most of them are right. The trouble is that
"debt" becomes a label for anything engineers dislike, which makes it impossible to prioritize. This
post skips ahead to <a href="#choosing-what-to-pay-down">choosing what to pay down</a> if you already
have a list.</p>
<h2 id="naming-the-debt">Naming the debt</h2>
<p>Start by writing each item as a cost the team pays today: "deploys of the billing service take
forty minutes and fail one time in five" is debt; "the billing service is old" is not. Costs can be
compared, and a comparison is what a roadmap needs. The same framing helps when you
<a href="/posts/sizing-engineering-teams/?utm_source=twitter&amp;utm_medium=social#on-call-math">count
on-call load</a>.</p>
<h2 id="choosing-what-to-pay-down">Choosing what to pay down</h2>
<p>Favor items that slow down many people a little over items that slow down one person a lot, and
favor items on code that is changing over items on code that is stable. Stable, ugly code is often
fine to leave alone for years.</p>
<ul>
<li>How many engineers touch this each week?</li>
<li>Is the code on the path of next quarter's product work?</li>
<li>Can it be fixed in slices, or only all at once?</li>
</ul>
<h2 id="making-room-in-the-roadmap">Making room in the roadmap</h2>
<p>Debt work that competes with product work one ticket at a time always loses. Agree on a fixed share
of capacity instead, or attach the cleanup to the feature that needs it. Large items deserve a real
plan; the <a href="/posts/planning-large-migrations?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=debt">post
on migrations</a> describes one, and the
<a href="/posts/writing-engineering-strategy/#start-with-a-diagnosis">diagnosis step of a strategy</a>
is a good place to record why the share exists.</p>
`,
  },
  {
    path: '/posts/running-incident-reviews/',
    title: 'Running incident reviews people want to attend',
    description: 'Preparation, a blameless conversation and follow-up work that actually ships.',
    author,
    publishedAt: '2022-08-22T00:00:00Z',
    body: `
<p>An incident review is one of the few meetings where an organization can learn something it did not
already know. Too often it turns into a status report read aloud, followed by a list of action items
nobody owns. A little structure fixes most of that.</p>
<h2 id="before-the-meeting">Before the meeting</h2>
<p>Write the timeline in advance and share it a day early. People should arrive having read it, so the
meeting can spend its time on why things happened rather than on what happened. Invite the people who
were paged, the owners of the systems involved and one or two curious outsiders.</p>
<h2 id="during-the-review">During the review</h2>
<p>Ask how the situation made sense to each person at the time. Decisions that look wrong afterwards
usually looked reasonable with the information available, and that gap is where the lessons are.
Keep the facilitator separate from the incident commander so nobody grades their own work.</p>
<ul>
<li>What surprised us?</li>
<li>What made detection slower than it should have been?</li>
<li>Which safeguard almost worked?</li>
</ul>
<h2 id="follow-up-that-sticks">Follow-up that sticks</h2>
<p>Limit the action items to the few that would have changed the outcome, give each one an owner and a
date, and review them in the next planning cycle. Recurring themes across reviews are a signal for
larger investments, like the ones described in an
<a href="/old/moved-post">older post about migrations</a>.</p>
`,
  },
  {
    path: '/posts/sizing-engineering-teams/',
    title: 'Sizing engineering teams',
    description: 'How small a team can be, when to split one, and what on-call does to the numbers.',
    author,
    publishedAt: '2022-04-05T00:00:00Z',
    body: `
<p>Team size questions come up at every growth stage: a team is too small to keep its systems running,
or too big for its manager to know what everyone is doing. A few rules of thumb make these
conversations shorter.</p>
<h2 id="the-smallest-useful-team">The smallest useful team</h2>
<p>A team needs enough people to absorb a vacation, a sick week and a new hire ramping up at the same
time, while still shipping something. In practice that is around four engineers plus a manager. Below
that, the team is a project with a name.</p>
<h2 id="when-to-split">When to split</h2>
<p>Teams of eight to ten start to fragment on their own: stand-ups run long and two or three informal
sub-groups form. Splitting along those natural lines, with a clear owner for each system, works better
than drawing new boundaries on a whiteboard.</p>
<h2 id="on-call-math">On-call math</h2>
<p>A healthy rotation needs six to eight people so that each engineer is on call about one week in
seven. If a team owns a system with a pager and has fewer people than that, either merge rotations
with a neighbour or plan the hiring before the burnout arrives.</p>
<ul>
<li>Count only engineers who can actually resolve pages.</li>
<li>Count a secondary rotation as half a person's week.</li>
<li>Revisit the numbers after every reorganization.</li>
</ul>
`,
  },
  {
    path: '/posts/planning-large-migrations/',
    title: 'Planning large migrations',
    description: 'De-risk first, make the new path the easy one, and budget for the long tail.',
    author,
    publishedAt: '2021-10-19T00:00:00Z',
    body: `
<p>Migrations are how infrastructure teams pay down debt at scale, and they are also how they lose
the trust of every product team they depend on. The difference is mostly in the planning.</p>
<h2 id="de-risk-first">De-risk first</h2>
<p>Move the hardest one or two consumers before announcing anything broadly. They will find the gaps in
the new system while the change is still small and cheap to adjust. If the hardest cases cannot move,
better to learn that before asking two hundred engineers to start.</p>
<h2 id="make-the-easy-path-the-new-path">Make the easy path the new path</h2>
<p>Once the design holds up, do as much of the migration as possible yourself: scripts, automated pull
requests, generated configuration. Every step you leave to other teams needs a reminder, a deadline and
an exception process. See also <a href="/posts/managing-technical-debt">how to decide which debt is
worth this effort</a>.</p>
<h2 id="finish-the-long-tail">Finish the long tail</h2>
<p>The last ten percent takes as long as the first ninety. Track the remaining users publicly, offer
to do the work for the stragglers, and celebrate when the old system is finally turned off rather than
when the new one launches.</p>
`,
  },
  hiddenTextPost,
];

/**
 * The page robots.txt disallows (`/private/secret/`). The footer of every Hugo page links
 * to it, so only a crawler that honours robots.txt leaves it alone.
 */
export const privateDraftPost: FixturePost = {
  path: '/private/secret/',
  title: 'Draft: next year’s reorganization',
  description: 'An unpublished draft that no crawler should read.',
  author,
  publishedAt: '2023-06-01T00:00:00Z',
  body: `
<p>This draft is not public. If a crawler stored this sentence, it ignored robots.txt.</p>
<h2 id="proposed-teams">Proposed teams</h2>
<p>Nothing to see here yet.</p>
`,
};
