import { receivedFeedback } from './policy/text-tools.js';
import type { AssumptionKind, ConversationContext, FrameworkName, Relation, StatedFact } from './policy/types.js';

/** How the user's people are named in advice ("your tech lead"). */
const relationNames: Record<Relation, string> = {
  tech_lead: 'your tech lead',
  report: 'your report',
  manager: 'your manager',
  skip_level: 'your skip-level',
  peer: 'your peer',
  executive: 'the executive involved',
  director: 'the director',
  staff_engineer: 'your staff engineer',
  senior_engineer: 'your senior engineer',
  engineer: 'the engineer',
  new_hire: 'the new hire',
  product_manager: 'your product manager',
  designer: 'the designer',
  candidate: 'the candidate',
  cofounder: 'your cofounder',
};

/** The person the user is talking about (the latest named), or a neutral phrase. */
function personOf(context: ConversationContext, fallback = 'the person involved'): string {
  const person = context.people.at(-1);
  return person ? nameOf(person) : fallback;
}

/** A person as the advice calls them: by name where the user named them ("Dave"), else by relation ("your tech lead"). */
function nameOf(person: StatedFact<Relation>): string {
  return /^[A-Z][a-z]+$/.test(person.phrase) ? person.phrase : relationNames[person.kind];
}

/** The user speaking of their own career: their promotion, their path, someone to advocate for them. */
const ownCareer =
  /\b(?:(?:go|going) to bat for me|advocat\w* for me|sponsor(?:ing)? me|for me in (?:calibration|the room|promo\w*)|my (?:promo|promotion|promo packet|path to staff|next level|skip-level barely knows)|i(?:'m| am) (?:up|going up) for (?:promo\w*|staff)|i want to (?:be|become|get to|reach) (?:a )?(?:staff|principal)|(?:get|make) (?:me )?promoted to staff)\b/i;

/** People whose role the archetypes describe: an engineer the user leads. */
const engineers: ReadonlySet<Relation> = new Set(['staff_engineer', 'senior_engineer', 'engineer', 'tech_lead', 'report', 'new_hire']);

/** Whom the archetypes are held against: the engineer the user named, the user in an engineer's role, or "the engineer". */
function staffOf(context: ConversationContext, said = ''): string {
  if (ownCareer.test(said)) return 'your own role';
  const person = [...context.people].reverse().find((candidate) => engineers.has(candidate.kind));
  if (person) return nameOf(person);
  const role = context.role?.kind;
  if (role === 'staff_engineer' || role === 'principal_engineer' || role === 'senior_engineer' || role === 'tech_lead')
    return 'your own role';
  return 'the engineer';
}

/** The user's organisation as they described it ("your 60-person org", "your six teams"). */
function organisationOf(context: ConversationContext): string {
  // One team ("a team of 5", "one manager per 5 engineers") is not an organisation to sort into teams: the org or
  // company the user gave is, the largest of them.
  const size = context.sizes.filter((fact) => fact.kind !== 'team').sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0];
  if (!size) return 'your organisation';
  const phrase = size.phrase.replace(/^(?:a|an|the|our|my|we have|we are|we're)\s+/i, '').trim();
  return phrase ? `your ${phrase}` : 'your organisation';
}

/**
 * One line that applies a framework to the situation as the user told it: what to look at,
 * in their terms, rather than the framework's definition again. Statements, not questions:
 * the answer's questions to the user are its clarifying questions, at most two.
 */
export function applyFramework(name: FrameworkName, context: ConversationContext, asked = ''): string {
  // The user's own words across the conversation: who gives the feedback, who holds the role.
  const said = [...context.earlierQuestions, asked].join(' ');
  switch (name) {
    case 'Technical Coherence':
      return `Lay ${organisationOf(context)} over the product's architecture: sort the teams into those delivering features in a product area, those building shared domain capabilities and those running commodity infrastructure. Where a team straddles layers, ownership gets muddy.`;
    case 'Staff Archetypes':
      return `Decide which shape the need calls for (a Tech Lead for one team's direction, an Architect across teams, a Solver for the hardest problem, a Right Hand for an executive) before judging ${staffOf(context, said)} against it.`;
    case 'Trunk and Branches':
      return 'Keep the shared platform (the trunk) small and stable, and let specialised teams (reliability, security, productivity) branch from it; check which of your teams is which today.';
    case 'Engineering Strategy':
      return 'Write the diagnosis first (what is true of your situation now), then one or two guiding policies that answer it, then the coherent actions; a list of projects is not yet a strategy.';
    case 'Systems Thinking':
      return 'Sketch the loop before pulling a lever: what accumulates, what feeds it and what drains it, and what a fix today does to it next quarter (the second-order effect).';
    case 'BICEPS':
      return `Work out which core need is threatened for ${personOf(context)} (belonging, improvement, choice, equality, predictability or significance): a strong reaction usually points at one, and that is what to address.`;
    case 'Feedback Equation':
      if (receivedFeedback.test(said))
        return 'Turn the label you were given into something you can act on: ask for one specific observation (what they saw you do) and its impact, and what they would like to see instead.';
      return `Before you talk to ${personOf(context)}, write down one specific observation (what they did, without judgment) and its impact, then open with a question or a clear request.`;
    case "Naming What's Happening":
      return 'When the tension rises, say what you notice ("I\'m noticing we keep circling this"), including your own reaction; it is easier to deal with once it is said.';
    case 'Sponsorship vs Mentorship':
      // "How do I get someone senior to go to bat for me?": the user is the one who needs a sponsor, not the skip-level.
      if (ownCareer.test(said))
        return 'Tell apart what you need: more advice (mentorship), or someone advocating for you in rooms you are not in (sponsorship). The second is what opens doors, and it is worth asking for by name.';
      return `Tell apart what ${personOf(context, 'the person')} needs: more advice (mentorship), or someone advocating for them in rooms they are not in (sponsorship). The second is what opens doors.`;
  }
}

/** What to look at behind an assumption the question carries (said plainly, as the persona is direct). */
export function lookBehind(kind: AssumptionKind): string | undefined {
  switch (kind) {
    case 'hire_more':
      return 'More engineers rarely fix a throughput problem on their own: new people slow a team before they speed it up, so find the constraint first (focus, process, technical debt or capacity).';
    case 'velocity_slow':
      return 'Find out where work waits (review, deploys, unclear priorities, interruptions) before treating it as a speed problem; a trend in a measure you trust beats a feeling.';
    case 'rewrite':
      return 'A rewrite stops delivery for its whole length and rarely keeps its estimate; compare it with an incremental migration that ships value on the way.';
    case 'fire_someone':
      return 'Separate the performance problem from the person: whether the expectation was stated clearly, with specific examples and time to change, shapes what is fair.';
    case 'cut_team':
      return 'A team does more than its job title: list what it catches, who depends on it and what fills the gap before removing it, and how the people who stay will read the decision.';
    case 'change_before_understanding':
      return "A new leader's early changes spend trust not yet earned: learn why things are as they are (the history, the constraints, who depends on them) before changing them, and let the first changes be ones the team asked for.";
    case 'replace_one_on_ones':
      return 'A standup is about the work, in front of the team; a 1:1 is about the person, in private: career, worries and feedback that nobody raises in a group. Without them those surface late, or leave with the person.';
    case 'promotion_as_cure':
      return 'Management is a different job with its own learning curve, not a rest or a reward: moving someone who is worn out into it usually adds load, and fails them and their new team if they do not want the work.';
    case 'feedback_saved_for_review':
      return 'Nothing in a review should be a surprise: criticism first read in the write-up comes too late to act on and reads as an ambush. Say it now, specifically, and let the review record what was already discussed.';
    case 'one_hire_fixes':
      return 'One senior hire rarely fixes a system problem alone: the architecture reflects decisions, priorities and ownership that will still be there when they arrive. Name the problem and who owns the change, and the hire becomes part of a plan rather than the plan.';
    case 'reorg_fixes':
      return 'A reorganisation moves boundaries; check which problem lives at a boundary before changing them, or the same problem moves with the teams.';
    case 'arbitrary_ratio':
      return 'Ratios describe other companies; derive the structure from your product architecture and the work itself.';
    case 'individual_metrics':
      return 'Measuring individuals by output numbers invites gaming and hides collaboration; look at team outcomes and the system around them.';
    case 'short_term_fix':
      return 'A quick fix that relieves today can feed the problem later; ask what it does to the loop that caused it.';
    case 'staff_stop_coding':
      return 'Staff roles differ by shape: a Tech Lead or a Solver often keeps coding, and an Architect who drifts far from the code makes worse calls. Decide by what the team needs from them, not by the title.';
    case 'cant_delegate':
      return 'A team that never gets the work stays too junior for it, and you stay the bottleneck: hand over a small piece with a check-in, and let the mistakes be cheap ones.';
    case 'best_engineer_to_manager':
      return 'Being the strongest engineer says little about wanting or being ready to manage: it is a different job, not a step up, and a move that fails can cost you both the manager and the engineer.';
    default:
      return undefined;
  }
}
