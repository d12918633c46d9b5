import { normalise } from './classify-topic.js';
import { recogniseAssumptions } from './recognise-assumptions.js';
import type { AssumptionKind, ConversationContext, FrameworkName, FrameworkSuggestion, Intent, Topic } from './types.js';

interface FrameworkEntry {
  author: string;
  /** Matches a question that names the framework or one of its own terms. */
  named: RegExp;
  /** What it is for, when the user named it. */
  purpose: string;
}

/** The spec's frameworks: who wrote each and what it is for. */
export const frameworkCatalogue: Record<FrameworkName, FrameworkEntry> = {
  'Technical Coherence': {
    author: 'Jack Danger',
    named: /\btechnical coherence\b|\bthree-layer\b|\bux domains?\b|\bdomain (?:engineering|layer)\b|\bjack danger\b/,
    purpose:
      'deriving the org from the product architecture: product, domain and infrastructure engineering layers instead of borrowed ratios',
  },
  'Staff Archetypes': {
    author: 'Will Larson',
    named: /\barchetypes?\b|\bright[- ]hand\b|\bsolver\b/,
    purpose:
      'telling apart the four shapes of staff-plus work (Tech Lead, Architect, Solver, Right Hand) and matching the shape to what the org needs',
  },
  'Trunk and Branches': {
    author: 'Will Larson',
    named: /\btrunk and branch\w*|\btrunk\b/,
    purpose: 'growing an infrastructure organisation: a small, stable core platform with specialised teams branching from it',
  },
  'Engineering Strategy': {
    author: 'Will Larson',
    named: /\bengineering strateg\w*|\bguiding polic\w*|\bcoherent actions?\b|\bdiagnosis\b/,
    purpose: 'writing a strategy that holds: a diagnosis, guiding policies that answer it, and coherent actions, not a project list',
  },
  'Systems Thinking': {
    author: 'Will Larson',
    named:
      /\bsystems? (?:thinking|dynamics|view)\b|\bstocks? and flows?\b|\bfeedback loops?\b|\bsecond-order\b|\bvicious (?:cycle|circle)\b/,
    purpose: 'seeing the stocks, flows and feedback loops behind a problem that keeps coming back, before pulling a lever',
  },
  BICEPS: {
    author: 'Lara Hogan',
    named: /\bbiceps\b|\bcore needs?\b/,
    purpose:
      'reading a reaction bigger than its cause: which core need (belonging, improvement, choice, equality, predictability, significance) feels threatened',
  },
  'Feedback Equation': {
    author: 'Lara Hogan',
    named: /\bfeedback equation\b/,
    purpose: 'feedback that lands: a specific observation, its impact, then a question or a request',
  },
  "Naming What's Happening": {
    author: 'Lara Hogan',
    named: /\bnam(?:e|ing) what'?s happening\b|\bname the (?:tension|dynamic)\b/,
    purpose: 'tense moments in a room: saying the dynamic, or your own reaction, out loud so it stops steering the conversation',
  },
  'Sponsorship vs Mentorship': {
    author: 'Lara Hogan',
    named: /\bsponsor\w*|\bmentorship\b|\bgo(?:ing)? to bat\b/,
    purpose: 'developing people: mentors advise in private, sponsors advocate for them in rooms they are not in',
  },
};

/** One reason a framework fits: the topics it applies to, the cue in the question, and how much it weighs. */
interface Rule {
  framework: FrameworkName;
  score: number;
  reason: string;
  topics?: readonly Topic[];
  /** Every pattern must match the normalised question. */
  cues?: readonly RegExp[];
  assumption?: AssumptionKind;
  /** The user's people are known (someone specific is involved). */
  needsPeople?: boolean;
  /** The topic must be the question's main one, not a secondary one. */
  primaryOnly?: boolean;
}

const orgCue =
  /\b(?:reorg\w*|re-?organiz\w*|organiz\w* around|org chart|structure|structur\w+|own|owns|owner|ownership|boundar\w*|carve|split\w*|divid\w*|reporting|reports? to|sit|which teams?|team topolog\w*)\b/;
const architectureCue =
  /\b(?:architecture|products?|platforms?|domains?|shared (?:services?|capabilit\w*|logic|code|components?|systems?)|services?|pricing|catalog|billing)\b/;
const infraCue = /\b(?:infrastructure|platform|sres?|site reliability|devops|reliability|security|developer productivity)\b/;
const infraOrgCue =
  /\b(?:split\w*|grow\w*|scal\w*|structur\w*|organiz(?:e|ing)|drowning|requests|centraliz\w*|fragment\w*|speciali[sz]\w*|prioriti[sz]\w*|single (?:infrastructure |platform )?team|team of \w+|one team)\b/;
