/**
 * Words that say a trouble was dealt with: "ямочный ремонт сделали", "вывезли наконец-то",
 * "качели сняли", "лифт починили". Such a post reads as thanks or news, not a complaint, yet it is
 * the incident's last report: analysts see from it that the trouble is over.
 */
import type { Token } from './contract.js';

const FIXED = /^(починил|отремонтир|сделали$|вывезли$|убрали$|заменили$|засыпали$|залатал|спилили$|сняли$|восстановил|устранил|наконец)/;

/** Whether the tokens say the trouble was fixed or removed ("не починили" is no such thing). */
export const saysFixed = (tokens: readonly Pick<Token, 'norm'>[]): boolean =>
  tokens.some(({ norm }, i) => FIXED.test(norm) && tokens[i - 1]?.norm !== 'не' && tokens[i - 2]?.norm !== 'не');
