import net from 'net';

export type HangingServer = {
  /** A Git URL on it: every request is accepted and never answered. */
  url(name: string): string;
  close(): Promise<void>;
};

/**
 * A server that accepts connections and never answers: a Git host that
 * hangs, so a refresh of an application on it takes as long as its Git
 * timeout allows.
 */
export async function startHangingServer(): Promise<HangingServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: name => `http://127.0.0.1:${port}/${name}.git`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
