import test from 'ava';
import { parsePage, parseViews } from './parse.js';

test('view counters: plain, K and M suffixes; anything else is unknown', (t) => {
  t.is(parseViews('401'), 401);
  t.is(parseViews('1.2K'), 1_200);
  t.is(parseViews('12.7K'), 12_700);
  t.is(parseViews('1.1M'), 1_100_000);
  t.is(parseViews(' 2K '), 2_000);
  t.is(parseViews(''), undefined);
  t.is(parseViews('1.2.3'), undefined);
  t.is(parseViews(undefined), undefined);
});

test('a channel page without messages is still a channel page, with nothing to page to', (t) => {
  const page = parsePage('<section class="tgme_channel_history js-message_history"></section>');
  t.like(page, { kind: 'channel', minId: undefined, hasMore: false });
});

test('the date separator is not mistaken for a service message', (t) => {
  const page = parsePage(`<section class="tgme_channel_history">
    <div class="tgme_widget_message_service_date_wrap"><div class="tgme_widget_message_service_date">8 октября</div></div>
    <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="nn_zhaloby/5">
      <div class="tgme_widget_message_text js-message_text">Текст</div>
      <a class="tgme_widget_message_date" href="https://t.me/nn_zhaloby/5"><time datetime="2026-10-08T10:00:00+00:00" class="time">13:00</time></a>
    </div></div></section>`);
  t.is(page.kind, 'channel');
  if (page.kind === 'channel') t.deepEqual(page.entries.map((e) => e.kind), ['post']);
});
