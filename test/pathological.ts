// Model outputs that made the old parsers superlinear (issue 20), shared by the parser and the
// reward-service tests, and a small text-game ground truth to score them against.

export const MB = 2 ** 20;

const lamp = (uuid: number, isOn: boolean) => ({
  name: `lamp (ID: ${uuid})`,
  uuid,
  type: 'Lamp',
  properties: { isOn },
  contains: [],
});
/** A text-game transition as the verl export writes it: a lamp is switched on. */
export const TG_TRUTH = {
  current: [lamp(1, false)],
  currentScore: { score: 0, gameOver: false, gameWon: false },
  next: [lamp(1, true)],
  nextScore: { score: 1, gameOver: false, gameWon: false },
};

/** 1 MB text-game answers: fence regexes, jsonrepair and the delta expansion were superlinear on these. */
export const TEXTGAME_PATHOLOGICAL: Record<string, string> = {
  'fence + spaces': '```' + ' '.repeat(MB),
  'fence json + newlines': '```json' + '\n'.repeat(MB),
  'marker + fence + newlines': 'The final answer is: ```json' + '\n'.repeat(MB),
  'many fences': '```json\n{}\n```'.repeat(MB / 12),
  'unclosed strings': '{' + '"a'.repeat(MB / 2),
  'nested keys': '{"a":'.repeat(Math.ceil(MB / 5)),
  'single quotes': "{'" + "a'".repeat(MB / 2),
  'delta contains lists': JSON.stringify({
    '1': { contains: Array(MB / 8).fill('a'), 'contains-': Array(MB / 8).fill('b') },
  }),
};

/** 1 MB web page-change predictions. */
export const WEB_PATHOLOGICAL: Record<string, string> = {
  newlines: '\n'.repeat(MB),
  spaces: ' '.repeat(MB),
  'one long line': 'New items:\n' + 'x'.repeat(MB),
  headers: 'New items:\n'.repeat(MB / 11 + 1),
  'repeated line': 'New items:\n' + "[1] link 'a'\n".repeat(MB / 13 + 1),
};
export const WEB_TRUTH = "New items:\n[1] link 'a'\nDeleted items:\nNone\nUpdated items:\nNone";
