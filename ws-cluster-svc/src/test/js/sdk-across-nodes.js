// The official Centrifugo JavaScript SDK (npm `centrifuge`) against two ws-cluster-svc nodes:
// a subscriber on node B receives what a publisher on node A sends, in order; after it leaves,
// a new SDK client resumes from its last position on node A and gets exactly what it missed.
// usage: node sdk-across-nodes.js <portA> <portB> <channel>   (exit 0 = passed)
const path = require('path');
const modules = path.resolve(__dirname, '..', '..', '..', 'target', 'js', 'node_modules');
const { Centrifuge } = require(path.join(modules, 'centrifuge'));
const WebSocket = require(path.join(modules, 'ws'));

const [portA, portB, channel] = process.argv.slice(2);
const url = port => `ws://127.0.0.1:${port}/connection/websocket`;
const fail = message => { console.error('FAILED:', message); process.exit(1); };
setTimeout(() => fail('timed out'), 60000).unref();

function client(port) {
  const c = new Centrifuge(url(port), { websocket: WebSocket });
  c.connect();
  return c;
}

function collect(sub, count) {
  const got = [];
  return new Promise(resolve => sub.on('publication', ctx => { got.push(ctx); if (got.length === count) resolve(got); }));
}

(async () => {
  const publisher = client(portA);
  const reader = client(portB);
  const sub = reader.newSubscription(channel);
  const five = collect(sub, 5);
  let epoch = null;
  sub.on('subscribed', ctx => { epoch = ctx.streamPosition && ctx.streamPosition.epoch; });
  sub.subscribe();
  await sub.ready(10000);
  const pubSub = publisher.newSubscription(channel);
  pubSub.subscribe();
  await pubSub.ready(10000);
  for (let i = 1; i <= 5; i++) await pubSub.publish({ n: i });
  const got = await five;
  got.forEach((ctx, i) => { if (ctx.data.n !== i + 1) fail(`message ${i} was ${JSON.stringify(ctx.data)}`); });
  if (!epoch) fail('no epoch in the subscribe result');
  const last = { offset: got[4].offset, epoch };
  console.log(`received 5 in order on node B, last offset ${last.offset}`);
  reader.disconnect();

  for (let i = 6; i <= 8; i++) await pubSub.publish({ n: i });

  const again = client(portA);
  const resumed = again.newSubscription(channel, { since: last });
  const three = collect(resumed, 3);
  let recoveredFlag = null;
  resumed.on('subscribed', ctx => { recoveredFlag = ctx.recovered; });
  resumed.subscribe();
  const missed = await three;
  if (!recoveredFlag) fail('subscribed without recovered: true');
  missed.forEach((ctx, i) => { if (ctx.data.n !== i + 6) fail(`recovered ${i} was ${JSON.stringify(ctx.data)}`); });
  console.log(`recovered ${missed.length} of 3 on node A`);
  again.disconnect();
  publisher.disconnect();
  process.exit(0);
})().catch(e => fail(e && e.stack || e));
