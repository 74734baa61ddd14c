/**
 * Pages that are not the content we asked for but answer 200 anyway: anti-bot challenges and login
 * walls. Parsing them as content would silently yield zero posts, so they become typed errors.
 */

const captchaMarkers = [
  /g-recaptcha|hcaptcha|smartcaptcha|captcha\.(?:js|php)|name=["']?captcha/i,
  /ddos-guard|cf-challenge|cf_chl_|challenge-platform|__qrator|servicepipe/i,
  /подтвердите,? что вы не робот|проверка браузера|вы робот\?|докажите, что вы человек/i,
];

const loginMarkers = [
  /<input[^>]+type=["']?password/i,
  /войдите,? чтобы|войдите в аккаунт|для просмотра необходимо (?:войти|авторизоваться)|доступ только для авторизованных/i,
];

export type Wall = 'captcha' | 'login';

/** Looks only at the head of the page: walls are small, real pages may mention "captcha" in a post. */
export const detectWall = (html: string): Wall | null => {
  const head = html.slice(0, 20_000);
  if (captchaMarkers.some((re) => re.test(head))) return 'captcha';
  if (loginMarkers.some((re) => re.test(head))) return 'login';
  return null;
};
