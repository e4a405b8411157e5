// A socket.io 4 node clustered with @socket.io/redis-streams-adapter: clients join a room with
// "subscribe" and "publish" broadcasts to the room on every node. The baseline for bench/ws-cluster.
// usage: node socketio-node.js <port> <redis-url>
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-streams-adapter');

const [port, redisUrl] = process.argv.slice(2);
(async () => {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const http = createServer();
  const io = new Server(http, { adapter: createAdapter(redis), transports: ['websocket'] });
  io.on('connection', socket => {
    socket.on('subscribe', (room, ack) => { socket.join(room); if (ack) ack('ok'); });
    socket.on('publish', (room, message) => io.to(room).emit('message', message));
  });
  http.listen(Number(port), '127.0.0.1', () => console.log(`socket.io node on ${port}`));
})();
