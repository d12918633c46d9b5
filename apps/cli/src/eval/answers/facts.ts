import type { FactKind } from './answer-set.js';

/**
 * The facts a leader states in a conversation, and the facts a clarifying question asks
 * for, by pattern. Both sides are the persona's "ask before advising" list (team size,
 * company stage, constraints, what was tried), with the user's role and, for the spec's
 * velocity example, how something is measured.
 */

const number = String.raw`(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a dozen|a few|a couple of|several)`;
const people = String.raw`(?:engineers?|people|persons?|devs?|developers?|reports?|direct reports|teams?|ics?|managers?|folks|staff|squads?|employees|headcount)`;

/** How a user states each kind of fact. */
const stated: Record<FactKind, RegExp> = {
  team_size: new RegExp(
    [
      // "8 engineers", "6 teams", "14 backend engineers"; not "five more engineers" (a plan, not a size).
      String.raw`\b${number}\s*(?:\+\s*)?(?:(?!more\b|new\b|additional\b|extra\b)[a-z-]+\s+){0,2}${people}\b`,
      String.raw`\b\d+[- ](?:person|people|engineer|strong)\b`,
      String.raw`\b(?:team|org|organi[sz]ation|group|company) of (?:about |around |roughly )?${number}\b`,
      String.raw`\b(?:grow|growing|grew|going|scale|scaling) from ${number} to ${number}\b`,
    ].join('|'),
    'i',
  ),
  company_stage:
    /\b(?:start-?up|seed(?:[- ]stage)?|series [a-f]|scale-?up|pre-?ipo|ipo|public company|publicly traded|enterprise|early[- ]stage|late[- ]stage|growth[- ]stage|hypergrowth|fortune \d+|big tech|founded|profitable|bootstrapped|unicorn)\b/i,
  role: new RegExp(
    [
      String.raw`\b(?:i'?m|i am|as (?:a|an|the)|i(?:'ve| have) (?:just )?(?:become|been made|been promoted to)|i (?:just |recently )?(?:became|joined as|started as)|about to become|starting as|promoted to|i work as|my role is)\s+(?:an?\s+|the\s+|a new\s+|the new\s+)?(?:new\s+|first-time\s+|senior\s+|principal\s+)?(?:em\b|engineering manager|manager|director|vp|vice president|cto|head of|tech lead|team lead|staff engineer|principal engineer|founder|ic\b|individual contributor|senior engineer)`,
      String.raw`\bi (?:manage|lead|run)\s+(?:(?:a|an|the|my|our|two|three|four|five|six|\d+)\s+)?(?:[a-z-]+\s+)?(?:teams?|orgs?|organi[sz]ations?|groups?|departments?|engineers?|people|managers?|reports?)\b`,
      String.raw`\bi report to\b`,
      String.raw`\bmy (?:direct )?reports\b`,
    ].join('|'),
    'i',
  ),
  constraints:
    /\b(?:budget|deadline|hiring freeze|can'?t (?:hire|pause|stop|add|afford)|cannot (?:hire|pause|stop|add|afford)|no (?:new )?headcount|headcount (?:for|cap|limit)|regulated|regulat(?:ion|ory)|compliance|fully remote|time ?zones|on-?call|burn(?:ing|t)? (?:them |us )?out|layoffs?|runway|by (?:q[1-4]|the end of)|in q[1-4]|contract(?:ual)?)\b/i,
  already_tried:
    /\b(?:(?:we|i)(?:'ve| have)? (?:already )?(?:tried|attempted|experimented)|tried (?:to |cutting|adding|moving|hiring|carving)|(?:we|i) (?:already )?(?:tried|introduced|added|started|ran|did|gave)\b|(?:we|i)(?:'ve| have)? (?:just |only |already )?(?:hinted|told (?:him|her|them)|raised it|mentioned it|talked to (?:him|her|them)|spoken to (?:him|her|them))\b|didn'?t (?:work|help|stick)|did not (?:work|help)|stalled|(?:haven'?t|have not|never) (?:really )?(?:given|tried|talked|had|done|told|said|raised|mentioned|spoken)|so far (?:we|i)|last (?:quarter|year|month) (?:we|i))/i,
  measurement:
    /\b(?:we (?:measure|track)|measured (?:by|in|as)|story points|cycle time|lead time|deploy(?:ment)? frequency|dora|per sprint|throughput|burn-?down|okrs? (?:show|say)|tickets (?:closed|shipped) per)\b/i,
};

/** The fact kinds a user's message states. */
export function statedFacts(text: string): FactKind[] {
  return (Object.keys(stated) as FactKind[]).filter((kind) => stated[kind].test(text));
}

/** How a clarifying question asks for each kind of fact. */
const asked: Record<FactKind, RegExp> = {
  team_size:
    /\bhow (?:large|big|many (?:people|engineers|teams|reports|developers|managers))\b|\b(?:size|sizes) of (?:the|your)\b|\bteam size\b|\bhow (?:is|are) (?:it|they|the team|the teams|the org\w*|your (?:team|org\w*)) (?:structured|organi[sz]ed)\b|\bhow many\b[^?]*\b(?:on|in) (?:the|your) (?:team|org)/i,
  company_stage:
    /\b(?:what|which) stage\b|\bstage (?:is|of) (?:the|your) company\b|\bhow fast (?:is|are) (?:it|you|the company)\b[^?]*\bgrow|\b(?:early|late)[- ]stage\b|\bstartup\b[^?]*\bor\b|\bhow (?:old|mature) is (?:the|your) company\b/i,
  role: /\bwhat(?:'s| is) your (?:role|position|title|level)\b|\byour role\b|\bwho do you report to\b|\bare you (?:the|a|an) (?:manager|director|ic|tech lead|em|vp|cto|individual contributor)\b/i,
  constraints: /\bconstraints?\b|\bbudget\b|\bdeadlines?\b|\bheadcount\b(?! of)|\bwhat (?:limits|is fixed)\b/i,
  already_tried:
    /\b(?:what|which)(?: things| approaches)? (?:have|did) you (?:already )?(?:tried|try|attempted|attempt|done)\b|\btried so far\b|\bwhat(?:'s| has) been tried\b|\bhave you (?:already )?tried\b/i,
  measurement:
    /\bhow (?:are|do|is|were) (?:you|it|velocity|productivity|this|that|the team)\b[^?]*\b(?:measur|track|quantif)|\bwhat metrics?\b|\bhow do you know\b[^?]*\bslow\b|\bmeasured\b/i,
};

/** The fact kinds a clarifying question asks for (often one, sometimes two, none for a challenge). */
export function factsAskedFor(question: string): FactKind[] {
  return (Object.keys(asked) as FactKind[]).filter((kind) => asked[kind].test(question));
}
