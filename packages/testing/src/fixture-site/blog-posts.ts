import type { FixturePost } from './fixture-post.js';

const author = 'Lara Hogan';

/**
 * The Jekyll-shaped section of the fixture site (`/blog/<slug>/`, larahogan.me's layout),
 * newest first. The text is written for the fixture; links here keep their trailing slash,
 * as Jekyll permalinks do.
 */
export const blogPosts: FixturePost[] = [
  {
    path: '/blog/giving-useful-feedback/',
    title: 'Giving feedback that lands',
    description: 'Describe what you saw, explain its effect, and ask a real question.',
    author,
    publishedAt: '2020-09-10T00:00:00Z',
    body: `
<p>Most feedback fails before the other person has finished hearing it. It arrives as a judgement
("you were unprepared"), the listener gets defensive, and the useful part never sticks. A small change
in structure makes it far easier to hear.</p>
<h2 id="describe-what-you-observed">Describe what you observed</h2>
<p>Start with something a camera could have recorded: "in the planning meeting, the estimates for the
search project were missing." Observations are hard to argue with, and they keep the conversation
about events rather than character.</p>
<h2 id="explain-the-impact">Explain the impact</h2>
<p>Then say what the observation caused, in terms the other person cares about: the meeting ran over,
the team could not commit to a date, a partner team is now waiting. Impact is what turns an
observation into something worth changing.</p>
<h2 id="ask-a-real-question">Ask a real question</h2>
<p>Finish with an open question you do not already know the answer to, such as "what got in the way
this week?" It invites them to solve the problem with you. Feedback like this fits naturally into
<a href="/blog/running-one-on-ones/">regular one-on-ones</a>.</p>
`,
  },
  {
    path: '/blog/first-ninety-days-as-a-manager/',
    title: 'Your first ninety days as a manager',
    description: 'Listen first, learn how work really flows, then make one visible improvement.',
    author,
    publishedAt: '2019-07-02T00:00:00Z',
    body: `
<p>New managers often feel they have to prove themselves quickly, and so they change things before
they understand them. The first three months are better spent building the context that makes later
changes land.</p>
<h2 id="listen-first">Listen first</h2>
<p>Hold a long first conversation with each person on the team. Ask what they want to keep, what they
want to change, and what they wish their previous manager had known. Write the answers down; you will
reread them more than you expect.</p>
<h2 id="learn-how-work-flows">Learn how work flows</h2>
<p>Follow a few pieces of work from idea to production. Where do they wait? Who has to approve them?
The official process and the real one are rarely the same, and the gap tells you where to help.</p>
<ul>
<li>Sit in on the team's existing meetings before adding new ones.</li>
<li>Read the last few incident reports and project retrospectives.</li>
<li>Meet the managers of the teams yours depends on.</li>
</ul>
<h2 id="make-one-visible-improvement">Make one visible improvement</h2>
<p>Around the second month, pick one small, widely felt annoyance and fix it. It shows the team that
telling you things leads somewhere, which makes the next round of
<a href="/blog/giving-useful-feedback/">feedback</a> much easier.</p>
`,
  },
  {
    path: '/blog/running-one-on-ones/',
    title: 'Making one-on-ones worth the time',
    description: 'Let the report own the agenda, keep a shared document, and vary the questions.',
    author,
    publishedAt: '2018-02-20T00:00:00Z',
    body: `
<p>A one-on-one that turns into a status update is a meeting that could have been a message. The
time is most valuable when it covers what cannot be said in a channel: worries, ambitions, friction
with colleagues.</p>
<h2 id="the-agenda-belongs-to-them">The agenda belongs to them</h2>
<p>Ask your report to bring the topics. Your own items go last, and if there is no time for them, they
can usually wait or go in writing.</p>
<h2 id="keep-a-shared-document">Keep a shared document</h2>
<p>A running document with dated notes makes it easy to follow up, to notice patterns over months, and
to write an honest performance review without relying on memory.</p>
<h2 id="vary-the-questions">Vary the questions</h2>
<p>"How are things?" gets "fine". Rotate through sharper questions: what is the most frustrating part
of your week, what would you like to learn next, what should I stop doing?</p>
`,
  },
];