const emotionCue =
  /\b(?:upset|angry|furious|mad|frustrat\w*|defensive|withdrawn|disengag\w*|demotivat\w*|resent\w*|hurt|shocked|anxious|stressed|spiral\w*|blindsided|unfair|not fair|betrayed|cr(?:y|ied|ying)|blew up|heated|overreact\w*|weirdly|react(?:ed|ion|ions)?|resist\w*|morale)\b/;
const changeCue =
  /\b(?:reorg\w*|re-?organiz\w*|restructur\w*|desks?|floor|office move|moving (?:two |the |our )?teams?|layoffs?|announc\w*|return to office|policy change|plans? change|changes? at the last minute)\b/;
const feedbackCue =
  /\b(?:tell (?:him|her|them|a peer|(?:my|our) (?!team|org|organization|company|engineers|people)\w+|someone)\b|bring (?:it|this) up|raise (?:it|this|the issue)|talk to (?:him|her|them) about|call (?:him|her|them) out|too vague|specific|gentle hints?|soften\w*|sugarcoat\w*|underperform\w*|not meeting expectations|performance (?:issue|problem|conversation)s?|pip|behavior|curt|abrasive|sloppy)\b/;
const tensionCue =
  /\b(?:clash\w*|steamroll\w*|tension|tense|conflict\w*|sniping|argu\w*|heated|silent|silence|quiet|shut down|dominat\w*|interrupt\w*|talks? over|awkward|blame\w*|defensive|frustrat\w*|sideways|derail\w*|elephant|unsaid|passive-aggressive|disagree\w*|loudest|back-and-forth)\b/;
const ownEmotionCue =
  /\bi (?:got|get|was|felt|feel|became) (?:really |so |very |a bit )?(?:defensive|angry|frustrated|triggered|upset|annoyed|emotional|heated)\b|\bmy own (?:reactions?|emotions?|feelings)\b/;
const sponsorshipCue =
  /\b(?:passed over|overlooked|invisible|nobody (?:senior |above \w+ )?(?:knows|notices)|big projects|high-profile|visible projects?|stretch (?:projects?|assignments?)|visibility|get (?:noticed|promoted)|promot\w*|underrepresented|woman|women|minorit\w*|rooms? (?:i'?m|they'?re|she'?s|he'?s) not in|vouch\w*|advocat\w*|handpicked|recognition)\b/;
