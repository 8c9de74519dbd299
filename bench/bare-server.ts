import { createServer } from 'node:http';

/**
 * The physical limit: node:http reading each request body and answering `{}`, with nothing
 * else on the request path. Prints `listening <port>`.
 */
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': 2 });
    res.end('{}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.once('SIGTERM', () => {
  process.stdout.write(`maxrss ${process.resourceUsage().maxRSS}\n`);
  process.exit(0);
});
