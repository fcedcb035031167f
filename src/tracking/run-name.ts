import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'able',
  'bold',
  'brave',
  'bright',
  'calm',
  'clever',
  'eager',
  'fast',
  'gentle',
  'glad',
  'keen',
  'kind',
  'lucky',
  'merry',
  'neat',
  'quiet',
  'rare',
  'sharp',
  'smart',
  'swift',
  'tidy',
  'vast',
  'wise',
  'zesty',
];
const NOUNS = [
  'ant',
  'bass',
  'bear',
  'crane',
  'deer',
  'duck',
  'eel',
  'finch',
  'fox',
  'goat',
  'hare',
  'hawk',
  'lark',
  'lynx',
  'mole',
  'newt',
  'owl',
  'ram',
  'seal',
  'slug',
  'snail',
  'swan',
  'toad',
  'wolf',
];

/** A readable default run name, in MLflow's `adjective-noun-NNN` style. */
export function randomRunName(): string {
  const pick = (words: readonly string[]): string => words[randomInt(words.length)] ?? 'run';
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`;
}
