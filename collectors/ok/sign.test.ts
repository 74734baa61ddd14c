import test from 'ava';
import { sessionSecret, signatureBase, signParams } from './sign.js';

// Worked example, computed by hand with coreutils:
//   base   = application_key=CBAJQKLGDIHBABABA count=2 fields=media_topic.* format=json gid=53038939046008
//            method=mediatopic.getTopics   (sorted by key, joined without separators; access_token left out)
//   secret = printf '%s' '-s-test.TOKEN.Dzerzhinsk0123456789ABCDEF0123456789ABCDEF' | md5sum
//          = 629ec94b80b51c2dce39c75354d512af
//   sig    = printf '%s' "$base$secret" | md5sum = 2a9eaeada2199ec46cba6965915f0468
const APP_KEY = 'CBAJQKLGDIHBABABA';
const APP_SECRET = '0123456789ABCDEF0123456789ABCDEF';
const TOKEN = '-s-test.TOKEN.Dzerzhinsk';
const params = {
  method: 'mediatopic.getTopics',
  gid: '53038939046008',
  access_token: TOKEN,
  format: 'json',
  count: '2',
  application_key: APP_KEY,
  fields: 'media_topic.*',
};

test('the signed string is the sorted key=value pairs without access_token and sig', (t) => {
  t.is(signatureBase({ ...params, sig: 'ignored' }), 'application_key=CBAJQKLGDIHBABABAcount=2fields=media_topic.*format=jsongid=53038939046008method=mediatopic.getTopics');
});

test('session secret is md5(access_token + application secret key), lower case', (t) => {
  t.is(sessionSecret(TOKEN, APP_SECRET), '629ec94b80b51c2dce39c75354d512af');
});

test('session request: sig = md5(base + md5(access_token + secret key))', (t) => {
  t.is(signParams(params, APP_SECRET, TOKEN), '2a9eaeada2199ec46cba6965915f0468');
});

test('app-only request: sig = md5(base + application secret key)', (t) => {
  const { access_token: _token, ...appOnly } = params;
  // printf '%s' "${base}0123456789ABCDEF0123456789ABCDEF" | md5sum
  t.is(signParams(appOnly, APP_SECRET), '1d32fb16750ac430dd86fa69755cbd57');
});

test('values are signed as raw UTF-8, not URL-encoded', (t) => {
  const cyrillic = { application_key: APP_KEY, format: 'json', method: 'search.tagContents', query: 'Дзержинск' };
  // printf '%s' 'application_key=CBAJQKLGDIHBABABAformat=jsonmethod=search.tagContentsquery=Дзержинск629ec94b80b51c2dce39c75354d512af' | md5sum
  t.is(signParams(cyrillic, APP_SECRET, TOKEN), '4dfd8de0c40c5ae102b1c2ac0443d30c');
});

test('matches the published aiookru example (events.get)', (t) => {
  // https://konstantintogoi.github.io/aiookru/api: secret b1a2b89707a94624c43afae67d59274c, sig 232c8eb921951c4dba9b72606f9ddb4c
  const token = '-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7';
  t.is(sessionSecret(token, 'ABC123DEF456GHI789JKL123'), 'b1a2b89707a94624c43afae67d59274c');
  t.is(signParams({ application_key: 'ABCDEFGHIGKLMNOPK', format: 'json', method: 'events.get', access_token: token }, 'ABC123DEF456GHI789JKL123', token), '232c8eb921951c4dba9b72606f9ddb4c');
});
