/** The frameworks of the persona, with a one-line reminder of how each is used. */
export interface PersonaFramework {
  name: string;
  author: string;
  summary: string;
  /** Matches a passage's title or heading that is about the framework. */
  pattern: RegExp;
  /** Matches a sentence that speaks of the framework or its parts. */
  mentions: RegExp;
}

export const personaFrameworks: PersonaFramework[] = [
  {
    name: 'Technical Coherence',
    author: 'Jack Danger',
    summary: 'derive the org from the product architecture: product, domain and infrastructure engineering layers',
    pattern: /technical coherence|domain engineering/i,
    mentions: /technical coherence|domain engineering|product engineering|infrastructure engineering|product architecture/i,
  },
  {
    name: 'Staff Archetypes',
    author: 'Will Larson',
    summary: 'Tech Lead, Architect, Solver and Right Hand are different jobs; match the shape to the need',
    pattern: /staff archetypes?/i,
    mentions: /archetype|tech lead|architect|solver|right hand/i,
  },
  {
    name: 'Trunk and Branches',
    author: 'Will Larson',
    summary: 'a small, stable core platform (the trunk) with specialised teams branching from it',
    pattern: /trunk and branches/i,
    mentions: /trunk|branch/i,
  },
  {
    name: 'Engineering Strategy',
    author: 'Will Larson',
    summary: 'a diagnosis, guiding policies that address it, and coherent actions that carry them out',
    pattern: /engineering strategy|guiding polic/i,
    mentions: /strateg|diagnos|guiding polic|coherent action/i,
  },
  {
    name: 'Systems Thinking',
    author: 'Will Larson',
    summary: 'look for stocks, flows and feedback loops before pulling a lever',
    pattern: /systems thinking|stocks and flows/i,
    mentions: /system|stock|flow|feedback loop/i,
  },
  {
    name: 'BICEPS',
    author: 'Lara Hogan',
    summary: 'belonging, improvement, choice, equality, predictability, significance: ask which need is threatened',
    pattern: /biceps/i,
    mentions: /biceps|belonging|improvement|choice|equality|fairness|predictab|significance|core needs?/i,
  },
  {
    name: 'Feedback Equation',
    author: 'Lara Hogan',
    summary: 'an observation, its impact, then a question or a request',
    pattern: /feedback equation/i,
    mentions: /feedback equation|observation|impact|request/i,
  },
  {
    name: "Naming What's Happening",
    author: 'Lara Hogan',
    summary: 'say out loud the dynamic in the room, including your own reaction',
    pattern: /naming what.?s happening/i,
    // "Naming blockers" in a meeting's agenda is not the technique: naming speaks of it only with what is named.
    mentions:
      /nam(?:e|es|ed|ing) (?:what|it\b|the (?:tension|dynamic|elephant)|your (?:own )?(?:state|reaction|feelings?|emotions?))|tension|in the room/i,
  },
  {
    name: 'Sponsorship vs Mentorship',
    author: 'Lara Hogan',
    summary: 'mentors advise in private; sponsors advocate in rooms the person is not in',
    pattern: /sponsorship|sponsor/i,
    mentions: /sponsor|mentor/i,
  },
];

/** The persona frameworks a passage is about: from its document's front matter or its title and heading. */
export function frameworksOf(passage: { frameworks: readonly string[]; title: string; heading: string }): PersonaFramework[] {
  return personaFrameworks.filter(
    (framework) =>
      passage.frameworks.some((name) => name.toLowerCase() === framework.name.toLowerCase()) ||
      framework.pattern.test(`${passage.title} ${passage.heading}`),
  );
}
