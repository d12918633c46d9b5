/**
 * A first message with nothing to look up yet ("Help.", "hi", "thoughts?", "I need some advice"): only greetings,
 * courtesy and the asking itself. It is neither off-topic nor a question the sources could answer: a thought partner
 * says hello and asks what is going on.
 */

/** Words that ask for help, greet or are courtesy, and carry no subject of their own. */
const emptyWords = new Set(
  (
    'hi hello hey heya hiya howdy yo greetings morning afternoon evening good there cairn ' +
    'help helps helping please pls plz thanks thank thx ty cheers ok okay so um umm hmm well hm anyway ' +
    "i im i'm me my we us you your can could would will do does did is are am have has got get need want like " +
    'a an the some any quick little bit of with on for to about this that it something anything stuff ' +
    'question questions advice thoughts thought idea ideas tips tip guidance input opinion opinions take ' +
    "what whats what's how where start begin think say should here again use sec second minute moment"
  ).split(/\s+/),
);

/** Whether a first message holds nothing but greetings, courtesy and a request for help. */
export function isOpener(message: string, earlierQuestions: readonly string[]): boolean {
  if (earlierQuestions.length > 0) return false;
  const words = message.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
  return words.length <= 8 && words.every((word) => emptyWords.has(word.replace(/’/g, "'")));
}

/** The two questions an opener gets: the situation, and what the user wants from it. */
export const openerQuestions = [
  'What are you working through right now, and who is involved: your team, a report, a peer, your manager?',
  'What would a good outcome look like for you?',
] as const;

/** The answer to an opener: a hello, what Cairn helps with, the two questions and an example. */
export function openerText(): string {
  return [
    "I'm glad to think it through with you. I'm a thought partner for engineering leaders, grounded in the writing of Will Larson, Lara Hogan and Jack Danger: staff+ engineering, org design, technical quality and strategy, hiring, career growth, feedback, difficult conversations and your first 90 days in a role.",
    '',
    `**To get started:** ${openerQuestions.join(' ')}`,
    '',
    'For example: "Two of my senior engineers disagree about a migration and it is stalling the team. How do I get to a decision?"',
  ].join('\n');
}
