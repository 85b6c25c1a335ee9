// Preloaded into Portkey's gateway (node --import): every listening socket binds 127.0.0.1, so the
// benchmark never exposes a port beyond loopback (Portkey's start-server.js listens on all
// interfaces and has no host option).
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const port = args[0];
    const rest = args.slice(1).filter((a) => typeof a === 'function');
    return listen.call(this, { port: Number(port), host: '127.0.0.1' }, ...rest);
  }
  if (args[0] && typeof args[0] === 'object' && !('fd' in args[0]) && !('path' in args[0])) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