const loopCue =
  /\b(?:keeps? (?:growing|getting (?:worse|bigger|slower|longer)|piling|increasing|coming back)|(?:grows|growing|worse) every (?:week|sprint|month|quarter)|backlog (?:grows|keeps)|firefight\w*|more and more|the more we|snowball\w*|vicious|never (?:seems? to )?catch(?:es)? up|can'?t keep up|as a system|drowning|keep adding|each hire|every time we hire|goes up every time|every time (?:we|i|they|you)\b|gets? (?:worse|slower)|which (?:means|slows|makes|causes|leads to|creates|adds)|the (?:more|less|fewer) (?:\w+ ){0,2}(?:we|you|they|i|anyone|everyone)\b|spiral\w*|compound\w*)\b/;
const staffRoleCue =
  /\b(?:shapes?|kinds?|types?|role|roles|need|needs|path|do all day|day[- ]to[- ]day|doing|focus(?:ed|ing)? on|spend (?:their|his|her) time|expect\w*|job|extension of|borrow\w* (?:my|her|his|their) authority|archetypes?)\b/;
const staffCue = /\b(?:staff|principal|senior individual contributor|top-level individual contributor|architect)\b/;

const rules: Rule[] = [
  // Technical Coherence: team boundaries from the product's architecture. "Architecture" alone is not enough.
  {
    framework: 'Technical Coherence',
    score: 5,
    topics: ['org_design', 'infrastructure', 'strategy'],
    cues: [orgCue, architectureCue],
    reason:
      'you are deciding how teams divide up around the product and its shared capabilities, which is what Technical Coherence derives from the architecture',
  },
  {
    framework: 'Technical Coherence',
    score: 5,
    topics: ['org_design'],
    cues: [
      /\b(?:carve (?:up )?|how (?:to |should (?:i|we) |do (?:i|we) )(?:structure|organize|divide|split up) (?:the |my |our |a )?(?:\w+ )?(?:organization|teams?|engineering|department|group)|team boundaries|which teams|the teams we have|team topolog\w*)|\bhow (?:to|should (?:i|we)|do (?:i|we)|can (?:i|we)) (?:re-?structure|re-?organi[sz]e)\b/,
    ],
    reason:
      'it gives a principled way to decide which teams should exist: start from the UX domains and shared capabilities, not from the current chart',
  },
  {
    framework: 'Technical Coherence',
    score: 5,
    topics: ['org_design', 'strategy', 'infrastructure', 'general'],
    cues: [
      /\b(?:squads?|pods?|tribes?|functional teams?|cross-functional|component teams?|feature teams?|organi[sz]e (?:by|around)|(?:split|divide|group)\w* (?:by|around))\b/,
    ],
    reason:
      'choosing the axis teams divide on (product area, function, platform layer) is what Technical Coherence derives from the product architecture instead of from fashion',
  },
  {
    framework: 'Technical Coherence',
    score: 6,
    assumption: 'arbitrary_ratio',
    reason: 'it replaces borrowed platform-to-product ratios with a structure derived from your own product architecture',
  },
  {
    framework: 'Technical Coherence',
    score: 5,
    cues: [
      /\b(?:nobody owns|no one owns|who (?:should )?owns?|ownership|hack around)\b/,
      /\b(?:shared|platform|common|core|billing|customer|logic|services?|capabilit\w*)\b/,
    ],
    reason: 'shared logic that no team owns is the neglected domain layer Technical Coherence makes an explicit, staffed layer',
  },
  // Staff Archetypes: what shape of staff-plus role, not any mention of a tech lead.
  {
    framework: 'Staff Archetypes',
    score: 5,
    topics: ['staff_plus', 'career_development', 'org_design'],
    cues: [staffCue, staffRoleCue],
    reason:
      'the question is which shape of staff-plus role fits (Tech Lead, Architect, Solver or Right Hand), and the archetypes make that choice explicit',
  },
  {
    framework: 'Staff Archetypes',
    score: 4,
    topics: ['staff_plus'],
    cues: [/\b(?:manag\w*|inherit\w*|report\w* to me|hire|hiring)\b/, staffCue],
    reason: 'managing or hiring staff-plus engineers starts with knowing which archetype each one is and which the org needs',
  },
  {
    framework: 'Staff Archetypes',
    score: 3,
    topics: ['staff_plus', 'career_development'],
    cues: [staffCue, /\b(?:promot\w*|titles?|levels?|ladders?|path)\b/],
    reason: 'a path to staff is easier to plan once you know which archetype your work fits and which the company values',
  },
  // Trunk and Branches: the shape of an infrastructure organisation.
  {
    framework: 'Trunk and Branches',
    score: 5,
    topics: ['infrastructure', 'org_design'],
    cues: [infraCue, infraOrgCue],
    reason:
      'it is the model for growing an infrastructure organisation: keep the core platform small and stable and branch specialised teams (reliability, security, productivity) off it',
  },
  // Engineering Strategy.
  {
    framework: 'Engineering Strategy',
    score: 5,
    topics: ['strategy'],
    primaryOnly: true,
    reason: 'a strategy needs a diagnosis, guiding policies and coherent actions; that structure is what turns a document into decisions',
  },
  {
    framework: 'Engineering Strategy',
    score: 3,
    cues: [
      /\b(?:technical direction|set(?:ting)? (?:a |the )?direction|vision|principles|roadmap|long-term plan|settle (?:any )?debates?|north star|standardi[sz]\w*|tech(?:nology)? choices?|which (?:database|language|framework|stack|tools?) to)\b/,
    ],
    reason: 'a direction or a set of principles only settles debates when it rests on a diagnosis and guiding policies',
  },
  // Systems thinking: loops, not levers.
  {
    framework: 'Systems Thinking',
    score: 4,
    assumption: 'velocity_slow',
    reason:
      'slow delivery is usually a stock-and-flow problem (work in progress, review queues, interruptions), and more pressure on one lever moves the bottleneck',
  },
  {
    framework: 'Systems Thinking',
    score: 4,
    assumption: 'hire_more',
    reason:
      'adding people changes the system (onboarding load, coordination cost), so the feedback loops decide whether more engineers help',
  },
  {
    framework: 'Systems Thinking',
    score: 3,
    assumption: 'short_term_fix',
    reason: 'short-term fixes feed back into next quarter: the second-order effects are the point',
  },
  {
    framework: 'Systems Thinking',
    score: 4,
    cues: [loopCue],
    reason: 'something that keeps recurring is a feedback loop: map the stocks and flows to find the leverage point',
  },
  {
    framework: 'Systems Thinking',
    score: 3,
    topics: ['hiring'],
    cues: [/\b(?:funnel|pipeline|applicants|throughput|hardly any hires|conversion)\b/],
    reason: 'a hiring funnel is a set of stocks and flows: find the stage where candidates leak',
  },
  {
    framework: 'Systems Thinking',
    score: 3,
    cues: [/\b(?:attrition|turnover|people (?:are |keep )?(?:quitting|leaving)|keep (?:quitting|leaving)|burn(?:ed|t|ing)? ?out)\b/],
    reason: 'attrition and burnout are loops: the people who stay absorb the load that makes the next person leave',
  },
  // BICEPS: reactions bigger than their cause.
  {
    framework: 'BICEPS',
    score: 5,
    topics: [
      'difficult_conversations',
      'developing_people',
      'feedback',
      'meeting_facilitation',
      'org_design',
      'general',
      'first_90_days',
      'career_development',
      'staff_plus',
    ],
    cues: [emotionCue],
    reason:
      'a strong reaction usually means a core need is threatened (belonging, improvement, choice, equality, predictability or significance), and naming which one shows what to address',
  },
  {
    framework: 'BICEPS',
    score: 4,
    topics: ['org_design', 'difficult_conversations', 'developing_people', 'general', 'first_90_days'],
    cues: [changeCue],
    reason:
      'a change like this hits core needs (predictability, belonging, choice); planning for them is what keeps the reaction proportionate',
  },
  {
    framework: 'BICEPS',
    score: 3,
    cues: [/\b(?:quit\w*|leav\w+ the company|attrition|retention|motivat\w*|disengag\w*)\b/],
    reason: 'motivation and retention come down to which core needs the work meets or threatens',
  },
  // Feedback Equation.
  {
    framework: 'Feedback Equation',
    score: 5,
    topics: ['feedback'],
    primaryOnly: true,
    reason: 'feedback lands when it is an observation, its impact and a question or request, with no judgement to argue with',
  },
  {
    framework: 'Feedback Equation',
    score: 4,
    topics: ['feedback', 'difficult_conversations', 'developing_people', 'general', 'staff_plus'],
    cues: [feedbackCue],
    reason:
      'the conversation is about a specific behaviour, and observation, impact, then a question keeps it on the behaviour rather than the person',
  },
  {
    framework: 'Feedback Equation',
    score: 5,
    assumption: 'fire_someone',
    reason:
      'before any decision about their job, check they have heard the gap as a specific observation and its impact, and had a clear request',
  },
  {
    framework: 'Feedback Equation',
    score: 2,
    topics: ['difficult_conversations'],
    needsPeople: true,
    reason: 'a hard conversation with one person goes better when it opens with an observation and its impact',
  },
  // Naming What's Happening.
  {
    framework: "Naming What's Happening",
    score: 5,
    topics: ['meeting_facilitation', 'difficult_conversations'],
    cues: [tensionCue],
    reason:
      'when tension rises in the room, saying what you notice ("I\'m noticing we\'ve gone quiet") stops the unsaid from steering the meeting',
  },
  {
    framework: "Naming What's Happening",
    score: 4,
    cues: [ownEmotionCue],
    reason: 'it works on your own reactions too: naming "I\'m feeling defensive" in the moment gives you room to respond rather than react',
  },
  {
    framework: "Naming What's Happening",
    score: 3,
    topics: ['difficult_conversations', 'meeting_facilitation'],
    cues: [/\b(?:in the room|in the meeting|in front of (?:the team|everyone)|during (?:the|a) (?:meeting|retro\w*|review))\b/],
    reason: 'the moment happens in a room, where naming the dynamic out loud is the lever you have',
  },
  // Sponsorship vs Mentorship.
  {
    framework: 'Sponsorship vs Mentorship',
    score: 5,
    topics: ['career_development', 'developing_people', 'staff_plus', 'general'],
    cues: [sponsorshipCue],
    reason: 'advice alone does not open doors: a sponsor puts the person forward for opportunities in rooms they are not in',
  },
  {
    framework: 'Sponsorship vs Mentorship',
    score: 2,
    topics: ['developing_people'],
    cues: [/\b(?:grow\w*|develop\w*|career|next level|advice)\b/],
    reason: 'growing someone takes both mentoring and someone advocating for them',
  },
];

/** The least a framework must score to be offered. */
const threshold = 3;

/**
 * Situations where a framework's words appear but the framework does not fit: a visa "sponsor" is no
 * career sponsor, and a layoff is no behaviour to observe and give feedback on (its "one specific
 * observation (what they did)" would blame the people let go).
 */
const unfit: { framework: FrameworkName; when: RegExp; unless?: RegExp }[] = [
  { framework: 'Sponsorship vs Mentorship', when: /\b(?:visas?|h-?1b|immigration|green cards?|work permits?)\b/i, unless: /\bmentor\w*/i },
  {
    framework: 'Feedback Equation',
    when: /\b(?:lay(?:ing)? (?:off|\w+ off)|laid off|layoffs?|redundanc\w*|(?:role|position|job)s? (?:is |are |was |were |being )?eliminated|reductions? in force)\b/i,
    unless: /\bfeedback\b/i,
  },
];

/**
 * The spec's frameworks that fit a question, ranked, at most three, each with what it is
 * for and why it fits: a mapping from topics, intents, the question's cues and the
 * assumptions it carries. A framework is offered for what it is for, not for a word it
 * shares with the question: "architecture" alone does not bring Technical Coherence, nor
 * "tech lead" Staff Archetypes. None for code, off-topic questions or when nothing fits.
 */
export function frameworksFor(
  topics: Topic | readonly Topic[],
  intent: Intent,
  question: string,
  context: ConversationContext,
): FrameworkSuggestion[] {
  const topicList: readonly Topic[] = typeof topics === 'string' ? [topics] : topics;
  const primary = topicList[0];
  if (intent === 'code' || primary === 'off_topic') return [];
  const text = normalise(question);
  // A follow-up is read with the turns it follows ("what would I even say to him?" after "I'm thinking
  // about letting Dave go"): the last two earlier questions, at a discount, in full for a reply with
  // no question of its own. What a later turn says for itself counts in full.
  const reply = !/\?/.test(question);
  const thread =
    intent === 'follow_up'
      ? context.earlierQuestions
          .slice(-2)
          .reverse()
          .map((earlier, index) => ({ text: normalise(earlier), raw: earlier, weight: (reply ? [1, 0.7] : [0.8, 0.6])[index]! }))
      : [];
  const assumptions = new Set(recogniseAssumptions(question, context).map((assumption) => assumption.kind));
  const earlierAssumptions = thread.map((turn) => new Set(recogniseAssumptions(turn.raw, context).map((assumption) => assumption.kind)));
  const totals = new Map<FrameworkName, { score: number; best: number; reason: string }>();
  const credit = (name: FrameworkName, score: number, reason: string): void => {
    const current = totals.get(name) ?? { score: 0, best: 0, reason };
    current.score += score;
    if (score > current.best) Object.assign(current, { best: score, reason });
    totals.set(name, current);
  };
  /** The weight of the best turn a test holds for: this question (1), else the thread's. */
  const heldBy = (own: boolean, earlier: (index: number) => boolean): number =>
    own ? 1 : Math.max(0, ...thread.map((turn, index) => (earlier(index) ? turn.weight : 0)));

  for (const [name, entry] of Object.entries(frameworkCatalogue) as [FrameworkName, FrameworkEntry][]) {
    const weight = heldBy(entry.named.test(text), (index) => entry.named.test(thread[index]!.text));
    if (weight > 0) credit(name, 10 * weight, 'you asked about it by name');
  }
  for (const rule of rules) {
    if (rule.topics && !rule.topics.some((topic) => (rule.primaryOnly ? topic === primary : topicList.includes(topic)))) continue;
    if (rule.needsPeople && context.people.length === 0) continue;
    const cues = rule.cues ?? [];
    const holds = (candidate: string, kinds: ReadonlySet<AssumptionKind>): boolean =>
      (!rule.assumption || kinds.has(rule.assumption)) && cues.every((cue) => cue.test(candidate));
    const weight = heldBy(holds(text, assumptions), (index) => holds(thread[index]!.text, earlierAssumptions[index]!));
    if (weight > 0) credit(rule.framework, rule.score * weight, rule.reason);
  }

  for (const { framework, when, unless } of unfit) if (when.test(text) && !(unless?.test(text) ?? false)) totals.delete(framework);

  return [...totals.entries()]
    .filter(([, total]) => total.score >= threshold)
    .sort((a, b) => b[1].score - a[1].score)
    .slice(0, 3)
    .map(([name, total]) => ({
      name,
      author: frameworkCatalogue[name].author,
      reason: `For ${frameworkCatalogue[name].purpose}. It fits because ${total.reason}.`,
      score: total.score,
    }));
}
