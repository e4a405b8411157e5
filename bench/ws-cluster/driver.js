// Load driver for bench/ws-cluster: one system at a time. Opens <subscribers> connections split
// across two nodes, then one publisher on the first node sends 64-byte messages at each rate for
// <seconds>; every message carries its send time, so latency is measured in this one process
// (one clock). Prints one JSON line per rate: deliveries/s, p50/p99 latency, lost messages.
// Also reads the servers' CPU time (/proc/<pid>/stat) around each rate: CPU-seconds per million deliveries.
// usage: node driver.js <meridian|socketio> <port1> <port2> <subscribers> <seconds> <rate,rate,...> <pid,pid>
const path = require('path');
const WebSocket = require('ws');
const { io } = require('socket.io-client');

const fs = require('fs');
const [system, port1, port2, subscriberCount, seconds, rates, pidList] = process.argv.slice(2);
const PIDS = (pidList || '').split(',').filter(Boolean);
// utime + stime of every server process, in seconds (USER_HZ is 100 on Linux).
const serverCpu = () => PIDS.reduce((sum, pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return sum + (Number(fields[11]) + Number(fields[12])) / 100;
}, 0);
const SUBSCRIBERS = Number(subscriberCount);
const DURATION = Number(seconds) * 1000;
const ROOM = 'bench:room';
const now = () => performance.timeOrigin + performance.now();
const sleep = ms => new Promise(r => setTimeout(r, ms));

let latencies = [];
let received = 0;
const seen = [];

// The payload arrives as an object: each client library parses its frame once, and nothing more.
function record(message, index) {
  latencies.push(now() - message.t);
  received++;
  seen[index].add(message.seq);
}

// Meridian: the Centrifugo JSON protocol over plain `ws` (several replies per frame, newline-separated).
function meridianClient(port, index, onReady) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/connection/websocket`, { perMessageDeflate: false });
  socket.on('open', () => {
    socket.send(JSON.stringify({ id: 1, connect: {} }) + '\n' + JSON.stringify({ id: 2, subscribe: { channel: ROOM } }));
  });
  socket.on('message', data => {
    for (const line of data.toString().split('\n')) {
      if (line === '{}') { socket.send('{}'); continue; }
      if (index >= 0 && line.startsWith('{"push":{"channel"')) {
        const frame = JSON.parse(line);
        if (frame.push.pub) record(frame.push.pub.data, index);
      } else if (line.startsWith('{"id":2,')) {
        onReady();
      }
    }
  });
  let next = 3;
  return { publish: message => socket.send(JSON.stringify({ id: next++, publish: { channel: ROOM, data: message } })),
    close: () => socket.close() };
}

function socketioClient(port, index, onReady) {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
  socket.on('connect', () => socket.emit('subscribe', ROOM, () => onReady()));
  if (index >= 0) socket.on('message', message => record(message, index));
  return { publish: message => socket.emit('publish', ROOM, message), close: () => socket.close() };
}

async function connectAll(make) {
  const clients = [];
  let ready = 0;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    seen.push(new Set());
    clients.push(make(i % 2 === 0 ? port1 : port2, i, () => ready++));
    if (i % 100 === 99) await sleep(50);
  }
  const deadline = Date.now() + 60000;
  while (ready < SUBSCRIBERS && Date.now() < deadline) await sleep(50);
  if (ready < SUBSCRIBERS) throw new Error(`only ${ready} of ${SUBSCRIBERS} subscribed`);
  let publisherReady = false;
  const publisher = make(port1, -1, () => { publisherReady = true; });
  while (!publisherReady) await sleep(20);
  return { clients, publisher };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

(async () => {
  const make = system === 'meridian' ? meridianClient : socketioClient;
  const { clients, publisher } = await connectAll(make);
  await sleep(1000);
  let seq = 0;
  for (const rate of rates.split(',').map(Number)) {
    latencies = [];
    received = 0;
    seen.forEach(s => s.clear());
    const first = seq;
    const cpuBefore = serverCpu();
    const start = now();
    const pad = 'x'.repeat(20);
    // Publish on a fixed schedule: message k is due at start + k/rate, whatever the event loop did.
    while (now() - start < DURATION) {
      const due = start + ((seq - first) * 1000) / rate;
      if (now() >= due) {
        publisher.publish({ seq, t: now(), pad }); // about 64 bytes as JSON
        seq++;
      } else {
        await sleep(Math.min(5, due - now()));
      }
    }
    const sent = seq - first;
    await sleep(3000);
    const cpu = serverCpu() - cpuBefore;
    const expected = sent * SUBSCRIBERS;
    let lost = 0;
    for (const s of seen) for (let k = first; k < seq; k++) if (!s.has(k)) lost++;
    const sorted = latencies.sort((a, b) => a - b);
    console.log(JSON.stringify({ system, rate, sent, expected, received, lost,
      deliveriesPerSecond: Math.round(received / (DURATION / 1000)),
      p50: Number(percentile(sorted, 0.5).toFixed(1)), p99: Number(percentile(sorted, 0.99).toFixed(1)),
      serverCpuSeconds: Number(cpu.toFixed(2)), cpuSecondsPerMillion: Number((cpu / Math.max(1, received) * 1e6).toFixed(2)) }));
  }
  clients.forEach(c => c.close());
  publisher.close();
  await sleep(500);
  process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });
