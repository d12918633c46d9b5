import { analyzeText, normalizeText } from '@cairn/text';
import { detectRefusal } from '../detect-refusal.js';
import { plain, splitSentences } from './text-tools.js';
import type { ConversationContext, Intent, Topic, TopicClassification } from './types.js';

/** A cue of a topic: a pattern over the normalised question and how much it says. */
type Cue = [RegExp, number];

/**
 * Each topic's vocabulary, paraphrases and synonyms, over `normalizeText` output (lower
 * case, American spellings, "org" → "organization", "1:1" → "oneonone", "infra" →
 * "infrastructure", "EM" → "engineering manager", "IC" → "individual contributor"). Weight
 * 3 is a cue that alone says the topic, 2 a strong hint, 1 a faint one.
 */
const lexicon: Record<Exclude<Topic, 'general' | 'off_topic'>, Cue[]> = {
  staff_plus: [
    [/\bstaff (?:engineers?|principal|roles?|title|level|promotions?|positions?|archetypes?|eng)\b|\bstaff-level\b|\bstaff principal\b/, 3],
    [/\b(?:become|becoming|get(?:ting)? to|promot\w* to|reach(?:ing)?|make|making) (?:staff|principal)\b/, 3],
    [/\bprincipal(?:-level)? (?:engineers?|roles?|title|level)\b|\bdistinguished engineers?\b|\bsenior principal\b/, 3],
    [/\barchetypes?\b|\bright[- ]hand\b|\bsolvers?\b/, 3],
    [
      /\b(?:senior|top-level|most senior|technical) (?:individual contributors?|ic)s?\b|\bindividual contributor (?:track|path|role|levels?)\b/,
      2,
    ],
    [/\btechnical leadership\b|\bglue work\b|\bwork on what matters\b|\bno (?:formal )?authority\b|\bwithout (?:formal )?authority\b/, 2],
    [/\bprincipals?\b|\barchitects?\b|\btech(?:nical)? leads?\b|\bsenior engineers?\b/, 1],
  ],
  org_design: [
    [/\breorg(?:anization|anize|anizing|s)?\b|\bre-?organiz\w*|\brestructur\w*/, 3],
    // Who owns what as the organisation grows.
    [
      /\bwhich teams? (?:should )?owns?\b|\bowns? which (?:parts?|areas?|pieces?)\b|\bgrow(?:s|ing)? from \d+ to \d+ teams\b|\bdomain layer\b/,
      3,
    ],
    [
      /\borg(?:anization(?:al)?)? (?:chart|structure|design|shape)\b|\bteam (?:structure|topolog\w*|boundaries|shape|sizes?|sizing)\b|\breporting lines?\b/,
      3,
    ],
    [
      /\bspans? of control\b|\bmanagers? to engineers?\b|\bengineers? per manager\b|\bhow many (?:engineers|people|reports) (?:should )?(?:one |a |each )?manager\b/,
      3,
    ],
    [
      /\b(?:split|splitting|merge|merging|carve|carving|divide|dividing|combine|combining) (?:up )?(?:the |a |my |our |it |them |two |this )?(?:\w+ )?(?:teams?|organization|groups?|it|them|up)\b/,
      3,
    ],
    [/\b(?:platform|infrastructure) (?:versus|vs|or|and) product\b|\bproduct (?:versus|vs) platform\b|\bratio of\b|\bproportion of\b/, 3],
    [
      /\bwho (?:should )?owns?\b|\bnobody owns\b|\bno one owns\b|\bownership\b|\bsquads?\b|\bpods?\b|\btribes?\b|\bmatrix\b|\btwo-pizza\b|\blayers? of management\b/,
      2,
    ],
    [
      /\bstructure (?:my|our|the|a) (?:\w+ )?(?:teams?|organization|department|group)\b|\bhow (?:should|do|to) (?:i |we )?(?:structure|organize) (?:the |my |our |a )?(?:\w+ )?(?:teams?|organization|engineering|department|group)\b|\bthe teams we have\b/,
      3,
    ],
    [/\bteams? of teams\b|\bmanagers? reporting\b|\bonly has (?:one|two) managers\b|\bdirect reports\b|\bmerge it with another team\b/, 2],
    [
      /\bmore (?:headcount|engineers|people|developers)\b|\bunderstaffed\b|\bwho decides\b|\broles and responsibilities\b|\bresponsibilit\w*|\braci\b|\bconfusion between\b/,
      2,
    ],
    [/\btechnical coherence\b|\bthree-layer\b|\bux domains?\b|\bdomain engineering\b|\bjack danger\b/, 3],
    [/\borganization\b|\bteams\b|\bheadcount\b/, 1],
  ],
  technical_quality: [
    [/\btech(?:nical)? debt\b|\bcode quality\b|\bquality (?:initiative|bar|program|problem|issues?)\b|\bcodebase\b/, 3],
    [
      /\bengineering standards\b|\bcoding standards\b|\bbest practices\b|\brefactor\w*|\blegacy\b|\bmigrations?\b|\bdeprecat\w*|\bmonolith\b|\bmicroservices\b/,
      2,
    ],
    [
      /\bbugs?\b|\bincidents?\b|\btest coverage\b|\bflaky\b|\bcode reviews?\b|\brewrit\w*|\brebuild\b|\barchitecture\b|\bdesign reviews?\b/,
      2,
    ],
    [/\bfirefight\w*|\bbacklog\b|\bhot-?patch\w*/, 1],
    [
      /\bvelocity\b|\bdelivery\b|\bshipping\b|\bship (?:faster|slower)\b|\bslow(?:er|ing)? down\b|\bthroughput\b|\bquality\b|\braise the bar\b|\badopt\w*/,
      2,
    ],
    [/\btoo slow\b|\btakes? (?:forever|ages|too long)\b|\bsluggish\b|\bnot shipping\b/, 2],
    [
      /\bfrom scratch\b|\bstart(?:ing)? over\b|\bfrom the ground up\b|\bgreenfield\b|\b(?:rails|django|php|java|\.net) (?:app|application|monolith|codebase)\b/,
      3,
    ],
  ],
  infrastructure: [
    [/\binfrastructure\b|\bplatform (?:team|org|organization|group|engineering|engineers)\b|\bsres?\b|\bsite reliability\b|\bdevops\b/, 3],
    [/\bcloud (?:bill|costs?|spend|spending)\b|\baws\b|\bgcp\b|\bazure\b|\breliability\b|\buptime\b|\bobservability\b|\boutages?\b/, 3],
    [
      /\bdeveloper (?:productivity|experience|tool\w*)\b|\btooling\b|\bdevex\b|\bbuild (?:times?|systems?|tooling)\b|\bci(?:\/cd)?\b|\bdeploy(?:ment)? (?:tooling|pipelines?|frequency)\b|\bdora\b|\baccelerate\b/,
      3,
    ],
    [/\btrunk and branch\w*/, 3],
    [
      /\bon-?call\b|\bpager\b|\bpaged\b|\befficiency\b|\bplatforms?\b|\bsecurity\b|\bproductivity\b|\b(?:infrastructure|cloud|aws) spend\b/,
      2,
    ],
  ],
  hiring: [
    [
      /(?<!\b(?:new|remote|recent|latest|junior|senior|bad|good|great|first) )\bhir(?:e|es|ed|ing)\b|\brecruit\w*|\binterview\w*\b(?! elsewhere| (?:at|with) other)|\bcandidates?\b|\bapplicants?\b|\bsourcing\b|\btalent\b/,
      3,
    ],
    [
      /\boffers?\b.*\b(?:declin|accept|reject|turn)\w*|\b(?:declin|accept|turn)\w* (?:our |the |an |my )?offers?\b|\bjob (?:descriptions?|offers?|postings?)\b|\btake-home\b|\bbar raiser\b|\bclos(?:e|ing) (?:the |a )?candidates?\b/,
      3,
    ],
    [/\bbackfill\w*|\bheadcount\b|\bfunnel\b|\breferrals?\b|\bnew hires?\b|\bonboard\w*/, 1],
  ],
  strategy: [
    [
      /\bstrateg(?:y|ies|ic)\b|\btechnical (?:direction|vision)\b|\bengineering (?:principles|direction|vision)\b|\bguiding polic\w*|\bdiagnosis\b/,
      3,
    ],
    [
      /\bvision\b|\broadmap\b|\bnorth star\b|\bokrs?\b|\blong-term plan\b|\bbuild (?:vs|versus|or) buy\b|\bdesign docs?\b|\bprinciples\b|\bpriorit\w*/,
      2,
    ],
    [/\bsystems? (?:thinking|dynamics|view)\b|\bstocks? and flows?\b|\bfeedback loops?\b/, 2],
    [
      /\bset(?:ting)? (?:a |the )?(?:technical )?direction\b|\bstandardi[sz]\w*|\bwhich (?:database|language|framework|stack|tools?) to (?:use|pick|choose|adopt)\b|\btech(?:nology)? choices?\b/,
      3,
    ],
    [/\bthe board\b|\bbusiness (?:goals|priorities)\b|\bbet\b|\bcoherent actions?\b|\bsettle (?:any )?debates?\b/, 2],
  ],
  first_90_days: [
    [
      /\bfirst (?:90|ninety|30|60|hundred|100) days\b|\bfirst (?:few |two |three |six )?(?:weeks?|months?)\b|\bfirst quarter\b|\bfirst three months\b/,
      3,
    ],
    [
      /\b(?:my|this) new (?:role|job|company|team)\b|\b(?:i'?m|i am|as) (?:a |an |the )?new (?:cto|vp|director|engineering manager|manager|head of engineering|tech lead|lead)\b|\bjust (?:started|joined|been promoted)\b|\b(?:start|starting|joined|joining) as\b/,
      3,
    ],
    [
      /\btaking over (?:a |an |the )?(?:existing )?(?:team|organization|group)\b|\babout to (?:become|start|take over|join)\b|\bstepping into\b|\bprevious (?:director|manager|cto|vp|lead) left\b/,
      3,
    ],
    // Inheriting a team or an org is a new role; services or code "inherited from a team that got disbanded" are not.
    [/\binherit\w* (?:a |an |the |my |this )?(?:\w+ )?(?:team|org|organi[sz]ation|group|reports?|managers?|engineers?)\b/, 2],
    [
      /\bpromoted to (?:an? |the )?(?:engineering manager|manager|director|vp|cto|head|senior manager)\b|\bnew to (?:the )?(?:role|team|company)\b|\bonboard(?:ing)? (?:myself|as)\b/,
      3,
    ],
  ],
  feedback: [
    [/\bfeedback\b|\bcriticism\b|\bcritique\b|\bpraise\b|\b360\b/, 3],
    // Asking how to give feedback is the intent, whatever the setting it happened in (a meeting, a review).
    [/\b(?:give|giving|deliver\w*|share|sharing|offer\w*)\s+(?:\w+\s+){0,2}feedback\b/, 3],
    [/\bperformance (?:reviews?|issues?|problems?|conversations?)\b|\bperf reviews?\b/, 2],
    [/\btoo vague\b|\bgentle hints?\b|\bsugarcoat\w*|\bsoften\w*/, 3],
    // How someone's behaviour lands on others: what feedback is about, wherever it happened.
    [
      /\bcomes? (?:across|off) as\b|\bcondescending\b|\bdismissive\b|\brude\b|\bharsh\b|\bsnap(?:s|ped|ping)? at\b|\bpassive[- ]aggressive\b|\bsarcas\w*|\btalks? down to\b|\battitude\b|\bsloppy\b/,
      3,
    ],
    [
      /\bunderperform\w*|\blow rating\b|\bnot meeting expectations\b|\bperformance improvement plan\b|\bpip\b|\bcall (?:him|her|them) out\b/,
      2,
    ],
    [
      /\btell (?:him|her|them|a peer|an? \w+|(?:my|our|one of my|one of our) (?:\w+ ){0,3}?\w+|someone) (?:that|about)\b|\bbring (?:it|this) up\b|\braise (?:it|this|that|the issue) with\b|\b(?:he|she|they) keeps? missing\b|\bcurt\b|\babrasive\b|\brecognition\b/,
      2,
    ],
    [/\bfir(?:e|ing) (?:my|our|him|her|them|this|that|the|a|an|someone)\b|\blet (?:\w+ )?go\b/, 2],
  ],
  difficult_conversations: [
    // People at odds with each other, in the words leaders use for it.
    [
      /\bcan'?t stand (?:each other|one another|him|her|them)\b|\b(?:don'?t|do not|doesn'?t|does not) get along\b|\bat each other'?s throats\b|\bfeud\w*|\binto (?:two )?camps\b|\btaking sides\b|\bbad blood\b|\bbicker\w*|\bbutt(?:s|ing)? heads\b|\bpersonality (?:clash|conflict)s?\b|\bharass\w*/,
      3,
    ],
    [
      /\b(?:difficult|hard|tough|awkward|uncomfortable) (?:conversations?|talks?|discussions?|news)\b|\bconflict\w*|\btension\b|\bclash\w*/,
      3,
    ],
    [/\bbiceps\b|\bcore needs?\b/, 2],
    [
      /\bupset\b|\bangry\b|\bfurious\b|\bdefensive\b|\bemotional\b|\bcr(?:y|ied|ying)\b|\bspiral\w*|\bheated\b|\bblindsided\b|\bresent\w*|\btoxic\b/,
      3,
    ],
    [
      /\b(?:went|gone|goes|going) (?:very |really )?quiet\b|\bchecked out\b|\bwithdrawn\b|\bshut (?:down|off)\b|\bhit (?:him|her|them|me) (?:so |really |that )?hard\b|\btook it (?:badly|hard|personally)\b|\breact(?:ed|s|ing)? (?:really |so |very )?(?:badly|poorly|strongly)\b|\bblew up\b|\blash(?:ed|es|ing)? out\b/,
      3,
    ],
    [
      /\bfir(?:e|ing) (?:my|our|him|her|them|this|that|the|a|an|someone)\b|\blet (?:\w+ )?go\b|\blaid off\b|\blayoffs?\b|\bterminat\w*|\bpart ways\b/,
      3,
    ],
    [
      /\bfrustrat\w*|\bunfair\b|\bnot fair\b|\bcomplain\w*|\bdisagree\w*|\bargu(?:e|es|ing|ment)\w*|\btrust\b|\bdistrust\b|\bresign\w*|\bquit\w*|\battrition\b|\bmorale\b/,
      2,
    ],
    [
      /\b(?:frame|approach|have|start|open|prepare for) (?:that|the|this|a) (?:hard |difficult )?conversation\b|\bmy own (?:emotions|reactions?|feelings)\b|\bmanag\w* (?:my|your) (?:emotions|reactions?)\b|\bsay no\b|\bpush(?:es|ing|ed)? back\b|\bguilty\b|\bweirdly\b/,
      2,
    ],
  ],
  meeting_facilitation: [
    // A meeting named as where something else happened ("he snaps at people in standup") says less than one asked about.
    [
      /(?<!\b(?:in|at|during|after|before)(?: (?:every|each|the|our|my|a|team|weekly|daily|one))*\s+)(?:\bmeetings?\b|\bretros?\b|\bretrospectives?\b|\bstand-?ups?\b|\boffsites?\b|\bworkshops?\b|\ball-hands\b)|\bfacilitat\w*|\bagendas?\b/,
      3,
    ],
    [/\b(?:meetings?|retros?|retrospectives?|stand-?ups?|offsites?|workshops?|all-hands)\b/, 1],
    [/\bnaming what'?s happening\b|\bname what'?s happening\b/, 3],
    [/\bin the room\b|\bwent silent\b|\bgoes quiet\b|\bdominat\w*|\btalks? over\b|\binterrupt\w*|\bsniping\b|\bloudest\b/, 2],
    [
      /\b(?:architecture|design) reviews?\b|\bplanning\b|\bdecisions? (?:never )?(?:get )?made\b|\bnever (?:actually )?decides?\b|\bback-and-forth\b/,
      2,
    ],
  ],
  developing_people: [
    [
      /\binterviewing (?:elsewhere|at other|with other)\b|\blooking for (?:a new|another) job\b|\bflight risk\b|\bpoached\b|\babout to (?:quit|leave)\b/,
      3,
    ],
    [/\bburn(?:ed|t|ing)? ?out\b|\bimposter\b|\bimpostor\b|\bfeel(?:ing)? like a fraud\b|\bout of my depth\b|\bself-doubt\b/, 2],
    [/\boneonone\w*|\bmentor\w*|\bsponsor\w*|\bcoach\w*|\bgoing to bat\b|\bgo to bat\b|\bmanager voltron\b|\bsupport network\b/, 3],
    [
      /\b(?:grow|growth|develop\w*)\b.*\b(?:reports?|engineers?|people|team|managers?|them|him|her|juniors?)\b|\bstretch (?:projects?|assignments?)\b|\bdelegat\w*/,
      2,
    ],
    [
      /\bmotivat\w*|\bdisengag\w*|\bengag\w*|\boverloaded\b|\bcareer conversations?\b|\badvocat\w*|\bpassed over\b|\bvisibility\b|\bvouch\w*/,
      2,
    ],
    [/\bfir(?:e|ing) (?:my|our|him|her|them|this|that|the|a|an|someone)\b|\blet (?:\w+ )?go\b|\bpip\b|\bunderperform\w*/, 2],
    [
      /\bdirect reports?\b|\bmy reports?\b|\bnew managers?\b|\bjuniors?\b|\bstep back\b|\bretention\b|\battrition\b|\bpeople (?:are )?(?:quitting|leaving)\b|\bturnover\b/,
      1,
    ],
  ],
  career_development: [
    [/\bcareer (?:ladders?|paths?|growth|development|progression)\b|\bjob ladders?\b|(?<!skip-)\blevels?\b|\bleveling\b|\bcalibrat\w*/, 3],
    // "I got promoted to director" is a new role (the first 90 days), not a question about promotions.
    [
      /\bpromot\w*\b(?! to (?:an? |the )?(?:engineering manager|manager|director|vp|cto|head|lead|team lead|tech lead|senior manager)\b)|\bpromo\b|\bnext level\b|\btitles?\b|\bperformance designations?\b/,
      3,
    ],
    [/\bperformance (?:reviews?|cycle|ratings?)\b|\bperf reviews?\b/, 2],
    [
      /\bcompensation\b|\bcomp\b|\bhow much (?:should|do|to|would|can) (?:i|we|you) pay\b|\bsalar(?:y|ies)\b|\bpay (?:bands?|rises?|raises?|gaps?|scales?|ranges?|equity)\b|\b(?:underpaid|overpaid)\b|\b(?:a|pay) raise\b|\bequity\b/,
      3,
    ],
    [
      /\bcareer\b|\bmanagement track\b|\bswitch to management\b|\bmanager or (?:an )?individual contributor\b|\bstay(?:ing)? an individual contributor\b/,
      2,
    ],
  ],
};

/** Questions that are plainly about something else than leading engineers. */
const offTopicCues: Cue[] = [
  [
    /\b(?:recipes?|cook\w*|bak(?:e|ing)|lasagna|pizza|pasta|marinade|chicken|steak|sushi|ramen|tacos|brunch|burgers?|brisket|dim sum|grill\w*|bbq|barbecue|wine|cocktails?|vegan|calories|restaurants?|weather|forecast|football|soccer|basketball|baseball|tennis|golf|cricket|rugby|hockey|nba|nfl|mlb|nhl|premier league|olympics|super bowl|formula (?:1|one)|world cup|marathons?|movies?|films?|songs?|lyrics|poems?|poetry|jokes?|horoscope|vacation|holiday destinations?|hotels?|flights?|planets?|moons?|jupiter|saturn|galaxy|dinosaurs?|video games?)\b/,
    3,
  ],
  [
    /\b(?:stock (?:price|market|tips?)|bitcoin|crypto\w*|mortgage|tax return|diet|workout|gym|symptoms?|diagnos(?:e|is) (?:my|this) (?:rash|pain)|dating|girlfriend|boyfriend|wedding|homework|capital of|translate|my (?:dog|cat)|pets?|my (?:daughter|son|kids|children|wife|husband|parents|baby|toddler)|garden\w*|vacuum)\b/,
    3,
  ],
  [
    /\b(?:center a div|regex|regular expression|syntax error|stack trace|compile error|segfault|null pointer|css|html|javascript|typescript|python|java|golang|rust|sql|kubernetes|docker|nginx|git rebase|merge conflict|npm|webpack|react|big-?o|time complexity|linked list|binary tree)\b/,
    2,
  ],
];

/** Words of work and leadership: a question with one of them is not off-topic, even with no topic cue. */
const workVocabulary =
  /\b(?:team|teams|engineer\w*|manag\w*|lead\w*|organization|company|compan\w+|reports?|boss|ceo|cto|vp|director|colleagues?|co-?workers?|peers?|employees?|staff|people|developers?|work|workplace|office|job|role|projects?|product|deliver\w*|ship\w*|velocity|productivity|process|culture|decisions?|career|startup|business|customers?|services?|systems?|code|codebase|platforms?|ownership|roadmap|launch\w*|deadlines?|reviews?|apps?|applications?|software|tech|technical|imposter|impostor|confidence|stress\w*|overwhelm\w*|boundar\w*|calendar|focus time|procrastinat\w*|stakeholders?|directs|part-?time|full-?time|sabbaticals?|execs?|executives?|investors?|founders?|cofounders?|salary|salaries|bonus|performance|feedback|meetings?|oneonone\w*|standups?|sprints?|tickets?|incidents?|outages?|on-?call|architecture|budget|headcount|okrs?|kpis?|metrics?|promot\w*|interview\w*|candidates?|offers?|remote|hybrid|repos?|monorepo|polyrepo|microservices?|stack|database|cloud|apis?|tooling|migrations?|deploy\w*|releases?|rollouts?|rollbacks?|sev ?\d|sevs|postmortems?|post-mortems?|retros?|retrospectives?|bugs?|pagers?|paging|uptime|downtime|latency|infra\w*|servers?|self-hosted|aws|gcp|azure|aurora|postgres\w*|mysql|kafka|vendors?|layoffs?|laid off|fir(?:e|ed|ing)|quit\w*|resign\w*|attrition|burn-?out|reorg\w*|hir(?:e|es|ed|ing)|onboard\w*|legacy|rewrites?|refactor\w*|tech debt|goals?|quarterly|quarters?|targets?|objectives?|planning|priorit\w*|estimat\w*|commitments?|harass\w*|morale|burning out|1:1s?|one-on-ones?|skip-levels?|calibrations?|promos?|design docs?|rfcs?|specs?|retention|compensation|equity|hr)\b/;

/** A person named as someone the user deals with at work ("what should I do about Dave?", "my problem with Priya"). */
const namedColleague =
  /\b(?:do about|deal(?:ing)? with|talk(?:ing)? to|handl(?:e|ing)|coach(?:ing)?|manag(?:e|ing)|feedback (?:to|for)|work(?:ing)? with|problem with|issue with|conflict with|frustrated with|worried about)\s+[A-Z][a-z]+\b(?!\s+(?:Street|City|River|Mountain|Island))/;

/** Used to settle exact ties: the more specific topic first. */
const topicOrder: Topic[] = [
  'first_90_days',
  'staff_plus',
  'meeting_facilitation',
  'hiring',
  'feedback',
  'difficult_conversations',
  'career_development',
  'developing_people',
  'infrastructure',
  'technical_quality',
  'strategy',
  'org_design',
];

/** The question as the lexicon reads it: normalised by @cairn/text, spaces collapsed. */
export const normalise = (text: string): string => normalizeText(plain(text)).replace(/\s+/g, ' ').trim();

function scoreTopics(text: string): Partial<Record<Topic, number>> {
  const normalized = normalise(text);
  const scores: Partial<Record<Topic, number>> = {};
  for (const [topic, cues] of Object.entries(lexicon) as [Topic, Cue[]][]) {
    const score = cues.reduce((sum, [pattern, weight]) => sum + (pattern.test(normalized) ? weight : 0), 0);
    if (score > 0) scores[topic] = score;
  }
  const offTopic = asksForLife(normalized) ? 4 : offTopicScore(normalized);
  if (offTopic > 0) scores.off_topic = offTopic;
  return scores;
}

const cueScore = (cues: readonly Cue[], text: string) =>
  cues.reduce((sum, [pattern, weight]) => sum + (pattern.test(text) ? weight : 0), 0);

/** A sentence that asks for something without a question mark ("Write me…", "Help me plan…"). */
const requestOpener =
  /^(?:please |can you |could you )?(?:write|draft|compose|help|give|tell|make|plan|recommend|suggest|list|create|find|book|explain|show|describe)\b/;

/**
 * What a question asks: its sentences that end with a question mark, else those that open
 * with a request ("Write a toast for my buddy's wedding. He's a software engineer."), else its
 * last sentence. The other sentences tell the situation.
 */
export function askOf(normalized: string): string {
  const sentences =
    normalized
      .match(/[^.!?;]+(?:[.!?;]+|$)/g)
      ?.map((sentence) => sentence.trim())
      .filter(Boolean) ?? [];
  const asked = sentences.filter((sentence) => sentence.endsWith('?'));
  const requested = sentences.filter((sentence) => requestOpener.test(sentence));
  return (asked.length > 0 ? asked : requested.length > 0 ? requested : sentences.slice(-1)).join(' ');
}

/** Every word of work in a text, for counting them. */
const everyWorkWord = new RegExp(workVocabulary.source, 'g');

/** Terms of work that hold a life word: a vacation policy is a people matter, not a holiday. */
const workTermsWithLifeWords =
  /\b(?:(?:vacation|holiday|pto|leave|time[- ]off) polic(?:y|ies)|unlimited (?:vacation|pto)|parental leave)\b/g;

/** An occasion of one's own life that a request may be for: a birthday, a send-off, a wedding. */
const lifeOccasion =
  /\b(?:(?:end-of-\w+|holiday|team|office|quarter|summer|launch|leaving|farewell) party|birthdays?|bday|turn(?:s|ing)? (?:\d\d|thirty|forty|fifty|sixty)\b|for (?:his|her|their|my|our|the) \d+(?:st|nd|rd|th)\b|\d+(?:st|nd|rd|th) birthday|anniversary|(?:for|at) (?:his|her|their|my|our|the) (?:retirement|leaving do|last day)|(?:is|are|'s|'re) retiring|retirement (?:party|gift|present|card|dinner|do|lunch)|farewell|leaving (?:do|party|present|gift|card|lunch|drinks)|send-?off|going-away|wedding|baby shower|christmas|secret santa|white elephant|holiday (?:party|gifts?|presents?|cards?)|housewarming|graduation)\b/;
/** What is asked for such an occasion: something to give, serve, play or write, or ideas. */
const occasionAsk =
  /\b(?:(?:gift|present|party|card|menu|food|games?|activit(?:y|ies)|theme) ideas?|^ideas\b|\bideas\s*\??$|suggest\w* (?:a|an|some)? ?(?:menu|games?|gifts?|presents?|restaurants?|places?|venues?|themes?)|what (?:should|can|could|do) (?:i|we) (?:get|buy|give|bring|cook|serve|wear|write in)\b(?! (?:out|across|ahead|better|buy-?in|done|right|wrong|started|going|rolling|back|through|over|up|in place|ready)\b)(?! (?:\w+ ){0,2}to\b)|menu|party games|gifts?|presents?|chip in|something nice|what (?:cocktails?|drinks?|food|dish(?:es)?) should)/;
/**
 * What only a life request asks, whoever it is for: a trip planned, homework written, a phrase
 * translated, reviews made up. Read in what is asked, so a leader's question that tells of such a
 * thing ("our offsite is in Lisbon: how do I plan the agenda?") is not one.
 */
const lifeAsk = [
  /\bwhere should (?:i|we) (?:go|travel|stay|fly)\b[^?.]{0,40}\b(?:for a (?:\w+ )?(?:week|weekend|trip|vacation|holiday|honeymoon|getaway)|beach\w*|caribbean|island\w*)\b/,
  /\b(?:plan|book|suggest|recommend)\w* (?:me )?(?:a|an|my|our|the)? ?(?:\w+ ){0,2}?(?:itinerary|honeymoon|getaway|road trip|beach (?:trip|holiday))\b/,
  /\b(?:book report|homework|school (?:project|assignment|essay)|science fair|(?:\d+(?:st|nd|rd|th)|third|fourth|fifth|sixth|seventh|eighth) grade)\b/,
  /\bhow (?:do|would|can|should) (?:you|i|we) say\b[^?]{0,80}\bin (?:japanese|spanish|french|german|italian|portuguese|chinese|mandarin|cantonese|korean|hindi|arabic|russian|dutch|polish|turkish|greek|hebrew|swedish|vietnamese|thai)\b/,
  /\bfake (?:\w+ ){0,3}reviews?\b|\b(?:five|5)[- ]star (?:\w+ )?reviews?\b/,
  // Where to stay and what to see on a trip, whoever goes.
  /\bwhich (?:neighbou?rhood|area|part of (?:the )?(?:town|city)|hotel|district) should (?:i|we) (?:stay|book)\b|\bwhat (?:shouldn'?t|should|must) (?:i|we) (?:not )?(?:miss|see|visit)\b|\bthings to (?:do|see) in\b/,
  // Food and drink to make, books and films to enjoy, games to beat, a profile to date with.
  /\bhow long (?:do|should|would) (?:i|we|you) (?:smoke|cook|bake|grill|roast|boil|fry|brine|marinate)\b|\bat what temp(?:erature)?\b|\bwhat (?:cocktails?|drinks?|wines?|beers?|dish(?:es)?|food) should (?:i|we) (?:make|mix|serve|bring|cook|order)\b/,
  /\brecommend\w* (?:me )?(?:a |some |a few )?(?:good )?(?:\w+ )?(?:novels?|fiction|sci-?fi|fantasy|thrillers?|romance|(?:tv )?shows?|movies?|films?|albums?|songs?|video games?)\b/,
  // Things to buy, eat, watch or name for one's own life: "noise-cancelling headphones, budget 300", "netflix recs",
  // "restaurants near Alfama", "a name for our puppy", "meal prep".
  /\b(?:headphones|earbuds|keyboards?|office chairs?|standing desks?|monitors? (?:to buy|recs?|recommendations?)|tv shows?|movies? to watch|series to watch)\b[^.?!;]{0,60}\b(?:recs?|recommend\w*|suggest\w*|best|budget|buy|should i get|worth it)\b|\b(?:recs?|recommend\w*|suggest\w*|best)\b[^.?!;]{0,60}\b(?:headphones|earbuds|keyboards?|office chairs?|standing desks?|tv shows?)\b|\bnetflix (?:recs?|recommendations?|shows?|series)\b|\b(?:watch|binge) on netflix\b/,
  /\b(?:restaurants?|cafes?|places to eat)\b (?:near|in|around|close to)\b|\bnames? for (?:a|my|our|the) (?:\w+ ){0,2}(?:puppy|dog|cat|kitten|baby|boat)\b|\bmeal[- ]?prep|\bmeal plan|\bgrocery list|\b(?:workout|diet) (?:plan|routine)\b|\b(?:give me|suggest|need|want|find me|share) (?:a |an |some )?(?:easy |quick |simple |good )?recipes?\b|\bwhich (?:video )?games should (?:i|we) (?:buy|play|get)\b|\bhinge (?:bio|profile)\b/,
  /\btranslat\w*\b[^.?!]{0,60}\b(?:into|to|in) (?:french|spanish|german|italian|portuguese|japanese|chinese|mandarin|korean|hindi|arabic|russian|dutch|polish)\b|\b(?:c[oó]mo se dice|wie sagt man|comment dit-on)\b/,
  /\b(?:final boss|boss fight|elden ring|zelda|minecraft|fortnite|dating (?:profile|app)s?|tinder|bumble|betting (?:strategy|strategies|odds|tips|lines|on (?:the )?(?:nba|nfl|nhl|mlb|game|match|finals|super bowl|world cup|horses?))|sports ?betting|gambling|sportsbook|parlays?|point spreads?)\b/,
];

/**
 * A request of one's own life, however much work its situation tells: a present for a manager's
 * birthday, a menu for a colleague's farewell, a week in the Caribbean for a tired manager.
 */
function asksForLife(normalized: string): boolean {
  const ask = askOf(normalized);
  return (lifeOccasion.test(normalized) && occasionAsk.test(ask)) || lifeAsk.some((pattern) => pattern.test(ask));
}

/** Where the first match of a pattern is in a text (Infinity when none). */
const firstIndex = (pattern: RegExp, text: string) => {
  const index = text.search(pattern);
  return index < 0 ? Infinity : index;
};

/**
 * How plainly a question is about something other than leading engineers. A life word told
 * as the situation ("the team stalls whenever I'm on vacation. How do I get others to own
 * the big calls?") is context, not the subject, when the question speaks of work at all. In
 * what is asked, it is the subject unless work comes first ("an engineer whose diet
 * restrictions keep getting ignored at team dinners") or fills the ask (three words of
 * work); "a poem about my engineering team" and "a lasagna recipe for my team's potluck" stay
 * out. Code words count wherever they are ("nginx returns 502 in front of my app"): Cairn
 * does not write or debug code, and "code" is itself a word of work.
 */
function offTopicScore(normalized: string): number {
  const [codeCue, ...lifeCues] = [...offTopicCues].reverse();
  const code = cueScore([codeCue!], normalized);
  const text = normalized.replace(workTermsWithLifeWords, 'policy');
  const life = cueScore(lifeCues, text);
  if (life === 0) return code;
  const ask = askOf(text);
  if (cueScore(lifeCues, ask) === 0) return code + (workVocabulary.test(text) ? 0 : life);
  const lifeAt = Math.min(...lifeCues.map(([pattern]) => firstIndex(pattern, ask)));
  const workFirst = firstIndex(workVocabulary, ask) < lifeAt;
  const workWords = new Set(Array.from(ask.matchAll(everyWorkWord), (match) => match[0]));
  return code + (workFirst || workWords.size >= 3 ? 0 : life);
}

// ── Intent ────────────────────────────────────────────────────────────────────────────

/** First person that puts the user's own situation in the question. */
const ownSituation = /\b(?:i|i'm|i've|i'd|i'll|my|mine|me|we|we're|we've|our|ours|us)\b/i;
/** "me" in a request to Cairn ("explain to me", "give me an example") is not a situation. */
const requestMe = /\b(?:explain (?:to )?me|tell me|give me|show me|help me understand|remind me|walk me through|teach me)\b/gi;

const explanationOpeners =
  /^(?:what(?:'s| is| are| does| do)\b|what'?s the difference\b|explain\b|define\b|describe\b|tell me (?:about|what)\b|how does\b|how do (?:the|a|an)\b|why (?:is|are|does|do)\b|can you explain\b|could you explain\b|give me (?:an? |some )?(?:\w+ )?(?:example|overview|summary|definition)s?\b|(?:describe|compare|summari[sz]e|list|walk me through|show me)\b|which (?:book|books|article|framework|model)\b|who (?:is|was|coined|came up)\b|is (?:it|there)\b|are there\b|when (?:is|does|do|should)\b)/i;
const frameworkNames =
  /\b(?:technical coherence|staff archetypes?|archetypes?|trunk and branch\w*|engineering strategy|systems? (?:thinking|dynamics)|stocks and flows|biceps|core needs|feedback equation|naming what'?s happening|sponsorship|mentorship)\b/i;

/** The user explicitly hands the choice to Cairn. */
export const delegatesDecision =
  /\b(?:(?:just )?tell me (?:whether|which|if i should|yes or no|who (?:to|should i)|what to (?:pick|choose))|(?:decide|pick|choose) for me|yes or no\b|just (?:pick|choose) (?:one|for me)|(?:make|take) the (?:call|decision) for me|you (?:decide|choose|pick)\b|whatever you (?:say|recommend|suggest|decide|pick|think)\b|(?:it'?s|that'?s) your call\b|which (?:one |candidate |option |offer |approach |of (?:them|these|the two) )?(?:would|do) you (?:pick|choose|hire|promote|take|go with|prefer)|what would you do\b|if you were (?:me|in my (?:shoes|position|place))\b|in my shoes\b|(?:^|[,.;:!]\s*)(?:please |just )?(?:decide|choose|pick) (?:whether|which|if|between)\b|\bjust (?:pick|choose|decide)\b(?=\s+one\b|\s+for me\b|\s*[.!?]|\s*$)|\byou tell me\b|\byou(?:'re| are) the expert\b)/i;

/** A choice put to Cairn: "Should I fire…?", "Should we merge…?", "Is it time to…?", "X or Y?". */
const decisionAsked: RegExp[] = [
  /^(?:(?:so|ok|okay|honestly|basically|also|and|but),?\s+)?(?:should|shall) (?:i|we)\b(?! (?:be|feel|worry|care|panic|expect|know)\b)/i,
  /^(?:(?:so|ok|okay|honestly|basically|also|and|but),?\s+)?do (?:i|we) (?:fire|hire|promote|let \w+ go|accept|take|quit|leave|stay|go with|pick|choose)\b/i,
  /(?<!\b(?:how|what|when|where|why|who|which)\s)\bshould (?:i|we) (?:fire|hire|promote|let \w+ go|accept|take|quit|leave|stay|go with|pick|choose)\b/i,
  /\bwhich (?:one|option|candidate|offer|approach|of (?:them|these|the two)) should (?:i|we)\b/i,
  /\bis it (?:time|the right (?:call|move|time|decision)) to\b/i,
  /\bwhat(?:'s| is) the right (?:call|move|decision|choice|answer|thing to do)\b/i,
  /\bis (?:it|that|this) (?:a good|the right|the wrong|a bad) (?:idea|call|move|decision)\b/i,
  /\bis [^?.]{3,60} the right (?:move|call|decision|choice)\b/i,
  /(?<!\b(?:how|what|when|where|why|who|which)\s)\bshould (?:i|we) [^?.]{2,80} or [^?.]{2,80}\?/i,
];

/** The words of the question that ask Cairn to make a choice, if any. */
export function askedDecision(question: string): string | null {
  const text = plain(question);
  const delegated = delegatesDecision.exec(text);
  if (delegated) return delegated[0];
  for (const sentence of splitSentences(text)) {
    for (const pattern of decisionAsked) {
      const match = pattern.exec(sentence);
      if (match) return match[0];
    }
  }
  return null;
}

function intentOf(question: string): Exclude<Intent, 'follow_up'> {
  if (detectRefusal(question)) return 'code';
  const text = plain(question);
  const sentences = splitSentences(text);
  const asked = sentences.filter((sentence) => /\?/.test(sentence)).join(' ') || sentences[sentences.length - 1] || text;
  if (askedDecision(text)) return 'decide';
  // First person, or a described situation (a statement before the question), make it advice.
  const described = sentences.some((sentence) => !/\?/.test(sentence) && sentence.split(/\s+/).length >= 6) && /\?/.test(text);
  const situation = ownSituation.test(text.replace(requestMe, ' ')) || described || /:\s+\w+[^?]{20,}\?/.test(text);
  if (!situation && (explanationOpeners.test(asked.trim()) || frameworkNames.test(text))) return 'explain';
  if (!situation && /\?/.test(text)) return 'explain';
  return 'advice';
}

// ── Follow-ups ────────────────────────────────────────────────────────────────────────

const backReference = /\b(?:it|its|that|this|those|these|they|them|their|he|she|him|her|the same|above|previous|earlier|instead)\b/i;
/** Something from earlier named by "that", "this", "those" or "these" and a word for what was said or suggested. */
const namedBackReference =
  /\b(?:that|this|those|these) (?:role|roles|approach|idea|ideas|option|options|plan|advice|framework|model|setup|structure|process|suggestion|suggestions|change|changes|conversation|step|steps|archetype|archetypes|strategy|method|answer|point|points|list|pattern|rule|rules|practice|tactic|technique|script|template|example|examples|equation|diagram|question|questions|approaches)\b/i;
const continuation =
  /^\s*(?:and|but|so|also|then|what about|how about|what if|and if|why|how so|ok|okay|yes|no|sure|right|thanks|thank you|got it|makes sense|fair|actually|follow(?:ing)? up|one more)\b/i;

/** An opening that says the conversation turns to something else: "Actually, a different question:", "Back to work:". */
/** "Totally different question", "a completely new topic": how much a subject changes. */
const howDifferent = String.raw`(?:(?:totally|completely|entirely|very|quite|somewhat|slightly|a bit|kind of|sort of|bit of an?|a little) )?`;
const newSubject = new RegExp(
  String.raw`^\s*(?:(?:ok(?:ay)?|so|actually|also|and|but|anyway|alright|right|haha+|lol|fine|sorry|now|thanks|thank you|cool|great|got it)[,.!]?\s+)*(?:(?:a |one |my )?${howDifferent}(?:different|new|another|separate|unrelated|real|serious) (?:question|topic|thing)|back to work|changing (?:the )?subject|on (?:a |another )?(?:different|separate) note|switching (?:gears|topics?))\b`,
  'i',
);

/**
 * A message's opening that only steers the conversation ("Switching topics:", "Back to my own
 * onboarding:", "Different question —"), taken off before the message is said back or searched:
 * read as words, "switching" found a sentence about switching tools.
 */
const steeringOpening = new RegExp(
  String.raw`^\s*(?:(?:ok(?:ay)?|so|actually|also|anyway|alright|right|now|and|thanks|thank you|cool|great|got it)[,.!]?\s+)*(?:(?:a |one |my )?${howDifferent}(?:different|new|another|separate|unrelated) (?:question|topic|thing)|changing (?:the )?subject|on (?:a |another )?(?:different|separate) note|switching (?:gears|topics?)|back to [^:?.!,]{1,40}?)\s*(?::|—|–| - )\s*`,
  'i',
);

/**
 * A message without its steering opening, where enough is left to stand for it. With
 * `keepReturns`, a return to an earlier subject ("Back to my own onboarding: …") is kept: its
 * subject is what a search needs ("what should I have done by day 90?" alone finds 1:1 notes).
 */
export function withoutSteering(text: string, options: { keepReturns?: boolean } = {}): string {
  if (options.keepReturns && /^\s*(?:\S+[,.!]?\s+){0,3}?back to\b/i.test(steeringOpening.exec(text)?.[0] ?? '')) return text;
  const rest = text.replace(steeringOpening, '');
  return rest !== text && rest.split(/\s+/).filter(Boolean).length >= 3 ? rest.charAt(0).toUpperCase() + rest.slice(1) : text;
}

/** Stems of words in nearly every question and answer here: "staff engineer" names no earlier subject. */
const everywhere = new Set([
  'engin',
  'team',
  'manag',
  'staff',
  'work',
  'peopl',
  'compani',
  'organ',
  'lead',
  'leader',
  'time',
  'year',
  'month',
  'week',
  'project',
  'product',
  'help',
  'good',
  'best',
  'start',
  'new',
]);

/** Terms two texts share in a row (stemmed): "the guiding policy" after an answer on guiding policies. */
function sharesPair(text: string, earlier: string): boolean {
  const pairs = (terms: string[]) => new Set(terms.slice(1).map((term, index) => `${terms[index]} ${term}`));
  const specific = (terms: string[]) => terms.filter((term) => !everywhere.has(term));
  const own = pairs(specific(analyzeText(text)));
  return [...pairs(specific(analyzeText(earlier)))].some((pair) => own.has(pair));
}

/** Whether an assistant answer ended by asking the user something. */
function askedQuestions(answer: string | undefined): boolean {
  if (!answer) return false;
  return (
    /\*\*(?:Before I go further|To help me look again)[^*]*\*\*/.test(answer) ||
    /\?\s*$/.test(answer.replace(/\n\*\*Sources\*\*[\s\S]*$/, '').trim())
  );
}

/**
 * Whether the question continues the conversation rather than starting afresh: a reply to
 * the clarifying questions Cairn asked (facts, no question of its own), or a short message
 * that points back ("what about for managers?", "how do I start it?").
 */
export function isFollowUp(question: string, context: ConversationContext): boolean {
  if (context.earlierQuestions.length === 0) return false;
  const text = plain(question);
  const words = text.split(/\s+/).length;
  if (newSubject.test(text)) return false;
  if (continuation.test(text)) return true;
  // "I gave him feedback and he said everyone else is too slow. Now what?": what to do after what was tried.
  if (
    /\b(?:now what|what now|what next|what do (?:i|we) do now|what should (?:i|we) do (?:now|next)|where do (?:i|we) go from here|then what)\s*[?.!]*\s*$/i.test(
      text,
    )
  )
    return true;
  if (askedQuestions(context.earlierAnswers[context.earlierAnswers.length - 1]) && !/\?/.test(text)) return true;
  if (words <= 14 && backReference.test(text)) return true;
  // "Would that work for us? We have a 6-person infra team…": a short question that points back, then new facts.
  if (splitSentences(text).some((sentence) => /\?\s*$/.test(sentence) && sentence.split(/\s+/).length <= 8 && backReference.test(sentence)))
    return true;
  // "What would the guiding policy look like?": a short question on something the last answer named.
  const lastAnswer = context.earlierAnswers.at(-1)?.replace(/\n\*\*Sources\*\*[\s\S]*$/, '');
  if (words <= 12 && lastAnswer && sharesPair(text, lastAnswer)) return true;
  // "would that role make sense in a 30 person org…": a thing said before, named as such, however long the turn.
  if (words <= 40 && namedBackReference.test(text)) return true;
  return words <= 4;
}

// ── Classification ────────────────────────────────────────────────────────────────────

function ranked(scores: Partial<Record<Topic, number>>): [Topic, number][] {
  return (Object.entries(scores) as [Topic, number][])
    .filter(([topic]) => topic !== 'off_topic')
    .sort((a, b) => b[1] - a[1] || topicOrder.indexOf(a[0]) - topicOrder.indexOf(b[0]));
}

/**
 * The topic of a question among the spec's "Topics You Cover" (or `general` for a
 * leadership question that names none, or `off_topic`), by a curated lexicon of each
 * topic's words and paraphrases, scored; a near tie is reported as `mixed` with the runner-up
 * in `secondary`, and exact ties go to the more specific topic. A follow-up borrows the
 * earlier turns' topic at a discount. Also the intent: advice, explanation, a decision asked
 * of Cairn, code, or a follow-up.
 */
export function classifyTopic(question: string, context: ConversationContext): TopicClassification {
  const baseIntent = intentOf(question);
  const scores = scoreTopics(question);
  // In a conversation about leadership, a question with no topic of its own ("Can you give me an example of what I'd
  // say?") continues it, however it is worded; one with an off-topic cue does not.
  const ongoing =
    (scores.off_topic ?? 0) === 0 &&
    ranked(scores).length === 0 &&
    baseIntent !== 'code' &&
    context.earlierQuestions.slice(-2).some((earlier) => (ranked(scoreTopics(earlier))[0]?.[1] ?? 0) >= 2);
  const followUp = isFollowUp(question, context) || ongoing;
  // Its own words, before a follow-up borrows the earlier turns' topics: a recipe asked mid-conversation is still a recipe.
  const ownBest = ranked(scores)[0];
  /** Topics the earlier turns gave a follow-up. */
  const fromEarlier = new Set<Topic>();
  if (followUp) {
    const earlier = context.earlierQuestions.slice(-2);
    // A reply that only tells more ("It's a team of 5 and we own 14 services") still asks the earlier question: its
    // topic is that question's, whatever its own words lean to ("inherited" a new role's).
    const tellsMore = !/\?/.test(question);
    // Its own words count for less than the question it answers: "She's been a manager for 8 months; before that she
    // was the team's tech lead" answers a question about a struggling manager, not one about the tech lead role (audit 34).
    if (tellsMore && earlier.length > 0)
      for (const topic of Object.keys(scores) as Topic[]) if (topic !== 'off_topic') scores[topic] = scores[topic]! * 0.5;
    earlier.forEach((text, index) => {
      const weight = index === earlier.length - 1 ? (tellsMore ? 1.2 : 0.6) : 0.3;
      for (const [topic, score] of Object.entries(scoreTopics(text)) as [Topic, number][]) {
        if (topic === 'off_topic') continue;
        scores[topic] = (scores[topic] ?? 0) + score * weight;
        fromEarlier.add(topic);
      }
    });
  }
  const intent: Intent = followUp && baseIntent !== 'code' ? 'follow_up' : baseIntent;
  const order = ranked(scores);
  const [best, runnerUp] = order;
  const offTopic = scores.off_topic ?? 0;
  const onTopicWords = workVocabulary.test(normalise(question));
  const result = (topic: Topic, confidence: TopicClassification['confidence']): TopicClassification => ({
    topic,
    secondary: order
      .filter(([other, score]) => other !== topic && best !== undefined && score >= best[1] / 2 && score >= 1.5)
      .map(([other]) => other)
      .slice(0, 3),
    scores,
    confidence,
    intent,
    baseIntent,
    followUp,
  });
  // A choice handed to Cairn with nothing off-topic in it is a leadership decision, whatever its subject.
  // A request of one's own life is out of scope however strongly its situation speaks of work.
  if (asksForLife(normalise(question))) return result('off_topic', 'clear');
  if (!best && offTopic === 0 && baseIntent === 'decide') return result('general', 'none');
  // Off-topic needs an off-topic cue, or a question with nothing of work or of the user's own situation in it.
  // With no topic cue, only words of work keep a question in scope: "my first marathon" is the user's own, but not work.
  if (!best) {
    if (baseIntent === 'code') return result('off_topic', 'none');
    return result(offTopic === 0 && (onTopicWords || followUp || namedColleague.test(plain(question))) ? 'general' : 'off_topic', 'none');
  }
  if (offTopic >= 3 && (offTopic > best[1] || ownBest === undefined)) return result('off_topic', 'clear');
  if (offTopic >= 2 && best[1] < 2 && !onTopicWords) return result('off_topic', 'weak');
  // One faint cue ("tech lead", "teams") is not a topic: the question is about leadership in general.
  // A follow-up keeps a faint topic the conversation has had; a reply that only tells more does not take one from its
  // own words alone ("before that she was the team's tech lead" after a question of no one topic).
  if (best[1] < 2) return result(followUp && (fromEarlier.has(best[0]) || /\?/.test(question)) ? best[0] : 'general', 'weak');
  const confidence = runnerUp && runnerUp[1] >= best[1] * 0.8 ? 'mixed' : 'clear';
  return result(best[0], confidence);
}

/**
 * Each topic as the persona spec describes it ("Topics You Cover"): searched beside the
 * question so that the writing at the heart of the topic is among the passages even when
 * the question's own words miss it ("14 direct reports" and team sizing).
 */
export const topicSearches: Partial<Record<Topic, string>> = {
  staff_plus: 'staff-plus engineering: what staff engineers do, how to become one, how to manage them',
  org_design: 'org design: team structures, reporting lines, sizing teams and how many reports a manager supports',
  technical_quality: 'technical quality: managing technical debt, setting standards, driving adoption',
  career_development: 'career development: career ladders, levels, promotions, calibration',
  hiring: 'hiring: process design, interview loops, evaluation criteria, closing candidates',
  strategy: 'engineering strategy: writing it, communicating it, executing it',
  infrastructure: 'infrastructure: efficiency, reliability, developer productivity',
  first_90_days: 'the first 90 days as an engineering manager, director, VP or CTO',
  feedback: 'feedback: giving it, receiving it, creating a culture of it',
  difficult_conversations: 'difficult conversations: navigating tension, managing your own emotions',
  meeting_facilitation: 'meeting facilitation: naming dynamics, handling conflict, driving decisions',
  developing_people: 'developing people: sponsorship, growth frameworks, effective 1:1s',
};

export const topicLabels: Record<Topic, string> = {
  staff_plus: 'staff-plus engineering',
  org_design: 'org design',
  technical_quality: 'technical quality',
  career_development: 'career development',
  hiring: 'hiring',
  strategy: 'engineering strategy',
  infrastructure: 'infrastructure',
  first_90_days: 'the first 90 days in a role',
  feedback: 'feedback',
  difficult_conversations: 'difficult conversations',
  meeting_facilitation: 'meeting facilitation',
  developing_people: 'developing people',
  general: 'engineering leadership',
  off_topic: 'something outside engineering leadership',
};
